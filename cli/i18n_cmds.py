"""`sprechstunde i18n ...`: the catalog workflow from the command line.

    sprechstunde i18n extract            write i18n/locale/{messages,forms}.pot
    sprechstunde i18n update             extract, then merge into every .po
    sprechstunde i18n compile            write .mo files (build output)
    sprechstunde i18n check              catalogs compile, placeholders match (exit 1 if not)
    sprechstunde i18n report [--json]    completeness per language, texts not extracted yet;
                                         exit 1 if a catalog does not compile or placeholders differ
    sprechstunde i18n gaps [--write]     missing/fuzzy msgids; --write stores i18n/known_gaps.json
    sprechstunde i18n review export --lang L --out FILE [--all] [--domain D]
                                         the drafts of a language as a PO file for a translator
    sprechstunde i18n review import FILE [--reviewer NAME] [--date YYYY-MM-DD]
                                         the reviewed texts back, marked reviewed by whom and when
"""

from __future__ import annotations

import json

from i18n import _


def register(sub) -> None:
    p = sub.add_parser("i18n", help=_("translation catalogs: extract, update, compile, check, report"))
    isub = p.add_subparsers(dest="i18n_command", metavar=_("ACTION"), required=True)
    isub.add_parser("extract", help=_("extract the templates (.pot)")).set_defaults(handler=_extract)
    up = isub.add_parser("update", help=_("extract and merge into every language's catalog"))
    up.add_argument("--lang", dest="only_lang", action="append", metavar=_("LANG"),
                    help=_("only this language (repeatable)"))
    up.set_defaults(handler=_update)
    isub.add_parser("compile", help=_("write .mo files")).set_defaults(handler=_compile)
    isub.add_parser("check", help=_("catalogs compile and placeholders match")).set_defaults(handler=_check)
    rep = isub.add_parser("report", help=_("completeness per language: translated, fuzzy, missing"))
    rep.add_argument("--json", action="store_true", help=_("machine-readable output"))
    rep.add_argument("--details", action="store_true", help=_("list the missing and fuzzy texts"))
    rep.set_defaults(handler=_report)
    gp = isub.add_parser("gaps", help=_("missing and fuzzy texts per language"))
    gp.add_argument("--write", action="store_true", help=_("store them as the known gap list"))
    gp.set_defaults(handler=_gaps)
    rv = isub.add_parser("review", help=_("a translator's review: export drafts, import reviewed texts"))
    rsub = rv.add_subparsers(dest="review_command", metavar=_("ACTION"), required=True)
    ex = rsub.add_parser("export", help=_("write the drafts of a language as a PO file for a translator"))
    ex.add_argument("--lang", dest="review_lang", required=True, metavar=_("LANG"), help=_("the language"))
    ex.add_argument("--out", required=True, metavar=_("FILE"), help=_("the PO file to write"))
    ex.add_argument("--domain", default="forms", choices=("forms", "messages", "staff"),
                    help=_("the catalog (default forms: what the client reads)"))
    ex.add_argument("--all", action="store_true", help=_("also the texts already reviewed"))
    ex.set_defaults(handler=_review_export)
    im = rsub.add_parser("import", help=_("take the reviewed texts of a PO file into the catalog"))
    im.add_argument("file", metavar=_("FILE"), help=_("the reviewed PO file"))
    im.add_argument("--reviewer", metavar=_("NAME"), help=_("who reviewed (default: Last-Translator of the file)"))
    im.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day of the review (default: today)"))
    im.set_defaults(handler=_review_import)


def _extract(args) -> int:
    from i18n import catalogs

    for domain in catalogs.DOMAINS:
        template = catalogs.extract(domain)
        print(_("{domain}: {n} texts -> {path}").format(
            domain=domain, n=sum(1 for m in template if m.id),
            path=catalogs.pot_path(domain).relative_to(catalogs.ROOT)))
    return 0


def _update(args) -> int:
    from i18n import catalogs

    _extract(args)
    for domain in catalogs.DOMAINS:
        langs = [lang for lang in catalogs.domain_languages(domain) if not args.only_lang or lang in args.only_lang]
        for lang, untranslated in catalogs.update(domain, langs).items():
            print(_("{domain}/{lang}: {n} untranslated").format(domain=domain, lang=lang, n=untranslated))
    return 0


def _compile(args) -> int:
    from i18n import catalogs

    problems = catalogs.check()
    for mo in catalogs.compile_all():
        print(mo.relative_to(catalogs.ROOT))
    return _print_problems(problems)


def _print_problems(problems: dict[str, list[str]]) -> int:
    import sys

    for key, items in sorted(problems.items()):
        for item in items:
            print(f"{key}: {item}", file=sys.stderr)
    return 1 if problems else 0


def _check(args) -> int:
    from i18n import catalogs

    problems = catalogs.check()
    if not problems:
        print(_("{n} catalogs compile; placeholders match").format(n=len(catalogs.all_catalogs())))
    return _print_problems(problems)


def _report(args) -> int:
    from i18n import catalogs

    rows = catalogs.report()
    problems = catalogs.check()
    new = {d: catalogs.stale(d) for d in catalogs.DOMAINS}
    if args.json:
        doc = catalogs.report_json(rows)
        if not args.details:
            for langs in doc["domains"].values():
                for entry in langs.values():
                    entry.pop("missing_ids", None)
                    entry.pop("fuzzy_ids", None)
        doc["problems"] = problems
        doc["not_extracted"] = new
        print(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True))
        return 1 if problems else 0
    print(catalogs.report_text(rows, details=args.details))
    for domain, texts in new.items():
        if texts:
            print(_("{domain}: {n} texts in the sources are not in the template yet "
                    "(run 'sprechstunde i18n update')").format(domain=domain, n=len(texts)))
            if args.details:
                new_tag = _("new:")
                print("\n".join(f"      {new_tag} {t}" for t in texts))
    return _print_problems(problems)


def _gaps(args) -> int:
    from i18n import catalogs

    doc = catalogs.write_known_gaps() if args.write else catalogs.gaps()
    print(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True))
    return 0


def _review_export(args) -> int:
    from pathlib import Path

    from i18n.review import ReviewError, export_review

    from .main import UserError

    try:
        n = export_review(args.review_lang, Path(args.out), args.domain, only_drafts=not args.all)
    except ReviewError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(_("The file cannot be written: {error}").format(error=exc.strerror or exc)) from None
    print(_("{n} texts written to {path}").format(n=n, path=args.out))
    return 0


def _review_import(args) -> int:
    import datetime as dt
    from pathlib import Path

    from i18n.review import ReviewError, import_review

    from .main import UserError

    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UserError(_("Please enter a date as YYYY-MM-DD.")) from None
    try:
        res = import_review(Path(args.file), args.reviewer, day)
    except ReviewError as exc:
        raise UserError(str(exc)) from None
    print(_("{domain}/{lang}: {n} texts reviewed by {name} ({changed} changed, {left} left as drafts)").format(
        domain=res.domain, lang=res.lang, n=res.reviewed, name=res.reviewer, changed=res.changed,
        left=len(res.skipped)))
    return 0
