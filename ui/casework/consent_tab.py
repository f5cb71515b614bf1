"""The consent tab: who may receive the case's data now, the full history, new declarations, withdrawals."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget, QHeaderView, QAbstractItemView,
)

from app.checks import ValidationError
from app.consent import STATE_LABELS, agency_label
from app.schema import AGENCIES
from i18n import _

from .common import (
    RefreshOnShow, ask_unsaved, date_edit, date_value, error_label, errors_text, services, set_error, show_date,
)
from .form_renderer import FormRenderer


class ConsentTab(RefreshOnShow, QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.dirty = False
        self.glance = QLabel()
        self.glance.setObjectName("consentGlance")
        self.glance.setWordWrap(True)
        self.glance.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Date"), _("Agency"), _("Decision"), _("Form version"), _("Recorded by")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.form = FormRenderer(services(session).forms.get("consent")) if session.is_open else None
        self.save_button = QPushButton(_("Record declaration"))
        self.save_button.clicked.connect(self.save_declaration)
        self.form_status = QLabel()
        decl = QGroupBox(_("New consent declaration"))
        dl = QVBoxLayout(decl)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        if self.form:
            scroll.setWidget(self.form)
            self.form.changed.connect(self._mark_dirty)
        dl.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addWidget(self.form_status, 1)
        row.addWidget(self.save_button)
        dl.addLayout(row)
        # a single later decision, e.g. a withdrawal
        self.agency = QComboBox()
        for a in AGENCIES:
            self.agency.addItem(agency_label(a), a)
        self.agency.setAccessibleName(_("Agency"))
        self.provider = QLineEdit()
        self.provider.setPlaceholderText(_("Measure provider"))
        self.state = QComboBox()
        for s in ("withdrawn", "given", "refused"):
            self.state.addItem(_(STATE_LABELS[s]), s)
        self.state.setAccessibleName(_("Decision"))
        self.date = date_edit()
        self.record_button = QPushButton(_("Record"))
        self.record_button.clicked.connect(self.record_single)
        self.single_error = error_label()
        single = QGroupBox(_("Later decision (e.g. withdrawal)"))
        sl = QVBoxLayout(single)
        r = QHBoxLayout()
        for w in (self.agency, self.provider, self.state, self.date, self.record_button):
            r.addWidget(w)
        sl.addLayout(r)
        sl.addWidget(self.single_error)
        lay = QVBoxLayout(self)
        lay.addWidget(self.glance)
        lay.addWidget(self.table, 1)
        lay.addWidget(single)
        lay.addWidget(decl, 2)
        self.setEnabled(False)

    def _mark_dirty(self) -> None:
        self.dirty = True
        self.form_status.setText(_("Unsaved changes"))

    def set_case(self, household_id, case_id) -> None:
        if self.dirty and self.case_id and ask_unsaved(self) == "save":
            self.save_declaration()
        self.dirty = False
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        if self.form:
            self.form.set_values({})
        self.form_status.setText("")
        self.refresh()

    def refresh(self) -> None:
        if not self.case_id:
            self.table.setRowCount(0)
            self.glance.setText("")
            return
        cw = services(self.session)
        allowed = cw.consent.may_receive(self.case_id)
        names = ", ".join(agency_label(a, p) for a, p in allowed)
        self.glance.setText(_("May receive data now: {agencies}").format(agencies=names) if allowed
                            else _("No agency may receive data of this case."))
        rows = cw.consent.history(self.case_id)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(reversed(rows)):
            for j, text in enumerate((show_date(r.get("date")), agency_label(r["agency"], r.get("provider_name")),
                                      _(STATE_LABELS[r["state"]]), str(r.get("form_version") or ""),
                                      cw.staff_name(r.get("recorded_by")))):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def save_declaration(self) -> bool:
        try:
            services(self.session).consent.record_declaration(self.case_id, self.form.values())
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            self.form_status.setText(_("Not saved: please correct the marked fields."))
            return False
        self.form.set_values({})
        self.dirty = False
        self.form_status.setText(_("Saved."))
        self.refresh()
        return True

    def record_single(self) -> None:
        try:
            services(self.session).consent.record(self.case_id, self.agency.currentData(), self.state.currentData(),
                                                  date_value(self.date), self.provider.text())
        except ValidationError as exc:
            set_error(self.single_error, errors_text(exc))
            return
        set_error(self.single_error, None)
        self.refresh()
