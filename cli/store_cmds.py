"""Store administration: init, demo, import, export and check."""

from __future__ import annotations

import json
import os
import sys

from app import interchange, migrations, schema
from app.paths import resolve_store_dir
from app.session import Session
from app.store import StoreError

from i18n import N_, _

from .common import LOGIN_ENV, add_store_option, open_session, read_passphrase
from .main import UserError


# records app.labels does not name (check's counts)
ENTITY_NAMES = {"share": N_("Household share")}


def register(sub) -> None:
    p = sub.add_parser("init", help=_("create a new encrypted store"))
    add_store_option(p)
    p.add_argument("--login", default=os.environ.get(LOGIN_ENV, "admin"), metavar=_("LOGIN"),
                   help=_("login of the first staff member"))
    p.add_argument("--name", default="", metavar=_("NAME"), help=_("display name of the first staff member"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help=_("create or fill a store with fictional demo data"))
    add_store_option(p)
    p.add_argument("--households", type=int, default=200, metavar=_("NUMBER"),
                   help=_("how many households (default 200)"))
    p.add_argument("--seed", type=int, default=2016, metavar=_("NUMBER"),
                   help=_("seed of the random choices (default 2016)"))
    p.add_argument("--date", default=None, metavar=_("YYYY-MM-DD"),
                   help=_("the demo's reference day (default: today); the same seed and date give the same demo"))
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("import", help=_("import an interchange JSON file (all or nothing)"))
    add_store_option(p)
    p.add_argument("file", metavar=_("FILE.json"), help=_("the interchange file"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help=_("write the store as interchange JSON to stdout"))
    add_store_option(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("check", help=_("check key, encryption, integrity and migration level"))
    add_store_option(p)
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_check)


def _create(args, login: str | None = None, name: str = "") -> tuple[Session, str]:
    """A new store, unlocked in a session, and its recovery key."""
    path = resolve_store_dir(args.store)
    login = login if login is not None else getattr(args, "login", "admin")
    if not login.strip():
        raise UserError(_("The login must not be empty."))
    if path.exists() and not path.is_dir():  # before the passphrase prompt
        raise UserError(_("{path} is not a folder").format(path=path))
    passphrase = read_passphrase(_("New passphrase: "), confirm=True)
    session = Session(path)
    try:
        recovery = session.create(passphrase, login, name)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    return session, recovery


def cmd_init(args) -> int:
    session, recovery = _create(args, args.login, args.name)
    print(_("Store created in {path}").format(path=session.path))
    print(_("Recovery key (shown only now; print it and keep it locked away):"))
    print(f"  {recovery}")
    session.lock()
    return 0


def cmd_demo(args) -> int:
    import datetime as dt

    from app.demo import fill
    from app.demo_casework import DemoExistsError

    if args.households < 0:  # checked before a new store is made for it
        raise UserError(_("--households must be 0 or more"))
    reference = dt.date.today()
    if args.date is not None:
        try:
            reference = dt.date.fromisoformat(args.date)
        except ValueError:
            reference = None
        if reference is None or len(args.date) != 10 or reference > dt.date.today():
            raise UserError(_("--date must be a day YYYY-MM-DD, not in the future"))
    path = resolve_store_dir(args.store)
    session = open_session(args) if Session(path).exists else _create(args, "demo", "Demo")[0]
    store = session.store
    try:
        try:
            counts = fill(store, households=args.households, seed=args.seed, reference=reference)
        except interchange.InterchangeError as exc:
            raise UserError(str(exc)) from None
        except DemoExistsError:
            raise UserError(_("The store already holds the demo of seed {seed}.").format(seed=args.seed)) from None
        n = sum(v for k, v in counts.items() if k not in ("rechtskreiswechsel", "conflicts"))
        print(_("{n} demo records written to {path}").format(n=n, path=store.path))
    finally:
        session.lock()
    return 0


def cmd_import(args) -> int:
    try:
        with open(args.file, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise UserError(_("cannot read {file}: {reason}").format(file=args.file, reason=exc.strerror)) from None
    except RecursionError:  # nested too deeply for the parser
        raise UserError(_("{file} is not valid JSON: {reason}").format(
            file=args.file, reason="nested too deeply")) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(_("{file} is not valid JSON: {reason}").format(file=args.file, reason=exc)) from None
    session = open_session(args)
    store = session.store
    try:
        n = interchange.import_document(store, doc)
    except interchange.InterchangeError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    finally:
        session.lock()
    print(_("{n} records imported").format(n=n), file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    if sys.stdout is None:  # started with stdout closed (`sprechstunde export >&-`)
        raise UserError(_("input/output error: {reason}").format(reason="stdout is closed"))
    session = open_session(args)
    store = session.store
    try:
        text = interchange.dumps(interchange.export_document(store))
    finally:
        session.lock()
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `sprechstunde export | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_check(args) -> int:
    session = open_session(args)  # proves the key opens the file
    store = session.store
    try:
        try:
            problems = store.integrity_problems()
            counts = {name: store.conn.execute(
                f'SELECT count(*) FROM "{ent.table}" WHERE coalesce(deleted, 0) = 0').fetchone()[0]
                for name, ent in sorted(schema.ENTITIES.items())}
            changes = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        except Exception as exc:  # sqlcipher3.DatabaseError: damaged pages
            problems, counts, changes = [f"unreadable: {exc}"], {}, 0
        report = {
            "store": str(store.path), "key": "ok", "schema_version": store.schema_version,
            "latest_version": migrations.LATEST, "integrity": "ok" if not problems else "damaged",
            "problems": problems[:20], "counts": counts, "changes": changes,
            "staff_members": len(store.keyring.members()),
        }
    finally:
        session.lock()
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        from app.labels import label

        print(_("store: {path}").format(path=report["store"]))
        print(_("key: ok; staff members: {n}").format(n=report["staff_members"]))
        print(_("schema: version {version} of {latest}").format(
            version=report["schema_version"], latest=report["latest_version"]))
        print(_("integrity: {state}").format(state=_("ok") if not problems else _("damaged")))
        for p in report["problems"]:
            print(f"  {p}")
        print(_("counts: {counts}; changes {changes}").format(
            counts=", ".join(f"{_(ENTITY_NAMES[k]) if k in ENTITY_NAMES else label('entity', k)} {v}"
                            for k, v in counts.items()), changes=changes))
    if problems:
        print("sprechstunde: " + _("the store is damaged (see above); restore it from a backup or sync"), file=sys.stderr)
        return 1
    return 0
