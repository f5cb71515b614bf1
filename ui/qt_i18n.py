"""Qt's side of the language: its own catalogs and the layout direction.

`apply_qt_language(app, lang)` installs Qt's `qtbase_<lang>.qm` (so standard
dialogs, buttons and the print dialog speak the UI language), sets
`QLocale.setDefault` and the application's layout direction from Babel's
text direction (`i18n.locale.text_direction`). Call it at start-up and when
the UI language changes; calling it again replaces the previous translator.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator

from i18n import locale as loc

_installed: list[QTranslator] = []


def qt_layout_direction(lang: str) -> Qt.LayoutDirection:
    if lang.startswith("x-pseudo"):  # i18n.pseudo: German texts, optionally mirrored
        return Qt.RightToLeft if lang.endswith("rtl") else Qt.LeftToRight
    return Qt.RightToLeft if loc.is_rtl(lang) else Qt.LeftToRight


def install_qt_translations(app, lang: str) -> bool:
    """Load Qt's own catalog for `lang`; returns whether one was found."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    code = loc.normalize(lang) or lang
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{code}", path):
        app.installTranslator(translator)
        _installed.append(translator)
        return True
    return False


def apply_qt_language(app, lang: str) -> None:
    code = "de" if lang.startswith("x-pseudo") else (loc.normalize(lang) or lang)
    QLocale.setDefault(QLocale(code))
    install_qt_translations(app, code)
    app.setLayoutDirection(qt_layout_direction(lang if lang.startswith("x-pseudo") else code))
