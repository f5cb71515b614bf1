"""The conflicts page: every open conflict with both values, who and when; resolve each.

Resolving (keep the current value, take the other one, or type a new one) is
an ordinary change through app.conflicts, so it syncs to every laptop and
the hub like any edit. A double booking (two laptops booked one desk of an
office hour) is settled with one click: the booking that lost the desk moves
to the next free slot of its agency (`session.hours`, app.booking), and the
page says where it went.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

import i18n
from app.access import AccessDenied
from app.checks import ValidationError
from app.conflicts import ConflictError
from app.labels import label
from i18n import N_, _, ngettext
from i18n import locale as loc

from .casework.common import show_date
from .columns import keep_fitted, select_row, text_width
from .models import RowTableModel

HEADERS = (N_("Record"), N_("Field"), N_("Current value"), N_("by / when"), N_("Other value"), N_("by / when"))


def _when(side) -> str:
    """Who and when, the UTC stamp shown in local time like every date of the app (DD.MM.YYYY HH:MM)."""
    who = side.staff_name or side.device_id or "?"
    try:
        at = dt.datetime.fromisoformat(side.at).astimezone()
    except (TypeError, ValueError):
        return f"{who} · {side.at}"
    return f"{who} · {show_date(at.date().isoformat())} {at:%H:%M}"


def _show(value) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# coded fields whose values a person reads by name (app.labels kinds); the case's status only
_CODED = {"relation": "relation", "sex": "sex", "office": "office", "rechtskreis": "rechtskreis",
          "nationality": "country", "country_of_origin": "country", "interpreter_language": "language"}


def _show_value(entity: str, field: str, value) -> str:
    kind = "status" if (entity, field) == ("case", "status") else _CODED.get(field)
    if kind and isinstance(value, str):
        return label(kind, value)
    return _show(value)


class ConflictModel(RowTableModel):
    """Rows are app.conflicts.Conflict; `names` holds each record's name (from the session, set with the rows)."""

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.names: dict[tuple[str, str], str] = {}

    def _value(self, c, value) -> str:
        if c.entity == "slot_claim" and isinstance(value, str):  # a booking: whose it is
            return self.names.get(("appointment", value)) or _show(value)
        return _show_value(c.entity, c.field, value)

    def cell(self, c, column: int):
        return (
            self.names.get((c.entity, c.entity_id)) or f"{label('entity', c.entity)} {c.entity_id[:8]}",
            label("field", c.field), self._value(c, c.current.value),
            _when(c.current),
            self._value(c, c.other.value), _when(c.other),
        )[column]


class ConflictsPage(QWidget):
    waiting_changed = Signal()  # a conflict was settled: the navigation's count changes

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = ConflictModel(self)
        self.table = QTableView()
        self.table.setObjectName("conflictTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # every column on screen: the record's name elides first (down to a name), then the others alike;
        # who and when keep a name and the time
        when = text_width(self.table, "Max Mustermann · 00.00.0000 00:00")
        keep_fitted(self.table, stretch=0, give_way=(0,), floors={0: text_width(self.table, "Fall WAF-26-XXXX-0000 (Max M…"),
                                                               3: when, 5: when}, keep=(1,))
        self.info = QLabel()
        self.keep = QPushButton(_("Keep current value"))
        self.take = QPushButton(_("Take other value"))
        self.new = QPushButton(_("Enter new value…"))
        self.keep.clicked.connect(lambda: self.resolve("current"))
        self.take.clicked.connect(lambda: self.resolve("other"))
        self.new.clicked.connect(self.resolve_new)
        self.move = QPushButton(_("&Move to the next free slot"))
        self.move.setObjectName("moveToNextFree")
        self.move.setToolTip(_("Two laptops booked the same desk: the booking that lost it moves to the next "
                               "free slot of its agency."))
        self.move.clicked.connect(self.move_to_next_free)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        buttons = QHBoxLayout()
        for b in (self.keep, self.take, self.new):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.move)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Two laptops changed the same field without seeing each other's value. "
                               "The newer value is in force; decide which one is right.")))
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.info)

    def refresh(self, done: str = "") -> None:
        """Show the open conflicts; `done` (what the last action did) leads the count line."""
        rows = self.session.open_conflicts()
        names = {(c.entity, c.entity_id): self.session.record_name(c.entity, c.entity_id) for c in rows}
        for c in rows:
            if c.entity == "slot_claim":
                for value in (c.current.value, c.other.value):
                    if isinstance(value, str):
                        names[("appointment", value)] = self.session.record_name("appointment", value)
        self.model.names = names
        self.model.set_rows(rows)
        n = len(rows)
        count = (ngettext("{n} open conflict", "{n} open conflicts", n).format(n=n) if n
                 else _("No open conflicts."))
        self.info.setText(f"{done}\n{count}" if done else count)
        if self.model.rows:
            select_row(self.table, 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        c = self._selected()
        double = c is not None and self.session.is_open and self.session.hours.is_double_booking(c)
        self.move.setEnabled(double)
        self.new.setEnabled(c is not None and not double)  # a booking is not typed in

    def move_to_next_free(self) -> None:
        """The selected double booking: the losing booking to the next free slot; the page says where."""
        conflict = self._selected()
        if conflict is None or not self.session.hours.is_double_booking(conflict):
            return
        try:
            moved = self.session.hours.move_to_next_free(conflict.id)
        except ValidationError as exc:
            QMessageBox.warning(self, _("Conflict"), "\n".join(exc.errors.values()))
            return
        except (AccessDenied, ConflictError) as exc:
            QMessageBox.warning(self, _("Conflict"), str(exc))
            self.refresh()
            return
        self.refresh(_moved_text(moved))
        self.waiting_changed.emit()

    def waiting(self) -> int:
        """Open conflicts, for the navigation's count (MainWindow.refresh)."""
        return self.session.open_conflict_count()

    def clear(self) -> None:
        self.model.set_rows([])

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def resolve(self, take: str, value=None) -> None:
        conflict = self._selected()
        if conflict is None:
            return
        try:
            self.session.resolve_conflict(conflict.id, take=take, value=value)
        except ValueError as exc:
            QMessageBox.warning(self, _("Conflict"), str(exc))
        self.refresh()
        self.waiting_changed.emit()

    def resolve_new(self) -> None:
        conflict = self._selected()
        if conflict is None:
            return
        text, ok = QInputDialog.getText(self, _("New value"),
                                        _("Value for {field}:").format(field=label("field", conflict.field)),
                                        text=_show(conflict.current.value))
        if ok:
            self.resolve("new", text)


def _moved_text(moved: dict | None) -> str:
    if moved is None:
        return _("The other booking keeps the desk; nothing had to move.")
    lang = i18n.current_language()
    when = f"{loc.format_date(moved['starts_at'][:10], lang, 'full')}, {moved['starts_at'][11:16]}"
    return _("Moved {name} ({number}) to {when}, desk {desk} ({agency}).").format(
        name=moved["name"] or "?", number=moved["case_number"], when=when, desk=moved["desk"],
        agency=moved["agency"] or "")


def conflicts_page(session, window):
    return _("Conflicts"), ConflictsPage(session, window)
