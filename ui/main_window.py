"""The main window: lock screen or workspace, navigation, menus, auto-lock and language switch.

While locked only the lock screen exists; the workspace (case list, case
view and the pages other modules register with `register_page`) is built
after unlocking and destroyed again on lock, so no personal data stays on
screen. Dialogs open at lock time are hidden and come back after unlocking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDialog, QInputDialog, QLabel, QListView, QListWidget, QMainWindow, QMessageBox, QSplitter,
    QStackedWidget, QWidget,
)

import i18n
from app.session import Session
from i18n import _

from . import settings
from .autolock import IdleWatcher
from .case_list import CaseListPage
from .case_view import CaseView, TabFactory
from .household_dialog import HouseholdDialog
from .lock_screen import LockScreen
from .screen import resize_to_fit

PageFactory = Callable[[Session, "MainWindow"], tuple[str, QWidget]]


@dataclass(frozen=True)
class Parts:
    """What the composition root (ui.main.build_main_window) gives the main window.

    `pages`: navigation pages after "Cases" (a page's widget may have `refresh()` and
    `clear()`); `tabs`: the case view's tabs; `apply_language(code)`: switches the
    application's language (catalogs, Qt's own translations, layout direction)."""

    pages: tuple[PageFactory, ...]
    tabs: tuple[TabFactory, ...]
    apply_language: Callable[[str], None]


class MainWindow(QMainWindow):
    def __init__(self, session: Session, parts: Parts, hint: str = ""):
        super().__init__()
        self.session = session
        self.parts = parts
        self.hint = hint
        self.setWindowTitle(_("Sprechstunde"))
        resize_to_fit(self, 1280, 800)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.workspace: QWidget | None = None
        self._cases_pending = False  # the first page is the Today page: the case list fills after its paint
        self.lock_screen: LockScreen | None = None
        self._hidden_dialogs: list[QDialog] = []
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.idle = IdleWatcher(settings.get(settings.AUTOLOCK_MINUTES), self)
        self.idle.idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.idle)
        self._build_menus()
        geometry = settings.get(settings.GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        if session.is_open:
            self._build_workspace()
        else:
            self._show_lock_screen()

    # -- menus -------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        file_menu = bar.addMenu(_("&File"))
        self.act_new = QAction(_("&New intake…"), self, shortcut=QKeySequence.StandardKey.New)
        self.act_new.triggered.connect(self.start_intake)
        self.act_lock = QAction(_("&Lock"), self, shortcut=QKeySequence("Ctrl+L"))
        self.act_lock.triggered.connect(self.lock)
        quit_ = QAction(_("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        for a in (self.act_new, self.act_lock, quit_):
            file_menu.addAction(a)
        view = bar.addMenu(_("&View"))
        lang_menu = view.addMenu(_("&Language"))
        group = QActionGroup(self)
        for code, name in (("de", "Deutsch"), ("en", "English")):
            act = QAction(name, self, checkable=True)
            act.setChecked(i18n.current_language() == code)
            act.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            group.addAction(act)
            lang_menu.addAction(act)
        extras = bar.addMenu(_("&Extras"))
        autolock = QAction(_("&Auto-lock after…"), self)
        autolock.triggered.connect(self.configure_autolock)
        self.act_member = QAction(_("Add &staff member…"), self)
        self.act_member.triggered.connect(lambda: self._passphrase_dialog(True))
        self.act_passphrase = QAction(_("Change &passphrase…"), self)
        self.act_passphrase.triggered.connect(lambda: self._passphrase_dialog(False))
        for a in (autolock, self.act_member, self.act_passphrase):
            extras.addAction(a)
        self._update_actions()

    def _update_actions(self) -> None:
        open_ = self.session.is_open
        for act in (self.act_new, self.act_lock, self.act_member, self.act_passphrase):
            act.setEnabled(open_)

    # -- lock / unlock ---------------------------------------------------------
    def _show_lock_screen(self) -> None:
        self.lock_screen = LockScreen(self.session, self.hint)
        self.lock_screen.unlocked.connect(self._on_unlocked)
        self.stack.addWidget(self.lock_screen)
        self.stack.setCurrentWidget(self.lock_screen)
        self.status_label.setText(str(self.session.path))
        self._update_actions()

    def _on_unlocked(self, store) -> None:
        self.session.attach(store)
        if self.lock_screen is not None:
            self.stack.removeWidget(self.lock_screen)
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self._build_workspace()
        for dialog in self._hidden_dialogs:
            if shiboken6.isValid(dialog):
                dialog.show()
        self._hidden_dialogs = []

    def lock(self) -> None:
        """Hide everything personal, drop the key, and ask for the passphrase again."""
        if not self.session.is_open:
            return
        self._destroy_workspace()  # closes the case view's previews and interpreter views
        self._hidden_dialogs = [w for w in QApplication.topLevelWidgets()
                                if isinstance(w, QDialog) and w.isVisible()]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        self.session.lock()
        self._show_lock_screen()

    # -- workspace -------------------------------------------------------------
    def _build_workspace(self) -> None:
        self.workspace = QSplitter(Qt.Orientation.Horizontal)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(220)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setWordWrap(True)  # a name longer than the space left wraps instead of being cut off
        self.nav.setResizeMode(QListView.ResizeMode.Adjust)  # wrapped heights follow the width
        self.pages = QStackedWidget()
        cases = QSplitter(Qt.Orientation.Horizontal)
        self.case_list = CaseListPage(self.session)
        self.case_view = CaseView(self.session, self.parts.tabs)
        cases.addWidget(self.case_list)
        cases.addWidget(self.case_view)
        cases.setSizes([640, 700])  # the case view at its narrowest, the list with all its columns
        self.case_list.open_case.connect(lambda row: self.case_view.show_case(row.household_id, row.case_id))
        self.case_view.edit_household.connect(self.edit_household)
        self.case_list.new_intake.connect(self.start_intake)
        self.case_view.show_conflicts.connect(lambda: self._show_page("ConflictsPage"))
        self.nav.addItem(_("Cases"))
        self.pages.addWidget(cases)
        self.extra_pages: list[QWidget] = []
        self.page_titles: list[str] = []
        for factory in self.parts.pages:
            title, widget = factory(self.session, self)
            self.page_titles.append(title)
            self.nav.addItem(title)
            if hasattr(widget, "waiting_changed"):
                widget.waiting_changed.connect(self._update_waiting)
            self.pages.addWidget(widget)
            self.extra_pages.append(widget)
        self.nav.currentRowChanged.connect(self._page_changed)
        self.workspace.addWidget(self.nav)
        self.workspace.addWidget(self.pages)
        self.workspace.setStretchFactor(1, 1)
        self.workspace.setSizes([140, 1200])
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        from .sync_panel import SyncPanel

        self.sync_panel = SyncPanel(self.session)
        self.sync_panel.changed.connect(self.apply_changes)
        self.sync_panel.synced.connect(self._after_sync)
        self.case_list.sync_requested.connect(self.sync_panel.start)
        self.statusBar().addWidget(self.sync_panel)
        self.nav.setCurrentRow(0)
        first = next((row for row, page in enumerate(self.extra_pages, 1) if getattr(page, "opens_first", False)), 0)
        if first:  # the day's office hour (ui.today_page) is the screen after unlocking; the case list (0.8 s
            self.nav.setCurrentRow(first)  # at 20,000 cases) and the counts follow once the day is on screen
            self._cases_pending = True
            page = self.extra_pages[first - 1]
            if hasattr(page, "painted"):
                page.painted.connect(self._fill_cases_once)
            QTimer.singleShot(1000, self._fill_cases_once)  # also when the day is never painted (minimised)
        else:
            self.refresh()
            self.case_list.search.setFocus()
        self._update_actions()

    def _fill_cases_once(self) -> None:
        """The case list and the navigation counts, once, after the first page is on screen."""
        if self._cases_pending and self.workspace is not None:
            self._cases_pending = False
            self.refresh()

    def _destroy_workspace(self) -> None:
        if self.workspace is not None:
            self.case_list.clear()
            self.case_view.clear()
            for page in self.extra_pages:
                if hasattr(page, "clear"):
                    page.clear()
            self.sync_panel.timer.stop()
            self.sync_panel.cancel()
            self.statusBar().removeWidget(self.sync_panel)
            self.sync_panel.setParent(None)
            self.sync_panel.deleteLater()
            self.stack.removeWidget(self.workspace)
            self.workspace.setParent(None)
            self.workspace.deleteLater()
            self.workspace = None

    def _show_page(self, class_name: str) -> None:
        for row, page in enumerate(self.extra_pages, start=1):
            if type(page).__name__ == class_name:
                self.nav.setCurrentRow(row)

    def _page_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        widget = self.pages.currentWidget()
        if hasattr(widget, "refresh") and row > 0 and getattr(widget, "refresh_on_show", True):
            widget.refresh()

    def refresh(self) -> None:
        if not self.session.is_open or self.workspace is None:
            return
        self.case_list.refresh()
        n = sum(1 for r in self.case_list.model.rows if r.case_id is not None)
        self.status_label.setText(f"{self.session.staff_name} · {self.session.path} · "
                                  + i18n.ngettext("{n} case", "{n} cases", n).format(n=n))
        self._update_waiting()

    def _update_waiting(self) -> None:
        """Pages that say how many items wait for a person show it in the navigation: "Konflikte (5)"."""
        if not self.session.is_open or self.workspace is None:
            return
        for row, (title, page) in enumerate(zip(self.page_titles, self.extra_pages, strict=True), start=1):
            count = page.waiting() if hasattr(page, "waiting") else 0
            item = self.nav.item(row)
            item.setText(_("{page} ({count})").format(page=title, count=count) if count else title)
            item.setToolTip(i18n.ngettext("{n} waits for a decision", "{n} wait for a decision", count).format(n=count)
                            if count else "")
        self._fit_nav()

    def _fit_nav(self) -> None:
        """Widen the navigation to its longest entry (up to its maximum), so no page name is cut off
        (longer translations, a count added); never narrower than the user made it."""
        need = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 8
        sizes = self.workspace.sizes() if self.workspace is not None else []
        if len(sizes) == 2 and sizes[0] < need:
            width = min(need, self.nav.maximumWidth())
            self.workspace.setSizes([width, max(0, sum(sizes) - width)])

    def _after_sync(self, summary) -> None:
        """A sync renews the offline lease (the list may unlock); deletion orders remove records without
        logging changes, so the open case is shown again (or cleared) when any were applied."""
        if not self.session.is_open or self.workspace is None:
            return
        self.refresh()
        view = self.case_view
        if getattr(summary, "orders", 0) and view.household_id:
            view.show_case(view.household_id, view.case_id)

    def apply_changes(self, changed) -> None:
        """Bring every open view up to date after an operation (a sync) wrote `changed`."""
        if not self.session.is_open or self.workspace is None:
            return
        self.refresh()
        view = self.case_view
        if view.household_id and (view.household_id in changed.households
                                  or not self.session.household_exists(view.household_id)):
            view.show_case(view.household_id, view.case_id)  # (clears the view if the household left)
        for page in self.extra_pages:
            if page.isVisible() and hasattr(page, "refresh"):
                page.refresh()

    # -- actions -------------------------------------------------------------
    def new_household(self) -> None:
        self._household_dialog(None)

    def start_intake(self) -> None:
        """The guided intake (ui.intake_flow); at its end the new case is selected and shown with its next steps."""
        from .intake_flow import start_intake

        if not self.session.is_open:
            return
        done = start_intake(self.session, self)
        if done is None or not self.session.is_open:
            return
        household_id, case_id = done
        self.nav.setCurrentRow(0)
        self.refresh()
        if case_id:
            self.case_list.select_case(case_id)
        self.case_view.show_case(household_id, case_id)

    def edit_household(self, household_id: str) -> None:
        self._household_dialog(household_id)

    def _household_dialog(self, household_id: str | None) -> None:
        if not self.session.is_open:
            return
        dialog = HouseholdDialog(self.session, household_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and self.session.is_open:
            self.refresh()
            self.case_view.show_case(dialog.saved_id, self.case_view.case_id if household_id else None)

    def set_language(self, code: str) -> None:
        if code == i18n.current_language():
            return
        self.parts.apply_language(code)
        settings.put(settings.LANGUAGE, code)
        self.setWindowTitle(_("Sprechstunde"))
        self._build_menus()
        if self.session.is_open:
            self._destroy_workspace()
            self._build_workspace()
        else:
            old = self.lock_screen
            self._show_lock_screen()
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()

    def _passphrase_dialog(self, with_login: bool) -> None:
        from .staff_dialogs import PassphraseDialog

        if self.session.is_open and PassphraseDialog(self.session, with_login, self).exec():
            self.statusBar().showMessage(_("Saved."), 5000)

    def configure_autolock(self) -> None:
        minutes, ok = QInputDialog.getInt(
            self, _("Auto-lock"), _("Lock after this many minutes without input (0 = never):"),
            settings.get(settings.AUTOLOCK_MINUTES), 0, 240)
        if ok:
            settings.put(settings.AUTOLOCK_MINUTES, minutes)
            self.idle.set_minutes(minutes)

    def closeEvent(self, event) -> None:  # noqa: N802
        settings.put(settings.GEOMETRY, self.saveGeometry())
        self._destroy_workspace()  # interpreter views and previews close with the main window
        self.session.lock()
        super().closeEvent(event)

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, _("Sprechstunde"), text)

