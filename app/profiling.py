"""Profiling I and II: which work questionnaire (U25 or Ü25) applies, and saving profilings.

The group is decided by the completed age on the date of the profiling: under
25 -> U25, 25 or older (from the 25th birthday on) -> Ü25. A partial birth date
("1990", "1990-05") stands for a range of days; when the person may be under
25 on that day the U25 questionnaire is proposed, and the choice is marked
uncertain if the range straddles the birthday (docs/casework.md). Staff can
always override the proposal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from i18n import _

from .checks import ValidationError, age_range, parse_date
from .chronicle import case_row, today_iso
from .responses import Responses

SOCIAL = "profiling_social"
U25 = "profiling_u25"
UE25 = "profiling_ue25"
AGE_LIMIT = 25


@dataclass(frozen=True)
class GroupChoice:
    form_id: str | None  # U25, UE25, or None when the birth date is unknown
    certain: bool
    age_min: int | None
    age_max: int | None
    reason: str


def choose_group(birth_date: str | None, on: dt.date | str) -> GroupChoice:
    day = parse_date(on) if isinstance(on, str) else on
    if day is None:
        raise ValueError(f"not a date: {on!r}")
    ages = age_range(birth_date, day) if birth_date else None
    if ages is None:
        return GroupChoice(None, False, None, None, _("The date of birth is not known; please choose."))
    youngest, oldest = ages
    if oldest < AGE_LIMIT:
        return GroupChoice(U25, True, youngest, oldest, _("Under 25 on the day of the profiling."))
    if youngest >= AGE_LIMIT:
        return GroupChoice(UE25, True, youngest, oldest, _("25 or older on the day of the profiling."))
    return GroupChoice(U25, False, youngest, oldest,
                       _("The date of birth is incomplete: the person may be under 25 on this day, so U25 is "
                         "proposed. Please check."))


class Profiling:
    def __init__(self, repo, responses: Responses):
        self.repo = repo
        self.responses = responses

    def birth_date(self, case_id: str) -> str | None:
        case = case_row(self.repo, case_id)
        person = self.repo.get("person", case["person_id"]) if case.get("person_id") else None
        return (person or {}).get("birth_date")

    def proposal(self, case_id: str, date: str | None = None) -> GroupChoice:
        return choose_group(self.birth_date(case_id), date or today_iso())

    def save_social(self, case_id: str, answers: dict, date: str | None = None, response_id: str | None = None) -> str:
        return self.responses.save(case_id, SOCIAL, answers, date=date, response_id=response_id)

    def save_work(self, case_id: str, answers: dict, date: str | None = None, form_id: str | None = None,
                  response_id: str | None = None) -> str:
        """Profiling II with the proposed questionnaire, or `form_id` (U25/UE25) to override it."""
        if form_id is None and response_id is None:
            form_id = self.proposal(case_id, date).form_id
            if form_id is None:
                raise ValidationError({"form_id": _("Please choose the U25 or Ü25 questionnaire.")})
        if form_id not in (None, U25, UE25):
            raise ValidationError({"form_id": _("Please choose the U25 or Ü25 questionnaire.")})
        return self.responses.save(case_id, form_id or "", answers, date=date, response_id=response_id)

    def latest_work(self, case_id: str) -> dict | None:
        rows = [r for r in self.responses.for_case(case_id) if r["form_id"] in (U25, UE25) and r.get("completed")]
        return rows[-1] if rows else None
