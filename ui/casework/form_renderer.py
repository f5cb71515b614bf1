"""A generic renderer for questionnaire definitions (app.forms): one widget per field, conditions live.

`FormRenderer(form)` lays out each section as a group with a form layout,
shows or hides fields as their `show_if` conditions change, returns the
answers as JSON values (`values()`), loads them (`set_values`), and shows the
field-level messages of app.formvalues or a service under each field
(`show_errors`). `changed` fires on every edit, so pages can track unsaved
changes. Dates are typed as DD.MM.YYYY or YYYY-MM-DD; partial dates as YYYY,
MM.YYYY or a full date. A date that is in neither form is reported in those
words ("TT.MM.JJJJ"), not with the ISO format the services and import files use
(`FieldEditor.format_error`). Everything is reachable with Tab and the keyboard.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from app import formvalues
from app.checks import is_pdate, parse_date
from app.forms import FormDef, FormField
from app.schema import CEFR_LEVELS
from i18n import N_, _

from .reflow import WrappedLabel

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MY = re.compile(r"^(\d{1,2})\.(\d{4})$")


def to_iso(text: str) -> str:
    """'17.05.1990' -> '1990-05-17', '05.1990' -> '1990-05'; anything else unchanged (validated later)."""
    text = text.strip()
    m = _DMY.match(text)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = _MY.match(text)
    if m:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return text


def from_iso(value: str | None) -> str:
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{parts[2]}.{parts[1]}.{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}.{parts[0]}"
    return value


def combo(items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for text, data in items:
        box.addItem(text, data)
    return box


def set_combo(box: QComboBox, value) -> None:
    i = box.findData(value)
    box.setCurrentIndex(i if i >= 0 else 0)


class FieldEditor(QWidget):
    """One field's input; `value()` / `set_value()` speak the JSON shapes of app.formvalues."""

    changed = Signal()

    def __init__(self, field: FormField, parent=None):
        super().__init__(parent)
        self.field = field
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        t = field.type
        self.inputs: list[QWidget] = []
        if t == "text" and field.props.get("multiline"):
            self.w = QPlainTextEdit()
            self.w.setTabChangesFocus(True)
            self.w.setFixedHeight(64)
            self.w.textChanged.connect(self.changed)
        elif t in ("text", "number", "date", "partial_date"):
            self.w = QLineEdit()
            if t == "date":
                self.w.setPlaceholderText(_("DD.MM.YYYY"))
            elif t == "partial_date":
                self.w.setPlaceholderText(_("DD.MM.YYYY, MM.YYYY or YYYY"))
            elif t == "number" and field.props.get("unit"):
                self.w.setPlaceholderText(_(field.props["unit"]))
            self.w.textChanged.connect(self.changed)
        elif t == "choice":
            self.w = combo([("", None)] + [(_(label), value) for value, label in field.options])
            self.w.currentIndexChanged.connect(self.changed)
        elif t == "yes_no":
            self.w = combo([("", None), (_("yes"), True), (_("no"), False)])
            self.w.currentIndexChanged.connect(self.changed)
        elif t == "yes_no_proof":
            self.w = combo([("", None), (_("yes"), True), (_("no"), False)])
            self.proof = combo([(_("proof unknown"), None), (_("with proof"), True), (_("without proof"), False)])
            proof_label = field.props.get("proof_label") or N_("Proof")
            self.proof.setAccessibleName(_(proof_label))
            self.w.currentIndexChanged.connect(self.changed)
            self.proof.currentIndexChanged.connect(self.changed)
        elif t == "multi_choice":
            self.w = QWidget()
            box = QVBoxLayout(self.w)
            box.setContentsMargins(0, 0, 0, 0)
            self.checks = []
            for value, label in field.options:
                cb = QCheckBox(_(label))
                cb.setProperty("value", value)
                cb.toggled.connect(self.changed)
                box.addWidget(cb)
                self.checks.append(cb)
        else:  # cefr and records: rows of sub-editors
            self.w = RowsEditor(field)
            self.w.changed.connect(self.changed)
        self.w.setAccessibleName(_(field.label))
        if isinstance(self.w, (QLineEdit, QComboBox)):
            self.w.setMinimumHeight(self.w.sizeHint().height())  # never squeezed when messages appear
        lay.addWidget(self.w, 1)
        if t == "yes_no_proof":
            lay.addWidget(self.proof)

    def focus_widget(self) -> QWidget:
        if self.field.type == "multi_choice":
            return self.checks[0]
        return self.w.focus_widget() if isinstance(self.w, RowsEditor) else self.w

    def format_error(self) -> str | None:
        """For a date field whose text is not a date in a form it takes: a message naming those forms."""
        t = self.field.type
        if t not in ("date", "partial_date") or not isinstance(self.w, QLineEdit) or not self.w.text().strip():
            return None
        iso = to_iso(self.w.text())
        if t == "date":
            return None if parse_date(iso) else _("Enter a date as DD.MM.YYYY.")
        return None if is_pdate(iso) else _("Enter a date as DD.MM.YYYY, MM.YYYY or YYYY.")

    def value(self):
        t = self.field.type
        if isinstance(self.w, QPlainTextEdit):
            return self.w.toPlainText().strip() or None
        if isinstance(self.w, QLineEdit):
            text = self.w.text().strip()
            if not text:
                return None
            if t == "number":
                return int(text) if re.fullmatch(r"-?\d+", text) else text
            if t in ("date", "partial_date"):
                return to_iso(text)
            return text
        if t == "yes_no_proof":
            v = self.w.currentData()
            return None if v is None else {"value": v, "proof": self.proof.currentData()}
        if t == "multi_choice":
            return [cb.property("value") for cb in self.checks if cb.isChecked()] or None
        if isinstance(self.w, RowsEditor):
            return self.w.value()
        return self.w.currentData()

    def set_value(self, v) -> None:
        t = self.field.type
        if isinstance(self.w, QPlainTextEdit):
            self.w.setPlainText(v or "")
        elif isinstance(self.w, QLineEdit):
            self.w.setText(from_iso(v) if t in ("date", "partial_date") else ("" if v is None else str(v)))
        elif t == "yes_no_proof":
            set_combo(self.w, (v or {}).get("value"))
            set_combo(self.proof, (v or {}).get("proof"))
        elif t == "multi_choice":
            for cb in self.checks:
                cb.setChecked(cb.property("value") in (v or []))
        elif isinstance(self.w, RowsEditor):
            self.w.set_value(v or [])
        else:
            set_combo(self.w, v)


class RowsEditor(QWidget):
    """Repeating rows: languages with a CEFR level, or the records of a `records` field."""

    changed = Signal()

    def __init__(self, field: FormField, parent=None):
        super().__init__(parent)
        if field.type == "cefr":
            self.sub = (FormField("language", "text", N_("Language")),
                        FormField("level", "choice", N_("Level"), options=tuple((lv, lv) for lv in CEFR_LEVELS)))
            add_label = N_("Add language")
        else:
            self.sub = field.fields
            add_label = field.props.get("add_label", N_("Add entry"))
        self.rows: list[tuple[QWidget, list[FieldEditor]]] = []
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.add = QPushButton(_(add_label))
        self.add.clicked.connect(lambda: (self.add_row({}), self.changed.emit()))
        self.box.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)

    def focus_widget(self) -> QWidget:
        return self.rows[0][1][0].focus_widget() if self.rows else self.add

    def add_row(self, values: dict) -> list[FieldEditor]:
        """One row of editors; with more than two fields they stand two to a line (a qualification's title,
        country, proof and recognition would not fit beside the case list in one)."""
        row = QWidget()
        lay = QGridLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        per_line = 2 if len(self.sub) > 2 else len(self.sub)
        editors = []
        for k, sf in enumerate(self.sub):
            ed = FieldEditor(sf)
            ed.setToolTip(_(sf.label))
            if isinstance(ed.w, QLineEdit):
                ed.w.setPlaceholderText(_(sf.label))
            if isinstance(ed.w, QComboBox):  # several fields side by side: a long option must not push the row wide
                ed.w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                ed.w.setMinimumContentsLength(8)
            ed.set_value(values.get(sf.key))
            if isinstance(ed.w, QLineEdit):
                ed.w.setCursorPosition(0)  # a narrow field shows the start of its text, not the end
            ed.changed.connect(self.changed)
            line, col = divmod(k, per_line)
            lay.addWidget(QLabel(_(sf.label) + ":") if sf.type not in ("text",) else QWidget(), line, 2 * col)
            lay.addWidget(ed, line, 2 * col + 1)
            lay.setColumnStretch(2 * col + 1, 1)
            editors.append(ed)
        remove = QPushButton(_("Remove"))
        remove.setAccessibleName(_("Remove"))
        entry = (row, editors)
        remove.clicked.connect(lambda: self._remove(entry))
        lay.addWidget(remove, (len(self.sub) - 1) // per_line, 2 * per_line)
        self.box.insertWidget(self.box.count() - 1, row)
        self.rows.append(entry)
        self.updateGeometry()
        return editors

    def _remove(self, entry) -> None:
        self.rows.remove(entry)
        entry[0].deleteLater()
        self.changed.emit()

    def value(self):
        out = []
        for _row, editors in self.rows:
            rec = {ed.field.key: ed.value() for ed in editors if ed.value() is not None}
            if rec:
                out.append(rec)
        return out or None

    def set_value(self, items: list[dict]) -> None:
        for row, _eds in self.rows:
            row.deleteLater()
        self.rows = []
        for item in items:
            self.add_row(item)


class FormRenderer(QWidget):
    changed = Signal()

    def __init__(self, form: FormDef, parent=None):
        super().__init__(parent)
        self.form = form
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        self._rows: dict[str, tuple[QFormLayout, QWidget]] = {}
        self.groups: dict[str, QGroupBox] = {}
        lay = QVBoxLayout(self)
        if form.description:
            intro = QLabel(_(form.description))
            intro.setWordWrap(True)
            lay.addWidget(intro)
        for section in form.sections:
            group = QGroupBox(_(section.title))
            fl = QFormLayout(group)
            fl.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            fl.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a wide row puts its label above it
            if section.help:
                h = QLabel(_(section.help))
                h.setWordWrap(True)
                h.setStyleSheet("color: palette(mid);")
                fl.addRow(h)
            for f in section.fields:
                ed = FieldEditor(f)
                holder = QWidget()
                v = QVBoxLayout(holder)
                v.setContentsMargins(0, 0, 0, 0)
                v.setSpacing(1)
                v.addWidget(ed)
                err = QLabel()
                err.setObjectName(f"error_{f.key}")
                err.setStyleSheet("color: #b00020;")
                err.setWordWrap(True)
                err.hide()
                v.addWidget(err)
                text = _(f.label) + (" *" if f.required else "") + (" " + _("(sensitive)") if f.sensitive else "")
                label = WrappedLabel(text)
                label.setBuddy(ed.focus_widget())
                if f.help:
                    label.setToolTip(_(f.help))
                    ed.setToolTip(_(f.help))
                fl.addRow(label, holder)
                ed.changed.connect(self._on_change)
                self.editors[f.key] = ed
                self.errors[f.key] = err
                self._rows[f.key] = (fl, holder)
            self.groups[section.key] = group
            lay.addWidget(group)
        lay.addStretch(1)
        self._update_visibility()

    def _on_change(self) -> None:
        self._update_visibility()
        self.changed.emit()

    def raw_values(self) -> dict:
        return {k: ed.value() for k, ed in self.editors.items() if ed.value() is not None}

    def values(self) -> dict:
        """Answers of the visible fields (hidden ones do not count)."""
        return formvalues.clean(self.form, self.raw_values())

    def set_values(self, answers: dict) -> None:
        for k, ed in self.editors.items():
            ed.blockSignals(True)
            ed.set_value(answers.get(k))
            ed.blockSignals(False)
        self._update_visibility()
        self.show_errors({})

    def _update_visibility(self) -> None:
        answers = self.raw_values()
        visible = {f.key for f in formvalues.visible_fields(self.form, answers)}
        for s in self.form.sections:
            self.groups[s.key].setVisible(formvalues.condition_holds(s.show_if, answers))
        for key, (fl, _holder) in self._rows.items():
            fl.setRowVisible(_holder, key in visible)

    def is_visible(self, key: str) -> bool:
        fl, holder = self._rows[key]
        return fl.isRowVisible(holder) and self.groups[self.form.section_of(key).key].isVisibleTo(self)

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for key, label in self.errors.items():
            msg = errors.get(key)
            if msg:
                msg = self.editors[key].format_error() or msg  # name the format the field takes, not ISO
            label.setText(msg or "")
            label.setVisible(bool(msg))
            if msg and first is None:
                first = key
        if first:
            self.editors[first].focus_widget().setFocus()

    def validate(self) -> dict[str, str]:
        errors = formvalues.validate(self.form, self.raw_values())
        self.show_errors(errors)
        return errors
