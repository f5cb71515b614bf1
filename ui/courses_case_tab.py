"""The case view's tab "Courses and handover": the case's waiting lists, seat offers, provider feedback, handover.

Small on purpose (the case view is crowded): one table of the case's places on
waiting lists with their explanation and any notice from the hub, the open
seat offers with "accepts" / "declines", one line to register for a list,
one line for a provider's feedback on a measure, and one line for the
handover at the Rechtskreiswechsel (plan, send, accepted, returned). All of it
goes through `session.courses` (app.gated_courses, the consent gate); the hub
turns answers into seats at its next allocation. Without the client's consent
for the staff member's agency (level `own`) the tab shows the agency's own
entries and measures, and the handover says that it needs the consent.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout,
    QWidget,
)

from app.checks import ValidationError
from app.feedback import KINDS as FEEDBACK_KINDS
from app.handover import STATE_LABELS
from app.schema import CEFR_LEVELS, COURSE_LEVELS
from app.waitlist import ENTRY_STATES
from i18n import N_, _

from .casework.common import (
    RefreshOnShow, attempt, date_edit, date_value, error_label, reload_case_view, set_error, show_date,
)
from .courses_models import LANGUAGE_KINDS, selected_row, table
from .models import RowTableModel


class EntryModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__((N_("Course"), N_("Level"), N_("Registered"), N_("State"), N_("Rank"), N_("Notice")), parent)
        self.names = {}

    def cell(self, row, col: int):
        e, place = row
        return (self.names.get(e["catalogue_id"], e["catalogue_id"]), e.get("level") or "–",
                show_date(e.get("registered_on")), _(ENTRY_STATES[e["_state"]]), place, e.get("notice") or "")[col]


class CoursesCaseTab(RefreshOnShow, QWidget):
    access_level = "own"  # without consent: the entries and measures the staff member's agency made (app.gated_courses)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.household_id: str | None = None
        self.case_id: str | None = None
        self.model = EntryModel(self)
        self.view = table(self.model)
        self.view.setObjectName("caseWaitlist")
        self.offers = QVBoxLayout()
        self.error = error_label()
        # register
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Course"))
        self.level = QComboBox()
        self.level.setAccessibleName(_("Level"))
        for lv in COURSE_LEVELS:
            self.level.addItem(lv, lv)
        self.level.setCurrentIndex(1)
        self.reg_date = date_edit()
        self.obligated = QCheckBox(_("obliged since"))
        self.obligated_since = date_edit()
        self.obligated_since.clear()
        self.childcare = QCheckBox(_("needs childcare"))
        self.proposed = QComboBox()  # a course this office proposes (the hub still decides by the list)
        self.proposed.setAccessibleName(_("Proposed course"))
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_proposed())
        self.level.currentIndexChanged.connect(lambda _i: self._fill_proposed())
        register = QPushButton(_("On the &waiting list"))
        register.clicked.connect(self.register)
        self.withdraw_button = QPushButton(_("Take &off the list"))
        self.withdraw_button.clicked.connect(self.withdraw)
        for edit in (self.reg_date, self.obligated_since):
            edit.setMinimumWidth(100)
        reg = QHBoxLayout()  # the course and date, then obligation and childcare: on one line they made the
        for w in (self.kind, self.level, QLabel(_("registered on")), self.reg_date):  # tab scroll sideways
            reg.addWidget(w)
        reg.addStretch(1)
        reg_terms = QHBoxLayout()
        for w in (self.obligated, self.obligated_since, self.childcare):
            reg_terms.addWidget(w)
        reg_terms.addStretch(1)
        # the proposed course on a line of its own: beside the buttons it had a few letters ("kein best…"); a
        # title too long for the line elides, whole in the tooltip
        self.proposed.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.proposed.setMinimumContentsLength(len(_("no particular course")) + 2)
        self.proposed.currentTextChanged.connect(self.proposed.setToolTip)
        reg_course = QHBoxLayout()
        reg_course.addWidget(QLabel(_("Proposed course")))
        reg_course.addWidget(self.proposed, 1)
        reg_buttons = QHBoxLayout()
        reg_buttons.addStretch(1)
        for w in (register, self.withdraw_button):
            reg_buttons.addWidget(w)
        # provider feedback
        self.measure = QComboBox()
        self.measure.setAccessibleName(_("Measure"))
        self.fb_kind = QComboBox()
        for k, msg in FEEDBACK_KINDS.items():
            self.fb_kind.addItem(_(msg), k)
        self.fb_level = QComboBox()
        self.fb_level.setAccessibleName(_("Level reached"))
        self.fb_level.addItem("–", None)
        for lv in CEFR_LEVELS[:-1]:
            self.fb_level.addItem(lv, lv)
        self.fb_date = date_edit()
        fb_button = QPushButton(_("Record &feedback"))
        fb_button.clicked.connect(self.record_feedback)
        fb = QHBoxLayout()
        for w in (self.measure, self.fb_kind, self.fb_level, self.fb_date, fb_button):
            fb.addWidget(w)
        self.fb_counts = QLabel()
        self.fb_counts.setWordWrap(True)
        # handover
        self.h_state = QLabel()
        self.h_state.setObjectName("handoverState")
        self.h_state.setWordWrap(True)
        self.h_date = date_edit()
        self.h_reason = QLineEdit()
        self.h_reason.setPlaceholderText(_("Reason (when returned) or contact at the receiving agency"))
        self.h_buttons = {}
        self.h_needs_consent = QLabel(_("The handover passes the whole case on: it needs the client's consent "
                                        "for your agency."))
        self.h_needs_consent.setObjectName("handoverNeedsConsent")
        self.h_needs_consent.setWordWrap(True)
        self.h_needs_consent.hide()
        h = QHBoxLayout()
        h.addWidget(self.h_date)
        h.addWidget(self.h_reason, 1)
        for step, text in (("plan", _("&Plan")), ("send", _("&Send")), ("accept", _("&Accepted")),
                           ("return", _("&Returned"))):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, s=step: self.handover_step(s))
            self.h_buttons[step] = b
            h.addWidget(b)
        lists = QGroupBox(_("Waiting lists and seats"))
        ll = QVBoxLayout(lists)
        ll.addWidget(self.view, 1)
        ll.addLayout(self.offers)
        ll.addLayout(reg)
        ll.addLayout(reg_terms)
        ll.addLayout(reg_course)
        ll.addLayout(reg_buttons)
        feedback = QGroupBox(_("Feedback of the provider"))
        fl = QVBoxLayout(feedback)
        fl.addLayout(fb)
        fl.addWidget(self.fb_counts)
        handover = QGroupBox(_("Handover at the change of Rechtskreis"))
        hl = QVBoxLayout(handover)
        hl.addWidget(self.h_state)
        hl.addWidget(self.h_needs_consent)
        hl.addLayout(h)
        body = QWidget()  # in a scroll area: the tab never widens the case view past the 1366 px screen
        lay = QVBoxLayout(body)
        lay.addWidget(lists, 1)
        lay.addWidget(feedback)
        lay.addWidget(handover)
        lay.addWidget(self.error)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setEnabled(False)

    def set_case(self, household_id, case_id) -> None:
        self.household_id, self.case_id = household_id, case_id
        self.setEnabled(case_id is not None)
        set_error(self.error, None)
        self.refresh()

    # -- data ------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_open:
            return
        svc = self.session.courses
        names = {k: svc.catalogue.name(k) for k in svc.catalogue.items}
        self.model.names = names
        if self.kind.count() == 0:
            for k in LANGUAGE_KINDS:
                if k in names:
                    self.kind.addItem(names[k], k)
        self._fill_proposed()
        if not self.case_id:
            self.model.set_rows([])
            return
        seats = {o["entry_id"]: o for o in svc.waitlist.offers_for_case(self.case_id)
                 if o.get("state") in ("offered", "allocated")}
        rows = []
        for e, p in svc.waitlist.places_of_case(self.case_id):
            o = seats.get(e["id"])
            c = svc.courses.get(o["course_id"]) if o else None
            if c is not None:  # where the seat is, in the notice column
                e = {**e, "notice": _("{course}, from {start}").format(course=c.title or names.get(c.catalogue_id, ""),
                                                                       start=show_date(c.start_date))}
            rows.append((e, p.text() if p else ""))
        self.model.set_rows(rows)
        self._offers(svc, names)
        self.measure.clear()
        for m in svc.casework.measures.for_case(self.case_id):
            self.measure.addItem(f"{names.get(m['catalogue_id'], m['catalogue_id'])} ({show_date(m.get('proposed_on'))})",
                                 m["id"])
        counts = [f"{names.get(k, k)}: " + ", ".join(f"{_(FEEDBACK_KINDS[f])} {n}" for f, n in v.items())
                  for k, v in svc.feedback_counts().items()]
        self.fb_counts.setText(_("All cases: {counts}").format(counts="; ".join(counts)) if counts else "")
        self._handover(svc)

    def _fill_proposed(self) -> None:
        """Courses of the chosen kind and level that have not started, soonest first; "none" by default."""
        if not self.session.is_open:
            return
        self.proposed.clear()
        self.proposed.addItem(_("no particular course"), None)
        for c in self.session.courses.courses.rows(kind=self.kind.currentData(), level=self.level.currentData()):
            if not c.started(dt.date.today()):
                self.proposed.addItem(_("{course}, from {start}").format(course=c.title or c.office,
                                                                         start=show_date(c.start_date)), c.id)

    def _offers(self, svc, names) -> None:
        while self.offers.count():
            item = self.offers.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for o in svc.waitlist.offers_for_case(self.case_id):
            if o.get("state") != "offered":
                continue
            c = svc.courses.get(o["course_id"])
            text = _("Seat offered: {course}, {town}, from {start}; held until {until}.").format(
                course=(c.title or names.get(c.catalogue_id, "")) if c else "?", town=c.office if c else "",
                start=show_date(c.start_date) if c else "", until=show_date(o.get("hold_until")))
            if o.get("accepted_on") or o.get("declined_on"):
                text += " " + _("Answer recorded; the central office confirms it at its next allocation.")
            lab = QLabel(text)
            lab.setWordWrap(True)
            lab.setObjectName("seatOffer")
            self.offers.addWidget(lab)
            if not (o.get("accepted_on") or o.get("declined_on")):
                row = QWidget()
                rl = QHBoxLayout(row)
                rl.setContentsMargins(0, 0, 0, 0)
                yes, no = QPushButton(_("Client a&ccepts")), QPushButton(_("Client &declines"))
                yes.clicked.connect(lambda _c=False, oid=o["id"]: self.answer(oid, True))
                no.clicked.connect(lambda _c=False, oid=o["id"]: self.answer(oid, False))
                rl.addWidget(yes)
                rl.addWidget(no)
                rl.addStretch(1)
                self.offers.addWidget(row)

    def _handover(self, svc) -> None:
        full = self.session.casework().level(self.case_id) == "full"
        self.h_needs_consent.setVisible(not full)
        self.h_state.setVisible(full)
        self.h_date.setEnabled(full)
        self.h_reason.setEnabled(full)
        if not full:  # the handover and its state read the whole case (app.gated_courses)
            self.current_handover = None
            for b in self.h_buttons.values():
                b.setEnabled(False)
            return
        hs = svc.handovers.for_case(self.case_id)
        h = hs[-1] if hs else None
        self.current_handover = h
        state = h.get("state") if h else None
        if h is None:
            self.h_state.setText(_("No handover yet."))
        else:
            self.h_state.setText(_("Handover to {agency} ({rk}), expected {date}: {state}").format(
                agency=h.get("agency"), rk=h.get("to_rechtskreis"), date=show_date(h.get("expected_on")),
                state=_(STATE_LABELS.get(state, ""))) + (
                f" – {h['return_reason']}" if state == "returned" and h.get("return_reason") else ""))
            if h.get("shared"):  # what the receiving agency got, so that nobody asks the client again
                labels = {i["id"]: _(i["label"]) for i in svc.handovers.data.shared_items}
                self.h_state.setText(self.h_state.text() + "\n" + _("Passed on: {items}").format(
                    items=", ".join(labels.get(x, x) for x in h["shared"])))
        allowed = {"plan": state in (None, "accepted"), "send": state in ("planned", "returned"),
                   "accept": state == "sent", "return": state == "sent"}
        for step, b in self.h_buttons.items():
            b.setEnabled(allowed[step])

    # -- actions -----------------------------------------------------------------------
    def _do(self, fn) -> None:
        if attempt(self.error, fn):  # (a record of another agency without consent: one sentence)
            self.refresh()

    def register(self) -> None:
        def run():
            since = date_value(self.obligated_since, "obligated_since") if self.obligated.isChecked() else None
            self.session.courses.waitlist.register(
                self.case_id, self.kind.currentData(), self.level.currentData(), date=date_value(self.reg_date),
                obligated=self.obligated.isChecked(), obligated_since=since,
                childcare_needed=self.childcare.isChecked(), proposed_course_id=self.proposed.currentData())
        self._do(run)

    def withdraw(self) -> None:
        row = selected_row(self.view)
        if row is None:
            set_error(self.error, _("Select a waiting list first."))
            return
        self._do(lambda: self.session.courses.waitlist.withdraw(row[0]["id"]))

    def answer(self, offer_id: str, accept: bool) -> None:
        self._do(lambda: self.session.courses.waitlist.answer_offer(offer_id, accept))

    def record_feedback(self) -> None:
        def run():
            if self.measure.currentData() is None:
                raise ValidationError({"measure": _("The case has no measure yet.")})
            self.session.courses.feedback.record(self.measure.currentData(), self.fb_kind.currentData(),
                                                 date_value(self.fb_date), level=self.fb_level.currentData())
        self._do(run)

    def handover_step(self, step: str) -> None:
        h = self.session.courses.handovers
        text = self.h_reason.text()

        def run():
            day = date_value(self.h_date)
            if step == "plan":
                h.plan(self.case_id, day or "", reason=text)
            elif step == "send":
                h.send(self.current_handover["id"], day, contact=text)
            elif step == "accept":
                h.accept(self.current_handover["id"], day)
            else:
                h.return_(self.current_handover["id"], text, day)
        self._do(run)
        if step == "accept" and self.error.isHidden():
            reload_case_view(self)  # the Rechtskreis in the case's title changed


def courses_tab(session, parent):
    return _("Courses and handover"), CoursesCaseTab(session, parent)
