"""Provider feedback on a measure: started, interrupted, dropped out, completed, certificate level reached.

Each report is a chronicle event on the case (kind "measure", `flag` = the
kind of feedback, `ref_id` = the measure), so it shows in the case's
chronicle and can be counted per kind of course; the measure's status
follows (a dropout ends it as cancelled, a certificate keeps the status and
records the level reached).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Callable

from i18n import N_, _

from .checks import ValidationError, check_date, parse_date
from .chronicle import joined, message, term, today_iso
from .measures import STATUS_LABELS
from .schema import CEFR_LEVELS

KINDS = {"started": N_("started"), "interrupted": N_("interrupted"), "dropped_out": N_("dropped out"),
         "completed": N_("completed"), "certificate": N_("certificate level reached")}
STATUS = {"started": "started", "interrupted": "interrupted", "dropped_out": "cancelled", "completed": "completed"}
ALLOWED_FROM = {"started": ("registered", "waiting", "interrupted", "proposed"), "interrupted": ("started",),
                "dropped_out": ("started", "interrupted"), "completed": ("started", "interrupted"),
                "certificate": ("started", "interrupted", "completed")}
DATE_FIELD = {"started": "start_date", "interrupted": "end_date", "dropped_out": "end_date", "completed": "end_date"}


class Feedback:
    def __init__(self, repo, chronicle, catalogue):
        self.repo = repo
        self.chronicle = chronicle
        self.catalogue = catalogue

    def record(self, measure_id: str, kind: str, date: str | None = None, *, level: str | None = None,
               note: str = "") -> str:
        m = self.repo.get("measure", measure_id)
        errors: dict[str, str] = {}
        if m is None or m.get("deleted"):
            raise ValidationError({"measure": _("The measure does not exist.")})
        if kind not in KINDS:
            errors["kind"] = _("Unknown kind of feedback.")
        elif m.get("status") not in ALLOWED_FROM[kind]:
            errors["kind"] = _("A measure that is {old} cannot be reported as {new}.").format(
                old=_(STATUS_LABELS.get(m.get("status") or "", "-")), new=_(KINDS[kind]))
        check_date(errors, "date", date)
        if kind == "certificate" and level not in CEFR_LEVELS:
            errors["level"] = _("Please choose the level reached.")
        day = date or today_iso()
        start = parse_date(m.get("start_date"))
        if not errors and kind != "started" and start and parse_date(day) and parse_date(day) < start:  # type: ignore[operator]
            errors["date"] = _("The date lies before the start of the measure.")
        if errors:
            raise ValidationError(errors)
        what = message(N_("{measure}: {feedback}"), measure=self.catalogue.term(m["catalogue_id"]),
                       feedback=term(KINDS[kind]))
        if level:
            what = joined(what, f"({level})")
        with self.repo.transaction():
            if kind in STATUS:
                self.repo.save("measure", {"status": STATUS[kind], DATE_FIELD[kind]: day}, measure_id)
            return self.chronicle.record(m["case_id"], "measure", what, day, note=note, flag=kind, ref_entity="measure",
                                         ref_id=measure_id)

    def for_measure(self, measure_id: str) -> list[dict]:
        rows = [e for e in self.repo.find("event", ref_id=measure_id) if e.get("flag") in KINDS]
        return sorted(rows, key=lambda e: (e.get("date") or "", e["id"]))


def counts(conn, keep: Callable[[str, str, str], bool] | None = None) -> dict[str, dict[str, int]]:
    """{catalogue id: {feedback kind: number}} over every case (for steering and the planning view); `keep(entity,
    event id, case id)`: which feedback events may be counted (app.gated_courses)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for eid, cid, cat, flag in conn.execute(
            "SELECT e.id, e.case_id, m.catalogue_id, e.flag FROM event e JOIN measure m ON m.id = e.ref_id"
            " WHERE e.kind = 'measure' AND e.ref_entity = 'measure' AND coalesce(e.deleted, 0) = 0"
            " AND e.flag IS NOT NULL"):
        if flag in KINDS and (keep is None or keep("event", eid, cid)):
            out[cat][flag] += 1
    return {k: dict(v) for k, v in sorted(out.items())}
