"""Sync subcommands: ``enroll`` (once per laptop) and ``sync`` (headless, for scripts).

    sprechstunde enroll --hub https://hub:8443 --code ABCDE-... [--fingerprint AA:BB:...] --store DIR
    sprechstunde sync --store DIR [--json] [--verbose]

``sync`` prints one summary line; exit code 0 when the sync completed, 1 on an
error (revoked, certificate changed, refused, ...), 3 when the hub could not be
reached (try again later).
"""

from __future__ import annotations

import json
import sys

from app.labels import label
from i18n import N_, _

from .common import add_store_option, open_session
from .main import UserError

EXIT_UNREACHABLE = 3


def register(sub) -> None:
    p = sub.add_parser("enroll", help=_("enroll this laptop at the hub with a one-time code"))
    add_store_option(p)
    p.add_argument("--hub", required=True, metavar="URL", help=_("hub address, e.g. https://hub.example:8443"))
    p.add_argument("--code", required=True, metavar=_("CODE"),
                   help=_("one-time enrollment code from the central office"))
    p.add_argument("--fingerprint", metavar=_("FINGERPRINT"),
                   help=_("expected SHA-256 fingerprint of the hub certificate"))
    p.add_argument("--name", metavar=_("NAME"), help=_("name of this laptop (default: the name given with the code)"))
    p.set_defaults(handler=cmd_enroll)

    p = sub.add_parser("sync", help=_("sync with the hub now (push, then pull)"))
    add_store_option(p)
    p.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    p.add_argument("--verbose", action="store_true", help=_("progress on stderr"))
    p.set_defaults(handler=cmd_sync)


def cmd_enroll(args) -> int:
    from sync.client import SyncError, enroll

    session = open_session(args)

    store = session.store
    try:
        info = enroll(store, args.hub, args.code, args.fingerprint, args.name)
    except SyncError as exc:
        raise UserError(str(exc)) from None
    finally:
        session.lock()
    print(_("Enrolled as device {device} ({office}); hub certificate {fingerprint} pinned.").format(
        device=info["device_id"], office=label("office", info["office"]), fingerprint=info["fingerprint"]))
    return 0


PHASES = {"connect": N_("connecting"), "push": N_("sending"), "pull": N_("receiving")}
LEVELS = {"warning": N_("warning"), "error": N_("error"), "info": N_("note")}


class _StderrUI:
    def progress(self, phase, done, total):
        print(f"{_(PHASES[phase]) if phase in PHASES else phase}: {done}/{total}", file=sys.stderr)

    def message(self, level, text):
        print(f"{_(LEVELS[level]) if level in LEVELS else level}: {text}", file=sys.stderr)


def cmd_sync(args) -> int:
    from sync.client import SyncEngine, SyncUI

    session = open_session(args)

    store = session.store
    try:
        summary = SyncEngine(store, _StderrUI() if args.verbose else SyncUI()).sync()
    finally:
        session.lock()
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print(summary.line(), file=sys.stdout if summary.ok else sys.stderr)
    if summary.ok:
        return 0
    return EXIT_UNREACHABLE if summary.error_code == "unreachable" else 1
