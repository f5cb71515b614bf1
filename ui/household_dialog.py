"""Create or edit a household: its data, its members and each member's case.

Members are listed on the left; the selected member is edited on the right.
Saving goes through app.households.save_household; its field messages appear
under the fields they concern, the first member with a problem is selected,
and nothing is written until everything is valid. Stored values that today's
input rules refuse (they came by sync from an older version) are shown the
same way when the dialog opens, as a request to correct them. Closing with
unsaved changes asks first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QListView, QMessageBox, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from app import schema
from app.households import flagged_values
from app.labels import CLIENT_LANGUAGES, COUNTRIES, label
from app.store import StoreError
from i18n import _

from .language_levels import LanguageLevels, language_combo, select
from .models import RowListModel

ERROR_STYLE = "color: #b00020;"


def _combo(items: list[tuple[str, str | None]], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    for text, data in items:
        box.addItem(text, data)
    return box


def format_languages(langs) -> str:
    """[{'code': 'ar', 'level': 'native'}] -> 'ar:Muttersprache' in German (parse_languages reads it back)."""
    def level(x) -> str:
        return _("native") if x.get("level") == "native" else x.get("level") or ""

    return ", ".join(f"{x['code']}:{level(x)}".rstrip(":") for x in langs or [])


def parse_languages(text: str):
    """'ar:native, de:A2' -> [{'code': 'ar', 'level': 'native'}, ...]; raises ValueError."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _sep, level = part.partition(":")
        code, level = code.strip().lower(), level.strip()
        level = "native" if level.lower() in ("native", "mutter", "muttersprache") else level.upper()
        if not code or (level and level not in schema.CEFR_LEVELS):
            raise ValueError(part)
        out.append({"code": code, **({"level": level} if level else {})})
    return out or None


class FieldRow:
    """An input widget with its error label beneath it."""

    def __init__(self, form: QFormLayout, title: str, widget: QWidget):
        self.widget = widget
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(widget)
        lay.addWidget(self.error)
        form.addRow(title, box)

    def set_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))


class MemberEditor(QGroupBox):
    """The fields of one member and of their case."""

    def __init__(self, parent=None):
        super().__init__(_("Member"), parent)
        form = QFormLayout(self)
        self.relation = _combo([(label("relation", r), r) for r in schema.RELATIONS])
        self.family_name = QLineEdit()
        self.family_name.setObjectName("family_name")
        self.given_names = QLineEdit()
        self.given_names.setObjectName("given_names")
        self.family_name_orig = QLineEdit()
        self.family_name_orig.setObjectName("family_name_orig")
        self.given_names_orig = QLineEdit()
        self.given_names_orig.setObjectName("given_names_orig")
        self.birth_date = QLineEdit()
        self.birth_date.setObjectName("birth_date")
        self.birth_date.setPlaceholderText(_("DD.MM.YYYY, MM.YYYY or YYYY"))
        self.sex = _combo([("", None)] + [(label("sex", s), s) for s in schema.SEXES])
        self.nationality = _combo([("", None)] + [(label("country", c), c) for c in COUNTRIES], editable=False)
        self.languages = LanguageLevels()
        self.languages.setObjectName("languages")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(_("e.g. +49 2581 1234"))
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.contact_language = language_combo(_("as the interpreter language"))
        self.contact_language.setObjectName("contactLanguage")
        self.interpreter = _combo([(_("no interpreter needed"), None)]
                                  + [(label("language", c), c) for c in CLIENT_LANGUAGES if c != "de"])
        self.has_case = QCheckBox(_("Own case (adults and young people seeking work or training)"))
        self.rechtskreis = _combo([("", None)] + [(r, r) for r in schema.RECHTSKREISE])
        self.status = _combo([(label("status", s), s) for s in schema.CASE_STATUSES])
        self.rows = {
            "relation": FieldRow(form, _("Relation"), self.relation),
            "family_name": FieldRow(form, _("Family name (Latin)"), self.family_name),
            "given_names": FieldRow(form, _("Given names (Latin)"), self.given_names),
            "family_name_orig": FieldRow(form, _("Family name (original script)"), self.family_name_orig),
            "given_names_orig": FieldRow(form, _("Given names (original script)"), self.given_names_orig),
            "birth_date": FieldRow(form, _("Date of birth"), self.birth_date),
            "sex": FieldRow(form, _("Sex"), self.sex),
            "nationality": FieldRow(form, _("Nationality"), self.nationality),
            "languages": FieldRow(form, _("Languages"), self.languages),
            "interpreter_language": FieldRow(form, _("Interpreter for"), self.interpreter),
            "phone": FieldRow(form, _("Phone"), self.phone),
            "email": FieldRow(form, _("E-mail"), self.email),
            "contact_language": FieldRow(form, _("Preferred contact language"), self.contact_language),
        }
        form.addRow(self.has_case)
        self.rows["case.rechtskreis"] = FieldRow(form, _("Rechtskreis"), self.rechtskreis)
        self.rows["case.status"] = FieldRow(form, _("Case status"), self.status)
        self.has_case.toggled.connect(self.rechtskreis.setEnabled)
        self.has_case.toggled.connect(self.status.setEnabled)

    def load(self, m: dict) -> None:
        select(self.relation, m.get("relation") or "other")
        for k in ("family_name", "given_names", "family_name_orig", "given_names_orig"):
            getattr(self, k).setText(m.get(k) or "")
        self.birth_date.setText(m.get("birth_date_text", None) or _born_text(m.get("birth_date")))
        select(self.sex, m.get("sex"))
        select(self.nationality, m.get("nationality"))
        self.languages.set_value(m.get("languages") if isinstance(m.get("languages"), list) else None)
        select(self.interpreter, m.get("interpreter_language"))
        self.phone.setText(m.get("phone") or "")
        self.email.setText(m.get("email") or "")
        select(self.contact_language, m.get("contact_language"))
        case = m.get("case")
        self.has_case.setChecked(case is not None)
        self.rechtskreis.setEnabled(case is not None)
        self.status.setEnabled(case is not None)
        select(self.rechtskreis, (case or {}).get("rechtskreis"))
        select(self.status, (case or {}).get("status") or "new")

    def values(self, base: dict) -> dict:
        """The member dict with the editor's values (raw texts kept for redisplay)."""
        m = dict(base)
        m["relation"] = self.relation.currentData()
        for k in ("family_name", "given_names", "family_name_orig", "given_names_orig"):
            m[k] = getattr(self, k).text()
        m["birth_date_text"] = self.birth_date.text()
        m["birth_date"] = self.birth_date.text()
        m["sex"] = self.sex.currentData()
        m["nationality"] = self.nationality.currentData()
        m["languages"] = self.languages.value()
        m["interpreter_language"] = self.interpreter.currentData()
        m["phone"] = self.phone.text()
        m["email"] = self.email.text()
        m["contact_language"] = self.contact_language.currentData()
        m["case"] = ({**(base.get("case") or {}), "rechtskreis": self.rechtskreis.currentData(),
                      "status": self.status.currentData()} if self.has_case.isChecked() else None)
        return m

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, row in self.rows.items():
            row.set_error(errors.get(key))


def new_member(live: list[dict]) -> dict:
    """A new member with what the household already says: the first is the head, the second the spouse
    (with a case of the head's Rechtskreis), later ones children; family name, nationality, languages
    and interpreter are taken from the first member and can be changed."""
    relations = {m.get("relation") for m in live}
    first = live[0] if live else {}
    if "head" not in relations:
        relation = "head"
    elif not relations & {"spouse", "partner"}:
        relation = "spouse"
    else:
        relation = "child"
    m: dict = {"relation": relation,
               "family_name": next((x.get("family_name") for x in live if x.get("family_name")), "")}
    for k in ("nationality", "interpreter_language", "contact_language"):
        if first.get(k):
            m[k] = first[k]
    if isinstance(first.get("languages"), list):
        m["languages"] = [dict(x) for x in first["languages"]]
    head_case = next((x.get("case") for x in live if x.get("relation") == "head" and x.get("case")), None)
    if relation == "head":
        m["case"] = {"rechtskreis": None, "status": "new"}
    elif relation == "spouse":
        m["case"] = {"rechtskreis": (head_case or {}).get("rechtskreis"), "status": "new"}
    else:
        m["case"] = None
    return m


class MemberLines(RowListModel):
    """The members being edited, one line each: name and relation, a warning sign where a field is wrong.
    A row is `(member, has_errors)`."""

    def text(self, row) -> str:
        member, bad = row
        name = " ".join(x for x in (member.get("given_names"), member.get("family_name")) if x) or _("(new member)")
        return ("⚠ " if bad else "") + f"{name} – {label('relation', member.get('relation'))}"


def _born_text(iso: str | None) -> str:
    return ".".join(reversed(iso.split("-"))) if iso else ""


class HouseholdDialog(QDialog):
    """`office`: the town a new household starts with (the today view's walk-in: the office hour's town)."""

    def __init__(self, session, household_id: str | None = None, parent=None, office: str | None = None):
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.saved_id: str | None = None
        self.saved_case_ids: list[str] = []
        self.setWindowTitle(_("Edit household") if household_id else _("New household"))
        self.resize(980, 680)  # fits a 768 px high laptop screen with its panel
        data = session.load_household(household_id) if household_id else None
        hh = (data or {}).get("household") or {}
        self.members: list[dict] = [dict(m) for m in (data or {}).get("members", [])]
        self.errors: dict[str, str] = {}
        self._current = -1

        top = QGroupBox(_("Household"))
        hform = QFormLayout(top)
        self.office = _combo([("", None)] + [(label("office", c), c) for c in schema.OFFICE_CODES])
        select(self.office, hh.get("office") or (None if household_id else office))
        self.address = QLineEdit(hh.get("address") or "")
        self.accommodation = QLineEdit(hh.get("accommodation") or "")
        self.arrival = QLineEdit(_born_text(hh.get("arrival_date")))
        self.arrival.setPlaceholderText(_("DD.MM.YYYY"))
        self.hrows = {
            "household.office": FieldRow(hform, _("Office"), self.office),
            "household.address": FieldRow(hform, _("Address"), self.address),
            "household.accommodation": FieldRow(hform, _("Accommodation"), self.accommodation),
            "household.arrival_date": FieldRow(hform, _("Arrival in the county"), self.arrival),
        }

        self.member_lines = MemberLines(self)
        self.list = QListView()
        self.list.setObjectName("memberList")
        self.list.setModel(self.member_lines)
        self.list.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur.row()))
        add = QPushButton(_("&Add member"))
        add.setObjectName("addMember")
        add.clicked.connect(self.add_member)
        remove = QPushButton(_("&Remove member"))
        remove.clicked.connect(self._remove_current)
        self.members_error = QLabel()
        self.members_error.setStyleSheet(ERROR_STYLE)
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Members")))
        left.addWidget(self.list)
        left.addWidget(add)
        left.addWidget(remove)
        left.addWidget(self.members_error)
        self.editor = MemberEditor()

        middle = QHBoxLayout()
        middle.addLayout(left, 1)
        self.scroll = QScrollArea()  # field messages make the member form taller than a laptop screen
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.editor)
        # never narrower than the member form (longer translations): the list beside it gives way, the form
        # scrolls only vertically
        self.scroll.setMinimumWidth(self.editor.minimumSizeHint().width()
                                    + self.scroll.verticalScrollBar().sizeHint().width())
        middle.addWidget(self.scroll, 3)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(top)
        lay.addLayout(middle, 1)
        lay.addWidget(self.buttons)

        self._snapshot = None
        if not self.members:
            self.add_member()
        self._refresh_list()
        self._set_row(0)
        self._snapshot = self._state()
        flagged = flagged_values(data)  # e.g. a 360-character name that came by sync from an older laptop
        if flagged:
            self.show_errors(flagged)

    # -- members -------------------------------------------------------------
    def add_member(self) -> None:
        self._store_current()
        self.members.append(new_member(self._live()))
        family = self.members[-1].get("family_name")
        self._refresh_list()
        self._set_row(self.member_lines.rowCount() - 1)
        self.editor.given_names.setFocus() if family else self.editor.family_name.setFocus()

    def _live(self):
        return [m for m in self.members if not m.get("remove")]

    def _visible_indexes(self) -> list[int]:
        return [i for i, m in enumerate(self.members) if not m.get("remove")]

    def _remove_current(self) -> None:
        vis = self._visible_indexes()
        row = self.list.currentIndex().row()
        if 0 <= row < len(vis):
            self._current = -1
            idx = vis[row]
            if self.members[idx].get("id"):
                self.members[idx]["remove"] = True
            else:
                del self.members[idx]
            self._refresh_list()
            self._set_row(max(0, row - 1))

    def _refresh_list(self) -> None:
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        self.member_lines.set_rows([(self.members[i], any(k.startswith(f"members.{i}.") for k in self.errors))
                                    for i in self._visible_indexes()])
        selection.blockSignals(False)

    def _set_row(self, row: int) -> None:
        """Make line `row` current (and load that member into the editor)."""
        self.list.setCurrentIndex(self.member_lines.index(row, 0))

    def _store_current(self) -> None:
        if 0 <= self._current < len(self.members):
            self.members[self._current] = self.editor.values(self.members[self._current])

    def _select(self, row: int) -> None:
        self._store_current()
        vis = self._visible_indexes()
        if not 0 <= row < len(vis):
            self._current = -1
            return
        self._current = vis[row]
        self.editor.load(self.members[self._current])
        prefix = f"members.{self._current}."
        self.editor.show_errors({k[len(prefix):]: v for k, v in self.errors.items() if k.startswith(prefix)})

    # -- saving --------------------------------------------------------------
    def _household_values(self) -> dict:
        return {"office": self.office.currentData(), "address": self.address.text(),
                "accommodation": self.accommodation.text(), "arrival_date": self.arrival.text()}

    def _state(self):
        self._store_current()
        return repr((self._household_values(), self.members))

    def is_dirty(self) -> bool:
        return self._snapshot is not None and self._state() != self._snapshot

    def save(self) -> None:
        self._store_current()
        payload = [{k: v for k, v in m.items() if not k.endswith("_text")} for m in self.members]
        try:
            result = self.session.save_household(self._household_values(), payload, self.household_id)
        except StoreError as exc:  # e.g. the disk is full: nothing was written, the input stays here
            QMessageBox.warning(self, _("Not saved"), str(exc))
            return
        errors = result.errors
        if errors:
            self.show_errors(errors)
            return
        self.saved_id = result.household_id
        self.saved_case_ids = list(result.case_ids)
        self._snapshot = None
        self.accept()

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors = errors
        for key, row in self.hrows.items():
            row.set_error(errors.get(key))
        self.members_error.setText(errors.get("members", ""))
        self._refresh_list()
        vis = self._visible_indexes()
        bad = [i for i in vis if any(k.startswith(f"members.{i}.") for k in errors)]
        target = vis.index(bad[0]) if bad else max(self.list.currentIndex().row(), 0)
        self._current = -1
        self._set_row(target)
        self._select(target)
        first = next((r.error for r in self.editor.rows.values() if not r.error.isHidden()), None)
        if first is not None:
            self.scroll.ensureWidgetVisible(first)

    def reject(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self, _("Unsaved changes"), _("Discard the changes to this household?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Enter in a field must not close the dialog
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.focusNextChild()
            return
        super().keyPressEvent(event)
