"""The employer service as the GUI sees it: app.employers behind the role and consent check of app.access.

* Employers and offers are no client data: everyone may read them; adding or changing them needs a role
  with case data (staff of the Integration Point, not the interpreter or the data-protection officer).
* The candidates of an offer are matched over every open case, but only the cases the staff member may
  see in full (app.access: consent for their agency, or their agency opened the case) are shown; the
  others are only counted. A role without case data gets no candidates at all (AccessDenied).
* Everything that names a case (its offers, its proposals, the client's answer, the consent for an
  employer, sending the profile, the outcome) needs the case in full and is written to the audit trail;
  sending a profile to an employer also needs the role's permission to pass data on (`export`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .access import FULL, Access, AccessDenied
from .employers import Employers
from .matching import Match


@dataclass
class Candidates:
    """The candidates of one offer that may be shown, ranked, and how many others were left out."""

    shown: list[Match]
    hidden: int


class GatedEmployers:
    def __init__(self, employers: Employers, access: Access):
        self.inner = employers
        self.access = access
        self.occupations = employers.occupations

    # -- employers and offers: no client data -----------------------------------------
    def employers(self) -> list[dict]:
        return self.inner.employers()

    def employer(self, employer_id: str) -> dict | None:
        return self.inner.employer(employer_id)

    def offers(self, employer_id: str | None = None, status: str | None = "open") -> list[dict]:
        return self.inner.offers(employer_id, status)

    def offer(self, offer_id: str) -> dict | None:
        return self.inner.offer(offer_id)

    def find_offer(self, key: str) -> dict | None:
        """An offer by its id or the start of its id (as the command line shows it)."""
        return self.inner.find_offer(key)

    def case_by_number(self, number: str) -> str | None:
        """The case id of a case number (no case data: what is shown of the case is decided by the calls
        that name it)."""
        return self.inner.case_by_number(number)

    def may_edit(self) -> bool:
        return self.access.may("case_data")

    def save_employer(self, values: dict, employer_id: str | None = None) -> str:
        self.access.require_permission("case_data", "employer:save")
        return self.inner.save_employer(values, employer_id)

    def save_offer(self, values: dict, offer_id: str | None = None) -> str:
        self.access.require_permission("case_data", "offer:save")
        return self.inner.save_offer(values, offer_id)

    # -- matching -------------------------------------------------------------------
    def may_match(self) -> bool:
        return self.access.may("case_data") and self.access.actor.agency is not None

    def candidates(self, offer_id: str, today: dt.date | None = None) -> Candidates:
        """The ranked candidates whose case the staff member may see in full; refused for a role without
        case data (the refusal is logged, a shown list once per offer)."""
        if not self.may_match():
            self.access.log("match:offer", outcome="refused")
            raise AccessDenied(self.access.decide("").reason)
        found = self.inner.candidates(offer_id, today)
        levels = self.access.levels()
        shown = [m for m in found if levels.get(m.case_id) == FULL]
        self.access.log("match:offer")
        return Candidates(shown, len(found) - len(shown))

    def offers_for_case(self, case_id: str, today: dt.date | None = None) -> list[Match]:
        self.access.require(case_id, "match:case")
        return self.inner.offers_for_case(case_id, today)

    # -- placements -------------------------------------------------------------------
    def _case_of(self, placement_id: str) -> str:
        return self.inner.placement(placement_id)["case_id"]

    def placements(self, case_id: str | None = None, offer_id: str | None = None) -> list[dict]:
        """A case's proposals (the case in full), or an offer's proposals of the cases shown in full."""
        if case_id is not None:
            self.access.require(case_id, "placement:read")
            return self.inner.placements(case_id, offer_id)
        levels = self.access.levels() if self.access.may("case_data") else {}
        return [p for p in self.inner.placements(None, offer_id) if levels.get(p["case_id"]) == FULL]

    def employer_consent(self, case_id: str, employer_id: str) -> dict | None:
        self.access.require(case_id, "consent:read")
        return self.inner.employer_consent(case_id, employer_id)

    def propose(self, case_id: str, offer_id: str, date: str | None = None, today: dt.date | None = None) -> str:
        self.access.require(case_id, "placement:propose")
        return self.inner.propose(case_id, offer_id, date, today)

    def answer(self, placement_id: str, accepted: bool, date: str | None = None) -> None:
        self.access.require(self._case_of(placement_id), "placement:answer")
        self.inner.answer(placement_id, accepted, date)

    def record_employer_consent(self, case_id: str, employer_id: str, date: str | None = None) -> str:
        self.access.require(case_id, "consent:employer")
        return self.inner.record_employer_consent(case_id, employer_id, date)

    def may_send(self) -> bool:
        return self.access.may("export")

    def package(self, placement_id: str, fields: tuple[str, ...] | None = None) -> dict:
        """What sending would pass on (a preview for the staff member; nothing is recorded)."""
        self.access.require(self._case_of(placement_id), "placement:preview")
        return self.inner.package(placement_id) if fields is None else self.inner.package(placement_id, fields)

    def send(self, placement_id: str, fields: tuple[str, ...] | None = None, date: str | None = None) -> dict:
        """Record that the profile goes to the employer (app.employers.send: acceptance and consent needed);
        needs the case in full and the role's permission to pass data on."""
        case_id = self._case_of(placement_id)
        self.access.require_permission("export", "placement:send")
        self.access.require(case_id, "placement:send")
        if fields is None:
            return self.inner.send(placement_id, date=date)
        return self.inner.send(placement_id, fields, date)

    def outcome(self, placement_id: str, outcome: str, date: str | None = None, notes: str = "") -> None:
        self.access.require(self._case_of(placement_id), "placement:outcome")
        self.inner.outcome(placement_id, outcome, date, notes)
