"""Retention rules as dated data: which version holds on a day, what is due, the anonymous remainder."""

import datetime as dt
import json

import pytest

from app import retention
from app.repository import Repository


def _case(repo, status, opened, closed=None, number="AHL-20-0001", appointment=None, event=None):
    with repo.transaction():
        h = repo.save("household", {"office": "AHL", "address": "Kampstraße 3, 59227 Ahlen"})
        p = repo.save("person", {"household_id": h, "family_name": "Rahimi", "given_names": "Laila",
                                 "birth_date": "1990-07-14", "sex": "f", "nationality": "AFG"})
        c = repo.save("case", {"household_id": h, "person_id": p, "case_number": number, "office": "AHL",
                               "status": status, "opened": opened, "closed": closed, "rechtskreis": "SGB II"})
        if event:
            repo.save("event", {"household_id": h, "case_id": c, "date": event, "kind": "note", "text": "x"})
        a = None
        if appointment:
            repo.typed = False  # an appointment in the past, as a store holds it later
            a = repo.save("appointment", {"household_id": h, "case_id": c, "starts_at": appointment,
                                          "office": "AHL", "outcome": "kept"})
            repo.typed = True
    return c, a


def test_shipped_rules_load_with_legal_sources():
    rules = retention.load_rules()
    assert {r.id for r in rules} == {"case_closed", "case_no_contact", "appointment_past"}
    assert all("DSGVO" in r.legal_source or "SGB X" in r.legal_source for r in rules)


def test_a_closed_case_is_due_three_years_after_closing(store):
    repo = Repository(store)
    cid, _a = _case(repo, "closed", "2021-03-01", closed="2022-06-30")
    assert retention.due(store.conn, dt.date(2025, 6, 29)) == []
    [d] = retention.due(store.conn, dt.date(2025, 6, 30))
    assert (d.rule.id, d.case_id, d.due, d.rule.action) == ("case_closed", cid, dt.date(2025, 6, 30), "anonymise")


def test_an_open_case_is_due_three_years_after_the_last_contact(store):
    repo = Repository(store)
    cid, _a = _case(repo, "dormant", "2020-01-10", event="2022-02-01")
    assert retention.due(store.conn, dt.date(2025, 1, 31)) == []
    [d] = retention.due(store.conn, dt.date(2025, 2, 1))
    assert d.rule.id == "case_no_contact" and d.start == dt.date(2022, 2, 1)


def test_a_past_appointment_of_a_running_case_is_due_after_a_year(store):
    repo = Repository(store)
    cid, appt = _case(repo, "active", "2025-01-10", event="2026-11-01", appointment="2025-02-03T10:00")
    [d] = retention.due(store.conn, dt.date(2026, 2, 3))
    assert (d.record, d.entity_id, d.case_id, d.rule.action) == ("appointment", appt, cid, "delete")


def test_the_version_in_force_on_the_day_is_used(tmp_path):
    doc = json.loads(retention.RULES_PATH.read_text("utf-8"))
    newer = dict(doc["rules"][0], valid_from="2027-01-01", period={"years": 5})
    doc["rules"].append(newer)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc), "utf-8")
    rules = retention.load_rules(path)
    assert [r.period for r in retention.rules_on(rules, dt.date(2026, 12, 31)) if r.id == "case_closed"] == [{"years": 3}]
    assert [r.period for r in retention.rules_on(rules, dt.date(2027, 1, 1)) if r.id == "case_closed"] == [{"years": 5}]


def test_a_broken_rule_is_named(tmp_path):
    doc = json.loads(retention.RULES_PATH.read_text("utf-8"))
    doc["rules"][1]["start"] = "birthday"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(retention.RetentionError, match="case_no_contact"):
        retention.load_rules(path)


def test_the_remainder_keeps_only_coarse_facts(store):
    repo = Repository(store)
    cid, _a = _case(repo, "closed", "2021-03-01", closed="2022-06-30")
    rest = retention.remainder(store.conn, cid, "retention", dt.date(2026, 12, 2))
    assert rest == {"office": "AHL", "sex": "f", "birth_month": "1990-07", "nationality": "AFG",
                    "postcode_prefix": "592", "rechtskreis": "SGB II", "status": "closed",
                    "opened_month": "2021-03", "closed_month": "2022-06", "basis": "retention",
                    "deleted_month": "2026-12"}
    assert retention.postcode_prefix("Weg 1, Ahlen") is None
