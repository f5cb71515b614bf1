"""The interpreter view: every question of a form in German and the client's language.

`InterpreterView(form, lang)` shows each section and question of a form
definition (intake, consent, profiling, resource map prompts) side by side,
German and the chosen language, in large text. The font size changes with
Ctrl + / Ctrl - (or the buttons); the language with the chooser, fast: only
the client-language labels are retranslated.

Directions: the window, its toolbar, the columns and the answer editors keep
the direction of the UI language (the staff's); only the client's column runs
right to left for Arabic, Farsi, Dari, Pashto, ... In it, left-to-right runs
(a citation such as `§ 25 Abs. 2 AufenthG`, numbers, Latin words) are bidi
isolates (i18n.bidi), so they keep their order. A text the client's language
lacks shows the German text, marked as such (i18n.translate), never English.

Each question has one answer editor (the answer is entered once); a
multiple-choice list is as tall as all its options. With `read_only=True` the
view shows the questions and their answer options only: no editors, no
answers and no case data, so an interpreter can be handed the screen. The view
never touches storage: it reads a FormDef and hands answers back (`answers()`,
`answerChanged`); the caller saves them through app.responses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListView,
    QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

import i18n
from app.labels import label
from i18n import _
from i18n import locale as loc
from i18n.bidi import FSI, PDI, isolate_ltr_runs

from .fonts import font_for
from .models import ChoiceListModel
from .screen import resize_to_fit

MIN_PT, MAX_PT, DEFAULT_PT = 10, 40, 16
_TEXT_TYPES = ("text", "number", "date", "partial_date")
_CHOICE_TYPES = ("choice", "multi_choice", "yes_no")
_YES_NO = (("yes", "yes"), ("no", "no"))
HEADING, TEXT, OPTION = "heading", "text", "option"  # kinds of a shown pair
OPTION_INDENT = 24  # px an answer option stands in from its question


class FullListView(QListView):
    """A list as tall as all its rows: no scroll bar, no option cut off at any font size."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setWordWrap(True)

    def setModel(self, model) -> None:  # noqa: N802
        super().setModel(model)
        model.dataChanged.connect(lambda *_a: self.fit_rows())
        model.modelReset.connect(self.fit_rows)
        self.fit_rows()

    def fit_rows(self) -> None:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        self.doItemsLayout()
        height = sum(max(self.sizeHintForRow(r), self.visualRect(model.index(r, 0)).height())
                     for r in range(rows))
        self.setFixedHeight(height + 2 * self.frameWidth() + 2 * self.spacing() * rows + 2)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.fit_rows()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # wrapped lines change with the width
            self.fit_rows()


class InterpreterView(QWidget):
    answerChanged = Signal(str, object)
    languageChanged = Signal(str)

    formChanged = Signal(str)

    def __init__(self, form, lang: str = "ar", answers: dict[str, Any] | None = None,
                 read_only: bool = False, parent: QWidget | None = None, forms: list | None = None):
        super().__init__(parent)
        self.form = form
        self.forms = list(forms or [])  # offered in a chooser when given (read-only use mostly)
        self._answers_by_form: dict[str, dict[str, Any]] = {}
        self.read_only = read_only
        self.lang = loc.normalize(lang) or lang
        self.point_size = DEFAULT_PT
        self._answers: dict[str, Any] = {} if read_only else dict(answers or {})
        self._pairs: list[tuple[QLabel, QLabel, str, str]] = []  # (german, client, msgid, kind)
        self._options: dict[str, list[tuple[QLabel, QLabel]]] = {}  # field key -> its option pairs
        self._editors: dict[str, QWidget] = {}
        self.setObjectName("interpreterView")
        self.setWindowTitle(_("Interpreter view"))
        self._build()
        self.set_language(self.lang)
        self.set_font_size(self.point_size)

    # -- construction --------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()  # the staff's controls: in the UI's direction whatever the client reads
        self.language_box = QComboBox()
        for lang in loc.form_languages():
            if lang.code != "de":
                self.language_box.addItem(language_choice(lang), lang.code)
        self.language_box.currentIndexChanged.connect(
            lambda _i: self.set_language(self.language_box.currentData()))
        if self.forms:
            self.form_box = QComboBox()
            for f in self.forms:
                self.form_box.addItem(i18n.translate(f.title, "de"), f.id)
            self.form_box.setCurrentIndex(max(0, self.form_box.findData(self.form.id)))
            self.form_box.currentIndexChanged.connect(lambda i: self.set_form(self.forms[i]))
            bar.addWidget(QLabel(_("Questionnaire:")))
            bar.addWidget(self.form_box, 1)
        bar.addWidget(QLabel(_("Language")))
        bar.addWidget(self.language_box, 1)
        smaller, larger = QPushButton("A−"), QPushButton("A+")
        smaller.setToolTip(_("Smaller text (Ctrl -)"))
        larger.setToolTip(_("Larger text (Ctrl +)"))
        smaller.clicked.connect(self.zoom_out)
        larger.clicked.connect(self.zoom_in)
        self.size_box = QSpinBox()
        self.size_box.setRange(MIN_PT, MAX_PT)
        self.size_box.setValue(self.point_size)
        self.size_box.setSuffix(" pt")
        self.size_box.valueChanged.connect(self.set_font_size)
        for w in (smaller, self.size_box, larger):
            bar.addWidget(w)
        if self.read_only:
            badge = QLabel(_("Questions only"))
            badge.setObjectName("readOnlyBadge")
            bar.addWidget(badge)
        outer.addLayout(bar)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        outer.addWidget(self.scroll, 1)
        self._build_body()
        for keys, slot in ((QKeySequence.ZoomIn, self.zoom_in), (QKeySequence("Ctrl+="), self.zoom_in),
                           (QKeySequence.ZoomOut, self.zoom_out)):
            QShortcut(keys, self, slot, context=Qt.WidgetWithChildrenShortcut)

    def _build_body(self) -> None:
        """The question grid of the current form (rebuilt when the form changes)."""
        self._pairs, self._editors, self._options = [], {}, {}
        body = QWidget()
        body.setObjectName("interpreterBody")
        self.grid = QGridLayout(body)
        self.grid.setHorizontalSpacing(24)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)

        row = 0
        row = self._add_pair(row, self.form.title, HEADING)
        if self.form.description:
            row = self._add_pair(row, self.form.description)
        for section in self.form.sections:
            row = self._add_pair(row, section.title, HEADING)
            if section.help:
                row = self._add_pair(row, section.help)
            for field in section.fields:
                row = self._add_pair(row, field.label)
                if field.help:
                    row = self._add_pair(row, field.help)
                if self.read_only and field.type in _CHOICE_TYPES:  # the options to read out
                    start = len(self._pairs)
                    options = field.options if field.type != "yes_no" else _YES_NO
                    for _code, msgid in options:
                        row = self._add_pair(row, msgid, OPTION)
                    self._options[field.key] = [(g, c) for g, c, _m, _k in self._pairs[start:]]
                elif not self.read_only:
                    editor = self._editor(field)
                    self.grid.addWidget(editor, row, 0, 1, 2)
                    self._editors[field.key] = editor
                    row += 1
                line = QFrame()
                line.setFrameShape(QFrame.HLine)
                self.grid.addWidget(line, row, 0, 1, 2)
                row += 1
        self.grid.setRowStretch(row, 1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)

    def set_form(self, form, answers: dict[str, Any] | None = None) -> None:
        """Show another form in the same language and size (answers are kept per form)."""
        if not self.read_only:
            self._answers_by_form[self.form.id] = dict(self._answers)
        self.form = form
        self._answers = {} if self.read_only else dict(
            answers if answers is not None else self._answers_by_form.get(form.id, {}))
        self._build_body()
        self.set_language(self.lang)
        self.set_font_size(self.point_size)
        self.formChanged.emit(form.id)

    def keyPressEvent(self, event) -> None:  # Ctrl +/- also where no shortcut fired (e.g. keypad)
        if event.modifiers() & Qt.ControlModifier and event.key() in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_in()
        elif event.modifiers() & Qt.ControlModifier and event.key() == Qt.Key_Minus:
            self.zoom_out()
        else:
            super().keyPressEvent(event)

    def _add_pair(self, row: int, msgid: str, kind: str = TEXT) -> int:
        german = QLabel(i18n.translate(msgid, "de"))
        client = QLabel()
        client.setTextFormat(Qt.PlainText)
        german.setTextFormat(Qt.PlainText)
        for lab in (german, client):
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextSelectableByMouse)
        german.setObjectName("germanOption" if kind == OPTION else "germanText")
        client.setObjectName("clientOption" if kind == OPTION else "clientText")
        german.setLayoutDirection(Qt.LeftToRight)
        german.setAlignment(Qt.AlignLeft | Qt.AlignAbsolute | Qt.AlignTop)
        if kind == OPTION:  # indented under the question (the client's side in set_language)
            german.setContentsMargins(OPTION_INDENT, 0, 0, 0)
        self.grid.addWidget(german, row, 0)
        self.grid.addWidget(client, row, 1)
        self._pairs.append((german, client, msgid, kind))
        return row + 1

    def _editor(self, field) -> QWidget:
        value = self._answers.get(field.key)
        if field.type in ("choice", "yes_no"):
            box = QComboBox()
            box.addItem("", None)
            options = field.options if field.type == "choice" else _YES_NO
            for code, label in options:
                data = code if field.type == "choice" else (code == "yes")
                box.addItem(i18n.translate(label, "de"), data)
                box.setItemData(box.count() - 1, label, Qt.UserRole + 1)
            idx = box.findData(value)
            box.setCurrentIndex(max(idx, 0))
            box.currentIndexChanged.connect(lambda _i, k=field.key, b=box: self._set(k, b.currentData()))
            return box
        if field.type == "multi_choice":
            lst = FullListView()
            model = ChoiceListModel(field.options, value or (), lambda msgid: i18n.translate(msgid, "de"), lst)
            lst.setModel(model)
            model.chosen_changed.connect(lambda codes, k=field.key: self._set(k, codes))
            return lst
        if field.type in _TEXT_TYPES:
            edit = QLineEdit("" if value is None else str(value))
            edit.textEdited.connect(lambda text, k=field.key, t=field.type: self._set(k, _parse(t, text)))
            return edit
        note = QLabel(_("This answer is entered in the case view."))  # records, cefr, yes_no_proof
        note.setEnabled(False)
        return note

    def _set(self, key: str, value: Any) -> None:
        if value in (None, "", []):
            self._answers.pop(key, None)
        else:
            self._answers[key] = value
        self.answerChanged.emit(key, value)

    # -- language and size ------------------------------------------------------
    def client_direction(self) -> Qt.LayoutDirection:
        """The direction of the client's column (the rest of the window keeps the UI's)."""
        return Qt.RightToLeft if loc.is_rtl(self.lang) else Qt.LeftToRight

    def set_language(self, lang: str) -> None:
        """Show the client column in `lang` (only those labels change)."""
        code = loc.normalize(lang) or lang
        self.lang = code
        rtl = loc.is_rtl(code)
        direction = self.client_direction()
        # absolute: in a right-to-left widget Qt would mirror AlignRight to the left
        align = (Qt.AlignRight | Qt.AlignAbsolute if rtl else Qt.AlignLeft | Qt.AlignAbsolute) | Qt.AlignTop
        client_font = font_for(code, self.point_size)
        client_head = font_for(code, self.point_size + 2, bold=True)
        for german, client, msgid, kind in self._pairs:
            present = i18n.has_translation(msgid, code)
            client.setText(client_text(msgid, code))
            client.setToolTip("" if present else _("Not yet translated: the German text is shown."))
            client.setLayoutDirection(direction)
            client.setAlignment(align)
            client.setFont(client_head if kind == HEADING else client_font)
            if kind == OPTION:
                client.setContentsMargins(0, 0, OPTION_INDENT, 0) if rtl else client.setContentsMargins(
                    OPTION_INDENT, 0, 0, 0)
            german.setLayoutDirection(Qt.LeftToRight)
        self._retranslate_options(code)
        idx = self.language_box.findData(code)
        if idx >= 0 and idx != self.language_box.currentIndex():
            self.language_box.blockSignals(True)
            self.language_box.setCurrentIndex(idx)
            self.language_box.blockSignals(False)
        self.languageChanged.emit(code)

    def _retranslate_options(self, code: str) -> None:
        """Option texts read `German / client language` so the client can point at the answer."""
        for editor in self._editors.values():
            if isinstance(editor, QComboBox):
                for i in range(1, editor.count()):
                    msgid = editor.itemData(i, Qt.UserRole + 1)
                    editor.setItemText(i, _both(msgid, code))
            elif isinstance(editor, QListView):
                editor.model().set_text(lambda msgid, c=code: _both(msgid, c))

    def set_font_size(self, points: int) -> None:
        points = max(MIN_PT, min(MAX_PT, int(points)))
        self.point_size = points
        if self.size_box.value() != points:
            self.size_box.setValue(points)
        german_font = font_for("de", points)
        german_head = font_for("de", points + 2, bold=True)
        client_font = font_for(self.lang, points)
        client_head = font_for(self.lang, points + 2, bold=True)
        for german, client, _msgid, kind in self._pairs:
            german.setFont(german_head if kind == HEADING else german_font)
            client.setFont(client_head if kind == HEADING else client_font)
        for editor in self._editors.values():
            editor.setFont(font_for(self.lang, points))
            if isinstance(editor, FullListView):  # tick boxes grow with the text
                side = max(13, QFontMetrics(editor.font()).height() * 2 // 3)
                editor.setStyleSheet(f"QListView::indicator {{ width: {side}px; height: {side}px; }}")
                editor.fit_rows()

    def zoom_in(self) -> None:
        self.set_font_size(self.point_size + 2)

    def zoom_out(self) -> None:
        self.set_font_size(self.point_size - 2)

    # -- results -----------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        return dict(self._answers)

    def question_pairs(self) -> list[tuple[str, str]]:
        """(German text, client-language text) of every title, question and help text, in order."""
        return [(g.text(), c.text()) for g, c, _m, kind in self._pairs if kind != OPTION]

    def option_pairs(self) -> dict[str, list[tuple[str, str]]]:
        """Questions only: field key -> (German, client-language) text of each answer option shown."""
        return {key: [(g.text(), c.text()) for g, c in pairs] for key, pairs in self._options.items()}


def client_text(msgid: str, code: str) -> str:
    """What the client's column shows for `msgid`: its translation (the German text, marked, where
    there is none), left-to-right runs (citations, numbers) isolated in right-to-left text."""
    return isolate_ltr_runs(i18n.translate(msgid, code))


def language_choice(lang) -> str:
    """`Native – name in the UI language` (once when both are the same), for a language chooser."""
    name = label("language", lang.code)
    return lang.native if lang.native == name else f"{lang.native} – {name}"


def _both(msgid: str, code: str) -> str:
    """`German / client language` for an answer option; the client's part an isolate of its own
    direction, so a right-to-left text keeps its place after the German one."""
    de = i18n.translate(msgid, "de")
    other = client_text(msgid, code)
    return de if other == de else f"{de} / {FSI}{other}{PDI}"


def _parse(kind: str, text: str) -> Any:
    text = text.strip()
    if kind == "number":
        try:
            return int(text)
        except ValueError:
            return text or None
    return text or None


INTERPRETER_FORMS = ("intake", "consent", "profiling_social", "profiling_u25", "profiling_ue25", "resource_map")


def open_interpreter_view(form_id: str, lang: str, answers: dict | None = None, read_only: bool = False,
                          parent: QWidget | None = None) -> InterpreterView:
    """Open the view for the newest version of a form as its own window.

    Read-only, the window also offers the other questionnaires in a chooser.
    """
    from app.forms import default_registry

    reg = default_registry()
    forms = [reg.get(f) for f in INTERPRETER_FORMS if f in reg.ids()] if read_only else None
    view = InterpreterView(reg.get(form_id), lang, answers, read_only, parent, forms=forms)
    view.setWindowFlag(Qt.Window, True)
    view.setAttribute(Qt.WA_DeleteOnClose)  # Qt owns the window: nothing left for interpreter shutdown
    resize_to_fit(view, 1100, 800)
    view.show()
    return view
