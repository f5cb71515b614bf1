"""The key file names no staff member: wraps are found by a hash of the login, older key files are migrated
at the next unlock, and an unknown login reads like a wrong passphrase."""

import json
import os

import pytest

import app.keyring
from app.store import KEYRING_NAME, Store, StoreError, WrongPassphrase
from tests.conftest import PASSPHRASE

STAFF = [("anna", "Anna Beispiel"), ("bodo.mueller", "Bodo Müller"), ("zeynep", "Zeynep Öztürk"),
         ("ali", "علی رضایی")]
OTHER = "bodos-geheimnis"


def _forms(text: str) -> list[bytes]:
    """How a text could stand in a JSON file: UTF-8, JSON's \\u escapes, either case."""
    out = []
    for t in (text, text.casefold(), text.upper()):
        out += [t.encode("utf-8"), json.dumps(t)[1:-1].encode("ascii")]
    return out


def _assert_names_nobody(path):
    data = (path / KEYRING_NAME).read_bytes()
    for login, name in STAFF:
        for form in _forms(login) + _forms(name) + [w.encode() for w in name.split()]:
            assert form not in data, form


def _store_with_staff(path):
    store, recovery = Store.create(path, PASSPHRASE, login=STAFF[0][0], name=STAFF[0][1])
    ids = {STAFF[0][0]: store.staff_id}
    for login, name in STAFF[1:]:
        ids[login] = store.add_member(login, OTHER, name)
    return store, recovery, ids


def _as_version_1(path, ids):
    """Rewrite the key file as version 1 wrote it: each wrap with its login in the clear."""
    doc = json.loads((path / KEYRING_NAME).read_text("utf-8"))
    login_of = {sid: login for login, sid in ids.items()}
    for w in doc["wraps"]:
        w.pop("login_hash", None)
        w["login"] = login_of.get(w["staff_id"], "")
    del doc["login_kdf"]
    doc["version"] = 1
    (path / KEYRING_NAME).write_text(json.dumps(doc, indent=1), "utf-8")
    assert b'"login": "anna"' in (path / KEYRING_NAME).read_bytes()


def test_the_key_file_names_no_staff_member_after_create_and_add_member(store_dir):
    store, _recovery, ids = _store_with_staff(store_dir)
    store.change_passphrase("annas-neues-geheimnis")
    store.close()
    _assert_names_nobody(store_dir)
    s = Store.open(store_dir, OTHER, "Bodo.Mueller ")  # case and spaces as typed
    assert s.staff_id == ids["bodo.mueller"]
    s.close()
    s = Store.open(store_dir, "annas-neues-geheimnis", "anna")
    assert s.staff_id == ids["anna"]
    s.close()


def test_a_remembered_login_hash_unlocks_as_that_member_and_only_in_its_store(tmp_path, store_dir):
    store, _recovery, ids = _store_with_staff(store_dir)
    s = Store.open(store_dir, OTHER, "zeynep")
    remembered = s.login_hash()
    s.close()
    store.close()
    assert remembered and remembered.encode() in (store_dir / KEYRING_NAME).read_bytes()
    assert Store.knows_login_hash(store_dir, remembered)
    s = Store.open(store_dir, OTHER, login_hash=remembered)
    assert s.staff_id == ids["zeynep"]
    s.close()
    other, _ = Store.create(tmp_path / "other", OTHER, login="zeynep")  # the same login elsewhere
    other.close()
    assert not Store.knows_login_hash(tmp_path / "other", remembered)  # hashed with that store's own salt
    with pytest.raises(WrongPassphrase):
        Store.open(tmp_path / "other", OTHER, login_hash=remembered)


def test_an_unknown_login_and_a_wrong_passphrase_get_the_same_message(store_dir):
    store, _recovery, _ids = _store_with_staff(store_dir)
    store.close()
    messages = set()
    for login, passphrase in (("niemand", PASSPHRASE), ("anna", "falsch-falsch"), ("anna", OTHER)):
        with pytest.raises(WrongPassphrase) as exc:
            Store.open(store_dir, passphrase, login)
        messages.add(str(exc.value))
        (store_dir / "lockout.json").unlink()  # no waiting between the attempts
    assert messages == {"Die Anmeldung oder die Passphrase ist nicht richtig."}


def test_unlocking_as_a_login_costs_one_strong_derivation_whatever_the_number_of_members(store_dir, monkeypatch):
    store, _recovery, _ids = _store_with_staff(store_dir)
    store.close()
    calls = []
    real = app.keyring.derive

    def counting(secret, kdf, salt):
        calls.append(kdf.get("memory_kib"))
        return real(secret, kdf, salt)

    monkeypatch.setattr(app.keyring, "derive", counting)
    for login, passphrase in (("ali", OTHER), ("niemand", OTHER), ("ali", "falsch-falsch")):
        calls.clear()
        try:
            Store.open(store_dir, passphrase, login).close()
        except WrongPassphrase:
            (store_dir / "lockout.json").unlink()
        assert len(calls) == 2, (login, calls)  # the login's hash and one passphrase wrap (or a decoy)


def test_a_version_1_key_file_is_migrated_at_the_next_unlock(store_dir):
    store, recovery, ids = _store_with_staff(store_dir)
    store.close()
    _as_version_1(store_dir, ids)
    assert not Store.knows_login_hash(store_dir, "anything")

    s = Store.open(store_dir, OTHER, "zeynep")  # the clear logins still open it, once
    assert s.staff_id == ids["zeynep"]
    s.close()
    doc = json.loads((store_dir / KEYRING_NAME).read_text("utf-8"))
    assert doc["version"] == 2 and not (store_dir / "keyring.tmp").exists()
    _assert_names_nobody(store_dir)
    for login, _name in STAFF:
        s = Store.open(store_dir, PASSPHRASE if login == "anna" else OTHER, login)
        assert s.staff_id == ids[login]
        s.close()
    s = Store.open_with_recovery(store_dir, recovery)
    s.close()


def test_a_migration_that_cannot_be_written_leaves_the_old_file_whole_and_runs_at_the_next_unlock(store_dir):
    store, _recovery, ids = _store_with_staff(store_dir)
    store.close()
    _as_version_1(store_dir, ids)
    before = (store_dir / KEYRING_NAME).read_bytes()
    (store_dir / "keyring.tmp").mkdir()  # the temporary file cannot be written
    s = Store.open(store_dir, PASSPHRASE, "anna")
    assert s.staff_id == ids["anna"]
    s.close()
    assert (store_dir / KEYRING_NAME).read_bytes() == before
    os.rmdir(store_dir / "keyring.tmp")
    Store.open(store_dir, PASSPHRASE, "anna").close()
    _assert_names_nobody(store_dir)


def test_a_login_is_unique_across_spellings_in_a_migrated_file(store_dir):
    store, _recovery, ids = _store_with_staff(store_dir)
    store.close()
    _as_version_1(store_dir, ids)
    s = Store.open(store_dir, PASSPHRASE, "anna")
    with pytest.raises(StoreError):
        s.add_member("ZEYNEP", "noch-ein-geheimnis")
    s.close()


def test_an_unreadable_version_2_file_is_refused_not_guessed(store_dir):
    store, _recovery, _ids = _store_with_staff(store_dir)
    store.close()
    doc = json.loads((store_dir / KEYRING_NAME).read_text("utf-8"))
    del doc["login_kdf"]
    (store_dir / KEYRING_NAME).write_text(json.dumps(doc), "utf-8")
    with pytest.raises(StoreError, match="beschädigt"):
        Store.open(store_dir, PASSPHRASE, "anna")
