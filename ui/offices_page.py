"""The offices page: an office's data, its recurring office hours and their exceptions; the central office edits.

Three tabs over `session.hours` (app.hours): the office (address, phone,
rooms, attending agencies, accessibility, directions per client language as
the slip prints them), the recurring office hours (weekday, times, slot
length, desks, staff, room, valid from/to) and the exceptions (a date
cancelled, a date moved, a one-off extra office hour). Whether the staff
member may edit is decided in app/ (the role table's `manage_offices`); for
everyone else the page is read-only and says why. A refused or invalid
save shows its messages under the form and writes nothing. Lists are
RowTableModels; edits sync like any other change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPlainTextEdit, QPushButton, QSpinBox, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

import i18n
from app.checks import ValidationError
from app.consent import agency_label
from app.labels import label
from app.offices import BOOKABLE_AGENCIES, DIRECTION_LANGUAGES, OFFICE_AGENCIES
from i18n import N_, _
from i18n import locale as loc

from .casework.common import attempt, date_value, error_label, set_error, show_date
from .models import ROW_ROLE, RowTableModel

KIND_LABELS = {"cancelled": N_("office hour cancelled"), "moved": N_("office hour moved"),
               "extra": N_("extra office hour")}
WHOLE_DAY = ""  # the office-hour choice of a cancelled date that cancels every office hour of the day
TEMPLATE_HEADERS = (N_("Weekday"), N_("Time"), N_("Slot"), N_("Desks"), N_("Staff"), N_("Room"),
                    N_("Valid from"), N_("Valid to"))
CHANGE_HEADERS = (N_("Date"), N_("Kind"), N_("Office hour"), N_("New date"), N_("Time"), N_("Desks"), N_("Room"),
                  N_("Note"))
FIELD_LABELS = {"name": N_("Name"), "address": N_("Address"), "phone": N_("Phone"), "rooms": N_("Rooms"),
                "agencies": N_("Attending agencies"), "accessibility": N_("Accessibility"),
                "directions": N_("Directions"), "weekday": N_("Weekday"), "starts": N_("Begins"),
                "ends": N_("Ends"), "slot_minutes": N_("Slot length"), "desks": N_("Desks"), "staff": N_("Staff"),
                "room": N_("Room"), "valid_from": N_("Valid from"), "valid_to": N_("Valid to"), "date": N_("Date"),
                "to_date": N_("New date"), "kind": N_("Kind"), "template_id": N_("Office hour"),
                "template": N_("Office hour"), "change": N_("Exception"), "note": N_("Note"), "office": N_("Town")}


def weekday_name(day: int, width: str = "wide") -> str:
    """Montag … Sonntag (0 = Monday) in the UI language; `width` "abbreviated": Mo. … So."""
    return loc.babel_locale(i18n.current_language()).days["stand-alone"][width][day]


def _times(row: dict) -> str:
    return f"{row['starts']}–{row['ends']}" if row.get("starts") and row.get("ends") else ""


def template_label(t: dict) -> str:
    day = weekday_name(t["weekday"], "abbreviated") if isinstance(t.get("weekday"), int) else "?"
    return f"{day} {_times(t)}"


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]


def _messages(exc: ValidationError) -> str:
    """One line per field: "Ende: Die Sprechstunde muss nach ihrem Beginn enden."."""
    return "\n".join(f"{_(FIELD_LABELS[k])}: {v}" if k in FIELD_LABELS else v for k, v in exc.errors.items())


class TemplateModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__(TEMPLATE_HEADERS, parent)

    def cell(self, t, column: int):
        return (weekday_name(t["weekday"]) if isinstance(t.get("weekday"), int) else "", _times(t),
                _("{n} min").format(n=t.get("slot_minutes") or 30), ", ".join(t.get("desks") or ()),
                ", ".join(t.get("staff") or ()), t.get("room") or "", show_date(t.get("valid_from")),
                show_date(t.get("valid_to")))[column]


class ChangeModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__(CHANGE_HEADERS, parent)
        self.templates: dict[str, dict] = {}

    def cell(self, c, column: int):
        t = self.templates.get(c.get("template_id") or "")
        which = template_label(t) if t else (_("whole day") if c.get("kind") == "cancelled" else "")
        return (show_date(c.get("date")), _(KIND_LABELS.get(c.get("kind") or "", c.get("kind") or "")), which,
                show_date(c.get("to_date")), _times(c), ", ".join(c.get("desks") or ()), c.get("room") or "",
                c.get("note") or "")[column]


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _time_edit() -> QLineEdit:
    e = QLineEdit()
    e.setPlaceholderText(_("HH:MM"))
    e.setMaximumWidth(70)
    return e


def _date_edit() -> QLineEdit:
    e = QLineEdit()
    e.setPlaceholderText(_("DD.MM.YYYY"))
    e.setMaximumWidth(110)
    return e


def _slot_spin() -> QSpinBox:
    """Slot length in minutes, 5 to 240 in steps of 5."""
    spin = QSpinBox()
    spin.setRange(5, 240)
    spin.setSingleStep(5)
    spin.setSuffix(" " + _("min"))
    return spin


def _desks_edit() -> QLineEdit:
    e = QLineEdit()
    e.setPlaceholderText(_("one agency per desk, e.g. AA, JC, JC, SOZ"))
    return e


def _room_box() -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    return box


def _labelled(pairs) -> QHBoxLayout:
    """One form row of (label or None, widget) pairs, left-aligned."""
    row = QHBoxLayout()
    for text, widget in pairs:
        if text:
            row.addWidget(QLabel(text))
        row.addWidget(widget)
    return row


def _edit_buttons(new: QPushButton, delete: QPushButton, save: QPushButton) -> QHBoxLayout:
    """New on the left; delete and save on the right."""
    row = QHBoxLayout()
    row.addWidget(new)
    row.addStretch(1)
    row.addWidget(delete)
    row.addWidget(save)
    return row


def _dates(pairs) -> dict:
    """{key: ISO date} for (key, edit) pairs; one ValidationError naming every bad field."""
    errors, dates = {}, {}
    for key, edit in pairs:
        try:
            dates[key] = date_value(edit, key)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return dates


class OfficesPage(QWidget):
    saved = Signal()  # an office, template or exception was saved: the schedule changed

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.office = QComboBox()
        self.office.setObjectName("offices_office")
        self.title = QLabel(_("Offices and office hours"))
        f = self.title.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        self.title.setFont(f)
        self.readonly = QLabel()
        self.readonly.setObjectName("offices_readonly")
        self.readonly.setWordWrap(True)
        self.readonly.setStyleSheet("color: #7a4b00;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._office_tab(), _("O&ffice"))
        self.tabs.addTab(self._templates_tab(), _("&Recurring office hours"))
        self.tabs.addTab(self._changes_tab(), _("E&xceptions"))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(_("Town")))
        top.addWidget(self.office)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.readonly)
        lay.addWidget(self.tabs, 1)
        self._directions: dict[str, str] = {}
        self._direction_lang = "de"
        self.office.currentIndexChanged.connect(lambda _i: self.refresh())
        self._fill_offices()

    # -- the office ------------------------------------------------------------------
    def _office_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout()
        self.o_name = QLineEdit()
        self.o_address = QLineEdit()
        self.o_phone = QLineEdit()
        self.o_phone.setMaximumWidth(220)
        self.o_rooms = QPlainTextEdit()
        self.o_rooms.setTabChangesFocus(True)
        self.o_rooms.setMaximumHeight(64)
        self.o_rooms.setPlaceholderText(_("One room per line"))
        self.o_agencies = {code: QCheckBox(code) for code in OFFICE_AGENCIES}
        agencies = QHBoxLayout()
        for code, box in self.o_agencies.items():
            box.setToolTip(agency_label(code))
            agencies.addWidget(box)
        agencies.addStretch(1)
        self.o_access = QLineEdit()
        self.o_lang = QComboBox()
        self.o_lang.setObjectName("directions_language")
        for code in DIRECTION_LANGUAGES:
            self.o_lang.addItem(label("language", code), code)
        self.o_lang.currentIndexChanged.connect(self._direction_language_changed)
        self.o_directions = QPlainTextEdit()
        self.o_directions.setTabChangesFocus(True)
        self.o_directions.setMaximumHeight(80)
        self.o_directions_hint = QLabel()
        self.o_directions_hint.setWordWrap(True)
        directions = QHBoxLayout()
        directions.addWidget(self.o_lang)
        directions.addWidget(self.o_directions_hint, 1)
        form.addRow(_("Name"), self.o_name)
        form.addRow(_("Address"), self.o_address)
        form.addRow(_("Phone"), self.o_phone)
        form.addRow(_("Rooms"), self.o_rooms)
        form.addRow(_("Attending agencies"), agencies)
        form.addRow(_("Accessibility"), self.o_access)
        form.addRow(_("Directions (on the slip)"), directions)
        form.addRow("", self.o_directions)
        self.o_error = error_label()
        self.o_save = QPushButton(_("&Save office"))
        self.o_save.clicked.connect(self.save_office)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.o_save)
        form.addRow(self.o_error)
        lay = QVBoxLayout(w)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addLayout(buttons)
        self.office_inputs = [self.o_name, self.o_address, self.o_phone, self.o_rooms, *self.o_agencies.values(),
                              self.o_access, self.o_directions]
        return w

    def _direction_language_changed(self) -> None:
        self._directions[self._direction_lang] = self.o_directions.toPlainText().strip()
        self._direction_lang = self.o_lang.currentData()
        self.o_directions.setPlainText(self._directions.get(self._direction_lang, ""))
        self._direction_hint()

    def _direction_hint(self) -> None:
        have = [c for c in DIRECTION_LANGUAGES if self._directions.get(c)]
        self.o_directions_hint.setText(_("Written in: {languages}. A slip in another language shows the English "
                                         "text.").format(languages=", ".join(label("language", c) for c in have) or "–"))

    def office_values(self) -> dict:
        self._directions[self._direction_lang] = self.o_directions.toPlainText().strip()
        return {"name": self.o_name.text().strip(), "address": self.o_address.text().strip(),
                "phone": self.o_phone.text().strip(),
                "rooms": [r.strip() for r in self.o_rooms.toPlainText().splitlines() if r.strip()],
                "agencies": [c for c, box in self.o_agencies.items() if box.isChecked()],
                "accessibility": self.o_access.text().strip(),
                "directions": {k: v for k, v in self._directions.items() if v}}

    def save_office(self) -> bool:
        return self._save(self.o_error, lambda: self.hours.save_office(self.code, self.office_values()))

    # -- recurring office hours ----------------------------------------------------------
    def _templates_tab(self) -> QWidget:
        w = QWidget()
        self.t_model = TemplateModel(self)
        self.t_view = _table(self.t_model)
        self.t_view.setObjectName("templates_table")
        self.t_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._load_template())
        self.t_weekday = QComboBox()
        for day in range(7):
            self.t_weekday.addItem(weekday_name(day), day)
        self.t_starts, self.t_ends = _time_edit(), _time_edit()
        self.t_slot = _slot_spin()
        self.t_desks = _desks_edit()
        self.t_staff = QLineEdit()
        self.t_staff.setPlaceholderText(_("names, separated by commas"))
        self.t_room = _room_box()
        self.t_from, self.t_to = _date_edit(), _date_edit()
        form = QFormLayout()
        row1 = _labelled(((None, self.t_weekday), (_("from"), self.t_starts), (_("to"), self.t_ends),
                          (_("Slot length"), self.t_slot)))
        row1.addStretch(1)
        row2 = _labelled(((_("from"), self.t_from), (_("to"), self.t_to)))
        row2.addWidget(QLabel(_("(empty: open-ended)")))
        row2.addStretch(1)
        form.addRow(_("Weekday and time"), row1)
        form.addRow(_("Desks"), self.t_desks)
        form.addRow(_("Staff"), self.t_staff)
        form.addRow(_("Room"), self.t_room)
        form.addRow(_("Valid"), row2)
        self.t_error = error_label()
        self.t_new = QPushButton(_("&New office hour"))
        self.t_new.clicked.connect(self.new_template)
        self.t_save = QPushButton(_("&Save office hour"))
        self.t_save.clicked.connect(self.save_template)
        self.t_delete = QPushButton(_("&Delete office hour"))
        self.t_delete.clicked.connect(self.delete_template)
        buttons = _edit_buttons(self.t_new, self.t_delete, self.t_save)
        self.t_hint = QLabel()
        self.t_hint.setWordWrap(True)
        self.t_hint.setText(_("Holidays of North Rhine-Westphalia are left out by themselves. Bookings already "
                              "made stay when the times change; check the day view."))
        lay = QVBoxLayout(w)
        lay.addWidget(self.t_view, 1)
        lay.addLayout(form)
        lay.addWidget(self.t_hint)
        lay.addWidget(self.t_error)
        lay.addLayout(buttons)
        self.template_inputs = [self.t_weekday, self.t_starts, self.t_ends, self.t_slot, self.t_desks, self.t_staff,
                                self.t_room, self.t_from, self.t_to]
        self._template_id: str | None = None
        return w

    def _selected(self, view: QTableView):
        idx = view.selectionModel().currentIndex()
        return view.model().data(view.model().index(idx.row(), 0), ROW_ROLE) if idx.isValid() else None

    def _load_template(self) -> None:
        t = self._selected(self.t_view)
        set_error(self.t_error, None)
        if t is None:
            return
        self._template_id = t["id"]
        self.t_weekday.setCurrentIndex(max(0, self.t_weekday.findData(t.get("weekday"))))
        self.t_starts.setText(t.get("starts") or "")
        self.t_ends.setText(t.get("ends") or "")
        self.t_slot.setValue(int(t.get("slot_minutes") or 30))
        self.t_desks.setText(", ".join(t.get("desks") or ()))
        self.t_staff.setText(", ".join(t.get("staff") or ()))
        self.t_room.setCurrentText(t.get("room") or "")
        self.t_from.setText(show_date(t.get("valid_from")))
        self.t_to.setText(show_date(t.get("valid_to")))
        self.t_delete.setEnabled(self.hours.may_edit())

    def new_template(self) -> None:
        """Empty the form for a new office hour (weekday Monday, 09:00-12:00, the office's first room)."""
        self._template_id = None
        self.t_view.clearSelection()
        self.t_view.setCurrentIndex(self.t_model.index(-1, -1))
        self.t_weekday.setCurrentIndex(0)
        self.t_starts.setText("09:00")
        self.t_ends.setText("12:00")
        self.t_slot.setValue(20)
        agencies = [a for a in self.hours.office(self.code).agencies if a in BOOKABLE_AGENCIES]
        self.t_desks.setText(", ".join(agencies))
        self.t_staff.clear()
        self.t_room.setCurrentIndex(0)
        self.t_from.setText(show_date(self.hours.today().isoformat()))
        self.t_to.clear()
        self.t_delete.setEnabled(False)
        set_error(self.t_error, None)
        self.t_starts.setFocus()

    def template_values(self) -> dict:
        """The form as a template; ValidationError for a date that is not DD.MM.YYYY."""
        dates = _dates((("valid_from", self.t_from), ("valid_to", self.t_to)))
        return {"office": self.code, "weekday": self.t_weekday.currentData(), "starts": self.t_starts.text().strip(),
                "ends": self.t_ends.text().strip(), "slot_minutes": self.t_slot.value(),
                "desks": [d.upper() for d in _words(self.t_desks.text())], "staff": _words(self.t_staff.text()),
                "room": self.t_room.currentText().strip() or None, **dates}

    def save_template(self) -> bool:
        def save() -> None:
            self._template_id = self.hours.save_template(self.template_values(), self._template_id)

        return self._save(self.t_error, save)

    def delete_template(self) -> bool:
        if self._template_id is None or not self._confirm(_("Delete this recurring office hour? Its future "
                                                            "slots disappear; bookings already made stay.")):
            return False
        tid, self._template_id = self._template_id, None
        return self._save(self.t_error, lambda: self.hours.delete_template(tid))

    # -- exceptions ----------------------------------------------------------------------
    def _changes_tab(self) -> QWidget:
        w = QWidget()
        self.c_model = ChangeModel(self)
        self.c_view = _table(self.c_model)
        self.c_view.setObjectName("changes_table")
        self.c_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._load_change())
        self.c_kind = QComboBox()
        self.c_kind.setObjectName("change_kind")
        for kind, text in KIND_LABELS.items():
            self.c_kind.addItem(_(text), kind)
        self.c_kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.c_date, self.c_to = _date_edit(), _date_edit()
        self.c_template = QComboBox()
        self.c_template.setObjectName("change_template")
        self.c_starts, self.c_ends = _time_edit(), _time_edit()
        self.c_slot = _slot_spin()
        self.c_desks = _desks_edit()
        self.c_room = _room_box()
        self.c_note = QLineEdit()
        self.c_note.setPlaceholderText(_("e.g. staff training; shown on the weekly plan and in the calendar"))
        form = QFormLayout()
        row1 = QHBoxLayout()
        row1.addWidget(self.c_kind)
        row1.addWidget(QLabel(_("on")))
        row1.addWidget(self.c_date)
        self.c_to_label = QLabel(_("moved to"))
        row1.addWidget(self.c_to_label)
        row1.addWidget(self.c_to)
        row1.addStretch(1)
        row2 = _labelled(((_("from"), self.c_starts), (_("to"), self.c_ends), (_("Slot length"), self.c_slot)))
        self.c_times_hint = QLabel()
        row2.addWidget(self.c_times_hint, 1)
        form.addRow(_("Exception"), row1)
        form.addRow(_("Office hour"), self.c_template)
        form.addRow(_("Time"), row2)
        form.addRow(_("Desks"), self.c_desks)
        form.addRow(_("Room"), self.c_room)
        form.addRow(_("Note"), self.c_note)
        self.c_error = error_label()
        self.c_new = QPushButton(_("&New exception"))
        self.c_new.clicked.connect(self.new_change)
        self.c_save = QPushButton(_("&Save exception"))
        self.c_save.clicked.connect(self.save_change)
        self.c_delete = QPushButton(_("&Delete exception"))
        self.c_delete.clicked.connect(self.delete_change)
        buttons = _edit_buttons(self.c_new, self.c_delete, self.c_save)
        lay = QVBoxLayout(w)
        lay.addWidget(self.c_view, 1)
        lay.addLayout(form)
        lay.addWidget(self.c_error)
        lay.addLayout(buttons)
        self.change_inputs = [self.c_kind, self.c_date, self.c_to, self.c_template, self.c_starts, self.c_ends,
                              self.c_slot, self.c_desks, self.c_room, self.c_note]
        self._change_id: str | None = None
        return w

    def _kind_changed(self) -> None:
        """Which fields apply: cancelled (date, office hour or whole day), moved (date, office hour, new date,
        optionally new times), extra (date, times, slot, desks, room)."""
        kind = self.c_kind.currentData()
        editable = self.hours.may_edit() if self.session.is_open else False
        self.c_to.setVisible(kind == "moved")
        self.c_to_label.setVisible(kind == "moved")
        whole_day = self.c_template.findData(WHOLE_DAY)
        if kind == "cancelled" and whole_day < 0:
            self.c_template.insertItem(0, _("whole day (every office hour)"), WHOLE_DAY)
            self.c_template.setCurrentIndex(0)
        elif kind != "cancelled" and whole_day >= 0:
            self.c_template.removeItem(whole_day)
        self.c_template.setEnabled(editable and kind != "extra")
        for widget in (self.c_starts, self.c_ends, self.c_room):
            widget.setEnabled(editable and kind != "cancelled")
        for widget in (self.c_slot, self.c_desks):
            widget.setEnabled(editable and kind == "extra")
        self.c_times_hint.setText(_("(empty: the times of the office hour)") if kind == "moved" else "")

    def _load_change(self) -> None:
        c = self._selected(self.c_view)
        set_error(self.c_error, None)
        if c is None:
            return
        self._change_id = c["id"]
        self.c_kind.setCurrentIndex(max(0, self.c_kind.findData(c.get("kind"))))
        self.c_date.setText(show_date(c.get("date")))
        self.c_to.setText(show_date(c.get("to_date")))
        self.c_template.setCurrentIndex(max(0, self.c_template.findData(c.get("template_id") or WHOLE_DAY)))
        self.c_starts.setText(c.get("starts") or "")
        self.c_ends.setText(c.get("ends") or "")
        self.c_slot.setValue(int(c.get("slot_minutes") or 30))
        self.c_desks.setText(", ".join(c.get("desks") or ()))
        self.c_room.setCurrentText(c.get("room") or "")
        self.c_note.setText(c.get("note") or "")
        self.c_delete.setEnabled(self.hours.may_edit())

    def new_change(self) -> None:
        self._change_id = None
        self.c_view.setCurrentIndex(self.c_model.index(-1, -1))
        self.c_view.clearSelection()
        for edit in (self.c_date, self.c_to, self.c_starts, self.c_ends, self.c_desks, self.c_note):
            edit.clear()
        self.c_slot.setValue(30)
        self.c_room.setCurrentIndex(0)
        self.c_delete.setEnabled(False)
        set_error(self.c_error, None)
        self.c_date.setFocus()

    def change_values(self) -> dict:
        kind = self.c_kind.currentData()
        dates = _dates((("date", self.c_date), *((("to_date", self.c_to),) if kind == "moved" else ())))
        values = {"office": self.code, "kind": kind, **dates, "note": self.c_note.text().strip() or None}
        if kind != "extra":
            values["template_id"] = self.c_template.currentData() or None
        if kind != "cancelled":
            values.update(starts=self.c_starts.text().strip() or None, ends=self.c_ends.text().strip() or None,
                          room=self.c_room.currentText().strip() or None)
        if kind == "extra":
            values.update(slot_minutes=self.c_slot.value(), desks=[d.upper() for d in _words(self.c_desks.text())])
        return values

    def save_change(self) -> bool:
        def save() -> None:
            self._change_id = self.hours.save_change(self.change_values(), self._change_id)

        return self._save(self.c_error, save)

    def delete_change(self) -> bool:
        if self._change_id is None or not self._confirm(_("Delete this exception?")):
            return False
        cid, self._change_id = self._change_id, None
        return self._save(self.c_error, lambda: self.hours.delete_change(cid))

    # -- shared ----------------------------------------------------------------------------
    @property
    def hours(self):
        return self.session.hours

    @property
    def code(self) -> str:
        return self.office.currentData() or ""

    def _save(self, error: QLabel, action) -> bool:
        """Run one save; its messages under the form (nothing is written then), else reload and keep the row."""
        if not attempt(error, action, _messages):
            return False
        self.refresh()
        self.saved.emit()
        return True

    def _confirm(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Offices and office hours"), text, parent=self)
        yes = box.addButton(_("Delete"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def _fill_offices(self) -> None:
        if not self.session.is_open:
            return
        hours = self.hours
        self.office.blockSignals(True)
        self.office.clear()
        for o in hours.offices().values():
            self.office.addItem(o.name, o.code)
        home = hours.booking.home_office()
        self.office.setCurrentIndex(max(0, self.office.findData(home)))
        self.office.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_open or not self.code:
            return
        hours = self.hours
        editable = hours.may_edit()
        self.readonly.setText(hours.edit_refusal())
        self.readonly.setVisible(not editable)
        o = hours.office(self.code)
        self.o_name.setText(o.name)
        self.o_address.setText(o.address)
        self.o_phone.setText(o.phone)
        self.o_rooms.setPlainText("\n".join(o.rooms))
        for code, box in self.o_agencies.items():
            box.setChecked(code in o.agencies)
        self.o_access.setText(o.accessibility)
        self._directions = dict(o.directions)
        self._direction_lang = self.o_lang.currentData()
        self.o_directions.setPlainText(self._directions.get(self._direction_lang, ""))
        self._direction_hint()
        for room in (self.t_room, self.c_room):
            room.clear()
            room.addItems(list(o.rooms))
        templates = hours.templates(self.code)
        self.t_model.set_rows(templates)
        self.c_model.templates = {t["id"]: t for t in templates}
        self.c_template.clear()
        for t in templates:
            self.c_template.addItem(template_label(t), t["id"])
        self.c_model.set_rows(hours.changes(self.code))
        for inputs in (self.office_inputs, self.template_inputs, self.change_inputs):
            for widget in inputs:
                widget.setEnabled(editable)
        for button in (self.o_save, self.t_new, self.t_save, self.c_new, self.c_save):
            button.setVisible(editable)
        for button in (self.t_delete, self.c_delete):
            button.setVisible(editable)
            button.setEnabled(False)
        self._kind_changed()
        self._reselect(self.t_view, self.t_model, self._template_id, self._load_template, self.new_template)
        self._reselect(self.c_view, self.c_model, self._change_id, self._load_change, self.new_change)
        for view in (self.t_view, self.c_view):
            view.resizeColumnsToContents()

    def _reselect(self, view: QTableView, model: RowTableModel, keep: str | None, load, empty) -> None:
        rows = model.rows
        index = next((i for i, r in enumerate(rows) if keep and r["id"] == keep), 0 if rows else -1)
        if index >= 0:
            view.selectRow(index)
            load()
        elif self.hours.may_edit():
            empty()

    def clear(self) -> None:
        self.t_model.set_rows([])
        self.c_model.set_rows([])


def offices_page(session, window):
    """The "Offices" page of the main window: read-only unless the role may edit offices (app.hours)."""
    widget = OfficesPage(session, window)
    return _("Offices"), widget
