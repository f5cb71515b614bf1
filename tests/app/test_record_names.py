"""Records are named the way staff recognise them (conflict review), never by their id."""

from app.labels import record_name
from tests.app.family_o import register_family


def test_records_are_named_by_family_name_person_name_and_case_number(repo):
    res = register_family(repo)
    hid, karim, layla = res.household_id, res.person_ids[0], res.person_ids[1]
    case = repo.get("case", res.case_ids[0])
    number = case["case_number"]
    assert record_name(repo, "household", hid) == "Haushalt O., Ahlen"
    assert record_name(repo, "person", layla) == "Person Layla O."
    assert record_name(repo, "case", case["id"]) == f"Fall {number} (Karim O.)"

    measure = repo.save("measure", {"household_id": hid, "case_id": case["id"], "status": "proposed"})
    assert record_name(repo, "measure", measure) == f"Maßnahme · Fall {number} (Karim O.)"
    response = repo.save("form_response", {"household_id": hid, "case_id": case["id"], "form_id": "intake"})
    answer = repo.save("answer", {"household_id": hid, "response_id": response, "key": "x", "value": 1})
    assert record_name(repo, "answer", answer) == f"Antwort · Fall {number} (Karim O.)"

    share = repo.save("share", {"household_id": hid, "office": "BEC"})
    assert record_name(repo, "share", share).endswith("· Haushalt O., Ahlen")
    assert karim not in " ".join(record_name(repo, e, i) for e, i in
                                 (("household", hid), ("person", karim), ("case", case["id"]))) and \
        hid[:8] not in record_name(repo, "household", hid)


def test_a_record_not_on_this_laptop_falls_back_to_kind_and_short_id(repo):
    assert record_name(repo, "household", "0123456789abcdef") == "Haushalt 01234567"
    assert record_name(repo, "measure", "fedcba9876543210") == "Maßnahme fedcba98"


def test_names_in_original_script_and_the_household_without_office(repo):
    hid = repo.save("household", {})
    pid = repo.save("person", {"household_id": hid, "family_name_orig": "حداد", "given_names_orig": "سارة"})
    repo.save("person", {"household_id": hid, "relation": "head", "family_name": "Haddad"})
    assert record_name(repo, "person", pid) == "Person سارة حداد"
    assert record_name(repo, "household", hid) == "Haushalt Haddad/حداد"  # the head's name first
