"""Fictional demo data, deterministic by seed, as an interchange document.

`generate(households=200, seed=DEFAULT_SEED)` returns a dict that
`app.interchange.import_document` loads: staff of every office, households
across the 13 field offices (none at the central office ZIP), their members
and one case per member of working age. `generate(persons=50_000)` builds
exactly that many persons (the benchmarks use it).

Everything is invented. Names are combined at random from the pools in
`resources/demo_names.json`, each with its original script (Arabic, Persian,
Sorani, Ge'ez, Cyrillic, Kurmanji/Turkish/Somali Latin) and the Latin
spelling a German register would hold. The Latin spelling varies between
households (Mohammed / Muhammad / Mohamad, Al-Hassan / Alhasan), and a few
persons are registered a second time in another office with other spellings
and a vaguer birth date, so that duplicate detection has material.

Decisions:
* A case is opened for every person aged 15 to 66 at the reference date
  (working age: SGB II counts people as able to work from 15, § 7 SGB II,
  until the pension age); children and older relatives are household members
  without a case.
* Dates are relative to a reference date, never to the clock: by default the
  fixed REFERENCE_DATE (2026-10-01, `reference_date` in demo_names.json), so a
  seed gives the same document on every day and machine. `sprechstunde demo`
  and the app's demo store pass the day they run (`--date` to choose), because
  the due list is computed for the day the app runs.
* A case is opened within eight months of arrival, or, for 45 % of those here
  over two years, in the last 14 months (people come to the IP later). The IP
  keeps a client for at most 12 months, so cases opened more than a year ago
  are closed (of those opened 12 to 13 months ago a few are still active, the
  12 months just passed, or dormant). No household is
  still under the AsylbLG after 2.75 years (the § 2 AsylbLG waiting period).
* `fill(store)` adds a year of case work through the services: see
  app.demo_casework.
* Ids are UUIDs drawn from the seeded generator; case numbers come from
  app.casenumber with the fixed DEMO_DEVICE_ID.
* Case `staff` holds the id of a demo staff member of the case's office and
  agency (AsylbLG: Sozialamt, SGB II: Jobcenter, SGB III: Agentur für Arbeit).
* Language codes are ISO 639-1 where one exists, else ISO 639-3 (prs Dari,
  ckb Sorani, sus Susu); Kurmanji is `ku`.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import demo_casework, demo_courses, demo_employers, demo_hours, demo_retention
from .demo_access import demo_role
from .casenumber import format_case_number
from .checks import add_months
from .interchange import FORMAT, VERSION
from .rules import RuleSet, default_rules

DATA_FILE = Path(__file__).resolve().parent.parent / "resources" / "demo_names.json"
DEFAULT_SEED = 2016
DEFAULT_HOUSEHOLDS = 200
DEMO_DEVICE_ID = "d3e0c0de00000001"
CASE_MIN_AGE = 15
CASE_MAX_AGE = 66
GERMAN_LEVELS = ("A1", "A2", "B1", "B2", "C1")
AGENCY_FOR = {"AsylbLG": "SOZ", "SGB II": "JC", "SGB III": "AA"}
ASYLBLG_MAX_YEARS = 2.75  # no household is still under the AsylbLG near the end of the 36 months (§ 2 AsylbLG)
LATE_CASE_SHARE = 0.45  # of persons here for over two years, whose case was opened only in the last 14 months
_CHILDREN = [(1, 20), (2, 30), (3, 25), (4, 15), (5, 7), (6, 3)]


@lru_cache(maxsize=1)
def load_pools() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text("utf-8"))


def reference_date() -> _dt.date:
    return _dt.date.fromisoformat(load_pools()["reference_date"])


def generate(households: int | None = DEFAULT_HOUSEHOLDS, seed: int = DEFAULT_SEED, *,
             persons: int | None = None, reference: _dt.date | None = None) -> dict[str, Any]:
    """An interchange document of fictional households.

    With `persons`, households are generated until exactly that many persons
    exist (the last household may be cut short) and `households` is ignored.
    `reference` is the day the demo is "today" (default: REFERENCE_DATE).
    """
    if persons is not None:
        return _Generator(seed, reference).run(households=None, persons=persons)
    if households is None or households < 0:
        raise ValueError("households must be a non-negative number")
    return _Generator(seed, reference).run(households=households, persons=None)


def fill(store, households: int = DEFAULT_HOUSEHOLDS, seed: int = DEFAULT_SEED,
         reference: _dt.date | None = None, moment: _dt.time | None = None) -> dict[str, int]:
    """Write the demo into `store`: the households of `generate` and a year of case work (app.demo_casework).

    `reference` is the demo's "today" (default REFERENCE_DATE); `sprechstunde demo` and the app's demo store
    pass the day they run, so the due list the app computes for today looks like an office's. `moment` is
    the office's clock on that day (app.demo_hours: who has come to the office hour so far).
    Returns counts per kind of record.
    """
    if households is None or households < 0:
        raise ValueError("households must be a non-negative number")
    reference = reference or reference_date()
    if reference > _dt.date.today():  # the forms refuse signatures and dates in the future
        raise ValueError("the reference date must not lie in the future")
    doc = generate(households=households, seed=seed, reference=reference)
    towns = {code: office["town"] for code, office in load_pools()["offices"].items()}
    counts = demo_casework.fill(store, doc, seed, reference, towns)
    counts["anonymised_case"] = demo_retention.fill(store, seed, reference)  # deleted cases still counted
    counts = demo_courses.fill(store, seed, reference, counts)
    counts = {**counts, **demo_hours.fill(store, seed, reference, moment)}  # office hours and their bookings
    return {**counts, **demo_employers.fill(store, seed, reference)}  # employers, offers, placements


def _name(entry: str) -> tuple[str | None, list[str]]:
    """'orig|Latin/variant' -> ('orig', ['Latin', 'variant']); empty orig -> None."""
    orig, latin = entry.split("|", 1)
    return (orig or None), latin.split("/")


class _Name:
    """A pool entry with the Latin variant chosen for one registration."""

    __slots__ = ("entry", "orig", "variants", "latin")

    def __init__(self, entry: str, variant: int):
        self.entry = entry
        self.orig, self.variants = _name(entry)
        self.latin = self.variants[min(variant, len(self.variants) - 1)]

    def respelled(self, rng: random.Random) -> "_Name":
        """The same name as another clerk might have typed it."""
        other = _Name(self.entry, 0)
        choices = [v for v in self.variants if v != self.latin]
        if choices:
            other.latin = rng.choice(choices)
        elif "-" in self.latin:
            other.latin = self.latin.replace("-", "")
        else:
            other.latin = self.latin  # one common spelling only: the clerk wrote the same
        return other


class _Generator:
    def __init__(self, seed: int, reference: _dt.date | None = None):
        self.rng = random.Random(seed)
        self.data = load_pools()
        self.ref = reference or reference_date()
        self._rules: RuleSet | None = None  # loaded when first needed
        self.origins = self.data["origins"]
        self.origin_weights = [o["weight"] for o in self.origins]
        self.offices = list(self.data["offices"])
        self.office_weights = [self.data["offices"][o]["weight"] for o in self.offices]
        self.rows: dict[str, list[dict[str, Any]]] = {"staff": [], "household": [], "person": [], "case": []}
        self.staff: dict[tuple[str, str], str] = {}
        self.case_seq = 0
        self.adults: list[tuple[dict, dict, list[_Name], _Name]] = []

    # -- small helpers ------------------------------------------------------
    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def weighted(self, pairs):
        items = [p[0] for p in pairs]
        weights = [p[1] for p in pairs]
        return self.rng.choices(items, weights)[0]

    def pick_weighted_map(self, mapping: dict[str, float]) -> str:
        return self.weighted(list(mapping.items()))

    def variant(self) -> int:
        """Which Latin spelling a clerk used: the first is the most common."""
        return self.weighted([(0, 6), (1, 3), (2, 2), (3, 1), (4, 1)])

    def date_between(self, start: _dt.date, end: _dt.date) -> _dt.date:
        if end <= start:
            return start
        return start + _dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    # -- the run --------------------------------------------------------------
    def run(self, households: int | None, persons: int | None) -> dict[str, Any]:
        self.make_staff()
        if persons is not None:
            n_dup = min(max(5, persons // 200), persons // 20)
            target = persons - n_dup
            while len(self.rows["person"]) < target:
                self.make_household(limit=target - len(self.rows["person"]))
        elif households is None:
            raise ValueError("the demo needs a number of households or of persons")
        else:
            n_dup = max(5, households // 40) if households >= 20 else 0
            for _ in range(households):
                self.make_household()
        self.make_duplicates(n_dup)
        entities = {}
        for name, rows in self.rows.items():
            if rows:
                entities[name] = sorted(rows, key=lambda r: r["id"])
        return {"format": FORMAT, "version": VERSION, "entities": entities}

    def make_staff(self) -> None:
        given, family = self.data["staff_given"], self.data["staff_family"]
        logins = set()
        plan = [("ZIP", "KI"), ("ZIP", "KI")]
        plan += [(office, agency) for office in self.offices for agency in ("SOZ", "JC", "AA")]
        for index, (office, agency) in enumerate(plan):
            name = f"{self.rng.choice(given)} {self.rng.choice(family)}"
            login = base = "demo." + name.split()[0][0].lower() + name.split()[-1].lower().replace("ö", "oe").replace("ü", "ue")
            n = 1
            while login in logins:
                n += 1
                login = f"{base}{n}"
            logins.add(login)
            staff_id = self.new_id()
            self.staff.setdefault((office, agency), staff_id)
            self.rows["staff"].append({"id": staff_id, "name": name, "login": login, "agency": agency, "office": office,
                                       "role": demo_role(office, agency, index)})

    # -- households -----------------------------------------------------------
    def make_household(self, limit: int | None = None, office: str | None = None) -> None:
        rng = self.rng
        origin = rng.choices(self.origins, self.origin_weights)[0]
        office = office or rng.choices(self.offices, self.office_weights)[0]
        arrival = self.arrival(origin)
        hh_id = self.new_id()
        years_here = (self.ref - arrival).days / 365.25
        household = {"id": hh_id, "office": office, "arrival_date": arrival.isoformat(),
                     "address": self.address(office), "accommodation": self.accommodation(origin, years_here)}
        members = self.compose(origin, arrival)
        if limit is not None:
            members = members[:limit]
        family_name = _Name(rng.choice(origin_pool(self.data, origin, "family")), self.variant())
        rechtskreis = self.rechtskreis(origin, years_here, arrival)
        self.rows["household"].append(household)
        head = None
        for m in members:
            person = self.person(origin, m, hh_id, family_name, head, arrival)
            if m["relation"] == "head":
                head = person
            self.rows["person"].append(person)
            age = self.ref.year - int(person["birth_date"][:4])
            if CASE_MIN_AGE <= age <= CASE_MAX_AGE:
                rk = rechtskreis if rng.random() > 0.1 else "SGB III"
                self.case(person, office, rk, arrival)
                self.adults.append((person, origin, m["given"], m["family"]))

    def arrival(self, origin: dict) -> _dt.date:
        last = self.ref - _dt.timedelta(days=7)
        years = [(y, w) for y, w in origin["arrival_years"] if y <= last.year] or [(last.year, 1)]
        year = self.weighted(years)  # (an earlier reference day has fewer years to choose from)
        start = _dt.date(year, 1, 1)
        if origin["nationality"] == "UA":
            start = max(start, _dt.date(2022, 3, 1))
        end = min(_dt.date(year, 12, 31), last)
        return min(self.date_between(start, end), last)

    def address(self, office: str) -> str:
        info = self.data["offices"][office]
        street = self.rng.choice(self.data["streets"])
        return f"{street} {self.rng.randint(1, 60)}, {info['postcode']} {info['town']}"

    def accommodation(self, origin: dict, years_here: float) -> str:
        acc = self.data["accommodation"]
        if origin["nationality"] == "UA" and self.rng.random() < 0.4:
            return self.weighted(acc["private"])
        return self.weighted(acc["early"] if years_here < 1.5 else acc["settled"])

    def rechtskreis(self, origin: dict, years_here: float, arrival: _dt.date) -> str:
        if years_here < 1.5 and origin["nationality"] != "UA":
            rk = "AsylbLG"  # asylum procedure still running
        else:
            rk = self.pick_weighted_map(origin["rechtskreis"])
        if rk == "AsylbLG" and (years_here > ASYLBLG_MAX_YEARS or self.waiting_period_passed(arrival)):
            rk = "SGB II"  # those still here after the AsylbLG waiting period have moved on (a permit, work)
        return rk

    def waiting_period_passed(self, arrival: _dt.date) -> bool:
        """Whether the § 2 AsylbLG waiting period in force (15, 18 or 36 months) ended before the reference day."""
        if self._rules is None:
            self._rules = default_rules()
        hints = self._rules.evaluate({"rechtskreis": "AsylbLG", "entry_date": arrival.isoformat()}, self.ref)
        return any(h.rule_id.startswith("asylblg_waiting") and h.state == "overdue" for h in hints)

    def compose(self, origin: dict, arrival: _dt.date) -> list[dict[str, Any]]:
        """Relations, sexes and ages of the members; the head first."""
        rng = self.rng
        shape = self.pick_weighted_map(origin["shapes"])
        ua = origin["nationality"] == "UA"
        if shape == "single":
            return [{"relation": "head", "sex": "m" if rng.random() < 0.8 else "f", "age": rng.randint(18, 38)}]
        head_sex = "f" if shape == "single_parent" else ("f" if ua and rng.random() < 0.3 else "m")
        head_age = rng.randint(24, 52)
        members = [{"relation": "head", "sex": head_sex, "age": head_age}]
        mother_age = head_age
        if shape in ("couple", "family", "extended") and not (ua and shape == "extended" and rng.random() < 0.6):
            spouse_age = max(18, head_age + rng.randint(-8, 2) * (1 if head_sex == "m" else -1))
            members.append({"relation": "spouse", "sex": "f" if head_sex == "m" else "m", "age": spouse_age})
            mother_age = spouse_age if head_sex == "m" else head_age
        if shape != "couple":
            for _ in range(self.weighted(_CHILDREN)):
                max_age = max(0, min(24, mother_age - 17))
                age = rng.randint(0, max_age)
                members.append({"relation": "child", "sex": rng.choice("mf"), "age": age})
        if shape == "extended":
            members.append({"relation": "parent", "sex": "f" if rng.random() < 0.7 else "m",
                            "age": min(88, head_age + rng.randint(22, 32))})
        if shape == "couple" and rng.random() < 0.3:
            members.append({"relation": "sibling", "sex": rng.choice("mf"), "age": max(16, head_age + rng.randint(-10, 5))})
        return members

    # -- persons --------------------------------------------------------------
    def person(self, origin: dict, m: dict, hh_id: str, family_name: _Name, head: dict | None,
               arrival: _dt.date) -> dict[str, Any]:
        rng = self.rng
        sex = m["sex"]
        pool = origin_pool(self.data, origin, "male" if sex == "m" else "female")
        given = [_Name(rng.choice(pool), self.variant())]
        while origin["patronymic"] and head is not None and given[0].entry == head["_given"][0].entry:
            given = [_Name(rng.choice(pool), self.variant())]  # a child is not named after the father
        if origin.get("second_given_name") and rng.random() < origin["second_given_name"]:
            given.append(_Name(rng.choice(origin_pool(self.data, origin, "male")), given[0].variants.index(given[0].latin)))
        family = family_name
        if m["relation"] in ("spouse", "parent") and origin["spouse_keeps_name"]:
            family = _Name(rng.choice(origin_pool(self.data, origin, "family")), self.variant())
        elif origin["patronymic"] and m["relation"] == "child" and head is not None and head["sex"] == "m":
            family = head["_given"][0]  # the father's given name is the child's family name
        birth, born_here = self.birth_date(origin, m["age"], arrival)
        person = {
            "id": self.new_id(), "household_id": hh_id, "relation": m["relation"], "sex": sex,
            "given_names": " ".join(n.latin for n in given), "family_name": family.latin,
            "birth_date": birth, "nationality": origin["nationality"],
            "country_of_origin": origin.get("country_of_origin", origin["nationality"]),
        }
        given_orig = [n.orig for n in given if n.orig]
        if len(given_orig) == len(given) and family.orig:
            person["given_names_orig"] = " ".join(given_orig)
            person["family_name_orig"] = family.orig
        languages, interpreter = self.languages(origin, m["age"], arrival, born_here)
        person["languages"] = languages
        if interpreter:
            person["interpreter_language"] = interpreter
        m["given"], m["family"] = given, family
        if m["relation"] == "head":
            person["_given"] = given
        return person

    def birth_date(self, origin: dict, age: int, arrival: _dt.date) -> tuple[str, bool]:
        """An ISO birth date, possibly partial; born_here when born after arrival."""
        year = self.ref.year - age
        day = self.date_between(_dt.date(year, 1, 1), min(_dt.date(year, 12, 31), self.ref))
        if day > arrival:
            return day.isoformat(), True  # born in Germany: the certificate is exact
        kind = self.pick_weighted_map(origin["birth_precision"])
        if kind == "jan1":
            return f"{year}-01-01", False
        if kind == "year":
            return str(year), False
        if kind == "month":
            return day.isoformat()[:7], False
        return day.isoformat(), False

    def languages(self, origin: dict, age: int, arrival: _dt.date, born_here: bool) -> tuple[list, str | None]:
        rng = self.rng
        native = self.weighted(origin["native"])
        langs = [{"code": native, "level": "native"}]
        if age < 3:
            return langs, None
        years_here = (self.ref - arrival).days / 365.25
        if age < 16:
            level = "C1" if born_here or years_here > 4 else ("B2" if years_here > 2 else "A2")
            langs.append({"code": "de", "level": level})
            return langs, None
        for code, share, levels in origin["extra_languages"]:
            if rng.random() < share and code != native:
                langs.append({"code": code, "level": rng.choice(levels)})
        steps = min(4, int(years_here / 1.5) + rng.randint(-1, 1) - (1 if age > 50 else 0))
        german = GERMAN_LEVELS[steps] if steps >= 0 else None
        if german:
            langs.append({"code": "de", "level": german})
        interpreter = None
        if german is None or german in ("A1", "A2") or (german == "B1" and rng.random() < 0.3):
            choice = self.weighted(origin["interpreter"])
            interpreter = native if choice == "native" else choice
        return langs, interpreter

    # -- cases ----------------------------------------------------------------
    def case(self, person: dict, office: str, rechtskreis: str, arrival: _dt.date) -> None:
        rng = self.rng
        first_day = arrival + _dt.timedelta(days=7)
        if (self.ref - arrival).days > 730 and rng.random() < LATE_CASE_SHARE:
            # came to the Integration Point years after arriving (after school, parental leave, a move)
            opened = self.date_between(max(first_day, self.ref - _dt.timedelta(days=430)), self.ref)
        else:
            opened = self.date_between(first_day, min(self.ref, arrival + _dt.timedelta(days=240)))
        opened = min(opened, self.ref)
        case = {"id": self.new_id(), "household_id": person["household_id"], "person_id": person["id"],
                "office": office, "rechtskreis": rechtskreis, "opened": opened.isoformat(),
                "staff": self.staff[(office, AGENCY_FOR[rechtskreis])]}
        age = (self.ref - opened).days
        if age <= 30:
            case["status"] = "new"
        else:
            # the IP keeps a client for at most 12 months (rule ip_max_12_months): older cases are mostly closed
            weights = ([("active", 80), ("dormant", 12), ("closed", 8)] if age <= 365 else
                       [("active", 12), ("dormant", 20), ("closed", 68)] if age <= 395 else
                       [("closed", 1)])
            case["status"] = self.weighted(weights)
            twelve = add_months(opened, 12)
            if case["status"] == "active" and twelve < self.ref:
                # active past its 12 months: the client left the IP on that day, its planned exit (app.handover's
                # 12-month list), so no open case is past its exit
                case["status"], case["closed"] = "closed", twelve.isoformat()
            elif case["status"] == "closed":
                last = min(self.ref, opened + _dt.timedelta(days=400))
                case["closed"] = self.date_between(min(opened + _dt.timedelta(days=30), last), last).isoformat()
        self.case_seq += 1
        case["case_number"] = format_case_number(office, opened.year, DEMO_DEVICE_ID, self.case_seq)
        self.rows["case"].append(case)

    def make_duplicates(self, n: int) -> None:
        """Register some adults a second time, in another office, spelled differently."""
        for p in self.rows["person"]:
            p.pop("_given", None)
        if not n or not self.adults:
            return
        rng = self.rng
        picks = rng.sample(range(len(self.adults)), min(n, len(self.adults)))
        offices_of = {h["id"]: h["office"] for h in self.rows["household"]}
        for i in sorted(picks):
            person, origin, given, family = self.adults[i]
            office = rng.choice([o for o in self.offices if o != offices_of[person["household_id"]]])
            arrival = _dt.date.fromisoformat(next(
                h["arrival_date"] for h in self.rows["household"] if h["id"] == person["household_id"]))
            arrival = min(arrival + _dt.timedelta(days=rng.randint(0, 60)), self.ref)
            hh_id = self.new_id()
            self.rows["household"].append({
                "id": hh_id, "office": office, "arrival_date": arrival.isoformat(),
                "address": self.address(office), "accommodation": self.weighted(self.data["accommodation"]["early"]),
            })
            dup = {k: v for k, v in person.items() if k not in ("id", "household_id", "relation")}
            dup.update(id=self.new_id(), household_id=hh_id, relation="head")
            new_given = [n.respelled(rng) for n in given]
            dup["given_names"] = " ".join(n.latin for n in new_given)
            dup["family_name"] = family.respelled(rng).latin
            year = person["birth_date"][:4]
            if i % 4 == 3:  # one in four from papers without the day: a placeholder date (weak evidence)
                dup["birth_date"] = f"{year}-01-01" if person["birth_date"] != f"{year}-01-01" else year
            if rng.random() < 0.35:  # registered without the original script
                dup.pop("given_names_orig", None)
                dup.pop("family_name_orig", None)
            self.rows["person"].append(dup)
            rk = "AsylbLG" if (self.ref - arrival).days < 548 else rng.choice(["SGB II", "SGB III"])
            self.case(dup, office, rk, arrival)


def origin_pool(data: dict, origin: dict, kind: str) -> list[str]:
    return data["pools"][origin[kind]]
