"""The case view's tab "Work offers": the open employer offers that match this case, and the case's proposals.

Above, every open offer ranked for the client by app.matching (suitable first), with the sentence why and
what is missing; below, the case's proposals with each step (proposed, the client's answer, sent to the
employer, invited, hired or rejected, started) and its dates; between them the steps for the chosen offer
or proposal (ui.placement_panel). Everything goes through `session.employer_service`
(app.gated_employers); the case view hands the tab its case only when the case may be shown in full.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QListView, QSplitter, QVBoxLayout, QWidget

from i18n import _

from .casework.common import RefreshOnShow
from .courses_models import selected_row, table
from .employers_models import CaseOfferModel, PlacementModel, fit
from .placement_panel import PlacementPanel


class WorkOffersTab(RefreshOnShow, QWidget):
    def __init__(self, session, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.session = session
        self.today = today
        self.household_id: str | None = None
        self.case_id: str | None = None
        self.offer_model = CaseOfferModel(self)
        self.offer_view = QListView()
        self.offer_view.setModel(self.offer_model)
        self.offer_view.setObjectName("caseOffers")
        self.offer_view.setWordWrap(True)
        self.offer_view.setAlternatingRowColors(True)
        self.offer_view.setSpacing(2)
        self.offer_view.selectionModel().currentRowChanged.connect(lambda *_a: self._offer_chosen())
        self.history_model = PlacementModel(self)
        self.history_view = table(self.history_model)
        self.history_view.setObjectName("casePlacements")
        fit(self.history_view, PlacementModel.STRETCH)
        self.history_view.selectionModel().currentRowChanged.connect(lambda *_a: self._placement_chosen())
        self.only_suitable = QCheckBox(_("only suitable"))
        self.only_suitable.setChecked(True)
        self.only_suitable.toggled.connect(lambda _b: self.refresh())
        self.summary = QLabel()
        self.summary.setObjectName("offerSummary")
        self.summary.setWordWrap(True)
        self.panel = PlacementPanel(session, self, today)
        self.panel.changed.connect(self._placed)
        offers = QGroupBox(_("Open offers for this client"))
        ol = QVBoxLayout(offers)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_suitable)
        ol.addLayout(top)
        ol.addWidget(self.offer_view, 1)
        history = QGroupBox(_("Proposals and outcomes"))
        hl = QVBoxLayout(history)
        hl.addWidget(self.history_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(offers)
        split.addWidget(history)
        split.setSizes([300, 130])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split, 1)
        lay.addWidget(self.panel)
        self._offers: dict[str, dict] = {}
        self.setEnabled(False)

    @property
    def svc(self):
        return self.session.employer_service

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def set_case(self, household_id, case_id) -> None:
        self.household_id, self.case_id = household_id, case_id
        self.setEnabled(case_id is not None)
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_open or not self.case_id:
            self.offer_model.set_rows([])
            self.history_model.set_rows([])
            self.panel.show_for(None, None, None, None)
            return
        svc = self.svc
        names = {e["id"]: e["name"] for e in svc.employers()}
        placements = svc.placements(self.case_id)
        latest = {p["offer_id"]: p for p in placements}
        matches = svc.offers_for_case(self.case_id, today=self.day())
        self._offers = {o["id"]: o for o in svc.offers(status=None)}
        suitable = sum(m.eligible for m in matches)
        shown = [m for m in matches if m.eligible or m.offer_id in latest or not self.only_suitable.isChecked()]
        self.offer_model.set_rows([(rank, m, self._offers.get(m.offer_id, {}),
                                    names.get(self._offers.get(m.offer_id, {}).get("employer_id"), ""),
                                    latest.get(m.offer_id)) for rank, m in enumerate(shown, 1)])
        self.summary.setText(_("{n} of {total} open offers suit the client.").format(n=suitable, total=len(matches)))
        self.history_model.set_rows([(p, self._offers.get(p["offer_id"], {}).get("title", ""),
                                      names.get(self._offers.get(p["offer_id"], {}).get("employer_id"), ""))
                                     for p in placements])
        if self.offer_model.rowCount():
            self.offer_view.setCurrentIndex(self.offer_model.index(0, 0))
        else:
            self.panel.show_for(self.case_id, None, None, None)

    def _offer_chosen(self) -> None:
        row = selected_row(self.offer_view)
        if row is None:
            return
        _rank, m, offer, _employer, placement = row
        self.panel.show_for(self.case_id, offer, placement, m)

    def _placement_chosen(self) -> None:
        row = selected_row(self.history_view)
        if row is None:
            return
        p = row[0]
        self.panel.show_for(self.case_id, self._offers.get(p["offer_id"]), p, None)

    def _placed(self) -> None:
        offer_id = (self.panel.offer or {}).get("id")
        self.refresh()
        for r, row in enumerate(self.offer_model.rows):
            if row[2].get("id") == offer_id:
                self.offer_view.setCurrentIndex(self.offer_model.index(r, 0))


def work_offers_tab(session, parent):
    return _("Work offers"), WorkOffersTab(session, parent)
