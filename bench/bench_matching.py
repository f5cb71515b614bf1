"""Matching one offer against 20,000 profiles (target <= 200 ms), profiles already loaded (app.matching).

Run: PYTHONPATH=. .venv/bin/python bench/bench_matching.py [N]
Loading the profiles from the store (load_profiles) is not measured here yet.
"""

import datetime as dt
import random
import sys
import time

from app.matching import Context, Experience, Profile, candidates
from app.rules import default_rules

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
rng = random.Random(1)
towns = ["AHL", "BEC", "BEE", "DRE", "ENN", "EVE", "OEL", "OST", "SAS", "SEN", "TEL", "WAD", "WAF"]
codes = ["33212", "51311", "51312", "29301", "82101", "25212", "62102", "54101"]
profiles = {}
for i in range(N):
    p = Profile(f"c{i}", f"AHL-26-{i:05d}", f"h{i}", "Test", rng.choice(towns), "active",
                languages={"de": rng.choice(["A1", "A2", "B1", "B2", "C1"])},
                driving_licence=rng.choice(["none", "foreign", "valid_de"]),
                experience=[Experience(rng.choice(codes), "x", rng.randint(0, 15), rng.random() < 0.3)],
                wish=rng.choice(["work", "training"]), wish_code=rng.choice(codes), wish_text="x",
                residence_status=rng.choice(["erlaubnis", "gestattung", "duldung"]), entry_date="2025-01-01",
                consents={("AA", None)} if rng.random() < 0.9 else set(), profiled=True)
    profiles[p.case_id] = p
offer = {"id": "o", "kind": "job", "occupation": "51311", "german_level": "A2", "driving_licence": None,
         "work_permit_needed": True, "hours": 38, "town": "OEL", "max_travel_minutes": 60}
ctx = Context.make(default_rules(), dt.date(2026, 6, 1))
best = 1e9
for _ in range(5):
    t = time.perf_counter()
    out = candidates(offer, profiles, ctx)
    best = min(best, time.perf_counter() - t)
print(f"match one offer against {N} profiles: {best * 1000:.0f} ms (best of 5), "
      f"{sum(m.eligible for m in out)} eligible")
