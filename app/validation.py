"""Field-level validation helpers shared by the services: partial dates, choices, names.

Validators return a translated message or None. Services collect them into a
dict `{field path: message}`; an empty dict means the input may be saved.
"""

from __future__ import annotations

import datetime as _dt
import re

from i18n import _

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_GERMAN = re.compile(r"^(?:(\d{1,2})\.)?(?:(\d{1,2})\.)?(\d{4})$")


class PartialDateError(ValueError):
    pass


def parse_partial_date(text: str | None, today: _dt.date | None = None) -> str | None:
    """Normalise a possibly partial birth date to ISO 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.

    Accepts ISO partial forms and German forms '17.05.1990', '05.1990',
    '00.00.1990' or '00.05.1990' (zero = unknown). Empty input gives None.
    Raises PartialDateError with a translated message.
    """
    if text is None or not text.strip():
        return None
    text = text.strip()
    year = month = day = None
    m = _ISO_PARTIAL.match(text)
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
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
    today = today or _dt.date.today()
    if year < 1900 or year > today.year:
        raise PartialDateError(_("The year must lie between 1900 and {year}.").format(year=today.year))
    if month is not None and not 1 <= month <= 12:
        raise PartialDateError(_("The month must lie between 1 and 12."))
    if day is not None:
        try:
            date = _dt.date(year, month, day)
        except ValueError:
            raise PartialDateError(_("This day does not exist.")) from None
        if date > today:
            raise PartialDateError(_("The date lies in the future."))
        return date.isoformat()
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def parse_date(text: str | None) -> str | None:
    """A full date (DD.MM.YYYY or YYYY-MM-DD) to ISO; None for empty input."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return _dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise PartialDateError(_("Enter a date as DD.MM.YYYY."))


def earliest_birthday(partial: str | None) -> _dt.date | None:
    """The earliest date a partial birth date can stand for (1990 -> 1990-01-01)."""
    if not partial:
        return None
    parts = [int(p) for p in partial.split("-")]
    return _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def age_on(partial: str | None, on: _dt.date) -> int | None:
    """Age in whole years on a date; for partial dates the birthday is taken as the earliest possible day."""
    born = earliest_birthday(partial)
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def required(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("This field is required.")
    return None


def choice(value, choices) -> str | None:
    if value is not None and value not in choices:
        return _("Please choose one of the offered values.")
    return None
