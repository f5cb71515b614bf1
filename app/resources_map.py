"""The Ressourcenkarte: entries in four fields, added over time by anyone.

Each entry is a `resource_entry` with quadrant (persönlich, sozial, materiell,
infrastrukturell), text, source (who said or showed it), author and date.
Entries belong to a case; the household view shows the entries of all its
cases. `snapshot` freezes the map as it is for a case conference.
"""

from __future__ import annotations

from i18n import N_, _

from .checks import ValidationError, check_date, require
from .chronicle import case_row, creation_order, today_iso
from .schema import QUADRANTS

QUADRANT_LABELS = {
    "persoenlich": N_("Personal"), "sozial": N_("Social"),
    "materiell": N_("Material"), "infrastrukturell": N_("Infrastructural"),
}


class ResourceMap:
    def __init__(self, repo):
        self.repo = repo

    def add(self, case_id: str, quadrant: str, text: str, source: str = "", date: str | None = None) -> str:
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if quadrant not in QUADRANTS:
            errors["quadrant"] = _("Please choose one of the four fields.")
        require(errors, "text", (text or "").strip())
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        values = {"household_id": case["household_id"], "case_id": case_id, "quadrant": quadrant,
                  "text": text.strip(), "source": (source or "").strip() or None,
                  "author": self.repo.staff_id, "date": date or today_iso()}
        return self.repo.save("resource_entry", {k: v for k, v in values.items() if v is not None})

    def update(self, entry_id: str, text: str, source: str | None = None) -> None:
        errors: dict[str, str] = {}
        require(errors, "text", (text or "").strip())
        if errors:
            raise ValidationError(errors)
        values: dict[str, str | None] = {"text": text.strip()}
        if source is not None:
            values["source"] = source.strip() or None
        self.repo.save("resource_entry", values, entry_id)

    def remove(self, entry_id: str) -> None:
        self.repo.delete("resource_entry", entry_id)

    def entries(self, case_id: str) -> list[dict]:
        rows = self.repo.find("resource_entry", case_id=case_id)
        order = creation_order(self.repo, [r["id"] for r in rows], "quadrant")
        return sorted(rows, key=lambda r: (r.get("date") or "", order[r["id"]]))

    def household_entries(self, household_id: str) -> list[dict]:
        rows = self.repo.find("resource_entry", household_id=household_id)
        order = creation_order(self.repo, [r["id"] for r in rows], "quadrant")
        return sorted(rows, key=lambda r: (r.get("date") or "", order[r["id"]]))

    def by_quadrant(self, case_id: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {q: [] for q in QUADRANTS}
        for e in self.entries(case_id):
            out[e["quadrant"]].append(e)
        return out

    def snapshot(self, case_id: str) -> list[dict]:
        """The map as it is now, as plain data to keep in a conference."""
        return [{k: e.get(k) for k in ("id", "quadrant", "text", "source", "author", "date")}
                for e in self.entries(case_id)]
