"""Measures: the catalogue in resources/measures.json and a case's measures with their status.

A case measure moves through proposed -> registered -> waiting -> started ->
interrupted / completed (or cancelled); every status change is dated, checked
against the allowed transitions and written to the chronicle in the same
transaction. The catalogue's typical waiting time gives the expected start.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from i18n import N_, _

from .checks import ValidationError, add_offset, check_date, parse_date
from .chronicle import Chronicle, case_row, creation_order, joined, message, term, today_iso

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "resources" / "measures.json"
STATUS_LABELS = {
    "proposed": N_("proposed"), "registered": N_("registered"), "waiting": N_("waiting list"),
    "started": N_("started"), "interrupted": N_("interrupted"), "completed": N_("completed"),
    "cancelled": N_("cancelled"),
}
TRANSITIONS = {
    "proposed": ("registered", "waiting", "started", "cancelled"),
    "registered": ("waiting", "started", "cancelled"),
    "waiting": ("registered", "started", "cancelled"),
    "started": ("interrupted", "completed"),
    "interrupted": ("started", "completed", "cancelled"),
    "completed": (),
    "cancelled": ("proposed",),
}
INITIAL = ("proposed", "registered", "waiting", "started")
# which date field a status sets
STATUS_DATE = {"proposed": "proposed_on", "registered": "registered_on", "waiting": "registered_on",
               "started": "start_date", "interrupted": "end_date", "completed": "end_date",
               "cancelled": "end_date"}


@dataclass(frozen=True)
class CatalogueItem:
    id: str
    name: str
    phase: str
    kind: str
    legal_basis: str
    wait_weeks: tuple[int, int]
    duration_months: int
    age_group: str
    description: str


class Catalogue:
    def __init__(self, path: Path | str = CATALOGUE_PATH):
        doc = json.loads(Path(path).read_text("utf-8"))
        if doc.get("format") != "sprechstunde-measures":
            raise ValueError(f"{path}: not a measures catalogue")
        self.phases = [(p["id"], p["label"]) for p in doc["phases"]]
        phase_ids = {p for p, _l in self.phases}
        self.items: dict[str, CatalogueItem] = {}
        for i, m in enumerate(doc["measures"]):
            if m["phase"] not in phase_ids:
                raise ValueError(f"{path}: measures[{i}].phase: unknown phase {m['phase']!r}")
            self.items[m["id"]] = CatalogueItem(m["id"], m["name"], m["phase"], m["kind"], m["legal_basis"],
                                                tuple(m["typical_wait_weeks"]), m["duration_months"],
                                                m["age_group"], m["description"])

    def get(self, item_id: str | None) -> CatalogueItem | None:
        """The item, or None for an unknown (or missing) id."""
        return self.items.get(item_id) if item_id is not None else None

    def name(self, item_id: str) -> str:
        item = self.items.get(item_id)
        return _(item.name) if item else item_id

    def term(self, item_id: str):
        """The measure's name for a chronicle message (translated when shown)."""
        item = self.items.get(item_id)
        return term(item.name) if item else item_id

    def by_phase(self) -> list[tuple[str, list[CatalogueItem]]]:
        return [(label, [m for m in self.items.values() if m.phase == pid]) for pid, label in self.phases]


class Measures:
    def __init__(self, repo, catalogue: Catalogue, chronicle: Chronicle):
        self.repo = repo
        self.catalogue = catalogue
        self.chronicle = chronicle

    def add(self, case_id: str, catalogue_id: str, *, status: str = "proposed", date: str | None = None,
            provider: str = "", notes: str = "") -> str:
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if catalogue_id not in self.catalogue.items:
            errors["catalogue_id"] = _("Please choose a measure from the catalogue.")
        if status not in INITIAL:
            errors["status"] = _("A new measure is proposed, registered, on a waiting list or started.")
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        date = date or today_iso()
        values = {"household_id": case["household_id"], "case_id": case_id, "catalogue_id": catalogue_id,
                  "status": status, "proposed_on": date, "provider": provider.strip() or None,
                  "notes": notes.strip() or None}
        values[STATUS_DATE[status]] = date
        with self.repo.transaction():
            mid = self.repo.save("measure", {k: v for k, v in values.items() if v is not None})
            self._event(case_id, mid, catalogue_id, status, date, provider.strip())
        return mid

    def set_status(self, measure_id: str, status: str, date: str | None = None, *,
                   provider: str | None = None, notes: str | None = None) -> None:
        m = self.repo.get("measure", measure_id)
        if m is None or m.get("deleted"):
            raise ValidationError({"measure": _("The measure does not exist.")})
        errors: dict[str, str] = {}
        if status not in TRANSITIONS.get(m["status"], ()):
            errors["status"] = _("A measure that is {old} cannot become {new}.").format(
                old=_(STATUS_LABELS[m["status"]]), new=_(STATUS_LABELS.get(status, status)))
        check_date(errors, "date", date)
        date = date or today_iso()
        if not errors and status in ("interrupted", "completed") and m.get("start_date") and date < m["start_date"]:
            errors["date"] = _("The date lies before the start of the measure.")
        if errors:
            raise ValidationError(errors)
        values: dict[str, str | None] = {"status": status, STATUS_DATE[status]: date}
        if provider is not None:
            values["provider"] = provider.strip() or None
        if notes is not None:
            values["notes"] = notes.strip() or None
        with self.repo.transaction():
            self.repo.save("measure", values, measure_id)
            self._event(m["case_id"], measure_id, m["catalogue_id"], status, date,
                        (provider if provider is not None else m.get("provider")) or "")

    def update(self, measure_id: str, *, provider: str | None = None, notes: str | None = None) -> None:
        values: dict[str, str | None] = {}
        if provider is not None:
            values["provider"] = provider.strip() or None
        if notes is not None:
            values["notes"] = notes.strip() or None
        if values:
            self.repo.save("measure", values, measure_id)

    def _event(self, case_id, mid, catalogue_id, status, date, provider) -> None:
        what = message(N_("{measure}: {status}"), measure=self.catalogue.term(catalogue_id),
                       status=term(STATUS_LABELS[status]))
        if provider:
            what = joined(what, f"({provider})")
        self.chronicle.record(case_id, "measure", what, date, ref_entity="measure", ref_id=mid)

    def for_case(self, case_id: str) -> list[dict]:
        rows = self.repo.find("measure", case_id=case_id)
        order = creation_order(self.repo, [r["id"] for r in rows], "catalogue_id")
        return sorted(rows, key=lambda r: (r.get("proposed_on") or "", order[r["id"]]))

    def expected_start(self, measure: dict) -> dt.date | None:
        """Registration date plus the catalogue's longest typical waiting time (for waiting measures)."""
        item = self.catalogue.get(measure.get("catalogue_id"))
        since = parse_date(measure.get("registered_on") or measure.get("proposed_on"))
        if item is None or since is None or measure.get("status") not in ("proposed", "registered", "waiting"):
            return None
        return add_offset(since, {"weeks": item.wait_weeks[1]})
