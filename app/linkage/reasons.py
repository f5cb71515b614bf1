"""Why a pair is proposed (or doubtful), per field, in words a reviewer reads (English msgids).

`explain(model, a, b, comparison)` gives one `FieldReason` per compared field (its level,
its weight in bits, the message) and `warnings(a, b, comparison)` the patterns of people who
look alike but are usually two persons: twins (same family name and birth date, other given
names), father and son (same name, born years apart), a male and a female form of one name.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import N_

from .compare import FIELDS, Comparison, Prepared, token_level
from .model import Model

MESSAGES: dict[tuple[str, str], str] = {
    ("family", "exact"): N_("same family name"),
    ("family", "close"): N_("family name spelt differently"),
    ("family", "subset"): N_("family name contained in the other"),
    ("family", "partial"): N_("family names share one part"),
    ("family", "weak"): N_("family names only similar"),
    ("family", "different"): N_("different family names"),
    ("given", "exact"): N_("same given names"),
    ("given", "close"): N_("given names spelt differently"),
    ("given", "subset"): N_("one has more given names"),
    ("given", "partial"): N_("only one given name shared"),
    ("given", "weak"): N_("given names only similar"),
    ("given", "different"): N_("different given names"),
    ("birth", "exact"): N_("same birth date"),
    ("birth", "swapped"): N_("birth date: day and month swapped"),
    ("birth", "digit"): N_("birth date: one digit differs"),
    ("birth", "placeholder_year"): N_("same birth year (placeholder date)"),
    ("birth", "placeholder_year1"): N_("birth year one apart (estimate?)"),
    ("birth", "same_year"): N_("same birth year, another day"),
    ("birth", "year1"): N_("birth year one apart"),
    ("birth", "different"): N_("different birth year"),
    ("birth", "missing"): N_("birth date missing on one side"),
    ("sex", "same"): N_("same sex"),
    ("sex", "different"): N_("different sex"),
    ("nationality", "same"): N_("same nationality"),
    ("nationality", "different"): N_("different nationality"),
    ("language", "same"): N_("same language"),
    ("language", "different"): N_("different language"),
    ("phone", "same"): N_("same phone number"),
    ("phone", "different"): N_("different phone numbers"),
    ("relatives", "shared"): N_("household members with the same names"),
    ("relatives", "none_shared"): N_("household members differ"),
}
SWAPPED = N_("given and family names swapped")
MOVED = N_("father's name in the given names")
TWINS = N_("twins or siblings? same family name and birth date, other given names")
FATHER_SON = N_("father and son? same name, born years apart")
SAME_HOUSEHOLD = N_("members of one household: twins or siblings?")
GENDER_FORMS = N_("male and female form of one name (Ivan / Ivanna)?")
FIELD_LABELS = {"family": N_("family name"), "given": N_("given names"), "birth": N_("birth date"),
                "sex": N_("sex"), "nationality": N_("nationality"), "language": N_("language"),
                "phone": N_("phone"), "relatives": N_("household")}


@dataclass(frozen=True)
class FieldReason:
    field: str
    level: str
    weight: float
    message: str | None


def explain(model: Model, a: Prepared, b: Prepared, c: Comparison) -> list[FieldReason]:
    out = []
    for f, w in zip(FIELDS, model.weights(c, a, b), strict=True):
        level = c.level(f)
        out.append(FieldReason(f, level, round(w, 2), MESSAGES.get((f, level))))
    return out


def warnings(a: Prepared, b: Prepared, c: Comparison) -> list[str]:
    out = [SAME_HOUSEHOLD] if c.same_household else []
    fam, giv, born = c.level("family"), c.level("given"), c.level("birth")
    if fam in ("exact", "close") and born == "exact" and giv in ("partial", "weak", "different"):
        out.append(TWINS)
    if fam in ("exact", "close") and giv in ("exact", "close") and born == "different" and a.birth and b.birth \
            and abs(a.birth.year - b.birth.year) >= 14:
        out.append(FATHER_SON)
    if a.given and b.given and any(x != y and (x == y + "a" or y == x + "a") and token_level(x, y) == 0
                                   for x in a.given for y in b.given):
        out.append(GENDER_FORMS)
    return out


def summary(c: Comparison, reasons: list[FieldReason], warns: list[str]) -> list[str]:
    """The messages for a list view: the flags, then the fields that weigh most (|weight| >= 1 bit)."""
    out = [SWAPPED] if c.swapped else []
    if c.moved:
        out.append(MOVED)
    ranked = sorted((r for r in reasons if r.message and (abs(r.weight) >= 1 or r.level == "missing")),
                    key=lambda r: -abs(r.weight))
    out += [r.message for r in ranked if r.message]
    return out + warns
