"""Shortcuts in tooltips read in the UI language: "Strg+S" in German, not "Ctrl+S"."""

import pytest
from PySide6.QtCore import Qt

from app.repository import Repository
from tests.app.family_o import register_family


@pytest.fixture
def qt_german(qapp):
    from ui import qt_i18n

    qt_i18n.apply_qt_language(qapp, "de")
    yield
    for t in qt_i18n._installed:
        qapp.removeTranslator(t)
    qt_i18n._installed.clear()
    qapp.setLayoutDirection(Qt.LeftToRight)


def test_the_save_button_names_the_german_keys(qtbot, store, window_for, qt_german):
    from ui.casework.form_page import FormPage

    res = register_family(Repository(store))
    win = window_for(store)
    win.case_view.show_case(res.household_id, res.case_ids[0])
    pages = win.case_view.findChildren(FormPage)
    assert pages
    for page in pages:
        assert page.save_button.toolTip() == "Speichern (Strg+S)"
