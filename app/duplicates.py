"""Duplicate persons: find likely pairs across transliterations, and merge them as changes.

The same person is often registered twice, on two laptops or by two agencies:
Mohammed / Muhammad / Mohamad, Al-Hassan / Alhasan, a birth date that is only
the placeholder 01.01.YYYY. `find_duplicates` reads the persons and lets
app.linkage propose pairs (blocking, field comparisons, Fellegi-Sunter weights
learned from the store; docs/duplicates.md). `skeleton` and `name_keys` stay
for the case list's search. `merge_persons` keeps one record and
points the other to it (`merged_into`); what the kept record gets is the
reviewed `merge_preview` (app.merge_preview: choices per field, aliases, one
entry per language). Its cases move with their records into the kept person's
household (and the whole household when it is left without members);
`household_pairs` says which other members of the two households look like the
same people too. Every step is an
ordinary change through the Repository, so a merge replicates like any edit and
the merged-away record and its history stay in the log.
"""

from __future__ import annotations

import re
from typing import Any

from i18n import _

from . import linkage, schema
from .linkage import Candidate
from .merge_preview import AWAY, CHOOSABLE, MergeRefused, is_placeholder_date, merge_preview
from .search import fold

__all__ = ["Candidate", "MergeRefused", "find_duplicates", "household_pairs", "is_placeholder_date", "merge_persons",
           "merge_households", "merge_preview", "move_case_records", "name_keys", "repair_references", "resolve", "similarity", "skeleton"]


_DIGRAPHS = (("dsch", "j"), ("tsch", "ch"), ("sch", "s"),  # German tsch is English ch: Schewtschenko ~ Shevchenko
             ("dj", "j"), ("kh", "h"), ("ch", "h"),
             ("sh", "s"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ou", "u"),
             ("oo", "u"), ("ee", "i"), ("ck", "k"), ("q", "k"), ("c", "k"), ("w", "v"),
             ("z", "s"), ("x", "ks"), ("j", "y"))
_VOWELS = re.compile(r"[aeiouyäöü]")
_NON_LETTER = re.compile(r"[^\w]")
_ARTICLES = ("al", "el", "ul", "ad", "as", "ar", "an", "at", "az", "ash")
ARTICLES = _ARTICLES  # articles written before a name, as in Al-Hassan (also for app.caselist)


def skeleton(token: str) -> str:
    """A transliteration-insensitive key of one name token: Mohammed, Muhammad, Mohamad -> 'mhmd'."""
    t = _NON_LETTER.sub("", fold(token))
    if not t.isascii():  # Arabic, Cyrillic, Ge'ez: the folded text itself is the key
        return t
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)
    head, rest = t[:1], t[1:]
    rest = _VOWELS.sub("", rest)
    return (head if not _VOWELS.match(head) else "") + rest or t


def name_keys(text: str | None) -> set[str]:
    """Skeletons of every token, with and without a leading article (Al-Hassan, Alhasan -> 'hsn')."""
    keys: set[str] = set()
    for token in fold(text).split():
        if len(token) < 2 or token in _ARTICLES:  # "Al Hassan" written apart
            continue
        keys.add(skeleton(token))
        for art in _ARTICLES:
            if token.startswith(art) and len(token) - len(art) >= 3:
                keys.add(skeleton(token[len(art):]))
    keys.discard("")
    return keys


def similarity(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, list[str]]:
    """Match probability (0..1) of two person rows on their own (the model's priors), with reasons (msgids)."""
    a, b = {**a, "id": "a"}, {**b, "id": "b"}
    found = linkage.link([a, b], threshold=0.0).candidates
    return (found[0].score, found[0].reasons) if found else (0.0, [])


def find_duplicates(repo, person_id: str | None = None, threshold: float = 0.8) -> list[Candidate]:
    """Likely duplicate pairs among active persons (or of one person), most probable first (app.linkage)."""
    return linkage.link(repo.find("person"), threshold=threshold, person_id=person_id).candidates


def resolve(repo, entity: str, entity_id: str) -> str:
    """Follow `merged_into` to the surviving record; a merge cycle (two laptops merged
    each into the other) resolves to the smallest id of the cycle on every replica."""
    seen: list[str] = []
    current = entity_id
    while current not in seen:
        seen.append(current)
        row = repo.get(entity, current)
        nxt = row.get("merged_into") if row else None
        if not nxt:
            return current
        current = nxt
    return min(seen[seen.index(current):])


REVIEW_FIELDS = CHOOSABLE  # what a reviewer may take from either record (app.merge_preview)


def merge_persons(repo, keep_id: str, away_id: str, take_away: tuple[str, ...] = (),
                  choices: dict[str, str] | None = None) -> dict[str, int]:
    """Merge person `away_id` into `keep_id`; returns counts of what moved.

    What the kept person gets is `merge_preview(...).changes` (app.merge_preview): empty fields
    filled, the reviewer's `choices` (field -> "keep" or "away"; `take_away` names fields whose
    value comes from the merged-away record), other spellings kept as aliases, one entry per
    language. The cases move to the kept person and into its household with their records; the
    merged-away person's household follows when it is left without members. When the two households
    belong to different offices, the kept one is shared with the other office (a `share`). The merged-away
    record keeps all its values (and the log its history). One transaction."""
    moved = {"cases": 0, "fields": 0, "household_records": 0}
    chosen = {**{f: AWAY for f in take_away}, **(choices or {})}
    with repo.transaction():
        if repo.get("person", keep_id) and repo.get("person", away_id) and \
                resolve(repo, "person", keep_id) == resolve(repo, "person", away_id):
            raise MergeRefused(_("these records are already the same person"))
        preview = merge_preview(repo, keep_id, away_id, chosen)
        keep, away = preview.keep, preview.away
        if preview.changes:
            repo.save("person", preview.changes, keep_id)
            moved["fields"] = len(preview.changes)
        new_hh = keep.get("household_id")
        for case in repo.find("case", include_deleted=True, person_id=away_id):
            move = bool(new_hh) and case.get("household_id") not in (None, new_hh)
            repo.save("case", {"person_id": keep_id, **({"household_id": new_hh} if move else {})}, case["id"])
            moved["cases"] += 1
            if move and new_hh:
                moved["household_records"] += 1 + move_case_records(repo, case["id"], case["household_id"], new_hh)
        repo.save("person", {"merged_into": keep_id}, away_id)
        old_hh = away.get("household_id")
        _share_across_offices(repo, new_hh, old_hh)
        if old_hh and new_hh and old_hh != new_hh and not [
                p for p in repo.find("person", household_id=old_hh) if not p.get("merged_into")]:
            moved["household_records"] += merge_households(repo, new_hh, old_hh)
    return moved


def _share_across_offices(repo, new_hh: str | None, old_hh: str | None) -> None:
    """A person registered in two towns and merged: the kept household is shared with the other office, so
    its laptops keep seeing the person and the case that moved (and never write outside what they see)."""
    if not new_hh or not old_hh or new_hh == old_hh:
        return
    kept, other = repo.get("household", new_hh) or {}, repo.get("household", old_hh) or {}
    office = other.get("office")
    if not office or office == kept.get("office"):
        return
    if any(not s.get("deleted") for s in repo.find("share", household_id=new_hh, office=office)):
        return
    repo.save("share", {"household_id": new_hh, "office": office})


def move_case_records(repo, case_id: str, old_hh: str, new_hh: str) -> int:
    """Move the records of a case (and the records that point at those, as answers at their
    questionnaire) from household `old_hh` to `new_hh`; returns how many moved."""
    moving = {case_id}
    n = 0
    rows = [(name, ent, row) for name, ent in schema.ENTITIES.items()
            if ent.root == "household_id" and name not in ("person", "case") and "household_id" in ent.field_map
            for row in repo.find(name, include_deleted=True, household_id=old_hh)]
    grown = True
    while grown:  # until nothing more points at a moving record
        grown = False
        for name, ent, row in rows:
            if row["id"] in moving:
                continue
            refs = [f.name for f in ent.fields if f.kind == schema.REF and f.name != "household_id"]
            if any(row.get(f) in moving for f in refs):
                repo.save(name, {"household_id": new_hh}, row["id"])
                moving.add(row["id"])
                n += 1
                grown = True
    return n


def household_pairs(repo, keep_id: str, away_id: str, threshold: float = 0.8) -> list[Candidate]:
    """The other members of the two persons' households that are likely the same people too:
    pairs (member of the kept person's household, member of the other one) at or above
    `threshold` by `similarity`, each member in one pair at most, most probable first.
    Asked after a merge, so that a family registered twice is merged member by member."""
    keep, away = repo.get("person", keep_id), repo.get("person", away_id)
    if keep is None or away is None:
        return []
    hh_keep, hh_away = keep.get("household_id"), away.get("household_id")
    if not hh_keep or not hh_away or hh_keep == hh_away:
        return []

    def members(hh: str) -> list[dict]:
        return [p for p in repo.find("person", household_id=hh)
                if p["id"] not in (keep_id, away_id) and not p.get("merged_into")]

    scored = []
    for a in members(hh_keep):
        for b in members(hh_away):
            score, reasons = similarity(a, b)
            if score >= threshold:
                scored.append(Candidate(a["id"], b["id"], score, reasons))
    scored.sort(key=lambda c: (-c.score, c.person_id, c.other_id))
    used: set[str] = set()
    out = []
    for c in scored:
        if c.person_id not in used and c.other_id not in used:
            used.update((c.person_id, c.other_id))
            out.append(c)
    return out


def merge_households(repo, keep_id: str, away_id: str) -> int:
    """Move every record of household `away_id` to `keep_id` and point it there; returns how many moved."""
    n = 0
    with repo.transaction():
        if repo.get("household", keep_id) is None or repo.get("household", away_id) is None:
            raise MergeRefused(_("unknown household"))
        if resolve(repo, "household", keep_id) == resolve(repo, "household", away_id):
            raise MergeRefused(_("these records are already the same household"))
        for name, ent in schema.ENTITIES.items():
            if ent.root != "household_id" or "household_id" not in ent.field_map:
                continue
            for row in repo.find(name, include_deleted=True, household_id=away_id):
                repo.save(name, {"household_id": keep_id}, row["id"])
                n += 1
        repo.save("household", {"merged_into": keep_id}, away_id)
    return n


def repair_references(repo, changes=None) -> int:
    """Re-point records that point at a merged-away person or household to the survivor.

    Another laptop may add a case to a person (or a member to a household) while
    the merge of that person travels; run after every merge of received changes,
    on laptops and at the hub. With `changes` (the batch just merged) only what
    the batch touched is looked at: the persons and households it points records
    at, and those it merged away. Without it, the whole store. The target is a
    function of the merged state (`resolve`), so replicas that repair the same
    record write the same value and converge without a conflict (two equal heads
    are not one). Writes ordinary changes; returns how many records moved.
    """
    conn = repo.conn
    if changes is None:
        persons, households = _merged(conn, "person", None), _merged(conn, "household", None)
    else:
        person_refs: set[str] = set()
        household_refs: set[str] = set()
        for c in changes:
            if not c.value or type(c.value) is not str:
                continue
            if c.field == "merged_into":
                (person_refs if c.entity == "person" else household_refs).add(c.entity_id)
            elif (c.entity, c.field) == ("case", "person_id"):
                person_refs.add(c.value)
            elif c.field == "household_id":
                household_refs.add(c.value)
        persons = _merged(conn, "person", person_refs) if person_refs else []
        households = _merged(conn, "household", household_refs) if household_refs else []
    if not persons and not households:
        return 0
    n = 0
    with repo.transaction():
        case_table = schema.ENTITIES["case"].table
        for away in persons:
            target = resolve(repo, "person", away)
            if target == away:  # the survivor of a merge cycle stays where it is
                continue
            for (case_id,) in conn.execute(f'SELECT id FROM "{case_table}" WHERE person_id = ? ORDER BY id',
                                           (away,)).fetchall():
                repo.save("case", {"person_id": target}, case_id)
                n += 1
        for away in households:
            target = resolve(repo, "household", away)
            if target == away:
                continue
            for name, ent in schema.ENTITIES.items():
                if ent.root != "household_id" or "household_id" not in ent.field_map:
                    continue
                keep_merged = " AND merged_into IS NULL" if name == "person" else ""  # it stays with its history
                for (row_id,) in conn.execute(f'SELECT id FROM "{ent.table}" WHERE household_id = ?{keep_merged}'
                                              " ORDER BY id", (away,)).fetchall():
                    repo.save(name, {"household_id": target}, row_id)
                    n += 1
    return n


def _merged(conn, entity: str, ids) -> list[str]:
    """The ids (of `ids`, or all) of persons or households that are merged into another, sorted."""
    table = schema.ENTITIES[entity].table
    if ids is None:
        return [r[0] for r in conn.execute(f'SELECT id FROM "{table}" WHERE merged_into IS NOT NULL ORDER BY id')]
    ids, out = sorted(ids), []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out += [r[0] for r in conn.execute(
            f'SELECT id FROM "{table}" WHERE merged_into IS NOT NULL AND id IN ({",".join("?" * len(chunk))})',
            chunk)]
    return sorted(out)


def candidate_rows(repo, person_id: str | None = None, threshold: float = 0.8) -> list[dict[str, Any]]:
    """The candidates as `sprechstunde duplicates --json` and `sprechstunde-hub duplicates --json` print them."""
    return [{"person_id": c.person_id, "other_id": c.other_id, "score": c.score, "reasons": c.reasons,
             "person": _label(repo, c.person_id), "other": _label(repo, c.other_id),
             "fields": [{"field": f.field, "level": f.level, "weight": f.weight, "reason": f.message}
                        for f in c.fields]}
            for c in find_duplicates(repo, person_id=person_id, threshold=threshold)]


def report_lines(rows: list[dict[str, Any]], explain: bool = False) -> list[str]:
    """`candidate_rows` as text lines for a terminal, in the UI language."""
    from .linkage.reasons import FIELD_LABELS

    if not rows:
        return [_("No likely duplicates.")]
    out = []
    for r in rows:
        out.append(f"{r['score']:.2f}  {r['person_id']}  {r['person']}")
        out.append(f"      {r['other_id']}  {r['other']}  [{'; '.join(_(x) for x in r['reasons'])}]")
        if explain:
            for f in r["fields"]:
                out.append(f"        {_(FIELD_LABELS[f['field']]):<16} {f['weight']:+6.1f}  "
                           f"{_(f['reason']) if f['reason'] else '–'}")
    return out


def merged_line(moved: dict[str, int]) -> str:
    return _("Merged: {cases} cases and {records} household records moved, {fields} fields filled.").format(
        cases=moved["cases"], records=moved["household_records"], fields=moved["fields"])


def _label(repo, person_id: str) -> str:
    p = repo.get("person", person_id) or {}
    return f"{p.get('family_name') or ''}, {p.get('given_names') or ''} ({p.get('birth_date') or '?'})"


def add_options(p, keep: str, away: str) -> None:
    """The options `sprechstunde duplicates` and `sprechstunde-hub duplicates` share (an argparse parser)."""
    p.add_argument("--json", action="store_true", help=_("machine-readable output (a JSON list)"))
    p.add_argument("--person", metavar="ID", help=_("only candidates for this person"))
    p.add_argument("--threshold", type=float, default=0.8, metavar=_("SCORE"),
                   help=_("lowest score shown (0..1, default 0.8)"))
    p.add_argument("--explain", action="store_true",
                   help=_("show for every pair how each field was compared and what it weighs"))
    p.add_argument("--merge", nargs=2, metavar=(keep, away),
                   help=_("merge person {away} into {keep}").format(keep=keep, away=away))
    p.add_argument("--take-away", action="append", default=[], metavar=_("FIELD"),
                   help=_("with --merge: keep the merged-away record's value of FIELD (repeatable; one of {fields})")
                   .format(fields=", ".join(CHOOSABLE)))
