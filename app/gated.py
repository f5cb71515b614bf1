"""The case-work services as the GUI sees them: every call passes the consent and role check first.

`GatedCaseWork` wraps app.casework.CaseWork. A call that names a case (or a record of
one: a response, a measure, a resource entry, an appointment) is refused with
AccessDenied unless app.access allows the level that service needs: appointments and
consent need `booking`, everything else `full`. At `own` (no consent for the actor's
agency) the services work record by record: reads keep only the records staff of
that agency made (a list, the latest questionnaire, the will and focus, the flags),
a call naming a record of another agency is refused, new records may be added (they
are the agency's own), and what mixes every record (rule facts and hints, holding a
conference, which snapshots the resource map) is refused. Household-wide lists keep
the records the actor may see. Without the health permission, sensitive answers are
left out of what is read, and a save keeps the stored sensitive answers unchanged.
The services inside call each other unwrapped, so a booking still writes its
chronicle event.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any

from i18n import _

from .access import BOOKING, FULL, OWN, Access, AccessDenied, Decision
from .casework import CaseWork
from .checks import ValidationError
from .profiling import U25, UE25

# service attribute of CaseWork -> the level its calls need
SERVICES = {"responses": FULL, "profiling": FULL, "resources": FULL, "goals": FULL, "measures": FULL,
            "conferences": FULL, "chronicle": FULL, "consent": BOOKING, "appointments": BOOKING}
# argument name -> the entity whose row names the case
RECORD_ARGS = {"response_id": "form_response", "measure_id": "measure", "entry_id": "resource_entry",
               "appointment_id": "appointment"}
BOOKING_ANSWERS = {"interpreter_needed", "interpreter_language"}  # what a booking may read of the intake
SAVES = {("responses", "save"), ("profiling", "save_social"), ("profiling", "save_work")}
# at OWN: the calls that work record by record (anything else of a `full` service is refused)
OWN_NEW = {("responses", "save"), ("profiling", "save_social"), ("profiling", "save_work"), ("resources", "add"),
           ("goals", "add"), ("measures", "add"), ("chronicle", "record"), ("chronicle", "add_note"),
           ("chronicle", "set_flag"), ("chronicle", "change_rechtskreis")}  # new records are the agency's own
OWN_NAMED = {("responses", "answers"), ("responses", "get"), ("responses", "render"), ("resources", "update"),
             ("resources", "remove"), ("measures", "set_status"), ("measures", "update"),
             ("measures", "expected_start")}  # the named record is checked first
OWN_LISTS = {("responses", "for_case"), ("resources", "entries"), ("resources", "snapshot"), ("goals", "all"),
             ("goals", "open_goals"), ("measures", "for_case"), ("conferences", "for_case"), ("chronicle", "events")}
MASTER_DATA = {("profiling", "birth_date"), ("profiling", "proposal")}  # the birth date: a booking's data


@lru_cache(maxsize=512)
def _signature(fn) -> inspect.Signature | None:
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


class ServiceGate:
    def __init__(self, name: str, service, gate: "GatedCaseWork"):
        self._name, self._service, self._gate = name, service, gate

    def __getattr__(self, attr: str):
        value = getattr(self._service, attr)
        if attr.startswith("_") or not callable(value):
            return value
        return lambda *a, **kw: self._gate.call(self._name, attr, value, a, kw)


class GatedCaseWork:
    def __init__(self, cw: CaseWork, access: Access):
        self._cw = cw
        self.access = access
        self._services = {name: ServiceGate(name, getattr(cw, name), self) for name in SERVICES}
        self._sensitive = {f.key for fid in cw.forms.ids() for v in cw.forms.versions(fid)
                           for f in cw.forms.get(fid, v).fields() if f.sensitive}

    def __getattr__(self, name: str):
        if name in SERVICES:
            return self._services[name]
        if name == "repo":  # the repository would read around the check (app/ code that has decided: `inner`)
            raise AttributeError("the gated case work hands out no repository")
        return getattr(self._cw, name)

    @property
    def inner(self) -> CaseWork:
        """The unwrapped services, for app/ code that has decided already (documents)."""
        return self._cw

    def level(self, case_id: str) -> str:
        """What the actor may see of the case (app.access: full, own, booking, none), without an audit entry:
        for a view that shows more or less of what it holds (hints and conferences need `full`)."""
        return self.access.decide(case_id).level

    # -- the check ---------------------------------------------------------------------
    def _case_of(self, fn, args, kwargs) -> tuple[str | None, str | None, str | None]:
        """(case id, household id, id of a record named) by a call's arguments."""
        sig = _signature(fn)
        if sig is None:
            return None, None, None
        try:
            bound = sig.bind_partial(*args, **kwargs).arguments
        except TypeError:
            return None, None, None
        record = next((bound[arg] for arg in RECORD_ARGS if bound.get(arg)), None)
        if bound.get("case_id"):
            return bound["case_id"], None, record
        for arg, entity in RECORD_ARGS.items():
            if bound.get(arg):
                row = self._cw.repo.get(entity, bound[arg]) or {}
                return row.get("case_id") or "", None, record
        for v in bound.values():
            if isinstance(v, dict) and v.get("case_id"):
                return v["case_id"], None, v.get("id")
        return None, bound.get("household_id"), None

    def _check(self, case_id: str, need: str):
        d = self.access.decide(case_id)
        if not d.allows(need):
            self.access.log("read", case_id, outcome="refused")
            raise AccessDenied(d.reason)
        return d

    def _refuse(self, d: Decision) -> AccessDenied:
        self.access.log("read", d.case_id, outcome="refused")
        return AccessDenied(d.reason)

    def _own(self, rows: list) -> list:
        """The rows (records with an id) that the actor's agency made."""
        mine = self.access.own_records(r["id"] for r in rows if isinstance(r, dict) and r.get("id"))
        return [r for r in rows if isinstance(r, dict) and r.get("id") in mine]

    def call(self, service: str, attr: str, fn, args, kwargs) -> Any:
        need = SERVICES[service]
        case_id, household_id, record = self._case_of(fn, args, kwargs)
        if case_id == "":  # a record that names no case: not ours to show
            raise AccessDenied(self.access.decide("").reason)
        if case_id is None:
            result = fn(*args, **kwargs)
            return self._household_filter(result) if household_id is not None else result
        if service == "responses" and attr == "latest_answers" and "intake" in (*args, *kwargs.values()):
            d = self._check(case_id, BOOKING)
            if d.level == OWN:
                return self._own_intake_answers(case_id, d.health)
            result = fn(*args, **kwargs)
            if d.level != FULL:
                return {k: v for k, v in result.items() if k in BOOKING_ANSWERS}
            return self._strip(result, d.health)
        d = self.access.decide(case_id)
        if d.level == OWN and need == FULL and (service, attr) in MASTER_DATA:
            return fn(*args, **kwargs)
        if d.level == OWN and need == FULL:
            return self._at_own(d, service, attr, fn, args, kwargs, record)
        d = self._check(case_id, need)
        if (service, attr) in SAVES and not d.health:
            a, kw = self._keep_sensitive(fn, args, kwargs)
            return fn(*a, **kw)
        return self._strip(fn(*args, **kwargs), d.health)

    def _at_own(self, d: Decision, service: str, attr: str, fn, args, kwargs, record: str | None) -> Any:
        """A call of a `full` service on a case without consent for the actor's agency: record by record."""
        key = (service, attr)
        if record is not None and not self.access.own_records([record]):
            raise self._refuse(d)
        if key in OWN_LISTS:
            return self._strip(self._own(fn(*args, **kwargs)), d.health)
        derived = getattr(self, f"_own_{service}_{attr}", None)
        if derived is not None:
            return derived(d, fn, args, kwargs)
        if key in OWN_NEW or key in OWN_NAMED:
            if key in SAVES and not d.health:
                a, kw = self._keep_sensitive(fn, args, kwargs)
                return fn(*a, **kw)
            return self._strip(fn(*args, **kwargs), d.health)
        raise self._refuse(d)  # what mixes every record of the case (a conference's snapshot, ...)

    # -- reads at OWN that pick one record, or fold several: over the agency's own records only --------
    def _own_responses(self, case_id: str, form_ids) -> list[dict]:
        return [r for r in self._own(self._cw.responses.for_case(case_id)) if r["form_id"] in form_ids
                and r.get("completed")]

    def _own_responses_latest(self, d: Decision, fn, args, kwargs):
        bound = _signature(fn).bind(*args, **kwargs).arguments  # type: ignore[union-attr]
        rows = self._own_responses(d.case_id, {bound["form_id"]})
        return rows[-1] if rows else None

    def _own_responses_latest_answers(self, d: Decision, fn, args, kwargs):
        row = self._own_responses_latest(d, fn, args, kwargs)
        return self._strip(self._cw.responses.answers(row["id"]), d.health) if row else {}

    def _own_intake_answers(self, case_id: str, health: bool) -> dict:
        """The booking's answers of the latest intake, and all the answers of the agency's own latest intake."""
        latest = self._cw.responses.latest_answers(case_id, "intake")
        own = self._own_responses(case_id, {"intake"})
        answers = {k: v for k, v in latest.items() if k in BOOKING_ANSWERS}
        if own:
            answers.update(self._strip(self._cw.responses.answers(own[-1]["id"]), health))
        return answers

    def _own_profiling_latest_work(self, d: Decision, fn, args, kwargs):
        rows = self._own_responses(d.case_id, {U25, UE25})
        return rows[-1] if rows else None

    def _own_goals_current(self, d: Decision, fn, args, kwargs):
        kind = _signature(fn).bind(*args, **kwargs).arguments["kind"]  # type: ignore[union-attr]
        rows = [g for g in self._own(self._cw.goals.all(d.case_id)) if g["kind"] == kind]
        return rows[-1] if rows else None

    def _own_chronicle_flags(self, d: Decision, fn, args, kwargs) -> list[str]:
        state: dict[str, bool] = {}
        for e in self._own(self._cw.chronicle.events(d.case_id)):
            if e["kind"] in ("flag", "flag_cleared"):
                state[e["flag"]] = e["kind"] == "flag"
        return sorted(f for f, on in state.items() if on)

    def _own_chronicle_clear_flag(self, d: Decision, fn, args, kwargs):
        """Only a flag the agency set itself can be cleared (another's flag reads as not set)."""
        flag = _signature(fn).bind(*args, **kwargs).arguments["flag"]  # type: ignore[union-attr]
        if flag not in self._own_chronicle_flags(d, fn, args, kwargs):
            raise ValidationError({"flag": _("This flag is not set.")})
        return fn(*args, **kwargs)

    def _own_resources_by_quadrant(self, d: Decision, fn, args, kwargs) -> dict[str, list[dict]]:
        return {q: self._own(rows) for q, rows in fn(*args, **kwargs).items()}

    def _strip(self, result, health: bool):
        """Leave sensitive answers out of a read (answers dicts, `get`'s triple, display rows)."""
        if health:
            return result
        if isinstance(result, dict) and self._sensitive & result.keys():
            return {k: v for k, v in result.items() if k not in self._sensitive}
        if isinstance(result, tuple) and len(result) == 3 and isinstance(result[2], dict):
            return (result[0], result[1], self._strip(result[2], False))
        if isinstance(result, list) and result and isinstance(result[0], dict) and "key" in result[0]:
            return [r for r in result if r.get("key") not in self._sensitive]
        return result

    def _keep_sensitive(self, fn, args, kwargs) -> tuple[tuple, dict]:
        """A save by a role without the health permission: its sensitive input is ignored and the stored
        sensitive answers stay as they are."""
        sig = _signature(fn)
        assert sig is not None
        bound = sig.bind(*args, **kwargs)
        answers = {k: v for k, v in bound.arguments["answers"].items() if k not in self._sensitive}
        rid = bound.arguments.get("response_id")
        if rid:
            stored = self._cw.responses.answers(rid)
            answers.update({k: v for k, v in stored.items() if k in self._sensitive})
        bound.arguments["answers"] = answers
        return bound.args, bound.kwargs

    def _household_filter(self, rows):
        """A household's records: those of cases shown in full, the actor's agency's own of the others, and
        records of no case when a case is shown in full (else the agency's own of them)."""
        if not isinstance(rows, list):
            return rows
        levels: dict[str, str] = {}

        def level(case_id: str) -> str:
            if case_id not in levels:
                levels[case_id] = self.access.decide(case_id).level
            return levels[case_id]

        records = [r for r in rows if isinstance(r, dict)]
        own = self.access.own_records(r["id"] for r in records if r.get("id"))
        keep_ids = set()
        for r in records:
            lv = level(r["case_id"]) if r.get("case_id") else None
            if lv == FULL or (lv == OWN and r.get("id") in own):
                keep_ids.add(id(r))
        any_full = FULL in levels.values()
        for r in records:
            if not r.get("case_id") and (any_full or r.get("id") in own):
                keep_ids.add(id(r))
        return [r for r in rows if not isinstance(r, dict) or id(r) in keep_ids]

    # -- CaseWork's own methods that read a case -------------------------------------
    def save_intake(self, case_id: str, answers: dict, date: str | None = None, response_id: str | None = None) -> str:
        d = self.access.decide(case_id)
        if d.level != OWN:
            d = self._check(case_id, FULL)
        elif response_id and not self.access.own_records([response_id]):
            raise self._refuse(d)  # another agency's intake; a new one is the agency's own
        if not d.health:
            answers = {k: v for k, v in answers.items() if k not in self._sensitive}
            if response_id:
                answers.update({k: v for k, v in self._cw.responses.answers(response_id).items()
                                if k in self._sensitive})
        return self._cw.save_intake(case_id, answers, date, response_id)

    def facts(self, case_id: str) -> dict:
        self._check(case_id, FULL)
        return self._cw.facts(case_id)

    def hints(self, case_id: str, today=None):
        self._check(case_id, FULL)
        return self._cw.hints(case_id, today)

    def due_list(self, today=None, office=None):
        levels = self.access.levels()
        return [i for i in self._cw.due_list(today, office) if levels.get(i.case_id) == FULL]
