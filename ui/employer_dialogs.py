"""The dialogs that add or change an employer and an offer with its requirements.

Both call the service's save (app.employers through app.gated_employers) when "Save" is pressed. The
service checks every field before it writes; bad input is one message per field under the form, the
fields concerned are marked, the dialog stays open and nothing is saved. The occupation is chosen from
the shipped KldB 2010 classification (app.occupations): a name, a code, or a word such as "Maler" typed
into the field is looked up there. Dialogs open with `open()` (not a blocking `exec`), so tests fill
and press them like a person.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget,
)

from app.access import AccessDenied
from app.checks import ValidationError
from app.employers import KIND_LABELS, OFFER_STATUS_LABELS, TOWNS
from app.labels import CLIENT_LANGUAGES, label
from app.schema import CEFR_LEVELS, LICENCE_CLASSES, OFFER_KINDS, OFFER_STATUSES
from i18n import _

from .casework.common import date_edit, date_value, error_label, set_error, show_date
from .employers_models import town

MARK = "border: 1px solid #b00020;"
LEVELS = tuple(lv for lv in CEFR_LEVELS if lv != "native")


def _combo(items, current=None, none: str | None = None) -> QComboBox:
    box = QComboBox()
    if none is not None:
        box.addItem(none, None)
    for text, data in items:
        box.addItem(text, data)
    if current is not None:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


class _SaveDialog(QDialog):
    """A form with "Save" and "Cancel"; `fields` maps a service's error key to the widget to mark."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved_id: str | None = None
        self.form = QFormLayout()
        self.fields: dict[str, QWidget] = {}
        self.error = error_label()
        self.error.setObjectName("dialogError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    @property
    def save_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def save(self) -> None:
        for w in self.fields.values():
            w.setStyleSheet("")
        try:
            self.saved_id = self.write()
        except ValidationError as exc:
            for key in exc.errors:
                if key in self.fields:
                    self.fields[key].setStyleSheet(MARK)
            set_error(self.error, "\n".join(exc.errors.values()))
            return
        except AccessDenied as exc:
            set_error(self.error, str(exc))
            return
        self.accept()

    def write(self) -> str:
        raise NotImplementedError


class EmployerDialog(_SaveDialog):
    def __init__(self, svc, employer: dict | None = None, parent=None):
        super().__init__(_("Change employer") if employer else _("New employer"), parent)
        self.svc, self.employer_id = svc, (employer or {}).get("id")
        e = employer or {}
        self.name = QLineEdit(e.get("name") or "")
        self.town = _combo(((town(t), t) for t in TOWNS), e.get("town"), none="–")
        self.sector = QLineEdit(e.get("sector") or "")
        self.contact = QLineEdit(e.get("contact_person") or "")
        self.phone = QLineEdit(e.get("phone") or "")
        self.email = QLineEdit(e.get("email") or "")
        self.notes = QPlainTextEdit(e.get("notes") or "")
        self.notes.setMaximumHeight(70)
        for key, text, w in (("name", _("Name"), self.name), ("town", _("Town"), self.town),
                             ("sector", _("Sector"), self.sector), ("contact_person", _("Contact person"), self.contact),
                             ("phone", _("Phone"), self.phone), ("email", _("E-mail"), self.email),
                             ("notes", _("Notes"), self.notes)):
            self.form.addRow(text, w)
            self.fields[key] = w
        self.resize(480, 0)

    def write(self) -> str:
        return self.svc.save_employer({
            "name": self.name.text(), "town": self.town.currentData(), "sector": self.sector.text(),
            "contact_person": self.contact.text(), "phone": self.phone.text(), "email": self.email.text(),
            "notes": self.notes.toPlainText()}, self.employer_id)


class OfferDialog(_SaveDialog):
    """An offer and its requirements; `employer_id` preselects the employer of a new offer."""

    def __init__(self, svc, offer: dict | None = None, employer_id: str | None = None, parent=None,
                 today: dt.date | None = None):
        super().__init__(_("Change offer") if offer else _("New offer"), parent)
        self.svc, self.offer_id = svc, (offer or {}).get("id")
        o = offer or {}
        occ = svc.occupations
        self.employer = _combo(((e["name"], e["id"]) for e in svc.employers()), o.get("employer_id") or employer_id)
        self.kind = _combo(((_(KIND_LABELS[k]), k) for k in OFFER_KINDS), o.get("kind"))
        self.title = QLineEdit(o.get("title") or "")
        self.occupation = QComboBox()
        self.occupation.setEditable(True)
        self.occupation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.occupation.addItem("", None)
        for code, name in occ.choices():
            self.occupation.addItem(f"{name} ({code})", code)
        completer = QCompleter([self.occupation.itemText(i) for i in range(1, self.occupation.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.occupation.setCompleter(completer)
        if o.get("occupation"):
            i = self.occupation.findData(o["occupation"])
            if i >= 0:
                self.occupation.setCurrentIndex(i)
            else:
                self.occupation.setEditText(o["occupation"])
        self.occupation.lineEdit().setPlaceholderText(_("e.g. Maler or 33212"))
        self.german = _combo(((lv, lv) for lv in LEVELS), o.get("german_level"), none=_("no requirement"))
        self.languages: list[tuple[QComboBox, QComboBox]] = []
        langs = QHBoxLayout()
        given = o.get("languages") or []
        for i in range(2):
            cur = given[i] if i < len(given) else {}
            code = _combo(((label("language", c), c) for c in CLIENT_LANGUAGES if c != "de"), cur.get("code"), none="–")
            code.setAccessibleName(_("Other language {n}").format(n=i + 1))
            level = _combo(((lv, lv) for lv in LEVELS), cur.get("level"), none="–")
            level.setAccessibleName(_("Level of language {n}").format(n=i + 1))
            self.languages.append((code, level))
            langs.addWidget(code)
            langs.addWidget(level)
        langs.addStretch(1)
        self.licence = _combo(((c, c) for c in LICENCE_CLASSES), o.get("driving_licence"), none=_("not needed"))
        self.permit = QCheckBox(_("work permit needed (labour-market access)"))
        self.permit.setChecked(bool(o.get("work_permit_needed", True)))
        self.hours = QSpinBox()
        self.hours.setRange(0, 60)
        self.hours.setSpecialValueText("–")
        self.hours.setValue(o.get("hours") or 0)
        self.hours.setSuffix(" " + _("h/week"))
        self.start = date_edit(o.get("start_date") or (today or dt.date.today()).isoformat())
        self.start.setText(show_date(o.get("start_date")) if offer else self.start.text())
        self.town = _combo(((town(t), t) for t in TOWNS), o.get("town"), none="–")
        self.travel = QSpinBox()
        self.travel.setRange(0, 240)
        self.travel.setSingleStep(5)
        self.travel.setSpecialValueText(_("any"))
        self.travel.setValue(o.get("max_travel_minutes") or 0)
        self.travel.setSuffix(" " + _("min"))
        self.places = QSpinBox()
        self.places.setRange(1, 999)
        self.places.setValue(o.get("places") or 1)
        self.status = _combo(((_(OFFER_STATUS_LABELS[s]), s) for s in OFFER_STATUSES), o.get("status") or "open")
        self.notes = QLineEdit(o.get("notes") or "")
        hours_row = QHBoxLayout()
        for w in (self.hours, QLabel(_("Start")), self.start, QLabel(_("Places")), self.places):
            hours_row.addWidget(w)
        hours_row.addStretch(1)
        place_row = QHBoxLayout()
        for w in (self.town, QLabel(_("travel by bus and train at most")), self.travel):
            place_row.addWidget(w)
        place_row.addStretch(1)
        rows = (("employer_id", _("Employer"), self.employer), ("kind", _("Kind"), self.kind),
                ("title", _("Title"), self.title), ("occupation", _("Occupation (KldB 2010)"), self.occupation),
                ("german_level", _("German at least"), self.german), ("languages", _("Other languages"), langs),
                ("driving_licence", _("Driving licence"), self.licence), ("work_permit_needed", "", self.permit),
                ("hours", _("Hours"), hours_row), ("town", _("Place"), place_row),
                ("status", _("Status"), self.status), ("notes", _("Notes"), self.notes))
        for key, text, w in rows:
            self.form.addRow(text, w)
            if isinstance(w, QWidget):
                self.fields[key] = w
        self.fields.update({"start_date": self.start, "places": self.places, "max_travel_minutes": self.travel,
                            "languages": self.languages[0][0]})
        self.resize(640, 0)

    def occupation_code(self) -> str | None:
        """The chosen code; a typed name, word or code is looked up in the classification."""
        text = self.occupation.currentText().strip()
        i = self.occupation.findText(text)
        if i >= 0:
            return self.occupation.itemData(i)
        if not text:
            return None
        occ = self.svc.occupations
        return text if text in occ.occupations else occ.code_for(text) or text

    def write(self) -> str:
        languages = []
        for code, level in self.languages:
            if code.currentData() or level.currentData():
                languages.append({"code": code.currentData(), "level": level.currentData()})
        return self.svc.save_offer({
            "employer_id": self.employer.currentData(), "kind": self.kind.currentData(), "title": self.title.text(),
            "occupation": self.occupation_code(), "german_level": self.german.currentData(), "languages": languages,
            "driving_licence": self.licence.currentData(), "work_permit_needed": self.permit.isChecked(),
            "hours": self.hours.value() or None, "start_date": date_value(self.start, "start_date"),
            "town": self.town.currentData(), "max_travel_minutes": self.travel.value() or None,
            "places": self.places.value(), "status": self.status.currentData(), "notes": self.notes.text()},
            self.offer_id)
