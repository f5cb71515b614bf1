"""Bundled fonts register with Qt; the document dialog previews a PDF."""

import json
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from ui import fonts


def test_fonts_are_bundled_with_their_licence_and_register():
    table = json.loads((fonts.FONTS_DIR / "fonts.json").read_text("utf-8"))
    assert (fonts.FONTS_DIR / table["licence"]).read_text("utf-8").startswith("Noto fonts")
    for entry in table["scripts"].values():
        for key in ("regular", "bold"):
            if key in entry:
                assert (fonts.FONTS_DIR / entry[key]).exists()
    registered = fonts.register_fonts()
    families = {f for fams in registered.values() for f in fams}
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic"} <= families
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic"} <= set(QFontDatabase.families())
    assert fonts.font_for("ti", 18).families()[0] == "Noto Sans Ethiopic"
    assert fonts.font_for("fa").families()[0] == "Noto Sans Arabic"
    assert fonts.font_for("uk").families()[0] == "Noto Sans"
    assert fonts.register_fonts() == registered  # idempotent


def test_the_app_font_falls_back_to_the_bundled_ethiopic_and_arabic_fonts(qtbot, store, window_for):
    """Qt's own fallback looks at application fonts only with fontconfig (Linux); the application font names
    the bundled families itself, so a Tigrinya or Arabic name finds its glyphs on every platform."""
    from PySide6.QtGui import QRawFont, QTextLayout
    from PySide6.QtWidgets import QApplication

    names = {"ሳባ ተስፋይ": "Noto Sans Ethiopic", "محمد الحسن": "Noto Sans Arabic"}
    fallbacks = QApplication.font().families()[1:]
    files = {fam: name for name, fams in fonts.register_fonts().items() for fam in fams}
    for text, family in names.items():
        assert family in fallbacks  # named by the application font itself, not left to the platform
        assert QRawFont(str(fonts.FONTS_DIR / files[family]), 12).supportsCharacter(ord(text[0]))
    win = window_for(store)
    win.session.save_household({"office": "WAF"}, [
        {"relation": "head", "family_name": "ተስፋይ", "given_names": "ሳባ", "birth_date": "1994",
         "case": {"rechtskreis": "AsylbLG"}}])
    win.refresh()
    view = win.case_list.table
    shown = [view.model().index(r, c).data() for r in range(view.model().rowCount()) for c in range(3)]
    assert "ተስፋይ" in shown
    for text, family in names.items():  # as the case list lays a name out: real glyphs, none of them a box
        layout = QTextLayout(text, view.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs = layout.glyphRuns()
        assert family in {r.rawFont().familyName() for r in runs}
        assert all(g != 0 for r in runs for g in r.glyphIndexes()), text


def test_document_dialog_previews_pages(qtbot, repo):
    from app.documents import file_name, render
    from app.documents.sample import make_case
    from ui.print_dialog import DocumentDialog

    number = make_case(repo, events=5)
    pdf = render(repo, "consent", number, "ar")
    dialog = DocumentDialog(pdf, file_name("consent", "ar"))
    qtbot.addWidget(dialog)
    assert len(dialog.pages) == 1 and not dialog.pages[0].isNull()
    assert dialog.pages[0].width() > 300
    assert Path(dialog.suggested_name).suffix == ".pdf" and "Hassan" not in dialog.suggested_name


def test_qt_catalog_and_direction(qapp):
    from PySide6.QtCore import QCoreApplication, Qt

    from ui.qt_i18n import apply_qt_language, qt_layout_direction

    assert qt_layout_direction("ar") == Qt.RightToLeft and qt_layout_direction("de") == Qt.LeftToRight
    try:
        apply_qt_language(qapp, "de")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
        assert qapp.layoutDirection() == Qt.LeftToRight
    finally:
        from ui import qt_i18n

        for t in qt_i18n._installed:
            qapp.removeTranslator(t)
        qt_i18n._installed.clear()
        qapp.setLayoutDirection(Qt.LeftToRight)


def test_pseudo_rtl_mirrors_the_layout():
    from PySide6.QtCore import Qt

    from ui.qt_i18n import qt_layout_direction

    assert qt_layout_direction("x-pseudo-rtl") == Qt.RightToLeft
    assert qt_layout_direction("x-pseudo") == Qt.LeftToRight
