"""The steps of placing one client in one offer, as buttons: propose, the client's answer, the consent for
the employer, sending the profile, and the outcome (invited, hired, rejected, started).

`PlacementPanel` is shared by the employer page (a candidate of an offer) and the case's "Work offers" tab
(an offer for the case). `show(case_id, offer, placement, match)` says which client, which offer, the
client's current proposal for it (or None) and the match; only the steps possible now are enabled. Every
step goes through `session.employer_service` (app.gated_employers: the case in full, sending also the
permission to pass data on); a refusal or bad input is one sentence under the buttons and nothing is
written. Sending opens `SendDialog`: which fields go, with a preview of exactly what is sent.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QVBoxLayout,
)

from app.access import AccessDenied
from app.employers import ACTIVE, SEND_FIELD_LABELS, SEND_FIELDS
from i18n import _

from .casework.common import attempt, date_edit, date_value, error_label, set_error, show_date
from .employers_models import placement_label


def package_text(package: dict) -> str:
    """What is sent, one line per field, in the UI language."""
    lines = []
    for key in SEND_FIELDS:
        if key not in package:
            continue
        value = package[key]
        if key == "languages":
            value = ", ".join(f"{code} {level}" for code, level in value.items()) or "–"
        elif key == "experience":
            value = "; ".join(_("{occupation}, {years} years").format(occupation=e["occupation"], years=e["years"])
                              + (" " + _("(with proof)") if e["proof"] else "") for e in value) or "–"
        elif key == "available_from":
            value = show_date(value) or "–"
        lines.append(f"{_(SEND_FIELD_LABELS[key])}: {value if value not in (None, '') else '–'}")
    return "\n".join(lines)


class SendDialog(QDialog):
    """Choose what of the profile goes to the employer; the preview shows it exactly."""

    def __init__(self, svc, placement_id: str, employer: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Send the profile to {employer}").format(employer=employer))
        self.svc, self.placement_id = svc, placement_id
        self.boxes: dict[str, QCheckBox] = {}
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("The client accepted the proposal and consented to passing these data to {employer}. "
                               "Only the ticked fields are sent and recorded.").format(employer=employer)))
        row = QHBoxLayout()
        for key in SEND_FIELDS:
            box = QCheckBox(_(SEND_FIELD_LABELS[key]))
            box.setChecked(True)
            box.toggled.connect(lambda _b: self._preview())
            self.boxes[key] = box
            row.addWidget(box)
        lay.addLayout(row)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("sendPreview")
        self.preview.setReadOnly(True)
        lay.addWidget(self.preview, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(_("&Send and record"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(640, 360)
        self._preview()

    def fields(self) -> tuple[str, ...]:
        return tuple(k for k in SEND_FIELDS if self.boxes[k].isChecked())

    def _preview(self) -> None:
        fields = self.fields()
        self.send_button.setEnabled(bool(fields))
        self.preview.setPlainText(package_text(self.svc.package(self.placement_id, fields)) if fields else "")


class PlacementPanel(QGroupBox):
    changed = Signal()  # a step was recorded

    def __init__(self, session, parent=None, today: dt.date | None = None):
        super().__init__(_("Proposal to the client"), parent)
        self.session = session
        self.today = today
        self.case_id: str | None = None
        self.offer: dict | None = None
        self.placement: dict | None = None
        self.match = None
        self.sent: dict | None = None  # what the last send passed on
        self.send_dialog: SendDialog | None = None
        self.why = QLabel()  # the match's sentence in full (lists elide it)
        self.why.setObjectName("matchSentence")
        self.why.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("placementState")
        self.state.setWordWrap(True)
        self.date = date_edit((today or dt.date.today()).isoformat())
        self.date.setAccessibleName(_("Date of the step"))
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("Note on the outcome (optional)"))
        self.buttons: dict[str, QPushButton] = {}
        steps = (("propose", _("&Propose to the client")), ("accept", _("Client a&ccepts")),
                 ("decline", _("Client &declines")), ("consent", _("Record c&onsent")),
                 ("send", _("Send the profi&le…")), ("invited", _("&Invited")), ("hired", _("Hi&red")),
                 ("rejected", _("Re&jected")), ("started", _("S&tarted")))
        row1, row2, row3 = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        for i, (step, text) in enumerate(steps):
            b = QPushButton(text)
            b.setObjectName(f"step_{step}")
            b.clicked.connect(lambda _c=False, s=step: self.step(s))
            self.buttons[step] = b
            (row1 if i < 4 else row2).addWidget(b)  # two short rows: the case view stays narrow
        row1.addStretch(1)
        row2.addStretch(1)
        row3.addWidget(self.notes, 1)
        row3.addWidget(QLabel(_("on")))
        row3.addWidget(self.date)
        self.error = error_label()
        self.error.setObjectName("placementError")
        lay = QVBoxLayout(self)
        lay.addWidget(self.why)
        lay.addWidget(self.state)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addLayout(row3)
        lay.addWidget(self.error)
        self.show_for(None, None, None, None)

    @property
    def svc(self):
        return self.session.employer_service

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def show_for(self, case_id: str | None, offer: dict | None, placement: dict | None, match) -> None:
        self.case_id, self.offer, self.placement, self.match = case_id, offer, placement, match
        set_error(self.error, None)
        name = match.profile.name if match is not None and match.profile else ""
        self.why.setText(f"{name}: {match.sentence}" if name else match.sentence if match is not None else "")
        self.why.setVisible(bool(self.why.text()))
        status = placement.get("status") if placement else None
        consent = None
        if case_id and offer and status == "accepted":
            consent = self.svc.employer_consent(case_id, offer["employer_id"])
        employer = (self.svc.employer(offer["employer_id"]) or {}).get("name", "") if offer else ""
        allowed = {
            "propose": bool(case_id and offer and offer.get("status") == "open" and status not in ACTIVE
                            and (match is None or match.eligible)),
            "accept": status == "proposed", "decline": status == "proposed",
            "consent": status == "accepted" and consent is None, "send": status == "accepted" and consent is not None and self.svc.may_send(),
            "invited": status == "sent", "hired": status in ("sent", "invited"),
            "rejected": status in ("sent", "invited"), "started": status == "hired",
        }
        for step, b in self.buttons.items():
            b.setEnabled(allowed[step])
        self.notes.setEnabled(status in ("sent", "invited", "hired"))
        if not case_id or not offer:
            self.state.setText(_("Choose a client and an offer."))
        elif placement is None or status not in ACTIVE:
            text = _("Not proposed yet.") if placement is None else _("Last proposal: {step} ({date}).").format(
                step=placement_label(status), date=show_date(placement.get("outcome_on") or placement.get("proposed_on")))
            if match is not None and not match.eligible:
                text += " " + _("Cannot be proposed: {what}.").format(what="; ".join(match.missing[:3]))
            self.state.setText(text)
        else:
            text = _("Step: {step}; proposed on {date}.").format(step=placement_label(status),
                                                            date=show_date(placement.get("proposed_on")))
            if status == "accepted":
                text += " " + (_("Consent for {employer} given on {date}.").format(
                    employer=employer, date=show_date(consent.get("date"))) if consent else
                    _("No consent for {employer} yet: nothing can be sent.").format(employer=employer))
            self.state.setText(text)

    def _reload(self) -> None:
        placements = self.svc.placements(self.case_id) if self.case_id else []
        mine = [p for p in placements if self.offer and p["offer_id"] == self.offer["id"]]
        self.show_for(self.case_id, self.svc.offer(self.offer["id"]) if self.offer else None,
                      mine[-1] if mine else None, self.match)

    def step(self, step: str) -> None:
        if not self.case_id or not self.offer:
            return
        if step == "send":
            if attempt(self.error, lambda: date_value(self.date)):
                self._open_send_dialog()
            return

        def run() -> None:
            day = date_value(self.date)
            svc = self.svc
            pid = self.placement["id"] if self.placement else ""
            if step == "propose":
                svc.propose(self.case_id, self.offer["id"], date=day, today=self.day())
            elif step in ("accept", "decline"):
                svc.answer(pid, step == "accept", date=day)
            elif step == "consent":
                svc.record_employer_consent(self.case_id, self.offer["employer_id"], date=day)
            else:
                svc.outcome(pid, step, date=day, notes=self.notes.text())
                self.notes.clear()

        if attempt(self.error, run):
            self._reload()
            self.changed.emit()

    def _open_send_dialog(self) -> None:
        employer = (self.svc.employer(self.offer["employer_id"]) or {}).get("name", "") if self.offer else ""
        try:
            self.send_dialog = SendDialog(self.svc, self.placement["id"], employer, self)
        except AccessDenied as exc:
            set_error(self.error, str(exc))
            return
        self.send_dialog.accepted.connect(self._send_accepted)
        self.send_dialog.open()

    def _send_accepted(self) -> None:
        dialog = self.send_dialog
        if dialog is None or self.placement is None:
            return
        placement = self.placement

        def send() -> None:
            self.sent = self.svc.send(placement["id"], dialog.fields(), date=date_value(self.date))

        if not attempt(self.error, send):
            return
        self._reload()
        self.state.setText(self.state.text() + " " + _("Sent: {what}.").format(
            what=", ".join(_(SEND_FIELD_LABELS[k]) for k in self.sent)))
        self.changed.emit()
