"""What comes next for one case, for the case header: due items, next appointment, open measures, conflicts.

`next_steps(cw, repo, case_id, today)` reads through the case-work services
(app.casework.CaseWork) and app.conflicts and returns a `NextSteps`; a new
case (no intake yet, no consent) gets those two as its first due items, so the
end of a guided intake says what is left. `due_count(cw, today)` is the number
the navigation shows next to "Due soon"; `DueCount` keeps that number per
household, so that after a save only the households it touched are counted
again, and counts only the cases a `DueGate` (the consent check of app.access)
shows in full, like the gated due list (`Session.due_count`).
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from . import casefacts, conflicts
from .rules import Hint, in_due_list

OPEN_MEASURES = ("proposed", "registered", "waiting", "started", "interrupted")


@dataclass
class NextSteps:
    due: list[Hint] = field(default_factory=list)
    overdue: int = 0
    next_appointment: dict | None = None
    open_measures: list[dict] = field(default_factory=list)
    conflicts: int = 0
    missing: list[str] = field(default_factory=list)  # "consent", "intake": not yet recorded


def next_steps(cw, repo, case_id: str, today: _dt.date | None = None, level: str = "full") -> NextSteps:
    """`level`: what app.access allows of the case (`cw` is the gated case work then): hints need it in
    full, and so does "intake still to record"; open measures are read at `own` (the agency's own records);
    a booking sees the next appointment and whether the consent is recorded."""
    today = today or _dt.date.today()
    out = NextSteps()
    if level == "full":
        out.due = sorted((h for h in cw.hints(case_id, today) if in_due_list(h, today)),
                         key=lambda h: (h.due or _dt.date.max, h.rule_id))
    out.overdue = sum(1 for h in out.due if h.state == "overdue")
    upcoming = cw.appointments.upcoming(case_id, today.isoformat())
    out.next_appointment = upcoming[0] if upcoming else None
    if level in ("full", "own"):
        out.open_measures = [{**m, "name": cw.catalogue.name(m["catalogue_id"]) if m.get("catalogue_id") else ""}
                             for m in cw.measures.for_case(case_id) if m.get("status") in OPEN_MEASURES]
    out.conflicts = len(conflicts.list_open(repo, case_id=case_id))
    if not cw.consent.history(case_id):
        out.missing.append("consent")
    # without consent another agency's intake is not seen: "still to record" would ask for a second one
    if level == "full" and "intake" not in {r["form_id"] for r in cw.responses.for_case(case_id)}:
        out.missing.append("intake")
    return out


def due_count(cw, today: _dt.date | None = None, office: str | None = None) -> int:
    """Due and overdue items across all open cases (the due list's length)."""
    return len(cw.due_list(today, office))


class DueGate(Protocol):
    """Which cases' items the count may include (app.access.Access is one): the level of cases, and a key
    that changes whenever levels may change without a logged change in the case's household (another
    staff member unlocked, staff moved to another agency or role)."""

    def gate_key(self) -> tuple: ...

    def levels(self, case_ids: set[str] | None = None) -> dict[str, str]: ...


class DueCount:
    """The due list's length (all offices), kept per case between counts.

    `count(cw, today, mark, changed_since, gate)`: `mark` is the change log's newest seq now and
    `changed_since(seq)` the households changed after a seq (Session.change_mark/changes_since).
    The first count, a new day, a change log that went back or a new `gate.gate_key()` count
    everything. After that only the changed households are counted again (their cases' items and
    their level: a consent recorded or withdrawn, a record of another agency, all are changes of the
    household, also when a sync brings them), and cases that went without a logged change (a
    deletion order removes records without one) are dropped. With a gate, only the items of cases
    at level `full` are counted (app.gated: the due list keeps those only). One object may be
    counted from worker threads, one count at a time."""

    def __init__(self) -> None:
        self.per_case: dict[str, tuple[str, int]] = {}  # case id: (household id, its items)
        self.level: dict[str, str] = {}  # case id: its level by the gate (every case "full" without one)
        self.today: _dt.date | None = None
        self.mark: int | None = None
        self.key: tuple | None = None  # the gate's key at the last count
        self.full_counts = 0  # how often everything was counted
        self.counted_households = 0  # how many households the last count looked at
        self._lock = threading.Lock()

    def count(self, cw, today: _dt.date, mark: int, changed_since: Callable[[int], Iterable[str]],
              gate: DueGate | None = None) -> int:
        with self._lock:
            key = gate.gate_key() if gate is not None else ()
            if self.mark is None or self.today != today or mark < self.mark or key != self.key:
                self.per_case = self._counted(cw, today, None)
                self.level = gate.levels() if gate is not None else {}
                self.full_counts += 1
                self.counted_households = len({hh for hh, _n in self.per_case.values()})
            else:
                live = {cid for (cid,) in cw.repo.conn.execute(  # a deletion order removes cases unlogged
                    "SELECT id FROM \"case\" WHERE coalesce(deleted, 0) = 0 AND coalesce(status, '') != 'closed'")}
                redo = set(changed_since(self.mark)) if mark > self.mark else set()
                self.per_case = {cid: v for cid, v in self.per_case.items() if cid in live and v[0] not in redo}
                if redo:
                    counted = self._counted(cw, today, redo)
                    self.per_case.update(counted)
                    if gate is not None:
                        self.level.update(gate.levels(set(counted)))
                self.counted_households = len(redo)
            self.today, self.mark, self.key = today, mark, key
            if gate is None:
                return sum(n for _hh, n in self.per_case.values())
            return sum(n for cid, (_hh, n) in self.per_case.items() if self.level.get(cid) == "full")

    @staticmethod
    def _counted(cw, today: _dt.date, households: set[str] | None) -> dict[str, tuple[str, int]]:
        facts, labels = casefacts.due_facts(cw.repo.conn, households=households)
        rules = cw.rules.on(today, due_list_only=True)
        return {case_id: (labels[case_id][1], len(rules.hints(f, case_id))) for case_id, f in facts.items()}
