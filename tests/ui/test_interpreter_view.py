"""The interpreter view: both texts for every question, the client's column right to left for Arabic and
Farsi (the toolbar and the rest in the UI's direction), citations in order, every option visible, read-only
shows the options but no case data."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QListView

import i18n
from app.forms import default_registry
from i18n.bidi import isolate_ltr_runs
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
        assert view.client_direction() == Qt.RightToLeft
        pairs = view.question_pairs()
        expected = _texts(form)
        assert len(pairs) == len(expected)
        for (german, client), msgid in zip(pairs, expected, strict=True):
            assert german == i18n.translate(msgid, "de")
            assert client == isolate_ltr_runs(i18n.translate(msgid, "ar"))  # never the English source
            if not i18n.has_translation(msgid, "ar"):
                assert i18n.translate(msgid, "de") in client
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
    assert view.client_direction() == Qt.LeftToRight
    assert dict(view.question_pairs())["Unterschrift"] == "ፌርማ"
    view.language_box.setCurrentIndex(view.language_box.findData("fa"))
    assert view.lang == "fa" and view.client_direction() == Qt.RightToLeft
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
    assert view.form.id == "resource_map" and view.lang == "fa" and view.client_direction() == Qt.RightToLeft
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


def _shown(qtbot, view, points=None):
    qtbot.addWidget(view)
    if points:
        view.set_font_size(points)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return view


def test_farsi_mirrors_only_the_client_column_not_the_toolbar(qtbot):
    for lang in ("fa", "ar"):
        view = _shown(qtbot, InterpreterView(default_registry().get("profiling_social"), lang))
        assert QApplication.layoutDirection() == Qt.LeftToRight  # the UI is German
        assert view.layoutDirection() == Qt.LeftToRight and view.client_direction() == Qt.RightToLeft
        # the toolbar reads left to right as in every German window: the label before its chooser,
        # the chooser before the size buttons
        label = next(w for w in view.findChildren(QLabel) if w.text() == "Sprache")
        assert label.x() < view.language_box.x() < view.size_box.x()
        german = view.findChildren(QLabel, "germanText")[0]
        client = view.findChildren(QLabel, "clientText")[0]
        assert german.x() < client.x()  # the German column on the left, the client's on the right
        assert client.layoutDirection() == Qt.RightToLeft and client.alignment() & Qt.AlignRight
        assert view.scroll.widget().layoutDirection() == Qt.LeftToRight
        for editor in view._editors.values():
            assert editor.layoutDirection() == Qt.LeftToRight  # staff enter the answers


def _visual_x(label: QLabel, index: int) -> float:
    """Where the cursor after character `index` of the label's text stands, laid out as the label does."""
    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setTextDirection(label.layoutDirection())
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    return line.cursorToX(index + 1)[0]


def test_a_legal_citation_keeps_its_order_in_arabic_and_farsi(qtbot):
    msgid = "For example § 25 Abs. 2 AufenthG (refugee protection)."
    for lang in ("ar", "fa"):
        view = InterpreterView(default_registry().get("intake"), lang, read_only=True)
        qtbot.addWidget(view)
        label = next(c for g, c, m, _k in view._pairs if m == msgid)
        text = label.text()
        assert "§ 25 Abs. 2 AufenthG" in text
        xs = [_visual_x(label, text.index(part)) for part in ("§ 25", "25 Abs", "Abs.", "2 Auf", "AufenthG")]
        assert xs == sorted(xs), f"{lang}: the citation reads {xs} (not § 25 Abs. 2 AufenthG from left to right)"


def test_every_option_of_a_long_multiple_choice_list_is_visible(qtbot):
    form = default_registry().get("profiling_social")
    needs = next(f for f in form.fields() if f.key == "needs")
    assert len(needs.options) == 8
    for lang, points in (("fa", 16), ("ar", 28), ("fa", 40)):
        view = _shown(qtbot, InterpreterView(form, lang), points)
        lst = view._editors["needs"]
        rows = lst.model().rowCount()
        assert rows == 8
        assert lst.verticalScrollBar().maximum() == 0
        assert lst.viewport().height() >= sum(lst.sizeHintForRow(r) for r in range(rows))
        assert lst.height() >= rows * lst.sizeHintForRow(0)
        for r in range(rows):
            rect = lst.visualRect(lst.model().index(r, 0))
            assert lst.viewport().rect().contains(rect), f"{lang} {points} pt: option {r + 1} of 8 cut off"


def test_questions_only_shows_the_answer_options_in_both_languages(qtbot):
    form = default_registry().get("profiling_social")
    view = _shown(qtbot, InterpreterView(form, "fa", read_only=True))
    options = view.option_pairs()
    for field in form.fields():
        if field.type in ("choice", "multi_choice"):
            assert options[field.key] == [
                (i18n.translate(m, "de"), isolate_ltr_runs(i18n.translate(m, "fa"))) for _c, m in field.options]
        elif field.type == "yes_no":
            assert options[field.key] == [("ja", i18n.translate("yes", "fa")), ("nein", i18n.translate("no", "fa"))]
        else:
            assert field.key not in options
    assert len(options["needs"]) == 8
    shown = {lab.text() for lab in view.findChildren(QLabel, "clientOption") if lab.isVisibleTo(view)}
    assert {client for _g, client in options["needs"]} <= shown
    assert not view._editors  # still nothing to answer
    view.set_language("ar")  # the options change language with the questions
    first = next(f for f in form.fields() if f.key == "needs").options[0][1]
    assert view.option_pairs()["needs"][0][1] == i18n.translate(first, "ar")
