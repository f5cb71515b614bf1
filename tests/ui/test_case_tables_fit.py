"""At 1366 x 768 every table of the case view (consent history, measures, appointments) and of the
conflicts page ends inside its viewport: no column behind a horizontal scroll bar; no questionnaire
(a qualification's four fields in a row) is wider than its tab."""

from PySide6.QtWidgets import QApplication, QScrollArea, QTableView

from app.replica.changelog import Change, ChangeLog
from app.replica.clock import Stamp
from app.replica.merge import merge
from app.repository import Repository
from tests.app.family_o import register_family
from ui.casework.common import services
from ui.casework.form_renderer import RowsEditor
from ui.casework.measures_tab import COL_END, COL_MEASURE, COL_PHASE, COL_START, MeasuresTab


def _overflowing(root) -> list[str]:
    out = []
    for table in root.findChildren(QTableView):
        if not table.isVisible() or table.model() is None or not table.model().columnCount():
            continue
        header = table.horizontalHeader()
        last = max((c for c in range(header.count()) if not header.isSectionHidden(c)), default=None)
        if last is None:
            continue
        end = header.sectionViewportPosition(last) + header.sectionSize(last)
        if end > table.viewport().width() or table.horizontalScrollBar().maximum() > 0:
            out.append(f"{table.objectName() or type(table.model()).__name__}: {end} > {table.viewport().width()}")
    return out


def test_every_table_of_the_case_view_fits_beside_the_list(qtbot, store, window_for):
    repo = Repository(store)
    res = register_family(repo)
    case_id = res.case_ids[0]
    win = window_for(store)
    cw = services(win.session)
    cw.consent.record(case_id, "AA", "given", "2024-05-02", provider_name=None)
    cw.consent.record(case_id, "JC", "refused", "2024-05-02")
    item = next(iter(cw.catalogue.items))
    cw.measures.add(case_id, item, date="2024-05-03", provider="Volkshochschule Ahlen, Kursgebäude am Markt",
                    notes="Rückmeldung des Trägers steht noch aus, Termin beim Träger vereinbart")
    cw.appointments.plan(case_id, "2030-01-07T10:00", "Termin mit dem Jobcenter wegen der Unterlagen",
                         place="Familienzentrum, Raum 2, Lange Kesselstraße 4-6, 48231 Warendorf")
    win.resize(1366, 768)
    win.refresh()
    win.case_view.show_case(res.household_id, case_id)
    tabs = win.case_view.tabs
    seen = grown = 0
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        QApplication.processEvents()
        QApplication.processEvents()
        seen += len([t for t in tabs.currentWidget().findChildren(QTableView) if t.isVisible()])
        for rows in tabs.currentWidget().findChildren(RowsEditor):  # "Add qualification" and the like, once each
            rows.add.click()
            grown += 1
        QApplication.processEvents()
        wide = [(a.widget().minimumSizeHint().width(), a.viewport().width())
                for a in tabs.currentWidget().findChildren(QScrollArea)
                if a.isVisible() and a.widget().minimumSizeHint().width() > a.viewport().width()]
        assert not wide, (tabs.tabText(i), wide)  # no form wider than its tab
        assert not _overflowing(tabs.currentWidget()), (tabs.tabText(i), _overflowing(tabs.currentWidget()))
        seen += len([t for t in tabs.currentWidget().findChildren(QTableView) if t.isVisible()])
        for rows in tabs.currentWidget().findChildren(RowsEditor):  # "Add qualification" and the like, once each
            rows.add.click()
            grown += 1
        QApplication.processEvents()
        wide = [(a.widget().minimumSizeHint().width(), a.viewport().width())
                for a in tabs.currentWidget().findChildren(QScrollArea)
                if a.isVisible() and a.widget().minimumSizeHint().width() > a.viewport().width()]
        assert not wide, (tabs.tabText(i), wide)  # no form wider than its tab
        assert not _overflowing(tabs.currentWidget()), (tabs.tabText(i), _overflowing(tabs.currentWidget()))
        wide = [type(a.widget()).__name__ for a in tabs.currentWidget().findChildren(QScrollArea)
                if a.isVisible() and a.horizontalScrollBar().maximum() > 0]
        print(tabs.tabText(i), [(a.viewport().width(), a.widget().minimumSizeHint().width(), a.horizontalScrollBarPolicy()) for a in tabs.currentWidget().findChildren(QScrollArea) if a.isVisible()])
        assert not wide, (tabs.tabText(i), wide)  # no form wider than its tab
    assert seen >= 3 and grown >= 3
    measures = next(w for w in win.case_view.tab_widgets if isinstance(w, MeasuresTab))
    tabs.setCurrentWidget(measures)
    QApplication.processEvents()
    header = measures.view.horizontalHeader()
    assert header.isSectionHidden(COL_PHASE)  # no room beside the list: in the row's tooltip instead
    assert "Phase: " in measures.model.index(0, COL_MEASURE).data(3)  # Qt.ToolTipRole
    for c in (COL_START,):  # dates whole
        assert header.sectionSize(c) >= measures.view.fontMetrics().horizontalAdvance("00.00.0000")
    assert not header.isSectionHidden(COL_END)


def test_the_conflicts_table_fits_the_page(qtbot, store, window_for):
    repo = Repository(store)  # two laptops changed one address unseen: a real open conflict
    hid = repo.save("household", {"office": "AHL", "address": "Amselweg 1"})
    before = ChangeLog(repo.conn).stamp(hid, "address")
    repo.save("household", {"address": "Wohnheim an der Warendorfer Straße 125, Haus B, Zimmer 14, 59227 Ahlen"}, hid)
    later = str(Stamp(Stamp.parse(ChangeLog(repo.conn).stamp(hid, "address")).millis + 1, 0, "otherlaptop"))
    merge(repo.conn, [Change(later, "household", hid, "address",
                             "Übergangsheim Lindenweg 4, Eingang über den Hof, bei Familie Al-Abdullah, 59227 Ahlen",
                             before, "otherlaptop", None, hid)])
    win = window_for(store)
    win.resize(1366, 768)
    win._show_page("ConflictsPage")
    QApplication.processEvents()
    page = win.pages.currentWidget()
    assert page.model.rowCount()
    assert not _overflowing(page)
