"""The statistics page on a hand-counted store: the tables and charts of a chosen period, "< 5" for small counts
(and for the count that would reveal them), the raw counts only for the data-protection officer, exports that
equal the figures, and drill-down to the cases only for roles that may see them."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
from PySide6.QtCore import Qt

from app.households import save_household
from app.session import Session
from app.steering import Period
from app.steering_export import labelled_rows, to_csv
from tests.conftest import PASSPHRASE
from ui.statistics_page import StatisticsPage, preset_period

TODAY = dt.date(2026, 12, 15)


def add(repo, office, n, *, nationality="SY", sex="m", opened=dt.date(2026, 3, 2)):
    for i in range(n):
        res = save_household(repo, {"office": office}, [{
            "relation": "head", "family_name": f"N{office}{nationality}{sex}" + "abcdefghijklmnop"[i],
            "given_names": "T", "birth_date": "1990-01-01", "sex": sex, "nationality": nationality,
            "case": {"rechtskreis": "SGB II"}}], today=opened)
        assert res.ok, res.errors


def county(repo):
    """Ahlen 12 Syrian men, Oelde 7 Iraqi women, Beelen 1 Eritrean woman; all opened in March 2026."""
    add(repo, "AHL", 12)
    add(repo, "OEL", 7, nationality="IQ", sex="f")
    add(repo, "BEE", 1, nationality="ER", sex="f")


def shown(page, settle, period=None):
    if period:
        page.start.setText(period[0])
        page.end.setText(period[1])
    page.refresh()
    settle()


def choose(page, name):
    page.list_view.setCurrentIndex(page.list_model.index(page.list_model.rows.index(name), 0))


def table_rows(page):
    m = page.view.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def page_for(qtbot, session) -> StatisticsPage:
    page = StatisticsPage(session, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def test_tables_and_charts_of_a_period_with_small_counts_hidden(qtbot, store, repo, settle, tmp_path):
    county(repo)
    s = Session(store.path)
    s.attach(store)
    page = page_for(qtbot, s)
    shown(page, settle)
    assert (page.start.text(), page.end.text()) == ("01.01.2026", "15.12.2026")  # the last twelve months
    assert page.current_table() == "transitions_by_month"
    choose(page, "clients_by_office")
    assert page.table_title.text() == "Klienten nach Standort, 01.01.2026 bis 15.12.2026"
    assert table_rows(page) == [["Ahlen", "12"], ["Oelde", "< 5"], ["Beelen", "< 5"], ["Summe", "20"]]
    assert page.chart.categories == ["Ahlen", "Oelde", "Beelen"]
    assert page.chart.series == [("Anzahl", [12, "< 5", "< 5"])]  # Oelde hidden too: 20 - 12 is no answer
    assert "„< 5“" in page.notice.text()
    # sorted by the count either way, the total stays last
    page.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in table_rows(page)] == ["Ahlen", "Oelde", "Beelen", "Summe"]
    page.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in table_rows(page)][-1] == "Summe" and table_rows(page)[-2][0] == "Ahlen"
    # month by month
    choose(page, "new_clients_by_month")
    assert page.chart.categories[:4] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert page.chart.series[0][1][:4] == [0, 0, 20, 0]
    # a period without the March openings
    page.preset.setCurrentIndex(page.preset.findData("last_year"))
    settle()
    assert (page.start.text(), page.end.text()) == ("01.01.2025", "31.12.2025")
    assert page.current_table() == "new_clients_by_month" and page.chart.series[0][1] == [0] * 12
    # bad dates: one message, the figures stay
    shown(page, settle, ("31.13.2026", "01.02.2026"))
    assert page.error.isVisible() and "TT.MM.JJJJ" in page.error.text()
    assert page.period == Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    shown(page, settle, ("01.06.2026", "01.02.2026"))
    assert page.error.text() == "Der Zeitraum endet, bevor er beginnt."
    shown(page, settle, ("01.01.2026", "30.06.2026"))
    assert not page.error.isVisible() and page.period == Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    # exports equal the figures
    page.write("csv", str(tmp_path / "s.csv"))
    page.write("xlsx", str(tmp_path / "s.xlsx"))
    fig = s.steering(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    text = (tmp_path / "s.csv").read_text("utf-8-sig")
    assert text == to_csv(fig, s.resources.catalogue)
    assert ["Klienten nach Standort", "Beelen", "Anzahl", "< 5"] in list(csv.reader(text.splitlines(), delimiter=";"))
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    header, body = labelled_rows("clients_by_office", fig["tables"]["clients_by_office"], s.resources.catalogue)
    assert [[c.value for c in r] for r in wb["clients_by_office"].iter_rows(min_row=3)] == [header, *body]
    page.write("pdf", str(tmp_path / "s.pdf"))
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")


def test_drill_down_to_the_cases_for_a_role_that_may(qtbot, store, repo, settle):
    county(repo)
    s = Session(store.path)
    s.attach(store)
    page = page_for(qtbot, s)
    shown(page, settle)
    choose(page, "clients_by_office")
    page.view.setCurrentIndex(page.view.model().index(2, 0))  # Beelen
    assert page.cases_button.isEnabled()
    qtbot.mouseClick(page.cases_button, Qt.MouseButton.LeftButton)
    assert page.case_model.rowCount() == 1 and page.case_view.isVisible()
    assert page.cases_note.text() == "1 Fälle hinter „Beelen“ (Eingabetaste öffnet einen)."
    opened = []
    page.open_case.connect(lambda hh, cid: opened.append(cid))
    page.case_view.setCurrentIndex(page.case_model.index(0, 0))
    page.case_view.activated.emit(page.case_model.index(0, 0))
    assert opened == [page.case_model.rows[0].case_id]
    page.view.setCurrentIndex(page.view.model().index(3, 0))  # the total: no drill-down
    assert not page.cases_button.isEnabled()
    choose(page, "measures")
    assert not page.cases_button.isVisible()


def test_data_protection_officer_sees_raw_counts_but_exports_hidden_ones(qtbot, store, repo, settle, tmp_path):
    county(repo)
    store.add_member("dsb", PASSPHRASE, "Ute", "KI", "dpo")
    store.add_member("dolmetsch", PASSPHRASE, "Samir", "KI", "interpreter")
    store.close()
    s = Session(store.path)
    s.unlock(PASSPHRASE, "dsb")
    page = page_for(qtbot, s)
    shown(page, settle)
    choose(page, "clients_by_office")
    assert table_rows(page) == [["Ahlen", "12"], ["Oelde", "7"], ["Beelen", "1"], ["Summe", "20"]]
    assert page.notice.text().startswith("Alle Zahlen ungeschwärzt")
    page.write("csv", str(tmp_path / "s.csv"))
    lines = list(csv.reader((tmp_path / "s.csv").read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert ["Klienten nach Standort", "Beelen", "Anzahl", "< 5"] in lines
    page.view.setCurrentIndex(page.view.model().index(2, 0))
    assert not page.cases_button.isEnabled()  # no case data in this role
    assert page.cases_note.text() == "Ihre Rolle darf die Fälle hinter einer Zahl nicht sehen."
    page.clear()
    s.lock()
    s.unlock(PASSPHRASE, "dolmetsch")
    page2 = page_for(qtbot, s)
    shown(page2, settle)
    choose(page2, "clients_by_office")
    assert table_rows(page2)[2] == ["Beelen", "< 5"]
    page2.view.setCurrentIndex(page2.view.model().index(2, 0))
    assert not page2.cases_button.isEnabled()
    s.lock()


def test_deleted_cases_counted_and_small_ones_hidden():
    from ui.statistics_page import deleted_text

    stats = {"deleted_cases": 7, "deleted_cases_by_basis": {"retention": 6, "erasure": 1}}
    assert deleted_text(stats) == ("Gelöschte Fälle (anonymisiert, weiter gezählt): 7 (auf Antrag gelöscht: < 5, "
                                   "Aufbewahrungsfrist abgelaufen: < 5)")
    assert deleted_text(stats, suppress=False).endswith("(auf Antrag gelöscht: 1, Aufbewahrungsfrist abgelaufen: 6)")


def test_period_presets():
    day = dt.date(2026, 5, 20)
    assert preset_period("quarter", day) == Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert preset_period("quarter", dt.date(2026, 2, 1)) == Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert preset_period("this_year", day) == Period(dt.date(2026, 1, 1), day)
    assert preset_period("year", day) == Period(dt.date(2025, 6, 1), day)
