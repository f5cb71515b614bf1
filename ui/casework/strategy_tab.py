"""Wille and strategy: the client's will, the agreed focus, goals with target dates, and case conferences.

Goals and conferences are `GoalsModel` and `ConferencesModel` (ui.models.RowListModel) in QListViews, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListView, QPlainTextEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.consent import agency_label
from app.goals import KIND_LABELS
from app.schema import AGENCIES
from i18n import _

from ..models import RowListModel
from .reflow import SideBySide
from .common import RefreshOnShow, date_edit, date_value, error_label, errors_text, services, set_error, show_date


class GoalsModel(RowListModel):
    """Will, focus and goal records (dicts), newest first: date, kind, text and the target date if any."""

    def set_goals(self, goals: list[dict]) -> None:
        self.set_rows(reversed(goals))  # the service gives them oldest first

    def text(self, g: dict) -> str:
        target = _(" (by {date})").format(date=show_date(g["target_date"])) if g.get("target_date") else ""
        return f"{show_date(g.get('date'))}  {_(KIND_LABELS[g['kind']])}: {g['text']}{target}"


class ConferencesModel(RowListModel):
    """Case conference records (dicts), newest first."""

    def set_conferences(self, conferences: list[dict]) -> None:
        self.set_rows(reversed(conferences))

    def text(self, c: dict) -> str:
        return _("{date}: {agencies} – focus: {focus} ({n} resource entries)").format(
            date=show_date(c.get("date")), agencies=", ".join(c.get("agencies") or []), focus=c.get("focus"),
            n=len(c.get("resource_snapshot") or []))


class StrategyTab(RefreshOnShow, QWidget):
    access_level = "own"  # without consent: the agency's own will and goals; a conference needs the consent

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        # will and goals
        self.date = date_edit()
        self.date.setAccessibleName(_("Date of the entry"))
        self.current = QLabel()
        self.current.setObjectName("currentWill")
        self.current.setWordWrap(True)
        self.will = QLineEdit()
        self.will.setPlaceholderText(_("The client's will, in their own words"))
        self.will_button = QPushButton(_("Record will"))
        self.will_button.clicked.connect(lambda: self._add("wille", self.will, None))
        self.goal = QLineEdit()
        self.goal.setPlaceholderText(_("Goal"))
        self.goal_date = date_edit("")
        self.goal_date.setText("")
        self.goal_date.setAccessibleName(_("Target date"))
        self.goal_button = QPushButton(_("Add goal"))
        self.goal_button.clicked.connect(lambda: self._add("goal", self.goal, self.goal_date))
        self.goal_model = GoalsModel(self)
        self.goals = QListView()
        self.goals.setModel(self.goal_model)
        self.goals.setWordWrap(True)
        self.goal_error = error_label()
        wg = QGroupBox(_("Will and goals"))
        wl = QVBoxLayout(wg)
        wl.addWidget(self.current)
        r0 = QHBoxLayout()
        r0.addWidget(QLabel(_("Date:")))
        r0.addWidget(self.date)
        r0.addStretch(1)
        wl.addLayout(r0)
        r1 = QHBoxLayout()
        r1.addWidget(self.will, 1)
        r1.addWidget(self.will_button)
        r2 = QHBoxLayout()
        r2.addWidget(self.goal, 1)
        r2.addWidget(QLabel(_("by")))
        r2.addWidget(self.goal_date)
        r2.addWidget(self.goal_button)
        wl.addLayout(r1)
        wl.addLayout(r2)
        wl.addWidget(self.goal_error)
        wl.addWidget(self.goals, 1)
        # conference
        self.conf_date = date_edit()
        self.agency_checks = {a: QCheckBox(agency_label(a)) for a in AGENCIES}
        agencies = QWidget()
        al = QGridLayout(agencies)
        al.setContentsMargins(0, 0, 0, 0)
        for i, cb in enumerate(self.agency_checks.values()):
            al.addWidget(cb, i // 2, i % 2)
        self.participants = QLineEdit()
        self.participants.setPlaceholderText(_("Names, separated by commas"))
        self.proposals = QPlainTextEdit()
        self.proposals.setTabChangesFocus(True)
        self.proposals.setPlaceholderText(_("One proposal per line, e.g. AA: language course first"))
        self.proposals.setFixedHeight(60)
        self.focus = QLineEdit()
        self.next_steps = QLineEdit()
        self.conf_button = QPushButton(_("Record case conference"))
        self.conf_button.clicked.connect(self.hold_conference)
        self.conf_error = error_label()
        self.conference_model = ConferencesModel(self)
        self.conferences = QListView()
        self.conferences.setModel(self.conference_model)
        self.conferences.setWordWrap(True)
        cg = QGroupBox(_("Case conference (kollegiale Fallberatung)"))
        cf = QFormLayout(cg)
        cf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # fits a 1366 px laptop screen
        self.conf_needs_consent = QLabel(_("A case conference brings every agency's records together: it needs "
                                           "the client's consent for your agency."))
        self.conf_needs_consent.setWordWrap(True)
        self.conf_needs_consent.setStyleSheet("color: #8a5a00;")
        self.conf_needs_consent.setVisible(False)
        cf.addRow(self.conf_needs_consent)  # first: before the inputs it disables
        cf.addRow(_("Date"), self.conf_date)
        cf.addRow(_("Agencies"), agencies)
        cf.addRow(_("Participants"), self.participants)
        cf.addRow(_("Proposals"), self.proposals)
        cf.addRow(_("Agreed focus"), self.focus)
        cf.addRow(_("Next steps"), self.next_steps)
        cf.addRow(self.conf_error)
        cf.addRow(self.conf_button)
        cf.addRow(self.conferences)
        wg.setMinimumWidth(420)
        self.columns = SideBySide(wg, cg)  # stacked when the case view is narrow (1366 px beside the list)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.columns)
        self.setEnabled(False)

    def set_case(self, household_id, case_id) -> None:
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        self.refresh()

    def _add(self, kind: str, edit: QLineEdit, target) -> None:
        try:
            services(self.session).goals.add(self.case_id, kind, edit.text(),
                                             target_date=date_value(target) if target else None,
                                             date=date_value(self.date))
        except ValidationError as exc:
            set_error(self.goal_error, errors_text(exc))
            return
        set_error(self.goal_error, None)
        edit.clear()
        if target:
            target.clear()
        self.refresh()

    def hold_conference(self) -> None:
        proposals = []
        for line in self.proposals.toPlainText().splitlines():
            if ":" in line:
                agency, text = line.split(":", 1)
                proposals.append({"agency": agency.strip().upper(), "text": text.strip()})
            elif line.strip():
                proposals.append({"agency": "", "text": line.strip()})
        try:
            services(self.session).conferences.hold(
                self.case_id, date=date_value(self.conf_date),
                agencies=[a for a, cb in self.agency_checks.items() if cb.isChecked()],
                participants=self.participants.text().split(","), proposals=proposals,
                focus=self.focus.text(), next_steps=self.next_steps.text())
        except ValidationError as exc:
            set_error(self.conf_error, errors_text(exc))
            return
        set_error(self.conf_error, None)
        for w in (self.participants, self.focus, self.next_steps):
            w.clear()
        self.proposals.clear()
        for cb in self.agency_checks.values():
            cb.setChecked(False)
        self.refresh()

    def refresh(self) -> None:
        if not self.case_id:
            self.goal_model.set_goals([])
            self.conference_model.set_conferences([])
            self.current.setText("")
            return
        cw = services(self.session)
        full = cw.level(self.case_id) == "full"
        self.conf_needs_consent.setVisible(not full)
        for w in (self.conf_date, *self.agency_checks.values(), self.participants, self.proposals, self.focus,
                  self.next_steps, self.conf_button):
            w.setEnabled(full)
        will, focus = cw.goals.current(self.case_id, "wille"), cw.goals.current(self.case_id, "focus")
        self.current.setText(_("Will: {will}\nCurrent focus: {focus}").format(
            will=will["text"] if will else "–", focus=focus["text"] if focus else "–"))
        self.goal_model.set_goals(cw.goals.all(self.case_id))
        self.conference_model.set_conferences(cw.conferences.for_case(self.case_id))
