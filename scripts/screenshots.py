"""Render every main screen of Sprechstunde at 1366x768 into PNG files, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR] [--ui-lang de] [--client-lang ar] [--households 60]
       [--store FOLDER --login demo]
(scripts/screenshots.sh runs it offscreen; `--ui-lang ar` for the right-to-left pass). A fresh demo store is made in a
temporary folder, or `--store` names one made before (`python -m app demo`, its passphrase in SPRECHSTUNDE_PASSPHRASE); the
window goes through the real lock screen, then the case list, every case tab, the household
dialog, every navigation page, the interpreter view and the print preview in the client's
language. Nothing here is a test: it produces pictures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.paths import DEMO_LOGIN, DEMO_PASSPHRASE  # noqa: E402
from app.session import Session  # noqa: E402
from ui.household_dialog import HouseholdDialog  # noqa: E402
from ui.main import apply_language, build_app, build_main_window  # noqa: E402

SIZE = (1366, 768)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let background tasks finish and the event loop paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QThreadPool.globalInstance().waitForDone(50)
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, out: Path, name: str) -> None:
    settle(app)
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def close(app: QApplication, dialog: QWidget | None) -> None:
    if dialog is not None:
        dialog.close()
        dialog.deleteLater()
        settle(app, 0.05)


def extra_shots(app: QApplication, session: Session, win, page: QWidget, out: Path, name: str) -> None:
    """What a page holds beyond its first view: its other tabs, the other statistics tables, and the
    dialogs it opens (merge, employer, offer, booking, a conflict's new value)."""
    from PySide6.QtWidgets import QTabWidget

    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        for k in range(1, tabs.count()):
            tabs.setCurrentIndex(k)
            shoot(app, win, out, f"{name}-tab-{k + 1}-{tabs.tabText(k).replace('&', '').replace(' ', '_')}")
        tabs.setCurrentIndex(0)
    kind = type(page).__name__
    if kind == "StatisticsPage":
        view = page.list_view
        for k in range(view.model().rowCount()):
            view.setCurrentIndex(view.model().index(k, 0))
            shoot(app, win, out, f"{name}-table-{k + 1:02d}")
        view.setCurrentIndex(view.model().index(0, 0))
    elif kind == "DuplicatesPage" and page.model.rowCount():
        page.table.selectRow(0)
        dialog = page.merge()
        if dialog is not None:
            shoot(app, dialog, out, "08-merge-dialog")
            close(app, dialog)
    elif kind == "EmployersPage":
        page.edit_employer(new=True)
        shoot(app, page.dialog, out, "08-employer-dialog")
        close(app, page.dialog)
        page.edit_offer(new=True)
        shoot(app, page.dialog, out, "08-offer-dialog")
        close(app, page.dialog)
    elif kind == "TodayPage":
        from ui.booking_dialog import BookingDialog

        free = next((r for r in page.model.rows if not getattr(r, "appointment_id", None)
                     and getattr(r, "starts_at", None)), None)
        if free is not None and page.office.currentData():
            dialog = BookingDialog(session, page.office.currentData(), free.starts_at, free.agency, win)
            dialog.show()
            shoot(app, dialog, out, "08-booking-dialog")
            close(app, dialog)


def main() -> int:
    ap = argparse.ArgumentParser(description="screenshots of every main screen")
    ap.add_argument("out", nargs="?", default=str(Path(tempfile.gettempdir()) / "sprechstunde-screenshots"))
    ap.add_argument("--ui-lang", default="de", help="language of the staff's screens (default de)")
    ap.add_argument("--client-lang", default="ar", help="language of the client's screens (default ar)")
    ap.add_argument("--households", type=int, default=60)
    ap.add_argument("--store", help="an existing store to show instead of a fresh demo (passphrase in SPRECHSTUNDE_PASSPHRASE)")
    ap.add_argument("--login", default=DEMO_LOGIN, help="the login for --store (default demo)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = build_app()
    apply_language(app, args.ui_lang)
    if args.store:
        folder, login, passphrase = Path(args.store), args.login, os.environ.get("SPRECHSTUNDE_PASSPHRASE", DEMO_PASSPHRASE)
    else:
        folder, login, passphrase = Path(tempfile.mkdtemp(prefix="sprechstunde-shots-")) / "demo", DEMO_LOGIN, DEMO_PASSPHRASE
        Session(folder).create_demo(passphrase, login, households=args.households)

    session = Session(folder)
    win = build_main_window(session, "Demo")
    win.resize(*SIZE)
    win.show()
    shoot(app, win, out, "01-lock-screen")
    lock = win.lock_screen
    lock.login.setEditText(login)
    lock.passphrase.setText(passphrase)
    lock._submit()
    for _ in range(200):
        settle(app, 0.05)
        if session.is_open:
            break
    shoot(app, win, out, "02a-first-page-after-unlock")
    win.nav.setCurrentRow(0)
    shoot(app, win, out, "02-case-list")

    rows = win.case_list.model.rows
    row = max(rows, key=lambda r: (r.status == "active", len(r.given_names or "")))
    win.case_list.select_case(row.case_id)  # as after a click in the list: the row selected, the case shown
    win.case_view.show_case(row.household_id, row.case_id)
    tabs = win.case_view.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        shoot(app, win, out, f"03-case-tab-{i + 1:02d}-{tabs.tabText(i).replace('&', '').replace(' ', '_')}")

    dialog = HouseholdDialog(session, row.household_id, parent=win)
    dialog.show()
    shoot(app, dialog, out, "04-household-dialog")
    dialog.close()

    from ui.intake_flow import IntakeSteps
    from ui.unmerge_dialog import UnmergeDialog

    intake = HouseholdDialog(session, None, parent=win)  # step 1 of the guided intake: a second member proposed
    intake.setWindowTitle("Neue Aufnahme")
    intake.add_member()
    intake.show()
    shoot(app, intake, out, "04b-intake-household")
    intake._snapshot = None
    intake.close()
    steps = IntakeSteps(session, row.household_id, [row.case_id], win)  # nothing is saved without "Weiter"
    steps.show()
    shoot(app, steps, out, "04c-intake-consent")
    steps._advance()
    shoot(app, steps, out, "04d-intake-survey-prefilled")
    steps.reject()
    unmerge = UnmergeDialog(session, win)
    unmerge.show()
    shoot(app, unmerge, out, "04e-undo-merge")
    unmerge.close()

    for i in range(1, win.nav.count()):
        win.nav.setCurrentRow(i)
        page = win.pages.currentWidget()
        if type(page).__name__ == "DuplicatesPage":  # its search runs on request
            page.refresh()
            for _ in range(200):
                settle(app, 0.05)
                if page.search.isEnabled():
                    break
        name = f"05-page-{i}-{type(page).__name__}"
        shoot(app, win, out, name)
        extra_shots(app, session, win, page, out, name)
    win.nav.setCurrentRow(0)

    view = win.case_view
    index = view.client_lang.findData(args.client_lang)
    if index >= 0:
        view.client_lang.setCurrentIndex(index)
    tabs.setCurrentIndex(0)
    interpreter = view.open_interpreter()
    shoot(app, interpreter, out, f"06-interpreter-view-{args.client_lang}")
    interpreter.close()
    before = set(QApplication.topLevelWidgets())
    view.print_document("consent")
    for _ in range(200):
        settle(app, 0.05)
        new = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]
        if new:
            shoot(app, new[0], out, f"07-print-preview-consent-{args.client_lang}")
            new[0].close()
            break
    session.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main())
