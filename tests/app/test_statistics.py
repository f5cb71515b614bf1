"""Counts for the central office from the current state."""

import json
import os
import subprocess
import sys

from app.households import save_household
from app.statistics import statistics
from tests.conftest import PASSPHRASE, ROOT


def test_counts(store, repo):
    save_household(repo, {"office": "AHL"}, [
        {"family_name": "A", "given_names": "x", "nationality": "SY", "case": {"rechtskreis": "AsylbLG"}},
        {"family_name": "A", "given_names": "y", "nationality": "SY", "case": {"rechtskreis": "SGB II"}}])
    save_household(repo, {"office": "OEL"}, [
        {"family_name": "B", "given_names": "z", "nationality": "ER",
         "case": {"rechtskreis": "SGB II", "status": "closed"}}])
    hh = repo.find("household", office="AHL")[0]["id"]
    case = repo.find("case", office="AHL")[0]["id"]
    repo.save("measure", {"household_id": hh, "case_id": case, "catalogue_id": "fim", "status": "started"})
    repo.save("measure", {"household_id": hh, "case_id": case, "catalogue_id": "integrationskurs",
                          "status": "waiting"})
    repo.save("event", {"household_id": hh, "case_id": case, "kind": "work_start", "date": "2026-05-01"})
    repo.save("event", {"household_id": hh, "case_id": case, "kind": "training_start", "date": "2025-08-01"})
    s = statistics(store.conn)
    assert s["cases_total"] == 3
    assert s["open_cases_by_office"] == {"AHL": 2}
    assert s["cases_by_status"] == {"new": 2, "closed": 1}
    assert s["open_cases_by_rechtskreis"] == {"AsylbLG": 1, "SGB II": 1}
    assert s["open_cases_by_nationality"] == {"SY": 2}
    assert s["measures_started"] == 1 and s["measures_waiting"] == 1
    assert s["transitions"] == {"work_start": 1, "training_start": 1}
    assert statistics(store.conn, "2026")["transitions"] == {"work_start": 1}
    store.close()
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": PASSPHRASE}
    r = subprocess.run([sys.executable, "-m", "app", "stats", "--store", str(store.path), "--json"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["open_cases_by_office"] == {"AHL": "< 5"}  # small counts are hidden (docs/statistics.md)
    assert out["cases_total"] == "< 5" and out["tables"]["clients_by_office"]["total"] == "< 5"
