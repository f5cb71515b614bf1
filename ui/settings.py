"""User options, declared once with their defaults, stored in QSettings.

Holds no client data: window geometry, UI language, auto-lock minutes, the
last store folder and the hashed form of the staff login that last unlocked it
(app.keyring: it names nobody). Tests point QSettings at a temporary INI file.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class Option:
    key: str
    default: object
    type: type


LANGUAGE = Option("ui/language", "de", str)
AUTOLOCK_MINUTES = Option("security/autolock_minutes", 10, int)
LAST_STORE = Option("store/last", "", str)
# the login hash of whoever unlocked last (Session.login_hash): the lock screen's login at start
LAST_LOGIN = Option("store/last_login_hash", "", str)
LEGACY_LAST_LOGIN = Option("store/last_login", "", str)  # the clear login older versions kept; read once, then gone
GEOMETRY = Option("window/geometry", b"", bytes)
WINDOW_STATE = Option("window/state", b"", bytes)
AUTO_SYNC = Option("sync/automatic", True, bool)


def settings() -> QSettings:
    return QSettings("Sprechstunde", "Sprechstunde")


def get(option: Option):
    value = settings().value(option.key, option.default)
    if value is None:
        return option.default
    if option.type is bool and isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    if option.type is bytes:
        return bytes(value) if value else b""
    try:
        return option.type(value)
    except (TypeError, ValueError):
        return option.default


def put(option: Option, value) -> None:
    settings().setValue(option.key, value)


def remember_login(login_hash: str | None) -> None:
    """Keep the hashed login of whoever unlocked (and drop a clear login an older version kept)."""
    store = settings()
    store.remove(LEGACY_LAST_LOGIN.key)
    if login_hash:
        store.setValue(LAST_LOGIN.key, login_hash)
    else:
        store.remove(LAST_LOGIN.key)
