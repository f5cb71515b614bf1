"""Dated, configurable rules: deadlines and hints per case, and the "due soon" list.

Rule sets are JSON files in resources/rules/ (format in docs/rules.md). A rule
has a legal source and a validity period, conditions on the facts of a case,
an anchor date fact plus an offset that give its due date, and a kind:
`deadline` (something must happen by then), `milestone` (something becomes
possible or changes then) or `hint` (no date). Rules never change data: they
only produce `Hint`s for people to act on. Replacing the files replaces the
rules; no code change is needed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from i18n import _

from .checks import add_offset, parse_date, pdate_range
from .forms import FormDefinitionError, JsonChecker

FORMAT = "sprechstunde-rules"
RULES_DIR = Path(__file__).resolve().parent.parent / "resources" / "rules"
KINDS = ("deadline", "milestone", "hint")
_RULE_KEYS = {"id", "kind", "title", "hint", "legal_source", "valid_from", "valid_until", "valid_on",
              "when", "anchor", "offset", "remind_days", "expire_days", "example"}
_OPS = ("equals", "in", "not_in", "present", "contains", "not_contains", "in_list")
_OFFSET_KEYS = {"years", "months", "weeks", "days"}


class RuleDefinitionError(FormDefinitionError):
    """A malformed rule file: file, line, JSON path and reason."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title: str
    hint: str
    legal_source: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    valid_on: str  # "due": the law in force on the due date decides; "today": on the evaluation day
    when: tuple
    anchor: str | None
    offset: dict
    remind_days: int
    expire_days: int | None
    example: dict | None
    source: str


@dataclass(frozen=True, slots=True)  # thousands per due list: no __dict__ each
class Hint:
    rule_id: str
    case_id: str | None
    kind: str
    state: str  # upcoming, due_soon, overdue, reached, info
    due: dt.date | None
    title: str
    text: str
    legal_source: str

    def to_dict(self) -> dict:
        return {"rule": self.rule_id, "case_id": self.case_id, "kind": self.kind, "state": self.state,
                "due": self.due.isoformat() if self.due else None, "title": self.title, "text": self.text,
                "legal_source": self.legal_source}


class RuleSet:
    def __init__(self, rules: list[Rule], lists: dict[str, list[dict]]):
        self.rules = rules
        self.lists = lists
        self._compiled: list[tuple[Rule, Any, tuple, frozenset]] | None = None
        self._predicates: dict[int, tuple[dict, Any]] = {}  # id(condition): (condition, predicate)

    @classmethod
    def load(cls, *paths: Path | str) -> "RuleSet":
        """Every `*.json` in the given folders or files (default: resources/rules)."""
        files: list[Path] = []
        for p in paths or (RULES_DIR,):
            p = Path(p)
            files.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
        rules: list[Rule] = []
        lists: dict[str, list[dict]] = {}
        for f in files:
            r, lst = load_rule_file(f)
            for rule in r:
                if any(x.id == rule.id for x in rules):
                    raise RuleDefinitionError(str(f), "rules", f"rule id '{rule.id}' is also defined elsewhere")
            rules.extend(r)
            for name, versions in lst.items():
                lists.setdefault(name, []).extend(versions)
        return cls(rules, lists)

    def list_values(self, name: str, on: dt.date) -> set[str]:
        out: set[str] = set()
        for v in self.lists.get(name, []):
            if _in_period(on, parse_date(v.get("valid_from")), parse_date(v.get("valid_until"))):
                out.update(v["values"])
        return out

    def compiled(self) -> list[tuple[Rule, Any, tuple, frozenset]]:
        """`compile_rule` of every rule, made once."""
        if self._compiled is None:
            self._compiled = [compile_rule(r) for r in self.rules]
        return self._compiled

    def compiled_rule(self, rule: Rule) -> tuple[Rule, Any, tuple, frozenset]:
        for entry in self.compiled():
            if entry[0] is rule:
                return entry
        return compile_rule(rule)

    def predicate(self, cond: dict) -> Any:
        """One condition as a predicate, made once per condition object."""
        known = self._predicates.get(id(cond))
        if known is None or known[0] is not cond:
            known = self._predicates[id(cond)] = (cond, _compile(cond))
        return known[1]

    def on(self, today: dt.date, due_list_only: bool = False) -> "Evaluation":
        """The rules evaluated on one day, for one case or thousands (the due list)."""
        return Evaluation(self, today, due_list_only)

    def evaluate(self, facts: dict[str, Any], today: dt.date, case_id: str | None = None) -> list[Hint]:
        return self.on(today).hints(facts, case_id)


class Evaluation:
    """The rule set on one day: the dated lists, the translated titles and texts and the due dates are
    worked out once and reused for every case (the due list evaluates thousands). With
    `due_list_only` only hints the due list shows (`in_due_list`) are made. Short-lived: the texts are
    in the language current when it was made."""

    def __init__(self, ruleset: RuleSet, today: dt.date, due_list_only: bool = False):
        self.ruleset = ruleset
        self.today = today
        self.due_list_only = due_list_only
        self._lists: dict[str, set[str]] = {}
        self._texts: dict[str, tuple[str, str]] = {}
        self._formatted: dict[tuple[str, dt.date | None], str] = {}
        # a rule judged by the evaluation day's law that is not in force on this day gives nothing
        self._rules = [self._prepared(entry) for entry in ruleset.compiled() if entry[0].valid_on == "due"
                       or _in_period(today, entry[0].valid_from, entry[0].valid_until)]
        self._reached_since = today - dt.timedelta(days=14)  # in_due_list: milestones of the last 14 days
        # the facts that top-level `equals`/`in` conditions look at: cases with the same values of these
        # share the list of rules that can apply to them at all (most cases fail most rules there)
        self._gates = tuple(sorted({c["fact"] for entry in self._rules for c in entry[0].when
                                    if "fact" in c and ("equals" in c or "in" in c)}))
        self._by_gate: dict[tuple, list] = {}

    def _prepared(self, entry: tuple) -> tuple:
        """A compiled rule with its day bounds: due before `expired_before` is past showing, due up to
        `soon_until` is due soon (today > due + expire_days, today >= due - remind_days)."""
        rule = entry[0]
        expired_before = (self.today - dt.timedelta(days=rule.expire_days)) if rule.expire_days is not None else None
        return (*entry, expired_before, self.today + dt.timedelta(days=rule.remind_days))

    def list_values(self, name: str) -> set[str]:
        values = self._lists.get(name)
        if values is None:
            values = self._lists[name] = self.ruleset.list_values(name, self.today)
        return values

    def hints(self, facts: dict[str, Any], case_id: str | None = None) -> list[Hint]:
        known, lists, judge = facts.keys(), self.list_values, self._rule
        hints = [h for entry in self._candidates(facts)
                 if known >= entry[3] and (h := judge(entry, facts, case_id, lists)) is not None]
        return sorted(hints, key=lambda h: (h.due or dt.date.max, h.rule_id))

    def _candidates(self, facts: dict) -> list:
        """The rules whose top-level `equals`/`in` conditions hold for these facts (each is still judged
        whole); found once per combination of the gate facts' values."""
        key = tuple(facts.get(g) for g in self._gates)
        try:
            found = self._by_gate.get(key)
        except TypeError:  # a list or dict where a code was expected: no shortcut
            return self._rules
        if found is None:
            values = dict(zip(self._gates, key, strict=True))
            found = self._by_gate[key] = [e for e in self._rules if all(
                (values[c["fact"]] == c["equals"]) if "equals" in c else (values[c["fact"]] in c["in"])
                for c in e[0].when if "fact" in c and ("equals" in c or "in" in c))]
        return found

    def rule(self, rule: Rule, facts: dict, case_id: str | None = None) -> Hint | None:
        return self._rule(self._prepared(self.ruleset.compiled_rule(rule)), facts, case_id, self.list_values)

    def _rule(self, entry: tuple, facts: dict, case_id: str | None, lists) -> Hint | None:
        rule, holds, offset, _needed, expired_before, soon_until = entry
        if not holds(facts, lists):
            return None
        today = self.today
        due = None
        if rule.anchor:
            due = _due_date(facts.get(rule.anchor), offset)
            if due is None:
                return None
        decisive = due if (rule.valid_on == "due" and due is not None) else today
        if not _in_period(decisive, rule.valid_from, rule.valid_until):
            return None
        if due is None:
            state = "info"
        else:
            if expired_before is not None and due < expired_before:
                return None
            if rule.kind == "milestone" and today >= due:
                state = "reached"
                if self.due_list_only and due < self._reached_since:
                    return None
            elif today > due:
                state = "overdue"
            elif due <= soon_until:
                state = "due_soon"
            elif self.due_list_only:
                return None  # upcoming: not in the due list
            else:
                state = "upcoming"
        title, text = self._text(rule, due)
        return Hint(rule.id, case_id, rule.kind, state, due, title, text, rule.legal_source)

    def _text(self, rule: Rule, due: dt.date | None) -> tuple[str, str]:
        texts = self._texts.get(rule.id)
        if texts is None:
            texts = self._texts[rule.id] = (_(rule.title), _(rule.hint))
        key = (rule.id, due)
        text = self._formatted.get(key)
        if text is None:
            text = self._formatted[key] = texts[1].format(due=due.strftime("%d.%m.%Y") if due else "")
        return texts[0], text


def _in_period(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def anchor_date(value) -> dt.date | None:
    """A fact as a date; a partial date counts from its first possible day."""
    if isinstance(value, dt.date):
        return value
    rng = pdate_range(value) if isinstance(value, str) else None
    return rng[0] if rng else None


@lru_cache(maxsize=1 << 16)
def _cached_due(value: str | dt.date, offset: tuple) -> dt.date | None:
    start = anchor_date(value)
    return add_offset(start, dict(offset)) if start is not None else None


def _due_date(value, offset: tuple) -> dt.date | None:
    """The anchor fact plus the offset; the same dates recur across cases, so they are computed once."""
    if isinstance(value, (str, dt.date)):
        return _cached_due(value, offset)
    return None


def condition_holds(cond: dict, facts: dict, ruleset: RuleSet, today: dt.date) -> bool:
    return ruleset.predicate(cond)(facts, lambda name: ruleset.list_values(name, today))


def compile_rule(rule: Rule) -> tuple[Rule, Any, tuple, frozenset]:
    """(rule, its conditions as one predicate, its offset as a key, the facts it cannot do without)."""
    return (rule, _compile_all([_compile(c) for c in rule.when]), tuple(sorted(rule.offset.items())),
            _needed_facts(rule))


def _needed_facts(rule: Rule) -> frozenset:
    """Facts without which the rule gives nothing: its anchor, and those of its top-level conditions that
    fail on a missing fact (equals a value, in a list without null, present, contains). A case lacking
    one is passed over without evaluating the rule: the result is the same, only sooner."""
    out = {rule.anchor} if rule.anchor else set()
    for c in rule.when:
        if "fact" not in c:
            continue
        if (("equals" in c and c["equals"] is not None) or ("in" in c and None not in c["in"])
                or c.get("present") is True or "contains" in c):
            out.add(c["fact"])
    return frozenset(out)


def _compile_all(parts: list) -> Any:
    if not parts:
        return lambda facts, lists: True
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda facts, lists: first(facts, lists) and second(facts, lists)

    def every(facts, lists):
        for p in parts:
            if not p(facts, lists):
                return False
        return True
    return every


def _compile(cond: dict) -> Any:
    """A condition (docs/rules.md) as a predicate `(facts, lists) -> bool`; `lists(name)` gives a dated
    list's values on the evaluation day."""
    if "all" in cond:
        return _compile_all([_compile(c) for c in cond["all"]])
    if "any" in cond:
        parts = [_compile(c) for c in cond["any"]]
        return lambda facts, lists: any(p(facts, lists) for p in parts)
    if "not" in cond:
        inner = _compile(cond["not"])
        return lambda facts, lists: not inner(facts, lists)
    fact = cond["fact"]
    if "equals" in cond:
        want = cond["equals"]
        return lambda facts, lists: facts.get(fact) == want
    if "in" in cond:
        options = cond["in"]
        return lambda facts, lists: facts.get(fact) in options
    if "not_in" in cond:
        options = cond["not_in"]
        return lambda facts, lists: facts.get(fact) not in options
    if "present" in cond:
        present = cond["present"]
        return lambda facts, lists: (facts.get(fact) not in (None, "", [], {})) == present
    if "contains" in cond:
        item = cond["contains"]

        def contains(facts, lists):
            v = facts.get(fact)
            return isinstance(v, (list, tuple, set)) and item in v
        return contains
    if "not_contains" in cond:
        item = cond["not_contains"]

        def not_contains(facts, lists):
            v = facts.get(fact)
            return not (isinstance(v, (list, tuple, set)) and item in v)
        return not_contains
    if "in_list" in cond:
        name = cond["in_list"]
        return lambda facts, lists: facts.get(fact) in lists(name)
    return lambda facts, lists: False


def evaluate_rule(rule: Rule, facts: dict, today: dt.date, ruleset: RuleSet,
                  case_id: str | None = None) -> Hint | None:
    return ruleset.on(today).rule(rule, facts, case_id)


def in_due_list(h: Hint, today: dt.date, remind_days: int = 14) -> bool:
    """What the "due soon" list shows: overdue, due soon, milestones just reached, and dateless hints."""
    return _listed(h.state, h.due, today, remind_days)


def _listed(state: str, due: dt.date | None, today: dt.date, remind_days: int = 14) -> bool:
    if state in ("overdue", "due_soon", "info"):
        return True
    return state == "reached" and due is not None and (today - due).days <= remind_days


# -- loading -----------------------------------------------------------------
def load_rule_file(path: Path | str) -> tuple[list[Rule], dict[str, list[dict]]]:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleDefinitionError(str(path), "", f"cannot be read ({exc.__class__.__name__})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleDefinitionError(str(path), "", f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    c = JsonChecker(str(path), text, RuleDefinitionError)
    c.obj(doc, (), {"format", "id", "version", "title", "description", "lists", "rules"}, ("format", "rules"))
    if doc["format"] != FORMAT:
        c.fail(("format",), f"must be '{FORMAT}'")
    lists = doc.get("lists", {})
    if not isinstance(lists, dict):
        c.fail(("lists",), "must be an object")
    for name, versions in lists.items():
        if not isinstance(versions, list):
            c.fail(("lists", name), "must be a list of dated versions")
        for i, v in enumerate(versions):
            vp = ("lists", name, i)
            c.obj(v, vp, {"valid_from", "valid_until", "values", "source"}, ("values",))
            _date_prop(c, v, "valid_from", vp)
            _date_prop(c, v, "valid_until", vp)
            if not isinstance(v["values"], list):
                c.fail(vp + ("values",), "must be a list")
    if not isinstance(doc["rules"], list):
        c.fail(("rules",), "must be a list")
    rules, ids = [], set()
    for i, r in enumerate(doc["rules"]):
        rp = ("rules", i)
        c.obj(r, rp, _RULE_KEYS, ("id", "kind", "title", "hint", "legal_source"))
        rid = r["id"]
        if not isinstance(rid, str) or not rid or not rid.replace("_", "a").isalnum() or not rid[0].isalpha():
            c.fail(rp + ("id",), "must be letters, digits and '_' starting with a letter")
        if rid in ids:
            c.fail(rp + ("id",), f"rule id '{rid}' is used twice")
        ids.add(rid)
        if r["kind"] not in KINDS:
            c.fail(rp + ("kind",), f"must be one of {', '.join(KINDS)}")
        for k in ("title", "hint", "legal_source"):
            c.text_prop(r, k, rp)
        vf, vu = _date_prop(c, r, "valid_from", rp), _date_prop(c, r, "valid_until", rp)
        if vf and vu and vu < vf:
            c.fail(rp + ("valid_until",), "ends before it starts")
        valid_on = r.get("valid_on", "due")
        if valid_on not in ("due", "today"):
            c.fail(rp + ("valid_on",), "must be 'due' or 'today'")
        when = r.get("when", [])
        if not isinstance(when, list):
            c.fail(rp + ("when",), "must be a list of conditions")
        for j, cond in enumerate(when):
            _check_cond(c, cond, rp + ("when", j), lists)
        anchor = r.get("anchor")
        if r["kind"] == "hint":
            if anchor is not None or "offset" in r:
                c.fail(rp + ("anchor",), "a hint has no anchor or offset")
        elif not isinstance(anchor, str) or not anchor:
            c.fail(rp + ("anchor",), f"a {r['kind']} needs an anchor fact")
        offset = r.get("offset", {})
        c.obj(offset, rp + ("offset",), _OFFSET_KEYS)
        for k, v in offset.items():
            if not isinstance(v, int) or isinstance(v, bool):
                c.fail(rp + ("offset", k), "must be a whole number")
        for k in ("remind_days", "expire_days"):
            if k in r and (not isinstance(r[k], int) or isinstance(r[k], bool) or r[k] < 0):
                c.fail(rp + (k,), "must be a whole number of days, 0 or more")
        example = r.get("example")
        if example is not None:
            c.obj(example, rp + ("example",), {"facts", "due"}, ("facts",))
            if anchor and parse_date(example.get("due")) is None:
                c.fail(rp + ("example", "due"), "must be the expected due date YYYY-MM-DD")
        rules.append(Rule(rid, r["kind"], r["title"], r["hint"], r["legal_source"], vf, vu, valid_on,
                          tuple(when), anchor, dict(offset), r.get("remind_days", 14), r.get("expire_days"),
                          example, str(path)))
    return rules, lists


def _date_prop(c: JsonChecker, d: dict, k: str, path: tuple) -> dt.date | None:
    v = d.get(k)
    if v is None:
        return None
    day = parse_date(v)
    if day is None:
        c.fail(path + (k,), "must be a date YYYY-MM-DD")
    return day


def _check_cond(c: JsonChecker, cond, path: tuple, lists: dict) -> None:
    if not isinstance(cond, dict):
        c.fail(path, "must be an object")
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        c.obj(cond, path, {key}, (key,))
        if not isinstance(cond[key], list) or not cond[key]:
            c.fail(path + (key,), "must be a non-empty list")
        for i, sub in enumerate(cond[key]):
            _check_cond(c, sub, path + (key, i), lists)
        return
    if "not" in cond:
        c.obj(cond, path, {"not"})
        _check_cond(c, cond["not"], path + ("not",), lists)
        return
    c.obj(cond, path, {"fact", *_OPS}, ("fact",))
    ops = [k for k in _OPS if k in cond]
    if len(ops) != 1:
        c.fail(path, f"needs exactly one of {', '.join(_OPS)}")
    if ops[0] in ("in", "not_in") and not isinstance(cond[ops[0]], list):
        c.fail(path + (ops[0],), "must be a list")
    if ops[0] == "present" and not isinstance(cond["present"], bool):
        c.fail(path + ("present",), "must be true or false")
    if ops[0] == "in_list" and cond["in_list"] not in lists:
        c.fail(path + ("in_list",), f"unknown list '{cond['in_list']}'")


def default_rules() -> RuleSet:
    """The shipped rules, freshly loaded (about 1 ms); a session holds its own (app.resources)."""
    return RuleSet.load(RULES_DIR)
