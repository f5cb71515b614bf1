"""Kollegiale Fallberatung: a case conference with the resource map as it was then.

A conference records its date, the participating agencies and people, the
differing proposals of the agencies, the agreed focus (Allgemeine
Aufmerksamkeitsrichtung) and next steps, plus a frozen copy of the resource
map. The agreed focus also becomes the case's current focus (app.goals).
"""

from __future__ import annotations

from collections.abc import Sequence

from i18n import N_, _

from .checks import ValidationError, check_date, require
from .chronicle import Chronicle, case_row, items, message, today_iso
from .goals import Goals
from .resources_map import ResourceMap
from .schema import AGENCIES


class Conferences:
    def __init__(self, repo, resources: ResourceMap, goals: Goals, chronicle: Chronicle):
        self.repo = repo
        self.resources = resources
        self.goals = goals
        self.chronicle = chronicle

    def hold(self, case_id: str, *, date: str | None = None, agencies: Sequence[str] = (),
             participants: Sequence[str] = (), proposals: Sequence[dict] = (), focus: str = "",
             next_steps: str = "") -> str:
        """Record a conference; `proposals` are [{"agency": "AA", "text": "..."}]."""
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        check_date(errors, "date", date)
        if not agencies:
            errors["agencies"] = _("Please name at least one participating agency.")
        elif any(a not in AGENCIES for a in agencies):
            errors["agencies"] = _("Unknown agency.")
        for p in proposals:
            if p.get("agency") not in AGENCIES or not (p.get("text") or "").strip():
                errors["proposals"] = _("Every proposal needs an agency and a text.")
        require(errors, "focus", (focus or "").strip())
        if errors:
            raise ValidationError(errors)
        date = date or today_iso()
        values = {"household_id": case["household_id"], "case_id": case_id, "date": date,
                  "agencies": list(agencies), "participants": [p.strip() for p in participants if p.strip()],
                  "resource_snapshot": self.resources.snapshot(case_id),
                  "proposals": [{"agency": p["agency"], "text": p["text"].strip()} for p in proposals],
                  "focus": focus.strip(), "next_steps": (next_steps or "").strip() or None}
        with self.repo.transaction():
            cid = self.repo.save("conference", {k: v for k, v in values.items() if v is not None})
            self.chronicle.record(case_id, "conference", message(
                N_("Case conference ({agencies}); focus: {focus}"), agencies=items(agencies), focus=focus.strip()),
                date, ref_entity="conference", ref_id=cid)
            self.goals.add(case_id, "focus", focus.strip(), date=date)
        return cid

    def for_case(self, case_id: str) -> list[dict]:
        return sorted(self.repo.find("conference", case_id=case_id), key=lambda r: (r.get("date") or "", r["id"]))
