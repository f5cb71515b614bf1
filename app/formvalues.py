"""Answers to a form definition: which fields show, field-level validation, display texts.

Pure functions over a FormDef and a dict {field key: JSON value}. Value shapes
per type: text -> str, number -> int, date -> "YYYY-MM-DD", partial_date ->
"YYYY[-MM[-DD]]", choice -> option value, multi_choice -> [values], yes_no ->
bool, yes_no_proof -> {"value": bool, "proof": bool|None}, cefr ->
[{"language": str, "level": "A1".."C2"|"native"}], records -> [{sub key: value}].
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from i18n import _

from .checks import parse_date, pdate_range
from .forms import FormDef, FormField
from .schema import CEFR_LEVELS


def empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def condition_holds(cond, answers: dict) -> bool:
    if cond is None:
        return True
    conds = cond if isinstance(cond, list) else [cond]
    for c in conds:
        v = answers.get(c["field"])
        if "equals" in c:
            ok = v == c["equals"]
        elif "in" in c:
            ok = v in c["in"]
        elif "contains" in c:
            ok = isinstance(v, list) and c["contains"] in v
        else:
            ok = (not empty(v)) == c["filled"]
        if not ok:
            return False
    return True


def visible_fields(form: FormDef, answers: dict) -> list[FormField]:
    """Fields shown for these answers (section and field conditions, in order)."""
    out: list[FormField] = []
    for s in form.sections:
        if not condition_holds(s.show_if, answers):
            continue
        out.extend(f for f in s.fields if condition_holds(f.show_if, answers))
    return out


def clean(form: FormDef, answers: dict) -> dict:
    """The answers that count: visible fields only, text trimmed, empty values dropped."""
    out = {}
    for f in visible_fields(form, answers):
        v = answers.get(f.key)
        if isinstance(v, str):
            v = v.strip()
        if not empty(v):
            out[f.key] = v
    return out


def validate(form: FormDef, answers: dict, today: dt.date | None = None) -> dict[str, str]:
    """Field key -> translated message for every problem; empty when the answers are valid."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    values = clean(form, answers)
    for f in visible_fields(form, answers):
        v = values.get(f.key)
        if v is None:
            if f.required:
                errors[f.key] = _("This field is required.")
            continue
        msg = check_value(f, v, today)
        if msg:
            errors[f.key] = msg
    for r in form.rules:
        a, b = r["fields"]
        if a in errors or b in errors or a not in values or b not in values:
            continue
        ra, rb = pdate_range(values[a]), pdate_range(values[b])
        if ra and rb and ra[0] > rb[1]:
            errors[b] = _(r["message"])
    return errors


def check_value(f: FormField, v: Any, today: dt.date) -> str | None:
    t = f.type
    if t == "text":
        if not isinstance(v, str):
            return _("Please enter text.")
        if "max_length" in f.props and len(v) > f.props["max_length"]:
            return _("Please enter at most {n} characters.").format(n=f.props["max_length"])
        if "pattern" in f.props and not re.fullmatch(f.props["pattern"], v):
            return _(f.props["pattern_message"])
    elif t == "number":
        if not isinstance(v, int) or isinstance(v, bool):
            return _("Please enter a whole number.")
        if "min" in f.props and v < f.props["min"]:
            return _("Please enter at least {n}.").format(n=f.props["min"])
        if "max" in f.props and v > f.props["max"]:
            return _("Please enter at most {n}.").format(n=f.props["max"])
    elif t == "date":
        d = parse_date(v)
        if d is None:
            return _("Please enter a date as YYYY-MM-DD.")
        if f.props.get("not_future") and d > today:
            return _("This date lies in the future.")
    elif t == "partial_date":
        span = pdate_range(v)
        if span is None:
            return _("Please enter a year, year and month, or a full date (YYYY, YYYY-MM or YYYY-MM-DD).")
        if f.props.get("not_future") and span[0] > today:
            return _("This date lies in the future.")
    elif t == "choice":
        if v not in dict(f.options):
            return _("Please choose one of the options.")
    elif t == "multi_choice":
        if not isinstance(v, list) or any(x not in dict(f.options) for x in v):
            return _("Please choose among the options.")
    elif t == "yes_no":
        if not isinstance(v, bool):
            return _("Please answer yes or no.")
    elif t == "yes_no_proof":
        if not isinstance(v, dict) or not isinstance(v.get("value"), bool) \
                or v.get("proof") not in (None, True, False):
            return _("Please answer yes or no.")
    elif t == "cefr":
        if not isinstance(v, list):
            return _("Please list languages with their level.")
        for item in v:
            if not isinstance(item, dict) or not str(item.get("language", "")).strip():
                return _("Every language needs a name.")
            if item.get("level") not in CEFR_LEVELS:
                return _("Please choose a level (A1 to C2, or native) for {language}.").format(
                    language=item.get("language"))
    elif t == "records":
        if not isinstance(v, list):
            return _("Please add entries.")
        for n, rec in enumerate(v, 1):
            if not isinstance(rec, dict):
                return _("Entry {n} is not valid.").format(n=n)
            for sf in f.fields:
                sv = rec.get(sf.key)
                if empty(sv):
                    if sf.required:
                        return _("Entry {n}: {field} is required.").format(n=n, field=_(sf.label))
                    continue
                msg = check_value(sf, sv, today)
                if msg:
                    return _("Entry {n}: {field}: {message}").format(n=n, field=_(sf.label), message=msg)
    return None


def _reader_language(lang: str | None) -> str:
    """The language values are formatted for: `lang`, else the UI language (German for a pseudo locale)."""
    import i18n
    from i18n import locale as loc

    code = lang or i18n.current_language()
    return loc.normalize(code) or i18n.DEFAULT_LANGUAGE


def _plain(text: str) -> str:
    return text


def display_value(f: FormField | None, v: Any, tr=_, lang: str | None = None, wrap=_plain) -> str:
    """A value as text for people; `tr` translates msgids (UI or a form language).

    Dates, numbers and lists are formatted for `lang` (default: the UI language): its date
    order and digits, its list pattern and commas (`،` in Arabic script). `wrap` is applied to
    every value that is not a translated text (a name, a date, a number, free text): documents
    pass a bidi isolate, so a German note keeps its full stop in a Farsi line."""
    from i18n import locale as loc

    if v is None:
        return ""
    lang = _reader_language(lang)
    if f is None:
        return wrap(v if isinstance(v, str) else str(v))
    t = f.type
    if t == "choice":
        return tr(f.option_label(v))
    if t == "multi_choice":
        return loc.list_join([tr(f.option_label(x)) for x in v], lang)
    if t == "yes_no":
        return tr("yes") if v else tr("no")
    if t == "yes_no_proof":
        text = tr("yes") if v.get("value") else tr("no")
        if v.get("proof") is True:
            text += " (" + tr("with proof") + ")"
        elif v.get("proof") is False:
            text += " (" + tr("without proof") + ")"
        return text
    if t == "cefr":  # a language the form offers is a catalog text ("Arabic"); one typed in stays as written
        offered = set(f.props.get("languages") or ())

        def name(item: dict) -> str:
            text = str(item.get("language"))
            return tr(text) if text in offered else text

        return loc.list_join([f"{wrap(name(i))}: "
                              f"{tr(i['level']) if i.get('level') == 'native' else wrap(str(i.get('level')))}"
                              for i in v], lang)
    if t == "records":
        parts = []
        for rec in v:
            parts.append(loc.comma(lang).join(f"{tr(sf.label)}: {display_value(sf, rec.get(sf.key), tr, lang, wrap)}"
                                              for sf in f.fields if not empty(rec.get(sf.key))))
        return loc.semicolon(lang).join(parts)
    if t == "date" and parse_date(v) is not None:
        return wrap(loc.format_date(v, lang, "medium"))
    if t == "partial_date" and pdate_range(v) is not None:
        return wrap(loc.format_partial_date(v, lang))
    if t == "number" and isinstance(v, (int, float)) and not isinstance(v, bool):
        return wrap(loc.format_number(v, lang))
    return wrap(str(v))


def display_rows(form: FormDef, answers: dict, tr=_, lang: str | None = None,
                 wrap=_plain) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """[(section title, [(label, value text, sensitive)])] for the recorded answers.

    Every answer is shown, also one whose field no longer exists in this
    version (under "Other answers"), so nothing recorded disappears.
    Values as `display_value` formats them for `lang`.
    """
    out = []
    shown = set()
    for s in form.sections:
        rows = []
        for f in s.fields:
            if f.key in answers and not empty(answers[f.key]):
                rows.append((tr(f.label), display_value(f, answers[f.key], tr, lang, wrap), f.sensitive))
                shown.add(f.key)
        if rows:
            out.append((tr(s.title), rows))
    rest = [(k, display_value(None, v, tr, lang, wrap), False) for k, v in sorted(answers.items())
            if k not in shown and not empty(v)]
    if rest:
        out.append((tr("Other answers"), rest))
    return out
