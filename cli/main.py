"""The `sprechstunde` command: no arguments opens the GUI, subcommands serve scripts.

Each subcommand lives in a module listed in COMMAND_MODULES that exposes
`register(subparsers)`; a registered handler gets the parsed arguments and
returns an exit code. Exit codes: 0 ok, 1 user error (one line on stderr),
2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys

import app
import i18n
from app import console
from i18n import _
from i18n import locale as loc
from i18n.commandline import argparse_in_ui_language, set_language_from_argv

COMMAND_MODULES = [
    "cli.store_cmds",
    "cli.i18n_cmds",
    "cli.print_cmds",
    "cli.sync_cmds",
    "cli.casework_cmds",
    "cli.conflicts_cmds",
    "cli.transport_cmds",
    "cli.duplicates_cmds",
    "cli.undo_cmds",
    "cli.stats_cmds",
    "cli.staff_cmds",
    "cli.courses_cmds",
    "cli.audit_cmds",
    "cli.employers_cmds",
    "cli.hours_cmds",
]


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit code 1."""


def build_parser() -> argparse.ArgumentParser:
    """The parser, its texts in the current UI language (build it inside `argparse_in_ui_language`)."""
    parser = argparse.ArgumentParser(
        prog="sprechstunde",
        description=_("Sprechstunde: offline case work for the Integration Point. "
                      "Without a subcommand the desktop app opens."),
    )
    parser.add_argument("--version", action="version", version=f"sprechstunde {app.__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--lang", metavar=_("LANG"), help=_("language of the messages (de, en); default de"))
    sub = parser.add_subparsers(dest="command", metavar=_("SUBCOMMAND"))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    gui = sub.add_parser("gui", help=_("open the desktop app (the default)"))
    gui.add_argument("--store", metavar=_("DIR"), help=_("store folder (default: the platform data folder)"))
    gui.add_argument("--demo", action="store_true", help=_("open or create the demo store with demo data"))
    gui.set_defaults(handler=_run_gui)
    return parser


def _run_gui(args) -> int:
    from ui.main import run

    return run(store=getattr(args, "store", None), demo=getattr(args, "demo", False), lang=args.lang)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language_from_argv(argv)  # before the parser is built: its help and errors speak it
    with argparse_in_ui_language():
        args = build_parser().parse_args(argv)
        if args.lang:
            lang = loc.normalize(args.lang)
            if lang not in i18n.UI_LANGUAGES:
                print("sprechstunde: " + _("unknown language {lang} (one of {known})").format(
                    lang=args.lang, known=", ".join(i18n.UI_LANGUAGES)), file=sys.stderr)
                return 2
            i18n.set_language(lang)
        handler = getattr(args, "handler", None) or _run_gui
        return console.run("sprechstunde", handler, args, user_errors=(UserError,))


if __name__ == "__main__":
    sys.exit(main())
