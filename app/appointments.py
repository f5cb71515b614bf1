"""Appointments given to a client: when, where, with which interpreter language, and the outcome.

An appointment is planned, then kept, missed or cancelled; the outcome goes to
the chronicle (kept or missed appointments are what staff look for later).
"""

from __future__ import annotations

from i18n import N_, _

from .checks import ValidationError, is_datetime, require
from .chronicle import Chronicle, case_row, message, term
from .schema import APPOINTMENT_OUTCOMES, OFFICE_CODES

OUTCOME_LABELS = {"planned": N_("planned"), "kept": N_("kept"), "missed": N_("missed"),
                  "cancelled": N_("cancelled"), "arrived": N_("arrived"), "rescheduled": N_("rescheduled")}


class Appointments:
    def __init__(self, repo, chronicle: Chronicle):
        self.repo = repo
        self.chronicle = chronicle

    def plan(self, case_id: str, starts_at: str, purpose: str, *, office: str | None = None, place: str = "",
             directions: str = "", interpreter_language: str = "", staff: str = "", outcome: str = "planned") -> str:
        """A new appointment; one that already took place is recorded with its outcome (kept, missed,
        cancelled), which also goes to the chronicle. Only a planned one must lie today or later."""
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if outcome not in APPOINTMENT_OUTCOMES:
            errors["outcome"] = _("Please choose one of the offered values.")
        if not is_datetime(starts_at):
            errors["starts_at"] = _("Please enter date and time as YYYY-MM-DDTHH:MM.")
        require(errors, "purpose", (purpose or "").strip())
        if office is not None and office not in OFFICE_CODES:
            errors["office"] = _("Unknown office.")
        if errors:
            raise ValidationError(errors)
        values = {"household_id": case["household_id"], "case_id": case_id, "starts_at": starts_at,
                  "office": office or case.get("office"), "place": place.strip() or None,
                  "directions": directions.strip() or None, "purpose": purpose.strip(),
                  "interpreter_language": interpreter_language.strip() or None,
                  "staff": staff.strip() or None, "outcome": outcome}
        with self.repo.transaction():
            aid = self.repo.save("appointment", {k: v for k, v in values.items() if v is not None})
            if outcome != "planned":
                self.chronicle.record(case_id, "appointment", message(
                    N_("Appointment {outcome}: {purpose}"), outcome=term(OUTCOME_LABELS[outcome]),
                    purpose=values["purpose"]), starts_at[:10],
                    ref_entity="appointment", ref_id=aid)
        return aid

    def set_outcome(self, appointment_id: str, outcome: str, note: str = "") -> None:
        a = self.repo.get("appointment", appointment_id)
        if a is None or a.get("deleted"):
            raise ValidationError({"appointment": _("The appointment does not exist.")})
        if outcome not in APPOINTMENT_OUTCOMES or outcome == "planned":
            raise ValidationError({"outcome": _("Please choose kept, missed or cancelled.")})
        what = message(N_("Appointment {outcome}: {purpose}"), outcome=term(OUTCOME_LABELS[outcome]),
                       purpose=a["purpose"])
        with self.repo.transaction():
            self.repo.save("appointment", {"outcome": outcome}, appointment_id)
            self.chronicle.record(a["case_id"], "appointment", what, a["starts_at"][:10], note=note,
                                  ref_entity="appointment", ref_id=appointment_id)

    def for_case(self, case_id: str) -> list[dict]:
        return sorted(self.repo.find("appointment", case_id=case_id), key=lambda r: (r.get("starts_at") or "", r["id"]))

    def upcoming(self, case_id: str, now: str) -> list[dict]:
        return [a for a in self.for_case(case_id) if a.get("outcome") == "planned" and a["starts_at"] >= now]
