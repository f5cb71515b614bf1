"""A merge a person reviews (issue 16, item 4): both records field by field, the reviewer's
choices, other spellings kept as aliases, one entry per language, the case following its
person into the kept household, the rest of the family offered, and the un-merge."""

import pytest

from app.caselist import CaseIndex, load_rows
from app.duplicates import MergeRefused, household_pairs, merge_persons, merge_preview
from app.merge_preview import AWAY, KEEP, merge_languages
from app.unmerge import unmerge_person


def _household(repo, office, *members):
    """members: (person values, case values or None); returns (household id, person ids, case ids)."""
    hid = repo.save("household", {"office": office, "address": f"Weg 1, {office}"})
    pids, cids = [], []
    for person, case in members:
        pid = repo.save("person", {"household_id": hid, **person})
        pids.append(pid)
        if case is not None:
            cids.append(repo.save("case", {"household_id": hid, "person_id": pid, "office": office,
                                           "status": "active", **case}))
    return hid, pids, cids


OLHA = {"family_name": "Schewtschenko", "given_names": "Olha", "family_name_orig": "Шевченко",
        "given_names_orig": "Ольга", "birth_date": "1980-03-07", "sex": "f", "relation": "head",
        "phone": "0151 1111111", "languages": [{"code": "uk", "level": "native"}, {"code": "de", "level": "A2"}]}
OLGA = {"family_name": "Shevchenko", "given_names": "Olga", "birth_date": "1980-03-07", "sex": "f",
        "relation": "head", "phone": "0171 2222222", "email": "olga@example.org", "nationality": "UA",
        "languages": [{"code": "de", "level": "B1"}, {"code": "ru", "level": "C1"}, {"code": "uk", "level": "C2"}]}


@pytest.fixture
def family(repo):
    """Olha and her son in Ahlen; the same two registered in Oelde, with a daughter there."""
    h1, (p1, son1), (c1,) = _household(
        repo, "AHL", (OLHA, {"rechtskreis": "SGB II"}),
        ({"family_name": "Schewtschenko", "given_names": "Taras", "birth_date": "2012-05-02", "sex": "m",
          "relation": "child"}, None))
    h2, (p2, son2, daughter2), (c2,) = _household(
        repo, "OEL", (OLGA, {"rechtskreis": "SGB III", "case_number": "OEL-26-0007"}),
        ({"family_name": "Shevchenko", "given_names": "Taras", "birth_date": "2012-05-02", "sex": "m",
          "relation": "child"}, None),
        ({"family_name": "Shevchenko", "given_names": "Iryna", "birth_date": "2015-09-30", "sex": "f",
          "relation": "child"}, None))
    ev = repo.save("event", {"household_id": h2, "case_id": c2, "kind": "note", "text": "Sprachkurs angefragt"})
    resp = repo.save("form_response", {"household_id": h2, "case_id": c2, "form_id": "intake"})
    ans = repo.save("answer", {"household_id": h2, "response_id": resp, "key": "goal", "value": "Arbeit"})
    return dict(h1=h1, h2=h2, keep=p1, away=p2, son1=son1, son2=son2, daughter2=daughter2, c1=c1, c2=c2,
                event=ev, response=resp, answer=ans)


def test_the_preview_lists_what_differs_and_what_the_merge_makes(repo, family):
    p = merge_preview(repo, family["keep"], family["away"])
    assert {r.field for r in p.differing} == {
        "family_name", "given_names", "family_name_orig", "given_names_orig", "phone", "email", "nationality",
        "languages", "aliases"}
    assert {r.field for r in p.rows if r.choosable} == {"family_name", "given_names", "phone"}  # both have one
    assert p.choices == {"family_name": KEEP, "given_names": KEEP, "phone": KEEP}
    assert p.row("email").result == "olga@example.org" and not p.row("email").choosable  # only one has it: filled
    assert p.row("birth_date").differs is False
    assert "phone" not in p.changes and p.changes["email"] == "olga@example.org"
    assert p.row("aliases").result == [{"family_name": "Shevchenko", "given_names": "Olga"}]
    # the case moves into the kept household; the household stays (a son and a daughter live there)
    assert [(c.id, c.side, c.moves_household) for c in p.cases] == [
        (family["c1"], KEEP, False), (family["c2"], AWAY, True)]
    assert not p.household_follows and {m["given_names"] for m in p.away_household.members} == {"Taras", "Iryna"}
    # nothing is written by a preview
    assert repo.get("person", family["away"])["merged_into"] is None
    assert repo.get("person", family["keep"])["email"] is None


def test_choices_reach_the_merged_person(repo, family):
    p = merge_preview(repo, family["keep"], family["away"], {"phone": AWAY, "given_names": AWAY})
    assert p.result["phone"] == "0171 2222222" and p.result["given_names"] == "Olga"
    merge_persons(repo, family["keep"], family["away"], choices={"phone": AWAY, "given_names": AWAY})
    kept = repo.get("person", family["keep"])
    assert kept["phone"] == "0171 2222222" and kept["given_names"] == "Olga"
    assert kept["family_name"] == "Schewtschenko" and kept["email"] == "olga@example.org"
    assert kept["nationality"] == "UA" and kept["given_names_orig"] == "Ольга"
    # both spellings the merged names do not cover stay as aliases
    assert kept["aliases"] == [{"family_name": "Schewtschenko", "given_names": "Olha", "family_name_orig": "Шевченко",
                                "given_names_orig": "Ольга"},
                               {"family_name": "Shevchenko", "given_names": "Olga"}]
    assert preview_changes_written(repo, p, kept)


def preview_changes_written(repo, preview, kept) -> bool:
    """What the reviewer saw is what was saved: every change of the preview is on the kept record."""
    return all(kept[f] == v for f, v in preview.changes.items())


def test_a_choice_that_is_not_a_field_refuses_the_merge_whole(repo, family):
    for choices in ({"merged_into": AWAY}, {"household_id": AWAY}, {"phone": "both"}):
        with pytest.raises(MergeRefused):
            merge_persons(repo, family["keep"], family["away"], choices=choices)
    assert repo.get("person", family["away"])["merged_into"] is None
    assert repo.get("person", family["keep"])["email"] is None
    assert repo.get("case", family["c2"])["person_id"] == family["away"]


def test_one_entry_per_language_with_the_higher_level(repo, family):
    assert merge_languages([{"code": "ar", "level": "native"}, {"code": "de", "level": "B1"}],
                           [{"code": "de", "level": "A2"}, {"code": "en", "level": "A1"}, {"code": "ar", "level": "C1"}]) \
        == [{"code": "ar", "level": "native"}, {"code": "de", "level": "B1"}, {"code": "en", "level": "A1"}]
    merge_persons(repo, family["keep"], family["away"])
    langs = repo.get("person", family["keep"])["languages"]
    assert langs == [{"code": "uk", "level": "native"}, {"code": "de", "level": "B1"}, {"code": "ru", "level": "C1"}]
    assert len({x["code"] for x in langs}) == len(langs)


def test_other_spellings_are_found_by_the_case_list_search(repo, family):
    def found(query):
        rows = load_rows(repo.conn)
        return {rows[i].person_id for i in CaseIndex(rows).match(query)}

    assert family["keep"] not in found("Olga Shevchenko")
    merge_persons(repo, family["keep"], family["away"])
    assert family["keep"] in found("Olga Shevchenko")  # the merged-away spelling, now an alias
    assert family["keep"] in found("Olha Schewtschenko") and family["keep"] in found("Ольга")
    unmerge_person(repo, family["away"])
    assert family["keep"] not in found("Olga Shevchenko") and family["away"] in found("Olga Shevchenko")


def test_the_case_follows_its_person_into_the_kept_household(repo, family):
    moved = merge_persons(repo, family["keep"], family["away"])
    assert moved["cases"] == 1 and moved["household_records"] == 4  # case, event, questionnaire, answer
    case = repo.get("case", family["c2"])
    assert case["person_id"] == family["keep"] and case["household_id"] == family["h1"]
    for entity in ("event", "response", "answer"):
        row = repo.get({"response": "form_response"}.get(entity, entity), family[entity])
        assert row["household_id"] == family["h1"], entity
    # the children stay where they are; the household stays (it has members)
    assert repo.get("person", family["son2"])["household_id"] == family["h2"]
    assert repo.get("household", family["h2"])["merged_into"] is None
    # the case list shows both cases at the kept person, in the kept household
    rows = [r for r in load_rows(repo.conn, members=False) if r.person_id == family["keep"]]
    assert sorted((r.rechtskreis, r.household_id) for r in rows) == [("SGB II", family["h1"]),
                                                                    ("SGB III", family["h1"])]


def test_the_other_members_are_offered_and_the_household_follows_the_last(repo, family):
    assert household_pairs(repo, family["keep"], family["away"])[0].person_id == family["son1"]
    merge_persons(repo, family["keep"], family["away"])
    offered = household_pairs(repo, family["keep"], family["away"])
    assert [(c.person_id, c.other_id) for c in offered] == [(family["son1"], family["son2"])]  # not Iryna
    merge_persons(repo, family["son1"], family["son2"])
    assert household_pairs(repo, family["keep"], family["away"]) == []
    assert repo.get("household", family["h2"])["merged_into"] is None  # Iryna still lives there
    # Iryna has no double: moving her is a household edit, not a merge


def test_unmerge_restores_both_records_their_cases_and_households(repo, family):
    before = {e: repo.get(e, i) for e, i in (("person", family["keep"]), ("person", family["away"]),
                                             ("case", family["c2"]), ("event", family["event"]),
                                             ("answer", family["answer"]))}
    merge_persons(repo, family["keep"], family["away"], choices={"phone": AWAY})
    back = unmerge_person(repo, family["away"])
    assert back["cases"] == 1 and back["household_records"] == 4
    after = {e: repo.get(e, i) for e, i in (("person", family["keep"]), ("person", family["away"]),
                                            ("case", family["c2"]), ("event", family["event"]),
                                            ("answer", family["answer"]))}
    assert after == before  # chosen phone, filled e-mail, aliases, languages: all as they were


@pytest.mark.parametrize("newest_first", [True, False])
def test_a_family_merged_member_by_member_is_taken_back_one_by_one(repo, newest_first):
    h1, (a1, b1), _ = _household(
        repo, "AHL", ({"family_name": "Alazzawi", "given_names": "Omar", "birth_date": "1988-04-02"},
                      {"rechtskreis": "AsylbLG"}),
        ({"family_name": "Alazzawi", "given_names": "Huda", "birth_date": "1990-06-11"}, None))
    h2, (a2, b2), (c2, c3) = _household(
        repo, "WAF", ({"family_name": "Al-Azawi", "given_names": "Omar", "birth_date": "1988-04-02",
                       "phone": "+49 2581 1"}, {"rechtskreis": "SGB II"}),
        ({"family_name": "Al-Azawi", "given_names": "Huda", "birth_date": "1990-06-11", "phone": "+49 2581 2"},
         {"rechtskreis": "SGB II"}))
    ev2 = repo.save("event", {"household_id": h2, "case_id": c2, "kind": "note", "text": "Omar"})
    merge_persons(repo, a1, a2)
    merge_persons(repo, b1, b2)  # the last member: the household follows
    assert repo.get("household", h2)["merged_into"] == h1
    assert {repo.get("case", c)["household_id"] for c in (c2, c3)} == {h1}
    if newest_first:
        unmerge_person(repo, b2)  # Huda's merge only: Omar's stays
        assert repo.get("household", h2)["merged_into"] is None
        assert repo.get("case", c3)["household_id"] == h2 and repo.get("case", c3)["person_id"] == b2
        assert repo.get("case", c2)["household_id"] == h1 and repo.get("person", a2)["merged_into"] == a1
        assert repo.get("person", a1)["phone"] == "+49 2581 1"  # Omar's merge keeps what it filled
        assert repo.get("person", b1)["phone"] is None
        unmerge_person(repo, a2)
    else:
        unmerge_person(repo, a2)  # Omar's household is merged into Ahlen meanwhile: he stays there for now
        assert repo.get("person", a2)["merged_into"] is None and repo.get("person", b2)["merged_into"] == b1
        assert repo.get("case", c2)["person_id"] == a2
        assert repo.get("case", c2)["household_id"] == repo.get("person", a2)["household_id"] == h1
        assert repo.get("person", b1)["phone"] == "+49 2581 2" and repo.get("person", a1)["phone"] is None
        unmerge_person(repo, b2)  # Omar goes home with the household, and his case with him
    for pid in (a2, b2):
        assert repo.get("person", pid)["household_id"] == h2 and repo.get("person", pid)["merged_into"] is None
    for cid, pid in ((c2, a2), (c3, b2)):
        assert (repo.get("case", cid)["household_id"], repo.get("case", cid)["person_id"]) == (h2, pid)
    assert repo.get("event", ev2)["household_id"] == h2
    assert repo.get("household", h2)["merged_into"] is None
    assert repo.get("person", a1)["phone"] is None and repo.get("person", b1)["phone"] is None


def test_the_art15_export_names_the_other_spellings(repo, family):
    """Aliases are data about the person: the Art. 15 copy shows them, in both columns."""
    import io

    from pypdf import PdfReader

    from app.documents import render

    merge_persons(repo, family["keep"], family["away"])
    pdf = render(repo, "export", "OEL-26-0007", "uk")  # her Oelde case, now with the kept person
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Andere Schreibweisen des Namens" in text and "Інші написання імені" in text
    assert "Olga Shevchenko" in text
