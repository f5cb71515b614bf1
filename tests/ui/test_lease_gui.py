"""The offline lease in the window: after the set days without a sync the case list is locked with a
sentence saying why, and its "Sync now" button syncs with the real hub and unlocks it."""

from __future__ import annotations

import datetime as dt
import os

from app.session import Session
from ui.main import build_main_window

from tests.sync.hubkit import sync
from tests.sync.test_retention_sync import make_case


def test_case_list_locks_after_the_lease_and_sync_now_unlocks(laptops, qtbot, settle):
    store = laptops("AHL", "anna")
    make_case(store, "Rahimi", "AHL-26-0200", "active", None, opened="2026-11-01")
    assert sync(store).ok
    back = (dt.date.today() - dt.timedelta(days=45)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    store.set_meta("sync.last_sync", back)
    session = Session(store.path)
    session.attach(store)
    win = build_main_window(session)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    page = win.case_list
    assert page.lease_box.isVisible()
    assert "45" in page.lease_text.text() and "30" in page.lease_text.text()
    assert "synchronisiert" in page.lease_text.text()  # German by default
    assert page.model.rowCount() == 0
    if os.environ.get("SPRECHSTUNDE_SCREENSHOTS"):
        win.grab().save(os.path.join(os.environ["SPRECHSTUNDE_SCREENSHOTS"], "lease_locked.png"))
    page.lease_sync.click()
    settle(20_000)
    qtbot.waitUntil(lambda: not page.lease_box.isVisible(), timeout=20_000)
    assert page.model.rowCount() >= 1
