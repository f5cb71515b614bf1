"""The navigation's incremental due count (app.next_steps.DueCount, Session.due_count) obeys the consent gate
like the due list: it counts the cases the staff member who unlocked sees in full, and it equals the gated
due list built from scratch after saves, a consent recorded and withdrawn on this laptop, and a withdrawal
that arrives from another laptop by sync, counting only the households that changed."""

from __future__ import annotations

import datetime as dt

from app.casework import CaseWork
from app.households import save_household
from app.next_steps import DueCount
from app.repository import Repository
from app.session import Session
from tests.conftest import PASSPHRASE
from tests.sync.hubkit import sync

TODAY = dt.date.today()


def _family(repo, name: str) -> str:
    res = save_household(repo, {"office": "AHL"}, [{"relation": "head", "family_name": name,
                                                    "given_names": "Samir", "birth_date": "1980-01-01", "sex": "m",
                                                    "case": {"rechtskreis": "AsylbLG"}}], today=TODAY)
    assert res.ok, res.errors
    return res.case_ids[0]


def test_the_kept_count_is_the_gated_due_list_after_saves_withdrawal_and_sync(hub, laptops):
    a, b = laptops("AHL"), laptops("AHL")
    b.add_member("bodo", PASSPHRASE, "Bodo AA", "AA", "ifk")
    repo = Repository(a)  # the central office's laptop (anna, KI) opens three cases
    cw = CaseWork(repo)
    consented, other, third = (_family(repo, n) for n in ("Nouri", "Haddad", "Yilmaz"))
    cw.consent.record(consented, "AA", "given", TODAY.isoformat())
    cw.consent.record(third, "KI", "given", TODAY.isoformat())
    for case_id in (consented, other, third):  # a record of KI in each: without consent AA sees the booking
        cw.chronicle.add_note(case_id, "Erstgespräch", TODAY.isoformat())
        cw.chronicle.set_flag(case_id, "dublin", TODAY.isoformat())  # a hint of the due list in each
    assert sync(a).ok and sync(b).ok
    bs = Session(b.path)
    bs.unlock(PASSPHRASE, "bodo")  # the employment agency: consent for one of the three
    try:
        counter = DueCount()

        def counted(at_most: int | None = None) -> int:
            n = bs.due_count(counter, TODAY)
            assert n == len(bs.due_items(TODAY)), "the kept count differs from the gated due list"
            assert counter.full_counts == 1, "counted everything again"
            if at_most is not None:
                assert counter.counted_households <= at_most
            return n

        first = counted()
        everything = len(CaseWork(Repository(b)).due_list(TODAY))  # the list without the consent check
        levels = bs.access.levels()
        assert levels[consented] == "full" and levels[other] == levels[third] == "own"
        assert 0 < first < everything  # the cases without consent for AA are not counted
        gated = bs.casework()
        gated.consent.record(other, "AA", "given", TODAY.isoformat())  # a consent recorded here: one more case
        more = counted(1)
        assert more > first
        own = _family_through(bs)  # the agency's own new case: shown in full, its items count
        assert counted(1) > more
        gated.chronicle.add_note(own, "Vorsprache", TODAY.isoformat())  # a save that changes nothing due
        assert counted(1) == counted(0)
        gated.consent.withdraw(other, "AA", TODAY.isoformat())  # withdrawn here: gone at once
        after_withdrawal = counted(1)
        assert after_withdrawal < more + 1
        assert other not in {i.case_id for i in bs.due_items(TODAY)}
        # a withdrawal on the other laptop arrives by sync
        CaseWork(repo).consent.withdraw(consented, "AA", TODAY.isoformat())
        assert sync(a).ok and sync(bs.store).ok
        assert bs.access.decide(consented).level == "own"
        assert counted() < after_withdrawal
        assert consented not in {i.case_id for i in bs.due_items(TODAY)}
    finally:
        bs.lock()
    anna = Session(b.path)  # another staff member on the same counter: everything is counted again
    anna.unlock(PASSPHRASE, "anna")
    try:
        n = anna.due_count(counter, TODAY)
        assert counter.full_counts == 2 and n == len(anna.due_items(TODAY))
    finally:
        anna.lock()


def _family_through(session: Session) -> str:
    res = session.save_household({"office": "AHL"}, [{"relation": "head", "family_name": "Berhe",
                                                      "given_names": "Saba", "birth_date": "1994-01-01",
                                                      "case": {"rechtskreis": "AsylbLG"}}])
    assert res.ok, res.errors
    return res.case_ids[0]
