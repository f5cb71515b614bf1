"""The case list at 1366 x 768: every column ends inside the viewport, a 360-character name elides and
widens nothing, the family name takes the room left over, the headers say their whole title."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.replica.changelog import Change
from app.replica.merge import merge
from app.repository import Repository, clock_for
from tests.app.family_o import register_family
from ui.case_list import COL_BORN, COL_FAMILY, COL_NUMBER, COL_OFFICE, COL_STATUS, HEADERS
from ui.columns import text_width

LONG = "Al-" + "Abdullah" * 45  # 363 characters: the length rule refuses it, a sync from an old laptop does not


def _long_family_name_by_sync(repo, person_id, household_id):
    stamp = repo.conn.execute("SELECT hlc FROM field_state WHERE entity_id = ? AND field = 'family_name'",
                              (person_id,)).fetchone()[0]
    later = f"{int(stamp[:13]) + 1000:013d}-0000-oldlaptop"
    change = Change(later, "person", person_id, "family_name", LONG, stamp, "oldlaptop", None, household_id)
    with repo.transaction():
        assert merge(repo.conn, [change], clock_for(repo.store)).won == 1


def _edges(table):
    header = table.horizontalHeader()
    return [header.sectionViewportPosition(c) + header.sectionSize(c) for c in range(header.count())]


def test_at_1366_every_column_ends_inside_the_viewport_and_a_long_name_elides(qtbot, store, window_for):
    repo = Repository(store)
    res = register_family(repo)
    _long_family_name_by_sync(repo, res.person_ids[0], res.household_id)
    win = window_for(store)
    win.resize(1366, 768)
    win.refresh()
    win.case_view.show_case(res.household_id, res.case_ids[0])
    QApplication.processEvents()
    table = win.case_list.table
    header = table.horizontalHeader()
    assert any(r.family_name == LONG for r in win.case_list.model.rows)
    assert all(edge <= table.viewport().width() for edge in _edges(table)), (_edges(table), table.viewport().width())
    assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll to
    long_width = table.fontMetrics().horizontalAdvance(LONG)
    family = header.sectionSize(COL_FAMILY)
    assert family < 200 < long_width  # the name did not widen its column
    assert table.textElideMode() == Qt.TextElideMode.ElideRight and not table.wordWrap()
    shown = table.fontMetrics().elidedText(LONG, Qt.TextElideMode.ElideRight, family)
    assert shown.endswith("…") and len(shown) < 40
    row = next(i for i in range(table.model().rowCount())
               if table.model().index(i, COL_FAMILY).data() == LONG)
    assert table.rowHeight(row) == table.rowHeight(0 if row else 1)  # one line, not wrapped
    # the case number and the birth date are never cut; office and status keep enough to tell them apart
    assert header.sectionSize(COL_NUMBER) >= text_width(table, "AHL-26-XXXX-0000") - 4
    assert header.sectionSize(COL_BORN) >= text_width(table, "00.00.0000")
    assert min(header.sectionSize(COL_OFFICE), header.sectionSize(COL_STATUS)) >= 55
    # an elided header says its whole title as a tooltip
    for c in range(len(HEADERS)):
        tip = table.model().headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip and tip == table.model().headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert table.model().headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "Name (Originalschrift)"


def test_the_family_name_takes_the_room_a_wider_list_gets(qtbot, store, window_for):
    repo = Repository(store)
    res = register_family(repo)
    win = window_for(store)
    win.resize(1366, 768)
    win.refresh()
    QApplication.processEvents()
    table = win.case_list.table
    header = table.horizontalHeader()
    narrow = header.sectionSize(COL_FAMILY)
    splitter = win.case_list.parentWidget()
    win.resize(1920, 1080)
    splitter.setSizes([1200, 600])  # a wide screen: the list gets more room
    QApplication.processEvents()
    assert table.viewport().width() > 900
    assert header.sectionSize(COL_FAMILY) > narrow + 200
    assert _edges(table)[-1] == table.viewport().width()  # no empty strip right of the last column
    assert res.case_ids


def test_a_hidden_case_list_is_not_measured_row_by_row_and_fits_when_shown(qtbot, store, window_for, monkeypatch):
    """Behind the Today page the list is filled after unlocking; Qt measures every row of a hidden table
    (8.8 s at 20,000 cases), so the columns are fitted when the list is shown, from the rows on screen."""
    from ui.case_list import CaseTableModel

    repo = Repository(store)
    for _ in range(60):
        register_family(repo)
    win = window_for(store)
    win.resize(1366, 768)
    QApplication.processEvents()
    win.nav.setCurrentRow(1)  # another page in front: the case list is hidden
    QApplication.processEvents()
    assert not win.case_list.table.isVisible()
    win.case_list.model.set_rows([])
    calls = []
    real = CaseTableModel.cell
    monkeypatch.setattr(CaseTableModel, "cell", lambda self, *a: calls.append(1) or real(self, *a))
    win.case_list.refresh()  # the first fill, while hidden
    rows = len(win.case_list.model.rows)
    assert rows >= 240 and len(calls) <= rows, (len(calls), rows)  # (the sort reads one column once)
    win.nav.setCurrentRow(0)
    QApplication.processEvents()
    table = win.case_list.table
    assert table.isVisible()
    assert all(edge <= table.viewport().width() for edge in _edges(table))
    assert table.horizontalHeader().sectionSize(COL_NUMBER) >= text_width(table, "AHL-26-XXXX-0000") - 4
