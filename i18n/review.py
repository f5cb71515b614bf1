"""The translator's review round trip: export a language's texts as a PO file, import the reviewed file.

    export_review(lang, out, domain="forms", only_drafts=True)   -> number of entries written
    import_review(path, reviewer=None, day=None)                 -> ImportResult

The exported file is a plain gettext PO file (Poedit, Lokalize, Weblate, OmegaT, memoQ and
Trados read it): the English msgid, the current translation as msgstr, the German text and
the translator notes as extracted comments (`#.`), so the reviewer sees all three. Drafts the
program should not use yet are `#, fuzzy`; an entry the reviewer leaves fuzzy or empty stays a
draft.

Import writes every non-fuzzy, non-empty entry into the language's catalog and replaces the
draft mark (`needs review by a certified translator`) with `reviewed by NAME on YYYY-MM-DD`;
NAME is `reviewer` or the file's `Last-Translator` header. An entry whose text the reviewer
changed is still reviewed (the new text is the reviewed one); a file for another domain or a
language without a catalog is refused, nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from . import catalogs
from . import locale as _locale


class ReviewError(ValueError):
    """A review file that cannot be imported (the message says why, in the UI language)."""


@dataclass
class ImportResult:
    lang: str
    domain: str
    reviewer: str
    reviewed: int = 0
    changed: int = 0
    skipped: list[str] = field(default_factory=list)  # left fuzzy or empty: still drafts
    unknown: list[str] = field(default_factory=list)  # msgids the catalog does not have


DOMAIN_HEADER = "X-Sprechstunde-Domain"


def export_review(lang: str, out: Path, domain: str = "forms", only_drafts: bool = True) -> int:
    """Write the entries of `lang` (drafts only, or all) as a PO file for a translator."""
    from . import _

    code = _locale.normalize(lang)
    if code is None or code not in catalogs.domain_languages(domain):
        raise ReviewError(_("There is no catalog for the language {lang}.").format(lang=lang))
    source = catalogs.load_po(catalogs.po_path(domain, code), code)
    german_path = catalogs.po_path(domain, "de")
    german = catalogs.load_po(german_path, "de") if german_path.exists() else None
    out_cat = Catalog(locale=code, project="Sprechstunde", fuzzy=False, charset="utf-8")
    written = 0
    for msg in source:
        if not msg.id or (only_drafts and catalogs.reviewed_by(msg)):
            continue
        notes = list(msg.auto_comments)
        de = german.get(msg.id, msg.context) if german is not None else None
        if de is not None and de.string:
            notes.insert(0, f"Deutsch: {de.string if isinstance(de.string, str) else de.string[0]}")
        for c in msg.user_comments:
            if c != catalogs.REVIEW_MARK:
                notes.append(c)
        out_cat.add(msg.id, msg.string, locations=msg.locations, flags=msg.flags,
                    auto_comments=notes, context=msg.context)
        written += 1
    buf = _po_bytes(out_cat, domain)
    Path(out).write_bytes(buf)
    return written


def _po_bytes(cat: Catalog, domain: str) -> bytes:
    import io

    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, cat, width=100, omit_header=False)
    text = buf.getvalue().decode("utf-8")
    # our domain in the header, so import knows which catalog the file belongs to
    text = text.replace('"Generated-By:', f'"{DOMAIN_HEADER}: {domain}\\n"\n"Generated-By:', 1)
    return text.encode("utf-8")


def import_review(path: Path, reviewer: str | None = None, day: dt.date | None = None) -> ImportResult:
    """Take the reviewed texts of a PO file into the catalog, each marked reviewed by whom and when."""
    from . import _

    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise ReviewError(_("The file cannot be read: {error}").format(error=exc.strerror or exc)) from None
    import io

    from babel.messages.pofile import PoFileError, read_po

    try:
        incoming = read_po(io.BytesIO(text), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise ReviewError(_("This is not a readable PO file: {error}").format(error=exc)) from None
    domain = "forms"
    for line in text.decode("utf-8", "replace").splitlines():
        if line.startswith(f'"{DOMAIN_HEADER}:'):
            domain = line.split(":", 1)[1].strip().strip('"').replace("\\n", "").strip()
    if domain not in catalogs.DOMAINS:
        raise ReviewError(_("Unknown catalog {domain} in the file.").format(domain=domain))
    code = _locale.normalize(str(incoming.locale_identifier or incoming.locale or ""))
    if code is None or code not in catalogs.domain_languages(domain):
        raise ReviewError(_("The file names no language with a catalog (header Language)."))
    who = (reviewer or "").strip() or _last_translator(incoming)
    if not who:
        raise ReviewError(_("Who reviewed the texts? Give --reviewer NAME (or fill Last-Translator)."))
    day = day or dt.date.today()
    target_path = catalogs.po_path(domain, code)
    target = catalogs.load_po(target_path, code)
    result = ImportResult(code, domain, who)
    mark = f"{catalogs.REVIEWED_PREFIX}{who} on {day.isoformat()}"
    for msg in incoming:
        if not msg.id:
            continue
        key = msg.id[0] if isinstance(msg.id, (list, tuple)) else msg.id
        strings = msg.string if isinstance(msg.string, (list, tuple)) else (msg.string,)
        if msg.fuzzy or not strings or not all(strings):
            result.skipped.append(key)
            continue
        own = target.get(msg.id, msg.context)
        if own is None:
            result.unknown.append(key)
            continue
        if own.string != msg.string:
            result.changed += 1
            own.string = msg.string
        own.flags.discard("fuzzy")
        own.user_comments = [c for c in own.user_comments
                             if c != catalogs.REVIEW_MARK and not c.startswith(catalogs.REVIEWED_PREFIX)] + [mark]
        result.reviewed += 1
    problems = catalogs.check_catalog(target)
    if problems:
        raise ReviewError(_("The reviewed texts have errors; nothing was imported: {problem}").format(
            problem=problems[0]))
    catalogs.save_po(target, target_path)
    from . import reload

    reload()
    return result


def _last_translator(cat: Catalog) -> str:
    value = (cat.last_translator or "").strip()
    if not value or value.upper().startswith("FULL NAME"):
        return ""
    return value.split("<")[0].strip()
