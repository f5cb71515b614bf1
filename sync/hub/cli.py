"""``sprechstunde-hub``: create, serve and administer the central sync hub.

    sprechstunde-hub init    --dir DIR [--name HOST ...]
    sprechstunde-hub serve   --dir DIR [--host 0.0.0.0] [--port 8443]
    sprechstunde-hub enroll  --dir DIR --office AHL --name "Laptop Ahlen 2" [--hours 24]
    sprechstunde-hub devices --dir DIR [--json]
    sprechstunde-hub revoke  --dir DIR DEVICE [--reason TEXT]
    sprechstunde-hub fingerprint --dir DIR
    sprechstunde-hub import  --dir DIR FILE...   (sealed change files, sync.hub.file_import)
    sprechstunde-hub allocate --dir DIR [--date D]  (course seats, sync.hub.allocate)
    sprechstunde-hub retention --dir DIR [--date D] [--apply] [--json]   (sync.hub.retention_cmds)
    sprechstunde-hub erase   --dir DIR --case CASE_NUMBER --reason TEXT
    sprechstunde-hub audit   --dir DIR [--case CASE_NUMBER] [--json] [--verify]   (sync.hub.audit_cli)
    sprechstunde-hub duplicates --dir DIR [--json] [--explain] [--merge KEEP AWAY]   (sync.hub.duplicates_cmds)

The hub secret comes from SPRECHSTUNDE_HUB_PASSPHRASE or SPRECHSTUNDE_HUB_KEYFILE
(``init`` creates the key file when it does not exist); the folder from --dir
or SPRECHSTUNDE_HUB_DIR. Exit codes: 0 ok, 1 error (one line on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import sys

import i18n
from app import console
from app.labels import label
from app.schema import OFFICE_CODES
from i18n import _, ngettext
from i18n.commandline import LANG_OPTION, argparse_in_ui_language, set_language_from_argv
from sync import protocol as P

from . import audit_cli, duplicates_cmds, retention_cmds, storage, tls
from .file_import import main as import_main
from .retention import unconfirmed_by_device
from .storage import TLS_PASSWORD_META, HubError

MAX_CODE_HOURS = 24 * 365


def _dt(ms: int | None) -> str:
    if ms is None:
        return "-"
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _check_host_names(names: list[str]) -> None:
    """Refuse what the certificate cannot hold before anything is written (tls.create_certificate)."""
    from cryptography import x509

    for name in names:
        try:
            ipaddress.ip_address(name)
            continue
        except ValueError:
            pass
        try:
            x509.DNSName(name)
        except ValueError:
            raise HubError(_("--name {name} is not a host name or IP address "
                             "(write international names in their xn-- form)").format(name=repr(name))) from None


def cmd_init(args) -> int:
    folder = storage.hub_dir(args.dir)
    if (folder / storage.STORE_SUBDIR).exists():
        raise HubError(_("a hub exists already in {path}").format(path=folder))
    _check_host_names(args.name or [])
    storage.read_secret(create=True)  # no secret: stop before the folder is made
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HubError(_("cannot create the hub folder {path}: {reason}").format(
            path=folder, reason=exc.strerror)) from None
    store = storage.create_store(folder)
    try:
        password, fingerprint = tls.create_certificate(folder, args.name or [])
        store.set_meta(TLS_PASSWORD_META, password)
    finally:
        store.close()
    print(_("Hub created in {path}").format(path=folder))
    print(_("Certificate fingerprint (SHA-256): {fingerprint}").format(fingerprint=fingerprint))
    print(_("Give this fingerprint to staff enrolling laptops (sprechstunde enroll --fingerprint ...)."))
    return 0


def cmd_fingerprint(args) -> int:
    folder = storage.hub_dir(args.dir)
    try:
        print(tls.fingerprint_pem((folder / tls.CERT_NAME).read_bytes()))
    except OSError:
        raise HubError(_("no certificate in {path}").format(path=folder)) from None
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from .allocate import start_allocator
    from .app import create_app, log_event, setup_logging
    from .service import Hub

    folder = storage.hub_dir(args.dir)
    store = storage.open_store(folder)
    password = store.meta(TLS_PASSWORD_META)
    if not password:
        raise HubError(_("the hub store has no TLS key password (was it made by 'sprechstunde-hub init'?)"))
    setup_logging()
    hub = Hub(store, stamp_margin_ms=int(args.stamp_margin_minutes * 60_000),
              max_clock_ahead_ms=int(args.max_clock_ahead_days * 86_400_000), lease_days=args.lease_days)
    hub.start_checkpointer()
    start_allocator(hub, log_event)
    config = uvicorn.Config(
        create_app(hub), host=args.host, port=args.port, log_level="warning", access_log=False,
        ssl_certfile=str(folder / tls.CERT_NAME), ssl_keyfile=str(folder / tls.KEY_NAME),
        ssl_keyfile_password=password, timeout_keep_alive=30, lifespan="off",
    )
    server = uvicorn.Server(config)
    log_event("start", host=args.host, port=args.port, fingerprint=tls.fingerprint_pem(
        (folder / tls.CERT_NAME).read_bytes()))
    try:
        server.run()
    finally:
        hub.stop()
        store.close()
        log_event("stop")
    return 0


def _with_store(args, fn):
    store = storage.open_store(storage.hub_dir(args.dir))
    try:
        return fn(store)
    finally:
        store.close()


def cmd_enroll(args) -> int:
    if not args.replace and not (args.office and args.name):
        raise HubError(_("enroll needs --office and --name (or --replace DEVICE)"))
    office = args.office.upper() if args.office else None
    if office is not None and office not in OFFICE_CODES:
        raise HubError(_("unknown office {office} (one of {known})").format(
            office=repr(args.office), known=", ".join(OFFICE_CODES)))
    if not 0 < args.hours <= MAX_CODE_HOURS:  # also refuses nan
        raise HubError(_("--hours must be more than 0 and at most {hours}").format(hours=MAX_CODE_HOURS))
    if args.name is not None and not args.name.strip():
        raise HubError(_("--name must not be empty"))

    def run(store):
        office_, name = office, args.name
        if args.replace:
            old = storage.get_device(store.conn, args.replace)
            if old is None:
                raise HubError(_("no device {device} (see 'sprechstunde-hub devices')").format(
                    device=repr(args.replace)))
            office_, name = office_ or old.office, name or old.name
        if office_ is None:  # without --replace, --office was required above
            raise HubError(_("enroll needs --office and --name (or --replace DEVICE)"))
        code, expires = storage.new_code(store.conn, office_, name, args.hours, replace=args.replace)
        print(_("Enrollment code for {name} ({office}): {code}").format(
            name=name, office=label("office", office_), code=code))
        if args.replace:
            print(_("It re-enrolls device {device}: use it on that laptop's store; "
                    "the old enrollment is revoked when the code is used.").format(device=args.replace))
        print(_("Valid once, until {time}.").format(time=_dt(expires)))
        return 0

    return _with_store(args, run)


def cmd_devices(args) -> int:
    def run(store):
        devices = storage.list_devices(store.conn)
        pending = unconfirmed_by_device(store.conn)
        for d in devices:  # deletion orders not yet confirmed (never for a revoked device)
            d["last_sync"] = d["last_seen"]
            d["orders_pending"] = pending.get(d["id"], [])
        if args.json:
            print(json.dumps(devices, indent=1))
            return 0
        if not devices:
            print(_("No devices enrolled."))
        for d in devices:
            state = (_("revoked {time} ({reason})").format(time=_dt(d["revoked_at"]), reason=d["revoke_reason"])
                     if d["revoked_at"] else _("active"))
            print(f"{d['id']}  {label('office', d['office'])[:12]:12}  {d['name'][:30]:30}  " + _(
                "enrolled {enrolled}  last seen {seen}  pushed {pushed}  cursor {cursor}").format(
                enrolled=_dt(d["enrolled_at"]), seen=_dt(d["last_seen"]), pushed=d["pushed"],
                cursor=d["pull_cursor"]) + f"  {state}" + (("  " + ngettext(
                "{n} deletion order not confirmed", "{n} deletion orders not confirmed",
                len(d["orders_pending"])).format(n=len(d["orders_pending"]))) if d["orders_pending"] else ""))
        return 0

    return _with_store(args, run)


def cmd_revoke(args) -> int:
    def run(store):
        if not storage.get_device(store.conn, args.device):
            raise HubError(_("no device {device}").format(device=args.device))
        if storage.revoke(store.conn, args.device, args.reason):
            print(_("Device {device} revoked; it can no longer sync.").format(device=args.device))
        else:
            print(_("Device {device} was revoked already.").format(device=args.device))
        return 0

    return _with_store(args, run)


def cmd_allocate(args) -> int:
    from .allocate import allocate

    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise HubError(_("--date: not a date: {date} (use YYYY-MM-DD)").format(date=args.date)) from None

    def run(store):
        counts = allocate(store, day)
        if args.json:
            print(json.dumps(counts, sort_keys=True))
        else:
            print(_("Seats offered: {offered}, given: {allocated}, declined: {declined}, expired: {expired}, "
                    "freed: {released}; notices: {notices}").format(**counts))
        return 0

    return _with_store(args, run)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number: {text}").format(text=repr(text))) from None
    if not 0 <= value <= 3650:  # also refuses nan
        raise argparse.ArgumentTypeError(_("must be between 0 and 3650: {text}").format(text=repr(text)))
    return value


def _lease_days(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 0 < int(text) <= 3650):
        raise argparse.ArgumentTypeError(_("not a number of days (1-3650): {text}").format(text=text))
    return int(text)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 65536):
        raise argparse.ArgumentTypeError(_("not a port number (1-65535): {text}").format(text=text))
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its texts in the current UI language (build it inside `argparse_in_ui_language`)."""
    parser = argparse.ArgumentParser(prog="sprechstunde-hub", description=_("Sprechstunde sync hub"))
    parser.add_argument(LANG_OPTION, metavar=_("LANG"), help=_("language of the messages (de, en); default de"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))

    def add(name: str, fn, help_: str):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--dir", metavar=_("DIR"), help=_("hub folder (default ${env})").format(env=storage.DIR_ENV))
        p.set_defaults(handler=fn)
        return p

    p = add("init", cmd_init, _("create the hub store and its TLS certificate"))
    p.add_argument("--name", action="append", metavar=_("HOST"),
                   help=_("extra host name or IP address for the certificate"))
    add("fingerprint", cmd_fingerprint, _("print the certificate fingerprint"))
    p = add("serve", cmd_serve, _("run the hub (HTTPS)"))
    p.add_argument("--host", default="127.0.0.1", metavar=_("ADDRESS"),
                   help=_("address to listen on (default 127.0.0.1)"))
    p.add_argument("--port", type=_port, default=8443, metavar=_("PORT"), help=_("port (default 8443)"))
    p.add_argument("--stamp-margin-minutes", type=_positive, default=P.STAMP_MARGIN_MS / 60_000,
                   metavar=_("MINUTES"),
                   help=_("how far past a device's own clock a pushed change may be stamped (default 5)"))
    p.add_argument("--max-clock-ahead-days", type=_positive, default=P.MAX_CLOCK_AHEAD_MS / 86_400_000,
                   metavar=_("DAYS"),
                   help=_("how far ahead of hub time a device's clock may run and still push (default 30)"))
    p.add_argument("--lease-days", type=_lease_days, default=P.LEASE_DAYS, metavar=_("DAYS"),
                   help=_("days a laptop may go without a sync before it locks case data (default 30)"))
    p = add("enroll", cmd_enroll, _("make a one-time enrollment code for a laptop"))
    p.add_argument("--office", metavar=_("OFFICE"), help=_("office code, e.g. AHL; ZIP for the central office"))
    p.add_argument("--name", metavar=_("NAME"), help=_("name of the laptop"))
    p.add_argument("--replace", metavar=_("DEVICE"),
                   help=_("re-enroll this device's laptop (new key, same identity; the old enrollment is revoked)"))
    p.add_argument("--hours", type=float, default=24.0, metavar=_("HOURS"),
                   help=_("hours the code stays valid (default 24)"))
    p = add("devices", cmd_devices, _("list enrolled devices"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p = add("revoke", cmd_revoke, _("shut a device out"))
    p.add_argument("device", metavar=_("DEVICE"), help=_("the device's id (see 'sprechstunde-hub devices')"))
    p.add_argument("--reason", default="revoked by administrator", metavar=_("TEXT"),
                   help=_("why (shown in the device list)"))
    p = add("allocate", cmd_allocate, _("offer freed course seats by the waiting-list rules (also run by serve)"))
    p.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("allocate as on this day (default today)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    retention_cmds.register(add)
    audit_cli.register(add, _with_store)
    duplicates_cmds.register(add, _with_store)
    sub.add_parser("import", help=_("import sealed change files: import --dir DIR FILE... (see docs/sync.md)"))
    return parser


def _first_command(argv: list[str]) -> str | None:
    """The subcommand: the first word after the leading options (`--lang en import ...` -> import)."""
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        i += 1 if "=" in argv[i] or argv[i] in ("-h", "--help") else 2
    return argv[i] if i < len(argv) else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language_from_argv(argv)  # before the parser is built: its help and errors speak it
    with argparse_in_ui_language():
        if _first_command(argv) == "import":  # sealed change files (offline transport) have their own parser
            return import_main(argv)
        args = build_parser().parse_args(argv)
        if args.lang and not _ui_language_known(args.lang):
            print("sprechstunde-hub: " + _("unknown language {lang} (one of {known})").format(
                lang=args.lang, known=", ".join(i18n.UI_LANGUAGES)), file=sys.stderr)
            return 2
        return console.run("sprechstunde-hub", args.handler, args, user_errors=(HubError,))


def _ui_language_known(value: str) -> bool:
    from i18n import locale as loc

    try:
        return loc.normalize(value) in i18n.UI_LANGUAGES
    except (OSError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main())


