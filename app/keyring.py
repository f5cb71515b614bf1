"""The key hierarchy: a random data key, stored only wrapped per staff member.

`keyring.json` beside the database holds, for each staff member, the data key
wrapped with AES-GCM under a key derived from their passphrase (Argon2id,
parameters stored with the wrap), plus one wrap under the recovery key. It
holds no personal data of clients. Changing a passphrase re-wraps the data
key; the database is never re-encrypted.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "sprechstunde-keyring"
VERSION = 1
# Argon2id: about 0.2 s on a 2-core laptop. Shipped code always wraps with STRONG (no
# environment variable or option weakens it); the test suite patches default_kdf to LOW
# in its own process because it creates hundreds of stores. Unwrapping uses the
# parameters recorded with each wrap.
STRONG = {"alg": "argon2id", "iterations": 3, "memory_kib": 65536, "lanes": 4}
LOW = {"alg": "argon2id", "iterations": 1, "memory_kib": 8192, "lanes": 1}
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class KeyringError(Exception):
    """The keyring file is missing, unreadable or not ours."""


class BadSecret(Exception):
    """The passphrase or recovery key does not open any wrap."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def default_kdf() -> dict:
    """The parameters for a new wrap."""
    return dict(STRONG)


def derive(passphrase: str, kdf: dict, salt: bytes) -> bytes:
    if kdf.get("alg") != "argon2id":
        raise KeyringError(f"unsupported KDF {kdf.get('alg')!r}")
    return Argon2id(
        salt=salt, length=32, iterations=kdf["iterations"], lanes=kdf["lanes"],
        memory_cost=kdf["memory_kib"],
    ).derive(passphrase.encode("utf-8"))


def _recovery_kek(recovery_key: str, salt: bytes) -> bytes:
    raw = normalize_recovery_key(recovery_key).encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"sprechstunde-recovery").derive(raw)


def new_recovery_key() -> str:
    """52 characters of a 32-letter alphabet (260 bits), in groups of four."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(52))
    return "-".join(chars[i:i + 4] for i in range(0, 52, 4))


def normalize_recovery_key(text: str) -> str:
    return "".join(c for c in text.upper() if c in RECOVERY_ALPHABET)


@dataclass
class Unlocked:
    data_key: bytes
    staff_id: str | None  # None when opened with the recovery key


class Keyring:
    """The wraps of one store's data key, read from and written to keyring.json."""

    def __init__(self, path: Path, doc: dict):
        self.path = path
        self.doc = doc

    # -- file -------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> "Keyring":
        try:
            doc = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise KeyringError("missing") from None
        except (OSError, ValueError, UnicodeDecodeError):
            raise KeyringError("unreadable") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("wraps"), list):
            raise KeyringError("foreign")
        if doc.get("version") != VERSION:
            raise KeyringError("version")
        return cls(path, doc)

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.doc, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    @classmethod
    def create(cls, path: Path, staff_id: str, login: str, passphrase: str) -> tuple["Keyring", bytes, str]:
        """A new keyring with a fresh data key; returns it, the key and the recovery key."""
        data_key = AESGCM.generate_key(bit_length=256)
        ring = cls(path, {"format": FORMAT, "version": VERSION, "store_id": uuid.uuid4().hex, "wraps": []})
        ring.add_member(data_key, staff_id, login, passphrase)
        recovery = new_recovery_key()
        ring.set_recovery(data_key, recovery)
        return ring, data_key, recovery

    # -- wraps ------------------------------------------------------------
    @property
    def store_id(self) -> str:
        return self.doc["store_id"]

    def members(self) -> list[dict]:
        return [{"staff_id": w["staff_id"], "login": w["login"]} for w in self.doc["wraps"] if w["kind"] == "passphrase"]

    def _aad(self, kind: str, staff_id: str) -> bytes:
        return f"{self.store_id}|{kind}|{staff_id}".encode()

    def _seal(self, kek: bytes, data_key: bytes, kind: str, staff_id: str) -> tuple[str, str]:
        nonce = os.urandom(12)
        return _b64(nonce), _b64(AESGCM(kek).encrypt(nonce, data_key, self._aad(kind, staff_id)))

    def _open(self, kek: bytes, wrap: dict) -> bytes:
        return AESGCM(kek).decrypt(_unb64(wrap["nonce"]), _unb64(wrap["ct"]), self._aad(wrap["kind"], wrap["staff_id"]))

    def add_member(self, data_key: bytes, staff_id: str, login: str, passphrase: str) -> None:
        login = login.strip()
        if any(w["kind"] == "passphrase" and w["login"].casefold() == login.casefold()
               and w["staff_id"] != staff_id for w in self.doc["wraps"]):
            raise ValueError("login exists")
        kdf = default_kdf()
        salt = os.urandom(16)
        nonce, ct = self._seal(derive(passphrase, kdf, salt), data_key, "passphrase", staff_id)
        wrap = {"kind": "passphrase", "staff_id": staff_id, "login": login,
                "kdf": {**kdf, "salt": _b64(salt)}, "nonce": nonce, "ct": ct}
        self.doc["wraps"] = [w for w in self.doc["wraps"] if not (w["kind"] == "passphrase" and w["staff_id"] == staff_id)]
        self.doc["wraps"].append(wrap)

    def remove_member(self, staff_id: str) -> None:
        self.doc["wraps"] = [w for w in self.doc["wraps"] if not (w["kind"] == "passphrase" and w["staff_id"] == staff_id)]

    def set_recovery(self, data_key: bytes, recovery_key: str) -> None:
        salt = os.urandom(16)
        nonce, ct = self._seal(_recovery_kek(recovery_key, salt), data_key, "recovery", "")
        self.doc["wraps"] = [w for w in self.doc["wraps"] if w["kind"] != "recovery"]
        self.doc["wraps"].append({"kind": "recovery", "staff_id": "", "login": "",
                                  "kdf": {"alg": "hkdf-sha256", "salt": _b64(salt)}, "nonce": nonce, "ct": ct})

    def unlock(self, passphrase: str, login: str | None = None) -> Unlocked:
        """Try the member's wrap (or every member's when no login is given)."""
        wraps = [w for w in self.doc["wraps"] if w["kind"] == "passphrase"
                 and (login is None or w["login"].casefold() == login.strip().casefold())]
        for w in wraps:
            kdf = dict(w["kdf"])
            salt = _unb64(kdf.pop("salt"))
            try:
                return Unlocked(self._open(derive(passphrase, kdf, salt), w), w["staff_id"])
            except InvalidTag:
                continue
        raise BadSecret()

    def unlock_recovery(self, recovery_key: str) -> Unlocked:
        for w in self.doc["wraps"]:
            if w["kind"] == "recovery":
                try:
                    return Unlocked(self._open(_recovery_kek(recovery_key, _unb64(w["kdf"]["salt"])), w), None)
                except InvalidTag:
                    break
        raise BadSecret()
