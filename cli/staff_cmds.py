"""Staff members of a store: list, add (needs an unlocked store), change a passphrase.

The unlocking passphrase comes from SPRECHSTUNDE_PASSPHRASE or a prompt; the
new member's (or the new) passphrase from SPRECHSTUNDE_NEW_PASSPHRASE or a
prompt asked twice.
"""

from __future__ import annotations

import getpass
import os
import sys

from app.access import AccessDenied
from app.roles import default_table
from app.store import StoreError
from i18n import _

from .common import add_store_option, open_session
from .main import UserError

NEW_PASSPHRASE_ENV = "SPRECHSTUNDE_NEW_PASSPHRASE"


def register(sub) -> None:
    p = sub.add_parser("staff", help=_("staff members who can unlock this store"))
    ssub = p.add_subparsers(dest="staff_command", metavar=_("ACTION"), required=True)
    ls = ssub.add_parser("list", help=_("list the staff members"))
    add_store_option(ls)
    ls.set_defaults(handler=cmd_list)
    add = ssub.add_parser("add", help=_("let another staff member unlock this store with their own passphrase"))
    add_store_option(add)
    add.add_argument("--login", required=True, metavar=_("LOGIN"), help=_("login of the new staff member"))
    add.add_argument("--name", default="", metavar=_("NAME"), help=_("display name of the new staff member"))
    add.add_argument("--agency", metavar=_("AGENCY"), type=str.upper,
                     help=_("agency of the new staff member: AA, JC, SOZ, ABH or KI (default: your own)"))
    add.add_argument("--role", metavar=_("ROLE"), type=str.lower,
                     help=_("role: intake, ifk, pap, saf, interpreter, central, dpo or admin (default intake); "
                            "what each may see: docs/data-protection.md"))
    add.set_defaults(handler=cmd_add)
    pw = sub.add_parser("passphrase", help=_("change your passphrase (the data is not re-encrypted)"))
    add_store_option(pw)
    pw.set_defaults(handler=cmd_passphrase)


def _new_passphrase() -> str:
    env = os.environ.get(NEW_PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(_("no new passphrase: set {env} or run in a terminal").format(env=NEW_PASSPHRASE_ENV))
    first = getpass.getpass(_("New passphrase: "))
    if getpass.getpass(_("Repeat passphrase: ")) != first:
        raise UserError(_("The two passphrases differ."))
    return first


def cmd_list(args) -> int:
    session = open_session(args)
    try:
        for m in session.staff_members():
            print("\t".join((m["login"], m["agency"], m["role"], m["name"])))
    finally:
        session.lock()
    return 0


def _keyring_not_written(store, exc: OSError) -> UserError:
    """Keyring.save failed: drop its temporary file (keyring.json itself is unchanged)."""
    try:
        store.keyring.path.with_suffix(".tmp").unlink()
    except OSError:
        pass
    return UserError(_("cannot write {path}: {reason}").format(path=store.keyring.path, reason=exc.strerror))


def cmd_add(args) -> int:
    if not args.login.strip():
        raise UserError(_("The login must not be empty."))
    table = default_table()
    if args.agency is not None and args.agency not in table.agencies:
        raise UserError(_("--agency: unknown agency {agency} (one of {known})").format(
            agency=args.agency, known=", ".join(table.agencies)))
    if args.role is not None and args.role not in table.roles:
        raise UserError(_("--role: unknown role {role} (one of {known})").format(
            role=args.role, known=", ".join(table.roles)))
    session = open_session(args)
    store = session.store
    try:
        session.add_member(args.login, _new_passphrase(), args.name, args.agency, args.role)
    except (StoreError, AccessDenied) as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:  # keyring.json cannot be replaced: nothing was changed
        raise _keyring_not_written(store, exc) from None
    finally:
        session.lock()
    print(_("{login} can now unlock this store.").format(login=args.login))
    return 0


def cmd_passphrase(args) -> int:
    session = open_session(args)
    store = session.store
    try:
        if store.staff_id is None:
            raise UserError(_("opened with the recovery key: add a staff member instead"))
        store.change_passphrase(_new_passphrase())
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:  # keyring.json cannot be replaced: the old passphrase still opens the store
        raise _keyring_not_written(store, exc) from None
    finally:
        session.lock()
    print(_("The passphrase was changed."))
    return 0
