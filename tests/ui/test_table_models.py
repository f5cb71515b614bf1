"""Every table and list model of ui/ without widgets: rows, roles and sort order, read as a view reads them.

Each test asks `model.data(model.index(row, column), role)` (through the proxy a
sortable view shows), so a reversed sort, a dropped role or a wrong cell fails
here and not only on screen. `qtmodeltester` (pytest-qt) checks the model's
contract with Qt's QAbstractItemModelTester.
"""

from __future__ import annotations

import datetime as dt
import time
import types

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from app.caselist import CaseRow
from app.casework import DueItem, default_catalogue
from app.conflicts import Conflict, Side
from app.measures import Measures
from app.rules import Hint
from ui.case_list import (
    COL_BORN, COL_FAMILY, COL_GIVEN, COL_NUMBER, COL_OFFICE, COL_ORIG, COL_RK, COL_STATUS, CaseFilterProxy,
    CaseTableModel,
)
from ui.casework.due_list import CASE_ROLE, DueModel
from ui.casework.measures_tab import (
    COL_END, COL_EXPECTED, COL_MEASURE, COL_PROVIDER, COL_START, COL_STATUS as COL_M_STATUS, ID_ROLE, MeasuresModel,
)
from ui.conflicts_page import ConflictModel
from ui.duplicates_page import PairModel
from ui.models import ROW_ROLE, SORT_ROLE, sort_proxy

DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def column(model, col, role=DISPLAY):
    return [model.data(model.index(r, col), role) for r in range(model.rowCount())]


def header(model, col):
    return model.headerData(col, Qt.Orientation.Horizontal, DISPLAY)


# -- case list ----------------------------------------------------------------------------------

def _case(n, family, given, born=None, office="AHL", status="active", rk="AsylbLG", orig=("", "")):
    return CaseRow(f"case-{n}", f"hh-{n}", f"p-{n}", f"AHL-2024-{n:04d}", family, given, orig[0] or None,
                   orig[1] or None, born, office, rk, status, "2024-01-01", f"{family} {given}".lower())


@pytest.fixture
def cases(qapp):
    model = CaseTableModel()
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    rows = [
        _case(1, "Yilmaz", "Emre", "1990", office="WAF", status="new", rk="SGB II"),
        _case(2, "al-Obaidi", "Fatima", "1982-03", orig=("العبيدي", "فاطمة")),
        _case(3, "Haddad", "Rami", None, status="dormant"),
        _case(4, "Bauer", "Lena", "1985-05-02", office="ENN", status="closed", rk="SGB XII"),
    ]
    model.set_rows(rows)
    yield model, proxy, rows
    proxy.setSourceModel(None)


def test_case_rows_and_roles(cases):
    model, proxy, rows = cases
    assert proxy.rowCount() == 4 and proxy.columnCount() == 8
    assert [header(proxy, c) for c in (COL_NUMBER, COL_FAMILY, COL_BORN, COL_STATUS)] == [
        "Fallnummer", "Familienname", "Geboren", "Status"]
    # before any sort: load order
    assert column(proxy, COL_FAMILY) == ["Yilmaz", "al-Obaidi", "Haddad", "Bauer"]
    assert column(proxy, COL_NUMBER) == ["AHL-2024-0001", "AHL-2024-0002", "AHL-2024-0003", "AHL-2024-0004"]
    assert column(proxy, COL_GIVEN) == ["Emre", "Fatima", "Rami", "Lena"]
    assert column(proxy, COL_ORIG) == ["", "فاطمة العبيدي", "", ""]  # given names first, as written
    assert column(proxy, COL_BORN) == ["1990", "03.1982", "", "02.05.1985"]
    assert column(proxy, COL_OFFICE) == ["Warendorf", "Ahlen", "Ahlen", "Ennigerloh"]
    assert column(proxy, COL_STATUS) == ["neu", "in Bearbeitung", "ruhend", "abgeschlossen"]
    assert column(proxy, COL_RK) == ["SGB II", "AsylbLG", "AsylbLG", "SGB XII"]
    assert column(proxy, COL_FAMILY, TOOLTIP) == column(proxy, COL_FAMILY)
    assert column(proxy, COL_FAMILY, ROW_ROLE) == rows  # the row object, for opening the case
    assert proxy.data(proxy.index(0, COL_FAMILY), Qt.ItemDataRole.DecorationRole) is None


@pytest.mark.parametrize("col, ascending", [
    (COL_FAMILY, ["al-Obaidi", "Bauer", "Haddad", "Yilmaz"]),  # ignoring case
    (COL_GIVEN, ["Emre", "Fatima", "Lena", "Rami"]),
    (COL_NUMBER, ["AHL-2024-0001", "AHL-2024-0002", "AHL-2024-0003", "AHL-2024-0004"]),
    (COL_BORN, ["", "03.1982", "02.05.1985", "1990"]),  # by the date, not by the text shown
    (COL_OFFICE, ["Ahlen", "Ahlen", "Ennigerloh", "Warendorf"]),  # by the name shown
])
def test_case_sort_order(cases, col, ascending):
    model, proxy, _rows = cases
    proxy.sort(col, ASC)
    assert column(proxy, col) == ascending
    proxy.sort(col, DESC)
    assert column(proxy, col) == list(reversed(ascending))


def test_case_born_sorts_by_date(cases):
    model, proxy, _rows = cases
    proxy.sort(COL_BORN, ASC)
    assert column(proxy, COL_FAMILY) == ["Haddad", "al-Obaidi", "Bauer", "Yilmaz"]  # unknown first
    assert [r.birth_date for r in column(proxy, COL_FAMILY, ROW_ROLE)] == [None, "1982-03", "1985-05-02", "1990"]


def test_case_filter_keeps_sort_and_selection_follows(cases):
    model, proxy, rows = cases
    proxy.sort(COL_FAMILY, ASC)
    bauer = QPersistentModelIndex(proxy.index(1, COL_FAMILY))
    assert bauer.data() == "Bauer"
    proxy.sort(COL_FAMILY, DESC)
    assert bauer.row() == 2 and bauer.data() == "Bauer"  # a selected row stays selected after sorting
    proxy.set_accepted([0, 3, 1])  # positions in load order: Yilmaz, Bauer, al-Obaidi
    assert column(proxy, COL_FAMILY) == ["Yilmaz", "Bauer", "al-Obaidi"]  # still in sort order
    proxy.sort(COL_FAMILY, ASC)
    assert column(proxy, COL_FAMILY) == ["al-Obaidi", "Bauer", "Yilmaz"]
    proxy.set_accepted(None)
    assert column(proxy, COL_FAMILY) == ["al-Obaidi", "Bauer", "Haddad", "Yilmaz"]
    model.set_rows(rows[:2])  # a refresh keeps the order asked for
    assert column(proxy, COL_FAMILY) == ["al-Obaidi", "Yilmaz"]


def test_case_model_contract(cases, qtmodeltester):
    model, proxy, _rows = cases
    model.sort(COL_BORN, DESC)
    qtmodeltester.check(model)


# -- due list -----------------------------------------------------------------------------------

def _due(n, due, state, title="Wohnsitzauflage prüfen"):
    hint = Hint(f"rule-{n}", f"case-{n}", "deadline", state, due, title, f"Text {n}", "§ 12a AufenthG")
    return DueItem(hint, f"case-{n}", f"AHL-2024-{n:04d}", f"Name {n}", "AHL", household_id=f"hh-{n}")


@pytest.fixture
def due(qapp):
    model = DueModel()
    proxy = sort_proxy(model)
    model.set_rows([
        _due(1, dt.date(2024, 3, 1), "upcoming"),
        _due(2, None, "info", title="Beratung Sprachkurs"),
        _due(3, dt.date(2023, 11, 20), "overdue"),
        _due(4, dt.date(2024, 1, 15), "due_soon"),
    ])
    yield model, proxy
    proxy.setSourceModel(None)


def test_due_rows_and_roles(due):
    model, proxy = due
    assert header(model, 0) == "Fällig" and model.columnCount() == 7
    assert column(model, 0) == ["01.03.2024", "", "20.11.2023", "15.01.2024"]
    assert column(model, 1) == ["anstehend", "Hinweis", "überfällig", "bald fällig"]
    assert column(model, 2) == ["AHL-2024-0001", "AHL-2024-0002", "AHL-2024-0003", "AHL-2024-0004"]
    assert column(model, 4)[0] == "Ahlen"  # the office's name, not its code
    assert column(model, 5)[1] == "Beratung Sprachkurs" and column(model, 6)[0] == "§ 12a AufenthG"
    assert column(model, 3, TOOLTIP) == ["Text 1", "Text 2", "Text 3", "Text 4"]  # the hint's text
    assert column(model, 0, CASE_ROLE)[2] == ("hh-3", "case-3")  # what opening the row opens
    colours = column(model, 0, Qt.ItemDataRole.ForegroundRole)
    assert colours[2] is not None and colours[2].name() == "#b00020"  # overdue in red, only that
    assert colours[:2] + colours[3:] == [None, None, None]


def test_due_sort_order(due):
    model, proxy = due
    proxy.sort(0, ASC)  # by the date, not as shown; a hint without a date last
    assert column(proxy, 0) == ["20.11.2023", "15.01.2024", "01.03.2024", ""]
    proxy.sort(0, DESC)
    assert column(proxy, 0) == ["", "01.03.2024", "15.01.2024", "20.11.2023"]
    proxy.sort(5, ASC)
    assert column(proxy, 5)[0] == "Beratung Sprachkurs"
    assert column(model, 0, SORT_ROLE) == ["2024-03-01", "9999", "2023-11-20", "2024-01-15"]


def test_due_model_contract(due, qtmodeltester):
    qtmodeltester.check(due[0])


# -- measures of a case -------------------------------------------------------------------------

@pytest.fixture
def measures(qapp):
    catalogue = default_catalogue()
    cw = types.SimpleNamespace(catalogue=catalogue, measures=Measures(None, catalogue, None))
    rows = [
        {"id": "m1", "catalogue_id": "integrationskurs", "status": "started", "provider": "VHS Ahlen",
         "proposed_on": "2023-12-01", "registered_on": "2024-01-10", "start_date": "2024-02-01", "end_date": None,
         "notes": "Modul 3"},
        {"id": "m2", "catalogue_id": "alphakurs", "status": "waiting", "provider": "bfz",
         "proposed_on": "2024-01-05", "registered_on": "2024-01-20", "start_date": None, "end_date": None},
        {"id": "m3", "catalogue_id": "deufoev", "status": "completed", "provider": "Caritas",
         "proposed_on": "2022-06-01", "registered_on": None, "start_date": "2022-09-15", "end_date": "2023-03-31"},
    ]
    model = MeasuresModel()
    model.cw = cw
    model.set_rows(rows)
    proxy = sort_proxy(model)
    yield model, proxy
    proxy.setSourceModel(None)


def test_measures_rows_and_roles(measures):
    model, proxy = measures
    assert header(model, COL_START) == "Beginn"
    assert column(model, COL_MEASURE)[0] == default_catalogue().name("integrationskurs")
    assert column(model, COL_PROVIDER) == ["VHS Ahlen", "bfz", "Caritas"]
    assert column(model, COL_M_STATUS) == ["begonnen", "Warteliste", "abgeschlossen"]
    assert column(model, COL_START) == ["01.02.2024", "", "15.09.2022"]
    assert column(model, COL_END) == ["", "", "31.03.2023"]
    assert column(model, COL_EXPECTED)[0] == "" and column(model, COL_EXPECTED)[1]  # only a waiting one
    assert column(model, COL_MEASURE, ID_ROLE) == ["m1", "m2", "m3"]
    tips = column(model, COL_MEASURE, TOOLTIP)  # the whole row: columns hidden beside the case list included
    assert tips[2].startswith("Maßnahme: Berufsbezogene Deutschförderung (DeuFöV)\nPhase: Zugang und Spracherwerb\n")
    assert tips[2].endswith("Ende: 31.03.2023")
    assert column(model, COL_END, TOOLTIP) == tips


def test_measures_sort_dates_by_calendar(measures):
    model, proxy = measures
    proxy.sort(COL_START, ASC)  # 15.09.2022 before 01.02.2024, though "01" < "15" as text
    assert column(proxy, COL_START) == ["", "15.09.2022", "01.02.2024"]
    proxy.sort(COL_START, DESC)
    assert column(proxy, COL_START) == ["01.02.2024", "15.09.2022", ""]
    proxy.sort(COL_PROVIDER, ASC)  # ignoring case
    assert column(proxy, COL_PROVIDER) == ["bfz", "Caritas", "VHS Ahlen"]
    assert column(proxy, COL_MEASURE, ID_ROLE) == ["m2", "m3", "m1"]


def test_measures_model_contract(measures, qtmodeltester):
    qtmodeltester.check(measures[0])


# -- conflicts ----------------------------------------------------------------------------------

@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_conflict_rows_and_roles(qapp, utc, qtmodeltester):
    model = ConflictModel()
    mine = Side("Al-Obaidi", "h1", "2024-03-01T10:15Z", "dev-a", "s1", "Anna Beispiel")
    theirs = Side("Al Obaidi", "h2", "2024-03-01T09:05Z", "dev-b", None, None)
    status = Conflict("c2", "case", "case-1", "status", "hh-1", Side("active", "h3", "2024-02-01T08:00Z", "d", "s",
                                                                      "Ben"), Side(None, "h4", "bad", "dev-c", None,
                                                                                   None))
    rows = [Conflict("c1", "person", "p-1", "family_name", "hh-1", mine, theirs), status]
    model.names = {("person", "p-1"): "Fatima Al-Obaidi"}
    model.set_rows(rows)
    assert [header(model, c) for c in range(6)] == [
        "Datensatz", "Feld", "Aktueller Wert", "von / wann", "Anderer Wert", "von / wann"]
    assert [model.data(model.index(0, c)) for c in range(6)] == [
        "Fatima Al-Obaidi", "Familienname (lateinisch)", "Al-Obaidi", "Anna Beispiel · 01.03.2024 10:15",
        "Al Obaidi", "dev-b · 01.03.2024 09:05"]
    row = [model.data(model.index(1, c)) for c in range(6)]
    assert row[0].endswith("case-1") and row[2] == "in Bearbeitung"  # a coded value by its name
    assert row[4] == "—" and row[5] == "dev-c · bad"
    assert column(model, 0, ROW_ROLE) == rows  # rows stay in the order given (oldest conflict first)
    qtmodeltester.check(model)


# -- duplicates ---------------------------------------------------------------------------------

def test_duplicate_pair_rows_and_roles(qapp, qtmodeltester):
    model = PairModel()
    a = {"given_names": "Mohammed", "family_name": "Al-Obaidi", "given_names_orig": "محمد",
         "family_name_orig": "العبيدي", "birth_date": "1978"}
    b = {"given_names": "Mohamad", "family_name": "Alobaidi", "birth_date": "1978-01-01"}
    rows = [{"a": a, "b": b, "office_a": "AHL", "office_b": "WAF", "score": 0.87,
             "reasons": ["family name spelt differently", "same birth year, another day"]},
            {"a": b, "b": a, "office_a": "WAF", "office_b": "AHL", "score": 0.6, "reasons": []}]
    model.set_rows(rows)
    assert model.columnCount() == 8 and header(model, 0) == "Person A"
    assert [model.data(model.index(0, c)) for c in range(8)] == [
        "Mohammed Al-Obaidi (محمد العبيدي)", "1978", "Ahlen", "Mohamad Alobaidi", "01.01.1978", "Warendorf",
        "87\xa0%", "Familienname anders geschrieben, gleiches Geburtsjahr, anderer Tag"]
    assert column(model, 6) == ["87\xa0%", "60\xa0%"]  # in the order found: likeliest first
    assert column(model, 0, ROW_ROLE) == rows
    qtmodeltester.check(model)


# -- appointments and consent history of a case -------------------------------------------------

def test_appointment_rows_and_roles(qapp, qtmodeltester):
    from ui.casework.appointments_tab import AppointmentsModel

    model = AppointmentsModel()
    rows = [{"id": "a1", "starts_at": "2017-09-19T10:00", "purpose": "Agentur für Arbeit", "place": "Ahlen",
             "interpreter_language": "Arabic", "outcome": "missed"},
            {"id": "a2", "starts_at": "2017-10-02T09:30", "purpose": "Jobcenter", "place": None, "outcome": None}]
    model.set_rows(rows)
    assert [header(model, c) for c in range(5)] == ["Wann", "Anlass", "Ort", "Dolmetschung", "Ergebnis"]
    assert [model.data(model.index(0, c)) for c in range(5)] == [
        "19.09.2017 10:00", "Agentur für Arbeit", "Ahlen", "Arabic", "versäumt"]
    assert [model.data(model.index(1, c)) for c in range(5)] == ["02.10.2017 09:30", "Jobcenter", "", "", "geplant"]
    assert [r["id"] for r in column(model, 0, ROW_ROLE)] == ["a1", "a2"]  # in the service's order
    qtmodeltester.check(model)


def test_consent_history_rows_newest_first(qapp, qtmodeltester):
    from ui.casework.consent_tab import ConsentHistoryModel

    model = ConsentHistoryModel()
    history = [  # as the service gives it: oldest first
        {"date": "2017-06-26", "agency": "JC", "state": "given", "form_version": 1, "recorded_by": "s1"},
        {"date": "2017-07-03", "agency": "PROVIDER", "provider_name": "VHS Ahlen", "state": "refused",
         "form_version": None, "recorded_by": None},
        {"date": "2017-08-01", "agency": "JC", "state": "withdrawn", "form_version": 2, "recorded_by": "s2"},
    ]
    model.set_history(history, {"s1": "Anna Beispiel", "s2": "Bodo"})
    assert [header(model, c) for c in range(5)] == ["Datum", "Stelle", "Entscheidung", "Formularversion",
                                                    "Erfasst von"]
    assert column(model, 0) == ["01.08.2017", "03.07.2017", "26.06.2017"]  # newest first
    assert column(model, 2) == ["widerrufen", "verweigert", "erteilt"]
    assert column(model, 1)[1] == "Maßnahmeträger: VHS Ahlen"
    assert column(model, 3) == ["2", "", "1"] and column(model, 4) == ["Bodo", "", "Anna Beispiel"]
    assert column(model, 0, ROW_ROLE) == list(reversed(history))
    qtmodeltester.check(model)


def test_chronicle_rows_newest_first(qapp, qtmodeltester):
    from ui.casework.chronicle_tab import ChronicleModel

    model = ChronicleModel()
    events = [  # as the service gives them: oldest first
        {"date": "2017-06-26", "kind": "note", "text": "Erstgespräch", "author": "s1", "case_id": "c1"},
        {"date": "2017-09-12", "kind": "no-such-kind", "text": None, "author": None, "case_id": "c2"},
    ]
    model.set_events(events, {"s1": "Anna Beispiel"}, {"c1": "Karim O. (AHL-1)", "c2": "Layla O. (AHL-2)"})
    assert [header(model, c) for c in range(5)] == ["Datum", "Art", "Ereignis", "Erfasst von", "Fall"]
    assert [model.data(model.index(1, c)) for c in range(5)] == [
        "26.06.2017", "Notiz", "Erstgespräch", "Anna Beispiel", "Karim O. (AHL-1)"]
    assert [model.data(model.index(0, c)) for c in range(5)] == [
        "12.09.2017", "no-such-kind", "", "", "Layla O. (AHL-2)"]  # an unknown kind (newer laptop) as it is
    assert column(model, 0, ROW_ROLE) == list(reversed(events))
    qtmodeltester.check(model)


# -- list models (one line per record) ----------------------------------------------------------

def test_resource_entries_lines(qapp, qtmodeltester):
    from ui.casework.resource_map import ResourceEntriesModel

    model = ResourceEntriesModel()
    entries = [{"id": "r1", "text": "spricht Arabisch und Kurdisch", "source": "Kunde", "author": "s1",
                "date": "2017-06-26"},
               {"id": "r2", "text": "Führerschein", "source": None, "author": None, "date": None}]
    model.set_entries(entries, {"s1": "Anna Beispiel"})
    assert column(model, 0) == ["spricht Arabisch und Kurdisch  (Kunde, Anna Beispiel, 26.06.2017)", "Führerschein"]
    assert column(model, 0, TOOLTIP) == column(model, 0)  # long lines wrap; the tooltip has them whole
    assert [e["id"] for e in column(model, 0, ROW_ROLE)] == ["r1", "r2"]  # in the service's order
    qtmodeltester.check(model)


def test_goal_and_conference_lines_newest_first(qapp, qtmodeltester):
    from ui.casework.strategy_tab import ConferencesModel, GoalsModel

    goals = GoalsModel()
    goals.set_goals([  # oldest first, as the service gives them
        {"date": "2017-07-06", "kind": "wille", "text": "Ich möchte als Maler arbeiten."},
        {"date": "2017-07-10", "kind": "goal", "text": "Deutsch B1", "target_date": "2018-06-30"},
    ])
    assert column(goals, 0) == ["10.07.2017  Ziel: Deutsch B1 (bis 30.06.2018)",
                                "06.07.2017  Wille (in den Worten der Kundin / des Kunden): Ich möchte als Maler arbeiten."]
    conferences = ConferencesModel()
    conferences.set_conferences([
        {"date": "2017-07-20", "agencies": ["JC", "AA"], "focus": "Sprache", "resource_snapshot": [1, 2, 3]},
        {"date": "2017-09-01", "agencies": [], "focus": "Arbeit", "resource_snapshot": None},
    ])
    assert column(conferences, 0) == [
        "01.09.2017:  – Aufmerksamkeitsrichtung: Arbeit (0 Ressourceneinträge)",
        "20.07.2017: JC, AA – Aufmerksamkeitsrichtung: Sprache (3 Ressourceneinträge)"]
    assert column(conferences, 0, ROW_ROLE)[0]["focus"] == "Arbeit"
    qtmodeltester.check(goals)
    qtmodeltester.check(conferences)


def test_choice_list_model_ticks_codes_in_option_order_and_changes_its_texts(qtmodeltester):
    from ui.models import ChoiceListModel

    model = ChoiceListModel([("work", "Work"), ("school", "School"), ("health", "Health")], ["health"],
                            lambda msgid: msgid.upper())
    qtmodeltester.check(model)
    check = Qt.ItemDataRole.CheckStateRole
    assert column(model, 0) == ["WORK", "SCHOOL", "HEALTH"]
    assert column(model, 0, check) == [Qt.CheckState.Unchecked, Qt.CheckState.Unchecked, Qt.CheckState.Checked]
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsUserCheckable
    emitted = []
    model.chosen_changed.connect(emitted.append)
    assert model.setData(model.index(0), Qt.CheckState.Checked.value, check)
    assert model.chosen() == ["work", "health"] and emitted == [["work", "health"]]
    model.setData(model.index(2), Qt.CheckState.Unchecked.value, check)
    assert model.chosen() == ["work"]
    model.set_text(lambda msgid: f"{msgid} / x")
    assert column(model, 0)[1] == "School / x"


def test_member_and_merged_person_lines(qapp, qtmodeltester):
    from ui.household_dialog import MemberLines
    from ui.unmerge_dialog import MergedPersons

    members = MemberLines()
    members.set_rows([({"given_names": "Rami", "family_name": "Haddad", "relation": "head"}, False),
                      ({"relation": "child"}, True)])
    assert column(members, 0) == ["Rami Haddad – Haushaltsvorstand", "⚠ (neues Mitglied) – Kind"]
    qtmodeltester.check(members)
    merged = MergedPersons()
    merged.set_rows([{"id": "p2", "given_names": "Omar", "family_name": "Al Azzawi", "birth_date": "1990-03-01",
                      "merged_at": None, "into": {"given_names": "Omar", "family_name": "Alazzawi"}}])
    assert column(merged, 0) == ["Omar Al Azzawi (01.03.1990) wurde mit Omar Alazzawi zusammengeführt ()"]
    assert column(merged, 0, ROW_ROLE)[0]["id"] == "p2"
    qtmodeltester.check(merged)


def test_hint_lines_in_the_rules_order(qapp, qtmodeltester):
    from ui.casework.chronicle_tab import HintsModel

    model = HintsModel()
    model.set_rows([Hint("r1", "c1", "deadline", "overdue", dt.date(2026, 11, 30), "Integrationskurs",
                         "Anmeldung fehlt", "§ 44a AufenthG"),
                    Hint("r2", "c1", "info", "info", None, "Hinweis", "Dolmetscher nötig", "-")])
    lines = column(model, 0)
    assert lines[0].startswith("[überfällig 30.11.2026] Integrationskurs: Anmeldung fehlt")
    assert lines[1].endswith("Hinweis: Dolmetscher nötig (-)")
    assert column(model, 0, ROW_ROLE)[1].rule_id == "r2"
    qtmodeltester.check(model)


def test_the_chronicle_tab_shows_the_readers_language(repo):
    """Written with the UI in English, read in German: the chronicle tab renders each event for its reader."""
    import i18n
    from app.casework import CaseWork
    from tests.app.family_o import register_family
    from tests.app.test_chronicle_language import _write_a_chronicle
    from ui.casework.chronicle_tab import ChronicleModel

    import datetime as dt

    repo.today = dt.date(2017, 9, 1)
    cw = CaseWork(repo)
    case_id = register_family(repo).case_ids[0]
    i18n.set_language("en")
    _write_a_chronicle(cw, case_id)
    i18n.set_language("de")
    model = ChronicleModel()
    model.set_events(cw.chronicle.events(case_id), {}, {})
    shown = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert "Einverständnis erteilt: Jobcenter (JC)" in shown and "Termin wahrgenommen: Profiling II – with interpreter" in shown


def test_cells_keep_their_own_order_in_a_right_to_left_ui(due, qapp):
    """In Arabic a cell is a first-strong isolate: "§ 12a AufenthG" does not become "12a AufenthG §"."""
    model, _proxy = due
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        assert column(model, 6)[0] == "\u2068§ 12a AufenthG\u2069"
        assert column(model, 2)[0] == "\u2068AHL-2024-0001\u2069"
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert column(model, 6)[0] == "§ 12a AufenthG"  # left to right: the text as it is
