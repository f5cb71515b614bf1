"""The central office's course planning page: demand against seats, the courses, the waiting lists, transitions.

Four tabs over `session.courses` (app.course_service): "Demand and seats" per
town, kind and level (the Bildungsträgerkonferenz's table, saved as CSV), the
courses with their seats (the central office adds and changes them; other
offices read), the county-wide waiting list of a kind and level with each
place explained, and the transition list with the 12-month list. What is
counted and listed passes the consent gate (app.gated_courses): the cases the
staff member sees in full and their agency's own records; the page says how
many it left out. Every list
is a RowTableModel in a sortable view; everything is reachable by keyboard
(Alt+letter for the buttons, Ctrl+PgUp/PgDn between the tabs).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSpinBox, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.feedback import KINDS as FEEDBACK
from app.gated_courses import hidden_text, left_out_text
from app.labels import label
from app.schema import COURSE_LEVELS, OFFICE_CODES
from i18n import _

from .casework.common import date_edit, date_value, error_label, errors_text, set_error, show_date
from .columns import keep_fitted, text_width
from .courses_models import (
    LANGUAGE_KINDS, CourseModel, ExitModel, PlanModel, TransitionModel, WaitModel, _Names, selected_row, table,
)

PLAN_COURSE = PlanModel.COLUMNS.index("kind")
PLAN_GERMAN = PlanModel.COLUMNS.index("german_levels")


class CoursesPage(QWidget):
    """Enter or a double-click on a person of the waiting list or the transitions emits `open_case`."""

    open_case = Signal(str, str)

    def __init__(self, session, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.session = session
        self.today = today  # None: the real today at every refresh (tests pin a day)
        self.names = _Names()
        self._list_chosen = False  # the waiting list opens once on a list where people wait (then the user's)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("coursesTabs")
        self.tabs.addTab(self._plan_tab(), _("&Demand and seats"))
        self.tabs.addTab(self._courses_tab(), _("C&ourses"))
        self.tabs.addTab(self._wait_tab(), _("&Waiting list"))
        self.tabs.addTab(self._transitions_tab(), _("&Transitions"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        for view in (self.wait_view, self.transition_view, self.exit_view):
            view.activated.connect(lambda _idx, v=view: self._open(v))
        QVBoxLayout(self).addWidget(self.tabs)

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    # demand and seats
    def _plan_tab(self) -> QWidget:
        w = QWidget()
        self.plan_model = PlanModel(self.names, w)
        self.plan_view = table(self.plan_model)
        self.plan_view.setObjectName("planTable")
        # twelve columns in the width of a laptop: the course's name and the German levels elide (whole in their
        # tooltips; the floors are sample widths, not texts shown), the town, the level and the numbers stay whole
        keep_fitted(self.plan_view, stretch=PLAN_COURSE, give_way=(PLAN_COURSE, PLAN_GERMAN),
                    floors={PLAN_COURSE: text_width(self.plan_view, "Integrationskurs"),
                            PLAN_GERMAN: text_width(self.plan_view, "(Profiling II)")},
                    keep=tuple(c for c in range(len(PlanModel.COLUMNS)) if c not in (PLAN_COURSE, PLAN_GERMAN)))
        # the titles are on two lines already: eliding would take them as one line and cut the second
        self.plan_view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.months = QSpinBox()
        self.months.setRange(1, 24)
        self.months.setValue(3)
        self.months.setSuffix(" " + _("months"))
        self.months.setAccessibleName(_("Seats of courses starting within"))
        self.months.valueChanged.connect(lambda _v: self.refresh())
        self.plan_office = QComboBox()
        self.plan_office.addItem(_("All towns"), None)
        for code in OFFICE_CODES:
            self.plan_office.addItem(label("office", code), code)
        self.plan_office.currentIndexChanged.connect(lambda _i: self.refresh())
        self.plan_totals = QLabel()
        self.plan_totals.setObjectName("planTotals")
        self.feedback_counts = QLabel()
        self.feedback_counts.setObjectName("feedbackCounts")
        self.feedback_counts.setWordWrap(True)
        csv = QPushButton(_("Save as &CSV…"))
        csv.clicked.connect(self.save_csv)
        pdf = QPushButton(_("Save as P&DF…"))
        pdf.clicked.connect(lambda: self.save_pdf("plan"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Seats of courses starting within")))
        top.addWidget(self.months)
        top.addWidget(self.plan_office)
        top.addStretch(1)
        top.addWidget(csv)
        top.addWidget(pdf)
        lay = QVBoxLayout(w)
        lay.addLayout(top)
        lay.addWidget(self.plan_view, 1)
        lay.addWidget(self.plan_totals)
        lay.addWidget(self.feedback_counts)
        return w

    # courses
    def _courses_tab(self) -> QWidget:
        w = QWidget()
        self.course_model = CourseModel(self.names, w)
        self.course_view = table(self.course_model)
        self.course_view.setObjectName("courseTable")
        self.course_view.selectionModel().currentRowChanged.connect(lambda *_a: self._course_selected())
        form = QGroupBox(_("Course"))
        f = QFormLayout(form)
        self.c_provider = QComboBox()
        self.c_kind = QComboBox()
        self.c_level = QComboBox()
        self.c_level.addItem("–", None)
        for lv in COURSE_LEVELS:
            self.c_level.addItem(lv, lv)
        self.c_office = QComboBox()
        for code in OFFICE_CODES[1:]:
            self.c_office.addItem(label("office", code), code)
        self.c_title = QLineEdit()
        self.c_start, self.c_end = date_edit(), date_edit("")
        self.c_seats = QSpinBox()
        self.c_seats.setRange(0, 200)
        self.c_seats.setValue(16)
        self.c_schedule = QLineEdit()
        self.c_schedule.setPlaceholderText(_("e.g. Mon–Fri 8:30–12:45"))
        self.c_childcare = QCheckBox(_("Childcare"))
        self.c_accessible = QCheckBox(_("Accessible"))
        row1 = QHBoxLayout()
        for x in (self.c_kind, self.c_level, self.c_office):
            row1.addWidget(x)
        row2 = QHBoxLayout()
        for x in (self.c_start, QLabel("–"), self.c_end, QLabel(_("Seats")), self.c_seats, self.c_childcare,
                  self.c_accessible):
            row2.addWidget(x)
        row2.addStretch(1)
        self.new_provider = QLineEdit()
        self.new_provider.setPlaceholderText(_("Name of a new provider"))
        add_provider = QPushButton(_("Add &provider"))
        add_provider.clicked.connect(self.add_provider)
        prow = QHBoxLayout()
        prow.addWidget(self.c_provider, 1)
        prow.addWidget(self.new_provider, 1)
        prow.addWidget(add_provider)
        f.addRow(_("Provider"), prow)
        f.addRow(_("Course"), row1)
        f.addRow(_("Title"), self.c_title)
        f.addRow(_("Dates"), row2)
        f.addRow(_("Schedule"), self.c_schedule)
        self.c_save = QPushButton(_("&Save course"))
        self.c_save.clicked.connect(lambda: self.save_course(selected=True))
        self.c_new = QPushButton(_("Add as &new course"))
        self.c_new.clicked.connect(lambda: self.save_course(selected=False))
        self.c_error = error_label()
        self.c_readonly = QLabel(_("Only the central office changes the course catalogue."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.c_readonly)
        buttons.addStretch(1)
        buttons.addWidget(self.c_new)
        buttons.addWidget(self.c_save)
        f.addRow(buttons)
        f.addRow(self.c_error)
        self.course_form = form
        lay = QVBoxLayout(w)
        lay.addWidget(self.course_view, 1)
        lay.addWidget(form)
        return w

    # waiting list
    def _wait_tab(self) -> QWidget:
        w = QWidget()
        self.w_kind = QComboBox()
        self.w_kind.setAccessibleName(_("Course"))
        self.w_level = QComboBox()
        self.w_level.setAccessibleName(_("Level"))
        self.w_level.addItem("–", "")
        for lv in COURSE_LEVELS:
            self.w_level.addItem(lv, lv)
        self.w_level.setCurrentIndex(2)
        self.w_kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.w_level.currentIndexChanged.connect(lambda _i: self.refresh())
        self.wait_model = WaitModel(w)
        self.wait_view = table(self.wait_model)
        self.wait_view.setObjectName("waitTable")
        self.w_all = QCheckBox(_("Also people with an offer or a seat"))
        self.w_all.toggled.connect(lambda _b: self.refresh())
        self.w_rules = QLabel()
        self.w_rules.setWordWrap(True)
        self.w_rules.setObjectName("waitRules")
        top = QHBoxLayout()
        top.addWidget(self.w_kind)
        top.addWidget(self.w_level)
        top.addWidget(self.w_all)
        top.addStretch(1)
        lay = QVBoxLayout(w)
        lay.addLayout(top)
        lay.addWidget(self.wait_view, 1)
        lay.addWidget(self.w_rules)
        return w

    # transitions
    def _transitions_tab(self) -> QWidget:
        w = QWidget()
        self.transition_model = TransitionModel(w)
        self.transition_view = table(self.transition_model)
        self.transition_view.setObjectName("transitionTable")
        self.exit_model = ExitModel(w)
        self.exit_view = table(self.exit_model)
        self.exit_view.setObjectName("exitTable")
        agenda = QPushButton(_("&Agenda of the transition session (PDF)…"))
        agenda.clicked.connect(lambda: self.save_pdf("agenda"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Cases changing Rechtskreis (next {n} days) and open handovers").format(n=60)))
        top.addStretch(1)
        top.addWidget(agenda)
        lay = QVBoxLayout(w)
        lay.addLayout(top)
        lay.addWidget(self.transition_view, 2)
        lay.addWidget(QLabel(_("Cases reaching 12 months in the Integration Point, with the planned exit")))
        lay.addWidget(self.exit_view, 1)
        return w

    # -- data ------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_open:
            return
        svc = self.session.courses
        self.names.catalogue = svc.catalogue
        if self.w_kind.count() == 0:
            for kind in LANGUAGE_KINDS:
                if kind in svc.catalogue.items:
                    self.w_kind.addItem(svc.catalogue.name(kind), kind)
            for kind in svc.catalogue.items:
                self.c_kind.addItem(svc.catalogue.name(kind), kind)
        tab = self.tabs.currentIndex()
        if tab == 2 and not self._list_chosen:
            self._list_chosen = True
            self._open_a_waiting_list(svc)
        if tab == 0:
            rows, left_out = svc.plan_counted(self.day(), self.months.value(), self.plan_office.currentData())
            self.plan_model.set_rows(rows)
            self.plan_totals.setText(_("Total: {w} waiting, {p} proposed, {s} free seats in {c} courses").format(
                w=sum(r.waiting for r in rows), p=sum(r.proposed for r in rows), s=sum(r.seats for r in rows),
                c=sum(r.courses for r in rows)) + (". " + left_out_text(left_out) if left_out else ""))
            counts = ["{}: {}".format(self.names.kind(k), ", ".join(f"{_(FEEDBACK[f])} {n}" for f, n in v.items()))
                      for k, v in svc.feedback_counts().items()]
            self.feedback_counts.setText(_("Feedback of the providers: {counts}").format(counts="; ".join(counts))
                                         if counts else "")
        elif tab == 1:
            self._load_providers(svc)
            self.course_model.set_rows(svc.courses.rows())
            editable = svc.courses.can_edit()
            for x in (self.c_save, self.c_new):
                x.setVisible(editable)
            self.c_readonly.setVisible(not editable)
            self._course_selected()
        elif tab == 2:
            labels = svc.case_labels()
            offices = {cid: number.split("-")[0] for cid, (number, _h, _n) in labels.items()}
            positions, hidden = svc.waitlist.positions_shown(
                self.w_kind.currentData() or "", self.w_level.currentData() or "", self.day(),
                waiting_only=not self.w_all.isChecked())
            self.wait_model.set_rows([(p, labels.get(p.entry["case_id"], ("", "", ""))[0],
                                       labels.get(p.entry["case_id"], ("", "", ""))[2],
                                       offices.get(p.entry["case_id"], "")) for p in positions])
            self.w_rules.setText(_("Order: {rules}. Ties: the earlier registration first.").format(
                rules=", ".join(_(p.label) for p in svc.rules.active(self.day())))
                + (" " + hidden_text(hidden) if hidden else ""))
        else:
            self.transition_model.set_rows(svc.handovers.transitions(self.day()))
            self.exit_model.set_rows(svc.handovers.twelve_months(self.day()))

    def _open_a_waiting_list(self, svc) -> None:
        """Open the waiting list on the first course and level (in the order of the choices) where someone the
        staff member may see is waiting; A1 of the first course when nobody is."""
        order = {kind: i for i, kind in enumerate(LANGUAGE_KINDS)}
        levels = {lv: i for i, lv in enumerate(("", *COURSE_LEVELS))}
        candidates = sorted(((k, lv) for k, lv in svc.waitlist.lists() if k in order and lv in levels
                             and self.w_kind.findData(k) >= 0), key=lambda kl: (order[kl[0]], levels[kl[1]]))
        for kind, level in candidates:
            if svc.waitlist.positions(kind, level, self.day()):
                for combo, value in ((self.w_kind, kind), (self.w_level, level)):
                    combo.blockSignals(True)
                    combo.setCurrentIndex(combo.findData(value))
                    combo.blockSignals(False)
                return

    def _open(self, view: QTableView) -> None:
        row = selected_row(view)
        if row is None:
            return
        if isinstance(row, tuple):  # a waiting-list row: (position, case number, name, town)
            entry = row[0].entry
            self.open_case.emit(entry["household_id"], entry["case_id"])
        elif row.household_id:
            self.open_case.emit(row.household_id, row.case_id)

    def clear(self) -> None:
        self._list_chosen = False
        for m in (self.plan_model, self.course_model, self.wait_model, self.transition_model, self.exit_model):
            m.set_rows([])

    def _load_providers(self, svc) -> None:
        current = self.c_provider.currentData()
        self.c_provider.clear()
        for p in svc.courses.providers():
            self.c_provider.addItem(p["name"], p["id"])
        if current:
            self.c_provider.setCurrentIndex(max(self.c_provider.findData(current), 0))

    def _course_selected(self) -> None:
        c = selected_row(self.course_view)
        self.c_save.setEnabled(c is not None)
        if c is None:
            return
        for combo, value in ((self.c_provider, c.provider_id), (self.c_kind, c.catalogue_id),
                             (self.c_level, c.level or None), (self.c_office, c.office)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.c_title.setText(c.title)
        self.c_start.setText(show_date(c.start_date))
        self.c_end.setText(show_date(c.end_date))
        self.c_seats.setValue(c.seats)
        self.c_schedule.setText(c.schedule)
        self.c_childcare.setChecked(c.childcare)
        self.c_accessible.setChecked(c.accessible)

    # -- actions ---------------------------------------------------------------------------
    def add_provider(self) -> None:
        try:
            pid = self.session.courses.courses.save_provider({"name": self.new_provider.text()})
        except ValidationError as exc:
            set_error(self.c_error, errors_text(exc))
            return
        set_error(self.c_error, None)
        self.new_provider.clear()
        self._load_providers(self.session.courses)
        self.c_provider.setCurrentIndex(self.c_provider.findData(pid))

    def save_course(self, selected: bool) -> str | None:
        current = selected_row(self.course_view) if selected else None
        try:
            values = {"provider_id": self.c_provider.currentData(), "catalogue_id": self.c_kind.currentData(),
                      "level": self.c_level.currentData(), "office": self.c_office.currentData(),
                      "title": self.c_title.text(), "start_date": date_value(self.c_start, "start_date"),
                      "end_date": date_value(self.c_end, "end_date"), "seats": self.c_seats.value(),
                      "schedule": self.c_schedule.text(), "childcare": self.c_childcare.isChecked(),
                      "accessible": self.c_accessible.isChecked()}
            cid = self.session.courses.courses.save_course(values, current.id if current else None)
        except ValidationError as exc:
            set_error(self.c_error, errors_text(exc))
            return None
        set_error(self.c_error, None)
        self.refresh()
        return cid

    def save_csv(self) -> None:

        path, _filter = QFileDialog.getSaveFileName(self, _("Save as CSV"), "bedarf-und-plaetze.csv", "CSV (*.csv)")
        if path:
            self.write_csv(path)

    def save_pdf(self, which: str) -> None:
        name = "kursplanung.pdf" if which == "plan" else "uebergangsbesprechung.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), name, "PDF (*.pdf)")
        if path:
            self.write_pdf(which, path)

    def write_pdf(self, which: str, path: str) -> None:
        """The planning table or the week's transition agenda (a page or two: quick enough for the GUI thread)."""
        svc = self.session.courses
        pdf = (svc.planning_pdf(self.day(), self.months.value(), self.plan_office.currentData()) if which == "plan"
               else svc.agenda_pdf(self.day()))
        with open(path, "wb") as fh:
            fh.write(pdf)

    def write_csv(self, path: str) -> None:
        """The table as shown (its column titles in the UI language), for a spreadsheet (UTF-8 with BOM)."""
        from app.planning import to_csv

        headers = {c: _(h) for c, h in zip(PlanModel.COLUMNS, self.plan_model.headers, strict=True)}
        headers["gap_nearby"] = _("Gap counting nearby seats")
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(to_csv(self.plan_model.rows, headers))


def courses_page(session, window):
    """The page of the main window; a person's row opens their case in the case view."""
    page = CoursesPage(session, window)

    def open_case(household_id: str, case_id: str) -> None:
        window.nav.setCurrentRow(0)
        window.case_view.show_case(household_id, case_id)

    page.open_case.connect(open_case)
    return _("Course planning"), page
