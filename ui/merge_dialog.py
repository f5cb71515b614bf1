"""Merging two records of one person, reviewed field by field before anything is saved.

`MergeDialog(session, keep_id, away_id)` shows both records side by side
(`MergeFieldsModel` over `Session.merge_preview`, app.merge_preview): names, birth date, sex,
nationality, country of origin, languages, contacts, household and cases, the rows that differ
highlighted, and what the merged person will hold. Where both records have a different value
the reviewer picks one (a radio per side: click or Space); languages and the other spellings
(aliases, found by the search afterwards) are shown as they will be merged. "Swap" makes the
other record the one that stays. "Merge" is one call of `Session.merge_persons` with the
choices; the result page can take it back (`Session.undo.unmerge_person`) and offers the other
members of the two households that look like the same people (`Session.household_pairs`), each
reviewed in the same dialog. `merged` and `unmerged` tell the duplicates page what changed.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QDialog, QHBoxLayout, QHeaderView, QLabel, QListView, QMessageBox,
    QProxyStyle, QPushButton, QStackedWidget, QStyle, QStyleFactory, QTableView, QVBoxLayout, QWidget,
)

import i18n
from app.labels import label
from app.merge_preview import AWAY, KEEP, CaseInfo, FieldRow, HouseholdInfo, MergePreview
from app.unmerge import UndoRefused
from i18n import N_, _, ngettext
from i18n.bidi import FSI, LRI, PDI
from i18n import locale as loc

from .case_list import born_display
from .models import RowListModel
from .screen import resize_to_fit

DIFFERS = QColor("#fff4d6")  # the notice colour of the case view
NOT_CHOSEN = QColor("#777777")
# the order a reviewer reads a person in; household and cases are shown, not chosen
ORDER = ("family_name", "given_names", "family_name_orig", "given_names_orig", "birth_date", "sex",
         "nationality", "country_of_origin", "languages", "interpreter_language", "contact_language", "phone",
         "email", "relation", "household", "cases", "aliases")
TITLES = {"country_of_origin": N_("Country of origin"), "email": N_("E-mail"),
          "contact_language": N_("Preferred contact language"), "household": N_("Household"), "cases": N_("Cases"),
          "aliases": N_("Other spellings")}
CODED = {"sex": "sex", "nationality": "country", "country_of_origin": "country", "relation": "relation",
         "interpreter_language": "language", "contact_language": "language"}
COLUMNS = (N_("Field"), N_("Stays"), N_("Merged into it"), N_("After the merge"))
SIDE_OF_COLUMN = {1: KEEP, 2: AWAY}


def person_name(p: dict) -> str:
    latin = " ".join(x for x in (p.get("given_names"), p.get("family_name")) if x)
    orig = " ".join(x for x in (p.get("given_names_orig"), p.get("family_name_orig")) if x)
    return f"{latin} ({FSI}{orig}{PDI})" if orig and latin else (latin or orig)  # the script keeps its own order


def percent(value: float) -> str:
    """A match probability as the UI language writes it (the pseudo languages of i18n.pseudo as German)."""
    lang = i18n.current_language()
    return loc.format_percent(value, "de" if lang.startswith("x-pseudo") else lang)


def _languages(value) -> str:
    if not isinstance(value, list):
        return ""
    parts = []
    for x in value:
        if isinstance(x, dict):
            code = x.get("code") or x.get("language")
            parts.append(" ".join(t for t in (label("language", code), label("level", x.get("level"))) if t))
    return ", ".join(parts)


def show_value(field: str, value) -> str:
    """A person's field as staff read it (names of codes, German dates)."""
    if value is None or value == "" or value == []:
        return ""
    if field == "birth_date":
        return born_display(value)
    if field == "languages":
        return _languages(value)
    if field == "aliases":
        return "\n".join(person_name(a) for a in value if isinstance(a, dict))
    if field in CODED and isinstance(value, str):
        return label(CODED[field], value)
    if field == "phone" and QApplication.isRightToLeft():
        return f"{LRI}{value}{PDI}"  # digit groups keep their order in a right-to-left layout (i18n.bidi)
    return str(value)


def _household(hh: HouseholdInfo | None) -> str:
    if hh is None:
        return ""
    head = " · ".join(x for x in (label("office", hh.office), hh.address or "") if x)
    if not hh.members:
        return head
    return head + "\n" + _("with {names}").format(names=", ".join(
        p.get("given_names") or p.get("given_names_orig") or "?" for p in hh.members))


def _case(c: CaseInfo) -> str:
    return " · ".join(x for x in (c.rechtskreis or "", label("office", c.office), c.case_number or "") if x)


class MergeFieldsModel(QAbstractTableModel):
    """The preview's fields, one row each: field | the record that stays | the one merged into it |
    after the merge. Where both records hold a different value, the two record cells of the row
    are checkable and one of them is checked (a radio pair); checking the other one emits
    `chosen(field, side)`. Rows whose values differ are highlighted."""

    chosen = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.preview: MergePreview | None = None
        self.lines: list[tuple[str, str, str, str, FieldRow | None]] = []  # field, keep, away, result, row

    def set_preview(self, preview: MergePreview) -> None:
        self.beginResetModel()
        self.preview = preview
        rows = {r.field: r for r in preview.rows}
        lines: list[tuple[str, str, str, str, FieldRow | None]] = []
        for field in ORDER:
            if field == "household":
                keep, away = _household(preview.keep_household), _household(preview.away_household)
                result = keep
                if preview.household_follows and preview.away_household:
                    result += "\n" + _("joined by the household in {office} (no one else lives there)").format(
                        office=label("office", preview.away_household.office))
                lines.append((field, keep, away, result, None))
            elif field == "cases":
                keep = "\n".join(_case(c) for c in preview.cases if c.side == KEEP)
                away = "\n".join(_case(c) for c in preview.cases if c.side == AWAY)
                result = "\n".join(_case(c) + (" " + _("(moves into this household)") if c.moves_household else "")
                                   for c in preview.cases)
                lines.append((field, keep, away, result, None))
            else:
                r = rows[field]
                keep, away, result = show_value(field, r.keep), show_value(field, r.away), show_value(field, r.result)
                if not (keep or away or result):
                    continue  # neither record has it: nothing to review
                lines.append((field, keep, away, result, r))
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def field_row(self, field: str) -> int:
        return next(i for i, line in enumerate(self.lines) if line[0] == field)

    def differs(self, row: int) -> bool:
        field, keep, away, _result, r = self.lines[row]
        return r.differs if r is not None else keep != away and bool(away)

    def _choosable(self, index) -> bool:
        r = self.lines[index.row()][4]
        return index.column() in SIDE_OF_COLUMN and r is not None and r.choosable

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if self._choosable(index) else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        field, keep, away, result, r = self.lines[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (_(TITLES[field]) if field in TITLES else label("field", field), keep, away, result)[col]
        if role == Qt.ItemDataRole.CheckStateRole and self._choosable(index):
            assert r is not None
            return Qt.CheckState.Checked if r.choice == SIDE_OF_COLUMN[col] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and self.differs(index.row()):
            return QBrush(DIFFERS)
        if role == Qt.ItemDataRole.ForegroundRole and self._choosable(index):
            assert r is not None
            return None if r.choice == SIDE_OF_COLUMN[col] else QBrush(NOT_CHOSEN)
        if role == Qt.ItemDataRole.FontRole and (col == 0 or col == 3) and self.differs(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and self._choosable(index):
            assert r is not None
            return _("chosen") if r.choice == SIDE_OF_COLUMN[col] else _("not chosen")
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not self._choosable(index):
            return False
        side = SIDE_OF_COLUMN[index.column()]
        r = self.lines[index.row()][4]
        if r is not None and r.choice != side:
            self.chosen.emit(r.field, side)  # the dialog asks for a new preview and sets it
        return True

    def choose(self, index) -> None:
        """Choose the value of the cell at `index` (a click on the text, not only on the circle)."""
        if self._choosable(index):
            self.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)


class _RadioIndicators(QProxyStyle):
    """Item-view check boxes drawn as radio buttons: one value of two is chosen, not ticked."""

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802
        if element == QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck:
            element = QStyle.PrimitiveElement.PE_IndicatorRadioButton
        super().drawPrimitive(element, option, painter, widget)


class PairsModel(RowListModel):
    """Other members of the two households that look like the same people (app.linkage candidates
    with both person rows): "Taras Schewtschenko (02.05.2012) ↔ Taras Shevchenko (02.05.2012), 97 %"."""

    def text(self, row) -> str:
        def one(p: dict) -> str:
            born = born_display(p.get("birth_date"))
            return person_name(p) + (f" ({born})" if born else "")

        return _("{a} ↔ {b}, {score}").format(a=one(row["a"]), b=one(row["b"]),
                                             score=percent(row["score"]))


class MergeDialog(QDialog):
    merged = Signal(str)  # the id of the person merged away
    unmerged = Signal(str)

    def __init__(self, session, keep_id: str, away_id: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Merge persons"))
        self.choices: dict[str, str] = {}  # what the reviewer chose (the rest: defaults)
        self.keep_id, self.away_id = keep_id, away_id
        self.last_merge: tuple[str, str] | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self._review_page())
        self.stack.addWidget(self._done_page())
        lay = QVBoxLayout(self)
        lay.addWidget(self.stack)
        resize_to_fit(self, 1240, 700)
        self.load(keep_id, away_id)

    # -- the review ---------------------------------------------------------------
    def _review_page(self) -> QWidget:
        page = QWidget()
        self.intro = QLabel(_("Check the two records with the client. Rows that differ are highlighted; where "
                              "both records hold a value, choose the one that stays (click, or Space). Other "
                              "spellings of the names stay searchable; cases move with their records."))
        self.intro.setWordWrap(True)
        self.heading = QLabel()
        self.heading.setObjectName("mergeHeading")
        self.heading.setWordWrap(True)
        self.swap_button = QPushButton(_("S&wap: keep the other record"))
        self.swap_button.setObjectName("swapButton")
        self.swap_button.clicked.connect(self.swap)
        self.model = MergeFieldsModel(self)
        self.model.chosen.connect(self.choose)
        self.table = QTableView()
        self.table.setObjectName("mergeFields")
        radios = _RadioIndicators(QStyleFactory.create(QApplication.style().name()))
        radios.setParent(self.table)  # deleted with the table (a widget holds its style by a guarded pointer)
        self.table.setStyle(radios)
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self.model.choose)
        self.table.setAccessibleName(_("Both records, field by field"))
        self.summary = QLabel()
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.merge_button = QPushButton(_("&Merge"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.confirm)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        for b in (self.swap_button, self.merge_button, cancel):
            b.setAutoDefault(False)  # Enter in the table must not merge: only the button (or its Alt key) does
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.swap_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.merge_button)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.intro)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        return page

    def load(self, keep_id: str, away_id: str, choices: dict[str, str] | None = None) -> bool:
        """Show the pair for review (the first, a swapped or an offered one); False if it cannot be merged."""
        try:
            preview = self.session.merge_preview(keep_id, away_id, choices)
        except ValueError as exc:  # app.merge_preview.MergeRefused: gone, or merged meanwhile
            QMessageBox.warning(self, _("Merge persons"), str(exc))
            return False
        self.keep_id, self.away_id, self.choices = keep_id, away_id, dict(choices or {})
        self._show(preview)
        self.stack.setCurrentIndex(0)
        self.table.setFocus()
        first = next((i for i, line in enumerate(self.model.lines) if line[4] is not None and line[4].choosable), 0)
        self.table.setCurrentIndex(self.model.index(first, 1))
        return True

    def _show(self, preview: MergePreview) -> None:
        current = self.table.currentIndex()
        self.preview = preview
        self.model.set_preview(preview)
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        keep_hh, away_hh = preview.keep_household, preview.away_household
        self.heading.setText(_("<b>{keep}</b> ({keep_office}) stays; <b>{away}</b> ({away_office}) is merged into "
                               "it.").format(keep=person_name(preview.keep), away=person_name(preview.away),
                                             keep_office=label("office", keep_hh.office) if keep_hh else "–",
                                             away_office=label("office", away_hh.office) if away_hh else "–"))
        n_diff = len([i for i in range(self.model.rowCount()) if self.model.differs(i)])
        moving = [c for c in preview.cases if c.moves_household]
        text = ngettext("{n} field differs.", "{n} fields differ.", n_diff).format(n=n_diff)
        if moving:
            text += " " + ngettext("{n} case moves into the household of the record that stays.",
                                   "{n} cases move into the household of the record that stays.",
                                   len(moving)).format(n=len(moving))
        self.summary.setText(text + " " + _("The merge can be undone."))

    def choose(self, field: str, side: str) -> None:
        choices = {**self.choices, field: side}
        preview = self.session.merge_preview(self.keep_id, self.away_id, choices)
        self.choices = choices
        self._show(preview)

    def swap(self) -> None:
        """Keep the other record; the values chosen so far stay chosen."""
        flipped = {f: AWAY if s == KEEP else KEEP for f, s in self.choices.items()}
        self.load(self.away_id, self.keep_id, flipped)

    def confirm(self) -> None:
        keep, away = self.keep_id, self.away_id
        try:
            moved = self.session.merge_persons(keep, away, choices=self.preview.choices)
        except ValueError as exc:  # refused (merged meanwhile) or a value the rules refuse: nothing was saved
            QMessageBox.warning(self, _("Merge persons"), str(exc))
            return
        self.last_merge = (keep, away)
        self.merged.emit(away)
        self._show_done(keep, away, moved)

    # -- after the merge ------------------------------------------------------------
    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_text = QLabel()
        self.done_text.setObjectName("mergeDone")
        self.done_text.setWordWrap(True)
        self.undo_button = QPushButton(_("&Undo this merge"))
        self.undo_button.setObjectName("undoMerge")
        self.undo_button.clicked.connect(self.undo)
        self.pairs_label = QLabel()
        self.pairs_label.setWordWrap(True)
        self.pairs = PairsModel(self)
        self.pairs_view = QListView()
        self.pairs_view.setObjectName("householdPairs")
        self.pairs_view.setModel(self.pairs)
        self.pairs_view.doubleClicked.connect(lambda _i: self.review_pair())  # Enter: the default button
        self.next_button = QPushButton(_("&Review and merge this pair…"))
        self.next_button.setObjectName("reviewPair")
        self.next_button.clicked.connect(self.review_pair)
        self.close_button = close = QPushButton(_("Close"))
        close.setObjectName("closeMerge")
        close.clicked.connect(self.accept)
        self.undo_button.setAutoDefault(False)  # Enter never takes the merge back; only the button does
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(self.next_button)
        row.addWidget(close)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.done_text)
        lay.addWidget(self.pairs_label)
        lay.addWidget(self.pairs_view)
        lay.addStretch(1)
        lay.addLayout(row)
        self.pairs_view.setMaximumHeight(self.pairs_view.fontMetrics().height() * 10)
        return page

    def _show_done(self, keep: str, away: str, moved: dict) -> None:
        self.done_text.setText(_("Merged: {away} is now part of {keep}. Moved: cases {cases}, household records "
                                 "{records}; fields taken over: {fields}.").format(
            away=person_name(self.preview.away), keep=person_name(self.preview.keep), cases=moved["cases"],
            records=moved["household_records"], fields=moved["fields"]))
        self.undo_button.setEnabled(True)
        rows = self.session.household_pairs(keep, away)
        self.pairs.set_rows(rows)
        text = _("These members of the two households look like the same people too. Review each pair:") if rows \
            else _("No other members of the two households look like the same people.")
        paired = {r["b"]["id"] for r in rows}
        alone = [p for p in (self.preview.away_household.members if self.preview.away_household else ())
                 if p["id"] not in paired]
        if alone and not self.preview.household_follows:
            text = _("Still in the household in {office}, with no double: {names}.").format(
                office=label("office", self.preview.away_household.office) if self.preview.away_household else "",
                names=", ".join(person_name(p) for p in alone)) + " " + text
        self.pairs_label.setText(text)
        self.next_button.setEnabled(bool(rows))
        self.pairs_view.setVisible(bool(rows))
        self.stack.setCurrentIndex(1)
        self.next_button.setDefault(bool(rows))
        self.close_button.setDefault(not rows)
        if rows:
            self.pairs_view.setCurrentIndex(self.pairs.index(0, 0))
            self.pairs_view.setFocus()
        else:
            self.close_button.setFocus()

    def review_pair(self) -> None:
        row = self.pairs_view.currentIndex().row()
        if 0 <= row < len(self.pairs.rows):
            pair = self.pairs.rows[row]
            self.load(pair["a"]["id"], pair["b"]["id"])

    def undo(self) -> None:
        if self.last_merge is None:
            return
        _keep, away = self.last_merge
        try:
            self.session.undo.unmerge_person(away)
        except UndoRefused as exc:
            QMessageBox.warning(self, _("Undo a merge"), str(exc))
            return
        self.last_merge = None
        self.unmerged.emit(away)
        self.done_text.setText(_("Undone: both are separate persons again, each with their cases."))
        self.undo_button.setEnabled(False)
        self.pairs.set_rows([])
        self.pairs_view.setVisible(False)
        self.pairs_label.setText("")
        self.next_button.setEnabled(False)


def open_merge_dialog(session, keep_id: str, away_id: str, parent=None, on_change=None) -> MergeDialog:
    """The dialog, run modally; `on_change(person_id)` after each merge and un-merge."""
    dialog = MergeDialog(session, keep_id, away_id, parent)
    if on_change is not None:
        dialog.merged.connect(on_change)
        dialog.unmerged.connect(on_change)
    dialog.exec()
    return dialog
