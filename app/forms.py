"""Questionnaire definitions as data: the loader, its checks and the registry of versions.

A definition is one JSON file `resources/forms/<id>.v<version>.json` (format in
docs/forms.md). `load_form` rejects a malformed file with a FormDefinitionError
naming the file, the line, the JSON path and the reason. `FormRegistry` keeps
every version it finds, so an answer recorded with version 1 still renders
after version 2 ships. Texts are English msgids, translated at display time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any, NoReturn


FORMAT = "sprechstunde-form"
FORMS_DIR = Path(__file__).resolve().parent.parent / "resources" / "forms"

FIELD_TYPES = (
    "text", "number", "date", "partial_date", "choice", "multi_choice",
    "yes_no", "yes_no_proof", "cefr", "records",
)
RECORD_FIELD_TYPES = ("text", "number", "date", "partial_date", "choice", "yes_no")
_COMMON_KEYS = {"key", "type", "label", "help", "required", "show_if", "sensitive"}
_TYPE_KEYS = {
    "text": {"multiline", "max_length", "pattern", "pattern_message"},
    "number": {"min", "max", "unit"},
    "date": {"not_future"},
    "partial_date": {"not_future"},
    "choice": {"options"},
    "multi_choice": {"options"},
    "yes_no": set(),
    "yes_no_proof": {"proof_label"},
    "cefr": {"languages"},
    "records": {"fields", "add_label"},
}
_FORM_KEYS = {"format", "id", "version", "title", "description", "chronicle", "sections", "rules", "help"}
_SECTION_KEYS = {"key", "title", "help", "fields", "show_if"}
_CONDITION_OPS = ("equals", "in", "filled", "contains")
_RULE_KINDS = ("date_order",)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE = re.compile(r"^([a-z][a-z0-9_]*)\.v([1-9][0-9]*)\.json$")


class FormDefinitionError(ValueError):
    """A malformed definition: where (file, line, JSON path) and why."""

    def __init__(self, file: str, path: str, reason: str, line: int | None = None):
        self.file, self.path, self.reason, self.line = file, path, reason, line
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {path or '(top level)'}: {reason}")


@dataclass(frozen=True)
class FormField:
    key: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    show_if: Any = None
    sensitive: bool = False
    options: tuple[tuple[str, str], ...] = ()
    props: dict = dc_field(default_factory=dict)
    fields: tuple["FormField", ...] = ()  # sub-fields of a records field

    def option_label(self, value: str) -> str:
        return dict(self.options).get(value, value)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str
    fields: tuple[FormField, ...]
    show_if: Any = None


@dataclass(frozen=True)
class FormDef:
    id: str
    version: int
    title: str
    description: str
    sections: tuple[Section, ...]
    rules: tuple[dict, ...] = ()
    chronicle: str = ""
    source: str = ""

    def fields(self) -> list[FormField]:
        return [f for s in self.sections for f in s.fields]

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields() if f.key == key), None)

    def section_of(self, key: str) -> Section | None:
        return next((s for s in self.sections if any(f.key == key for f in s.fields)), None)


# -- positions: which line a JSON path starts on -----------------------------
_WS = re.compile(r"[ \t\n\r]*")


def _skip_ws(text: str, i: int) -> int:
    """Index of the first non-whitespace character at or after `i`."""
    m = _WS.match(text, i)
    return m.end() if m else i  # the pattern matches the empty string, so `m` is never None


def json_positions(text: str) -> dict[tuple, int]:
    """Offset of every value in (valid) JSON text, keyed by its path tuple."""
    pos: dict[tuple, int] = {}
    decoder = json.JSONDecoder()

    def value(i: int, path: tuple) -> int:
        i = _skip_ws(text, i)
        pos[path] = i
        c = text[i]
        if c == "{":
            i = _skip_ws(text, i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = _skip_ws(text, i)
                key, i = decoder.raw_decode(text, i)  # the key, a JSON string
                i = _skip_ws(text, i) + 1  # the colon
                i = _skip_ws(text, value(i, path + (key,)))
                if text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if c == "[":
            i = _skip_ws(text, i + 1)
            if text[i] == "]":
                return i + 1
            n = 0
            while True:
                i = _skip_ws(text, value(i, path + (n,)))
                n += 1
                if text[i] == ",":
                    i += 1
                    continue
                return i + 1
        _, end = decoder.raw_decode(text, i)
        return end

    value(0, ())
    return pos


def path_text(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


class JsonChecker:
    """Structural checks on a parsed JSON document that fail with file, line, path and reason."""

    def __init__(self, file: str, text: str, error=FormDefinitionError):
        self.file, self.text, self.error = file, text, error
        self._pos: dict | None = None

    def fail(self, path: tuple, reason: str) -> NoReturn:
        if self._pos is None:
            self._pos = json_positions(self.text)
        p = path
        while p and p not in self._pos:
            p = p[:-1]
        line = self.text.count("\n", 0, self._pos.get(p, 0)) + 1
        raise self.error(self.file, path_text(path), reason, line)

    def obj(self, value, path, allowed: set, required: tuple = ()):
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
        for k in value:
            if k not in allowed:
                self.fail(path + (k,), f"unknown property '{k}' (allowed: {', '.join(sorted(allowed))})")
        for k in required:
            if k not in value:
                self.fail(path, f"missing required property '{k}'")
        return value

    def text_prop(self, d, k, path, required=True):
        v = d.get(k)
        if v is None and not required:
            return ""
        if not isinstance(v, str) or (required and not v.strip()):
            self.fail(path + (k,), "must be a non-empty text")
        return v

    def bool_prop(self, d, k, path):
        v = d.get(k, False)
        if not isinstance(v, bool):
            self.fail(path + (k,), "must be true or false")
        return v

    def key_prop(self, d, path):
        v = d.get("key")
        if not isinstance(v, str) or not _KEY.match(v):
            self.fail(path + ("key",), "must be lower-case letters, digits and '_' starting with a letter")
        return v


def load_form(path: Path | str) -> FormDef:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(str(path), "", f"cannot be read ({exc.__class__.__name__})") from None
    return parse_form(text, str(path), file_name=path.name)


def parse_form(text: str, file: str = "<text>", file_name: str | None = None) -> FormDef:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(file, "", f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    c = JsonChecker(file, text)
    c.obj(doc, (), _FORM_KEYS, ("format", "id", "version", "title", "sections"))
    if doc["format"] != FORMAT:
        c.fail(("format",), f"must be '{FORMAT}'")
    form_id = doc["id"]
    if not isinstance(form_id, str) or not _KEY.match(form_id):
        c.fail(("id",), "must be lower-case letters, digits and '_' starting with a letter")
    version = doc["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        c.fail(("version",), "must be a whole number of at least 1")
    if file_name is not None:
        m = _FILE.match(file_name)
        if not m or m.group(1) != form_id or int(m.group(2)) != version:
            c.fail(("id",), f"file name must be '{form_id}.v{version}.json'")
    title = c.text_prop(doc, "title", ())
    description = c.text_prop(doc, "description", (), required=False)
    chronicle = c.text_prop(doc, "chronicle", (), required=False)
    sections_raw = doc["sections"]
    if not isinstance(sections_raw, list) or not sections_raw:
        c.fail(("sections",), "must be a non-empty list")
    seen: dict[str, FormField] = {}
    sections = []
    section_keys: set[str] = set()
    for i, s in enumerate(sections_raw):
        sp = ("sections", i)
        c.obj(s, sp, _SECTION_KEYS, ("key", "title", "fields"))
        skey = c.key_prop(s, sp)
        if skey in section_keys:
            c.fail(sp + ("key",), f"section key '{skey}' is used twice")
        section_keys.add(skey)
        if not isinstance(s["fields"], list) or not s["fields"]:
            c.fail(sp + ("fields",), "must be a non-empty list")
        fields = []
        for j, f in enumerate(s["fields"]):
            ff = _parse_field(c, f, sp + ("fields", j), seen, FIELD_TYPES)
            seen[ff.key] = ff
            fields.append(ff)
        if "show_if" in s:
            _check_condition(c, s["show_if"], sp + ("show_if",), seen)
        sections.append(Section(skey, c.text_prop(s, "title", sp), c.text_prop(s, "help", sp, False),
                                 tuple(fields), s.get("show_if")))
    rules = doc.get("rules", [])
    if not isinstance(rules, list):
        c.fail(("rules",), "must be a list")
    for i, r in enumerate(rules):
        rp = ("rules", i)
        c.obj(r, rp, {"rule", "fields", "message"}, ("rule", "fields", "message"))
        if r["rule"] not in _RULE_KINDS:
            c.fail(rp + ("rule",), f"unknown rule '{r['rule']}' (known: {', '.join(_RULE_KINDS)})")
        if not (isinstance(r["fields"], list) and len(r["fields"]) == 2):
            c.fail(rp + ("fields",), "must name exactly two fields")
        for k, name in enumerate(r["fields"]):
            target = seen.get(name) if isinstance(name, str) else None
            if target is None:
                c.fail(rp + ("fields", k), f"refers to unknown field '{name}'")
            if target.type not in ("date", "partial_date"):
                c.fail(rp + ("fields", k), f"field '{name}' is not a date")
        c.text_prop(r, "message", rp)
    return FormDef(form_id, version, title, description, tuple(sections), tuple(rules), chronicle, file)


def _parse_field(c: JsonChecker, f, fp: tuple, seen: dict, types: tuple) -> FormField:
    if not isinstance(f, dict):
        c.fail(fp, "must be an object")
    ftype = f.get("type")
    if not isinstance(ftype, str) or ftype not in types:
        c.fail(fp + ("type",), f"unknown field type '{ftype}' (known: {', '.join(types)})")
    c.obj(f, fp, _COMMON_KEYS | _TYPE_KEYS[ftype], ("key", "type", "label"))
    key = c.key_prop(f, fp)
    if key in seen:
        c.fail(fp + ("key",), f"field key '{key}' is used twice")
    label = c.text_prop(f, "label", fp)
    required = c.bool_prop(f, "required", fp)
    sensitive = c.bool_prop(f, "sensitive", fp)
    options: list[tuple[str, str]] = []
    if ftype in ("choice", "multi_choice"):
        raw = f.get("options")
        if not isinstance(raw, list) or not raw:
            c.fail(fp + ("options",), "a choice needs a non-empty list of options")
        for k, o in enumerate(raw):
            op = fp + ("options", k)
            c.obj(o, op, {"value", "label"}, ("value", "label"))
            if not isinstance(o["value"], str) or not _KEY.match(o["value"]):
                c.fail(op + ("value",), "must be lower-case letters, digits and '_'")
            if any(o["value"] == v for v, _l in options):
                c.fail(op + ("value",), f"option '{o['value']}' is listed twice")
            options.append((o["value"], c.text_prop(o, "label", op)))
    props = {k: v for k, v in f.items() if k in _TYPE_KEYS[ftype] and k not in ("options", "fields")}
    for prop in ("min", "max", "max_length"):
        if prop in props and (not isinstance(props[prop], int) or isinstance(props[prop], bool)):
            c.fail(fp + (prop,), "must be a whole number")
    for prop in ("multiline", "not_future"):
        if prop in props:
            c.bool_prop(f, prop, fp)
    if "pattern" in props:
        try:
            re.compile(props["pattern"])
        except (re.error, TypeError) as exc:
            c.fail(fp + ("pattern",), f"not a valid regular expression ({exc})")
        if "pattern_message" not in props:
            c.fail(fp, "a 'pattern' needs a 'pattern_message' for the user")
    for prop in ("unit", "pattern_message", "proof_label", "add_label"):
        if prop in props:
            c.text_prop(f, prop, fp)
    if "languages" in props and not (isinstance(props["languages"], list)
                                     and all(isinstance(x, str) for x in props["languages"])):
        c.fail(fp + ("languages",), "must be a list of language names")
    sub: list[FormField] = []
    if ftype == "records":
        raw = f.get("fields")
        if not isinstance(raw, list) or not raw:
            c.fail(fp + ("fields",), "a records field needs a non-empty list of fields")
        inner: dict[str, FormField] = {}
        for k, sf in enumerate(raw):
            sp = fp + ("fields", k)
            if isinstance(sf, dict) and "show_if" in sf:
                c.fail(sp + ("show_if",), "fields inside records cannot have conditions")
            parsed = _parse_field(c, sf, sp, inner, RECORD_FIELD_TYPES)
            inner[parsed.key] = parsed
            sub.append(parsed)
    if "show_if" in f:
        _check_condition(c, f["show_if"], fp + ("show_if",), seen)
    return FormField(key, ftype, label, c.text_prop(f, "help", fp, False), required, f.get("show_if"),
                     sensitive, tuple(options), props, tuple(sub))


def _check_condition(c: JsonChecker, cond, cp: tuple, seen: dict) -> None:
    conds = cond if isinstance(cond, list) else [cond]
    if not conds:
        c.fail(cp, "must not be empty")
    for n, one in enumerate(conds):
        p = cp + (n,) if isinstance(cond, list) else cp
        c.obj(one, p, {"field", *_CONDITION_OPS}, ("field",))
        target = seen.get(one["field"]) if isinstance(one["field"], str) else None
        if target is None:
            c.fail(p + ("field",), f"refers to '{one['field']}', which is not a field defined above")
        ops = [k for k in _CONDITION_OPS if k in one]
        if len(ops) != 1:
            c.fail(p, f"needs exactly one of {', '.join(_CONDITION_OPS)}")
        op = ops[0]
        values = one[op] if op == "in" else [one[op]] if op in ("equals", "contains") else []
        if op == "in" and not isinstance(one[op], list):
            c.fail(p + (op,), "must be a list")
        if op == "filled" and not isinstance(one[op], bool):
            c.fail(p + (op,), "must be true or false")
        if target.options:
            known = {v for v, _l in target.options}
            for v in values:
                if v not in known:
                    c.fail(p + (op,), f"'{v}' is not an option of '{target.key}'")
        elif target.type in ("yes_no",) and any(not isinstance(v, bool) for v in values):
            c.fail(p + (op,), "a yes/no field is compared with true or false")


def check_path(path: Path | str) -> list[FormDef]:
    """Load one definition or every `*.json` in a folder; raises on the first error."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise FormDefinitionError(str(path), "", "no *.json form definitions in this folder")
        return [load_form(p) for p in files]
    if not path.exists():
        raise FormDefinitionError(str(path), "", "no such file or folder")
    return [load_form(path)]


class FormRegistry:
    """Every version of every form found in the given folders."""

    def __init__(self, *dirs: Path | str):
        self._forms: dict[tuple[str, int], FormDef] = {}
        for d in dirs or (FORMS_DIR,):
            for p in sorted(Path(d).glob("*.json")):
                self.add(load_form(p))

    def add(self, form: FormDef) -> None:
        self._forms[(form.id, form.version)] = form

    def ids(self) -> list[str]:
        return sorted({k[0] for k in self._forms})

    def versions(self, form_id: str) -> list[int]:
        return sorted(v for i, v in self._forms if i == form_id)

    def get(self, form_id: str, version: int | None = None) -> FormDef:
        if version is None:
            versions = self.versions(form_id)
            if not versions:
                raise KeyError(f"no form '{form_id}'")
            version = versions[-1]
        try:
            return self._forms[(form_id, version)]
        except KeyError:
            raise KeyError(f"no form '{form_id}' version {version}") from None


def default_registry() -> FormRegistry:
    """The shipped questionnaires, freshly loaded (a few ms); a session holds its own (app.resources)."""
    return FormRegistry(FORMS_DIR)
