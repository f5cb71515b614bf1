"""Bundled fonts for every shipped script, registered with Qt at start-up.

`register_fonts()` adds the Noto fonts listed in `resources/fonts/fonts.json`
to `QFontDatabase` (once per process; needs a QGuiApplication), so Arabic,
Farsi and Tigrinya render the same on any laptop. Registering alone does not
make Qt use them for a missing glyph: fontconfig (Linux) looks at
application fonts when it falls back, Windows and macOS may fall back to
system fonts only (Qt 6.8 added addApplicationFallbackFontFamily for this,
PySide6 does not bind it), and a Tigrinya name then shows as boxes. So
`use_bundled_fallbacks(app)` gives the application font (which every widget
inherits) the bundled families after the platform's own: Latin text keeps the
system's look, Ge'ez and Arabic script find their glyphs in the same fonts the
PDFs embed. `font_for(lang, size)` gives a QFont whose family list starts with
the language's script font and falls back to the others.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

FONTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

_registered: dict[str, list[str]] = {}


@lru_cache(maxsize=1)
def font_table() -> dict:
    return json.loads((FONTS_DIR / "fonts.json").read_text("utf-8"))


def _script_entry(script: str) -> dict:
    scripts = font_table()["scripts"]
    entry = scripts.get(script) or scripts[font_table()["default"]]
    if "same_as" in entry:
        entry = scripts[entry["same_as"]]
    return entry


def register_fonts() -> dict[str, list[str]]:
    """Register all bundled font files; returns {file name: [family names]}. Idempotent."""
    if _registered:
        return dict(_registered)
    for entry in font_table()["scripts"].values():
        for key in ("regular", "bold"):
            name = entry.get(key)
            if not name or name in _registered:
                continue
            font_id = QFontDatabase.addApplicationFont(str(FONTS_DIR / name))
            _registered[name] = list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []
    return dict(_registered)


def use_bundled_fallbacks(app: QGuiApplication) -> None:
    """Register the bundled fonts and put their families behind the platform's in the application font."""
    register_fonts()
    font = app.font()
    first = font.family()
    font.setFamilies([first] + [f for f in families() if f != first])
    app.setFont(font)


def families() -> list[str]:
    """All bundled families, default script first (a fallback list for mixed text)."""
    table = font_table()
    order = [table["default"]] + [s for s in table["scripts"] if s != table["default"]]
    out: list[str] = []
    for script in order:
        fam = _script_entry(script)["family"]
        if fam not in out:
            out.append(fam)
    return out


def family_for(lang: str) -> str:
    from i18n.locale import language

    try:
        script = language(lang).script
    except KeyError:
        script = font_table()["default"]
    return _script_entry(script)["family"]


def font_for(lang: str, point_size: float | None = None, bold: bool = False) -> QFont:
    """A font for text in `lang`: its script's Noto family first, the other bundled ones as fallback."""
    register_fonts()
    first = family_for(lang)
    font = QFont()
    font.setFamilies([first] + [f for f in families() if f != first])
    if point_size:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    return font
