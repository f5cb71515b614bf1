"""`sprechstunde print DOCUMENT --store DIR --case CASE_NUMBER --lang LANG --out FILE.pdf`.

DOCUMENT is one of consent, profiling, resources, slip, handover, export. The
PDF is bilingual (German + LANG). Without --out the file is written to the
current folder under a name without personal data (app.documents.file_name).
`print report --from D --to D --out FILE.pdf` writes the German steering report of a period instead
(no case; cli.stats_cmds.cmd_report); `print daylist|weekplan|interpreters|slips --office CODE --date D`
the office-hour documents of a town and day (cli.hours_cmds; slips: every booking of the day, each in
its client's language).
"""

from __future__ import annotations

from pathlib import Path

from i18n import _

from .common import add_store_option, open_session
from .main import UserError


# the keys of app.documents.DOCUMENTS (not imported here: reportlab would slow every start-up)
DOCUMENT_NAMES = ("consent", "profiling", "resources", "slip", "offer", "handover", "export", "report")
HOURS_DOCUMENTS = ("daylist", "weekplan", "interpreters", "slips")  # cli.hours_cmds: per office and day


def register(sub) -> None:
    p = sub.add_parser("print", help=_("write a bilingual PDF document for a case"))
    p.add_argument("document", choices=DOCUMENT_NAMES + HOURS_DOCUMENTS, metavar=_("DOCUMENT"),
                   help=_("one of: {names}").format(names=", ".join(DOCUMENT_NAMES + HOURS_DOCUMENTS)))
    add_store_option(p)
    p.add_argument("--case", metavar=_("CASE_NUMBER"), help=_("the case number"))
    p.add_argument("--from", dest="period_from", metavar=_("DATE"),
                   help=_("report only: first day of the period (with --to as its last day)"))
    p.add_argument("--lang", dest="doc_lang", default=None, metavar=_("LANG"),
                   help=_("the client's language (de, en, ar, fa, ti, ku, uk, tr, fr, ru); default de "
                          "(a slip: the client's interpreter language)"))
    p.add_argument("--office", metavar=_("CODE"), help=_("daylist, weekplan, interpreters, slips: the office"))
    p.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("daylist, weekplan, interpreters, slips: the day"))
    p.add_argument("--to", dest="to_agency", metavar=_("AGENCY"),
                   help=_("handover only: the receiving agency (AA, JC, SOZ, ABH, KI, PROVIDER); "
                          "default from the case's Rechtskreis"))
    p.add_argument("--out", metavar=_("FILE.pdf"), help=_("output file (default: a name without personal data)"))
    p.set_defaults(handler=cmd_print)


def cmd_print(args) -> int:
    from app.access import AccessDenied

    if args.document == "report":  # the steering report: a period, no case (cli.stats_cmds)
        from .stats_cmds import cmd_report

        return cmd_report(args)
    from app.documents import CaseNotFound, file_name
    from app.documents.builders import AGENCY_NAMES
    from i18n import locale as loc

    if args.document in HOURS_DOCUMENTS:
        from .hours_cmds import print_hours_document

        return print_hours_document(args)
    if not args.case:
        raise UserError(_("{document} needs --case").format(document=args.document))
    if args.document == "slip":
        from .hours_cmds import print_booking_slip

        done = print_booking_slip(args)
        if done is not None:
            return done
    lang = loc.normalize(args.doc_lang or "de")
    if lang is None:
        raise UserError(_("unknown language {lang}").format(lang=args.doc_lang))
    options = {}
    if args.to_agency:
        if args.document != "handover":
            raise UserError(_("--to applies only to the handover sheet"))
        options["to_agency"] = args.to_agency.upper()
        agencies = list(AGENCY_NAMES)
        if options["to_agency"] not in agencies:
            raise UserError(_("--to: unknown agency {agency} (one of {known})").format(
                agency=args.to_agency, known=", ".join(agencies)))
    session = open_session(args)
    try:
        try:
            pdf = session.render_document(args.document, args.case, lang, **options)
        except CaseNotFound:
            raise UserError(_("there is no case {number}").format(number=args.case)) from None
        except AccessDenied as exc:  # consent or role: one line, and the refusal is in the audit trail
            raise UserError(str(exc)) from None
    finally:
        session.lock()
    out = Path(args.out) if args.out else Path(file_name(args.document, lang))
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror)) from None
    print(out)
    return 0
