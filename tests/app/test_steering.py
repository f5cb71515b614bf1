"""Steering figures against a hand-counted data set; small counts and the differences that would reveal them are
hidden; drill-down only for callers that may see cases."""

import datetime as dt

import pytest

from app.households import save_household
from app.steering import DrillDownRefused, Period, as_json, drill_down, figures
from app.suppression import HIDDEN, TOTAL, series, table

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def add(repo, office, n, *, nationality="SY", sex="m", birth="1990-01-01", rk="SGB II", opened=dt.date(2026, 3, 2)):
    for i in range(n):
        res = save_household(repo, {"office": office}, [{
            "relation": "head", "family_name": f"N{office}{nationality}{sex}" + "abcdefghijklmnop"[i], "given_names": "T", "birth_date": birth,
            "sex": sex, "nationality": nationality, "case": {"rechtskreis": rk}}], today=opened)
        assert res.ok, res.errors


@pytest.fixture
def county(repo):
    """Ahlen 12 (Syrian men), Oelde 7 (Iraqi women, 4 of them under 25), Beelen 1 Eritrean woman."""
    add(repo, "AHL", 12)
    add(repo, "OEL", 3, nationality="IQ", sex="f", rk="AsylbLG")
    add(repo, "OEL", 4, nationality="IQ", sex="f", birth="2005-06-01", rk="AsylbLG")
    add(repo, "BEE", 1, nationality="ER", sex="f")
    return repo


def test_hand_counted_figures_without_suppression(county):
    t = figures(county.conn, YEAR, suppress=False)["tables"]
    assert t["clients_by_office"].cell("AHL") == 12 and t["clients_by_office"].cell("OEL") == 7
    assert t["clients_by_office"].cell("BEE") == 1 and t["clients_by_office"].total() == 20
    assert t["clients_by_sex"].cell("f") == 8 and t["clients_by_rechtskreis"].cell("AsylbLG") == 7
    assert t["clients_by_age_group"].cell("18-24") == 4 and t["clients_by_age_group"].cell("35-49") == 16
    assert t["new_clients_by_month"].cell("2026-03") == 20 and t["new_clients_by_month"].cell("2026-04") == 0
    cross = figures(county.conn, YEAR, by=("office", "sex"), suppress=False)["tables"]["clients_by_office_sex"]
    assert cross.cell("OEL", "f") == 7 and cross.cell("BEE", "f") == 1 and cross.cell(TOTAL, "f") == 8


def test_the_eritrean_woman_in_beelen_is_hidden_and_cannot_be_worked_out(county):
    for by in ((), ("office",), ("office", "sex"), ("office", "country"), ("country", "sex"), ("office", "age_group")):
        for name, t in figures(county.conn, YEAR, by=by)["tables"].items():
            values = t.to_dict()
            assert 1 not in _all_values(values), (by, name)
            assert not _recoverable(t), (by, name)
    t = figures(county.conn, YEAR)["tables"]["clients_by_office"]
    assert t.cell("BEE") == HIDDEN and t.cell("OEL") == HIDDEN  # the second one so that 20 - 12 is no answer
    assert t.cell("AHL") == 12 and t.total() == 20


def test_secondary_suppression_in_a_table_with_margins():
    t = table({("a", "x"): 10, ("a", "y"): 2, ("b", "x"): 8, ("b", "y"): 9})
    assert t.cell("a", "y") == HIDDEN
    for line in ([("a", c) for c in ("x", "y", TOTAL)], [(r, "y") for r in ("a", "b", TOTAL)]):
        assert sum(1 for k in line if k in t.hidden) >= 2
    assert not _recoverable(t)
    s = series({"AHL": 30, "BEE": 0, "OEL": 7})  # nothing small: nothing hidden, zero shown
    assert s.hidden == set() and s.cell("BEE") == 0


def test_drill_down_only_for_roles_that_may_see_cases(county):
    with pytest.raises(DrillDownRefused):
        drill_down(county.conn, YEAR, "office", "BEE", may_see_cases=False)
    assert len(drill_down(county.conn, YEAR, "office", "BEE", may_see_cases=True)) == 1


def test_json_never_holds_a_small_number(county):
    doc = as_json(figures(county.conn, YEAR, by=("office", "country")))
    assert doc["suppressed"] is True and doc["tables"]["clients_by_office_country"]["cells"]


def _all_values(d):
    if isinstance(d, dict):
        for v in d.values():
            yield from _all_values(v)
    elif isinstance(d, list):
        for v in d:
            yield from _all_values(v)
    elif isinstance(d, int) and not isinstance(d, bool):
        yield d


def _recoverable(t) -> bool:
    """An attacker's bounds: every hidden entry lies in [0, inf) or [1, 4] (a primary one cannot be told from a
    secondary one, so [0, inf) for all); narrow them by every line (row or column with its total) until nothing
    changes. True if a hidden entry's bounds meet in one number, or in a number below 5."""
    keys = [(r, c) for r in t.rows + [TOTAL] for c in t.cols + [TOTAL]] if not t.one_dimensional else \
        [(r, "") for r in t.rows] + [(TOTAL, TOTAL)]
    lines = ([[(r, "") for r in t.rows] + [(TOTAL, TOTAL)]] if t.one_dimensional else
             [[(r, c) for c in t.cols + [TOTAL]] for r in t.rows + [TOTAL]]
             + [[(r, c) for r in t.rows + [TOTAL]] for c in t.cols + [TOTAL]])
    big = 10 ** 9
    lo = {k: 0 for k in keys if k in t.hidden}
    hi = {k: big for k in keys if k in t.hidden}
    for _round in range(20):
        for line in lines:
            *cells, total = line
            hidden = [k for k in cells if k in t.hidden]
            shown = sum(t.value(*k) for k in cells if k not in t.hidden)
            if total in t.hidden:
                lo[total] = max(lo[total], shown + sum(lo[k] for k in hidden))
                if all(hi[k] < big for k in hidden):
                    hi[total] = min(hi[total], shown + sum(hi[k] for k in hidden))
                continue
            rest = t.value(*total) - shown
            for k in hidden:
                others = [x for x in hidden if x != k]
                hi[k] = min(hi[k], rest - sum(lo[x] for x in others))
                if all(hi[x] < big for x in others):
                    lo[k] = max(lo[k], rest - sum(hi[x] for x in others))
    return any(lo[k] == hi[k] or (hi[k] < 5 and lo[k] > 0 and hi[k] - lo[k] < 1) for k in lo)


@pytest.mark.parametrize("end", [dt.date(2026, 12, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2026, 6, 30)])
def test_age_groups_counted_by_sqlite_equal_each_persons_age_on_the_last_day(repo, end):
    """The figures count age groups in SQL (one pass); the drill-down judges each person with app.checks: both
    agree on birthdays on the day, partial birth dates (the youngest possible age counts) and 29 February."""
    from collections import Counter

    from app.steering import age_group, clients

    births = ["2008-12-31", "2009-01-01", "2008-12", "2009", "2008", "2008-02-29", "2008-03-01", "2008-02", "2008-06",
              "2001-12-31", "2002-01-01", "2001-06-30", "2001-07-01", "1991-12", "1992", "1976-12-31", "1977-01-01",
              "1976", "1960-02-29", "2020-05-17"]
    for i, birth in enumerate(births):
        add(repo, "AHL", 1, birth=birth, nationality="SY" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i], opened=dt.date(2026, 1, 2))
    period = Period(dt.date(2026, 1, 1), end)
    counted = figures(repo.conn, period, suppress=False)["tables"]["clients_by_age_group"]
    each = Counter(r["age_group"] for r in clients(repo.conn, period))
    assert {g: counted.cell(g) for g in each} == dict(each) and counted.total() == len(births)
    assert each == Counter(age_group(b, end) for b in births)
    assert len(each) >= 4  # the edges fall into different groups
