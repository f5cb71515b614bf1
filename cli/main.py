"""The `sprechstunde` command: no arguments opens the GUI, subcommands serve scripts.

Each subcommand lives in a module listed in COMMAND_MODULES that exposes
`register(subparsers)`; a registered handler gets the parsed arguments and
returns an exit code. Exit codes: 0 ok, 1 user error (one line on stderr),
2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import app

COMMAND_MODULES = [
    "cli.store_cmds",
    "cli.i18n_cmds",
    "cli.print_cmds",
    "cli.sync_cmds",
    "cli.casework_cmds",
    "cli.conflicts_cmds",
    "cli.transport_cmds",
    "cli.duplicates_cmds",
    "cli.stats_cmds",
    "cli.staff_cmds",
]


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit code 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sprechstunde",
        description="Sprechstunde: offline case work for the Integration Point. Without a subcommand the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"sprechstunde {app.__version__}")
    parser.add_argument("--lang", help="UI language (de, en); default de")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    gui.add_argument("--store", help="store folder (default: the platform data folder)")
    gui.add_argument("--demo", action="store_true", help="open or create the demo store with demo data")
    gui.set_defaults(handler=_run_gui)
    return parser


def _run_gui(args) -> int:
    from ui.main import run

    return run(store=getattr(args, "store", None), demo=getattr(args, "demo", False), lang=args.lang)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    import i18n
    from i18n import _

    if args.lang:
        from i18n import locale as loc

        lang = loc.normalize(args.lang)
        if lang not in i18n.UI_LANGUAGES:
            print("sprechstunde: " + _("unknown language {lang} (one of {known})").format(
                lang=args.lang, known=", ".join(i18n.UI_LANGUAGES)), file=sys.stderr)
            return 2
        i18n.set_language(lang)
    handler = getattr(args, "handler", None) or _run_gui
    try:
        code = int(handler(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe or a full disk shows here, not at interpreter exit
        return code
    except UserError as exc:
        print(f"sprechstunde: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sprechstunde: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `sprechstunde due | head`: the reader has what it wanted
        drop_stdout()
        return 0
    except Exception as exc:
        # damaged pages found only while reading, a full disk, a folder that is not writable:
        # one line for the user instead of a traceback
        message = _describe_failure(exc)
        if message is None:
            raise
        print(f"sprechstunde: {message}", file=sys.stderr)
        if isinstance(exc, OSError):
            drop_stdout()
        return 1


def drop_stdout() -> None:
    """Point stdout at the null device, so that what is still buffered cannot fail again at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no real stdout (closed, or captured by a test)
        pass


def _describe_failure(exc: Exception) -> str | None:
    """A translated one-line message for errors of the store or the file system; None for anything else."""
    from app.store import StoreError
    from i18n import _

    if isinstance(exc, StoreError):
        return str(exc)
    if type(exc).__module__.startswith("sqlcipher3"):
        if (getattr(exc, "sqlite_errorname", None) or "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return _("The store file is damaged ({reason}); run 'sprechstunde check' and restore it "
                     "from a backup or sync.").format(reason=exc)
        return _("The store cannot be read or written ({reason}).").format(reason=exc)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"{exc.filename}: {reason}" if exc.filename else _("input/output error: {reason}").format(reason=reason)
    return None


if __name__ == "__main__":
    sys.exit(main())
