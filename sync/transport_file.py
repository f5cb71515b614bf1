"""Offline transport: a laptop's pending changes as one signed file sealed to the hub.

For places where even reconnecting is impossible, a laptop writes the changes
the hub has not acknowledged to a file (USB stick, mail attachment); the
central office imports it at the hub (sync.hub.file_import). The import runs the
same push path as a sync (sync.hub.service.Hub.push -> app.replica.merge), so
importing a file twice, or importing it and syncing online later, changes
nothing the second time. This module holds the format and the laptop's side.

File layout (JSON, UTF-8)::

    {"format": "sprechstunde-sealed-changes", "version": 1,
     "alg": "P256-HKDF-SHA256-A256GCM" | "X25519-HKDF-SHA256-A256GCM",
     "epk": b64, "nonce": b64, "ct": b64}

`ct` is AES-256-GCM under a key from ECDH(ephemeral key, hub key) and
HKDF-SHA256 (info binds the algorithm, both public keys); the header is the
associated data. The plaintext is zlib(signature[64] + document), the document
being canonical JSON {"format", "hub", "device", "replica", "created", "count",
"rows"} with rows as push rows (sync.protocol.push_row); the signature is the
device's Ed25519 key over a domain prefix and the document bytes. So nothing
but the format is readable without the hub's private key, the hub knows which
enrolled device wrote it, and a file made for one hub is refused by another.
The hub key is the one a laptop already pins: the P-256 key of the hub's TLS
certificate (sync.hub.tls). X25519 keys work the same (`seal`/`unseal`).
"""

from __future__ import annotations

import base64
import json
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.replica.changelog import row_to_change
from i18n import _

from app.paths import write_private

from . import client as C
from . import protocol as P

FORMAT = "sprechstunde-sealed-changes"
VERSION = 1
ALG_P256 = "P256-HKDF-SHA256-A256GCM"
ALG_X25519 = "X25519-HKDF-SHA256-A256GCM"
SIG_PREFIX = b"sprechstunde-sealed-changes/1\n"
MAX_FILE = 512 * 1024 * 1024
MAX_PLAIN = 2 * 1024 * 1024 * 1024
_COLS = "hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id"


class SealedFileError(Exception):
    """The file cannot be made or taken in; the message says why (for people)."""


# -- the primitive: ECDH + HKDF + AES-GCM sealed box, Ed25519 signatures ----------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise SealedFileError(_("The file is damaged or not a Sprechstunde change file."))
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise SealedFileError(_("The file is damaged or not a Sprechstunde change file.")) from None


def _pub_bytes(pub) -> bytes:
    if isinstance(pub, x25519.X25519PublicKey):
        return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def _aad(alg: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{alg}".encode()


def _key(alg: str, shared: bytes, epk: bytes, recipient: bytes) -> bytes:
    info = b"\x00".join((FORMAT.encode(), alg.encode(), epk, recipient))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal(recipient, plaintext: bytes) -> dict:
    """Encrypt to a P-256 or X25519 public key (an ephemeral key per file)."""
    if isinstance(recipient, x25519.X25519PublicKey):
        alg, eph_x = ALG_X25519, x25519.X25519PrivateKey.generate()
        shared, epk = eph_x.exchange(recipient), _pub_bytes(eph_x.public_key())
    elif isinstance(recipient, ec.EllipticCurvePublicKey) and isinstance(recipient.curve, ec.SECP256R1):
        alg, eph_ec = ALG_P256, ec.generate_private_key(ec.SECP256R1())
        shared, epk = eph_ec.exchange(ec.ECDH(), recipient), _pub_bytes(eph_ec.public_key())
    else:
        raise SealedFileError(_("The hub key is of a kind this program cannot seal to."))
    nonce = os.urandom(12)
    ct = AESGCM(_key(alg, shared, epk, _pub_bytes(recipient))).encrypt(nonce, plaintext, _aad(alg))
    return {"format": FORMAT, "version": VERSION, "alg": alg, "epk": _b64(epk), "nonce": _b64(nonce),
            "ct": _b64(ct)}


def unseal(private, envelope: dict) -> bytes:
    """Decrypt a sealed envelope with the recipient's private key; SealedFileError if it is not ours."""
    damaged = _("The file is damaged or not a Sprechstunde change file.")
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise SealedFileError(damaged)
    if envelope.get("version") != VERSION:
        raise SealedFileError(_("The file was written by another version of Sprechstunde."))
    alg = envelope.get("alg")
    epk, nonce, ct = (_unb64(envelope.get(k)) for k in ("epk", "nonce", "ct"))
    try:
        if alg == ALG_X25519 and isinstance(private, x25519.X25519PrivateKey):
            shared = private.exchange(x25519.X25519PublicKey.from_public_bytes(epk))
        elif alg == ALG_P256 and isinstance(private, ec.EllipticCurvePrivateKey):
            shared = private.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk))
        else:
            raise SealedFileError(_("The file is not sealed to this hub."))
        return AESGCM(_key(alg, shared, epk, _pub_bytes(private.public_key()))).decrypt(nonce, ct, _aad(alg))
    except (InvalidTag, ValueError):
        raise SealedFileError(_("The file is not sealed to this hub, or it was changed.")) from None


def sign(key: Ed25519PrivateKey, document: bytes) -> bytes:
    return key.sign(SIG_PREFIX + document)


def verify(public_key: bytes, signature: bytes, document: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, SIG_PREFIX + document)
        return True
    except (InvalidSignature, ValueError):
        return False


def pack(rows: list, *, hub_public_key, hub_id: str, device_id: str, replica_id: str,
         signing_key: Ed25519PrivateKey, created_ms: int | None = None) -> bytes:
    """The file bytes for these push rows."""
    doc = json.dumps({
        "format": FORMAT, "hub": hub_id, "device": device_id, "replica": replica_id,
        "created": created_ms if created_ms is not None else int(time.time() * 1000),
        "count": len(rows), "rows": rows,
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    plain = zlib.compress(sign(signing_key, doc) + doc, 6)
    return json.dumps(seal(hub_public_key, plain), separators=(",", ":")).encode("ascii")


def unpack(data: bytes, hub_private_key) -> tuple[dict, bytes, bytes]:
    """Decrypt file bytes: (document, its bytes, signature). The signature is not checked here."""
    damaged = _("The file is damaged or not a Sprechstunde change file.")
    if len(data) > MAX_FILE:
        raise SealedFileError(_("The file is too large."))
    try:
        envelope = json.loads(data)
    except ValueError:
        raise SealedFileError(damaged) from None
    plain = unseal(hub_private_key, envelope)
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(plain, MAX_PLAIN)
        if inflater.unconsumed_tail:
            raise SealedFileError(_("The file is too large."))
        signature, doc_bytes = raw[:64], raw[64:]
        doc = P.loads(doc_bytes)  # strict: no NaN, Infinity or 1e400
    except (zlib.error, ValueError):
        raise SealedFileError(damaged) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("rows"), list):
        raise SealedFileError(damaged)
    return doc, doc_bytes, signature


# -- the laptop: export -------------------------------------------------------------
@dataclass
class ExportSummary:
    path: str
    count: int
    first_hlc: str | None
    last_hlc: str | None
    bytes: int


def export_pending(store, path: Path) -> ExportSummary:
    """Write this laptop's changes the hub has not acknowledged to `path`, sealed to the enrolled hub."""

    if not (store.meta(C.K_DEVICE) and store.meta(C.K_KEY) and store.meta(C.K_CERT)):
        raise SealedFileError(_("This laptop is not enrolled at a hub yet (sprechstunde enroll)."))
    cert = x509.load_pem_x509_certificate(store.meta(C.K_CERT).encode())
    key = P.load_private(bytes.fromhex(store.meta(C.K_KEY)))
    rows = C.unacked_changes(store, _COLS)  # exactly what the next online push would send
    push_rows = [P.push_row(row_to_change(r)) for r in rows]
    data = pack(push_rows, hub_public_key=cert.public_key(), hub_id=store.meta(C.K_HUB) or "",
                device_id=store.meta(C.K_DEVICE), replica_id=store.device_id, signing_key=key,
                created_ms=C.device_clock_ms(store))  # the hub bounds the file's stamps by it
    write_private(Path(path), data)
    stamps = [r[0] for r in rows]
    return ExportSummary(str(path), len(rows), min(stamps, default=None), max(stamps, default=None), len(data))


# -- the hub: import -------------------------------------------------------------------
