"""Field-level validation for the services: input parsing, checks, and the date arithmetic they share.

`ValidationError.errors` maps a field key to a translated message; services
raise it before writing anything, so nothing invalid is saved half-way.
Validators such as `required` and `choice` return a translated message or
None. Dates typed by people (German DD.MM.YYYY or ISO, partial birth dates
with 00 for unknown parts) become ISO text with `parse_input_date` and
`parse_partial_date`. Partial dates ("1990", "1990-05", "1990-05-17") are
read into the range of days they may stand for; `age_range` gives the
youngest and oldest possible age on a given day (see docs/casework.md,
"Partial birth dates").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from i18n import _

_PDATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_GERMAN = re.compile(r"^(?:(\d{1,2})\.)?(?:(\d{1,2})\.)?(\d{4})$")  # [DD.][MM.]YYYY, 00 = unknown


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


# -- input typed by people -------------------------------------------------------
class PartialDateError(ValueError):
    pass


def parse_partial_date(text: str | None, today: dt.date | None = None) -> str | None:
    """Normalise a possibly partial birth date to ISO 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.

    Accepts ISO partial forms and German forms '17.05.1990', '05.1990',
    '00.00.1990' or '00.05.1990' (zero = unknown). Empty input gives None.
    Raises PartialDateError with a translated message.
    """
    if text is None or not text.strip():
        return None
    text = text.strip()
    month: int | None = None
    day: int | None = None
    m = _PDATE.match(text)
    if m:
        year = int(m.group(1))
        month, day = (int(g) if g else None for g in m.groups()[1:])
    else:
        g = _GERMAN.match(text)
        if not g:
            raise PartialDateError(_("Enter a date as DD.MM.YYYY, MM.YYYY or YYYY (00 for unknown parts)."))
        a, b, y = g.groups()
        year = int(y)
        if a is not None and b is not None:
            day, month = int(a), int(b)
        elif a is not None:
            month = int(a)
        day = day or None
        month = month or None
        if day and not month:
            raise PartialDateError(_("A day without a month is not a date."))
    today = today or dt.date.today()
    if year < 1900 or year > today.year:
        raise PartialDateError(_("The year must lie between 1900 and {year}.").format(year=today.year))
    if month is not None and not 1 <= month <= 12:
        raise PartialDateError(_("The month must lie between 1 and 12."))
    if day is not None:
        if month is None:  # the ISO pattern has no day without a month; the German form checked it above
            raise PartialDateError(_("A day without a month is not a date."))
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise PartialDateError(_("This day does not exist.")) from None
        if date > today:
            raise PartialDateError(_("The date lies in the future."))
        return date.isoformat()
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def parse_input_date(text: str | None) -> str | None:
    """A full date typed by a person (DD.MM.YYYY or YYYY-MM-DD) to ISO; None for empty input."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise PartialDateError(_("Enter a date as DD.MM.YYYY."))


def required(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("This field is required.")
    return None


def choice(value, choices) -> str | None:
    if value is not None and value not in choices:
        return _("Please choose one of the offered values.")
    return None
