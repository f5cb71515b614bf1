"""Demo: cases of earlier years deleted under the retention rules (and one on request), so the
statistics of the demo store show the anonymised remainders that still count (app.retention).

Deterministic by seed; dates relative to the demo's reference day. Only the coarse facts an
`anonymised_case` keeps are written: office, sex, year and month of birth, nationality,
postcode prefix, Rechtskreis, status, months opened and closed, basis, month of deletion.
"""

from __future__ import annotations

import datetime as _dt
import random
import uuid

from .repository import Repository

OFFICES = {"AHL": "592", "BEC": "592", "OEL": "593", "WAF": "482", "TEL": "482", "SAS": "484"}
NATIONALITIES = ("SYR", "IRQ", "AFG", "ERI", "IRN", "UKR", "SOM")


def fill(store, seed: int, reference: _dt.date, count: int = 14) -> int:
    """Write `count` anonymised remainders; returns how many."""
    rnd = random.Random(f"retention-{seed}")
    repo = Repository(store)
    with repo.transaction():
        for i in range(count):
            office = rnd.choice(sorted(OFFICES))
            closed = reference.replace(day=1) - _dt.timedelta(days=rnd.randint(3 * 365 + 40, 6 * 365))
            opened = closed - _dt.timedelta(days=rnd.randint(120, 360))
            erasure = i == count - 1
            entity_id = uuid.UUID(int=rnd.getrandbits(128), version=4).hex  # seeded, like the demo's ids
            repo.save("anonymised_case", {
                "office": office, "sex": rnd.choice(("f", "m")),
                "birth_month": f"{rnd.randint(1960, 2004)}-{rnd.randint(1, 12):02d}",
                "nationality": rnd.choice(NATIONALITIES), "postcode_prefix": OFFICES[office],
                "rechtskreis": rnd.choice(("SGB II", "SGB III", "AsylbLG")),
                "status": "active" if erasure else "closed",
                "opened_month": opened.isoformat()[:7], "closed_month": None if erasure else closed.isoformat()[:7],
                "basis": "erasure" if erasure else "retention", "deleted_month": reference.isoformat()[:7]},
                entity_id=entity_id)
    return count
