"""The employer service's page (Arbeitgeberservice): employers, their offers, and the candidates of an offer.

Left the employers (with their open offers) and the chosen employer's offers, each a sortable table with
"New…" and "Change…" (ui.employer_dialogs); right the chosen offer's requirements and its candidates
ranked by app.matching with the sentence saying why and what is missing, and under them the steps of
placing the chosen candidate (ui.placement_panel: propose, the client's answer, the consent for this
employer, sending the profile, the outcome). Everything goes through `session.employer_service`
(app.gated_employers): only candidates whose case the staff member may see in full are listed, the
others are counted; a role without case data sees employers and offers only. Enter or a double-click on a
candidate opens the case.

The candidates are matched off the GUI thread (ui.tasks, on a worker session with its own connection):
while they are looked for the count says so ("Kandidaten werden gesucht …") and the page stays usable; a
result that arrives for an offer no longer chosen is dropped (each request has a ticket). Toggling
"only suitable" filters what was found without matching again.
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from app.access import AccessDenied
from app.checks import ValidationError
from i18n import _

from .casework.common import show_date
from .courses_models import selected_row, table
from .employer_dialogs import EmployerDialog, OfferDialog
from .employers_models import CandidateModel, EmployerModel, OfferModel, fit, kind_label, town
from .models import ROW_ROLE
from .placement_panel import PlacementPanel
from .tasks import run_in_background


def requirements(svc, offer: dict) -> str:
    """One paragraph: what the offer asks for."""
    parts = [kind_label(offer.get("kind"))]
    if offer.get("occupation"):
        parts.append(f"{svc.occupations.name(offer['occupation'])} ({offer['occupation']})")
    parts.append(_("German {level}").format(level=offer["german_level"]) if offer.get("german_level")
                 else _("no German level required"))
    for lang in offer.get("languages") or []:
        parts.append(f"{lang.get('code')} {lang.get('level')}")
    if offer.get("driving_licence"):
        parts.append(_("driving licence class {cls}").format(cls=offer["driving_licence"]))
    if offer.get("work_permit_needed"):
        parts.append(_("work permit needed"))
    if offer.get("hours"):
        parts.append(_("{hours} h/week").format(hours=offer["hours"]))
    if offer.get("start_date"):
        parts.append(_("from {date}").format(date=show_date(offer["start_date"])))
    where = town(offer.get("town"))
    if offer.get("max_travel_minutes"):
        where += ", " + _("at most {minutes} min by bus and train").format(minutes=offer["max_travel_minutes"])
    parts.append(where)
    return " · ".join(p for p in parts if p)


class EmployersPage(QWidget):
    open_case = Signal(str, str)  # household id, case id

    def __init__(self, session, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.session = session
        self.today = today  # None: the real today at every refresh (tests pin a day)
        self.dialog = None  # the open EmployerDialog / OfferDialog
        # employers
        self.employer_model = EmployerModel(self)
        self.employer_view = table(self.employer_model)
        self.employer_view.setObjectName("employerTable")
        fit(self.employer_view, EmployerModel.STRETCH)
        self.employer_view.selectionModel().currentRowChanged.connect(lambda *_a: self._quiet or self._employer_selected())
        self.new_employer = QPushButton(_("New &employer…"))
        self.new_employer.clicked.connect(lambda: self.edit_employer(new=True))
        self.change_employer = QPushButton(_("C&hange…"))
        self.change_employer.clicked.connect(lambda: self.edit_employer(new=False))
        employers = QGroupBox(_("Employers"))
        el = QVBoxLayout(employers)
        el.addWidget(self.employer_view, 1)
        eb = QHBoxLayout()
        eb.addStretch(1)
        eb.addWidget(self.new_employer)
        eb.addWidget(self.change_employer)
        el.addLayout(eb)
        # offers
        self.offer_model = OfferModel(self)
        self.offer_view = table(self.offer_model)
        self.offer_view.setObjectName("offerTable")
        fit(self.offer_view, OfferModel.STRETCH)
        self.offer_view.selectionModel().currentRowChanged.connect(lambda *_a: self._quiet or self._offer_selected())
        self.all_offers = QCheckBox(_("also filled and closed"))
        self.all_offers.toggled.connect(lambda _b: self._employer_selected())
        self.new_offer = QPushButton(_("New o&ffer…"))
        self.new_offer.clicked.connect(lambda: self.edit_offer(new=True))
        self.change_offer = QPushButton(_("Chan&ge…"))
        self.change_offer.clicked.connect(lambda: self.edit_offer(new=False))
        offers = QGroupBox(_("Offers of the employer"))
        ol = QVBoxLayout(offers)
        ol.addWidget(self.offer_view, 1)
        ol.addWidget(self.all_offers)  # a line of its own: its text is long in some languages
        ob = QHBoxLayout()
        ob.addStretch(1)
        ob.addWidget(self.new_offer)
        ob.addWidget(self.change_offer)
        ol.addLayout(ob)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(employers)
        left.addWidget(offers)
        # candidates
        self.offer_info = QLabel()
        self.offer_info.setObjectName("offerRequirements")
        self.offer_info.setWordWrap(True)
        self.candidate_model = CandidateModel(self)
        self.candidate_view = table(self.candidate_model)
        self.candidate_view.setObjectName("candidateTable")
        fit(self.candidate_view, CandidateModel.STRETCH)  # elided; the chosen one's sentence is in the panel
        self.candidate_view.selectionModel().currentRowChanged.connect(
            lambda *_a: self._quiet or self._candidate_selected())
        self.candidate_view.activated.connect(lambda _i: self._open())
        self.only_suitable = QCheckBox(_("only suitable"))
        self.only_suitable.setChecked(True)
        self.only_suitable.toggled.connect(lambda _b: self._refilter())
        self.count = QLabel()
        self.count.setObjectName("candidateCount")
        self.count.setWordWrap(True)
        self.panel = PlacementPanel(session, self, today)
        self.panel.changed.connect(self._placed)
        candidates = QGroupBox(_("Candidates"))
        cl = QVBoxLayout(candidates)
        cl.addWidget(self.offer_info)
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.only_suitable)
        cl.addLayout(top)
        cl.addWidget(self.candidate_view, 1)
        cl.addWidget(self.panel)
        split = QSplitter(Qt.Orientation.Horizontal)
        left.setMinimumWidth(320)  # the sides share what the window has; their buttons wrap, lists elide
        candidates.setMinimumWidth(560)
        split.addWidget(left)
        split.addWidget(candidates)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([400, 800])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self._quiet = False  # while a list is refilled: its selection signals do not reload what follows
        self._ticket = self._done = 0  # the latest request for candidates, the latest one answered
        self._found = None  # (offer id, Candidates, {case id: placement}) last shown
        self._shown_offer: str | None = None  # whose candidates the list holds

    @property
    def svc(self):
        return self.session.employer_service

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    # -- data ------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_open:
            return
        self.refresh_to()

    def refresh_to(self, employer_id: str | None = None, offer_id: str | None = None,
                   case_id: str | None = None) -> None:
        """Reload; keep (or choose) the employer, offer and candidate shown."""
        svc = self.svc
        employer = selected_row(self.employer_view)
        offer = selected_row(self.offer_view)
        candidate = selected_row(self.candidate_view)
        for b in (self.new_employer, self.change_employer, self.new_offer, self.change_offer):
            b.setVisible(svc.may_edit())
        self._fill(self.employer_model, self.employer_view, svc.employers(), lambda e: e["id"],
                   employer_id or (employer["id"] if employer else None))
        self._employer_selected(offer_id or (offer["id"] if offer else None),
                                case_id or (candidate[1].case_id if candidate else None))

    def clear(self) -> None:
        self._ticket += 1  # a search under way is no longer wanted
        self._done, self._found, self._shown_offer = self._ticket, None, None
        for m in (self.employer_model, self.offer_model, self.candidate_model):
            m.set_rows([])
        self.panel.show_for(None, None, None, None)

    def _fill(self, model, view: QTableView, rows, key, record_key) -> None:
        """Refill a list and select the row whose key is `record_key` (else the first), without reloading
        what follows it."""
        self._quiet = True
        try:
            model.set_rows(rows)
            proxy = view.model()
            row = 0
            for r in range(proxy.rowCount()):
                if record_key is not None and key(proxy.index(r, 0).data(ROW_ROLE)) == record_key:
                    row = r
            if proxy.rowCount():
                view.setCurrentIndex(proxy.index(row, 0))
        finally:
            self._quiet = False

    def _employer_selected(self, offer_id: str | None = None, case_id: str | None = None) -> None:
        e = selected_row(self.employer_view)
        self.change_employer.setEnabled(e is not None)
        rows = self.svc.offers(e["id"], status=None if self.all_offers.isChecked() else "open") if e else []
        self._fill(self.offer_model, self.offer_view, rows, lambda o: o["id"], offer_id)
        self._offer_selected(case_id)

    def _offer_selected(self, case_id: str | None = None) -> None:
        o = selected_row(self.offer_view)
        self.change_offer.setEnabled(o is not None)
        self.new_offer.setEnabled(selected_row(self.employer_view) is not None)
        if o is None:
            self._ticket += 1
            self._done, self._found, self._shown_offer = self._ticket, None, None
            self.offer_info.setText(_("Choose an offer to see its candidates."))
            self.candidate_model.set_rows([])
            self.count.setText("")
            self.panel.show_for(None, None, None, None)
            return
        self.offer_info.setText(requirements(self.svc, o))
        self._load_candidates(o, case_id)

    def _load_candidates(self, offer: dict, case_id: str | None = None) -> None:
        """Match the offer on a worker session off the GUI thread (ui.tasks); meanwhile the page says so and
        stays usable. A result for an offer no longer chosen (a later request was made) is dropped."""
        svc = self.svc
        self._ticket += 1
        if not svc.may_match():
            self._done, self._found, self._shown_offer = self._ticket, None, None
            self.candidate_model.set_rows([])
            self.count.setText(_("Your role does not show candidates (no case data)."))
            self.panel.show_for(None, None, None, None)
            return
        ticket, offer_id, day = self._ticket, offer["id"], self.day()
        if self._shown_offer != offer_id:  # another offer: its candidates are not these
            self._shown_offer = None
            self.candidate_model.set_rows([])
            self.panel.show_for(None, offer, None, None)
        self.count.setText(_("Searching for candidates …"))
        worker = self.session.worker()  # a connection of its own for the pool thread, locked when done

        def compute():
            try:
                gated = worker.employer_service
                found = gated.candidates(offer_id, today=day)
                return found, {p["case_id"]: p for p in gated.placements(offer_id=offer_id)}  # the latest per client
            finally:
                worker.lock()

        run_in_background(compute, lambda result: self._candidates_found(ticket, offer_id, case_id, *result),
                          lambda exc: self._candidates_failed(ticket, exc))

    def _refilter(self) -> None:
        """"only suitable" toggled: filter what was found for the chosen offer, or match it if nothing was."""
        offer = selected_row(self.offer_view)
        if offer is not None and self._found is not None and self._found[0] == offer["id"] and not self.searching():
            self._show_candidates(self._found[1], self._found[2], None)
        else:
            self._offer_selected()

    def searching(self) -> bool:
        """Whether candidates are being looked for (a result not yet shown)."""
        return self._ticket != self._done

    def _candidates_found(self, ticket: int, offer_id: str, case_id: str | None, found, placed: dict) -> None:
        if not shiboken6.isValid(self) or ticket != self._ticket or not self.session.is_open:
            return  # stale: the offer changed meanwhile, or the page is gone
        self._done = ticket
        self._found = (offer_id, found, placed)
        self._show_candidates(found, placed, case_id)

    def _candidates_failed(self, ticket: int, exc: Exception) -> None:
        if not shiboken6.isValid(self) or ticket != self._ticket:
            return
        self._done = ticket
        self._found = None
        self.candidate_model.set_rows([])
        self.panel.show_for(None, None, None, None)
        message = " ".join(exc.errors.values()) if isinstance(exc, ValidationError) else str(exc)
        self.count.setText(_("The candidates could not be found: {error}").format(error=message))

    def _show_candidates(self, found, placed: dict, case_id: str | None) -> None:
        offer_id = self._found[0] if self._found else None
        if case_id is None and offer_id == self._shown_offer:  # keep the candidate chosen
            candidate = selected_row(self.candidate_view)
            case_id = candidate[1].case_id if candidate else None
        self._shown_offer = offer_id
        ranked = list(enumerate(found.shown, 1))
        suitable = sum(m.eligible for m in found.shown)
        if self.only_suitable.isChecked():
            ranked = [(i, m) for i, m in ranked if m.eligible or m.case_id in placed]
        self._fill(self.candidate_model, self.candidate_view, [(i, m, placed.get(m.case_id)) for i, m in ranked],
                   lambda row: row[1].case_id, case_id)
        text = _("{n} suitable of {total} open cases.").format(n=suitable, total=len(found.shown))
        if found.hidden:
            text += " " + _("{n} more cases are not listed: you may not see them in full (no consent for your "
                            "agency).").format(n=found.hidden)
        self.count.setText(text)
        self._candidate_selected()

    def _candidate_selected(self) -> None:
        row = selected_row(self.candidate_view)
        offer = selected_row(self.offer_view)
        if row is None or offer is None:
            self.panel.show_for(None, offer, None, None)
            return
        _rank, m, placement = row
        self.panel.show_for(m.case_id, offer, placement, m)

    def _placed(self) -> None:
        """A step was recorded: the candidate's proposal column and the offer (it may be filled) change."""
        if self.panel.offer and self.panel.offer.get("status") != "open":
            self.all_offers.setChecked(True)  # the last start filled it: keep it in view
        self.refresh_to(case_id=self.panel.case_id)

    def _open(self) -> None:
        row = selected_row(self.candidate_view)
        if row is not None and row[1].profile is not None:
            self.open_case.emit(row[1].profile.household_id, row[1].case_id)

    # -- editing ----------------------------------------------------------------------
    def edit_employer(self, new: bool) -> None:
        current = None if new else selected_row(self.employer_view)
        if not new and current is None:
            return
        self.dialog = EmployerDialog(self.svc, current, self)
        self.dialog.accepted.connect(lambda: self._saved(self.employer_view))
        self.dialog.open()

    def edit_offer(self, new: bool) -> None:
        current = None if new else selected_row(self.offer_view)
        employer = selected_row(self.employer_view)
        if not new and current is None:
            return
        try:
            self.dialog = OfferDialog(self.svc, current, employer["id"] if employer else None, self, self.today)
        except (ValidationError, AccessDenied):
            return
        self.dialog.accepted.connect(lambda: self._saved(self.offer_view))
        self.dialog.open()

    def _saved(self, view: QTableView) -> None:
        saved = self.dialog.saved_id if self.dialog else None
        if view is self.offer_view and saved:  # show the offer under its employer, with its candidates
            offer = self.svc.offer(saved) or {}
            if offer.get("status") != "open":
                self.all_offers.setChecked(True)
            self.refresh_to(offer.get("employer_id"), saved)
        else:
            self.refresh_to(saved)


def employers_page(session, window):
    """The page of the main window; a candidate opens their case in the case view."""
    page = EmployersPage(session, window)

    def open_case(household_id: str, case_id: str) -> None:
        window.nav.setCurrentRow(0)
        window.case_view.show_case(household_id, case_id)

    page.open_case.connect(open_case)
    return _("Employers"), page
