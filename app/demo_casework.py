"""A year of fictional case work for the demo households, written through the services.

`fill(store, households, seed, reference)` imports `app.demo.generate(...)` and
then works every case as an office would have: consent per agency (some
refused, a few withdrawn later), the intake survey, Profiling I and II (U25 or
Ü25 by the age on the day), resource-map entries by several staff members,
the client's will and goals, case conferences (kollegiale Fallberatung),
measures moving through their stages with the catalogue's waiting times,
appointments kept, missed and cancelled with the interpreter language,
chronicle notes and flags, and Rechtskreiswechsel AsylbLG -> SGB II after a
recognition. Finally a few edits "arrive from the central office's laptop"
through the one merge (app.replica.merge), so the conflicts page has open conflicts
to review; the near-duplicate registrations come from app.demo.

Decisions:
* Every write goes through app/ services (CaseWork, Consents, Measures, ...)
  or Repository.save, in one transaction: the change log is what a real year
  of work would have logged, and a failure leaves nothing half-written.
* Each write is made by a Repository of its author (the case's staff member,
  the KI colleague at the central office, another agency's colleague), so
  `recorded_by`, `author` and the change log name several people.
* Deterministic: the case work has its own seeded generator, and new entity
  ids are drawn from it (a Repository subclass hands them to `save`), so the
  same seed and reference date give the same export on every run.
* Dates follow each case's own dates: nothing before the case was opened,
  nothing after it was closed (or, for dormant cases, after the last contact),
  nothing after the reference date except planned appointments.
* Dormant and closed cases carry what keeps the rules quiet in a well-kept
  office (consent, integration course, Rechtskreis checked); open cases are
  caught in the middle of their work, so the due list shows what is due in
  the next weeks and a minority of overdue items (a course waited for longer
  than usual, a Profiling I not yet done, the 12 months in the IP passed).
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from . import interchange
from .casework import CaseWork
from .checks import add_months
from .handover import TransitionData
from .profiling import UE25, choose_group
from .repository import Repository, clock_for

DATA_FILE = Path(__file__).resolve().parent.parent / "resources" / "demo_casework.json"
REMOTE_DEVICE_ID = "d3e0c0de00000002"  # the central office's laptop in the demo's conflicts
HIGH_PROSPECT = {"syria", "iraq", "iran", "eritrea"}
N_CONFLICTS = 5
GERMAN_NAMES = {"ar": "Arabisch", "ku": "Kurmanji", "fa": "Farsi", "prs": "Dari", "ti": "Tigrinya",
                "uk": "Ukrainisch", "ru": "Russisch", "tr": "Türkisch", "fr": "Französisch", "en": "Englisch",
                "ckb": "Sorani", "so": "Somali", "ps": "Paschtu", "am": "Amharisch", "sus": "Susu", "ff": "Fulfulde",
                "de": "Deutsch"}
COUNTRY_DE = {"syria": "Syrien", "iraq": "Irak", "iran": "Iran", "eritrea": "Eritrea", "afghanistan": "Afghanistan",
              "somalia": "Somalia", "ukraine": "Ukraine", "turkey": "Türkei"}
ACCOMMODATION = {"Gemeinschaftsunterkunft": "shared", "Übergangswohnheim": "shared", "Notunterkunft": "reception",
                 "Wohnung": "own_flat", "Wohnung (kommunal angemietet)": "flat_assigned"}
SLOTS = ("08:30", "09:00", "09:30", "10:00", "11:00", "11:30", "13:30", "14:00", "15:00")
LEVEL_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
DAY = _dt.timedelta(days=1)


@lru_cache(maxsize=1)
def load_texts() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text("utf-8"))


class DemoExistsError(ValueError):
    """The store already holds the demo of this seed."""


class _DemoRepository(Repository):
    """A Repository whose new entities get ids from the demo's seeded generator."""

    def __init__(self, store, staff_id: str | None, new_id: Callable[[], str], today: _dt.date):
        super().__init__(store, staff_id)
        self._new_id = new_id
        self.today = today  # the day the input checks judge dates by (app.hygiene): the day of the write

    def save(self, entity: str, values: dict[str, Any], entity_id: str | None = None) -> str:
        return super().save(entity, values, entity_id or self._new_id())


def fill(store, doc: dict, seed: int, reference: _dt.date, towns: dict[str, str]) -> dict[str, int]:
    """Import the demo households `doc` (app.demo.generate of `seed`) and write their case work; returns
    counts per kind. `towns`: office code -> town name. (app.demo calls this; it does not call back.)"""
    cases = doc["entities"].get("case", [])
    if cases and store.conn.execute('SELECT 1 FROM "case" WHERE id = ?', (cases[0]["id"],)).fetchone():
        raise DemoExistsError(f"the store already holds the demo of seed {seed}")
    work = _Work(store, doc, seed, reference, towns)
    work.plan()
    base = work.repo(store.staff_id)
    with base.transaction():
        interchange.import_document(store, doc, repo=base)
        work.run()
        work.conflicts()
    return work.counts()


def _iso(day: _dt.date) -> str:
    return day.isoformat()


class _Case:
    """What the generator knows of one case while writing its work."""

    __slots__ = ("row", "person", "household", "members", "opened", "end", "status", "staff", "office",
                 "country", "story", "wechsel", "intake_id", "p1", "p2", "form", "illiterate", "german",
                 "measures", "authors")
    row: dict[str, Any]  # the case as in the interchange document
    person: dict[str, Any]
    household: dict[str, Any]
    members: list[dict[str, Any]]
    opened: _dt.date
    end: _dt.date  # the last day with work: closing, going dormant, or the reference day
    status: str
    staff: str
    office: str
    country: str
    story: dict[str, Any]  # residence story (residence_story)
    wechsel: _dt.date | None  # the day the case changed from the AsylbLG to the SGB II
    intake_id: str | None
    p1: _dt.date | None  # Profiling I and II, when done
    p2: _dt.date | None
    form: str | None
    illiterate: bool
    german: str | None
    measures: list[str]
    authors: list[str | None]


class _Work:
    def __init__(self, store, doc: dict, seed: int, reference: _dt.date, towns: dict[str, str]):
        self.towns = towns
        self.store = store
        self.doc = doc
        self.ref = reference
        self.rng = random.Random(f"casework/{seed}")
        self.ids = random.Random(f"casework-ids/{seed}")
        self.t = load_texts()
        self.repos: dict[str | None, _DemoRepository] = {}
        self.services: dict[str | None, CaseWork] = {}
        ents = doc["entities"]
        self.staff = {s["id"]: s for s in ents.get("staff", [])}
        self.by_office: dict[tuple[str, str], list[str]] = {}
        for s in ents.get("staff", []):
            self.by_office.setdefault((s["office"], s["agency"]), []).append(s["id"])
        self.ki = self.by_office.get(("ZIP", "KI"), [None])
        self.households = {h["id"]: h for h in ents.get("household", [])}
        self.persons = {p["id"]: p for p in ents.get("person", [])}
        self.members: dict[str, list[dict]] = {}
        for p in ents.get("person", []):
            self.members.setdefault(p["household_id"], []).append(p)
        self.cases: list[_Case] = []
        self.starts: dict[str, set[str]] = {}
        self.n_wechsel = 0
        # {catalogue id: the date of the measure that is a case's planned exit} (app.handover's 12-month list)
        self.exits = {ex["measure"]: ex["date"] for ex in TransitionData.load().twelve_months["exits"]
                      if ex.get("measure")}
        self.n_conflicts = 0

    # -- helpers --------------------------------------------------------------
    def new_id(self) -> str:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4).hex

    def repo(self, staff_id: str | None) -> _DemoRepository:
        if staff_id not in self.repos:
            self.repos[staff_id] = _DemoRepository(self.store, staff_id, self.new_id, self.ref)
        return self.repos[staff_id]

    def cw(self, staff_id: str | None) -> CaseWork:
        if staff_id not in self.services:
            self.services[staff_id] = CaseWork(self.repo(staff_id))
        return self.services[staff_id]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, start: _dt.date, end: _dt.date) -> _dt.date:
        if end <= start:
            return start
        return start + DAY * self.rng.randrange((end - start).days + 1)

    def weighted(self, pairs):
        return self.rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]

    def workday(self, day: _dt.date) -> _dt.date:
        while day.weekday() >= 5:
            day += DAY
        return day

    def age_on(self, c: _Case, day: _dt.date) -> int:
        return day.year - int(c.person["birth_date"][:4])

    # -- planning (before the import: some cases began in AsylbLG) -----------------
    def plan(self) -> None:
        rng = self.rng
        for row in self.doc["entities"].get("case", []):
            c = _Case()
            c.row = row
            c.person = self.persons[row["person_id"]]
            c.household = self.households[row["household_id"]]
            c.members = self.members[row["household_id"]]
            c.opened = _dt.date.fromisoformat(row["opened"])
            c.status = row["status"]
            c.office = row["office"]
            c.staff = row["staff"]
            if c.status == "closed":
                c.end = _dt.date.fromisoformat(row["closed"])
            elif c.status == "dormant":  # no contact for at least two months
                last = max(c.opened + 30 * DAY, self.ref - 60 * DAY)
                c.end = self.between(c.opened + 20 * DAY, min(last, c.opened + 300 * DAY))
            else:
                c.end = self.ref
            nat = c.person["nationality"]
            c.country = self.t["country_of_origin"].get(nat, "other")
            c.story = self.residence_story(c)
            c.wechsel = None
            if row["rechtskreis"] == "SGB II" and c.story.get("decision") and c.story["decision"] > c.opened:
                c.wechsel = c.story["decision"]
                row["rechtskreis"] = "AsylbLG"  # the case began under the AsylbLG, with the Sozialamt
                row["staff"] = (self.by_office.get((c.office, "SOZ")) or [c.staff])[0]
            c.authors = [row["staff"], self.ki[rng.randrange(len(self.ki))]]
            others = [s for a in ("AA", "JC", "SOZ") if a != self.staff[c.staff]["agency"]
                      for s in self.by_office.get((c.office, a), [])]
            if others:
                c.authors.append(rng.choice(others))
            c.intake_id = c.p1 = c.p2 = c.form = None
            c.german = next((lang["level"] for lang in c.person["languages"] if lang["code"] == "de"), None)
            c.illiterate = False
            c.measures = []
            self.cases.append(c)

    def residence_story(self, c: _Case) -> dict:
        """Entry, asylum application, decision and status, consistent with the case's Rechtskreis."""
        arrival = _dt.date.fromisoformat(c.household["arrival_date"])
        rk = c.row["rechtskreis"]
        story: dict[str, Any] = {"entry": arrival}
        if c.country == "ukraine":
            story.update(status="erlaubnis", paragraph="§ 24 AufenthG")
            return story
        application = min(arrival + DAY * self.rng.randint(3, 45), max(arrival, c.opened))
        story["application"] = application
        decision = application + DAY * self.rng.randint(90, 420)
        if rk == "AsylbLG":
            if decision <= self.ref - 30 * DAY and (self.ref - arrival).days > 540:
                story.update(status="duldung", decision=decision)  # refused, toleration
            else:
                story["status"] = "gestattung"
            return story
        latest = c.end - 50 * DAY
        if decision > latest:  # the decision must have come while we knew the case
            decision = max(application + 30 * DAY, min(latest, c.opened - DAY))
        story.update(status="erlaubnis", decision=decision,
                     paragraph=self.weighted(self.t["permit_paragraphs"]))
        return story

    # -- the work -------------------------------------------------------------
    def run(self) -> None:
        for c in self.cases:
            self.work_case(c)
        self.flags()

    def work_case(self, c: _Case) -> None:
        rng = self.rng
        fresh = (self.ref - c.opened).days
        if c.status == "new" and fresh <= 3 and self.chance(0.5):
            return  # registered this week; consent and intake follow at the first appointment
        first = c.opened
        self.consent(c, first)
        self.intake(c, first)
        self.appointments(c)
        # Profiling I within the 14 days the cooperation agreement asks for, a few late or still missing
        p1 = first + DAY * (rng.randint(2, 13) if self.chance(0.95) else rng.randint(15, 40))
        if p1 <= c.end:
            c.p1 = p1
            self.profiling_social(c, p1)
        if c.p1 is not None:
            p2 = c.p1 + DAY * rng.randint(7, 35)
            if p2 <= c.end:
                c.p2 = p2
                self.profiling_work(c, p2)
                self.will_and_goals(c, p2)
        self.resource_map(c)
        self.measures(c)
        if c.wechsel is not None:
            self.rechtskreiswechsel(c, c.wechsel)
        self.conferences(c)
        self.notes(c)

    def consent(self, c: _Case, day: _dt.date) -> None:
        rng = self.rng
        answers: dict[str, Any] = {}
        for key in ("aa", "jc", "soz"):
            answers[key] = "given" if self.chance(0.93) else "refused"
        if "given" not in answers.values():
            answers["jc"] = "given"
        abh = self.weighted([("given", 50), ("refused", 15), (None, 35)])
        if abh:
            answers["abh"] = abh
        if self.chance(0.6):
            answers["ki"] = "given"
        if self.chance(0.2):
            answers["provider"] = "given"
            answers["provider_name"] = rng.choice(self.t["providers"]["language"])
        answers["signed_on"] = _iso(day)
        lang = c.person.get("interpreter_language")
        if lang:
            answers["document_language"] = GERMAN_NAMES.get(lang, lang)
        cw = self.cw(c.row["staff"])
        cw.consent.record_declaration(c.row["id"], answers)
        if c.end - day > 60 * DAY and self.chance(0.08):  # withdrawn later, for the future
            given = [a for a, k in (("AA", "aa"), ("JC", "jc"), ("SOZ", "soz")) if answers[k] == "given"]
            # one agency, while another may still receive the data
            agency = rng.choice(given) if len(given) > 1 else "ABH" if answers.get("abh") == "given" else None
            if agency is None:
                return
            when = self.between(day + 30 * DAY, c.end)
            cw.consent.withdraw(c.row["id"], agency, _iso(when))
            if self.chance(0.3) and when + 20 * DAY <= c.end:  # and given again after a talk
                cw.consent.record(c.row["id"], agency, "given", _iso(self.between(when + 20 * DAY, c.end)))

    def intake_answers(self, c: _Case, day: _dt.date, story: dict, decided: bool) -> dict:
        rng = self.rng
        p, h = c.person, c.household
        a: dict[str, Any] = {"country_of_origin": c.country}
        if c.country == "other":
            a["country_other"] = self.t["country_other"].get(p["nationality"], p["nationality"])
        native = p["languages"][0]["code"]
        a["mother_tongue"] = GERMAN_NAMES.get(native, native)
        a["interpreter_needed"] = bool(p.get("interpreter_language"))
        if p.get("interpreter_language"):
            a["interpreter_language"] = p["interpreter_language"]
        entry = story["entry"]
        a["entry_date"] = _iso(entry) if self.chance(0.85) else _iso(entry)[:7]
        if "application" in story and story["application"] <= day:
            a["asylum_application_date"] = _iso(story["application"])
        status = story["status"]
        if status != "gestattung" and not decided:
            status = "gestattung" if "application" in story and story["application"] <= day else "ankunftsnachweis"
        if status in ("erlaubnis", "duldung") and story.get("decision") and story["decision"] <= day:
            a["decision_date"] = _iso(story["decision"])
        a["residence_status"] = status
        if status == "erlaubnis":
            a["permit_paragraph"] = story["paragraph"]
        if status in ("gestattung", "duldung", "erlaubnis"):
            months = {"gestattung": 6, "duldung": 3, "erlaubnis": 36}[status]
            a["status_valid_until"] = _iso(add_months(day, months + rng.randint(0, 6)))
        a["accommodation"] = ACCOMMODATION.get(h.get("accommodation") or "", "other")
        a["accommodation_address"] = h.get("address")
        a["household_size"] = len(c.members)
        a["children_under_6"] = sum(1 for m in c.members if day.year - int(m["birth_date"][:4]) < 6)
        a["referred_by"] = self.weighted([("sozialamt", 40), ("abh", 10), ("self", 25), ("volunteer", 20),
                                          ("other", 5)])
        if a["referred_by"] == "volunteer":
            a["referrer_name"] = "Ehrenamtliche Flüchtlingshilfe " + self.office_town(c)
        elif a["referred_by"] == "other":
            a["referrer_name"] = "Migrationsberatung"
        return {k: v for k, v in a.items() if v is not None}

    def office_town(self, c: _Case) -> str:
        return self.towns[c.office]

    def intake(self, c: _Case, day: _dt.date) -> None:
        decided = c.wechsel is None
        answers = self.intake_answers(c, day, c.story, decided)
        c.intake_id = self.cw(c.row["staff"]).save_intake(c.row["id"], answers, date=_iso(day))

    def rechtskreiswechsel(self, c: _Case, wechsel: _dt.date) -> None:
        """Recognised during the case: the intake is brought up to date, then the case moves to SGB II."""
        end = self.ref if c.status == "dormant" else c.end  # the offices act while the IP has no contact
        known = wechsel + DAY * self.rng.randint(3, 14)
        if known > end:
            return
        cw = self.cw(c.row["staff"])
        answers = self.intake_answers(c, known, c.story, True)
        cw.save_intake(c.row["id"], answers, date=_iso(known), response_id=c.intake_id)
        switch = wechsel + DAY * self.rng.randint(21, 50)
        if switch > end:
            return  # the hand-over to the Jobcenter is due (rule recognition_handover)
        cw.chronicle.change_rechtskreis(c.row["id"], "SGB II", _iso(switch),
                                        "Anerkennung, Übergang zum Jobcenter")
        jc = self.by_office.get((c.office, "JC"))
        if jc:
            cw.repo.save("case", {"staff": jc[0]}, c.row["id"])
            c.row["staff"] = jc[0]
        self.n_wechsel += 1

    def profiling_social(self, c: _Case, day: _dt.date) -> None:
        rng, t = self.rng, self.t
        p = c.person
        kids = [self.ref.year - int(m["birth_date"][:4]) for m in c.members if m["relation"] == "child"]
        german = c.german
        c.illiterate = self.age_on(c, day) > 30 and c.country in ("afghanistan", "eritrea", "syria", "other") \
            and german is None and self.chance(0.2)
        needs = []
        if german is None or german in ("A1", "A2"):
            needs.append("literacy_course" if c.illiterate else "integration_course")
        if any(k < 6 for k in kids):
            needs.append("kindergarten")
        if any(6 <= k < 18 for k in kids):
            needs.append("school")
        if self.chance(0.15):
            needs.append("medical")
        if c.household.get("accommodation") in ("Gemeinschaftsunterkunft", "Notunterkunft"):
            needs.append("housing")
        if self.chance(0.1):
            needs.append("counselling")
        small_child = any(k < 3 for k in kids) and p["sex"] == "f"
        available = not (small_child and self.chance(0.6)) and self.age_on(c, day) < 62
        a: dict[str, Any] = {
            "appeared": self.weighted([("on_time", 85), ("late", 15)]),
            "impression": sorted(rng.sample(["cooperative", "interested", "open", "stable", "self_reliant"],
                                            rng.randint(1, 3))),
            "family_situation": rng.choice(t["family_situation"]),
            "needs": needs,
            "childcare_by_client": bool(kids) and self.chance(0.7),
            "available_for_work": available,
            "wants_work": self.chance(0.85),
            "referred_to_ifk": self.chance(0.3),
            "next_steps": rng.choice(t["social_next_steps"]),
        }
        if not available:
            a["not_available_reason"] = (t["not_available_reason"][0] if small_child
                                         else rng.choice(t["not_available_reason"][1:]))
        if self.chance(0.1):
            a["health_notes"] = "Rückenbeschwerden, keine schweren Lasten"
        self.cw(c.row["staff"]).profiling.save_social(c.row["id"], a, date=_iso(day))

    def profiling_work(self, c: _Case, day: _dt.date) -> None:
        rng, t = self.rng, self.t
        p = c.person
        # as staff type them in a German office
        languages = [{"language": GERMAN_NAMES.get(lang["code"], lang["code"]), "level": lang["level"]}
                     for lang in p["languages"]]
        if not any(lang["code"] == "de" for lang in p["languages"]):
            languages.append({"language": "Deutsch", "level": "A1"})
        age = self.age_on(c, day)
        choice = choose_group(p["birth_date"], day)
        c.form = choice.form_id
        latin = c.country in ("ukraine", "turkey", "somalia") or p["languages"][0]["code"] in ("ku", "fr", "so")
        literate = "no" if c.illiterate else ("latin" if latin or self.chance(0.4) else "other_script")
        school_years = 0 if c.illiterate else min(20, max(0, rng.randint(4, 16) if age > 18 else age - 6))
        school_type = ("none" if school_years == 0 else "primary" if school_years <= 6 else
                       "lower_secondary" if school_years <= 9 else
                       self.weighted([("upper_secondary", 5), ("vocational", 3), ("university", 2)]))
        a: dict[str, Any] = {
            "languages": languages,
            "german_course_done": self.weighted([("none", 5), ("volunteer", 3), ("einstieg", 2), ("integration", 1)]),
            "literate": literate, "school_years": school_years, "school_type": school_type,
            "driving_licence": self.weighted([("none", 6), ("foreign", 3), ("valid_de", 1)]),
            "computer_skills": self.weighted([("none", 2), ("basic", 5), ("good", 2), ("advanced", 1)]),
            "health_limits": self.chance(0.12),
            "childcare_needed": any(self.ref.year - int(m["birth_date"][:4]) < 6 for m in c.members
                                    if m["relation"] == "child"),
        }
        if school_years >= 9:
            a["school_leaving_certificate"] = {"value": True, "proof": self.chance(0.6)}
        if school_type in ("vocational", "university") or (age > 25 and self.chance(0.25)):
            a["certificates"] = [{"title": rng.choice(t["certificates"][:7]), "country": COUNTRY_DE.get(c.country, "Guinea"),
                                  "proof": self.chance(0.6),
                                  "recognition": self.weighted([("not_started", 4), ("in_progress", 3),
                                                                ("recognised", 1), ("partial", 1)])}]
        if age > 19 and self.chance(0.75):
            a["work_experience"] = [{"occupation": rng.choice(t["occupations"]),
                                     "years": rng.randint(1, max(1, min(25, age - 18))),
                                     "country": COUNTRY_DE.get(c.country, "Guinea"), "proof": self.chance(0.3)}]
        if a["health_limits"]:
            a["health_limits_text"] = "Keine Arbeit über Kopf (Schulter)"
        if a["childcare_needed"]:
            a["childcare_text"] = "Kita-Platz beantragt"
        if c.form == UE25:
            a["wish"] = self.weighted([("work", 6), ("training", 2), ("study", 1), ("undecided", 1)])
            if "work_experience" in a:
                a["vocational_training"] = {"value": self.chance(0.4), "proof": None}
                a["last_worked"] = str(min(int(c.household["arrival_date"][:4]), day.year))
            if self.chance(0.3):
                a["available_from"] = _iso(day + DAY * rng.randint(14, 120))
        else:
            a["wish"] = self.weighted([("training", 5), ("school", 2), ("work", 2), ("study", 1), ("undecided", 1)])
            a["attends_school"] = age < 18
            a["school_obligation"] = age < 18
        if a["wish"] != "undecided":
            a["wish_occupation"] = rng.choice(t["wish_occupations"])
        if self.chance(0.2):
            a["notes"] = "Sehr motiviert, bringt Zeugnisse zum nächsten Termin mit."
        self.cw(c.row["staff"]).profiling.save_work(c.row["id"], a, date=_iso(day), form_id=c.form)

    def will_and_goals(self, c: _Case, day: _dt.date) -> None:
        rng = self.rng
        cw = self.cw(c.row["staff"])
        cw.goals.add(c.row["id"], "wille", rng.choice(self.t["wille"]), date=_iso(day))
        if self.chance(0.7):
            target = day + DAY * rng.randint(90, 360)
            cw.goals.add(c.row["id"], "goal", rng.choice(self.t["goals"]), target_date=_iso(target), date=_iso(day))

    def resource_map(self, c: _Case) -> None:
        rng = self.rng
        start = c.p1 or c.opened
        if start > c.end:
            return
        pools = self.t["resource_entries"]
        used = set()
        for _i in range(rng.randint(2, 7) if c.p1 else rng.randint(0, 2)):
            quadrant = self.weighted([("persoenlich", 4), ("sozial", 3), ("materiell", 2), ("infrastrukturell", 2)])
            text, source = rng.choice(pools[quadrant])
            if text in used:
                continue
            used.add(text)
            author = c.authors[0] if self.chance(0.5) else rng.choice(c.authors)
            day = self.between(start, min(c.end, start + 120 * DAY))
            self.cw(author).resources.add(c.row["id"], quadrant, text, source, _iso(day))

    # -- measures ---------------------------------------------------------------
    def measures(self, c: _Case) -> None:
        rng = self.rng
        start = c.p1 + DAY * rng.randint(0, 7) if c.p1 else None
        if start is None:
            if c.country in HIGH_PROSPECT and c.opened + 14 * DAY <= c.end:
                start = c.opened + DAY * rng.randint(7, 14)
            else:
                return
        plan = []
        german = c.german
        age = self.age_on(c, start)
        u25 = c.form != UE25 if c.form else age < 25
        asyl = c.row["rechtskreis"] == "AsylbLG" and c.wechsel is None
        if c.illiterate:
            plan.append("alphakurs")
        if c.country in HIGH_PROSPECT or c.country == "ukraine" or (german in (None, "A1", "A2") and not asyl):
            plan.append("integrationskurs")
        elif german in (None, "A1", "A2"):
            plan.append(rng.choice(["einstiegskurs", "sprachkurs_bruecke"]))
        else:
            plan.append("deufoev")
        if asyl and self.chance(0.35) and start >= _dt.date(2016, 8, 6):
            plan.append("fim")
        if self.chance(0.5):
            plan.append(rng.choice(["kompas", "kompetenzfeststellung", "anerkennungsberatung"]
                                   + ([] if u25 else ["perf"])))
        if self.chance(0.35):
            plan.append(rng.choice(["eq", "asa", "bewerbungscoaching"] if u25 else ["bewerbungscoaching", "agh"]))
        day = start
        end = self.ref if c.status == "dormant" else c.end
        for cat in plan:
            if day > end:
                break
            after = self.measure(c, cat, day)
            if cat in ("integrationskurs", "alphakurs") and after is None:
                # the language course runs or is awaited; what follows waits for it, but counselling runs alongside
                day = day + DAY * rng.randint(20, 60)
            else:
                day = (after or day) + DAY * rng.randint(7, 40)

    def measure(self, c: _Case, cat: str, proposed: _dt.date) -> _dt.date | None:
        """One measure from proposal to its end as far as the case got; returns its end date, if any.

        A case still open on the reference day has not left the Integration Point: the measures whose start or
        end is the planned exit (resources/transitions.json, "after the integration course", "at the start of
        job-related German") have not started or ended yet, so every open case's planned exit lies ahead."""
        rng = self.rng
        exit_on = self.exits.get(cat) if c.status in ("new", "active") else None
        item = self.cw(None).catalogue.get(cat)
        if item is None:
            raise ValueError(f"the demo plans a measure {cat!r} that is not in the catalogue")
        kind = {"language": "language", "work": "work", "qualification": "qualification",
                "counselling": "counselling", "training": "training"}.get(item.kind, "language")
        provider = rng.choice(self.t["providers"][kind])
        cw = self.cw(c.row["staff"])
        cid = c.row["id"]
        end = self.ref if c.status == "dormant" else c.end  # the provider reports while the IP has no contact
        mid = cw.measures.add(cid, cat, status="proposed", date=_iso(proposed))
        c.measures.append(mid)
        registered = proposed + DAY * rng.randint(0, 14)
        if registered > end:
            return None
        if self.chance(0.06):  # the client decided otherwise
            cw.measures.set_status(mid, "cancelled", _iso(registered), notes="Klient/in hat sich anders entschieden")
            if cat == "integrationskurs" and registered + 7 * DAY <= end:  # proposed again later
                cw.measures.set_status(mid, "proposed", _iso(registered + 7 * DAY))
            return registered
        lo, hi = item.wait_weeks
        wait_days = rng.randint(lo * 7, hi * 7)
        if self.chance(0.1):  # the course did not start in time
            wait_days = int(wait_days * rng.uniform(1.1, 1.6))
        if exit_on == "start_date" and self.workday(registered + DAY * wait_days) <= end:
            # its start would be the exit of a case still open: registered recently enough to be waiting still
            registered = max(registered, end - DAY * rng.randint(0, max(wait_days - 1, 0)))
        cw.measures.set_status(mid, "registered", _iso(registered), provider=provider)
        waiting = registered + DAY * rng.randint(1, 7)
        if item.kind == "language" and wait_days > 21 and waiting <= end:
            cw.measures.set_status(mid, "waiting", _iso(waiting))
        started = self.workday(registered + DAY * wait_days)
        if started > end:
            return None
        cw.measures.set_status(mid, "started", _iso(started))
        if cat == "integrationskurs" and self.chance(0.25):  # consent for the provider, asked at the start
            cw.consent.record(cid, "PROVIDER", "given", _iso(started), provider_name=provider)
        finish = add_months(started, item.duration_months) + DAY * rng.randint(-5, 10)
        if self.chance(0.12):  # interrupted (illness, a child, a move), sometimes resumed
            pause = self.between(started + 14 * DAY, finish - DAY)
            if pause > end:
                return None
            cw.measures.set_status(mid, "interrupted", _iso(pause), notes="Krankheit")
            resume = pause + DAY * rng.randint(14, 60)
            if self.chance(0.5) or resume > end:
                if resume <= end and exit_on != "end_date":
                    cw.measures.set_status(mid, "completed", _iso(resume), notes="nicht wieder aufgenommen")
                    return resume
                return None
            cw.measures.set_status(mid, "started", _iso(resume))
            finish = finish + (resume - pause)
        if finish > end or exit_on == "end_date":  # the course runs on: its end would be the case's exit
            return None
        cw.measures.set_status(mid, "completed", _iso(finish))
        return finish

    # -- appointments, conferences, notes ------------------------------------------
    def appointments(self, c: _Case) -> None:
        rng = self.rng
        purposes = self.t["appointment_purposes"]
        town = self.office_town(c)
        day = c.opened + DAY * rng.randint(10, 25)
        last = c.end
        while (day := self.workday(day)) <= last and day < self.ref:
            self.appointment(c, day, self.weighted(purposes), town, past=True)
            day += DAY * rng.randint(21, 56)
        if c.status == "dormant":
            self.appointment(c, self.workday(self.between(c.end, min(self.ref - DAY, c.end + 30 * DAY))),
                             "Beratungsgespräch", town, past=True, outcome="missed")
        if c.status in ("new", "active"):
            ahead = self.workday(self.ref + DAY * rng.randint(1, 28))
            self.appointment(c, ahead, self.weighted(purposes), town, past=False)
            if self.chance(0.3):
                self.appointment(c, self.workday(ahead + DAY * rng.randint(14, 40)), self.weighted(purposes),
                                     town, past=False)

    def appointment(self, c: _Case, day: _dt.date, purpose: str, town: str, *, past: bool,
                    outcome: str | None = None) -> None:
        rng = self.rng
        if past and day >= self.ref:
            day = self.ref - DAY
        starts = f"{_iso(day)}T{rng.choice(SLOTS)}"
        taken = self.starts.setdefault(c.row["id"], set())
        while starts in taken:  # one appointment per time and case
            starts = f"{_iso(day)}T{rng.choice(SLOTS)}"
        taken.add(starts)
        staff = c.row["staff"]
        cw = self.cw(staff)
        cw.repo.today = day if past else self.ref  # planned at the latest on its day, then its outcome recorded
        try:
            aid = cw.appointments.plan(
                c.row["id"], starts, purpose, office=c.office,
                place=f"{rng.choice(self.t['rooms'])}, {town}", directions=rng.choice(self.t["directions"]),
                interpreter_language=c.person.get("interpreter_language") or "", staff=self.staff[staff]["name"])
            if past:
                outcome = outcome or self.weighted([("kept", 78), ("missed", 14), ("cancelled", 8)])
                note = {"missed": "ohne Absage", "cancelled": "vom Klienten abgesagt"}.get(outcome, "")
                cw.appointments.set_outcome(aid, outcome, note if self.chance(0.5) else "")
        finally:
            cw.repo.today = self.ref

    def conferences(self, c: _Case) -> None:
        rng, t = self.rng, self.t
        if c.p2 is None or (c.end - c.p2).days < 30 or not self.chance(0.3):
            return
        for n in range(2 if self.chance(0.15) else 1):
            lo = c.p2 + DAY * (14 + n * 90)
            if lo > c.end:
                return
            day = self.workday(self.between(lo, min(c.end, lo + 120 * DAY)))
            if day > c.end:
                return
            own = self.staff[c.row["staff"]]["agency"]
            agencies = sorted({own, "KI", *rng.sample(["AA", "JC", "SOZ", "ABH"], rng.randint(0, 2))})
            participants = [self.staff[s]["name"] for s in c.authors if s in self.staff]
            proposals = [{"agency": a, "text": rng.choice(t["proposals"][a])}
                         for a in agencies if a in t["proposals"] and self.chance(0.8)][:3]
            self.cw(self.ki[0] if self.ki[0] else c.row["staff"]).conferences.hold(
                c.row["id"], date=_iso(day), agencies=agencies, participants=participants, proposals=proposals,
                focus=rng.choice(t["focus"]), next_steps=rng.choice(t["next_steps"]))

    def notes(self, c: _Case) -> None:
        rng, t = self.rng, self.t
        for _i in range(rng.randint(0, 3)):
            day = self.between(c.opened, c.end)
            self.cw(rng.choice(c.authors)).chronicle.add_note(c.row["id"], rng.choice(t["notes"]), _iso(day))
        cw = self.cw(c.row["staff"])
        if c.status == "closed":
            cw.chronicle.add_note(c.row["id"], rng.choice(t["closing_notes"]), _iso(c.end))
        elif c.status == "dormant":
            cw.chronicle.add_note(c.row["id"], rng.choice(t["dormant_notes"]),
                                  _iso(min(self.ref, self.between(c.end + 30 * DAY, min(self.ref, c.end + 90 * DAY)))))

    def flags(self) -> None:
        """A few Dublin cases among recent arrivals, vulnerable persons, a hardship case."""
        rng, texts = self.rng, self.t["flag_texts"]
        open_cases = [c for c in self.cases if c.status in ("new", "active") and c.intake_id]
        recent = [c for c in open_cases if c.story.get("status") == "gestattung"]
        for c in rng.sample(recent, min(3, len(recent))):
            day = self.between(c.opened, self.ref)
            self.cw(c.row["staff"]).chronicle.set_flag(c.row["id"], "dublin", _iso(day), texts["dublin"])
        cleared = [c for c in recent if c.opened + 60 * DAY < self.ref]
        for c in rng.sample(cleared, min(1, len(cleared))):
            cw = self.cw(c.row["staff"])
            if "dublin" in cw.chronicle.flags(c.row["id"]):
                continue
            cw.chronicle.set_flag(c.row["id"], "dublin", _iso(c.opened + 7 * DAY), texts["dublin"])
            cw.chronicle.clear_flag(c.row["id"], "dublin", _iso(c.opened + 50 * DAY), "Deutschland ist zuständig")
        mothers = [c for c in open_cases if c.person["sex"] == "f" and c.person["relation"] == "head"]
        for c in rng.sample(mothers, min(4, len(mothers))):
            self.cw(c.row["staff"]).chronicle.set_flag(c.row["id"], "vulnerable",
                                                      _iso(self.between(c.opened, self.ref)), texts["vulnerable"])
        tolerated = [c for c in open_cases if c.story.get("status") == "duldung"]
        for c in rng.sample(tolerated, min(1, len(tolerated))):
            self.cw(c.row["staff"]).chronicle.set_flag(c.row["id"], "hardship",
                                                      _iso(self.between(c.opened, self.ref)), texts["hardship"])

    # -- conflicts from the central office's laptop ----------------------------------
    def conflicts(self) -> None:
        """Edits made here and, unseen, at the central office: the one merge keeps both as open conflicts."""
        from .replica.changelog import Change
        from .replica.clock import Stamp
        from .replica.merge import merge  # the one merge implementation; the demo plays the hub

        rng, t = self.rng, self.t["conflicts"]
        candidates = [c for c in self.cases if c.status == "active" and c.intake_id and c.measures]
        if not candidates:
            return
        picks = rng.sample(candidates, min(N_CONFLICTS, len(candidates)))
        remote_staff = self.ki[-1]
        changes = []

        def concurrent(repo, entity, entity_id, field, local_value, remote_value, root):
            before = repo.log.stamp(entity_id, field)
            repo.save(entity, {field: local_value}, entity_id)
            # made "at the same moment" at the central office; one tick later, so the same side wins every run
            local = Stamp.parse(repo.log.stamp(entity_id, field))
            stamp = str(Stamp(local.millis, local.counter + 1, REMOTE_DEVICE_ID))
            changes.append(Change(stamp, entity, entity_id, field, remote_value, before,
                                  REMOTE_DEVICE_ID, remote_staff, root))

        edits = ["address", "phone", "provider", "status", "resource"]
        for c, what in zip(picks, edits, strict=False):  # fewer picks in a small demo
            repo = self.repo(c.row["staff"])
            hh = c.row["household_id"]
            town = self.office_town(c)
            postcode = c.household["address"].rsplit(",", 1)[-1].strip().split()[0]
            if what == "address":
                a, b = rng.sample(t["address"], 2)
                concurrent(repo, "household", hh, "address", f"{a}, {postcode} {town}", f"{b}, {postcode} {town}", hh)
            elif what == "phone":
                a, b = rng.sample(t["phone"], 2)
                concurrent(repo, "person", c.person["id"], "phone", a, b, hh)
            elif what == "provider":
                a, b = rng.sample(t["provider"], 2)
                concurrent(repo, "measure", c.measures[0], "provider", a, b, hh)
            elif what == "status":
                concurrent(repo, "case", c.row["id"], "status", "dormant", "active", hh)
            else:
                entries = repo.find("resource_entry", case_id=c.row["id"])
                if not entries:
                    continue
                e = entries[0]
                concurrent(repo, "resource_entry", e["id"], "text", e["text"] + " (bestätigt)",
                           e["text"] + " – laut Träger", hh)
        result = merge(self.store.conn, changes, clock_for(self.store))
        self.n_conflicts = result.conflicts

    # -- what was written -----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for name in ("staff", "household", "person", "case", "consent", "form_response", "answer", "resource_entry",
                     "goal", "measure", "conference", "appointment", "event"):
            out[name] = self.store.conn.execute(
                f'SELECT count(*) FROM "{name}" WHERE coalesce(deleted, 0) = 0').fetchone()[0]
        out["rechtskreiswechsel"] = self.n_wechsel
        out["conflicts"] = self.n_conflicts
        return out
