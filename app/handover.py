"""Übergabemanagement: the transition list, the weekly session's agenda, handovers and the 12-month exit.

Which rules put a case on the transition list is data (resources/transitions.json
names rules of resources/rules: recognition, the AsylbLG waiting periods); a
case appears with the due date of its earliest such rule once that date lies
within `horizon_days`, and stays while a handover is open. A handover is a
`handover` entity with states and dates: planned -> sent (to the receiving
agency, only with the client's consent to that agency; what it gets is listed
in `shared`) -> accepted (the case changes Rechtskreis and its open measures
continue, each noted in the chronicle) or returned with a reason (it can be
sent again). The 12-month list shows cases whose 12 months in the IP fall due
(rule ip_max_12_months, its reminder days) with their planned exit: after the
integration course, at the start of job-related German, or at 12 months.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from i18n import N_, _

from . import casefacts
from .checks import ValidationError, add_offset, check_date, parse_date, require
from .chronicle import case_row, message, today_iso
from .rules import RuleSet, evaluate_rule
from .schema import AGENCIES, RECHTSKREISE

DATA_PATH = Path(__file__).resolve().parent.parent / "resources" / "transitions.json"
STATE_LABELS = {"planned": N_("planned"), "sent": N_("handed over"), "accepted": N_("accepted"), "returned": N_("returned"),
                None: N_("not yet planned")}
# the labels of resources/transitions.json, for the catalog
JSON_LABELS = (N_("master data and household"), N_("intake survey (residence, dates)"),
               N_("Profiling I and II (languages, school, work)"), N_("resource map"),
               N_("measures with provider and dates"), N_("chronicle of the case"),
               N_("after the integration course"), N_("at the start of job-related German"), N_("at 12 months"))
OPEN_STATES = ("planned", "sent", "returned")
OPEN_MEASURES = ("proposed", "registered", "waiting", "started", "interrupted")


def _ends(facts: dict, measure: str, day: dt.date) -> bool:
    """Whether `day`, the measure's end date, is its end: completed then, or started and planned to end then.
    Interrupted, it has not ended; the day it was interrupted or cancelled stays when it is resumed or
    proposed again (app.measures), and is no end of the course then."""
    status = facts.get(f"measure_{measure}_status")
    start = parse_date(facts.get(f"measure_{measure}_start_date"))
    return status == "completed" or (status == "started" and start is not None and day >= start)


@dataclass(frozen=True)
class TransitionData:
    rule_ids: tuple[str, ...]
    horizon_days: int
    receiving: dict[str, str]
    shared_items: tuple[dict, ...]
    twelve_months: dict

    @classmethod
    def load(cls, path: Path | str = DATA_PATH) -> "TransitionData":
        doc = json.loads(Path(path).read_text("utf-8"))
        if doc.get("format") != "sprechstunde-transitions":
            raise ValueError(f"{path}: not a transitions file")
        for target, agency in doc["receiving"].items():
            if target not in RECHTSKREISE or agency not in AGENCIES:
                raise ValueError(f"{path}: receiving: {target} -> {agency} unknown")
        return cls(tuple(doc["transition_rules"]), int(doc["horizon_days"]), dict(doc["receiving"]),
                   tuple(doc["shared_items"]), dict(doc["twelve_months"]))


@dataclass(frozen=True)
class Transition:
    case_id: str
    case_number: str
    name: str
    office: str
    due: dt.date | None
    rule_id: str
    title: str
    handover: dict | None
    household_id: str = ""

    @property
    def state(self) -> str | None:
        return (self.handover or {}).get("state")

    def to_dict(self) -> dict:
        h = self.handover or {}
        return {"case_id": self.case_id, "case_number": self.case_number, "name": self.name, "office": self.office,
                "due": self.due.isoformat() if self.due else None, "rule": self.rule_id, "title": self.title,
                "handover_id": h.get("id"), "state": h.get("state"), "agency": h.get("agency"),
                "to_rechtskreis": h.get("to_rechtskreis"), "expected_on": h.get("expected_on"),
                "return_reason": h.get("return_reason")}


@dataclass(frozen=True)
class Exit:
    case_id: str
    case_number: str
    name: str
    office: str
    opened: str
    limit: dt.date
    planned_exit: dt.date
    exit_kind: str
    exit_label: str
    household_id: str = ""

    def to_dict(self) -> dict:
        return {"case_id": self.case_id, "case_number": self.case_number, "name": self.name, "office": self.office,
                "opened": self.opened, "limit": self.limit.isoformat(), "planned_exit": self.planned_exit.isoformat(),
                "exit": self.exit_kind}


class Handovers:
    def __init__(self, repo, rules: RuleSet, chronicle, consents, data: TransitionData | None = None):
        self.repo = repo
        self.rules = rules
        self.chronicle = chronicle
        self.consents = consents  # app.consent.Consents of the same repository
        self.data = data or TransitionData.load()

    # -- the lists -------------------------------------------------------------------
    def _latest(self) -> dict[str, dict]:
        """The newest handover per case (by expected date, then id)."""
        out: dict[str, dict] = {}
        for h in self.repo.find("handover"):
            cur = out.get(h["case_id"])
            if cur is None or ((h.get("expected_on") or ""), h["id"]) > ((cur.get("expected_on") or ""), cur["id"]):
                out[h["case_id"]] = h
        return out

    def transitions(self, today: dt.date | None = None, office: str | None = None,
                    until: dt.date | None = None) -> list[Transition]:
        """Cases expected to change Rechtskreis by `until` (default: today + horizon) or with an open handover."""
        today = today or dt.date.today()
        until = until or today + dt.timedelta(days=self.data.horizon_days)
        rules = [r for r in self.rules.rules if r.id in self.data.rule_ids]
        facts = casefacts.gather(self.repo.conn)
        labels = casefacts.case_labels(self.repo.conn)
        latest = self._latest()
        out = []
        for cid, f in facts.items():
            if f.get("status") == "closed" or (office and f.get("office") != office):
                continue
            h = latest.get(cid)
            hints = [x for r in rules if (x := evaluate_rule(r, f, today, self.rules, cid)) is not None and x.due]
            hint = min(hints, key=lambda x: (x.due, x.rule_id)) if hints else None
            open_handover = h is not None and h.get("state") in OPEN_STATES
            if h is not None and h.get("state") == "accepted":
                continue
            if not open_handover and (hint is None or hint.due is None or hint.due > until):
                continue
            number, hh, name = labels.get(cid, ("", "", ""))
            # an open handover is due on its own expected date; otherwise the rule's date
            due = parse_date((h or {}).get("expected_on")) if open_handover else (hint.due if hint else None)
            title = ((h or {}).get("reason") if open_handover else None) or (hint.title if hint else _("Handover"))
            out.append(Transition(cid, number, name, f.get("office") or "", due, hint.rule_id if hint else "",
                                  title, h, hh))
        return sorted(out, key=lambda t: (t.due or dt.date.max, t.case_number))

    def agenda(self, session_day: dt.date, office: str | None = None) -> list[Transition]:
        """The weekly transition session: cases due up to a week after the session day, and open handovers."""
        return self.transitions(session_day, office, until=session_day + dt.timedelta(days=7))

    def twelve_months(self, today: dt.date | None = None, office: str | None = None) -> list[Exit]:
        """Cases whose 12 months in the IP fall due (within the rule's reminder days, or past), with the exit."""
        today = today or dt.date.today()
        spec = self.data.twelve_months
        rule = next((r for r in self.rules.rules if r.id == spec["rule"]), None)
        if rule is None:
            return []
        labels = casefacts.case_labels(self.repo.conn)
        out = []
        for cid, f in casefacts.gather(self.repo.conn).items():
            if office and f.get("office") != office:
                continue
            hint = evaluate_rule(rule, f, today, self.rules, cid)
            if hint is None or hint.due is None or hint.state not in ("due_soon", "overdue"):
                continue
            exit_day, kind, label = hint.due, "twelve_months", ""
            for ex in spec["exits"]:
                day = parse_date(f.get(f"measure_{ex['measure']}_{ex['date']}")) if ex.get("measure") else hint.due
                if ex.get("measure") and ex["date"] == "end_date" and day is not None and not _ends(f, ex["measure"], day):
                    continue
                if day is not None and (ex.get("measure") is None or day <= hint.due):
                    exit_day, kind, label = day, ex["id"], ex["label"]
                    break
            number, hh, name = labels.get(cid, ("", "", ""))
            out.append(Exit(cid, number, name, f.get("office") or "", f.get("case_opened") or "", hint.due,
                            exit_day, kind, _(label), hh))
        return sorted(out, key=lambda e: (e.planned_exit, e.case_number))

    # -- the workflow ----------------------------------------------------------------
    def for_case(self, case_id: str) -> list[dict]:
        return sorted(self.repo.find("handover", case_id=case_id), key=lambda h: (h.get("expected_on") or "", h["id"]))

    def plan(self, case_id: str, expected_on: str, *, to_rechtskreis: str = "SGB II", reason: str = "",
             agency: str | None = None) -> str:
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        check_date(errors, "expected_on", expected_on, required=True)
        if to_rechtskreis not in RECHTSKREISE or to_rechtskreis == case.get("rechtskreis"):
            errors["to_rechtskreis"] = _("Please choose the Rechtskreis the case changes to.")
        agency = agency or self.data.receiving.get(to_rechtskreis)
        if agency not in AGENCIES:
            errors["agency"] = _("Please choose the receiving agency.")
        if any(h.get("state") in OPEN_STATES for h in self.for_case(case_id)):
            errors["case_id"] = _("A handover of this case is open already.")
        if errors:
            raise ValidationError(errors)
        values = {"household_id": case["household_id"], "case_id": case_id,
                  "from_rechtskreis": case.get("rechtskreis"), "to_rechtskreis": to_rechtskreis, "agency": agency,
                  "expected_on": expected_on, "state": "planned", "reason": reason.strip() or None}
        return self.repo.save("handover", {k: v for k, v in values.items() if v is not None})

    def _get(self, handover_id: str, *states: str) -> dict:
        h = self.repo.get("handover", handover_id)
        if h is None or h.get("deleted"):
            raise ValidationError({"handover": _("There is no such handover.")})
        if h.get("state") not in states:
            raise ValidationError({"handover": _("The handover is {state}: this step is not possible.").format(
                state=_(STATE_LABELS.get(h.get("state"), "?")))})
        return h

    def shared_items(self, case_id: str, agency: str) -> list[str]:
        """What the receiving agency gets: everything the consent to that agency covers (master data always)."""
        consent = self.consents.allows(case_id, agency)
        return [i["id"] for i in self.data.shared_items if i.get("consent") is None or consent]

    def send(self, handover_id: str, date: str | None = None, contact: str = "") -> None:
        h = self._get(handover_id, "planned", "returned")
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        shared = self.shared_items(h["case_id"], h["agency"])
        if len(shared) < len(self.data.shared_items):
            errors["consent"] = _("The client has not consented to pass data to the receiving agency: "
                                  "record the consent before the handover.")
        if errors:
            raise ValidationError(errors)
        day = date or today_iso()
        open_measures = [m["id"] for m in self.repo.find("measure", case_id=h["case_id"])
                         if m.get("status") in OPEN_MEASURES]
        with self.repo.transaction():
            self.repo.save("handover", {"state": "sent", "sent_on": day, "contact": contact.strip() or None,
                                        "measures": sorted(open_measures), "shared": shared,
                                        "return_reason": None}, handover_id)
            self.chronicle.record(h["case_id"], "note", message(N_("Handover sent to {agency}"), agency=h["agency"]),
                                  day, ref_entity="handover", ref_id=handover_id)

    def accept(self, handover_id: str, date: str | None = None) -> None:
        """The receiving agency takes the case: Rechtskreis changes, open measures continue."""
        h = self._get(handover_id, "sent")
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        day = date or today_iso()
        with self.repo.transaction():
            self.repo.save("handover", {"state": "accepted", "decided_on": day}, handover_id)
            case = case_row(self.repo, h["case_id"])
            if case.get("rechtskreis") != h["to_rechtskreis"]:
                self.chronicle.change_rechtskreis(h["case_id"], h["to_rechtskreis"], day)
            for mid in h.get("measures") or []:
                m = self.repo.get("measure", mid)
                if m and not m.get("deleted") and m.get("status") in OPEN_MEASURES:
                    self.chronicle.record(h["case_id"], "measure", message(
                        N_("Measure continues after the change of Rechtskreis ({rk})"), rk=h["to_rechtskreis"]),
                        day, ref_entity="measure", ref_id=mid)

    def return_(self, handover_id: str, reason: str, date: str | None = None) -> None:
        h = self._get(handover_id, "sent")
        errors: dict[str, str] = {}
        require(errors, "reason", (reason or "").strip())
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        day = date or today_iso()
        with self.repo.transaction():
            self.repo.save("handover", {"state": "returned", "decided_on": day, "return_reason": reason.strip()},
                           handover_id)
            self.chronicle.record(h["case_id"], "note", message(N_("Handover returned: {reason}"),
                                                                reason=reason.strip()),
                                  day, ref_entity="handover", ref_id=handover_id)


def twelve_month_limit(opened: str) -> dt.date | None:
    day = parse_date(opened)
    return add_offset(day, {"months": 12}) if day else None
