"""Rules: every shipped rule before, at and after its boundary date; validity periods; loader errors; due list."""

import datetime as dt
import json

import pytest

from app.casework import CaseWork
from app.rules import RuleDefinitionError, RuleSet, evaluate_rule, in_due_list, load_rule_file
from tests.app.family_o import INTAKE, register_family

RULES = RuleSet.load()
DAY = dt.timedelta(days=1)


def test_shipped_rules_have_sources_and_examples():
    assert len(RULES.rules) >= 12
    for r in RULES.rules:
        assert r.legal_source and r.example, r.id


@pytest.mark.parametrize("rule", [r for r in RULES.rules if r.anchor], ids=lambda r: r.id)
def test_each_dated_rule_before_at_and_after_its_boundary(rule):
    facts, due = rule.example["facts"], dt.date.fromisoformat(rule.example["due"])
    window_start = due - dt.timedelta(days=rule.remind_days)
    before = evaluate_rule(rule, facts, window_start - DAY, RULES)
    at = evaluate_rule(rule, facts, due, RULES)
    after = evaluate_rule(rule, facts, due + DAY, RULES)
    assert at is not None and at.due == due
    assert before is not None and before.state == "upcoming" and not in_due_list(before, window_start - DAY)
    assert evaluate_rule(rule, facts, window_start, RULES).state in ("due_soon", "reached")
    if rule.kind == "deadline":
        assert at.state == "due_soon" and after.state == "overdue"
    else:
        assert at.state == "reached" and after.state == "reached"
    assert in_due_list(at, due) and in_due_list(after, due + DAY)
    if rule.expire_days is not None:
        assert evaluate_rule(rule, facts, due + dt.timedelta(days=rule.expire_days), RULES) is not None
        assert evaluate_rule(rule, facts, due + dt.timedelta(days=rule.expire_days + 1), RULES) is None
    # without its anchor date the rule says nothing
    assert evaluate_rule(rule, {k: v for k, v in facts.items() if k != rule.anchor}, due, RULES) is None


@pytest.mark.parametrize("rule", [r for r in RULES.rules if not r.anchor], ids=lambda r: r.id)
def test_each_dateless_hint(rule):
    h = evaluate_rule(rule, rule.example["facts"], dt.date(2017, 9, 12), RULES)
    assert h is not None and h.state == "info" and h.due is None and in_due_list(h, dt.date(2017, 9, 12))
    assert evaluate_rule(rule, {}, dt.date(2017, 9, 12), RULES) is None


def rule(rid):
    return next(r for r in RULES.rules if r.id == rid)


@pytest.mark.parametrize("entry, applies_15, applies_18", [
    ("2018-05-20", True, True),    # 15 months end 20.08.2019: old law still in force on the due date
    ("2018-05-21", False, True),   # 15 months end 21.08.2019: the 18-month rule applies
    ("2016-06-10", True, False),   # family O.: 15 months end 10.09.2017
])
def test_asylblg_waiting_period_follows_the_law_in_force_on_the_due_date(entry, applies_15, applies_18):
    facts = {"rechtskreis": "AsylbLG", "entry_date": entry}
    today = dt.date(2019, 8, 1)
    assert (evaluate_rule(rule("asylblg_waiting_15m"), facts, today, RULES) is not None) == applies_15
    # the 18-month rule only from 21.08.2019 on (its due date must fall into its validity)
    h18 = evaluate_rule(rule("asylblg_waiting_18m"), facts, today, RULES)
    assert (h18 is not None) == applies_18


def test_36_month_rule_from_27_february_2024():
    r = rule("asylblg_waiting_36m")
    assert evaluate_rule(r, {"rechtskreis": "AsylbLG", "entry_date": "2021-02-26"}, dt.date(2024, 1, 1), RULES) is None
    assert evaluate_rule(r, {"rechtskreis": "AsylbLG", "entry_date": "2021-02-27"}, dt.date(2024, 1, 1), RULES).due == \
        dt.date(2024, 2, 27)


def test_dated_list_of_high_prospect_countries():
    r = rule("integration_course_obligation")
    facts = {"country_of_origin": "iraq", "case_opened": "2017-06-26"}
    assert evaluate_rule(r, facts, dt.date(2017, 7, 1), RULES) is not None
    assert evaluate_rule(r, {**facts, "country_of_origin": "afghanistan"}, dt.date(2017, 7, 1), RULES) is None
    assert evaluate_rule(r, {**facts, "measure_integrationskurs_status": "registered"}, dt.date(2017, 7, 1), RULES) is None
    assert evaluate_rule(r, facts, dt.date(2015, 10, 23), RULES) is None  # before the rule was valid


def test_partial_entry_date_counts_from_its_first_day():
    h = evaluate_rule(rule("asylblg_waiting_15m"), {"rechtskreis": "AsylbLG", "entry_date": "2016-06"},
                      dt.date(2017, 9, 1), RULES)
    assert h.due == dt.date(2017, 9, 1)


def test_replacing_the_rule_set_needs_no_code(repo, tmp_path):
    (tmp_path / "local.json").write_text(json.dumps({
        "format": "sprechstunde-rules", "rules": [
            {"id": "call_back", "kind": "deadline", "title": "Call back", "hint": "Call the client by {due}.",
             "legal_source": "Dienstanweisung 1/2017", "anchor": "case_opened", "offset": {"days": 3}}]}), "utf-8")
    res = register_family(repo)
    cw = CaseWork(repo, rules=RuleSet.load(tmp_path))
    hints = cw.hints(res.case_ids[0], dt.date(2017, 6, 28))
    assert [(h.rule_id, h.due, h.state) for h in hints] == [("call_back", dt.date(2017, 6, 29), "due_soon")]


@pytest.mark.parametrize("change, path, reason", [
    (lambda r: r.update(kind="reminder"), "rules[0].kind", "must be one of"),
    (lambda r: r.pop("anchor"), "rules[0].anchor", "needs an anchor"),
    (lambda r: r.update(valid_from="01.01.2017"), "rules[0].valid_from", "YYYY-MM-DD"),
    (lambda r: r.update(when=[{"fact": "x", "in_list": "nope"}]), "rules[0].when[0].in_list", "unknown list"),
    (lambda r: r.update(when=[{"fact": "x", "equals": 1, "in": [1]}]), "rules[0].when[0]", "exactly one"),
    (lambda r: r.update(offset={"month": 3}), "rules[0].offset.month", "unknown property"),
])
def test_malformed_rule_file_is_rejected_precisely(tmp_path, change, path, reason):
    r = {"id": "x", "kind": "deadline", "title": "T", "hint": "H {due}", "legal_source": "S",
         "anchor": "case_opened", "offset": {"days": 1}}
    change(r)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps({"format": "sprechstunde-rules", "rules": [r]}, indent=1), "utf-8")
    with pytest.raises(RuleDefinitionError) as err:
        load_rule_file(p)
    assert err.value.path == path and reason in err.value.reason and err.value.line > 1


def test_due_list_across_cases_with_office_filter(repo):
    res = register_family(repo)
    cw = CaseWork(repo)
    karim, layla = res.case_ids
    cw.save_intake(karim, INTAKE, date="2017-06-26")
    cw.consent.record(karim, "AA", "given", "2017-06-26")
    items = cw.due_list(dt.date(2017, 9, 1))
    by_case = {}
    for i in items:
        by_case.setdefault(i.case_id, set()).add(i.hint.rule_id)
    assert "asylblg_waiting_15m" in by_case[karim] and "consent_missing" not in by_case[karim]
    assert "consent_missing" in by_case[layla]
    assert [i.hint.due for i in items if i.hint.due] == sorted(i.hint.due for i in items if i.hint.due)
    assert cw.due_list(dt.date(2017, 9, 1), office="WAF") == []
    repo.save("case", {"status": "closed"}, layla)
    assert all(i.case_id == karim for i in cw.due_list(dt.date(2017, 9, 1)))


@pytest.mark.parametrize("read", ["by_id", "scan"])
def test_bulk_facts_equal_the_facts_of_one_case(repo, read, monkeypatch):
    from app import casefacts

    if read == "scan":  # many cases are read by one scan of each table instead of by id
        monkeypatch.setattr(casefacts, "_FEW", 0)
    res = register_family(repo)
    cw = CaseWork(repo)
    karim, layla = res.case_ids
    cw.save_intake(karim, INTAKE, date="2017-06-26")
    cw.save_intake(karim, {**INTAKE, "residence_status": "erlaubnis", "permit_paragraph": "§ 25 Abs. 2 AufenthG",
                           "decision_date": "2017-03-31"}, date="2017-07-01")  # a later intake wins
    cw.consent.record(karim, "AA", "given", "2017-06-26")
    cw.consent.withdraw(karim, "AA", "2017-06-26")  # same day, recorded later: withdrawn
    cw.consent.record(karim, "JC", "given", "2017-06-26")
    mid = cw.measures.add(karim, "integrationskurs", status="registered", date="2017-07-06")
    cw.measures.set_status(mid, "cancelled", "2017-07-10")
    cw.measures.add(karim, "fim", status="started", date="2017-07-15")
    cw.chronicle.set_flag(karim, "dublin", "2017-09-12")
    cw.chronicle.set_flag(layla, "vulnerable", "2017-09-12")
    cw.chronicle.clear_flag(layla, "vulnerable", "2017-09-13")
    cw.chronicle.set_flag(layla, "dublin", "2017-09-14")
    cw.chronicle.clear_flag(layla, "dublin", "2017-09-14")  # same day, recorded later: cleared
    cw.chronicle.set_flag(layla, "vulnerable", "2017-09-14")
    first = cw.measures.add(layla, "fim", status="registered", date="2017-07-15")
    cw.measures.add(layla, "fim", status="waiting", date="2017-07-15")  # same day, recorded later: wins
    # ... unless the first one's catalogue entry was recorded again after it (its stamp is then newer):
    # ties on the date go by stamps, not by the order of the rows in the table
    repo.save("measure", {"catalogue_id": "integrationskurs"}, first)
    repo.save("measure", {"catalogue_id": "fim"}, first)
    given = next(c["id"] for c in repo.find("consent", case_id=karim) if c["agency"] == "JC")
    cw.consent.withdraw(karim, "JC", "2017-06-26")
    repo.save("consent", {"state": "withdrawn"}, given)
    repo.save("consent", {"state": "given"}, given)  # stamped after the withdrawal of the same day
    every = casefacts.gather(repo.conn)
    assert every[karim] == cw.facts(karim) and every[layla] == cw.facts(layla)
    f = every[karim]
    assert f["residence_status"] == "erlaubnis" and "consent_AA" not in f and f["consent_JC"] == "2017-06-26"
    assert "measure_integrationskurs_status" not in f and f["measure_fim_status"] == "started"
    assert f["flags"] == ["dublin"] and every[layla]["flags"] == ["vulnerable"]
    assert every[layla]["measure_fim_status"] == "registered"
    open_facts, labels = casefacts.due_facts(repo.conn)  # the due list's: open cases with their labels
    assert open_facts == every and set(labels) == set(every)
    assert casefacts.due_facts(repo.conn, households={res.household_id})[0] == every
    assert casefacts.due_facts(repo.conn, households={"elsewhere"}) == ({}, {})
    repo.save("case", {"status": "closed"}, layla)
    assert set(casefacts.due_facts(repo.conn)[0]) == {karim}


def test_a_case_gets_the_same_hints_as_rule_by_rule():
    """The evaluation passes over rules a case cannot satisfy (a missing fact, another Rechtskreis); that is
    only sooner: for every shipped example, and variations of it, the hints equal those of each rule alone."""
    variants = []
    for r in RULES.rules:
        facts = dict(r.example["facts"])
        variants += [facts, {**facts, "rechtskreis": "SGB II"}, {**facts, "status": "closed"},
                     {**facts, "residence_status": ["gestattung"]},  # a list where a code belongs
                     {k: None for k in facts}, {}]
    for facts in variants:
        for day in (dt.date(2016, 1, 1), dt.date(2017, 9, 12), dt.date(2026, 3, 1)):
            alone = sorted((h for r in RULES.rules if (h := evaluate_rule(r, facts, day, RULES)) is not None),
                           key=lambda h: (h.due or dt.date.max, h.rule_id))
            assert RULES.evaluate(facts, day) == alone, (facts, day)
            listed = RULES.on(day, due_list_only=True).hints(facts)
            assert listed == [h for h in alone if in_due_list(h, day)], (facts, day)
