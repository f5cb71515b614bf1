"""The county-wide waiting list per course kind and level: registration, its order and why.

A person is on a list once: the entry's id is derived from the person and the
kind of course (`entry_id`), so two laptops that register the same person
offline make one entry. The order follows dated priority rules kept as data
with their legal or agreed source (resources/waitlist.json): e.g. obliged to
attend first, then obliged longest, assessed level, date of registration.
Ties fall to the order in which entries were recorded (the hybrid-clock
stamp of a field that never changes, the same on every replica after a
sync), then to the id: the order is the same on every laptop and at the hub.
Each position is explained ("Platz 4: verpflichtet seit 12.03.2026, wartet
41 Tage"). Registering puts the case's measure of that kind on "waiting list"
(app.measures) in the same transaction. Laptops register, withdraw and
record a client's answer to an offer; offers themselves come from the hub
(app.allocation).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from i18n import N_, _, current_language, ngettext
from i18n import locale as loc

from .checks import ValidationError, check_date, parse_date
from .chronicle import case_row, today_iso
from .schema import COURSE_LEVELS, OFFICE_CODES

RULES_PATH = Path(__file__).resolve().parent.parent / "resources" / "waitlist.json"
FORMAT = "sprechstunde-waitlist"
PREFER = ("true", "earliest", "latest")
_NS = uuid.UUID("6d1c1f7e-7d43-4b57-9a55-2d3c3c1e8a10")
ENTRY_STATES = {"waiting": N_("waiting"), "offered": N_("seat offered"), "allocated": N_("seat given"),
                "withdrawn": N_("taken off the list")}


# the labels of resources/waitlist.json, for the catalog
JSON_LABELS = (N_("obliged to attend"), N_("obliged since"), N_("level from the language assessment"),
               N_("date of registration"), N_("needs childcare: only courses with childcare"),
               N_("only courses in the towns the person can reach"), N_("no move-up after a course has started"))


def short_date(value) -> str:
    """A stored ISO date as the reader writes it (12.03.2026 in German)."""
    day = parse_date(value) if isinstance(value, str) else value
    return loc.format_date(day, current_language(), "short") if day else ""


def entry_id(person_id: str, catalogue_id: str) -> str:
    """The one waiting-list entry of a person for a kind of course (the same on every laptop)."""
    return uuid.uuid5(_NS, f"waitlist/{person_id}/{catalogue_id}").hex


@dataclass(frozen=True)
class Priority:
    id: str
    fact: str
    prefer: str
    label: str
    source: str
    valid_from: dt.date | None
    valid_until: dt.date | None

    def valid(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class WaitlistRules:
    priorities: tuple[Priority, ...]
    eligibility: tuple[dict, ...]
    hold_days: int
    hold_source: str

    @classmethod
    def load(cls, path: Path | str = RULES_PATH) -> "WaitlistRules":
        doc = json.loads(Path(path).read_text("utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError(f"{path}: not a waiting-list rule file")
        prios = []
        for i, p in enumerate(doc["priorities"]):
            if p.get("prefer") not in PREFER or not p.get("fact") or not p.get("source"):
                raise ValueError(f"{path}: priorities[{i}] needs fact, prefer ({', '.join(PREFER)}) and source")
            prios.append(Priority(p["id"], p["fact"], p["prefer"], p["label"], p["source"],
                                  parse_date(p.get("valid_from")), parse_date(p.get("valid_until"))))
        hold = doc["offer"]["hold_days"]
        if not isinstance(hold, int) or isinstance(hold, bool) or not 1 <= hold <= 60:
            raise ValueError(f"{path}: offer.hold_days must be 1 to 60")
        return cls(tuple(prios), tuple(doc.get("eligibility", ())), hold, doc["offer"]["source"])

    def active(self, day: dt.date) -> list[Priority]:
        return [p for p in self.priorities if p.valid(day)]


@dataclass(frozen=True)
class Position:
    """One place on a list: the entry, its place (1-based), the reasons in rule order and a sentence."""

    rank: int
    entry: dict
    waiting_days: int
    reasons: tuple[dict, ...]

    def text(self) -> str:
        parts = [r["text"] for r in self.reasons if r["text"]]
        return _("Place {rank}: {reasons}").format(rank=self.rank, reasons=", ".join(parts))

    def to_dict(self, case_number: str = "", name: str = "") -> dict:
        e = self.entry
        return {"position": self.rank, "entry_id": e["id"], "case_id": e.get("case_id"), "case_number": case_number,
                "name": name, "kind": e.get("catalogue_id"), "level": e.get("level"),
                "registered_on": e.get("registered_on"), "waiting_days": self.waiting_days,
                "obligated": bool(e.get("obligated")), "state": e.get("_state", "waiting"),
                "reasons": list(self.reasons), "explanation": self.text()}


def _key(p: Priority, value):
    """Sort key of one priority: preferred values first, missing values last."""
    if p.prefer == "true":
        return 0 if value else 1
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        return (1, 0)
    return (0, day.toordinal() if p.prefer == "earliest" else -day.toordinal())


def _reason(p: Priority, e: dict, today: dt.date) -> dict:
    value = e.get(p.fact)
    text = ""
    if p.fact == "obligated":
        text = _("obliged to attend") if value and not parse_date(e.get("obligated_since")) else ""
    elif p.fact == "obligated_since":
        text = (_("obliged since {date}").format(date=short_date(value))
                if e.get("obligated") and parse_date(value) else "")
    elif p.fact == "level_assessed":
        text = _("level assessed") if value else ""
    elif p.fact == "registered_on":
        day = parse_date(value)
        n = (today - day).days if day else 0
        text = ngettext("waiting {n} day", "waiting {n} days", n).format(n=n) if day else ""
    elif value:
        text = _(p.label)
    return {"rule": p.id, "value": value, "text": text, "source": p.source}


def order(entries: list[dict], stamps: dict[str, str], rules: WaitlistRules, today: dt.date) -> list[Position]:
    """The entries in list order with their explanations. `stamps`: entry id -> creation stamp (ties)."""
    active = rules.active(today)

    def key(e):
        return (*(_key(p, e.get(p.fact)) for p in active), stamps.get(e["id"], ""), e["id"])

    out = []
    for rank, e in enumerate(sorted(entries, key=key), start=1):
        since = parse_date(e.get("registered_on"))
        out.append(Position(rank, e, (today - since).days if since else 0,
                            tuple(_reason(p, e, today) for p in active)))
    return out


def live_entries(conn, catalogue_id: str | None = None, level: str | None = None) -> list[dict]:
    """Entries not withdrawn or deleted, with `_state` (waiting / offered / allocated) from the offers."""
    sql = ("SELECT id, household_id, case_id, catalogue_id, level, registered_on, obligated, obligated_since,"
           " level_assessed, childcare_needed, towns, measure_id, proposed_course_id, notice FROM waitlist_entry"
           " WHERE coalesce(deleted, 0) = 0 AND withdrawn_on IS NULL")
    params: list = []
    if catalogue_id:
        sql += " AND catalogue_id = ?"
        params.append(catalogue_id)
    if level is not None:
        sql += " AND coalesce(level, '') = ?"
        params.append(level)
    cols = ("id", "household_id", "case_id", "catalogue_id", "level", "registered_on", "obligated",
            "obligated_since", "level_assessed", "childcare_needed", "towns", "measure_id",
            "proposed_course_id", "notice")
    rows = []
    for r in conn.execute(sql, params):
        d = dict(zip(cols, r, strict=True))
        for b in ("obligated", "level_assessed", "childcare_needed"):
            d[b] = bool(d[b])
        towns = json.loads(d["towns"]) if d["towns"] else []  # a synced value is any JSON: only a list counts
        d["towns"] = [t for t in towns if isinstance(t, str)] if isinstance(towns, list) else []
        d["_state"] = "waiting"
        rows.append(d)
    if rows:
        states: dict[str, str] = {}
        for eid, state in conn.execute("SELECT entry_id, state FROM seat_offer WHERE coalesce(deleted, 0) = 0"
                                       " AND state IN ('offered', 'allocated')"):
            if states.get(eid) != "allocated":
                states[eid] = state
        for d in rows:
            d["_state"] = states.get(d["id"], "waiting")
    return rows


def creation_stamps(conn, ids: list[str]) -> dict[str, str]:
    """The stamp of each entry's `case_id` (never changed): the order in which entries were recorded."""
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(conn.execute(f"SELECT entity_id, hlc FROM field_state WHERE field = 'case_id' AND entity_id IN"
                                f" ({','.join('?' * len(chunk))})", chunk).fetchall())
    return out


def lists(conn) -> list[tuple[str, str]]:
    """(kind, level) of every list with someone on it."""
    return [(k, lv or "") for k, lv in conn.execute(
        "SELECT DISTINCT catalogue_id, coalesce(level, '') FROM waitlist_entry WHERE coalesce(deleted, 0) = 0"
        " AND withdrawn_on IS NULL ORDER BY 1, 2")]


class Waitlist:
    def __init__(self, repo, rules: WaitlistRules, measures):
        self.repo = repo
        self.rules = rules
        self.measures = measures  # app.measures.Measures of the same repository
        self.catalogue = measures.catalogue

    def positions(self, catalogue_id: str, level: str | None = None, today: dt.date | None = None,
                  waiting_only: bool = True) -> list[Position]:
        """The list in order; `waiting_only`: without people who hold an offer or a seat."""
        entries = live_entries(self.repo.conn, catalogue_id, level)
        if waiting_only:
            entries = [e for e in entries if e["_state"] == "waiting"]
        return order(entries, creation_stamps(self.repo.conn, [e["id"] for e in entries]), self.rules,
                     today or dt.date.today())

    def lists(self) -> list[tuple[str, str]]:
        """(kind, level) of every list with someone on it."""
        return lists(self.repo.conn)

    def for_case(self, case_id: str) -> list[dict]:
        return self.repo.find("waitlist_entry", case_id=case_id)

    def places_of_case(self, case_id: str, today: dt.date | None = None) -> list[tuple[dict, Position | None]]:
        """The case's entries on lists (not withdrawn) with `_state`, and each waiting one's place."""
        mine = {e["id"] for e in self.for_case(case_id)}
        out = []
        for e in live_entries(self.repo.conn):
            if e["id"] in mine:
                out.append((e, self.position_of(e, today) if e["_state"] == "waiting" else None))
        return out

    def position_of(self, entry: dict, today: dt.date | None = None) -> Position | None:
        for p in self.positions(entry["catalogue_id"], entry.get("level") or "", today):
            if p.entry["id"] == entry["id"]:
                return p
        return None

    def register(self, case_id: str, catalogue_id: str, level: str | None = None, *, date: str | None = None,
                 obligated: bool = False, obligated_since: str | None = None, level_assessed: bool = False,
                 childcare_needed: bool = False, towns: list[str] | None = None,
                 proposed_course_id: str | None = None) -> str:
        """Put the case's person on the list (and its measure on "waiting list"); refused if already on it."""
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if catalogue_id not in self.catalogue.items:
            errors["catalogue_id"] = _("Please choose a measure from the catalogue.")
        if level not in (None, "", *COURSE_LEVELS):
            errors["level"] = _("Please choose a level ({levels}).").format(levels=", ".join(COURSE_LEVELS))
        check_date(errors, "date", date)
        check_date(errors, "obligated_since", obligated_since)
        if obligated_since and not obligated:
            errors["obligated_since"] = _("A date of obligation needs the obligation.")
        if any(t not in OFFICE_CODES for t in towns or []):
            errors["towns"] = _("Please choose the towns from the list of offices.")
        if proposed_course_id:
            course = self.repo.get("course", proposed_course_id)
            if course is None or course.get("deleted"):
                errors["proposed_course_id"] = _("The course does not exist.")
            elif course.get("catalogue_id") != catalogue_id or (course.get("level") or "") != (level or ""):
                errors["proposed_course_id"] = _("The course is of another kind or level.")
        if not case.get("person_id"):
            errors["case_id"] = _("The case has no person.")
        if errors:
            raise ValidationError(errors)
        eid = entry_id(case["person_id"], catalogue_id)
        current = self.repo.get("waitlist_entry", eid)
        if current and not current.get("deleted") and not current.get("withdrawn_on"):
            raise ValidationError({"catalogue_id": _("The person is on this waiting list already ({level}).").format(
                level=current.get("level") or "–")})
        date = date or today_iso()
        values = {"household_id": case["household_id"], "case_id": case_id, "catalogue_id": catalogue_id,
                  "level": level or None, "registered_on": date, "obligated": bool(obligated),
                  "obligated_since": obligated_since or None, "level_assessed": bool(level_assessed),
                  "childcare_needed": bool(childcare_needed), "towns": sorted(set(towns or [])) or None,
                  "proposed_course_id": proposed_course_id or None, "withdrawn_on": None, "notice": None,
                  "deleted": False}
        with self.repo.transaction():
            values["measure_id"] = self._waiting_measure(case_id, catalogue_id, date)
            if current is None:
                values = {k: v for k, v in values.items() if v is not None}
            self.repo.save("waitlist_entry", values, eid)
        return eid

    def _waiting_measure(self, case_id: str, catalogue_id: str, date: str) -> str:
        """The case's open measure of this kind, put on "waiting list"; a new one if there is none."""
        for m in self.measures.for_case(case_id):
            if m.get("catalogue_id") != catalogue_id:
                continue
            if m.get("status") == "waiting":
                return m["id"]
            if m.get("status") in ("proposed", "registered"):
                self.measures.set_status(m["id"], "waiting", date)
                return m["id"]
        return self.measures.add(case_id, catalogue_id, status="waiting", date=date)

    def withdraw(self, entry_id_: str, date: str | None = None) -> None:
        """Take the person off the list (a seat they hold is freed by the hub's next allocation)."""
        e = self.repo.get("waitlist_entry", entry_id_)
        errors: dict[str, str] = {}
        if e is None or e.get("deleted") or e.get("withdrawn_on"):
            errors["entry"] = _("The person is not on this waiting list.")
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        self.repo.save("waitlist_entry", {"withdrawn_on": date or today_iso()}, entry_id_)

    def answer_offer(self, offer_id: str, accept: bool, date: str | None = None) -> None:
        """Record the client's answer to a seat offer; the hub confirms the seat at its next allocation."""
        o = self.repo.get("seat_offer", offer_id)
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if o is None or o.get("deleted"):
            errors["offer"] = _("There is no such offer.")
        elif o.get("state") != "offered" or o.get("accepted_on") or o.get("declined_on"):
            errors["offer"] = _("The offer has been answered or has ended already.")
        day = date or today_iso()
        if not errors and accept and o and o.get("hold_until") and day > o["hold_until"]:
            errors["date"] = _("The seat was held until {date}: the offer has expired.").format(
                date=short_date(o["hold_until"]))
        if errors:
            raise ValidationError(errors)
        self.repo.save("seat_offer", {"accepted_on" if accept else "declined_on": day}, offer_id)

    def offers_for_case(self, case_id: str) -> list[dict]:
        return sorted(self.repo.find("seat_offer", case_id=case_id), key=lambda o: (o.get("offered_on") or "", o["id"]))
