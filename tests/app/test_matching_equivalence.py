"""The fast matching (facts first, sentences when read) ranks and explains exactly as the straightforward one
did (tests/app/matching_reference.py): the same order, eligibility, score, reasons and missing items."""

import datetime as dt
import random

import pytest

import i18n
from app import matching
from app.matching import Context, Experience, Profile
from app.rules import default_rules
from tests.app import matching_reference as reference

TOWNS = ["AHL", "BEC", "BEE", "DRE", "ENN", "EVE", "OEL", "OST", "SAS", "SEN", "TEL", "WAD", "WAF", "ZIP", "XXX",
         None]
CODES = ["33212", "33213", "33222", "33302", "51311", "51312", "29301", "82101", "25212", "62102", "54101", None]
LEVELS = [None, "", "A1", "A2", "B1", "B2", "C1", "C2"]


def profiles(n: int, seed: int) -> dict[str, Profile]:
    rng = random.Random(seed)
    out = {}
    for i in range(n):
        langs = {}
        german = rng.choice(LEVELS)
        if german is not None:
            langs["de"] = german
        for code in ("en", "fr", "ar"):
            if rng.random() < 0.3:
                langs[code] = rng.choice(LEVELS[2:])
        exp = [Experience(rng.choice(CODES), rng.choice(["Maler", "Lager", "Koch", "Pflege"]), rng.randint(0, 15),
                          rng.random() < 0.4) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        consents = {(a, None) for a in ("AA", "JC") if rng.random() < 0.8}
        p = Profile(f"c{i}", f"{rng.choice(['AHL', 'BEC'])}-26-{rng.randint(0, 99999):05d}", f"h{i}",
                    f"Person {i}", rng.choice(TOWNS), "active", languages=langs,
                    driving_licence=rng.choice(["none", "foreign", "valid_de", None]), experience=exp,
                    wish=rng.choice(["work", "training", None]), wish_code=rng.choice(CODES),
                    wish_text=rng.choice(["Maler", "Koch"]),
                    available_from=rng.choice([None, "2026-05-01", "2026-08-15", "2027-01-01"]),
                    childcare_needed=rng.random() < 0.2,
                    residence_status=rng.choice(["erlaubnis", "gestattung", "duldung", None, "other"]),
                    entry_date=rng.choice([None, "2025-01-01", "2026-03-15", "2026-05-20", "2024-11-30"]),
                    consents=consents, profiled=rng.random() < 0.85)
        out[p.case_id] = p
    return out


OFFERS = [
    {"id": "o1", "kind": "job", "occupation": "33212", "german_level": "B1", "driving_licence": "B",
     "work_permit_needed": True, "hours": 38, "start_date": "2026-07-01", "town": "BEC", "max_travel_minutes": 45},
    {"id": "o2", "kind": "apprenticeship", "occupation": "51311", "german_level": "A2", "driving_licence": None,
     "work_permit_needed": True, "hours": 20, "town": "OEL", "max_travel_minutes": None,
     "languages": [{"code": "en", "level": "B1"}, {"code": "ar", "level": "C1"}]},
    {"id": "o3", "kind": "eq", "occupation": None, "german_level": None, "work_permit_needed": False, "hours": None,
     "start_date": "2026-09-01", "town": "AHL", "max_travel_minutes": 30},
    {"id": "o4", "kind": "internship", "occupation": "33302", "german_level": "C1", "driving_licence": "C",
     "work_permit_needed": True, "hours": 40, "town": "XXX", "max_travel_minutes": 60,
     "languages": [{"code": "fr", "level": "A1"}]},
]


def explained(matches) -> list[tuple]:
    return [(m.case_id, m.eligible, m.score, m.reasons, m.missing) for m in matches]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("offer", OFFERS, ids=[o["id"] for o in OFFERS])
def test_fast_matching_ranks_and_explains_as_before(offer, lang):
    i18n.set_language(lang)
    people = profiles(3000, seed=len(offer["id"]) + ord(offer["id"][-1]))
    for today in (dt.date(2026, 6, 1), dt.date(2026, 9, 1)):
        ctx = Context.make(default_rules(), today)
        fast = matching.candidates(offer, people, ctx)
        before = reference.candidates(offer, people, Context.make(default_rules(), today))
        assert explained(fast) == before
        assert all(m.n_missing == len(m.missing) for m in fast)
        assert sum(m.eligible for m in fast) > 0 and sum(not m.eligible for m in fast) > 0


def test_one_profile_against_the_offers_as_before():
    people = profiles(200, seed=7)
    ctx = Context.make(default_rules(), dt.date(2026, 6, 1))
    for p in people.values():
        fast = matching.offers_for(p, OFFERS, ctx)
        before = sorted((reference.evaluate(o, p, ctx) for o in OFFERS), key=lambda m: (not m[1], -m[2], len(m[4])))
        assert [(m.eligible, m.score, m.reasons, m.missing) for m in fast] == [m[1:5] for m in before]
