"""The employer service (Arbeitgeberservice): employers, their offers, and placing clients in them.

Employers and offers (job, internship, Einstiegsqualifizierung, apprenticeship, FIM place) are entities
shared by every laptop. Matching is app.matching. A placement is one offer for one client and follows
the client's say:

  propose (to the client) -> accepted | declined -> sent (to the employer) -> invited -> hired | rejected
  -> started

Nothing goes to an employer before the client accepted the proposal and gave consent for that employer
(a `consent` entry of agency EMPLOYER naming it); `send` records what was sent, when, and under which
consent. A proposal keeps why it fits and what is missing as facts (`match`, app.match_reasons), never
as a sentence in the proposer's language (`reason`, `missing`: what older versions stored, read back by
app.matching.placement_reason). Every step is an event in the case's chronicle; a start of a job
records `work_start`, a start of an apprenticeship or EQ `training_start`, which the steering figures
count.
"""

from __future__ import annotations

import datetime as dt
import re

from i18n import N_, _

from . import match_reasons, matching
from .checks import ValidationError, check_date, parse_date
from .chronicle import Chronicle, case_row, items, message, term, today_iso
from .consent import Consents
from .occupations import default_classification
from .rules import RuleSet
from .schema import CEFR_LEVELS, LICENCE_CLASSES, OFFER_KINDS, OFFER_STATUSES, OFFICE_CODES

KIND_LABELS = {"job": N_("Job"), "internship": N_("Internship (Praktikum)"), "eq": N_("Einstiegsqualifizierung"),
               "apprenticeship": N_("Apprenticeship"), "fim": N_("FIM place")}
OFFER_STATUS_LABELS = {"open": N_("open"), "filled": N_("filled"), "closed": N_("closed")}
STATUS_LABELS = {"proposed": N_("proposed to the client"), "accepted": N_("accepted by the client"),
                 "declined": N_("declined by the client"), "sent": N_("sent to the employer"),
                 "invited": N_("invited"), "hired": N_("hired"), "rejected": N_("rejected"),
                 "started": N_("started"), "withdrawn": N_("withdrawn")}
OUTCOMES = ("invited", "hired", "rejected", "started")
# which outcome may follow which status
_NEXT = {"invited": ("sent",), "hired": ("sent", "invited"), "rejected": ("sent", "invited"),
         "started": ("hired",)}
ACTIVE = ("proposed", "accepted", "sent", "invited", "hired")
TOWNS = tuple(c for c in OFFICE_CODES if c != "ZIP")
SEND_FIELDS = ("name", "german", "languages", "experience", "driving_licence", "available_from")
SEND_FIELD_LABELS = {"name": N_("name"), "german": N_("German level"), "languages": N_("other languages"),
                     "experience": N_("work experience"), "driving_licence": N_("driving licence"),
                     "available_from": N_("available from")}
_PROFILES: dict[str, tuple[int, dict]] = {}  # store path -> (change-log mark, profiles): Employers.profiles
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _int(errors: dict, key: str, value, low: int, high: int, message: str):
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors[key] = message
        return None
    if isinstance(value, bool) or not low <= n <= high:
        errors[key] = message
        return None
    return n


class Employers:
    def __init__(self, repo, rules: RuleSet, chronicle: Chronicle | None = None, consents: Consents | None = None):
        self.repo = repo
        self.rules = rules
        self.chronicle = chronicle or Chronicle(repo)
        self.consents = consents
        self.occupations = default_classification()

    # -- employers ----------------------------------------------------------------
    def save_employer(self, values: dict, employer_id: str | None = None) -> str:
        errors: dict[str, str] = {}
        v = {k: (values.get(k) or "").strip() or None for k in
             ("name", "town", "sector", "contact_person", "phone", "email", "notes")}
        if not v["name"]:
            errors["name"] = _("Please enter the employer's name.")
        if v["town"] not in TOWNS:
            errors["town"] = _("Please choose a town of the county.")
        if v["email"] and not _EMAIL.match(v["email"]):
            errors["email"] = _("This is not an e-mail address.")
        if employer_id is not None and self.employer(employer_id) is None:
            errors["id"] = _("The employer does not exist.")
        if errors:
            raise ValidationError(errors)
        return self.repo.save("employer", v, employer_id)

    def employer(self, employer_id: str) -> dict | None:
        row = self.repo.get("employer", employer_id) if employer_id else None
        return row if row and not row.get("deleted") else None

    def employers(self) -> list[dict]:
        """Every employer with the number of its open offers, by name."""
        counts = dict(self.repo.conn.execute(
            "SELECT employer_id, count(*) FROM offer WHERE coalesce(deleted, 0) = 0 AND status = 'open' "
            "GROUP BY employer_id").fetchall())
        rows = [{**r, "open_offers": counts.get(r["id"], 0)} for r in self.repo.find("employer")]
        return sorted(rows, key=lambda r: (r.get("name") or "").casefold())

    # -- offers ---------------------------------------------------------------------
    def save_offer(self, values: dict, offer_id: str | None = None) -> str:
        errors: dict[str, str] = {}
        current = self.offer(offer_id) if offer_id else {}
        if offer_id and current is None:
            raise ValidationError({"id": _("The offer does not exist.")})
        row = {**(current or {}), **values}
        out: dict = {}
        if self.employer(row.get("employer_id") or "") is None:
            errors["employer_id"] = _("Please choose an employer.")
        if row.get("kind") not in OFFER_KINDS:
            errors["kind"] = _("Please choose the kind of offer.")
        if not (row.get("title") or "").strip():
            errors["title"] = _("Please enter a title.")
        occupation = row.get("occupation") or None
        if occupation and occupation not in self.occupations.occupations:
            errors["occupation"] = _("Unknown occupation code {code} (KldB 2010).").format(code=occupation)
        if (row.get("german_level") or None) not in (None, *CEFR_LEVELS):
            errors["german_level"] = _("Please choose a level from A1 to C2.")
        if (row.get("driving_licence") or None) not in (None, *LICENCE_CLASSES):
            errors["driving_licence"] = _("Unknown driving licence class.")
        if (row.get("town") or None) not in TOWNS:
            errors["town"] = _("Please choose a town of the county.")
        if (row.get("status") or "open") not in OFFER_STATUSES:
            errors["status"] = _("Unknown status.")
        langs = row.get("languages") or []
        if not isinstance(langs, list) or any(not isinstance(x, dict) or not x.get("code")
                                              or x.get("level") not in CEFR_LEVELS for x in langs):
            errors["languages"] = _("Every language needs a code and a level.")
        out["hours"] = _int(errors, "hours", row.get("hours"), 1, 60, _("Hours per week: a number from 1 to 60."))
        out["places"] = _int(errors, "places", row.get("places") or 1, 1, 999, _("Places: a number from 1 to 999."))
        out["max_travel_minutes"] = _int(errors, "max_travel_minutes", row.get("max_travel_minutes"), 5, 240,
                                         _("Travel time: minutes from 5 to 240."))
        check_date(errors, "start_date", row.get("start_date"))
        if errors:
            raise ValidationError(errors)
        out.update({"employer_id": row["employer_id"], "kind": row["kind"], "title": row["title"].strip(),
                    "occupation": occupation, "german_level": row.get("german_level") or None,
                    "languages": langs or None, "driving_licence": row.get("driving_licence") or None,
                    "work_permit_needed": bool(row.get("work_permit_needed", True)),
                    "start_date": row.get("start_date") or None, "town": row["town"],
                    "status": row.get("status") or "open", "notes": (row.get("notes") or "").strip() or None})
        return self.repo.save("offer", out, offer_id)

    def offer(self, offer_id: str) -> dict | None:
        row = self.repo.get("offer", offer_id) if offer_id else None
        return row if row and not row.get("deleted") else None

    def offers(self, employer_id: str | None = None, status: str | None = "open") -> list[dict]:
        where = {"employer_id": employer_id} if employer_id else {}
        if status:
            where["status"] = status
        rows = self.repo.find("offer", **where)
        return sorted(rows, key=lambda r: (r.get("start_date") or "", r.get("title") or ""))

    def find_offer(self, key: str) -> dict | None:
        """An offer by its id or the start of its id (as the command line shows it)."""
        row = self.offer(key)
        if row is not None or len(key) < 6:
            return row
        ids = [r[0] for r in self.repo.conn.execute(
            "SELECT id FROM offer WHERE id LIKE ? AND coalesce(deleted, 0) = 0", (key + "%",))]
        return self.offer(ids[0]) if len(ids) == 1 else None

    def case_by_number(self, number: str) -> str | None:
        rows = self.repo.find("case", case_number=(number or "").strip())
        return rows[0]["id"] if rows else None

    # -- matching --------------------------------------------------------------------
    def profiles(self) -> dict:
        """Every open case's profile; cached until the store changes, shared by the connections to one
        store (a worker session of the GUI finds what the last one loaded). Matching only reads them."""
        mark = self.repo.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        key = str(getattr(self.repo.store, "path", id(self.repo.store)))
        found = _PROFILES.get(key)
        if found is None or found[0] != mark:
            found = _PROFILES[key] = (mark, matching.load_profiles(self.repo.conn, self.occupations))
        return found[1]

    def candidates(self, offer_id: str, today: dt.date | None = None, eligible_only: bool = False) -> list:
        offer = self.offer(offer_id)
        if offer is None:
            raise ValidationError({"offer_id": _("The offer does not exist.")})
        ctx = matching.Context.make(self.rules, today)
        out = matching.candidates(offer, self.profiles(), ctx)
        return [m for m in out if m.eligible] if eligible_only else out

    def offers_for_case(self, case_id: str, today: dt.date | None = None) -> list:
        case_row(self.repo, case_id)
        profile = matching.load_profiles(self.repo.conn, self.occupations, case_id=case_id,
                                         include_closed=True).get(case_id)
        if profile is None:
            return []
        return matching.offers_for(profile, self.offers(), matching.Context.make(self.rules, today))

    # -- placements ----------------------------------------------------------------
    def placement(self, placement_id: str) -> dict:
        row = self.repo.get("placement", placement_id) if placement_id else None
        if row is None or row.get("deleted"):
            raise ValidationError({"placement_id": _("The proposal does not exist.")})
        return row

    def placements(self, case_id: str | None = None, offer_id: str | None = None) -> list[dict]:
        where = {k: v for k, v in (("case_id", case_id), ("offer_id", offer_id)) if v}
        return sorted(self.repo.find("placement", **where), key=lambda r: (r.get("proposed_on") or "", r["id"]))

    def _label(self, offer: dict) -> str:
        employer = self.employer(offer.get("employer_id") or "") or {}
        return _("{title} at {employer}").format(title=offer.get("title") or "", employer=employer.get("name") or "")

    def _offer(self, offer: dict):
        """The offer's label for a chronicle message."""
        employer = self.employer(offer.get("employer_id") or "") or {}
        return message(N_("{title} at {employer}"), title=offer.get("title") or "", employer=employer.get("name") or "")

    def propose(self, case_id: str, offer_id: str, date: str | None = None, today: dt.date | None = None) -> str:
        """Propose an offer to the client (nothing goes to the employer yet)."""
        case = case_row(self.repo, case_id)
        offer = self.offer(offer_id)
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if offer is None or offer.get("status") != "open":
            errors["offer_id"] = _("The offer is not open.")
        elif any(p["offer_id"] == offer_id and p["status"] in ACTIVE for p in self.placements(case_id)):
            errors["offer_id"] = _("This offer has already been proposed to the client.")
        if errors:
            raise ValidationError(errors)
        assert offer is not None
        profile = matching.load_profiles(self.repo.conn, self.occupations, case_id=case_id,
                                         include_closed=True).get(case_id)
        if profile is None:
            raise ValidationError({"case_id": _("The case has no person.")})
        m = matching.evaluate(offer, profile, matching.Context.make(self.rules, today or parse_date(date)))
        if not m.eligible:
            raise ValidationError({"offer_id": _("The client does not meet the offer's requirements: {what}").format(
                what="; ".join(m.missing))})
        date = date or today_iso()
        facts = m.facts()  # language-free: worded for whoever reads the proposal (app.match_reasons)
        with self.repo.transaction():
            pid = self.repo.save("placement", {
                "household_id": case["household_id"], "case_id": case_id, "offer_id": offer_id,
                "status": "proposed", "proposed_on": date, "match": facts})
            self.chronicle.record(case_id, "placement", message(
                N_("Offer proposed to the client: {offer}. {why}"), offer=self._offer(offer),
                why=match_reasons.sentence(facts)), date, ref_entity="placement", ref_id=pid)
        return pid

    def answer(self, placement_id: str, accepted: bool, date: str | None = None) -> None:
        """The client's answer to a proposal."""
        p = self.placement(placement_id)
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if p["status"] != "proposed":
            errors["status"] = _("The client has already answered.")
        if errors:
            raise ValidationError(errors)
        status = "accepted" if accepted else "declined"
        offer = self.offer(p["offer_id"]) or {}
        with self.repo.transaction():
            self.repo.save("placement", {"status": status}, placement_id)
            self.chronicle.record(p["case_id"], "placement", message(
                N_("{offer}: {status}"), offer=self._offer(offer), status=term(STATUS_LABELS[status])), date,
                ref_entity="placement", ref_id=placement_id)

    def employer_consent(self, case_id: str, employer_id: str) -> dict | None:
        """The client's current, given consent for this employer, or None."""
        employer = self.employer(employer_id)
        if employer is None or self.consents is None:
            return None
        cur = self.consents.current(case_id).get(("EMPLOYER", employer["name"]))
        return cur if cur and cur["state"] == "given" else None

    def record_employer_consent(self, case_id: str, employer_id: str, date: str | None = None) -> str:
        employer = self.employer(employer_id)
        if employer is None:
            raise ValidationError({"employer_id": _("The employer does not exist.")})
        if self.consents is None:
            raise RuntimeError("no consent service")
        return self.consents.record(case_id, "EMPLOYER", "given", date, provider_name=employer["name"])

    def package(self, placement_id: str, fields: tuple[str, ...] = SEND_FIELDS) -> dict:
        """What would be sent to the employer: only the chosen fields of the client's profile."""
        p = self.placement(placement_id)
        prof = matching.load_profiles(self.repo.conn, self.occupations, case_id=p["case_id"],
                                      include_closed=True).get(p["case_id"])
        if prof is None:
            return {}
        data = {"name": prof.name, "german": prof.german,
                "languages": {k: v for k, v in prof.languages.items() if k != "de"},
                "experience": [{"occupation": e.text, "years": e.years, "proof": e.proof} for e in prof.experience],
                "driving_licence": prof.driving_licence, "available_from": prof.available_from}
        return {k: data[k] for k in fields if k in data}

    def send(self, placement_id: str, fields: tuple[str, ...] = SEND_FIELDS, date: str | None = None) -> dict:
        """Record that the profile goes to the employer and return what is sent. Refused without the client's
        acceptance and their consent for this employer: then nothing is recorded and nothing returned."""
        p = self.placement(placement_id)
        offer = self.offer(p["offer_id"])
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if any(f not in SEND_FIELDS for f in fields) or not fields:
            errors["fields"] = _("Unknown field to send.")
        if p["status"] != "accepted":
            errors["status"] = _("Only a proposal the client has accepted can be sent.")
        consent = self.employer_consent(p["case_id"], (offer or {}).get("employer_id") or "")
        if consent is None:
            errors["consent"] = _("The client has not consented to passing data to this employer: nothing was sent.")
        if errors:
            raise ValidationError(errors)
        assert offer is not None and consent is not None
        package = self.package(placement_id, fields)
        date = date or today_iso()
        with self.repo.transaction():
            self.repo.save("placement", {"status": "sent", "sent_on": date, "sent_fields": list(fields),
                                         "consent_id": consent["id"]}, placement_id)
            self.chronicle.record(p["case_id"], "placement", message(
                N_("Profile sent to {employer}: {fields}"),
                employer=(self.employer(offer["employer_id"]) or {}).get("name", ""),
                fields=items(term(SEND_FIELD_LABELS[f]) for f in fields)), date,
                ref_entity="placement", ref_id=placement_id)
        return package

    def outcome(self, placement_id: str, outcome: str, date: str | None = None, notes: str = "") -> None:
        """invited, hired, rejected or started; a start is also a transition into work or training."""
        p = self.placement(placement_id)
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if outcome not in OUTCOMES:
            errors["outcome"] = _("Please choose invited, hired, rejected or started.")
        elif p["status"] not in _NEXT[outcome]:
            errors["outcome"] = _("Not possible now: the proposal is {status}.").format(
                status=_(STATUS_LABELS.get(p["status"], p["status"])))
        if errors:
            raise ValidationError(errors)
        offer = self.offer(p["offer_id"]) or {}
        date = date or today_iso()
        what = message(N_("{offer}: {status}"), offer=self._offer(offer), status=term(STATUS_LABELS[outcome]))
        with self.repo.transaction():
            self.repo.save("placement", {"status": outcome, "outcome_on": date,
                                         "notes": notes.strip() or p.get("notes")}, placement_id)
            self.chronicle.record(p["case_id"], "placement", what, date, note=notes,
                                  ref_entity="placement", ref_id=placement_id)
            if outcome == "started" and offer.get("kind") in ("job", "apprenticeship", "eq"):
                kind = "work_start" if offer["kind"] == "job" else "training_start"
                self.chronicle.record(p["case_id"], kind, what, date, ref_entity="placement", ref_id=placement_id)
            if outcome == "started" and offer:
                started = sum(1 for x in self.placements(offer_id=offer["id"]) if x["status"] == "started")
                if started >= (offer.get("places") or 1):
                    self.repo.save("offer", {"status": "filled"}, offer["id"])

    def counts(self) -> dict[str, int]:
        """Placements by status (the outcomes counted for steering)."""
        return dict(self.repo.conn.execute(
            "SELECT status, count(*) FROM placement WHERE coalesce(deleted, 0) = 0 GROUP BY status").fetchall())


def employers_for(session) -> Employers:
    """The Employers service of a session's open store (cached per repository)."""
    from .casework import casework_for

    cw = casework_for(session)
    cached = getattr(session, "_employers", None)
    if cached is None or cached.repo is not cw.repo:
        cached = Employers(cw.repo, cw.rules, cw.chronicle, cw.consent)
        session._employers = cached
    return cached
