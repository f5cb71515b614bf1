"""Wille and strategy: the client's will in their own words, the agreed focus, goals.

Kinds: `wille` (what the client wants and already acts on), `focus` (the
agreed Allgemeine Aufmerksamkeitsrichtung, usually from a case conference) and
`goal` (with a target date). Entries are never overwritten by a new one: the
current will or focus is the latest, earlier ones stay as history.
"""

from __future__ import annotations

from i18n import N_, _

from .checks import ValidationError, check_date, require
from .chronicle import Chronicle, case_row, creation_order, joined, term, today_iso
from .schema import GOAL_KINDS

KIND_LABELS = {"wille": N_("Will (in the client's words)"), "focus": N_("Current focus"), "goal": N_("Goal")}


class Goals:
    def __init__(self, repo, chronicle: Chronicle):
        self.repo = repo
        self.chronicle = chronicle

    def add(self, case_id: str, kind: str, text: str, target_date: str | None = None,
            date: str | None = None) -> str:
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if kind not in GOAL_KINDS:
            errors["kind"] = _("Unknown kind.")
        require(errors, "text", (text or "").strip())
        check_date(errors, "target_date", target_date)
        check_date(errors, "date", date)
        if not errors and target_date and target_date < (date or today_iso()):
            errors["target_date"] = _("The target date lies before the date of the entry.")
        if errors:
            raise ValidationError(errors)
        values = {"household_id": case["household_id"], "case_id": case_id, "kind": kind, "text": text.strip(),
                  "target_date": target_date or None, "author": self.repo.staff_id, "date": date or today_iso()}
        with self.repo.transaction():
            gid = self.repo.save("goal", {k: v for k, v in values.items() if v is not None})
            self.chronicle.record(case_id, "goal", joined(term(KIND_LABELS[kind]), text.strip(), sep=": "),
                                  values["date"],
                                  ref_entity="goal", ref_id=gid)
        return gid

    def all(self, case_id: str) -> list[dict]:
        rows = self.repo.find("goal", case_id=case_id)
        order = creation_order(self.repo, [r["id"] for r in rows], "kind")
        return sorted(rows, key=lambda r: (r.get("date") or "", order[r["id"]]))

    def current(self, case_id: str, kind: str) -> dict | None:
        rows = [g for g in self.all(case_id) if g["kind"] == kind]
        return rows[-1] if rows else None

    def open_goals(self, case_id: str) -> list[dict]:
        return [g for g in self.all(case_id) if g["kind"] == "goal"]
