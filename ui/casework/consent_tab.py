"""The consent tab: who may receive the case's data now, the full history, new declarations, withdrawals.

The history is `ConsentHistoryModel` (ui.models.RowTableModel) in a QTableView, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
    QTableView, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.consent import STATE_LABELS, agency_label
from app.schema import AGENCIES
from i18n import N_, _

from ..columns import keep_fitted
from ..models import RowTableModel
from .common import (
    RefreshOnShow, ask_unsaved, date_edit, date_value, error_label, errors_text, services, set_error, show_date,
)
from .form_renderer import FormRenderer

HEADERS = (N_("Date"), N_("Agency"), N_("Decision"), N_("Form version"), N_("Recorded by"))


class ConsentHistoryModel(RowTableModel):
    """Consent records (dicts), newest first; `names` maps a staff id to the name shown (set with the rows)."""

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.names: dict[str, str] = {}

    def set_history(self, history: list[dict], names: dict[str, str]) -> None:
        self.names = names
        self.set_rows(reversed(history))  # the service gives them oldest first

    def cell(self, r: dict, column: int):
        if column == 0:
            return show_date(r.get("date"))
        if column == 1:
            return agency_label(r["agency"], r.get("provider_name"))
        if column == 2:
            return _(STATE_LABELS[r["state"]])
        if column == 3:
            return str(r.get("form_version") or "")
        return self.names.get(r.get("recorded_by") or "", "")


class ConsentTab(RefreshOnShow, QWidget):
    access_level = "booking"  # shown when only an appointment may be booked (app.access)
    interpreter_form = "consent"  # the interpreter view feeds the new declaration (`renderer`)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.dirty = False
        self.glance = QLabel()
        self.glance.setObjectName("consentGlance")
        self.glance.setWordWrap(True)
        self.glance.setStyleSheet("font-weight: bold;")
        self.model = ConsentHistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        keep_fitted(self.table, stretch=1, give_way=(4, 1, 3), keep=(0,))  # the agency elides, the date never
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
        # a whole date beside the longer German button (it showed ".12.2026"); the agency gives way first
        self.date.setMinimumWidth(self.date.fontMetrics().horizontalAdvance("00.00.0000") + 14)
        self.agency.setMinimumContentsLength(12)
        self.agency.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.record_button = QPushButton(_("Record decision"))
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

    @property
    def renderer(self) -> FormRenderer | None:
        """The form of the new declaration, for the interpreter view."""
        return self.form

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
            self.model.set_history([], {})
            self.glance.setText("")
            return
        cw = services(self.session)
        allowed = cw.consent.may_receive(self.case_id)
        names = ", ".join(agency_label(a, p) for a, p in allowed)
        self.glance.setText(_("May receive data now: {agencies}").format(agencies=names) if allowed
                            else _("No agency may receive data of this case."))
        rows = cw.consent.history(self.case_id)
        self.model.set_history(rows, {r["recorded_by"]: cw.staff_name(r["recorded_by"])
                                      for r in rows if r.get("recorded_by")})

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
