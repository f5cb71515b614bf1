"""What a document needs about one case, read through the repository.

`load_case(repo, case_number)` gathers the case, its person, household and
the case's lists (consents, questionnaires with answers, resource map,
goals, measures, conferences, chronicle, appointments). Documents decide
what of it they print; the handover sheet filters by consent
(`shared_with`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import audit
from ..chronicle import creation_order
from ..forms import FormDef, default_registry

AGENCY_FOR_RECHTSKREIS = {"AsylbLG": "SOZ", "SGB II": "JC", "SGB III": "AA"}
# consent questionnaire field key per agency code (resources/forms/consent.v1.json)
CONSENT_FIELD = {"AA": "aa", "JC": "jc", "SOZ": "soz", "ABH": "abh", "KI": "ki", "PROVIDER": "provider"}


class CaseNotFound(LookupError):
    pass


@dataclass
class Response:
    row: dict[str, Any]
    form: FormDef | None
    answers: dict[str, Any]


@dataclass
class CaseData:
    case: dict[str, Any]
    person: dict[str, Any]
    household: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    conferences: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    appointments: list[dict[str, Any]] = field(default_factory=list)
    staff: dict[str, str] = field(default_factory=dict)
    accesses: list[dict[str, Any]] = field(default_factory=list)  # the access log of the case (app.audit)
    # seat offers still open (offered, not answered), each with its `course` and the course's `provider`
    offers: list[dict[str, Any]] = field(default_factory=list)
    # the agency whose own records alone are printed (app.print_gate at level `own`); "" when nothing is withheld
    withheld_for: str = ""

    @property
    def number(self) -> str:
        return self.case.get("case_number") or ""

    @property
    def full_name(self) -> str:
        p = self.person
        return " ".join(x for x in (p.get("given_names"), p.get("family_name")) if x)

    @property
    def original_name(self) -> str:
        p = self.person
        return " ".join(x for x in (p.get("given_names_orig"), p.get("family_name_orig")) if x)

    def consent_state(self, agency: str) -> tuple[str | None, str | None]:
        """(state, date) of the latest consent for an agency: entities first, else the consent form."""
        rows = [c for c in self.consents if c.get("agency") == agency]  # oldest first (load_case)
        if rows:
            last = rows[-1]
            return last.get("state"), last.get("date")
        for r in sorted(self.responses, key=lambda r: r.row.get("date") or "", reverse=True):
            if r.row.get("form_id") == "consent":
                value = r.answers.get(CONSENT_FIELD.get(agency, ""))
                if value:
                    return value, r.answers.get("signed_on") or r.row.get("date")
        return None, None

    def shared_with(self, agency: str) -> bool:
        """Whether the client consented to pass their data to `agency`."""
        return self.consent_state(agency)[0] == "given"

    def latest(self, form_prefix: str) -> list[Response]:
        """The newest response per form id starting with `form_prefix`."""
        best: dict[str, Response] = {}
        for r in self.responses:
            fid = r.row.get("form_id") or ""
            if fid.startswith(form_prefix):
                if fid not in best or (r.row.get("date") or "") >= (best[fid].row.get("date") or ""):
                    best[fid] = r
        return [best[k] for k in sorted(best)]

    def next_appointment(self, today: str | None = None) -> dict[str, Any] | None:
        planned = [a for a in self.appointments if a.get("outcome") in (None, "planned")]
        if today:
            upcoming = [a for a in planned if (a.get("starts_at") or "") >= today]
            planned = upcoming or planned
        if not planned:
            return None
        return min(planned, key=lambda a: a.get("starts_at") or "")


def _by_date(rows: list[dict], key: str = "date") -> list[dict]:
    return sorted(rows, key=lambda r: (r.get(key) or "", r["id"]))


def load_case(repo, case_number: str) -> CaseData:
    cases = repo.find("case", case_number=case_number)
    if not cases:
        raise CaseNotFound(case_number)
    case = cases[0]
    person = repo.get("person", case["person_id"]) if case.get("person_id") else None
    household = repo.get("household", case["household_id"]) if case.get("household_id") else None
    cid = case["id"]
    data = CaseData(case=case, person=person or {}, household=household or {})
    if household:
        data.members = repo.find("person", household_id=household["id"])
    consents = repo.find("consent", case_id=cid)
    order = creation_order(repo, [c["id"] for c in consents], "state")  # same day: order of recording
    data.consents = sorted(consents, key=lambda c: (c.get("date") or "", order[c["id"]]))
    registry = default_registry()
    for row in _by_date(repo.find("form_response", case_id=cid)):
        try:
            form = registry.get(row["form_id"], row.get("form_version"))
        except KeyError:
            form = None
        answers = {a["key"]: a.get("value") for a in repo.find("answer", response_id=row["id"])}
        data.responses.append(Response(row, form, answers))
    data.resources = _by_date(repo.find("resource_entry", case_id=cid))
    if household:  # entries of the household without a case belong to everyone in it
        data.resources += [r for r in _by_date(repo.find("resource_entry", household_id=household["id"]))
                           if not r.get("case_id")]
    data.goals = _by_date(repo.find("goal", case_id=cid))
    data.measures = _by_date(repo.find("measure", case_id=cid), "proposed_on")
    data.conferences = _by_date([c for c in repo.find("conference", household_id=case["household_id"])
                                 if c.get("case_id") in (None, cid)]) if case.get("household_id") else []
    data.events = _by_date(repo.find("event", case_id=cid))
    data.appointments = _by_date(repo.find("appointment", case_id=cid), "starts_at")
    data.accesses = sorted((a for key in {case_number, cid, case.get("household_id")} if key
                            for a in audit.accesses(repo.store, key)), key=lambda a: a.get("at") or "")
    data.offers = _open_offers(repo, cid)
    data.staff = {s["id"]: s.get("name") or s.get("login") or "" for s in repo.find("staff", include_deleted=True)}
    return data


def _open_offers(repo, case_id: str) -> list[dict[str, Any]]:
    """The case's seat offers that wait for the client's answer, oldest first, with course and provider."""
    offers = []
    for o in _by_date(repo.find("seat_offer", case_id=case_id), "offered_on"):
        if o.get("state") != "offered" or o.get("accepted_on") or o.get("declined_on"):
            continue
        course = repo.get("course", o["course_id"]) if o.get("course_id") else None
        provider = repo.get("provider", course["provider_id"]) if course and course.get("provider_id") else None
        offers.append({**o, "course": course or {}, "provider": provider or {}})
    return offers
