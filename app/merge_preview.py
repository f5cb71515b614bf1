"""What merging two persons will make, field by field, before anything is written.

`merge_preview(repo, keep_id, away_id, choices)` reads both persons, their households and
cases and returns a `MergePreview`: one `FieldRow` per field with both values, whether they
differ and what the merged person will hold given the reviewer's `choices` (field -> "keep"
or "away"; a field left out takes its default). The rules (docs/duplicates.md, "Merging"):

* a value only one of the two records has is taken (the merge fills the empty field);
* where both have different values the reviewer chooses; the default is the kept record's,
  except that a real birth date beats the placeholder 01.01.YYYY (or a bare year) of the same
  year and a known sex beats "unknown";
* name spellings that the merged names do not cover are kept as alternative spellings
  (`person.aliases`, searched by the case list like the names), together with the aliases
  both records had;
* languages become one entry per language, with the higher level of the two;
* the cases all go to the kept person and into its household; when the merged-away person
  was the last member of its household, that household's records follow (app.duplicates).

`app.duplicates.merge_persons` writes exactly `preview.changes` onto the kept person, so what
the reviewer saw is what is saved. Reads only; no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from i18n import _

from . import schema
from .search import fold

KEEP, AWAY = "keep", "away"
NAME_FIELDS = ("family_name", "given_names", "family_name_orig", "given_names_orig")
# the fields a reviewer chooses between when both records have a different value
CHOOSABLE = NAME_FIELDS + ("birth_date", "sex", "nationality", "country_of_origin", "relation",
                           "interpreter_language", "contact_language", "phone", "email")
MERGED = ("languages", "aliases")  # shown as they will be merged; no choice
LEVEL_RANK = {level: i for i, level in enumerate(schema.CEFR_LEVELS)}  # A1 < ... < C2 < native


class MergeRefused(ValueError):
    """The two records cannot be merged (same record, missing, already merged, a wrong choice)."""


@dataclass(frozen=True)
class FieldRow:
    """One field of the two records side by side and what the merged person will hold."""

    field: str
    keep: Any
    away: Any
    result: Any
    differs: bool
    choice: str | None = None  # KEEP or AWAY where both have a different value (the reviewer decides)

    @property
    def choosable(self) -> bool:
        return self.choice is not None


@dataclass(frozen=True)
class CaseInfo:
    id: str
    side: str  # KEEP or AWAY: whose case it is now
    case_number: str | None
    rechtskreis: str | None
    office: str | None
    status: str | None
    moves_household: bool  # it moves into the kept person's household


@dataclass(frozen=True)
class HouseholdInfo:
    id: str
    office: str | None
    address: str | None
    members: tuple[dict, ...]  # the other active members (person rows)


@dataclass(frozen=True)
class MergePreview:
    keep: dict
    away: dict
    rows: tuple[FieldRow, ...]
    cases: tuple[CaseInfo, ...]
    keep_household: HouseholdInfo | None
    away_household: HouseholdInfo | None
    household_follows: bool  # the merged-away person is its household's last member: the household merges too
    changes: dict  # what the kept person's record gets, field -> value
    choices: dict  # the choice in force for every choosable field, field -> KEEP or AWAY

    def row(self, field: str) -> FieldRow:
        return next(r for r in self.rows if r.field == field)

    @property
    def differing(self) -> tuple[FieldRow, ...]:
        return tuple(r for r in self.rows if r.differs)

    @property
    def result(self) -> dict:
        """The kept person as it will be after the merge."""
        return {**self.keep, **self.changes}


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge_languages(a, b) -> list | None:
    """One entry per language, the higher level of the two; the first list's order, then new languages."""
    if _empty(b) or not isinstance(b, list):
        return a
    if _empty(a) or not isinstance(a, list):
        a = []
    out: list = []
    where: dict[str, int] = {}
    for item in [*a, *b]:
        code = (item.get("code") or item.get("language")) if isinstance(item, dict) else None
        if not code:
            if item not in out:
                out.append(item)
            continue
        if code not in where:
            where[code] = len(out)
            out.append(item)
        elif LEVEL_RANK.get(item.get("level"), -1) > LEVEL_RANK.get(out[where[code]].get("level"), -1):
            out[where[code]] = item
    return out


def _spelling(person: dict) -> dict:
    return {f: person[f] for f in NAME_FIELDS if isinstance(person.get(f), str) and person[f].strip()}


def _folded(entry: dict) -> tuple:
    return tuple(fold(entry.get(f)) for f in NAME_FIELDS)


def merge_aliases(keep: dict, away: dict, names: dict) -> list[dict]:
    """The spellings of both records (and their aliases) that the merged `names` do not cover."""
    out: list[dict] = []
    seen = {_folded(names)}
    entries = [*(keep.get("aliases") or []), *(away.get("aliases") or []), _spelling(keep), _spelling(away)]
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        entry = {f: v for f, v in entry.items() if f in NAME_FIELDS and isinstance(v, str) and v.strip()}
        if not entry or all(fold(v) == fold(names.get(f)) for f, v in entry.items()):
            continue  # nothing in it the merged names lack
        key = _folded(entry)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def is_placeholder_date(value: str | None) -> bool:
    """01.01.YYYY (or only a year): registered when the real date was unknown."""
    if not value:
        return False
    return len(value) == 4 or value.endswith("-01-01")


def _default(field: str, keep: dict, away: dict) -> str:
    if field == "birth_date":
        k, a = keep.get("birth_date") or "", away.get("birth_date") or ""
        if is_placeholder_date(k) and not is_placeholder_date(a) and k[:4] == a[:4]:
            return AWAY  # a real date beats 01.01.YYYY
    if field == "sex" and keep.get("sex") == "u":
        return AWAY
    return KEEP


def merged_fields(keep: dict, away: dict, choices: dict | None = None) -> tuple[tuple[FieldRow, ...], dict, dict]:
    """The rows, the changes to the kept person and the choices in force, for two person rows."""
    choices = dict(choices or {})
    for f, side in choices.items():
        if f not in CHOOSABLE:
            raise MergeRefused(_("this field cannot be taken over: {field}").format(field=f))
        if side not in (KEEP, AWAY):
            raise MergeRefused(_("choose the value of one of the two records: {field}").format(field=f))
    rows: list[FieldRow] = []
    result: dict[str, Any] = {}
    in_force: dict[str, str] = {}
    for f in CHOOSABLE:
        k, a = keep.get(f), away.get(f)
        if _empty(a) or k == a:
            rows.append(FieldRow(f, k, a, k, differs=not _empty(k) and k != a))
            result[f] = k
        elif _empty(k):
            rows.append(FieldRow(f, k, a, a, differs=True))
            result[f] = a
        else:
            side = choices.get(f) or _default(f, keep, away)
            in_force[f] = side
            result[f] = a if side == AWAY else k
            rows.append(FieldRow(f, k, a, result[f], differs=True, choice=side))
    langs = merge_languages(keep.get("languages"), away.get("languages"))
    rows.append(FieldRow("languages", keep.get("languages"), away.get("languages"), langs,
                         differs=_language_set(keep.get("languages")) != _language_set(away.get("languages"))))
    aliases = merge_aliases(keep, away, {f: result[f] for f in NAME_FIELDS}) or None
    rows.append(FieldRow("aliases", keep.get("aliases"), away.get("aliases"), aliases,
                         differs=aliases != (keep.get("aliases") or None)))
    result["languages"], result["aliases"] = langs, aliases
    changes = {f: v for f, v in result.items()
               if v != keep.get(f) and not (_empty(v) and _empty(keep.get(f)))}
    return tuple(rows), changes, in_force


def _language_set(value) -> set:
    if not isinstance(value, list):
        return set()
    return {(x.get("code") or x.get("language"), x.get("level")) if isinstance(x, dict) else repr(x) for x in value}


def _household(repo, household_id: str | None, person_id: str) -> HouseholdInfo | None:
    hh = repo.get("household", household_id) if household_id else None
    if hh is None:
        return None
    members = tuple(p for p in repo.find("person", household_id=household_id)
                    if p["id"] != person_id and not p.get("merged_into"))
    return HouseholdInfo(hh["id"], hh.get("office"), hh.get("address"), members)


def merge_preview(repo, keep_id: str, away_id: str, choices: dict | None = None) -> MergePreview:
    """What merging person `away_id` into `keep_id` will make, given the reviewer's `choices`."""
    keep, away = repo.get("person", keep_id), repo.get("person", away_id)
    if keep is None or away is None or keep.get("deleted") or away.get("deleted"):
        raise MergeRefused(_("unknown person"))
    if keep_id == away_id:
        raise MergeRefused(_("these records are already the same person"))
    if keep.get("merged_into") or away.get("merged_into"):
        raise MergeRefused(_("a record that was merged away cannot be merged again"))
    rows, changes, in_force = merged_fields(keep, away, choices)
    keep_hh = _household(repo, keep.get("household_id"), keep_id)
    away_hh = _household(repo, away.get("household_id"), away_id)
    target = keep.get("household_id")
    cases = []
    for side, person in ((KEEP, keep), (AWAY, away)):
        for c in sorted(repo.find("case", person_id=person["id"]), key=lambda c: (c.get("opened") or "", c["id"])):
            cases.append(CaseInfo(c["id"], side, c.get("case_number"), c.get("rechtskreis"), c.get("office"),
                                  c.get("status"), moves_household=side == AWAY and bool(target)
                                  and c.get("household_id") != target))
    follows = bool(away_hh and keep_hh and away_hh.id != keep_hh.id and not away_hh.members)
    return MergePreview(keep, away, rows, tuple(cases), keep_hh, away_hh, follows, changes, in_force)
