"""Filled questionnaires: validate, save atomically, read back and render any version.

A response records the form id and version; each answer is an `answer`
entity whose id is derived from (response id, field key), so two laptops
answering the same question of the same response merge per question. Saving
validates first and writes the response, all answers and the chronicle event
in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from typing import Any

from i18n import _

from . import formvalues, hygiene
from .checks import ValidationError, check_date
from .chronicle import Chronicle, case_row, term, today_iso
from .forms import FormDef, FormRegistry

ANSWER_NAMESPACE = uuid.UUID("6f1c1f0e-6a43-4d7c-9a55-5e3b2f1d9a01")
CHRONICLE_KIND = {"intake": "intake", "consent": "consent", "profiling_social": "profiling",
                  "profiling_u25": "profiling", "profiling_ue25": "profiling"}


def answer_id(response_id: str, key: str) -> str:
    return uuid.uuid5(ANSWER_NAMESPACE, f"{response_id}/{key}").hex


class Responses:
    def __init__(self, repo, forms: FormRegistry, chronicle: Chronicle | None = None):
        self.repo = repo
        self.forms = forms
        self.chronicle = chronicle or Chronicle(repo)

    def validate(self, form: FormDef, answers: dict, date: str | None = None) -> dict[str, str]:
        errors = formvalues.validate(form, answers)
        check_date(errors, "date", date)
        return errors

    def save(self, case_id: str, form_id: str, answers: dict[str, Any], *, date: str | None = None,
             version: int | None = None, response_id: str | None = None, completed: bool = True) -> str:
        """Create or update a response; raises ValidationError and saves nothing when invalid.

        Updating keeps the response's form version. Answers to fields that are
        hidden now (or emptied) are cleared.
        """
        case = case_row(self.repo, case_id)
        existing = self.repo.get("form_response", response_id) if response_id else None
        if existing is not None:
            form = self.forms.get(existing["form_id"], existing["form_version"])
        else:
            try:
                form = self.forms.get(form_id, version)
            except KeyError:
                raise ValidationError({"form_id": _("Unknown questionnaire.")}) from None
        errors = self.validate(form, answers, date) if completed else {}
        if errors:
            raise ValidationError(errors)
        values = formvalues.clean(form, answers)
        before = self.answers(response_id) if existing is not None and response_id else {}
        today = self.repo.today or _dt.date.today()
        errors = {k: msg for k, v in values.items()  # the input rules, under the answers' keys
                  if v != before.get(k) and (msg := hygiene.value_problem("answer", "value", v, today))}
        if errors:
            raise ValidationError(errors)
        date = date or (existing or {}).get("date") or today_iso()
        with self.repo.transaction():
            rid = self.repo.save("form_response", {
                "household_id": case["household_id"], "case_id": case_id, "form_id": form.id,
                "form_version": form.version, "date": date, "recorded_by": self.repo.staff_id,
                "completed": completed}, response_id)
            old = self.answers(rid) if existing is not None else {}
            for key in sorted(set(old) | set(values)):
                new = values.get(key)
                if old.get(key) == new:
                    continue
                aid = answer_id(rid, key)
                if new is None:
                    self.repo.save("answer", {"value": None}, aid)
                else:
                    self.repo.save("answer", {"household_id": case["household_id"], "response_id": rid,
                                              "key": key, "value": new}, aid)
            was_completed = bool(existing and existing.get("completed"))
            if completed and not was_completed and form.chronicle:
                self.chronicle.record(case_id, CHRONICLE_KIND.get(form.id, "form"), term(form.chronicle), date,
                                      ref_entity="form_response", ref_id=rid)
        return rid

    def answers(self, response_id: str) -> dict[str, Any]:
        return {a["key"]: a["value"] for a in self.repo.find("answer", response_id=response_id)
                if a.get("value") is not None}

    def get(self, response_id: str) -> tuple[dict, FormDef, dict]:
        """(response row, the form version it was recorded with, answers)."""
        row = self.repo.get("form_response", response_id)
        if row is None:
            raise KeyError(response_id)
        return row, self.forms.get(row["form_id"], row["form_version"]), self.answers(response_id)

    def for_case(self, case_id: str, form_id: str | None = None) -> list[dict]:
        rows = self.repo.find("form_response", case_id=case_id)
        if form_id:
            rows = [r for r in rows if r["form_id"] == form_id]
        return sorted(rows, key=lambda r: (r.get("date") or "", r["id"]))

    def latest(self, case_id: str, form_id: str) -> dict | None:
        rows = [r for r in self.for_case(case_id, form_id) if r.get("completed")]
        return rows[-1] if rows else None

    def latest_answers(self, case_id: str, form_id: str) -> dict[str, Any]:
        row = self.latest(case_id, form_id)
        return self.answers(row["id"]) if row else {}

    def render(self, response_id: str, tr=_) -> list:
        """Display rows of a response with the labels of the version it was recorded with."""
        _row, form, answers = self.get(response_id)
        return formvalues.display_rows(form, answers, tr)
