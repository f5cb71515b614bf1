"""At 1366 x 768 the case list beside the case view shows every column (texts elide), tabs shrink to fit."""

from PySide6.QtWidgets import QApplication

from app.repository import Repository
from tests.app.family_o import register_family
from ui.casework.strategy_tab import StrategyTab


def test_every_column_of_the_case_list_is_on_screen_at_1366(qtbot, store, window_for):
    repo = Repository(store)
    res = register_family(repo)
    hid = repo.save("household", {"office": "AHL"})
    repo.save("person", {"household_id": hid, "family_name": "Al-" + "Abdullah" * 12, "given_names": "Walid"})
    win = window_for(store)
    win.resize(1366, 768)
    win.refresh()
    assert win.case_view.client_lang.currentData() is None  # no case yet: not English, German only
    win.case_view.show_case(res.household_id, res.case_ids[0])
    for i in range(win.case_view.tabs.count()):  # every tab, the widest ones included
        win.case_view.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        table = win.case_list.table
        header = table.horizontalHeader()
        shown = sum(header.sectionSize(c) for c in range(header.count()))
        assert shown <= table.viewport().width(), win.case_view.tabs.tabText(i)
        assert min(header.sectionSize(c) for c in range(header.count())) >= 45
        assert win.case_view.width() <= 700
    strategy = next(w for w in win.case_view.tab_widgets if isinstance(w, StrategyTab))
    win.case_view.tabs.setCurrentWidget(strategy)
    QApplication.processEvents()
    assert not strategy.columns.side_by_side  # stacked beside the list at 1366 px


def test_two_boxes_stand_side_by_side_only_when_there_is_room(qtbot):
    from PySide6.QtWidgets import QGroupBox

    from ui.casework.reflow import SideBySide

    w = SideBySide(QGroupBox("a"), QGroupBox("b"), wide=900)
    qtbot.addWidget(w)
    w.show()
    w.resize(1000, 400)
    QApplication.processEvents()
    assert w.side_by_side
    w.resize(700, 400)
    QApplication.processEvents()
    assert not w.side_by_side and w.minimumSizeHint().width() <= 480
