"""The table models of the employer page and the case's "Work offers" tab.

Each is a RowTableModel (ui.models) over what `session.employer_service` (app.gated_employers) returns:
employers with their open offers, an employer's offers, an offer's ranked candidates (app.matching.Match
with the client's proposal for this offer, if any), a case's matching offers, and a case's proposals
with their steps. Dates sort as ISO, ranks and scores as numbers. Tested through
`model.index(r, c).data()`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from app.employers import KIND_LABELS, OFFER_STATUS_LABELS, STATUS_LABELS
from app.matching import placement_reason
from app.travel import default_towns
from i18n import N_, _, current_language

from .casework.common import show_date
from .models import RowListModel, RowTableModel


def fit(view, stretch: int, wrap: bool = False) -> None:
    """Columns as wide as their contents, one column (`stretch`) takes the rest and elides or wraps."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for c in range(view.model().columnCount()):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(wrap)
    if wrap:
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def town(code: str | None) -> str:
    return default_towns().name(code) if code else ""


def kind_label(kind: str | None) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind or ""


def placement_label(status: str | None) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else ""


def suitability(eligible: bool) -> str:
    return _("suitable") if eligible else _("not suitable")


class EmployerModel(RowTableModel):
    STRETCH = 0  # the column that takes the rest of the width

    def __init__(self, parent=None):
        super().__init__((N_("Employer"), N_("Town"), N_("Open offers")), parent)

    def cell(self, e: dict, col: int):
        return (e.get("name") or "", town(e.get("town")), str(e.get("open_offers", 0)))[col]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():  # sector and contact, which have no column
            e = self.rows[index.row()]
            return " · ".join(x for x in (e.get("name"), e.get("sector"), e.get("contact_person")) if x)
        return super().data(index, role)

    def sort_key(self, e: dict, col: int):
        return e.get("open_offers", 0) if col == 2 else str(self.cell(e, col)).casefold()


class OfferModel(RowTableModel):
    STRETCH = 0

    def __init__(self, parent=None):
        super().__init__((N_("Offer"), N_("Kind"), N_("Start"), N_("German"), N_("Status")), parent)

    def cell(self, o: dict, col: int):
        return (o.get("title") or "", kind_label(o.get("kind")), show_date(o.get("start_date")),
                o.get("german_level") or "–", _(OFFER_STATUS_LABELS.get(o.get("status") or "open", "")))[col]

    def sort_key(self, o: dict, col: int):
        return (o.get("start_date") or "") if col == 2 else str(self.cell(o, col)).casefold()


class CandidateModel(RowTableModel):
    """Rows: (rank, Match, the client's proposal for this offer or None)."""

    STRETCH = 3

    def __init__(self, parent=None):
        super().__init__((N_("Rank"), N_("Name"), N_("Score"), N_("Why / what is missing"), N_("Proposal")), parent)

    def cell(self, row, col: int):
        rank, m, placement = row
        p = m.profile
        return (str(rank), p.name if p else "", f"{m.score:.0f}" if m.eligible else _("not suitable"), m.sentence,
                placement_label(placement.get("status")) if placement else "")[col]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            _rank, m, _p = self.rows[index.row()]
            return f"{m.profile.case_number}: {m.sentence}" if m.profile else m.sentence
        return super().data(index, role)

    def sort_key(self, row, col: int):
        rank, m, _p = row
        if col == 0:
            return rank
        if col == 2:
            return m.score if m.eligible else -1.0
        return str(self.cell(row, col)).casefold()


class CaseOfferModel(RowListModel):
    """A case's matching offers for a QListView (the case view is narrow): two lines each, the offer and
    then the sentence. Rows: (rank, Match, offer, employer name, the case's proposal for it or None)."""

    def text(self, row) -> str:
        rank, m, offer, employer, placement = row
        head = _("{rank}. {offer} – {employer}, {town}: {suitable}").format(
            rank=rank, offer=offer.get("title") or "", employer=employer, town=town(offer.get("town")),
            suitable=suitability(m.eligible))
        if placement:
            head += " · " + placement_label(placement.get("status"))
        return f"{head}\n{m.sentence}"


class PlacementModel(RowTableModel):
    """A case's proposals, oldest first. Rows: (placement, offer title, employer name)."""

    STRETCH = 1

    def __init__(self, parent=None):
        super().__init__((N_("Proposed on"), N_("Offer"), N_("Step"), N_("Latest date")), parent)

    @staticmethod
    def last(p: dict) -> str:
        return p.get("outcome_on") or p.get("sent_on") or p.get("proposed_on") or ""

    def cell(self, row, col: int):
        p, title, employer = row
        return (show_date(p.get("proposed_on")), _("{offer} at {employer}").format(offer=title, employer=employer),
                placement_label(p.get("status")), show_date(self.last(p)))[col]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():  # why it was proposed
            return placement_reason(self.rows[index.row()][0], current_language())
        return super().data(index, role)

    def sort_key(self, row, col: int):
        p = row[0]
        if col == 0:
            return p.get("proposed_on") or ""
        if col == 3:
            return self.last(p)
        return str(self.cell(row, col)).casefold()
