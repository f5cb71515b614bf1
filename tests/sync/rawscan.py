"""Read a SQLCipher store file page by page with its data key, to look for values that must be gone.

SQLCipher 4 defaults (what app.store uses): 4096-byte pages, AES-256-CBC with the raw key, each page
ending in a 16-byte IV and a 64-byte HMAC; page 1 starts with the 16-byte salt. WAL frames hold
pages encrypted the same way behind a 24-byte frame header (32-byte file header). Free pages and
free space inside pages are decrypted too: that is the point.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80


def _page(key: bytes, raw: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    iv = raw[PAGE - RESERVE:PAGE - RESERVE + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(raw[start:PAGE - RESERVE]) + dec.finalize()


def plaintext(store_dir: Path, key: bytes) -> bytes:
    """Every page of store.db and of its WAL, decrypted, joined."""
    out = []
    db = (Path(store_dir) / "store.db").read_bytes()
    for i in range(0, len(db) - PAGE + 1, PAGE):
        out.append(_page(key, db[i:i + PAGE], i == 0))
    wal = Path(store_dir) / "store.db-wal"
    if wal.exists():
        data = wal.read_bytes()
        for i in range(32, len(data) - 24 - PAGE + 1, 24 + PAGE):
            pgno = int.from_bytes(data[i:i + 4], "big")
            out.append(_page(key, data[i + 24:i + 24 + PAGE], pgno == 1))
    return b"".join(out)


def raw_files(store_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in Path(store_dir).iterdir() if p.is_file())
