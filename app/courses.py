"""The course catalogue: providers (Bildungsträger) and their courses with dates and seats.

Providers and courses are global entities (every laptop receives them) that the
central office edits; resources/measures.json stays the list of kinds
(`course.catalogue_id`). A course has a town (office code), start and end
date, schedule, level, seats, childcare, accessibility and modules. How many
seats are given away (`taken`) is written only by the hub's allocation
(app.allocation), so a laptop shows what the hub decided; `free_seats` on the
hub counts the offers themselves.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from i18n import _

from .checks import ValidationError, check_date, parse_date, require
from .schema import COURSE_LEVELS, OFFICE_CODES

EDITING_OFFICES = ("ZIP",)  # who may change the catalogue: the central office
ENROLLED_OFFICE_META = "sync.office"  # the office a laptop is enrolled for (written by sync.client)
MAX_SEATS = 200
LIVE_OFFERS = ("offered", "allocated")  # offers that hold a seat


@dataclass(frozen=True)
class CourseRow:
    """A course as lists show it, with its provider's name and the seats left."""

    id: str
    catalogue_id: str
    level: str
    title: str
    office: str
    provider: str
    start_date: str
    end_date: str
    schedule: str
    seats: int
    taken: int
    childcare: bool
    accessible: bool
    modules: tuple[str, ...]
    provider_id: str = ""

    @property
    def free(self) -> int:
        return max(self.seats - self.taken, 0)

    def started(self, today: dt.date) -> bool:
        start = parse_date(self.start_date)
        return start is not None and start <= today

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.catalogue_id, "level": self.level or None, "title": self.title,
                "office": self.office, "provider": self.provider, "start_date": self.start_date or None,
                "end_date": self.end_date or None, "schedule": self.schedule, "seats": self.seats,
                "taken": self.taken, "free": self.free, "childcare": self.childcare,
                "accessible": self.accessible, "modules": list(self.modules)}


class Courses:
    def __init__(self, repo, catalogue):
        self.repo = repo
        self.catalogue = catalogue

    # -- who may edit ------------------------------------------------------------
    def can_edit(self) -> bool:
        """The central office's laptops edit the catalogue (the office it is enrolled for at the hub, which
        checks the same: sync.hub.course_guard); a store not enrolled anywhere (demo, tests) may too."""
        office = self.repo.store.meta(ENROLLED_OFFICE_META)
        return not office or office in EDITING_OFFICES

    def _need_edit(self) -> None:
        if not self.can_edit():
            raise ValidationError({"office": _("Only the central office changes the course catalogue.")})

    # -- providers -----------------------------------------------------------------
    def save_provider(self, values: dict, provider_id: str | None = None) -> str:
        self._need_edit()
        errors: dict[str, str] = {}
        name = (values.get("name") or "").strip()
        require(errors, "name", name)
        towns = list(values.get("towns") or [])
        if any(t not in OFFICE_CODES for t in towns):
            errors["towns"] = _("Please choose the towns from the list of offices.")
        if errors:
            raise ValidationError(errors)
        row = {"name": name, "towns": sorted(set(towns)) or None}
        for k in ("contact", "phone", "email", "notes"):
            if k in values:
                row[k] = (values.get(k) or "").strip() or None
        if provider_id is None:
            row = {k: v for k, v in row.items() if v is not None}
        return self.repo.save("provider", row, provider_id)

    def providers(self) -> list[dict]:
        return sorted(self.repo.find("provider"), key=lambda p: ((p.get("name") or "").lower(), p["id"]))

    # -- courses -------------------------------------------------------------------
    def save_course(self, values: dict, course_id: str | None = None) -> str:
        """Create or change a course; every field is checked before anything is written."""
        self._need_edit()
        current = self.repo.get("course", course_id) if course_id else None
        v = {**(current or {}), **values}
        errors: dict[str, str] = {}
        provider = self.repo.get("provider", v.get("provider_id") or "") if v.get("provider_id") else None
        if provider is None or provider.get("deleted"):
            errors["provider_id"] = _("Please choose the provider.")
        if v.get("catalogue_id") not in self.catalogue.items:
            errors["catalogue_id"] = _("Please choose a measure from the catalogue.")
        if v.get("level") not in (None, "", *COURSE_LEVELS):
            errors["level"] = _("Please choose a level ({levels}).").format(levels=", ".join(COURSE_LEVELS))
        if v.get("office") not in OFFICE_CODES:
            errors["office"] = _("Please choose the town.")
        check_date(errors, "start_date", v.get("start_date"), required=True)
        check_date(errors, "end_date", v.get("end_date"))
        start, end = parse_date(v.get("start_date")), parse_date(v.get("end_date"))
        if start and end and end < start and "end_date" not in errors:
            errors["end_date"] = _("The course ends before it starts.")
        seats = v.get("seats")
        if isinstance(seats, str) and seats.strip().isdigit():
            seats = int(seats.strip())
        if not isinstance(seats, int) or isinstance(seats, bool) or not 0 <= seats <= MAX_SEATS:
            errors["seats"] = _("Seats: a whole number from 0 to {max}.").format(max=MAX_SEATS)
        modules = v.get("modules") or []
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
            errors["modules"] = _("Modules: a list of names.")
        if errors:
            raise ValidationError(errors)
        row = {"provider_id": v["provider_id"], "catalogue_id": v["catalogue_id"], "level": v.get("level") or None,
               "title": (v.get("title") or "").strip() or None, "office": v["office"],
               "place": (v.get("place") or "").strip() or None, "start_date": v["start_date"],
               "end_date": v.get("end_date") or None, "schedule": (v.get("schedule") or "").strip() or None,
               "seats": seats, "childcare": bool(v.get("childcare")), "accessible": bool(v.get("accessible")),
               "modules": [m.strip() for m in modules if m.strip()] or None,
               "notes": (v.get("notes") or "").strip() or None}
        if current is None:
            row = {k: val for k, val in row.items() if val is not None}
        return self.repo.save("course", row, course_id)

    def delete_course(self, course_id: str) -> None:
        self._need_edit()
        if self.repo.conn.execute("SELECT 1 FROM seat_offer WHERE course_id = ? AND state IN ('offered','allocated')"
                                  " AND coalesce(deleted, 0) = 0 LIMIT 1", (course_id,)).fetchone():
            raise ValidationError({"course": _("Seats of this course are offered or given: it cannot be removed.")})
        self.repo.delete("course", course_id)

    def rows(self, office: str | None = None, kind: str | None = None, level: str | None = None) -> list[CourseRow]:
        """Courses (not deleted), soonest start first; filtered by town, kind and level."""
        return course_rows(self.repo.conn, office, kind, level)

    def get(self, course_id: str) -> CourseRow | None:
        return next((r for r in course_rows(self.repo.conn) if r.id == course_id), None)


def course_rows(conn, office: str | None = None, kind: str | None = None, level: str | None = None,
                counted: bool = False) -> list[CourseRow]:
    """Courses with their provider's name. `counted`: seats taken counted from the offers (at the hub,
    which sees every offer) instead of the hub's `taken` field."""
    sql = ('SELECT c.id, c.catalogue_id, c.level, c.title, c.office, p.name, c.start_date, c.end_date, c.schedule,'
           ' c.seats, c.taken, c.childcare, c.accessible, c.modules, c.provider_id FROM course c'
           ' LEFT JOIN provider p ON p.id = c.provider_id WHERE coalesce(c.deleted, 0) = 0')
    params: list = []
    for column, value in (("office", office), ("catalogue_id", kind), ("level", level)):
        if value:
            sql += f" AND c.{column} = ?"
            params.append(value)
    taken: dict[str, int] = {}
    if counted:
        taken = dict(conn.execute("SELECT course_id, count(*) FROM seat_offer WHERE coalesce(deleted, 0) = 0"
                                  " AND state IN ('offered', 'allocated') GROUP BY course_id").fetchall())
    out = []
    for r in conn.execute(sql, params):
        modules = json.loads(r[13]) if r[13] else []  # synced values are any JSON: only a list of names counts
        modules = tuple(m for m in modules if isinstance(m, str)) if isinstance(modules, list) else ()
        seats = r[9] if isinstance(r[9], int) and r[9] > 0 else 0
        out.append(CourseRow(r[0], r[1] or "", r[2] or "", r[3] or "", r[4] or "", r[5] or "", r[6] or "",
                             r[7] or "", r[8] or "", seats, taken.get(r[0], 0) if counted else (r[10] or 0),
                             bool(r[11]), bool(r[12]), modules, r[14] or ""))
    return sorted(out, key=lambda c: (c.start_date, c.office, c.catalogue_id, c.id))
