"""Shared pieces of the subcommands: the --store option and unlocking a store in a session.

The passphrase comes from the environment variable SPRECHSTUNDE_PASSPHRASE
(for scripts) or from a prompt on the terminal. SPRECHSTUNDE_LOGIN picks the
staff member when several share a laptop (default: whoever the passphrase
opens).
"""

from __future__ import annotations

import getpass
import os
import sys
import time

from app.paths import resolve_store_dir
from app.session import Session
from app.store import StoreError, TooManyAttempts

from i18n import _

from .main import UserError

PASSPHRASE_ENV = "SPRECHSTUNDE_PASSPHRASE"
LOGIN_ENV = "SPRECHSTUNDE_LOGIN"


def add_store_option(parser) -> None:
    parser.add_argument("--store", metavar=_("DIR"),
                        help=_("store folder (default: $SPRECHSTUNDE_STORE or the platform data folder)"))


def read_passphrase(prompt: str | None = None, confirm: bool = False) -> str:
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(_("no passphrase: set {env} or run in a terminal").format(env=PASSPHRASE_ENV))
    first = getpass.getpass(prompt or _("Passphrase: "))
    if confirm and getpass.getpass(_("Repeat passphrase: ")) != first:
        raise UserError(_("The two passphrases differ."))
    return first


def open_session(args) -> Session:
    """A session with the store named by args.store unlocked (as SPRECHSTUNDE_LOGIN, or whoever the
    passphrase opens); user errors become UserError. Lock it when done (`session.lock()`)."""
    session = Session(resolve_store_dir(getattr(args, "store", None)))
    if not session.exists:
        raise UserError(_("there is no store in {path} (create one with 'sprechstunde init')").format(
            path=session.path))
    passphrase = read_passphrase()
    while True:
        try:
            session.unlock(passphrase, os.environ.get(LOGIN_ENV))
            return session
        except TooManyAttempts as exc:
            if not (exc.wait_s <= 30 and sys.stdin and sys.stdin.isatty()):
                raise UserError(str(exc)) from None
            time.sleep(exc.wait_s)
        except StoreError as exc:
            raise UserError(str(exc)) from None
