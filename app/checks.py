"""Field-level validation errors and the date arithmetic the case-work services share.

`ValidationError.errors` maps a field key to a translated message; services
raise it before writing anything, so nothing invalid is saved half-way.
Partial dates ("1990", "1990-05", "1990-05-17") are parsed into the range of
days they may stand for; `age_range` gives the youngest and oldest possible age
on a given day (see docs/casework.md, "Partial birth dates").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from i18n import _

_PDATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


class ValidationError(ValueError):
    """Invalid input; `errors` maps field keys to translated messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def parse_date(text) -> dt.date | None:
    """An ISO date YYYY-MM-DD, or None when it is not one."""
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def is_datetime(text) -> bool:
    if not isinstance(text, str) or not _DATETIME.match(text):
        return False
    try:
        dt.datetime.fromisoformat(text)
        return True
    except ValueError:
        return False


def pdate_range(text) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial date may mean; None when malformed."""
    if not isinstance(text, str):
        return None
    m = _PDATE.match(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        mo = int(month)
        if day is None:
            return dt.date(year, mo, 1), dt.date(year, mo, calendar.monthrange(year, mo)[1])
        d = dt.date(year, mo, int(day))
        return d, d
    except ValueError:
        return None


def is_pdate(text) -> bool:
    return pdate_range(text) is not None


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on `day`. Someone born on 29 February completes a year on 1 March in common years."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def age_range(birth_pdate: str, day: dt.date) -> tuple[int, int] | None:
    """(youngest, oldest) possible completed age on `day` for a partial birth date."""
    rng = pdate_range(birth_pdate)
    if rng is None:
        return None
    first, last = rng
    return age_on(last, day), age_on(first, day)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_offset(day: dt.date, offset: dict) -> dt.date:
    """Apply {"years": y, "months": m, "weeks": w, "days": d} (any subset, may be negative)."""
    out = add_months(day, 12 * int(offset.get("years", 0)) + int(offset.get("months", 0)))
    return out + dt.timedelta(weeks=int(offset.get("weeks", 0)), days=int(offset.get("days", 0)))


def require(errors: dict, key: str, value) -> None:
    if value is None or (isinstance(value, (str, list, dict)) and not value):
        errors[key] = _("This field is required.")


def check_date(errors: dict, key: str, value, required: bool = False) -> None:
    if value in (None, ""):
        if required:
            errors[key] = _("This field is required.")
        return
    if parse_date(value) is None:
        errors[key] = _("Please enter a date as YYYY-MM-DD.")
