"""The interpreter view: both texts for every question, right to left for Arabic, read-only shows no case data."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView

import i18n
from app.forms import default_registry
from ui.interpreter_view import InterpreterView
from ui.models import ChoiceListModel


def _texts(form):
    """Every text the view must show, in order: title, description, sections, questions, help."""
    out = [form.title] + ([form.description] if form.description else [])
    for s in form.sections:
        out.append(s.title)
        if s.help:
            out.append(s.help)
        for f in s.fields:
            out.append(f.label)
            if f.help:
                out.append(f.help)
    return out


def test_arabic_is_right_to_left_and_shows_both_texts_for_every_question(qtbot):
    for form_id in ("consent", "resource_map", "intake", "profiling_u25"):
        form = default_registry().get(form_id)
        view = InterpreterView(form, "ar")
        qtbot.addWidget(view)
        assert view.layoutDirection() == Qt.RightToLeft
        pairs = view.question_pairs()
        expected = _texts(form)
        assert len(pairs) == len(expected)
        for (german, client), msgid in zip(pairs, expected, strict=True):
            assert german == i18n.translate(msgid, "de")
            assert client == (i18n.translate(msgid, "ar") if i18n.has_translation(msgid, "ar") else msgid)
        for label in view.findChildren(QLabel, "clientText"):
            assert label.layoutDirection() == Qt.RightToLeft
            assert label.alignment() & Qt.AlignRight
        for label in view.findChildren(QLabel, "germanText"):
            assert label.layoutDirection() == Qt.LeftToRight


def test_consent_questions_are_translated_into_arabic(qtbot):
    view = InterpreterView(default_registry().get("consent"), "ar")
    qtbot.addWidget(view)
    pairs = dict(view.question_pairs())
    assert pairs["Einverständnis zur Datenweitergabe"] == "الموافقة على نقل البيانات"
    assert pairs["Unterschrift"] == "التوقيع"


def test_switching_language_changes_direction_and_texts(qtbot):
    view = InterpreterView(default_registry().get("consent"), "ar")
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.languageChanged):
        view.set_language("ti")
    assert view.layoutDirection() == Qt.LeftToRight
    assert dict(view.question_pairs())["Unterschrift"] == "ፌርማ"
    view.language_box.setCurrentIndex(view.language_box.findData("fa"))
    assert view.lang == "fa" and view.layoutDirection() == Qt.RightToLeft
    view.set_language("kmr")  # an alias
    assert view.lang == "ku" and dict(view.question_pairs())["Unterschrift"] == "Îmze"


def test_font_size_with_ctrl_plus_and_minus(qtbot):
    view = InterpreterView(default_registry().get("consent"), "ar")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    size = view.point_size
    qtbot.keyClick(view, Qt.Key_Plus, Qt.ControlModifier)
    assert view.point_size == size + 2
    label = view.findChildren(QLabel, "clientText")[0]
    assert label.font().pointSizeF() >= size + 2
    qtbot.keyClick(view, Qt.Key_Minus, Qt.ControlModifier)
    qtbot.keyClick(view, Qt.Key_Minus, Qt.ControlModifier)
    assert view.point_size == size - 2


def test_the_answer_is_entered_once(qtbot):
    form = default_registry().get("consent")
    view = InterpreterView(form, "ar", answers={"aa": "given"})
    qtbot.addWidget(view)
    assert len(view._editors) == len(form.fields())
    combo = view._editors["jc"]
    assert isinstance(combo, QComboBox)
    assert combo.itemText(1) == "Einverständnis erteilt / " + i18n.translate("consent given", "ar") \
        or combo.itemText(1).startswith(i18n.translate("consent given", "de"))
    with qtbot.waitSignal(view.answerChanged) as sig:
        combo.setCurrentIndex(combo.findData("refused"))
    assert sig.args == ["jc", "refused"]
    name = view._editors["provider_name"]
    qtbot.keyClicks(name, "VHS Beckum")
    assert view.answers() == {"aa": "given", "jc": "refused", "provider_name": "VHS Beckum"}


def test_read_only_shows_questions_but_no_case_data(qtbot):
    form = default_registry().get("intake")
    secret = {"address": "Lindenstraße 4, Beckum", "referrer_name": "Frau Geheim", "remarks": "Mohammed Al-Hassan"}
    view = InterpreterView(form, "ar", answers=secret, read_only=True)
    qtbot.addWidget(view)
    edits = [e for e in view.findChildren(QLineEdit) if e.objectName() != "qt_spinbox_lineedit"]
    assert edits == [] and [v for v in view.findChildren(QListView) if isinstance(v.model(), ChoiceListModel)] == []
    combos = view.findChildren(QComboBox)
    assert combos == [view.language_box]  # only the language chooser
    assert view.answers() == {}
    shown = [w.text() for w in view.findChildren(QLabel)] + [view.windowTitle()]
    for value in secret.values():
        assert not any(value in text for text in shown)
    assert len(view.question_pairs()) == len(_texts(form))


def test_switching_the_form_keeps_language_size_and_answers(qtbot):
    reg = default_registry()
    forms = [reg.get("consent"), reg.get("resource_map")]
    view = InterpreterView(forms[0], "fa", answers={"aa": "given"}, forms=forms)
    qtbot.addWidget(view)
    view.set_font_size(22)
    with qtbot.waitSignal(view.formChanged):
        view.form_box.setCurrentIndex(1)
    assert view.form.id == "resource_map" and view.lang == "fa" and view.layoutDirection() == Qt.RightToLeft
    assert len(view.question_pairs()) == len(_texts(forms[1]))
    assert view.findChildren(QLabel, "clientText")[0].font().pointSizeF() >= 22
    assert view.answers() == {}
    view.form_box.setCurrentIndex(0)
    assert view.answers() == {"aa": "given"}


def test_open_read_only_window_offers_every_questionnaire(qtbot):
    from ui.interpreter_view import open_interpreter_view

    view = open_interpreter_view("intake", "ti", read_only=True)
    qtbot.addWidget(view)
    assert view.form_box.count() >= 5 and view.answers() == {}
    view.form_box.setCurrentIndex(view.form_box.findData("consent"))
    assert dict(view.question_pairs())["Unterschrift"] == "ፌርማ"


def test_a_multiple_choice_answer_ticked_in_the_interpreter_view(qtbot):
    form = default_registry().get("profiling_social")
    view = InterpreterView(form, "fa", answers={"needs": []})
    qtbot.addWidget(view)
    lst = view._editors["needs"]
    model = lst.model()
    first = model.options[0][0]
    model.setData(model.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert view.answers()["needs"] == [first]
    text = model.data(model.index(0))
    assert " / " in text  # German / Farsi, for the client to point at
