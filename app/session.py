"""A working session on one store: unlock, lock (drop the key), and the services of the open store.

The UI holds one Session for its lifetime. `lock()` closes the database and
forgets the data key; `unlock()` opens it again; services are created per
unlock so that nothing keeps a closed connection. The UI and the CLI reach
app/ through this object only: neither constructs a Store or a Repository
(tests/test_architecture.py), so the policy that lives here (the access log)
cannot be skipped.

Slow steps can run off the GUI thread: `open_store`, `open_store_with_recovery`
and `create_store` only derive the key and open the file (no state changes);
the caller then `attach`es the store on its own thread. `worker()` gives a
session with a connection of its own for background work (a sync, a long
read). A session is a context manager that locks at the end (the CLI).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from i18n import _

from . import caselist, conflicts, demo, demo_access, duplicates, households, schedule, schema, statistics, steering
from . import lease as lease_
from .access import Access, Decision
from .repository import Repository
from .resources import Resources
from .store import Store, StoreError


class Locked(StoreError):
    pass


@dataclass(frozen=True)
class Changed:
    """What an operation changed, read from the change log after it: the households (roots) and the
    kinds of record it touched. Views refresh from this instead of reloading everything."""

    households: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.households or self.entities)


class Session:
    """`resources`: the forms, measure catalogue and rules its services use (default: the shipped ones)."""

    def __init__(self, path: Path, resources: Resources | None = None):
        self.path = Path(path)
        self.resources = resources or Resources.load()
        self.store: Store | None = None
        self._repo: Repository | None = None  # never handed out: the GUI and the CLI use the methods below
        self.lease_today: dt.date | None = None  # the day the offline lease is judged by (tests: a fake today)
        # learnt from the encrypted store at the last unlock, for the lock screen after it (the key file names
        # nobody): the logins that can unlock this store here, and whose it was
        self.known_logins: list[str] = []
        self.last_login: str | None = None

    # -- lifecycle -------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return Store.exists(self.path)

    @property
    def is_open(self) -> bool:
        return self.store is not None

    def create(self, passphrase: str, login: str, name: str = "", agency: str | None = None,
               role: str | None = None) -> str:
        store, recovery = self.create_store(passphrase, login, name, agency, role)
        self._attach(store)
        return recovery

    # opening without attaching: safe on a worker thread (the key derivation is slow). While the key is
    # derived, the office-hour holiday tables are computed on another thread (app.schedule.warm_up), so the
    # day's office hour that the window opens on does not wait for them after unlocking.
    def open_store(self, passphrase: str, login: str | None = None, *, login_hash: str | None = None) -> Store:
        """`login_hash`: instead of the login, its hashed form remembered from an earlier unlock
        (`login_hash()`)."""
        schedule.warm_up()
        return Store.open(self.path, passphrase, login, login_hash=login_hash)

    def open_store_with_recovery(self, recovery_key: str) -> Store:
        schedule.warm_up()
        return Store.open_with_recovery(self.path, recovery_key)

    def create_store(self, passphrase: str, login: str, name: str = "", agency: str | None = None,
                     role: str | None = None) -> tuple[Store, str]:
        return Store.create(self.path, passphrase, login=login, name=name, agency=agency, role=role)

    def create_demo(self, passphrase: str, login: str, households: int = 200,
                    reference: dt.date | None = None) -> bool:
        """Create and fill the demo store (fictional data) unless it exists; True if it was made."""
        if self.exists:
            return False
        store, _recovery = self.create_store(passphrase, login, "Demo")
        try:
            now = dt.datetime.now()  # the day's office hour as far as it has come (app.demo_hours)
            demo.fill(store, households=households, reference=reference or now.date(),
                      moment=None if reference else now.time())
            demo_access.add_logins(store, passphrase)  # other roles, to see the consent check
        finally:
            store.close()
        return True

    def worker(self) -> "Session":
        """A session of its own on the same open store (its own connection), for a worker thread;
        `lock()` it when done."""
        other = Session(self.path, self.resources)
        other.lease_today = self.lease_today
        other._attach(self._need().store.reopen())
        return other

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.lock()

    def unlock(self, passphrase: str, login: str | None = None) -> None:
        self._attach(Store.open(self.path, passphrase, login))

    def login_hash(self) -> str | None:
        """The hashed form of the unlocked member's login: what a laptop may remember of who unlocked last
        (it names nobody, and means something only with this store's key file)."""
        return self._need().store.login_hash()

    def knows_login_hash(self, login_hash: str) -> bool:
        """Whether a remembered login hash belongs to someone who can unlock this store (reads the key
        file only; works while locked)."""
        return Store.knows_login_hash(self.path, login_hash)

    def unlock_recovery(self, recovery_key: str) -> None:
        self._attach(Store.open_with_recovery(self.path, recovery_key))

    def attach(self, store: Store) -> None:
        self._attach(store)

    def _attach(self, store: Store) -> None:
        if store is self.store:
            return
        self.lock()
        self.store = store
        self._repo = Repository(store)
        self._access: Access | None = None
        self._gated: Any = None  # app.gated.GatedCaseWork, made on first use
        self._gated_employers: Any = None  # app.gated_employers.GatedEmployers, made on first use
        self._gated_courses: Any = None  # app.gated_courses.GatedCourses, made on first use
        self._learn_logins()

    def _learn_logins(self) -> None:
        """Note, from the encrypted store, the logins that can unlock it and who unlocked."""
        repo = self._need()
        logins = {m["staff_id"]: (repo.get("staff", m["staff_id"]) or {}).get("login") or ""
                  for m in repo.store.keyring.members()}
        self.known_logins = sorted((v for v in logins.values() if v), key=str.casefold)
        if repo.store.staff_id:
            self.last_login = logins.get(repo.store.staff_id) or self.last_login

    def lock(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = None
        self._repo = None
        self._access = self._gated = self._gated_courses = None

    def _need(self) -> Repository:
        """The open repository, for the services of app/ (app.casework.casework_for, app.hours, ...)."""
        if self._repo is None:
            raise Locked("locked")
        return self._repo

    def lease(self) -> lease_.Lease:
        """The offline lease (app.lease): locked when the laptop has not synced for too long."""
        return lease_.lease(self._need().store, self.lease_today)

    def check_lease(self) -> None:
        """Raise LeaseExpired if case data is locked by the offline lease."""
        self._leased()

    def _leased(self) -> Repository:
        """The repository, unless case data is locked by the offline lease (LeaseExpired)."""
        repo = self._need()
        lease_.check(repo.store, self.lease_today)
        return repo

    # -- what changed ---------------------------------------------------------------
    def change_mark(self) -> int:
        """The change log's newest seq: note it before an operation, pass it to `changes_since` after."""
        return self._need().conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    def changes_since(self, mark: int) -> Changed:
        rows = self._need().conn.execute("SELECT DISTINCT root_id, entity FROM changes WHERE seq > ?",
                                         (mark,)).fetchall()
        return Changed(frozenset(r for r, _e in rows if r), frozenset(e for _r, e in rows))

    def household_exists(self, household_id: str) -> bool:
        """Whether the household is (still) on this laptop: a sync may remove it (moved to another office)."""
        return self._need().get("household", household_id) is not None

    # -- services ----------------------------------------------------------------
    @property
    def staff_name(self) -> str:
        repo = self._need()
        staff = repo.get("staff", repo.staff_id) if repo.staff_id else None
        return (staff or {}).get("name") or ""

    def case_rows(self) -> list[caselist.CaseRow]:
        """Every case, with its person's names."""
        return caselist.load_rows(self._leased().conn, members=False)

    def list_rows(self) -> list[caselist.CaseRow]:
        """What the case list searches: every case, and every household member without one."""
        return caselist.load_rows(self._leased().conn)

    def load_household(self, household_id: str) -> dict | None:
        return households.load_household(self._leased(), household_id)

    def save_household(self, household: dict, members: list[dict], household_id: str | None = None):
        return households.save_household(self._need(), household, members, household_id)

    def intake_defaults(self, case_id: str) -> tuple[dict, dict]:
        """Answers a new intake survey of the case can start with, and where each came from (app.intake_prefill)."""
        from .intake_prefill import intake_defaults

        return intake_defaults(self._need(), case_id)

    def next_steps(self, case_id: str):
        """The case header's next steps: due items, next appointment, open measures, conflicts (app.next_steps)."""
        from .next_steps import NextSteps, next_steps

        level = self.access.decide(case_id).level
        if level == "none":  # the interpreter: nothing of the case
            return NextSteps()
        return next_steps(self.casework(), self._need(), case_id, level=level)

    def due_count(self, counter, today: dt.date | None = None) -> int:
        """The due list's length across all offices, for the navigation: `counter` (app.next_steps.DueCount)
        keeps it per case, so after the first count only the households changed since are counted. Like the
        due list (`due_items`), only the cases this staff member sees in full count (app.access). Slow the
        first time on a big store: call it on a `worker()` session off the GUI thread."""
        from .casework import casework_for

        mark = self.change_mark()
        return counter.count(casework_for(self), today or dt.date.today(), mark,
                             lambda since: self.changes_since(since).households, gate=self.access)

    def open_conflicts(self, household_id: str | None = None, case_id: str | None = None):
        return conflicts.list_open(self._need(), household_id, case_id)

    def open_conflict_count(self) -> int:
        """How many conflicts wait for a person (shown in the navigation)."""
        return conflicts.count_open(self._need())

    def record_name(self, entity: str, entity_id: str) -> str:
        """How staff recognise a record: `Haushalt Al-Hassan, Beckum`, `Fall BEC-26-… (Name)` (app.labels)."""
        from .labels import record_name

        return record_name(self._need(), entity, entity_id)

    def resolve_conflict(self, conflict_id: str, take: str = "other", value=None, *, typed: bool = True) -> str:
        """take 'current' or 'other'; or 'new' with a value: as typed in a field (`typed`: text; JSON for
        structured fields), or a value as it is (the command line parses its --value as JSON)."""
        if take != "new":
            return conflicts.resolve(self._need(), conflict_id, take=take)
        if not typed:
            return conflicts.resolve(self._need(), conflict_id, value=value)
        c = conflicts.get(self._need(), conflict_id)
        kind = schema.entity(c.entity).field_map[c.field].kind
        if kind in (schema.JSON, schema.INT, schema.BOOL) and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ValueError(f"not a valid value: {value}") from None
        return conflicts.resolve(self._need(), conflict_id, value=value)

    def duplicate_candidates(self, threshold: float = 0.8, person_id: str | None = None) -> list[dict]:
        """Likely duplicate pairs (of one person, if given) with both persons' rows, most probable first. Safe
        to call from a worker thread: it reads through a connection of its own."""
        store = self._need().store.reopen()
        try:
            repo = Repository(store)
            out = []
            for c in duplicates.find_duplicates(repo, person_id=person_id, threshold=threshold):
                a, b = repo.get("person", c.person_id), repo.get("person", c.other_id)
                if a is None or b is None:  # found by id a moment ago; nothing to show if one has gone
                    continue
                out.append({"score": c.score, "reasons": c.reasons, "fields": c.fields, "a": a, "b": b,
                            "office_a": (repo.get("household", a["household_id"]) or {}).get("office"),
                            "office_b": (repo.get("household", b["household_id"]) or {}).get("office")})
            return out
        finally:
            store.close()

    def merge_preview(self, keep_id: str, away_id: str, choices: dict[str, str] | None = None):
        """Both persons side by side and what merging them makes, given the reviewer's choices
        (field -> "keep" or "away"; app.merge_preview)."""
        return duplicates.merge_preview(self._need(), keep_id, away_id, choices)

    def merge_persons(self, keep_id: str, away_id: str, take_away: tuple[str, ...] = (),
                      choices: dict[str, str] | None = None) -> dict:
        return duplicates.merge_persons(self._need(), keep_id, away_id, take_away, choices)

    def household_pairs(self, keep_id: str, away_id: str) -> list[dict]:
        """Other members of the two persons' households that look like the same people (app.duplicates),
        each with both person rows: {"a": a member of the kept person's household, "b", "score", "reasons"}."""
        repo = self._need()
        out = []
        for c in duplicates.household_pairs(repo, keep_id, away_id):
            a, b = repo.get("person", c.person_id), repo.get("person", c.other_id)
            if a is not None and b is not None:
                out.append({"a": a, "b": b, "score": c.score, "reasons": c.reasons})
        return out

    @property
    def hours(self):
        """Office hours: offices, schedule, bookings, the day view, slips and calendars (app.hours)."""
        from .hours import hours_for

        return hours_for(self)

    @property
    def undo(self):
        """Un-merge persons and take back the last edit of a record (app.unmerge, bound to this store)."""
        from . import unmerge

        return unmerge.Undo(self._need())

    @property
    def employers(self):
        """The employer service: employers, offers, matching and placements (app.employers)."""
        from .employers import employers_for

        return employers_for(self)

    @property
    def employer_service(self):
        """The employer service behind the role and consent check (app.gated_employers), for the GUI."""
        from .gated_employers import GatedEmployers

        emp = self.employers
        if self._gated_employers is None or self._gated_employers.inner is not emp \
                or self._gated_employers.access is not self.access:
            self._gated_employers = GatedEmployers(emp, self.access)
        return self._gated_employers

    def statistics(self, year: str | None = None, suppress: bool = True) -> dict:
        """The counts of app.statistics; small ones hidden ("< 5", app.suppression) unless `suppress` is False
        (the data-protection officer's role)."""
        stats = statistics.statistics(self._need().conn, year)
        return steering.suppress_legacy(stats) if suppress else stats

    def steering(self, start: dt.date, end: dt.date, by: tuple[str, ...] = (), suppress: bool = True) -> dict:
        """The steering figures of a period (app.steering), small counts hidden unless `suppress` is False."""
        return steering.figures(self._need().conn, steering.Period(start, end), by, suppress)

    def steering_report(self, start: dt.date, end: dt.date) -> bytes:
        """The German steering report PDF with charts (app.steering_report); the print is logged."""
        from . import audit, steering_report

        repo = self._need()
        pdf = steering_report.render(self.steering(start, end), self.resources.catalogue)
        audit.log_access(repo.store, "print:steering_report")
        return pdf

    def may_see_cases(self) -> bool:
        """Whether the staff member who unlocked may open the cases behind a figure (drill-down): a role
        with case data and an agency (app.access); the cases open as the case view shows them."""
        return self._need().staff_id is not None and self.access.may("case_data") \
            and self.access.actor.agency is not None

    def sees_small_counts(self) -> bool:
        """Whether figures are shown without suppression: only in the data-protection officer's role."""
        return self._need().staff_id is not None and self.access.actor.role.code == "dpo"

    def steering_cases(self, start: dt.date, end: dt.date, dimension: str, value: str) -> list[caselist.CaseRow]:
        """The cases behind one count of clients; refused (steering.DrillDownRefused) for roles that may not."""
        ids = set(steering.drill_down(self._need().conn, steering.Period(start, end), dimension, value,
                                      self.may_see_cases()))
        return [r for r in self.case_rows() if r.case_id in ids]

    def render_document(self, document: str, case_number: str, lang: str, **options) -> bytes:
        """A printable PDF (consent, profiling, resources, slip, handover, export) if the access check allows
        it (app.print_gate; AccessDenied otherwise); print and refusal are logged, for the GUI and the
        command line alike. `options`: see app.documents.render (to_agency)."""
        from . import print_gate  # reportlab and fonts load only when something is printed

        repo = self._leased()
        return print_gate.render(self.access, repo, document, case_number, lang, **options)

    # -- access (app.access): consent and role decide; every view is in the audit trail ------
    @property
    def access(self) -> Access:
        repo = self._need()
        if self._access is None or self._access.repo is not repo:
            self._access = Access(repo)
        return self._access

    def audit_entries(self, case_number: str | None = None) -> list[dict]:
        """This laptop's audit trail (needs the role's `audit` permission; reading it is logged too),
        each entry with the staff member's name and whether the chain up to it is sound."""
        from . import audit

        access = self.access
        access.require_permission("audit", "audit:read")
        access.log("audit:read", case_number=case_number)
        repo = self._need()
        rows = audit.entries(repo.conn, case_number)
        names = {r["id"]: r.get("name") or r.get("login") or "" for r in repo.find("staff")}
        return [{**e, "staff_name": names.get(e["staff_id"] or "", "")} for e in rows]

    def audit_problems(self) -> list[str]:
        """Breaks in this laptop's own chain (empty when sound)."""
        from . import audit

        return audit.verify_chain(audit.entries(self._need().conn))

    def case_access(self, case_id: str) -> Decision:
        """Open a case: what may be shown of it (logged as a view)."""
        return self.access.view(case_id)

    def casework(self):
        """The case-work services behind the consent and role check (app.gated)."""
        from .casework import casework_for
        from .gated import GatedCaseWork

        cw = casework_for(self)
        if self._gated is None or self._gated.inner is not cw:
            self._gated = GatedCaseWork(cw, self.access)
        return self._gated

    def due_items(self, today: dt.date | None = None, office: str | None = None) -> list:
        """The due list (app.casework.DueItem) of the cases this staff member sees in full; slow on a big store:
        call it on a `worker()` session off the GUI thread."""
        return self.casework().due_list(today, office)

    def add_member(self, login: str, passphrase: str, name: str = "", agency: str | None = None,
                   role: str | None = None) -> str:
        """A new staff member with an agency and a role (resources/roles.json); needs the permission to
        manage staff (app.access.AccessDenied otherwise)."""
        access = self.access
        access.require_permission("manage_staff", "staff:add")
        staff_id = self._need().store.add_member(login, passphrase, name, agency or access.actor.agency,
                                                 role or access.roles.default_new_role)
        self._learn_logins()
        return staff_id

    def staff_members(self) -> list[dict]:
        """Staff who can unlock this store, from the encrypted store: login, name, agency, role."""
        repo = self._need()
        table = self.access.roles
        out = []
        for m in repo.store.keyring.members():
            row = repo.get("staff", m["staff_id"]) or {}
            out.append({"staff_id": m["staff_id"], "login": row.get("login") or "",
                        "name": row.get("name") or "", "agency": table.agency(row.get("agency")),
                        "role": table.role(row.get("role")).code})
        return sorted(out, key=lambda r: r["login"].casefold())

    @property
    def courses(self):
        """Course seats, waiting lists, handovers and the planning view (app.course_service.CourseService) behind
        the consent and role check (app.gated_courses)."""
        from .course_service import service_for
        from .gated_courses import GatedCourses

        svc, cw = service_for(self), self.casework()
        cached = self._gated_courses
        if cached is None or cached.inner is not svc or cached.casework is not cw:
            cached = self._gated_courses = GatedCourses(svc, cw)
        return cached

    def change_passphrase(self, passphrase: str) -> None:
        store = self._need().store
        if store.staff_id is None:
            raise StoreError(_("Opened with the recovery key: add a staff member instead."))
        store.change_passphrase(passphrase)
