"""The catalog workflow: extract, update, compile, check and report.

Two gettext domains, both under `i18n/locale/`:

* `messages`: the UI texts (`_()` etc. in Python), for the UI languages
  (German; English is the source language and needs no catalog);
* `forms`: texts the client reads or hears: questionnaire definitions (our
  JSON extractor, `i18n/extract.py`) and the `D_()` texts of printed
  documents, for every form language in `resources/languages.json`;
* `staff`: texts of data files only staff read (rules, measure catalogue,
  offices), for the UI languages.

`extract()` writes `<domain>.pot` from the mapping in `i18n/babel*.cfg`;
`update()` merges the template into every language's `.po` (creating missing
catalogs, so a new language is a data-file entry plus `update`); `compile()`
writes `.mo` files (build output, not used at run time); `check()` finds
catalogs that do not compile, whose `{placeholders}` differ from the source or
whose form texts disagree with the legal glossary (i18n.glossary);
`report()` counts translated, fuzzy, missing and needs-review entries.
"""

from __future__ import annotations

import io
import json
from importlib import metadata
import string
from dataclasses import asdict, dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from . import _
from . import glossary as _glossary
from . import locale as _locale

I18N_DIR = Path(__file__).resolve().parent
ROOT = I18N_DIR.parent
LOCALE_DIR = I18N_DIR / "locale"
FORM_TERMS_DE = I18N_DIR / "form_terms_de.json"
KNOWN_GAPS = I18N_DIR / "known_gaps.json"
REVIEW_MARK = "needs review by a certified translator"
REVIEWED_PREFIX = "reviewed by "  # translator comment `reviewed by NAME on YYYY-MM-DD` (i18n/review.py)
COMMENT_TAGS = ("TRANSLATORS:",)

DOMAINS = {
    "messages": {"mapping": I18N_DIR / "babel.cfg", "keywords": {**DEFAULT_KEYWORDS, "NN_": (1, 2)}},
    "forms": {"mapping": I18N_DIR / "babel-forms.cfg", "keywords": {"D_": None}},
    "staff": {"mapping": I18N_DIR / "babel-staff.cfg", "keywords": {}},
}


def domain_languages(domain: str) -> list[str]:
    """Languages that have a catalog in `domain` (the source language never does)."""
    src = _locale.source_language()
    langs = _locale.form_languages() if domain == "forms" else _locale.ui_languages()
    return [lang.code for lang in langs if lang.code != src]


def pot_path(domain: str) -> Path:
    return LOCALE_DIR / f"{domain}.pot"


def po_path(domain: str, lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def load_po(path: Path, lang: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang)


def save_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, ignore_obsolete=False, include_previous=False)
    data = buf.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def _project_version() -> str:
    """The installed program's version (i18n/ imports nothing of the project itself)."""
    try:
        return metadata.version("sprechstunde")
    except metadata.PackageNotFoundError:
        return "0"


def _new_catalog(lang: str | None = None) -> Catalog:
    return Catalog(
        locale=lang, project="Sprechstunde", version=_project_version(),
        msgid_bugs_address="", copyright_holder="Kreis Warendorf", charset="utf-8",
        fuzzy=False,
    )


# -- extract / update ---------------------------------------------------------

def extract(domain: str) -> Catalog:
    """Extract the template of `domain` from the tree and write `<domain>.pot` (if it changed)."""
    template = extract_template(domain)
    path = pot_path(domain)
    old_ids = None
    if path.exists():
        old = load_po(path)
        old_ids = [(m.id, m.context, tuple(m.locations), tuple(m.auto_comments)) for m in old if m.id]
    new_ids = [(m.id, m.context, tuple(m.locations), tuple(m.auto_comments)) for m in template if m.id]
    if old_ids != new_ids:
        save_po(template, path)
    return template


def extract_template(domain: str) -> Catalog:
    """The template of `domain` as the tree is now (nothing written)."""
    conf = DOMAINS[domain]
    with open(conf["mapping"], encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(conf["mapping"]))
    template = _new_catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=conf["keywords"],
        comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    ):
        template.add(message, None, [(filename.replace("\\", "/"), lineno)],
                     auto_comments=comments, context=context)
    return template


def stale(domain: str) -> list[str]:
    """Texts in the tree that the committed template lacks (run `update`)."""
    current = {m.id for m in extract_template(domain) if m.id}
    known = {m.id for m in load_po(pot_path(domain)) if m.id} if pot_path(domain).exists() else set()
    return sorted((m[0] if isinstance(m, (list, tuple)) else m) for m in current - known)


def update(domain: str, languages: list[str] | None = None) -> dict[str, int]:
    """Merge the template into each language's catalog; returns {lang: number of untranslated}."""
    template = load_po(pot_path(domain))
    result = {}
    for lang in languages or domain_languages(domain):
        path = po_path(domain, lang)
        if path.exists():
            catalog = load_po(path, lang)
        else:
            catalog = _new_catalog(lang)
        gendered = [m for m in catalog if m.id and m.context in GENDER_CONTEXTS]
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        _keep_gendered(catalog, template, gendered)
        for terms in terms_files(domain, lang):
            merge_terms(catalog, terms)
        save_po(catalog, path)
        result[lang] = sum(1 for m in catalog if m.id and not m.string)
    return result


GENDER_CONTEXTS = ("female", "male")  # msgctxt of a text's form for a woman or a man (i18n.translate)


def _keep_gendered(catalog: Catalog, template: Catalog, gendered: list) -> None:
    """Gendered variants are not in the template (the msgid is, without context): keep those whose
    msgid still exists instead of letting the merge make them obsolete."""
    ids = {m.id for m in template if m.id}
    for msg in gendered:
        key = (msg.id, msg.context)
        if msg.id in ids:
            catalog.obsolete.pop(key, None)
            catalog.obsolete.pop(msg.id, None)
            if catalog.get(msg.id, msg.context) is None:
                catalog.add(msg.id, msg.string, locations=[], flags=msg.flags, user_comments=msg.user_comments,
                            context=msg.context)


def terms_files(domain: str, lang: str) -> list[dict[str, str]]:
    """Glossaries other teams hand in as `i18n/*_<lang>.json`, for `domain`.

    A file is either `{msgid: translation}` (`form_terms_<lang>.json`: the forms
    domain) or `{"messages": {...}, "forms": {...}, "staff": {...}}`.
    """
    out = []
    for path in sorted(I18N_DIR.glob(f"*_{lang}.json")):
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if any(k in doc for k in DOMAINS):
            part = doc.get(domain)
        else:
            part = doc if (path.name.startswith("form_terms_") and domain == "forms") else None
        if isinstance(part, dict):
            out.append({k: v for k, v in part.items() if isinstance(v, str) and not k.startswith("_")})
    return out


def merge_terms(catalog: Catalog, terms: dict[str, str] | Path) -> int:
    """Fill untranslated entries from {msgid: translation} (or a JSON file of it); returns how many."""
    if isinstance(terms, Path):
        if not terms.exists():
            return 0
        terms = json.loads(terms.read_text("utf-8"))
    filled = 0
    for msg in catalog:
        if msg.id and isinstance(msg.id, str) and not msg.string and terms.get(msg.id):
            msg.string = terms[msg.id]
            filled += 1
    return filled


# -- compile / check ----------------------------------------------------------

def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a str.format text; ValueError if braces do not balance."""
    names = set()
    for _literal, name, _spec, _conv in string.Formatter().parse(text):
        if name is not None:
            names.add(name)
    return names


def check_catalog(catalog: Catalog) -> list[str]:
    """Problems of one catalog: Babel's checkers plus `{placeholder}` agreement with the msgid."""
    problems = []
    for msg, errors in catalog.check():
        for err in errors:
            problems.append(f"{_ident(msg)}: {err}")
    for msg in catalog:
        if not msg.id or not msg.string or msg.fuzzy:
            continue
        ids = msg.id if isinstance(msg.id, (list, tuple)) else (msg.id,)
        strs = msg.string if isinstance(msg.string, (list, tuple)) else (msg.string,)
        try:
            wanted = [placeholders(i) for i in ids]
        except ValueError:
            continue  # the source is not a format string
        for s in strs:
            if not s:
                continue
            try:
                got = placeholders(s)
            except ValueError as exc:
                problems.append(f"{_ident(msg)}: braces do not balance ({exc})")
                continue
            if got not in wanted and not (len(ids) > 1 and got <= set().union(*wanted)):
                problems.append(
                    f"{_ident(msg)}: placeholders {sorted(got)} differ from the source {sorted(wanted[0])}")
    return problems


def _ident(msg) -> str:
    mid = msg.id[0] if isinstance(msg.id, (list, tuple)) else msg.id
    return repr(mid if len(mid) < 60 else mid[:57] + "...")


def compile_catalog(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def all_catalogs() -> list[tuple[str, str, Path]]:
    """(domain, lang, path) of every catalog present on disk, for every configured language."""
    out = []
    for domain in DOMAINS:
        for lang in domain_languages(domain):
            path = po_path(domain, lang)
            if path.exists():
                out.append((domain, lang, path))
    return out


def check() -> dict[str, list[str]]:
    """{'<domain>/<lang>': problems} for every catalog with problems (read, compile, check)."""
    problems: dict[str, list[str]] = {}
    for domain, lang, path in all_catalogs():
        key = f"{domain}/{lang}"
        try:
            catalog = load_po(path, lang)
            compile_catalog(catalog)
        except Exception as exc:  # noqa: BLE001 - any failure to read or compile is the finding
            problems[key] = [f"does not compile: {exc}"]
            continue
        found = check_catalog(catalog)
        if domain == "forms":
            found += [d.describe() for d in glossary_disagreements(catalog, lang)]
        if found:
            problems[key] = found
    return problems


def catalog_entries(catalog: Catalog, lang: str):
    """(lang, msgid, context, text) of every translated, non-fuzzy entry (plural forms joined)."""
    for msg in catalog:
        if not msg.id or msg.fuzzy or not msg.string:
            continue
        mid = msg.id[0] if isinstance(msg.id, (list, tuple)) else msg.id
        text = " ".join(s for s in msg.string if s) if isinstance(msg.string, (list, tuple)) else msg.string
        if text:
            yield lang, mid, msg.context, text


def reader_entries(catalog: Catalog, lang: str):
    """The entries a reader of `lang` gets: the catalog's own, then, for texts it lacks, those of its
    fallback languages (Dari: Farsi), each under `lang`."""
    seen = set()
    for entry in catalog_entries(catalog, lang):
        seen.add((entry[1], entry[2]))
        yield entry
    try:
        chain = _locale.language(lang).fallback
    except KeyError:
        chain = None
    visited = {lang}
    while chain and chain not in visited:
        visited.add(chain)
        path = po_path("forms", chain)
        if path.exists():
            for _lang, mid, ctx, text in catalog_entries(load_po(path, chain), chain):
                if (mid, ctx) not in seen:
                    seen.add((mid, ctx))
                    yield lang, mid, ctx, text
        try:
            chain = _locale.language(chain).fallback
        except KeyError:
            chain = None


def glossary_disagreements(catalog: Catalog, lang: str) -> list:
    """Texts a reader of `lang` gets from the forms catalogs that do not use the legal glossary's
    rendering (i18n.glossary); a language with a fallback is checked with the texts it inherits."""
    return _glossary.disagreements(reader_entries(catalog, lang))


def compile_all() -> list[Path]:
    """Write `.mo` next to every `.po` (build output for packaging; gitignored)."""
    written = []
    for _domain, lang, path in all_catalogs():
        mo = path.with_suffix(".mo")
        mo.write_bytes(compile_catalog(load_po(path, lang)))
        written.append(mo)
    return written


# -- report -------------------------------------------------------------------

@dataclass
class Stats:
    domain: str
    lang: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0
    review: int = 0  # drafted: translated, not yet reviewed (machine or unreviewed human draft)
    reviewed: int = 0  # signed off by a named reviewer (`reviewed by NAME on DATE`)
    fallback: int = 0  # missing here, given by the fallback language (Dari: Farsi); not a gap
    source: bool = False
    missing_ids: list[str] = field(default_factory=list)
    fuzzy_ids: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def _is_review(msg) -> bool:
    return any(REVIEW_MARK in c for c in msg.user_comments)


def reviewed_by(msg) -> str | None:
    """`NAME on DATE` of the review comment, or None (a draft)."""
    for c in msg.user_comments:
        if c.startswith(REVIEWED_PREFIX):
            return c[len(REVIEWED_PREFIX):].strip()
    return None


def _fallback_ids(lang: str, domain: str) -> set:
    """Msgids the fallback languages of `lang` translate (not fuzzy)."""
    out: set = set()
    try:
        chain = _locale.language(lang).fallback
    except KeyError:
        chain = None
    seen = {lang}
    while chain and chain not in seen:
        seen.add(chain)
        path = po_path(domain, chain)
        if path.exists():
            out |= {m.id for m in load_po(path, chain) if m.id and m.string and not m.fuzzy
                    and all(m.string if isinstance(m.string, (list, tuple)) else (m.string,))}
        try:
            chain = _locale.language(chain).fallback
        except KeyError:
            chain = None
    return out


def stats(domain: str, lang: str) -> Stats:
    template = load_po(pot_path(domain)) if pot_path(domain).exists() else _new_catalog()
    ids = [m.id for m in template if m.id]
    st = Stats(domain, lang, total=len(ids))
    if lang == _locale.source_language():
        st.source = True
        st.translated = st.total
        return st
    path = po_path(domain, lang)
    catalog = load_po(path, lang) if path.exists() else None
    inherited = _fallback_ids(lang, domain)
    reviewers = set()
    for mid in ids:
        key = mid[0] if isinstance(mid, (list, tuple)) else mid
        msg = catalog.get(mid) if catalog is not None else None
        strings = (msg.string if isinstance(msg.string, (list, tuple)) else (msg.string,)) if msg else ()
        if (msg is None or not all(strings) or not strings or msg.fuzzy) and mid in inherited:
            st.fallback += 1
            st.translated += 1
        elif msg is None or not all(strings) or not strings:
            st.missing += 1
            st.missing_ids.append(key)
        elif msg.fuzzy:
            st.fuzzy += 1
            st.fuzzy_ids.append(key)
        else:
            st.translated += 1
            who = reviewed_by(msg)
            if who and lang != "de":
                st.reviewed += 1
                reviewers.add(who.split(" on ")[0])
            elif lang != "de":
                st.review += 1
    st.reviewers = sorted(reviewers)
    return st


def report() -> list[Stats]:
    out = []
    for domain in DOMAINS:
        src = _locale.source_language()
        langs = [src] + domain_languages(domain)
        out.extend(stats(domain, lang) for lang in langs)
    return out


def report_json(rows: list[Stats] | None = None) -> dict:
    rows = rows if rows is not None else report()
    return {
        "domains": {
            d: {s.lang: {k: v for k, v in asdict(s).items() if k not in ("domain", "lang")}
                | {"percent": round(s.percent, 1)}
                for s in rows if s.domain == d}
            for d in DOMAINS
        }
    }


def report_text(rows: list[Stats] | None = None, details: bool = False) -> str:
    rows = rows if rows is not None else report()
    lines = []
    for domain in DOMAINS:
        lines.append(f"{domain}:")
        lang, total, transl, fuzzy, missing, review, reviewed, inherited = (
            _("lang"), _("total"), _("transl."), _("fuzzy"), _("missing"), _("drafted"), _("reviewed"),
            _("fallback"))
        lines.append(f"  {lang:<7}{total:>7}{transl:>9}{fuzzy:>7}{missing:>9}{review:>9}{reviewed:>10}"
                     f"{inherited:>10}{'%':>8}")
        for s in (r for r in rows if r.domain == domain):
            tag = "  " + _("(source language)") if s.source else ""
            if s.reviewers:
                tag += "  " + _("reviewed by {names}").format(names=", ".join(s.reviewers))
            lines.append(f"  {s.lang:<7}{s.total:>7}{s.translated:>9}{s.fuzzy:>7}{s.missing:>9}"
                         f"{s.review:>9}{s.reviewed:>10}{s.fallback:>10}{s.percent:>7.1f}%{tag}")
            if details:
                missing_tag, fuzzy_tag = _("missing:"), _("fuzzy:")
                lines.extend(f"      {missing_tag} {m}" for m in s.missing_ids)
                lines.extend(f"      {fuzzy_tag}   {m}" for m in s.fuzzy_ids)
    return "\n".join(lines)


def gaps(rows: list[Stats] | None = None) -> dict[str, dict[str, list[str]]]:
    """{domain: {lang: sorted missing + fuzzy msgids}} for languages with gaps."""
    rows = rows if rows is not None else report()
    out: dict[str, dict[str, list[str]]] = {}
    for s in rows:
        if s.missing_ids or s.fuzzy_ids:
            out.setdefault(s.domain, {})[s.lang] = sorted(set(s.missing_ids) | set(s.fuzzy_ids))
    return out


def write_known_gaps() -> dict:
    doc = gaps()
    KNOWN_GAPS.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return doc


def known_gaps() -> dict:
    return json.loads(KNOWN_GAPS.read_text("utf-8")) if KNOWN_GAPS.exists() else {}
