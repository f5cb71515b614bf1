"""Sync and conflicts in the GUI, against a real hub process on 127.0.0.1 with TLS."""

from PySide6.QtCore import Qt

from app.repository import Repository
from sync.client import SyncEngine


def test_sync_button_progress_and_conflict_resolution(qtbot, hub, laptops, monkeypatch, window_for):
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a, **k: None)
    a1, a2 = laptops("AHL"), laptops("AHL", login="bodo")
    h = Repository(a1).save("household", {"office": "AHL", "address": "Lindenweg 4"})
    assert SyncEngine(a1).sync().ok and SyncEngine(a2).sync().ok
    Repository(a1).save("household", {"address": "Amselweg 1"}, entity_id=h)
    assert SyncEngine(a1).sync().ok
    Repository(a2).save("household", {"address": "Drosselweg 2"}, entity_id=h)

    win = window_for(a2)
    panel = win.sync_panel
    assert "1" in panel.state.text()  # one change waiting
    qtbot.waitUntil(lambda: panel.online is True, timeout=10_000)
    summaries = []
    panel.synced.connect(summaries.append)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(summaries), timeout=20_000)
    assert summaries[0].ok and summaries[0].conflicts == 1, summaries[0].line()
    assert panel.progress.isHidden() and not panel.running

    win.nav.setCurrentRow(1)  # the conflicts page
    page = win.extra_pages[0]
    assert page.model.rowCount() == 1
    values = {page.model.index(0, 2).data(), page.model.index(0, 4).data()}
    assert values == {"Amselweg 1", "Drosselweg 2"}
    other = page.model.index(0, 4).data()
    page.resolve("other")
    assert page.model.rowCount() == 0
    assert Repository(a2).get("household", h)["address"] == other
    # the resolution is a change that syncs: the other laptop ends with the same value and no conflict
    assert SyncEngine(a2).sync().ok and SyncEngine(a1).sync().ok
    assert Repository(a1).get("household", h)["address"] == other
    assert a1.conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()[0] == 0


def test_unreachable_hub_is_said_plainly(qtbot, hub, laptops, window_for):
    a = laptops("BEC")
    a.set_meta("sync.hub_url", "https://127.0.0.1:1")
    win = window_for(a)
    panel = win.sync_panel
    qtbot.waitUntil(lambda: panel.online is False, timeout=10_000)
    assert "offline" in panel.state.text()
    summaries = []
    panel.synced.connect(summaries.append)
    panel.start()
    qtbot.waitUntil(lambda: bool(summaries), timeout=20_000)
    assert not summaries[0].ok
    assert panel.state.text().startswith(("Sync failed", "Synchronisierung fehlgeschlagen", "Synchronisation"))
    assert "Traceback" not in panel.state.text()
