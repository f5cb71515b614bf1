"""`sprechstunde export-changes`: pending changes as a sealed file for the hub (offline transport)."""

from __future__ import annotations

from pathlib import Path

from i18n import _

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    p = sub.add_parser("export-changes",
                       help=_("write changes the hub has not received to a signed file sealed to the hub"))
    add_store_option(p)
    p.add_argument("file", metavar=_("FILE"), help=_("file to write (import it with 'sprechstunde-hub import')"))
    p.set_defaults(handler=cmd_export_changes)


def cmd_export_changes(args) -> int:
    from sync.transport_file import SealedFileError, export_pending

    path = Path(args.file)
    if path.is_dir():  # refused before anything is written next to it
        raise UserError(_("cannot write {path}: {reason}").format(path=path, reason=_("it is a folder")))
    session = open_session(args)
    store = session.store
    try:
        summary = export_pending(store, path)
    except SealedFileError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    finally:
        session.lock()
    print(_("{count} changes written to {path} ({size} bytes), sealed to the hub.").format(
        count=summary.count, path=summary.path, size=summary.bytes))
    return 0
