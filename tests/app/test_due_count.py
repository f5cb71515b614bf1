"""The navigation's due count: after the first count only changed households are counted again, and the
number always equals the length of the (consent-gated) due list built from scratch
(tests/access/test_due_count_gate.py: with consent withdrawn and synced)."""

import datetime as dt

from app.casework import CaseWork
from app.next_steps import DueCount
from app.replica import purge
from app.session import Session

REF = dt.date(2026, 12, 2)
PASS, LOGIN = "demo-passphrase-1", "demo"


def _family(session, name: str):
    return session.save_household(
        {"office": "WAF", "address": "Freckenhorster Str. 3, Warendorf"},
        [{"relation": "head", "family_name": name, "given_names": "Saba", "birth_date": "1994",
          "case": {"rechtskreis": "AsylbLG"}}])


def _full(session, day=REF) -> int:
    """The gated due list built from scratch: the cases the staff member who unlocked sees in full."""
    return len(session.due_items(day))


def test_incremental_due_count_equals_a_full_count_after_edits(tmp_path):
    session = Session(tmp_path / "demo")
    session.create_demo(PASS, LOGIN, households=30, reference=REF)
    session.unlock(PASS, LOGIN)
    families = [_family(session, name) for name in ("Tesfay", "Haile", "Berhe")]  # new cases: items to record
    counter = DueCount()
    first = session.due_count(counter, REF)
    assert first == _full(session) > 0 and counter.full_counts == 1

    def recount(at_most: int) -> int:
        n = session.due_count(counter, REF)
        assert n == _full(session), "the kept count differs from a full one"
        assert counter.full_counts == 1 and counter.counted_households <= at_most
        return n

    assert recount(0) == first  # nothing changed: nothing counted
    repo, cw = session._repo, CaseWork(session._repo)
    missing, other, gone = (f.case_ids[0] for f in families)
    cw.consent.record(missing, "AA", "given", REF.isoformat())  # an item goes
    assert recount(1) < first
    res = _family(session, "Kidane")  # a new household: its case's first items come
    grown = recount(1)
    cw.chronicle.set_flag(res.case_ids[0], "dublin", REF.isoformat())  # a dateless hint
    assert recount(1) == grown + 1
    repo.save("case", {"status": "closed"}, other)  # a closed case is not in the due list
    assert recount(1) < grown + 1
    repo.save("case", {"household_id": families[0].household_id}, res.case_ids[0])  # moved to another household
    recount(2)
    before = session.due_count(counter, REF)
    with repo.transaction():  # a deletion order removes records without logging a change
        purge.apply(repo.conn, "order-1", purge.plan(repo.conn, [gone]))
    assert recount(1) < before
    assert session.due_count(counter, REF + dt.timedelta(days=1)) == _full(session, REF + dt.timedelta(days=1))
    assert counter.full_counts == 2  # a new day counts everything
