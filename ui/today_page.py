"""The day's office hour: who comes when, what is due for them, what they bring; arrived/kept/missed; walk-ins.

The page of the laptop's town (app.booking home office; a town picker beside
it) on today's date, or the town's next office-hour day. One row per slot and
desk (models, not item widgets); keys on the table: A arrived, K kept, M
missed, B booked again (a wrong "missed" set back), S cancelled, V reschedules
(the booking dialog on the next free slot), Enter opens the case or, on a free
slot, books one (the booking dialog, with the length in slots).
The interpreter languages needed today are at the top; the walk-in queue
below shows the waiting time; a walk-in is added by searching a case
(Ctrl+W focuses the search) or as a new household (the household dialog, the
page's town preset): on saving, the new household's case (its first
member's) joins the queue.
Everything goes through `session.hours` (app.hours).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QCompleter, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListView,
    QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app.booking import STATUS_LABELS
from app.checks import ValidationError
from i18n import N_, _
from i18n import locale as loc

import i18n

from .booking_dialog import BookingDialog
from .household_dialog import HouseholdDialog
from .models import ROW_ROLE, SORT_ROLE, RowListModel, RowTableModel, bidi_cell

HEADERS = (N_("Time"), N_("Desk"), N_("Client"), N_("Case"), N_("Purpose"), N_("Interpreter"), N_("Status"),
           N_("Due and open measures"), N_("What to bring"))
KEYS = {Qt.Key.Key_A: "arrived", Qt.Key.Key_K: "kept", Qt.Key.Key_M: "missed", Qt.Key.Key_B: "booked"}


def language_name(code: str) -> str:
    from app.labels import label

    return label("language", code) if code else ""


class DayModel(RowTableModel):
    """The day's rows; every cell's text is made once per fill (`set_rows`): the view asks `data()` some
    10,000 times while it lays out and paints 100 rows."""

    MISSED = QColor("#b00020")
    FREE = QColor("#777777")

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self._cells: list[tuple] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._cells = [tuple(bidi_cell(self.cell(r, c)) for c in range(len(HEADERS))) for r in self.rows]
        self.endResetModel()

    def cell(self, r, column: int):
        if column == 0:  # a longer booking: from its start to its end, in its first row
            return r.starts_at[11:16] + (f"–{r.ends_at[11:16]}" if r.slots > 1 and not r.continued else "")
        if column == 1:
            return f"{r.desk} · {r.agency}" if r.desk else (r.agency or "")
        if not r.appointment_id:
            return _("free") if column == 2 else ""
        if r.continued:  # a later slot of a longer booking: the desk is busy with it
            return ("↳ " + r.name if column == 2 else _("(continued)") if column == 4 else "")
        notes = " · ".join(r.due + r.measures) if r.level == "full" else _("only booking data")
        return (None, None, r.name + (" ⚠" if r.lost_desk else ""), r.case_number, r.purpose,
                language_name(r.interpreter), _(STATUS_LABELS.get(r.status, r.status)),
                notes, "; ".join(r.bring))[column]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._cells[index.row()][index.column()] if index.isValid() else None
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            r = self.rows[index.row()]
            if not r.appointment_id:
                return self.FREE
            if r.status == "missed":
                return self.MISSED
            return None
        if role == ROW_ROLE or role == SORT_ROLE:
            return super().data(index, role)
        return None


class QueueModel(RowListModel):
    def text(self, r) -> str:
        since = (r.arrived_at or r.starts_at)[11:16]
        if r.status == "arrived":
            wait = _("waiting {minutes} min").format(minutes=r.waiting_minutes or 0)
        else:
            wait = _(STATUS_LABELS.get(r.status, r.status))
        lang = f" · {language_name(r.interpreter)}" if r.interpreter else ""
        return f"{since}  {r.name} ({r.case_number}) – {r.purpose}{lang} – {wait}"


class TodayPage(QWidget):
    open_case = Signal(str, str)  # household_id, case_id
    painted = Signal()  # the day is on screen (after its first paint): the main window fills the rest then

    def __init__(self, session, window=None):
        super().__init__(window)
        self.session = session
        self.window_ = window
        self.day = None
        self._shown: tuple | None = None  # what the table shows: (town, day, change mark, minute, language)
        self._after_paint_pending = False
        self.office = QComboBox()
        self.office.setObjectName("today_office")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.title = QLabel()
        self.title.setObjectName("today_title")
        f = self.title.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        self.title.setFont(f)
        self.closed = QLabel()  # a cancelled (or moved) office hour of the day and its note, prominently
        self.closed.setObjectName("today_cancelled")
        self.closed.setWordWrap(True)
        self.closed.setStyleSheet("QLabel { background: #fdecea; color: #8a1c12; border: 1px solid #e0a39c;"
                                  " border-radius: 3px; padding: 6px; font-weight: bold; }")
        self.closed.hide()
        self.interpreters = QLabel()
        self.interpreters.setObjectName("today_interpreters")
        self.interpreters.setWordWrap(True)
        self.model = DayModel(self)
        self.table = QTableView()
        self.table.setObjectName("today_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        # two lines until the rows are sized to their text right after the first paint
        self.table.verticalHeader().setDefaultSectionSize(2 * self.table.fontMetrics().lineSpacing() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)  # due items and what to bring share
        header.setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)  # the room (both wrap); headers stay whole
        self.table.installEventFilter(self)
        self._viewport = self.table.viewport()
        self._viewport.installEventFilter(self)  # its first paint with the rows: then `_after_paint`
        self.table.doubleClicked.connect(lambda _i: self._open_selected())
        self.queue_model = QueueModel(self)
        self.queue = QListView()
        self.queue.setObjectName("today_queue")
        self.queue.setModel(self.queue_model)
        self.queue.setMaximumHeight(150)
        self.queue.installEventFilter(self)
        self.search = QLineEdit()
        self.search.setObjectName("walk_in_search")
        self.search.setPlaceholderText(_("Walk-in: name or case number, then Enter"))
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search.setCompleter(self.completer)
        self.search.returnPressed.connect(self._add_walk_in)
        self.search.installEventFilter(self)  # focused: the walk-in list is there (if not read yet)
        self.new_household = QPushButton(_("New household…"))
        self.new_household.clicked.connect(self._new_household)
        self.help = QLabel(_("Keys: A arrived · K kept · M missed · B booked again · S cancelled · V reschedule · "
                             "Enter opens the case, on a free slot books one · Ctrl+W walk-in"))
        self.help.setObjectName("today_help")
        self.help.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(_("Town")))
        top.addWidget(self.office)
        top.addWidget(QLabel(_("Day")))
        top.addWidget(self.date)
        walk = QHBoxLayout()
        walk.addWidget(self.search, 1)
        walk.addWidget(self.new_household)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.closed)
        lay.addWidget(self.interpreters)
        lay.addWidget(self.table, 1)
        lay.addWidget(QLabel(_("Waiting queue (walk-ins)")))
        lay.addWidget(self.queue)
        lay.addLayout(walk)
        lay.addWidget(self.help)
        QShortcut(QKeySequence("Ctrl+W"), self, activated=self._focus_search)
        self._choices: dict[str, dict] = {}
        self._choice_rows: list | None = None  # the list `_choices` was made from
        self.household_dialog = None  # the open "new household" dialog of a walk-in
        self.booking_dialog = None  # the last booking dialog
        self._fill_offices()
        self.office.currentIndexChanged.connect(self._office_changed)
        self.date.dateChanged.connect(lambda _d: self.refresh())

    def _focus_search(self) -> None:
        self.walk_in_choices()
        self.search.setFocus()

    # -- state ---------------------------------------------------------------------
    def _fill_offices(self) -> None:
        if not self.session.is_open:
            return
        hours = self.session.hours
        self.office.blockSignals(True)
        self.office.clear()
        for o in hours.field_offices():
            self.office.addItem(o.name, o.code)
        home = hours.booking.home_office()
        if home is None or self.office.findData(home) < 0:
            home = self._first_with_hours_today() or "TEL"
        self.office.setCurrentIndex(max(0, self.office.findData(home)))
        self.office.blockSignals(False)
        self._go_to_default_day()
        self.refresh()

    def _first_with_hours_today(self) -> str | None:
        hours = self.session.hours
        today = hours.today()
        codes = {h.office for h in hours.booking.schedule().hours(None, today, today)}
        return next((o.code for o in hours.field_offices() if o.code in codes), None)

    def _go_to_default_day(self) -> None:
        code = self.office.currentData()
        if not code:
            return
        day = self.session.hours.default_day(code)
        self.date.blockSignals(True)
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.date.blockSignals(False)

    @property
    def opens_first(self) -> bool:
        """The main window shows this page after unlocking when the laptop's town is known (chosen here,
        enrolled for, or the staff member's office): on its office-hour day, else on the next one. Not while
        the offline lease has run out: then the case list says so and offers the sync."""
        from app.lease import LeaseExpired

        if not self.session.is_open:
            return False
        try:
            self.session.check_lease()
        except LeaseExpired:
            return False
        return self.session.hours.booking.home_office() is not None

    def has_hours_today(self) -> bool:
        """Whether the page's town holds office hours today (then the window opens on this page)."""
        if not self.session.is_open or not self.office.currentData():
            return False
        hours = self.session.hours
        return bool(hours.booking.schedule().hours(self.office.currentData(), hours.today(), hours.today()))

    def _office_changed(self) -> None:
        code = self.office.currentData()
        if code and self.session.is_open:
            try:
                self.session.hours.booking.set_home_office(code)
            except ValidationError:
                pass
        self._go_to_default_day()
        self.refresh()

    def selected_day(self) -> dt.date:
        q = self.date.date()
        return dt.date(q.year(), q.month(), q.day())

    def refresh(self) -> None:
        """Read the day again and show it. The first paint does not wait for the walk-in search list (every
        open case) nor for the rows' heights: both follow right after it (`_after_paint`). A refresh that
        would show exactly what is shown (same town, day, minute and change log: the main window showing
        the page it has just built) reads nothing."""
        if not self.session.is_open or not self.office.currentData():
            return
        code, day = self.office.currentData(), self.selected_day()
        hours = self.session.hours
        key = (code, day, self.session.change_mark(), hours.booking.now(), i18n.current_language())
        if key == self._shown:
            return
        keep = self._current_id()
        self.day = hours.day(code, day)
        self._shown = key
        self.title.setText(_("Office hour {town}").format(town=self.office.currentText()) + " – "
                           + loc.format_date(day, i18n.current_language(), "full"))
        notes = hours.closed_notes(code, day) if self.day.cancelled else []
        self.closed.setText("\n".join(notes))
        self.closed.setVisible(bool(notes))
        if self.day.holiday:
            self.interpreters.setText(_("Public holiday: {name}. No office hours.").format(name=self.day.holiday))
        elif not self.day.hours:
            self.interpreters.setText(_("No office hours on this day."))
        elif self.day.interpreters:
            self.interpreters.setText(_("Interpreters needed today: {languages}").format(languages="; ".join(
                f"{language_name(lang)} ({self.day.interpreter_times(lang)})" for lang in self.day.interpreters)))
        else:
            self.interpreters.setText(_("No interpreter needed today."))
        self.model.set_rows(self.day.rows + self.day.lost)
        self.queue_model.set_rows(self.day.walk_ins)
        self._select(keep)
        self._after_paint_pending = True  # the viewport's next paint posts `_after_paint`

    def _painted(self) -> None:
        if self._after_paint_pending:
            self._after_paint_pending = False
            QTimer.singleShot(0, self._after_paint)  # posted now: it runs after this paint

    def _after_paint(self) -> None:
        """What the first paint need not wait for: the rows' heights (wrapped text) and the walk-in list."""
        if not self.session.is_open:
            return
        self.table.resizeRowsToContents()
        self.walk_in_choices()
        self.painted.emit()

    def walk_in_choices(self) -> dict[str, dict]:
        """The walk-in search's cases ("name (case number)" -> case), the page's town first; the completer
        gets them too. Read right after the page has painted, or when asked before."""
        code = self.office.currentData()
        if not self.session.is_open or not code:
            return self._choices
        rows = self.session.hours.case_choices(code)
        if rows is not self._choice_rows:
            self._choice_rows = rows
            self._choices = {f"{c['name']} ({c['case_number']})": c for c in rows}
            self.completer.model().setStringList(list(self._choices))  # type: ignore[attr-defined]
        return self._choices

    def _current_id(self) -> str | None:
        r = self.current_row()
        return r.appointment_id if r else None

    def _select(self, appointment_id: str | None) -> None:
        rows = self.model.rows
        index = next((i for i, r in enumerate(rows) if appointment_id and r.appointment_id == appointment_id),
                     next((i for i, r in enumerate(rows) if r.appointment_id), 0))
        if rows:
            self.table.selectRow(index)

    def current_row(self):
        index = self.table.currentIndex()
        return self.model.data(self.model.index(index.row(), 0), ROW_ROLE) if index.isValid() else None

    # -- actions -------------------------------------------------------------------
    def mark(self, status: str, row=None) -> bool:
        row = row or self.current_row()
        if row is None or not row.appointment_id:
            return False
        try:
            self.session.hours.booking.set_status(row.appointment_id, status)
        except ValidationError as exc:
            QMessageBox.information(self, _("Office hour"), "\n".join(exc.errors.values()))
            return False
        self.refresh()
        return True

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == event.Type.Paint and obj is self._viewport:
            self._painted()
        elif event.type() == event.Type.FocusIn and obj is getattr(self, "search", None):
            self.walk_in_choices()
        if event.type() == event.Type.KeyPress and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                                          Qt.KeyboardModifier.KeypadModifier):
            key = event.key()
            if obj is self.table and key in KEYS:
                self.mark(KEYS[key])
                return True
            if obj is self.queue and key in (Qt.Key.Key_K, Qt.Key.Key_M):
                idx = self.queue.currentIndex()
                if idx.isValid():
                    self.mark(KEYS[key], self.queue_model.rows[idx.row()])
                return True
            if obj is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_N):
                r = self.current_row()
                if r is not None and not r.appointment_id:
                    self.book_slot(r)  # a free slot: book a client into it
                elif key != Qt.Key.Key_N:
                    self._open_selected()
                return True
            if obj is self.table and key == Qt.Key.Key_S:
                self.mark("cancelled")
                return True
            if obj is self.table and key == Qt.Key.Key_V:
                self.reschedule()
                return True
        return super().eventFilter(obj, event)

    def book_slot(self, row=None):
        """A free slot: the booking dialog (modal); returns the dialog after it closed (booked_id is set when
        it booked)."""
        row = row or self.current_row()
        if row is None or row.appointment_id or not self.office.currentData():
            return None
        dialog = BookingDialog(self.session, self.office.currentData(), row.starts_at, row.agency, self)
        self.booking_dialog = dialog
        if dialog.exec() and dialog.booked_id:
            self.refresh()
            self._select(dialog.booked_id)
        return dialog

    def reschedule(self, row=None):
        """A booking (booked or missed): the booking dialog moves it to another slot (modal); returns the dialog
        after it closed (booked_id is the new booking when it moved)."""
        row = row or self.current_row()
        if row is None or not row.appointment_id or row.walk_in or row.status not in ("booked", "missed"):
            return None
        row = next((r for r in self.model.rows if r.appointment_id == row.appointment_id and not r.continued), row)
        code = self.office.currentData()
        start = self.session.hours.booking.next_free(code, row.starts_at, row.agency, slots=row.slots)
        at = start.starts_at if start is not None else row.starts_at
        dialog = BookingDialog(self.session, code, at, row.agency, self, moving=row)
        self.booking_dialog = dialog
        if dialog.exec() and dialog.booked_id:
            self.refresh()
            self._select(dialog.booked_id)
        return dialog

    def _open_selected(self) -> None:
        r = self.current_row()
        if r is not None and not r.appointment_id:
            self.book_slot(r)
            return
        if r is not None and r.case_id and r.household_id:
            self.open_case.emit(r.household_id, r.case_id)

    def add_walk_in(self, case_id: str) -> str | None:
        try:
            aid = self.session.hours.booking.walk_in(case_id, self.office.currentData())
        except ValidationError as exc:
            QMessageBox.information(self, _("Office hour"), "\n".join(exc.errors.values()))
            return None
        self.refresh()
        return aid

    def _add_walk_in(self) -> None:
        text = self.search.text().strip()
        choices = self.walk_in_choices()
        choice = choices.get(text) or next(
            (c for c in choices.values() if text and text.lower() in (c["case_number"].lower(), c["name"].lower())),
            None)
        if choice is None:
            return
        if self.add_walk_in(choice["id"]):
            self.search.clear()

    def _new_household(self) -> None:
        """A walk-in not registered yet: the household dialog opens (not blocking the page); saved, the
        household's first case joins the waiting queue."""
        if not self.session.is_open or not self.office.currentData():
            return
        dialog = HouseholdDialog(self.session, None, self, office=self.office.currentData())
        dialog.accepted.connect(lambda: self._household_saved(dialog))
        self.household_dialog = dialog
        dialog.open()

    def _household_saved(self, dialog) -> None:
        if not self.session.is_open:
            return
        if self.window_ is not None and hasattr(self.window_, "refresh"):
            self.window_.refresh()  # the case list counts the new case
        if not dialog.saved_case_ids:
            self.refresh()
            QMessageBox(QMessageBox.Icon.Information, _("Office hour"), _(
                "The household is saved, but none of its members has a case: only a case can wait in the queue."),
                QMessageBox.StandardButton.Ok, self).exec()
            return
        self.add_walk_in(dialog.saved_case_ids[0])


def today_page(session, window):
    """The "Today" page of the main window; Enter on a row opens its case in the case view."""
    widget = TodayPage(session, window)

    def open_case(household_id: str, case_id: str) -> None:
        window.nav.setCurrentRow(0)
        window.case_view.show_case(household_id, case_id)

    widget.open_case.connect(open_case)
    return _("Today"), widget
