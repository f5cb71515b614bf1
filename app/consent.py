"""Consent per receiving agency: given, refused, withdrawn, with history.

Each decision is a new `consent` entity (date, form id and version, who
recorded it); a withdrawal never edits the earlier entry, so the history stays
visible. The current state per agency is its latest entry (by date, then by
the order of recording); `may_receive` answers "which agencies may receive
this case's data now".
"""

from __future__ import annotations

from i18n import N_, _

from .checks import ValidationError, check_date
from .chronicle import Chronicle, case_row, creation_order, items, joined, message, term, today_iso
from .responses import Responses
from .schema import AGENCIES, CONSENT_STATES

AGENCY_LABELS = {
    "AA": N_("Employment agency (AA)"), "JC": N_("Job centre (JC)"), "SOZ": N_("Social welfare office"),
    "ABH": N_("Foreigners' office (ABH)"), "KI": N_("Municipal integration centre (KI)"),
    "PROVIDER": N_("Measure provider"), "EMPLOYER": N_("Employer"),
}
STATE_LABELS = {"given": N_("given"), "refused": N_("refused"), "withdrawn": N_("withdrawn")}
# consent form field -> agency code
FORM_AGENCIES = {"aa": "AA", "jc": "JC", "soz": "SOZ", "abh": "ABH", "ki": "KI", "provider": "PROVIDER"}
FORM_ID = "consent"


def agency_label(agency: str, provider_name: str | None = None) -> str:
    label = _(AGENCY_LABELS.get(agency, agency))
    return f"{label}: {provider_name}" if provider_name else label


def agency_term(agency: str, provider_name: str | None = None):
    """`agency_label` for a chronicle message: translated when shown."""
    label = term(AGENCY_LABELS[agency]) if agency in AGENCY_LABELS else agency
    return joined(label, provider_name, sep=": ") if provider_name else label


class Consents:
    def __init__(self, repo, responses: Responses, chronicle: Chronicle | None = None):
        self.repo = repo
        self.responses = responses
        self.chronicle = chronicle or responses.chronicle

    def record_declaration(self, case_id: str, answers: dict, response_id: str | None = None) -> str:
        """Save a filled consent form and one consent entry per agency answered (one transaction)."""
        form = self.responses.forms.get(FORM_ID)
        errors = self.responses.validate(form, answers)
        if errors:
            raise ValidationError(errors)
        date = answers["signed_on"]
        with self.repo.transaction():
            rid = self.responses.save(case_id, FORM_ID, answers, date=date, response_id=response_id)
            row = self.repo.get("form_response", rid)
            parts = []
            for key, agency in FORM_AGENCIES.items():
                state = answers.get(key)
                if not state:
                    continue
                provider = (answers.get("provider_name") or "").strip() if agency == "PROVIDER" else None
                self._save(case_id, agency, state, date, provider, FORM_ID, row["form_version"])
                parts.append(joined(agency_term(agency, provider), term(STATE_LABELS[state])))
            self.chronicle.record(case_id, "consent", message(N_("Consent declaration: {parts}"), parts=items(parts)),
                                  date, ref_entity="form_response", ref_id=rid)
        return rid

    def record(self, case_id: str, agency: str, state: str, date: str | None = None,
               provider_name: str | None = None) -> str:
        """One decision for one agency (e.g. a later withdrawal or a new consent)."""
        errors: dict[str, str] = {}
        if agency not in AGENCIES:
            errors["agency"] = _("Please choose an agency.")
        if state not in CONSENT_STATES:
            errors["state"] = _("Please choose given, refused or withdrawn.")
        if agency == "PROVIDER" and not (provider_name or "").strip():
            errors["provider_name"] = _("Please name the measure provider.")
        if agency == "EMPLOYER" and not (provider_name or "").strip():
            errors["provider_name"] = _("Please name the employer.")
        check_date(errors, "date", date)
        if not errors and state == "withdrawn":
            cur = self.current(case_id).get((agency, (provider_name or "").strip() or None))
            if cur is None or cur["state"] != "given":
                errors["state"] = _("Only a given consent can be withdrawn.")
        if errors:
            raise ValidationError(errors)
        provider = (provider_name or "").strip() or None
        date = date or today_iso()
        form = self.responses.forms.get(FORM_ID)
        with self.repo.transaction():
            cid = self._save(case_id, agency, state, date, provider, FORM_ID, form.version)
            self.chronicle.record(case_id, "consent", message(
                N_("Consent {state}: {agency}"), state=term(STATE_LABELS[state]),
                agency=agency_term(agency, provider)), date, ref_entity="consent", ref_id=cid)
        return cid

    def withdraw(self, case_id: str, agency: str, date: str | None = None, provider_name: str | None = None) -> str:
        return self.record(case_id, agency, "withdrawn", date, provider_name)

    def _save(self, case_id, agency, state, date, provider, form_id, form_version) -> str:
        case = case_row(self.repo, case_id)
        values = {"household_id": case["household_id"], "case_id": case_id, "agency": agency, "state": state,
                  "date": date, "form_id": form_id, "form_version": form_version,
                  "recorded_by": self.repo.staff_id, "provider_name": provider}
        return self.repo.save("consent", {k: v for k, v in values.items() if v is not None})

    def history(self, case_id: str) -> list[dict]:
        """All decisions, oldest first."""
        rows = self.repo.find("consent", case_id=case_id)
        order = creation_order(self.repo, [r["id"] for r in rows], "state")
        return sorted(rows, key=lambda r: (r.get("date") or "", order[r["id"]]))

    def current(self, case_id: str) -> dict[tuple[str, str | None], dict]:
        """The latest decision per (agency, provider name)."""
        out: dict[tuple[str, str | None], dict] = {}
        for r in self.history(case_id):
            out[(r["agency"], r.get("provider_name"))] = r
        return out

    def may_receive(self, case_id: str) -> list[tuple[str, str | None]]:
        """(agency, provider name) pairs whose latest decision is 'given'."""
        return sorted(k for k, r in self.current(case_id).items() if r["state"] == "given")

    def allows(self, case_id: str, agency: str) -> bool:
        return any(a == agency for a, _p in self.may_receive(case_id))
