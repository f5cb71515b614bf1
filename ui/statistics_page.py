"""The statistics page: the steering figures of a chosen period (app.steering) as a chart and a table.

Top: the period (the last twelve months, this year, last year, last quarter, or two dates typed in) and
the exports: CSV and XLSX of every table (app.steering_export) and the steering report PDF
(app.steering_report); exports always hold the suppressed figures. Left the tables (clients by office,
status, Rechtskreis, country, sex, age group; measures; waiting times; transitions and new clients
month by month; employer offers and placements), right the chosen one as a bar chart (ui.charts) over a
sortable table whose total row stays last. Counts from 1 to 4 are "< 5" and differences that would reveal
them are hidden too (app.suppression), except in the data-protection officer's role
(`Session.sees_small_counts`). For a table of clients, the cases behind a row are listed only for roles
that may see cases (`Session.may_see_cases`); Enter or a double-click opens one. The figures are counted
off the GUI thread (ui.tasks, a worker session).
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListView, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.steering import DIMENSIONS, DrillDownRefused, Period
from app.steering_export import labelled_rows, row_dimension, title, to_csv, to_xlsx
from app.suppression import HIDDEN, TOTAL, small, suppress_counts
from i18n import N_, _

from .casework.common import date_edit, date_value, error_label, set_error, show_date
from .charts import BarChart
from .courses_models import selected_row, table
from .models import ROW_ROLE, SORT_ROLE, RowListModel, RowTableModel

WAITING = "waiting_times"
TOTAL_ROLE = Qt.ItemDataRole.UserRole + 3
PRESETS = (("year", N_("Last 12 months")), ("this_year", N_("This year")), ("last_year", N_("Last year")),
           ("quarter", N_("Last quarter")), ("custom", N_("Chosen dates")))


def preset_period(key: str, today: dt.date) -> Period:
    if key == "this_year":
        return Period(dt.date(today.year, 1, 1), today)
    if key == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    if key == "quarter":
        q = (today.month - 1) // 3  # the quarter before the current one
        y, q = (today.year - 1, 3) if q == 0 else (today.year, q - 1)
        end_month = 3 * q + 3
        end = (dt.date(y + 1, 1, 1) if end_month == 12 else dt.date(y, end_month + 1, 1)) - dt.timedelta(days=1)
        return Period(dt.date(y, 3 * q + 1, 1), end)
    return Period.last_year(today)


def deleted_text(stats: dict, suppress: bool = True) -> str:
    """Deleted cases, which the counts keep anonymised: how many, and why they were deleted (small counts
    hidden like every other figure)."""
    n = stats.get("deleted_cases", 0)
    if not n:
        return ""
    why = {"retention": _("retention period ended"), "erasure": _("erased on request")}
    by = stats.get("deleted_cases_by_basis", {})
    if suppress:
        by = suppress_counts(by)
        n = HIDDEN if small(n) else n
    unknown = _("unknown")
    parts = [f"{why.get(basis, unknown)}: {k}" for basis, k in sorted(by.items())]
    head = _("Deleted cases (anonymised, still counted)")
    return f"{head}: {n}" + (" ({})".format(", ".join(parts)) if parts else "")


class TableListModel(RowListModel):
    """The tables of the figures, by title. Rows: table names."""

    def text(self, name: str) -> str:
        return _("Waiting times until the start of a measure") if name == WAITING else title(name)


class FigureModel(RowTableModel):
    """One steering table as labelled by app.steering_export. Rows: (row code or TOTAL, [cells])."""

    def __init__(self, parent=None):
        super().__init__((), parent)

    def set_table(self, header: list[str], rows: list[tuple[str, list]]) -> None:
        self.beginResetModel()
        self.headers = tuple(header)
        self.rows = list(rows)
        self.endResetModel()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]  # already in the UI language
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole and section:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == TOTAL_ROLE:
            return self.rows[index.row()][0] == TOTAL
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column():
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.rows[index.row()][0] == TOTAL:
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        return super().data(index, role)

    def cell(self, row, col: int):
        v = row[1][col]
        return "–" if v is None else str(v)

    def sort_key(self, row, col: int):
        v = row[1][col]
        if col == 0:
            return str(v).casefold()
        if v == HIDDEN:
            return 2.5  # between 0 and 5, where it lies (nothing more is told)
        return v if isinstance(v, (int, float)) else -1


class TotalLastProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE; the total row stays at the bottom in either order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left, right) -> bool:  # noqa: N802
        lt, rt = bool(left.data(TOTAL_ROLE)), bool(right.data(TOTAL_ROLE))
        if lt or rt:
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            if lt and not rt:
                return not ascending
            if rt and not lt:
                return ascending
            return False
        return super().lessThan(left, right)


class CaseModel(RowListModel):
    """Cases behind a figure (app.caselist.CaseRow)."""

    def text(self, r) -> str:
        return f"{r.case_number} · {r.family_name}, {r.given_names}" if hasattr(r, "family_name") else str(r)


class StatisticsPage(QWidget):
    open_case = Signal(str, str)  # household id, case id

    def __init__(self, session, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.session = session
        self.today = today
        self.fig: dict | None = None
        self.period: Period | None = None
        self._pending = 0  # the number of the newest computation; older results are dropped
        # period
        self.preset = QComboBox()
        self.preset.setObjectName("periodPreset")
        self.preset.setAccessibleName(_("Period"))
        for key, text in PRESETS:
            self.preset.addItem(_(text), key)
        self.start = date_edit()
        self.start.setAccessibleName(_("From"))
        self.end = date_edit()
        self.end.setAccessibleName(_("To"))
        self.show_button = QPushButton(_("&Show"))
        self.show_button.clicked.connect(self.refresh)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for e in (self.start, self.end):
            e.textEdited.connect(lambda _t: self.preset.setCurrentIndex(self.preset.findData("custom")))
            e.returnPressed.connect(self.refresh)
        self.csv_button = QPushButton(_("Save as &CSV…"))
        self.csv_button.clicked.connect(lambda: self._save("csv"))
        self.xlsx_button = QPushButton(_("Save as &XLSX…"))
        self.xlsx_button.clicked.connect(lambda: self._save("xlsx"))
        self.pdf_button = QPushButton(_("Steering &report (PDF)…"))
        self.pdf_button.clicked.connect(lambda: self._save("pdf"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Period")))
        top.addWidget(self.preset)
        top.addWidget(QLabel(_("from")))
        top.addWidget(self.start)
        top.addWidget(QLabel(_("to")))
        top.addWidget(self.end)
        top.addWidget(self.show_button)
        top.addStretch(1)
        exports = QHBoxLayout()  # a row of its own: with the period row they are wider than a laptop
        exports.addStretch(1)
        for b in (self.csv_button, self.xlsx_button, self.pdf_button):
            exports.addWidget(b)
        self.error = error_label()
        self.error.setObjectName("statisticsError")
        self.notice = QLabel()
        self.notice.setObjectName("suppressionNotice")
        self.notice.setWordWrap(True)
        # tables
        self.list_model = TableListModel(self)
        self.list_view = QListView()
        self.list_view.setObjectName("figureList")
        self.list_view.setModel(self.list_model)
        self.list_view.setWordWrap(True)
        self.list_view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_table())
        self.chart = BarChart()
        self.chart.setObjectName("figureChart")
        self.chart.hidden_text = _("1 to 4 (hidden)")
        self.model = FigureModel(self)
        self.view = table(self.model)
        proxy = TotalLastProxy(self.view)
        proxy.setSourceModel(self.model)
        self.view.setModel(proxy)
        self.view.setObjectName("figureTable")
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._row_chosen())
        # drill-down
        self.cases_button = QPushButton(_("Show the c&ases"))
        self.cases_button.clicked.connect(self.drill_down)
        self.cases_note = QLabel()
        self.cases_note.setObjectName("drillDownNote")
        self.cases_note.setWordWrap(True)
        self.case_model = CaseModel(self)
        self.case_view = QListView()
        self.case_view.setObjectName("drillDownCases")
        self.case_view.setModel(self.case_model)
        self.case_view.activated.connect(self._open_case)
        self.case_view.hide()
        drill = QHBoxLayout()
        drill.addWidget(self.cases_button)
        drill.addWidget(self.cases_note, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.table_title = QLabel()
        self.table_title.setObjectName("figureTitle")
        self.table_title.setStyleSheet("font-weight: bold;")
        rl.addWidget(self.table_title)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.chart)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.view, 2)
        ll.addLayout(drill)
        ll.addWidget(self.case_view, 1)
        body.addWidget(lower)
        body.setSizes([300, 260])
        rl.addWidget(body, 1)
        self.deleted = QLabel()  # erased cases still count, anonymised (app.retention)
        self.deleted.setObjectName("deletedCases")
        self.deleted.setWordWrap(True)
        tables = QGroupBox(_("Tables"))
        tl = QVBoxLayout(tables)
        tl.addWidget(self.list_view, 1)
        tl.addWidget(self.deleted)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(tables)
        split.addWidget(right)
        split.setSizes([260, 940])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(exports)
        lay.addWidget(self.error)
        lay.addWidget(self.notice)
        lay.addWidget(split, 1)
        self._preset_chosen()

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        p = preset_period(key, self.day())
        self.start.setText(show_date(p.start.isoformat()))
        self.end.setText(show_date(p.end.isoformat()))
        if self.fig is not None:
            self.refresh()

    def chosen_period(self) -> Period:
        errors = {}
        try:
            start = date_value(self.start, "from")
        except ValidationError as exc:
            errors.update(exc.errors)
            start = None
        try:
            end = date_value(self.end, "to")
        except ValidationError as exc:
            errors.update(exc.errors)
            end = None
        if not errors and (start is None or end is None):
            errors["period"] = _("Please enter the first and the last day of the period.")
        if not errors and start > end:  # type: ignore[operator]
            errors["period"] = _("The period ends before it begins.")
        if errors:
            raise ValidationError(errors)
        return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))  # type: ignore[arg-type]

    # -- data ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_open:
            return
        try:
            period = self.chosen_period()
        except ValidationError as exc:
            set_error(self.error, " ".join(exc.errors.values()))
            return
        set_error(self.error, None)
        raw = self.session.sees_small_counts()
        self.notice.setText(
            _("All counts as they are (data-protection officer). Exports and the report hide counts from 1 to 4.")
            if raw else _("Counts from 1 to 4 are shown as “< 5”; where a total would reveal them, a second count "
                          "of the line is hidden too."))
        self._pending += 1
        ticket = self._pending
        worker = self.session.worker()
        self.show_button.setEnabled(False)

        def compute():
            try:
                return worker.steering(period.start, period.end, suppress=not raw), worker.statistics(suppress=False)
            finally:
                worker.lock()

        from .tasks import run_in_background

        run_in_background(compute, lambda result: self._computed(ticket, period, *result),
                          lambda exc: self._failed(ticket, exc))

    def _computed(self, ticket: int, period: Period, fig: dict, stats: dict) -> None:
        if not shiboken6.isValid(self) or ticket != self._pending or not self.session.is_open:
            return
        self.show_button.setEnabled(True)
        self.deleted.setText(deleted_text(stats, suppress=bool(fig.get("suppressed"))))
        self.fig, self.period = fig, period
        current = selected_row(self.list_view)
        names = list(fig["tables"])
        names.insert(names.index("measures") + 1 if "measures" in names else len(names), WAITING)
        self.list_model.set_rows(names)
        row = names.index(current) if current in names else names.index("transitions_by_month") \
            if "transitions_by_month" in names else 0
        self.list_view.setCurrentIndex(self.list_model.index(row, 0))
        self._show_table()

    def _failed(self, ticket: int, exc: Exception) -> None:
        if not shiboken6.isValid(self) or ticket != self._pending:
            return
        self.show_button.setEnabled(True)
        set_error(self.error, _("The figures could not be counted: {error}").format(error=exc))

    def clear(self) -> None:
        self.fig = None
        self._pending += 1
        self.list_model.set_rows([])
        self.model.set_table([], [])
        self.case_model.set_rows([])
        self.chart.set_data([], [])

    def current_table(self) -> str | None:
        return selected_row(self.list_view)

    def _show_table(self) -> None:
        name = self.current_table()
        self.case_model.set_rows([])
        self.case_view.hide()
        if self.fig is None or name is None:
            return
        catalogue = self.session.resources.catalogue
        start, end = (show_date(self.fig["period"][k]) for k in ("from", "to"))
        self.table_title.setText(_("{title}, {start} to {end}").format(
            title=self.list_model.text(name), start=start, end=end))
        if name == WAITING:
            header = [_("Measure"), _("Started"), _("Median (days)"), _("Mean (days)")]
            rows = [(cat, [catalogue.name(cat) if cat != "?" else _("unknown"), w["n"], w["median_days"],
                           w["mean_days"]]) for cat, w in self.fig["waiting_times"].items()]
            self.model.set_table(header, rows)
            self.chart.set_data([r[1][0] for r in rows], [(_("Median (days)"), [r[1][2] for r in rows])],
                                _("No measure started in the period."))
        else:
            t = self.fig["tables"][name]
            header, labelled = labelled_rows(name, t, catalogue)
            codes = [*t.rows, TOTAL]
            self.model.set_table(header, list(zip(codes, labelled, strict=True)))
            body = labelled[:-1]
            if t.one_dimensional:
                series = [(_("Count"), [r[1] for r in body])]
            else:
                series = [(header[i + 1], [r[i + 1] for r in body]) for i in range(len(t.cols))]
            self.chart.set_data([r[0] for r in body], series, _("Nothing to count in the period."))
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the table's own order
        self._row_chosen()

    # -- drill-down --------------------------------------------------------------------------------
    def drill_dimension(self) -> str | None:
        name = self.current_table() or ""
        dim = name.removeprefix("clients_by_")
        return dim if name.startswith("clients_by_") and dim in DIMENSIONS and row_dimension(name) == dim else None

    def _row_chosen(self) -> None:
        dim = self.drill_dimension()
        row = selected_row(self.view)
        may = self.session.is_open and self.session.may_see_cases()
        self.cases_button.setVisible(dim is not None)
        self.cases_button.setEnabled(bool(may and row is not None and row[0] != TOTAL))
        if dim is None:
            self.cases_note.setText("")
        elif not may:
            self.cases_note.setText(_("Your role may not see the cases behind a figure."))
        else:
            self.cases_note.setText(_("Choose a line to list the cases behind it."))

    def drill_down(self) -> None:
        dim, row = self.drill_dimension(), selected_row(self.view)
        if dim is None or row is None or self.period is None or row[0] == TOTAL:
            return
        try:
            cases = self.session.steering_cases(self.period.start, self.period.end, dim, row[0])
        except DrillDownRefused as exc:
            self.cases_note.setText(str(exc))
            return
        self.case_model.set_rows(cases)
        self.case_view.setVisible(True)
        self.cases_note.setText(_("{n} cases behind “{what}” (Enter opens one).").format(n=len(cases), what=row[1][0]))

    def _open_case(self, index) -> None:
        r = index.data(ROW_ROLE)
        if r is not None:
            self.open_case.emit(r.household_id, r.case_id)

    # -- exports ------------------------------------------------------------------------------------
    def export_figures(self) -> dict:
        """The figures for files: always suppressed, also when the page shows them as they are."""
        assert self.period is not None and self.fig is not None
        if not self.fig.get("suppressed"):
            return self.session.steering(self.period.start, self.period.end)
        return self.fig

    def _save(self, kind: str) -> None:
        if self.fig is None or self.period is None:
            return
        stem = f"steuerung-{self.period.start.isoformat()}-{self.period.end.isoformat()}"
        filters = {"csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)"}
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as"), f"{stem}.{kind}", filters[kind])
        if path:
            self.write(kind, path)

    def write(self, kind: str, path: str) -> None:
        catalogue = self.session.resources.catalogue
        try:
            if kind == "csv":
                with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                    fh.write(to_csv(self.export_figures(), catalogue))
            elif kind == "xlsx":
                with open(path, "wb") as fh:
                    fh.write(to_xlsx(self.export_figures(), catalogue))
            else:
                assert self.period is not None
                with open(path, "wb") as fh:
                    fh.write(self.session.steering_report(self.period.start, self.period.end))
        except OSError as exc:
            set_error(self.error, _("Could not save {path}: {reason}").format(path=path, reason=exc.strerror))
            return
        set_error(self.error, None)


def statistics_page(session, window):
    """The page of the main window; a case behind a figure opens in the case view."""
    page = StatisticsPage(session, window)

    def open_case(household_id: str, case_id: str) -> None:
        window.nav.setCurrentRow(0)
        window.case_view.show_case(household_id, case_id)

    page.open_case.connect(open_case)
    return _("Statistics"), page
