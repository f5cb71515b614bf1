"""The case-work services as the GUI sees them: every call passes the consent and role check first.

`GatedCaseWork` wraps app.casework.CaseWork. A call that names a case (or a record of
one: a response, a measure, a resource entry, an appointment) is refused with
AccessDenied unless app.access allows the level that service needs: appointments and
consent need `booking`, everything else `full`. Household-wide lists keep only the
records of cases shown in full. Without the health permission, sensitive answers are
left out of what is read, and a save keeps the stored sensitive answers unchanged.
The services inside call each other unwrapped, so a booking still writes its
chronicle event.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any

from .access import BOOKING, FULL, Access, AccessDenied
from .casework import CaseWork

# service attribute of CaseWork -> the level its calls need
SERVICES = {"responses": FULL, "profiling": FULL, "resources": FULL, "goals": FULL, "measures": FULL,
            "conferences": FULL, "chronicle": FULL, "consent": BOOKING, "appointments": BOOKING}
# argument name -> the entity whose row names the case
RECORD_ARGS = {"response_id": "form_response", "measure_id": "measure", "entry_id": "resource_entry",
               "appointment_id": "appointment"}
BOOKING_ANSWERS = {"interpreter_needed", "interpreter_language"}  # what a booking may read of the intake
SAVES = {("responses", "save"), ("profiling", "save_social"), ("profiling", "save_work")}


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
        return getattr(self._cw, name)

    @property
    def inner(self) -> CaseWork:
        """The unwrapped services, for app/ code that has decided already (documents)."""
        return self._cw

    # -- the check ---------------------------------------------------------------------
    def _case_of(self, fn, args, kwargs) -> tuple[str | None, str | None]:
        """(case id, household id) named by a call's arguments."""
        sig = _signature(fn)
        if sig is None:
            return None, None
        try:
            bound = sig.bind_partial(*args, **kwargs).arguments
        except TypeError:
            return None, None
        if bound.get("case_id"):
            return bound["case_id"], None
        for arg, entity in RECORD_ARGS.items():
            if bound.get(arg):
                row = self._cw.repo.get(entity, bound[arg]) or {}
                return row.get("case_id") or "", None
        for v in bound.values():
            if isinstance(v, dict) and v.get("case_id"):
                return v["case_id"], None
        return None, bound.get("household_id")

    def _check(self, case_id: str, need: str):
        d = self.access.decide(case_id)
        if not d.allows(need):
            self.access.log("read", case_id, outcome="refused")
            raise AccessDenied(d.reason)
        return d

    def call(self, service: str, attr: str, fn, args, kwargs) -> Any:
        need = SERVICES[service]
        case_id, household_id = self._case_of(fn, args, kwargs)
        if case_id == "":  # a record that names no case: not ours to show
            raise AccessDenied(self.access.decide("").reason)
        if service == "responses" and attr == "latest_answers" and case_id and "intake" in (*args, *kwargs.values()):
            d = self._check(case_id, BOOKING)
            result = fn(*args, **kwargs)
            if d.level != FULL:
                return {k: v for k, v in result.items() if k in BOOKING_ANSWERS}
            return self._strip(result, d.health)
        if case_id is not None:
            d = self._check(case_id, need)
            if (service, attr) in SAVES and not d.health:
                a, kw = self._keep_sensitive(fn, args, kwargs)
                return fn(*a, **kw)
            return self._strip(fn(*args, **kwargs), d.health)
        result = fn(*args, **kwargs)
        if household_id is not None:
            return self._household_filter(result)
        return result

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
        if not isinstance(rows, list):
            return rows
        levels: dict[str, bool] = {}

        def shown(case_id: str | None) -> bool:
            if case_id not in levels:
                levels[case_id or ""] = bool(case_id) and self.access.decide(case_id or "").level == FULL
            return levels[case_id or ""]

        keep = [r for r in rows if not isinstance(r, dict) or (r.get("case_id") and shown(r["case_id"]))]
        if any(levels.values()):  # household-level records belong to everyone in it
            keep += [r for r in rows if isinstance(r, dict) and not r.get("case_id")]
        return keep

    # -- CaseWork's own methods that read a case -------------------------------------
    def save_intake(self, case_id: str, answers: dict, date: str | None = None, response_id: str | None = None) -> str:
        d = self._check(case_id, FULL)
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
