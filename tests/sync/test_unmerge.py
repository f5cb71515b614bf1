"""Un-merge: a wrong merge of two persons is taken back on one laptop and the other gets it by sync.

Both persons and their cases come back (the merged-away person's household too, when the
merge had emptied it), the history keeps merge and un-merge; the last edit of a record
can be taken back from the values the change log kept."""

import pytest

from app.households import save_household
from app.repository import Repository
from app.session import Session
from app.unmerge import UndoRefused, last_edit, undo_last_edit, unmerge_person
from tests.sync.helpers import domain_state
from tests.sync.hubkit import sync


def _two_households(repo):
    a = save_household(repo, {"office": "AHL", "address": "Weg 1"},
                       [{"relation": "head", "family_name": "Alazzawi", "given_names": "Omar", "birth_date": "1988",
                         "case": {"rechtskreis": "AsylbLG"}},
                        {"relation": "spouse", "family_name": "Alazzawi", "given_names": "Huda", "birth_date": "1990"}])
    b = save_household(repo, {"office": "AHL", "address": "Weg 9"},
                       [{"relation": "head", "family_name": "Alazawi", "given_names": "Omar", "birth_date": "1988-01-01",
                         "phone": "+49 2382 1234", "case": {"rechtskreis": "SGB II"}}])
    return a, b


def _persons(store):
    return {r[0]: r[1:] for r in store.conn.execute(
        "SELECT id, household_id, merged_into, phone FROM person ORDER BY id")}


def _cases(store):
    return dict(store.conn.execute("SELECT id, person_id FROM \"case\""))


def test_unmerge_restores_both_persons_and_their_cases_on_two_replicas(hub, laptops):
    from app.duplicates import merge_persons

    a, b = laptops("AHL"), laptops("AHL")
    ra = Repository(a)
    first, second = _two_households(ra)
    keep, away = first.person_ids[0], second.person_ids[0]
    sync(a), sync(b)
    before_persons, before_cases = _persons(a), _cases(a)
    households_before = dict(a.conn.execute("SELECT id, merged_into FROM household"))

    moved = merge_persons(ra, keep, away)  # the wrong merge, on laptop A
    assert moved["cases"] == 1 and moved["fields"] >= 1 and moved["household_records"] > 0
    sync(a), sync(b)
    assert _cases(b)[second.case_ids[0]] == keep and _persons(b)[away][1] == keep

    back = unmerge_person(Repository(b), away)  # laptop B takes it back
    assert back["cases"] == 1 and back["household_records"] == moved["household_records"]
    sync(b), sync(a)
    for store in (a, b):
        assert _persons(store) == before_persons  # the survivor's filled phone is gone again
        assert _cases(store) == before_cases
        assert dict(store.conn.execute("SELECT id, merged_into FROM household")) == households_before
    assert domain_state(a) == domain_state(b)
    # the history keeps the merge and its undoing
    values = [r[0] for r in a.conn.execute(
        "SELECT value FROM changes WHERE entity_id = ? AND field = 'merged_into' ORDER BY hlc", (away,))]
    assert values == [f'"{keep}"', "null"]
    with pytest.raises(UndoRefused):
        unmerge_person(Repository(a), away)


def test_unmerge_keeps_what_was_edited_after_the_merge(store):
    from app.duplicates import merge_persons

    repo = Repository(store)
    first, second = _two_households(repo)
    keep, away = first.person_ids[0], second.person_ids[0]
    merge_persons(repo, keep, away)
    repo.save("person", {"phone": "+49 171 99"}, keep)  # a later edit of a filled field stays
    unmerge_person(repo, away)
    assert repo.get("person", keep)["phone"] == "+49 171 99"
    assert repo.get("person", away)["merged_into"] is None


def test_the_last_edit_is_taken_back_from_the_history(store):
    session = Session(store.path)
    session.attach(store)
    res = save_household(session._repo, {"office": "BEC", "address": "Markt 1"},
                         [{"relation": "head", "family_name": "Rahimi", "given_names": "Zahra"}])
    pid = res.person_ids[0]
    with pytest.raises(UndoRefused):  # the only entry created the record
        session.undo.undo_last_edit("person", pid)
    session._repo.save("person", {"family_name": "Rahimi-Nazari", "phone": "+49 2521 1"}, pid)
    edit = last_edit(session._repo, "person", pid)
    assert edit.fields == {"family_name": ("Rahimi", "Rahimi-Nazari"), "phone": (None, "+49 2521 1")}
    session.undo.undo_last_edit("person", pid)
    p = session._repo.get("person", pid)
    assert p["family_name"] == "Rahimi" and p["phone"] is None
    # the undo is itself an edit: taking it back restores the edit
    undo_last_edit(session._repo, "person", pid)
    assert session._repo.get("person", pid)["family_name"] == "Rahimi-Nazari"
