"""A full disk: the write is rolled back whole, the user hears it plainly, and the store stays usable."""

import pytest

from app.households import save_household
from app.store import DiskFull

MEMBERS = [{"family_name": f"Haddad-{chr(0x41 + i // 26)}{chr(0x61 + i % 26)}", "given_names": "Rami " * 19,
            "case": {"rechtskreis": "SGB II"}} for i in range(40)]  # names: letters only, at most 100


def _fill_disk(store):
    """Let the database grow no further (what SQLite meets when the disk is full)."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def test_full_disk_rolls_back_and_says_so(store, repo):
    before = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    _fill_disk(store)
    with pytest.raises(DiskFull) as exc:
        save_household(repo, {"office": "AHL"}, MEMBERS)
    assert "voll" in str(exc.value) or "full" in str(exc.value)
    assert store.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert repo.find("person") == [] and not store.conn.in_transaction
    store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    assert save_household(repo, {"office": "AHL"}, MEMBERS).ok
    assert len(repo.find("person")) == 40
    assert store.integrity_problems() == []
