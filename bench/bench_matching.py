"""Matching one offer against 20,000 profiles (target <= 200 ms), profiles already loaded (app.matching).

Run: PYTHONPATH=. .venv/bin/python bench/bench_matching.py [N] [--reference]
Prints the best of 5 in wall time and in CPU time of this process (the machine is shared: CPU time is the
steadier number), and with --reference the same for the straightforward matching of before the speed-up
(tests/app/matching_reference.py). Loading the profiles from the store (load_profiles) is not measured here.
"""

import datetime as dt
import os
import random
import sys
import time

from app.matching import Context, Experience, Profile, candidates
from app.rules import default_rules

args = [a for a in sys.argv[1:] if not a.startswith("--")]
N = int(args[0]) if args else 20000
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


def measure(match, runs: int = 5):
    wall = cpu = 1e9
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        out = match(offer, profiles, ctx)
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall * 1000, cpu * 1000, out


print(f"load average at start: {os.getloadavg()[0]:.1f}")
wall, cpu, out = measure(candidates)
eligible = sum(m.eligible for m in out)
print(f"match one offer against {N} profiles: {wall:.0f} ms wall, {cpu:.0f} ms CPU (best of 5), {eligible} eligible")
if "--reference" in sys.argv:
    from tests.app.matching_reference import candidates as before

    wall0, cpu0, out0 = measure(before, 3)
    same = [(m.case_id, m.eligible, m.score, m.reasons, m.missing) for m in out] == out0
    print(f"before the speed-up: {wall0:.0f} ms wall, {cpu0:.0f} ms CPU (best of 3); "
          f"{wall0 / wall:.1f}x wall, {cpu0 / cpu:.1f}x CPU; same ranking and sentences: {same}")
