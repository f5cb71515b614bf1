"""The case view: the household at a glance and the tabs of case work for the selected case.

Its tabs are passed in (the composition root, ui.main, gives ui.casework's); a factory gets
`(session, parent)` and returns `(title, widget)`, and the widget has
`set_case(household_id, case_id)`. The view itself shows the household and
its members, opens the household dialog for editing, and has the client's
language (proposed from the interpreter language) for the interpreter view
and the printed documents. The interpreter view opens for the questionnaire
of the current tab and hands every answer back to it (saved there as usual:
a tab with a `renderer`, ui.casework.form_renderer); a tab whose questions
are not answered in a form (`interpreter_form`, the resource map's prompts),
a case shown in part only, or a tab without questions (then the intake, with
a chooser of all questionnaires) get the questions only, for reading aloud.
"""

from __future__ import annotations

from typing import Callable, Sequence

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QMenu, QMessageBox, QPushButton, QScrollArea, QSizePolicy, QTabWidget,
    QVBoxLayout, QWidget,
)

from app.store import StoreError
from app.labels import label
from i18n import N_, _
from i18n import locale as loc

from .case_list import born_display
from .interpreter_view import language_choice
from .next_steps import NextStepsPanel, tab_index
from .undo_menu import undo_button
from .screen import resize_to_fit
from .tasks import run_in_background

TabFactory = Callable[[object, QWidget], tuple[str, QWidget]]
DOCUMENTS = (("consent", N_("Consent declaration")), ("profiling", N_("Profiling summary")),
             ("resources", N_("Resource map")), ("slip", N_("Appointment slip")), ("offer", N_("Course seat offer")),
             ("handover", N_("Handover sheet (Rechtskreiswechsel)")), ("export", N_("Data export (Art. 15 GDPR)")))


def _iso(text) -> str:
    """A first-strong isolate (FSI … PDI): the text keeps its own direction inside a line."""
    return f"\u2068{text}\u2069" if text else ""


def _short(text: str, limit: int = 40) -> str:
    """Each word of a name cut to `limit` characters: a longer one cannot wrap and would be cut off."""
    return " ".join(w if len(w) <= limit else w[:limit - 1] + "…" for w in text.split(" "))


class MembersArea(QScrollArea):
    """The household's members in the case header, one line each: as tall as they are, at most as tall
    as the first `lines` of them (a family of six scrolls here instead of leaving the tab below two rows
    of its table at 768 px). Measured on the text itself: a line with Arabic script is taller."""

    def __init__(self, label: QLabel, lines: int = 3):
        super().__init__()
        self.setObjectName("householdMembersArea")
        self.lines = lines
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._probe = QLabel()  # never shown: measures the first lines
        self._probe.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802
        label = self.widget()
        text = label.text()
        if not text:
            return QSize(super().sizeHint().width(), 0)
        width = max(self.viewport().width(), 1)
        self._probe.setFont(label.font())
        self._probe.setText("\n".join(text.split("\n")[:self.lines]))
        return QSize(super().sizeHint().width(), self._probe.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - the lines wrap anew: ask the layout for a new height
        super().resizeEvent(event)
        self.updateGeometry()


class CaseView(QWidget):
    edit_household = Signal(str)
    show_conflicts = Signal()
    preview_opened = Signal(object)  # the preview of a printed document, once it is shown

    def __init__(self, session, tabs: Sequence[TabFactory] = (), parent=None):
        super().__init__(parent)
        self.session = session
        self.household_id: str | None = None
        self.case_id: str | None = None
        self.title = QLabel(_("Select a case in the list (Enter or double-click)."))
        self.title.setObjectName("caseTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        # a name of 360 characters (synced from an old laptop) must not push the case list narrow
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.members = QLabel()
        self.members.setObjectName("householdMembers")
        self.members.setWordWrap(True)
        self.members_area = MembersArea(self.members)
        # why only the appointment data is shown (consent or role, app.access); hidden otherwise
        self.access_notice = QLabel()
        self.access_notice.setObjectName("accessNotice")
        self.access_notice.setWordWrap(True)
        self.access_notice.setStyleSheet("background: #fff4d6; border: 1px solid #e0b84c; padding: 6px;")
        self.access_notice.hide()
        self.decision = None  # app.access.Decision of the shown case
        self.edit = QPushButton(_("Edit &household…"))
        self.edit.setEnabled(False)
        self.edit.clicked.connect(lambda: self.household_id and self.edit_household.emit(self.household_id))
        self.client_lang = QComboBox()
        self.client_lang.setObjectName("clientLanguage")
        self.client_lang.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.client_lang.setMinimumContentsLength(12)  # long names elide: the header stays narrow
        self.client_lang.setToolTip(_("Language of the client for the interpreter view and printed documents"))
        self.client_lang.addItem(_("German only"), None)  # until a case says which language its client speaks
        for lang in loc.form_languages():
            if lang.code != "de":
                self.client_lang.addItem(language_choice(lang), lang.code)
        self.client_lang.setEnabled(False)
        self.interpret = QPushButton(_("&Interpreter view…"))
        self.interpret.setObjectName("interpreterButton")
        self.interpret.clicked.connect(self.open_interpreter)
        self.print_button = QPushButton(_("&Print…"))  # a push button keeps room for its menu arrow
        menu = QMenu(self.print_button)
        self.print_actions: dict[str, QAction] = {}
        for doc, title in DOCUMENTS:
            act = QAction(_(title), menu)
            act.triggered.connect(lambda _c=False, d=doc: self.print_document(d))
            menu.addAction(act)
            self.print_actions[doc] = act
        self.print_button.setMenu(menu)
        for w in (self.interpret, self.print_button):
            w.setEnabled(False)
        self.busy = QLabel(_("Preparing the document…"))  # while a document renders
        self.busy.setObjectName("printBusy")
        self.busy.hide()
        self.printing = False
        self._shown = 0  # counts clear(): a document made before a lock is not shown after it
        self.case_number = ""
        self.windows: list[QWidget] = []  # interpreter views and document previews, closed on lock
        self.next_steps = NextStepsPanel()
        self.next_steps.jump.connect(self._jump)
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(self._refresh_next_steps)  # a tab may have written
        self.tab_widgets: list[QWidget] = []
        for factory in tabs:
            title, widget = factory(session, self)
            self.tabs.addTab(widget, title)
            self.tab_widgets.append(widget)
        # the title on a line of its own, the controls beneath it: side by side they made the case
        # view so wide that the case list beside it kept three columns on a 1366 px screen
        controls = QHBoxLayout()
        controls.addWidget(self.client_lang)
        controls.addWidget(self.interpret)
        controls.addWidget(self.print_button)
        controls.addWidget(self.edit)
        self.undo_button = undo_button(self)
        self.undo_button.setEnabled(False)
        controls.addWidget(self.undo_button)
        controls.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addLayout(controls)
        below = QHBoxLayout()  # the wait notice beside the members: the header keeps its width
        below.addWidget(self.members_area, 1)
        below.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        lay.addLayout(below)
        lay.addWidget(self.access_notice)
        lay.addWidget(self.next_steps)
        lay.addWidget(self.tabs, 1)
        self.tabs.setVisible(bool(self.tab_widgets))
        if not self.tab_widgets:
            lay.addStretch(1)

    def show_case(self, household_id: str, case_id: str | None) -> None:
        data = self.session.load_household(household_id)
        if data is None:
            self.clear()
            return
        self.household_id, self.case_id = household_id, case_id
        hh, members = data["household"], data["members"]
        current = next((m for m in members if m["case"] and m["case"]["id"] == case_id), None)
        who = current or (members[0] if members else {})
        number = (current or {}).get("case", {}).get("case_number", "") if current else ""
        title = (f"{who.get('given_names') or ''} {who.get('family_name') or ''}  ·  {number}  ·  "
                 f"{label('office', hh.get('office'))}")
        self.title.setText(_short(title))
        self.title.setToolTip(title if len(title) > 80 else "")
        lines = []
        # every part below is an isolate: the line itself takes the UI's direction (RLM in a right-to-left UI)
        mark = "\u200f" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else ""
        for m in members:
            case = m["case"]
            # every part an isolate of its own direction: an Arabic name or status does not pull the
            # brackets and commas around it into its order (nor a Latin one in a right-to-left UI)
            extra = (f" – {_iso(case['case_number'])} ({_iso(case.get('rechtskreis'))}, "
                     f"{_iso(label('status', case.get('status')))})") if case else ""
            orig = _short(" ".join(x for x in (m.get("given_names_orig"), m.get("family_name_orig")) if x))
            name = _short(" ".join(x for x in (m.get("given_names"), m.get("family_name")) if x))
            lines.append(f"{mark}• {_iso(name)}{'  ' + _iso(orig) if orig else ''}, {_iso(label('relation', m.get('relation')))}, "
                         f"{_iso(born_display(m.get('birth_date')))}{extra}")
        self.members.setText("\n".join(lines))
        self.members_area.updateGeometry()
        wanted = who.get("interpreter_language") or next(
            (x.get("code") for x in who.get("languages") or []  # synced data may lack a code: skip it
             if isinstance(x, dict) and x.get("code") not in (None, "de")), None)
        # the client's language, or "German only" when the case says none (never the previous case's)
        self.client_lang.setCurrentIndex(max(self.client_lang.findData(loc.normalize(wanted) or wanted), 0)
                                         if wanted else 0)
        self.client_lang.setEnabled(True)
        for w in (self.edit, self.interpret, self.undo_button):
            w.setEnabled(True)
        self.print_button.setEnabled(bool(number) and not self.printing)
        self.case_number = number
        self._show_allowed(household_id, case_id)

    def _show_allowed(self, household_id: str, case_id: str | None) -> None:
        """Give each tab the case only if the access check allows its level; say why when it does not."""
        from app.print_gate import NEEDS

        d = self.decision = self.session.case_access(case_id) if case_id else None
        self.access_notice.setText(d.reason if d is not None and d.level != "full" else "")
        self.access_notice.setVisible(bool(self.access_notice.text()))
        if d is not None and d.level == "none":  # the interpreter role: nothing of the case
            self.members.clear()
            self.edit.setEnabled(False)
        first_allowed = -1
        for i, w in enumerate(self.tab_widgets):
            allowed = d is None or d.allows(getattr(w, "access_level", "full"))
            self.tabs.setTabEnabled(i, allowed)
            if allowed and first_allowed < 0:
                first_allowed = i
            w.set_case(household_id if allowed else None, case_id if allowed else None)
        if first_allowed >= 0 and not self.tabs.isTabEnabled(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(first_allowed)
        for doc, act in self.print_actions.items():
            act.setEnabled(d is None or d.allows(NEEDS.get(doc, "full")))
        self.next_steps.show_for(self.session, case_id)

    def _refresh_next_steps(self, *_args) -> None:
        if self.case_id and self.session.is_open:
            self.next_steps.show_for(self.session, self.case_id)

    def _jump(self, target: str) -> None:
        """A next-steps line was clicked: its tab, or the conflicts page."""
        if target == "conflicts":
            self.show_conflicts.emit()
            return
        i = tab_index(self.tab_widgets, target)
        if i >= 0:
            self.tabs.setCurrentIndex(i)

    def clear(self) -> None:
        self._shown += 1
        self.household_id = self.case_id = None
        self.case_number = ""
        self.title.setText(_("Select a case in the list (Enter or double-click)."))
        self.members.clear()
        self.decision = None
        self.access_notice.hide()
        self.next_steps.clear()
        for w in (self.edit, self.interpret, self.print_button, self.undo_button, self.client_lang):
            w.setEnabled(False)
        self.client_lang.setCurrentIndex(0)
        for w in self.windows:
            if shiboken6.isValid(w):  # a window the user closed is already gone
                w.close()
        self.windows = []

    # -- interpreter view and documents ------------------------------------------
    def open_interpreter(self) -> QWidget:
        from .interpreter_view import InterpreterView, open_interpreter_view

        lang = self.client_lang.currentData() or "ar"
        page = self.tabs.currentWidget() if self.tabs.isVisible() else None
        full = self.decision is None or self.decision.level == "full"  # else questions only: the interpreter
        renderer = getattr(page, "renderer", None) if full else None  # reads no record of another agency
        if renderer is None:  # questions only: nothing of the case is shown
            form_id = getattr(page, "interpreter_form", None) or "intake"  # the tab's own questions
            view = open_interpreter_view(form_id, lang, read_only=True, parent=self)
        else:
            view = InterpreterView(renderer.form, lang, answers=renderer.values(), parent=self)
            view.setWindowFlag(Qt.WindowType.Window)
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

            def take(key, value, renderer=renderer, page=page):
                renderer.set_values({**renderer.values(), key: value})
                if hasattr(page, "_mark_dirty"):
                    page._mark_dirty()

            view.answerChanged.connect(take)
            resize_to_fit(view, 1100, 800)
            view.show()
        self.windows.append(view)
        return view

    def print_document(self, document: str) -> None:
        """Make `document` for the current case off the GUI thread and open its preview.

        The PDF comes from `Session.render_document` on a worker session (a connection
        of its own, locked when done), which writes the access log; the preview pages
        are rendered there too. Meanwhile the view says so and the print button waits.
        A failure is a message box; the open preview is announced by `preview_opened`."""
        from app.access import AccessDenied
        from app.documents import CaseNotFound, file_name

        from .print_dialog import DocumentDialog, render_pages

        if self.printing or not self.session.is_open or not self.case_number:
            return
        lang = self.client_lang.currentData() or "de"
        number, shown = self.case_number, self._shown
        try:
            worker = self.session.worker()  # opened here (no key derivation), used only by the pool thread
        except StoreError as exc:
            QMessageBox.warning(self, _("Print"), str(exc))
            return

        def render():
            try:
                pdf = worker.render_document(document, number, lang)
            finally:
                worker.lock()
            return pdf, render_pages(pdf)

        def done(result) -> None:
            if not self._printing_done(shown):
                return  # locked or closed meanwhile: nothing of the case is shown
            pdf, pages = result
            dialog = DocumentDialog(pdf, file_name(document, lang), self, pages=pages)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()
            self.windows.append(dialog)
            self.preview_opened.emit(dialog)

        def failed(exc: Exception) -> None:
            if not self._printing_done(shown):
                return
            known = isinstance(exc, (CaseNotFound, ValueError, AccessDenied))
            QMessageBox.warning(self, _("Print"), str(exc) if known else _(
                "The document could not be created: {error}").format(error=str(exc) or type(exc).__name__))

        self._set_printing(True)
        run_in_background(render, done, failed)

    def _set_printing(self, busy: bool) -> None:
        self.printing = busy
        self.busy.setVisible(busy)
        self.print_button.setEnabled(not busy and bool(self.case_number))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _printing_done(self, shown: int) -> bool:
        """Called when a render ends: leave the waiting state; True if its result may be shown."""
        if not shiboken6.isValid(self):
            return False
        self._set_printing(False)
        return shown == self._shown and self.session.is_open
