"""User options, declared once with their defaults, stored in QSettings.

Holds no client data: window geometry, UI language, auto-lock minutes, the
last store folder and the staff login that last unlocked it. Tests point QSettings at a temporary INI file.
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
LAST_LOGIN = Option("store/last_login", "", str)  # staff login preselected on the lock screen (not client data)
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
