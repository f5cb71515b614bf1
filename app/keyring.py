"""The key hierarchy: a random data key, stored only wrapped per staff member.

`keyring.json` beside the database holds, for each staff member, the data key
wrapped with AES-GCM under a key derived from their passphrase (Argon2id,
parameters stored with the wrap), plus one wrap under the recovery key. It
holds no personal data of clients and names no staff member: a wrap is found by
the hash of its login (Argon2id with cheap parameters and a salt of this
keyring, `login_hash`), never by the login itself, so unlocking with a login
costs one cheap and one strong derivation whatever the number of members.
Keyrings of version 1 named the logins; `migrate` turns them into version 2
(Store does it at the next unlock). Changing a passphrase re-wraps the data
key; the database is never re-encrypted.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "sprechstunde-keyring"
VERSION = 2
LEGACY_VERSION = 1  # wraps named their login in the clear; read, and migrated at the next unlock
# Argon2id: about 0.2 s on a 2-core laptop. Shipped code always wraps with STRONG (no
# environment variable or option weakens it); the test suite patches default_kdf to LOW
# in its own process because it creates hundreds of stores. Unwrapping uses the
# parameters recorded with each wrap.
STRONG = {"alg": "argon2id", "iterations": 3, "memory_kib": 65536, "lanes": 4}
LOW = {"alg": "argon2id", "iterations": 1, "memory_kib": 8192, "lanes": 1}
# the login's hash (a lookup key, not a secret): OWASP's least Argon2id setting, about 0.05 s;
# it makes trying a list of names against a stolen keyring cost that much per name and keyring
LOGIN = {"alg": "argon2id", "iterations": 2, "memory_kib": 19456, "lanes": 1}
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


def default_login_kdf() -> dict:
    """The parameters of a new keyring's login hash."""
    return dict(LOGIN)


def normalize_login(login: str) -> str:
    """What two spellings of one login share: NFC, no surrounding spaces, case folded."""
    return unicodedata.normalize("NFC", login).strip().casefold()


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
        if doc.get("version") not in (VERSION, LEGACY_VERSION):
            raise KeyringError("version")
        if doc["version"] == VERSION and not isinstance(doc.get("login_kdf"), dict):
            raise KeyringError("unreadable")
        return cls(path, doc)

    def save(self) -> None:
        """Write keyring.json atomically: a temporary file, flushed to disk, then renamed over it."""
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.doc, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        _sync_folder(self.path.parent)

    @classmethod
    def create(cls, path: Path, staff_id: str, login: str, passphrase: str) -> tuple["Keyring", bytes, str]:
        """A new keyring with a fresh data key; returns it, the key and the recovery key."""
        data_key = AESGCM.generate_key(bit_length=256)
        ring = cls(path, {"format": FORMAT, "version": VERSION, "store_id": uuid.uuid4().hex,
                          "login_kdf": {**default_login_kdf(), "salt": _b64(os.urandom(16))}, "wraps": []})
        ring.add_member(data_key, staff_id, login, passphrase)
        recovery = new_recovery_key()
        ring.set_recovery(data_key, recovery)
        return ring, data_key, recovery

    # -- logins -------------------------------------------------------------
    @property
    def legacy(self) -> bool:
        """A version-1 keyring: its wraps name their logins in the clear (until `migrate`)."""
        return self.doc["version"] == LEGACY_VERSION

    def login_hash(self, login: str) -> str:
        """The lookup key of a login in this keyring (one cheap Argon2id)."""
        kdf = dict(self.doc["login_kdf"])
        salt = _unb64(kdf.pop("salt"))
        return _b64(derive(normalize_login(login), kdf, salt))

    def migrate(self) -> bool:
        """Replace the clear logins of a version-1 keyring by their hashes (in memory; `save` writes
        it); True if there was anything to do."""
        if not self.legacy:
            return False
        self.doc["login_kdf"] = {**default_login_kdf(), "salt": _b64(os.urandom(16))}
        for w in self.doc["wraps"]:
            login = w.pop("login", "")
            if w["kind"] == "passphrase":
                w["login_hash"] = self.login_hash(login)
        self.doc["version"] = VERSION
        return True

    def _hash_matches(self, wrap: dict, login: str, hashed: str | None) -> bool:
        """Whether a passphrase wrap belongs to `login` (`hashed`: its hash in this keyring, if known)."""
        if self.legacy:
            return normalize_login(wrap.get("login", "")) == normalize_login(login)
        return hmac.compare_digest(wrap.get("login_hash", ""), hashed or self.login_hash(login))

    def knows_hash(self, hashed: str) -> bool:
        """Whether a login hash (remembered from an earlier unlock) belongs to a member of this keyring."""
        return not self.legacy and any(
            hmac.compare_digest(w.get("login_hash", ""), hashed) for w in self._passphrase_wraps())

    def hash_of(self, staff_id: str) -> str | None:
        """The login hash of a member (None in a version-1 keyring or for no member)."""
        if self.legacy:
            return None
        return next((w["login_hash"] for w in self._passphrase_wraps() if w["staff_id"] == staff_id), None)

    # -- wraps ------------------------------------------------------------
    @property
    def store_id(self) -> str:
        return self.doc["store_id"]

    def _passphrase_wraps(self) -> list[dict]:
        return [w for w in self.doc["wraps"] if w["kind"] == "passphrase"]

    def members(self) -> list[dict]:
        """The staff ids that can unlock (their logins and names are in the encrypted store only)."""
        return [{"staff_id": w["staff_id"]} for w in self._passphrase_wraps()]

    def _aad(self, kind: str, staff_id: str) -> bytes:
        return f"{self.store_id}|{kind}|{staff_id}".encode()

    def _seal(self, kek: bytes, data_key: bytes, kind: str, staff_id: str) -> tuple[str, str]:
        nonce = os.urandom(12)
        return _b64(nonce), _b64(AESGCM(kek).encrypt(nonce, data_key, self._aad(kind, staff_id)))

    def _open(self, kek: bytes, wrap: dict) -> bytes:
        return AESGCM(kek).decrypt(_unb64(wrap["nonce"]), _unb64(wrap["ct"]), self._aad(wrap["kind"], wrap["staff_id"]))

    def add_member(self, data_key: bytes, staff_id: str, login: str, passphrase: str) -> None:
        """Wrap the data key for a new member (or anew for an existing one) under `login`."""
        self.migrate()  # a new wrap is never written with a clear login
        hashed = self.login_hash(login)
        if any(self._hash_matches(w, login, hashed) and w["staff_id"] != staff_id for w in self._passphrase_wraps()):
            raise ValueError("login exists")
        self._wrap(data_key, staff_id, hashed, passphrase)

    def rewrap(self, data_key: bytes, staff_id: str, passphrase: str) -> None:
        """A member's new passphrase; the login (hash) stays."""
        self.migrate()
        hashed = self.hash_of(staff_id)
        if hashed is None:
            raise ValueError("no member")
        self._wrap(data_key, staff_id, hashed, passphrase)

    def _wrap(self, data_key: bytes, staff_id: str, hashed: str, passphrase: str) -> None:
        kdf = default_kdf()
        salt = os.urandom(16)
        nonce, ct = self._seal(derive(passphrase, kdf, salt), data_key, "passphrase", staff_id)
        wrap = {"kind": "passphrase", "staff_id": staff_id, "login_hash": hashed,
                "kdf": {**kdf, "salt": _b64(salt)}, "nonce": nonce, "ct": ct}
        self.remove_member(staff_id)
        self.doc["wraps"].append(wrap)

    def remove_member(self, staff_id: str) -> None:
        self.doc["wraps"] = [w for w in self.doc["wraps"] if not (w["kind"] == "passphrase" and w["staff_id"] == staff_id)]

    def set_recovery(self, data_key: bytes, recovery_key: str) -> None:
        salt = os.urandom(16)
        nonce, ct = self._seal(_recovery_kek(recovery_key, salt), data_key, "recovery", "")
        self.doc["wraps"] = [w for w in self.doc["wraps"] if w["kind"] != "recovery"]
        self.doc["wraps"].append({"kind": "recovery", "staff_id": "",
                                  "kdf": {"alg": "hkdf-sha256", "salt": _b64(salt)}, "nonce": nonce, "ct": ct})

    def unlock(self, passphrase: str, login: str | None = None, *, login_hash: str | None = None) -> Unlocked:
        """Try the wrap of `login` (or of the member whose remembered `login_hash` is given): one cheap and
        one strong derivation, also when no member has that login (no answer comes sooner for an unknown
        login). With neither, try every member's wrap (one strong derivation per member)."""
        if login is not None:
            hashed = None if self.legacy else self.login_hash(login)
            wraps = [w for w in self._passphrase_wraps() if self._hash_matches(w, login, hashed)]
        elif login_hash is not None:
            wraps = [w for w in self._passphrase_wraps()
                     if not self.legacy and hmac.compare_digest(w.get("login_hash", ""), login_hash)]
        else:
            wraps = self._passphrase_wraps()
        if not wraps:
            derive(passphrase, default_kdf(), os.urandom(16))  # as long as a wrong passphrase takes
            raise BadSecret()
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


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
