"""The encrypted store: one SQLCipher database plus its keyring, in one folder.

`Store.create` makes a new store and returns the recovery key (shown once);
`Store.open` unlocks it with a staff member's passphrase. The data key is
random and passed to SQLCipher raw, so SQLCipher's own PBKDF2 is skipped; the
slow KDF is ours (app.keyring). Failed unlocks are counted in `lockout.json`
and make the next attempt wait longer. A foreign or corrupt file gives a
StoreError with a message for the user; the file is left untouched.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import sqlcipher3
import sqlite_utils

from i18n import _, ngettext

from . import migrations
from .hygiene import staff_problem
from .keyring import BadSecret, Keyring, KeyringError
from .replica.changelog import Change, ChangeLog
from .replica.clock import HybridClock

DB_NAME = "store.db"
KEYRING_NAME = "keyring.json"
LOCKOUT_NAME = "lockout.json"
FREE_ATTEMPTS = 3
MAX_DELAY_S = 300


class StoreError(Exception):
    """An error with a message for the user (already translated)."""


class WrongPassphrase(StoreError):
    pass


class DiskFull(StoreError):
    """A write failed for lack of space; the transaction was rolled back."""


class TooManyAttempts(StoreError):
    def __init__(self, wait_s: float):
        seconds = int(wait_s) + 1
        super().__init__(ngettext("Too many failed attempts. Please wait {seconds} second.",
                                  "Too many failed attempts. Please wait {seconds} seconds.", seconds)
                         .format(seconds=seconds))
        self.wait_s = wait_s


def _hex(key: bytes) -> str:
    return key.hex()


def connect(db_path: Path, data_key: bytes, *, readonly: bool = False):
    """A SQLCipher connection keyed with the raw data key; raises StoreError if the key or file is wrong."""
    uri = f"file:{db_path}?mode={'ro' if readonly else 'rw'}"
    try:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlcipher3.Error:
        raise StoreError(_("The store file cannot be opened.")) from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{_hex(data_key)}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.OperationalError as exc:  # not damage: e.g. a read-only folder (no -shm file), a lock
        conn.close()
        raise StoreError(_("The store file cannot be opened ({reason}); check that the store folder "
                           "is writable and not in use.").format(reason=exc)) from None
    except sqlcipher3.DatabaseError:
        conn.close()
        raise StoreError(_("The store file is damaged or does not belong to this key.")) from None
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files
    return conn


class Store:
    """An unlocked store: the database connection and who is working with it."""

    def __init__(self, path: Path, keyring: Keyring, data_key: bytes, staff_id: str | None, conn):
        self.path = Path(path)
        self.keyring = keyring
        self._data_key = data_key
        self.staff_id = staff_id
        self.conn = conn
        self.db = sqlite_utils.Database(conn)

    # -- creation and unlocking --------------------------------------------
    @staticmethod
    def exists(path: Path) -> bool:
        return (Path(path) / KEYRING_NAME).exists() or (Path(path) / DB_NAME).exists()

    @classmethod
    def create(cls, path: Path, passphrase: str, login: str = "admin", name: str = "",
               agency: str | None = None, role: str | None = None) -> tuple["Store", str]:
        """Create a new empty store; returns it and the recovery key (show it once). The first staff
        member's agency and role default to those of resources/roles.json (the administrator)."""
        path = Path(path)
        if cls.exists(path):
            raise StoreError(_("A store already exists in {path}.").format(path=path))
        check_passphrase(passphrase)
        _check_staff(login, name)
        agency, role = _check_role(agency, role)
        if path.exists() and not path.is_dir():
            raise StoreError(_("{path} is not a folder").format(path=path))
        folder_existed = path.exists()
        try:
            return cls._create_in(path, passphrase, login, name, agency, role)
        except (OSError, sqlcipher3.Error) as exc:  # a file in the way, a folder not writable, a full disk
            _remove_partial_store(path, folder_existed)
            reason = getattr(exc, "strerror", None) or str(exc)
            raise StoreError(_("cannot create the store in {path}: {reason}").format(
                path=path, reason=reason)) from None

    @classmethod
    def _create_in(cls, path: Path, passphrase: str, login: str, name: str, agency: str,
                   role: str) -> tuple["Store", str]:
        path.mkdir(parents=True, exist_ok=True)
        staff_id = uuid.uuid4().hex
        ring, data_key, recovery = Keyring.create(path / KEYRING_NAME, staff_id, login, passphrase)
        conn = sqlcipher3.connect(str(path / DB_NAME), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{_hex(data_key)}'\"")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        # the same tuning as an opened store (connect/_open_with): the first session
        # (GUI create, `demo`, `init` + `import`) uses this connection
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -262144")
        conn.execute("PRAGMA foreign_keys = OFF")
        migrations.migrate(conn)
        device_id = uuid.uuid4().hex[:16]
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
            ("store_id", ring.store_id), ("device_id", device_id),
            ("created", time.strftime("%Y-%m-%dT%H:%M:%S")),
        ])
        conn.execute("COMMIT")
        ring.save()
        store = cls(path, ring, data_key, staff_id, conn)
        store._record_staff(staff_id, login, name or login, agency, role)
        return store, recovery

    @staticmethod
    def knows_login_hash(path: Path, login_hash: str) -> bool:
        """Whether a login hash (Store.login_hash of an earlier unlock) belongs to a member of the store in
        `path`; False for a missing or damaged key file. Needs no key."""
        try:
            return Keyring.load(Path(path) / KEYRING_NAME).knows_hash(login_hash)
        except KeyringError:
            return False

    @classmethod
    def open(cls, path: Path, passphrase: str, login: str | None = None, *,
             login_hash: str | None = None) -> "Store":
        """Unlock as `login` (or as the member whose login hash was remembered, `login_hash`; with
        neither, as whoever the passphrase opens). An unknown login and a wrong passphrase get the
        same message."""
        wrong = (_("The login or the passphrase is not correct.") if login is not None or login_hash is not None
                 else _("The passphrase is not correct."))
        return cls._unlock(Path(path), lambda ring: ring.unlock(passphrase, login, login_hash=login_hash), wrong)

    @classmethod
    def open_with_recovery(cls, path: Path, recovery_key: str) -> "Store":
        return cls._unlock(Path(path), lambda ring: ring.unlock_recovery(recovery_key),
                           _("The recovery key is not correct."))

    @classmethod
    def _unlock(cls, path: Path, unwrap, wrong_message: str) -> "Store":
        ring = _load_keyring(path)
        wait = _lockout_wait(path)
        if wait > 0:
            raise TooManyAttempts(wait)
        try:
            unlocked = unwrap(ring)
        except BadSecret:
            _record_failure(path)
            raise WrongPassphrase(wrong_message) from None
        _clear_failures(path)
        store = cls._open_with(path, ring, unlocked.data_key, unlocked.staff_id)
        _migrate_keyring(ring)
        return store

    @classmethod
    def _open_with(cls, path: Path, ring: Keyring, data_key: bytes, staff_id: str | None) -> "Store":
        db_path = path / DB_NAME
        if not db_path.exists():
            raise StoreError(_("The store file is missing in {path}.").format(path=path))
        conn = connect(db_path, data_key)
        try:
            if migrations.current_version(conn) > migrations.LATEST:
                raise StoreError(_("This store was written by a newer version of Sprechstunde."))
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrations.migrate(conn)
        except StoreError:
            conn.close()
            raise
        except sqlcipher3.DatabaseError:
            conn.close()
            raise StoreError(_("The store file is damaged.")) from None
        return cls(path, ring, data_key, staff_id, conn)

    def reopen(self) -> "Store":
        """A second connection to the same store (for a worker thread)."""
        return Store(self.path, self.keyring, self._data_key, self.staff_id, connect(self.path / DB_NAME, self._data_key))

    def close(self) -> None:
        """Close the connection and drop the key from this object."""
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
                self._data_key = b""

    # -- staff members -------------------------------------------------------
    def add_member(self, login: str, passphrase: str, name: str = "", agency: str | None = None,
                   role: str | None = None) -> str:
        """Let another staff member unlock this store; returns their staff id."""
        check_passphrase(passphrase)
        _check_staff(login, name)
        agency, role = _check_role(agency, role)
        staff_id = uuid.uuid4().hex
        try:
            self.keyring.add_member(self._data_key, staff_id, login, passphrase)
        except ValueError:
            raise StoreError(_("The login {login} exists already.").format(login=login)) from None
        self.keyring.save()
        self._record_staff(staff_id, login.strip(), name or login.strip(), agency, role)
        return staff_id

    def _record_staff(self, staff_id: str, login: str, name: str, agency: str, role: str) -> None:
        """A new staff record as replicated changes (what Repository.save writes for a new record),
        through the replica core, so that the store does not depend on the repository above it."""
        clock = getattr(self, "_clock", None) or HybridClock(self.device_id, self.meta("hlc_last"))
        self._clock = clock  # the one clock of this store object (app.repository.clock_for)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            last = self.meta("hlc_last")
            if last:  # what another connection of this store has stamped
                clock.observe(last)
            stamp = clock.now()
            changes = [Change(stamp, "staff", staff_id, f, v, None, clock.device, self.staff_id or staff_id, None)
                       for f, v in (("login", login), ("name", name), ("agency", agency), ("role", role))]
            log = ChangeLog(self.conn)
            log.append(changes)
            log.make_current(changes)
            self.set_meta("hlc_last", clock.last)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def change_passphrase(self, new_passphrase: str, staff_id: str | None = None) -> None:
        """Re-wrap the data key for a member; the database is not touched."""
        check_passphrase(new_passphrase)
        staff_id = staff_id or self.staff_id
        if staff_id is None:
            raise StoreError(_("Unknown staff member."))
        try:
            self.keyring.rewrap(self._data_key, staff_id, new_passphrase)
        except ValueError:
            raise StoreError(_("Unknown staff member.")) from None
        self.keyring.save()

    def login_hash(self) -> str | None:
        """The hashed form of the unlocked member's login in this store's keyring (what the lock screen may
        remember; it names nobody); None when opened with the recovery key."""
        return self.keyring.hash_of(self.staff_id) if self.staff_id else None

    def new_recovery_key(self) -> str:
        from .keyring import new_recovery_key

        key = new_recovery_key()
        self.keyring.set_recovery(self._data_key, key)
        self.keyring.save()
        return key

    # -- meta ------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def device_id(self) -> str:
        value = self.meta("device_id")
        if value is None:  # written by `create`; missing only in a damaged store
            raise RuntimeError("this store has no device id in its meta table")
        return value

    @property
    def schema_version(self) -> int:
        return migrations.current_version(self.conn)

    def integrity_problems(self) -> list[str]:
        """SQLCipher's page HMAC check and SQLite's integrity check; empty when sound."""
        problems = [r[0] for r in self.conn.execute("PRAGMA cipher_integrity_check")]
        problems += [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        return problems


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise StoreError(_("The passphrase must have at least 8 characters."))


def _load_keyring(path: Path) -> Keyring:
    try:
        return Keyring.load(path / KEYRING_NAME)
    except KeyringError as exc:
        if str(exc) == "missing":
            if (path / DB_NAME).exists():
                raise StoreError(_("The key file of the store is missing in {path}.").format(path=path)) from None
            raise StoreError(_("There is no store in {path}.").format(path=path)) from None
        raise StoreError(_("The key file in {path} is damaged or not a Sprechstunde key file.").format(path=path)) from None


def _migrate_keyring(ring: Keyring) -> None:
    """A version-1 keyring (clear logins) is rewritten with login hashes once it has been unlocked. If the
    file cannot be replaced now, the old one stays whole and the next unlock tries again."""
    if not ring.legacy:
        return
    ring.migrate()
    try:
        ring.save()
    except OSError:
        try:
            ring.path.with_suffix(".tmp").unlink()
        except OSError:
            pass


def _lockout_path(path: Path) -> Path:
    return path / LOCKOUT_NAME


def _read_lockout(path: Path) -> dict:
    try:
        doc = json.loads(_lockout_path(path).read_text("utf-8"))
        return doc if isinstance(doc, dict) else {}
    except (OSError, ValueError):
        return {}


def _lockout_wait(path: Path) -> float:
    doc = _read_lockout(path)
    failures = int(doc.get("failures", 0))
    if failures < FREE_ATTEMPTS:
        return 0.0
    delay = min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_S)
    return max(0.0, float(doc.get("last", 0)) + delay - time.time())


def _record_failure(path: Path) -> None:
    doc = _read_lockout(path)
    doc = {"failures": int(doc.get("failures", 0)) + 1, "last": time.time()}
    try:
        _lockout_path(path).write_text(json.dumps(doc), "utf-8")
    except OSError:
        pass


def _clear_failures(path: Path) -> None:
    try:
        _lockout_path(path).unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass


def _check_staff(login: str, name: str | None) -> None:
    """A staff member's login and name pass the input rules (app.hygiene) before anything is written."""
    problem = staff_problem(login, name)
    if problem:
        raise StoreError(problem)


def _check_role(agency: str | None, role: str | None) -> tuple[str, str]:
    """A staff member's agency and role (codes of resources/roles.json; None: the table's default)."""
    from .roles import default_table

    table = default_table()
    agency = (agency or table.default_agency).strip().upper()
    role = (role or table.default_role).strip().lower()
    if agency not in table.agencies:
        raise StoreError(_("Unknown agency {agency} (one of {known}).").format(
            agency=agency, known=", ".join(table.agencies)))
    if role not in table.roles:
        raise StoreError(_("Unknown role {role} (one of {known}).").format(role=role, known=", ".join(table.roles)))
    return agency, role


def _remove_partial_store(path: Path, folder_existed: bool) -> None:
    """Remove what a failed Store.create wrote (it refuses to run where a store exists, so all of it is new)."""
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", KEYRING_NAME,
                 Path(KEYRING_NAME).with_suffix(".tmp").name):
        try:
            (path / name).unlink()
        except OSError:
            pass
    if not folder_existed:
        try:
            path.rmdir()
        except OSError:
            pass
