"""The Ressourcenkarte as four quadrants, each with its entries (text, source, author, date) and an input line.

Each quadrant's entries are a `ResourceEntriesModel` (ui.models.RowListModel) in a QListView."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListView, QPushButton, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.resources_map import QUADRANT_LABELS
from app.schema import QUADRANTS
from i18n import _

from ..models import RowListModel
from .common import RefreshOnShow, date_edit, date_value, error_label, errors_text, services, set_error, show_date


class ResourceEntriesModel(RowListModel):
    """Entries (dicts) of one quadrant as the service orders them: text, then source, author and date;
    `names` maps a staff id to the name shown (set with the rows)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names: dict[str, str] = {}

    def set_entries(self, entries: list[dict], names: dict[str, str]) -> None:
        self.names = names
        self.set_rows(entries)

    def text(self, e: dict) -> str:
        meta = ", ".join(x for x in (e.get("source"), self.names.get(e.get("author") or "", ""),
                                     show_date(e.get("date"))) if x)
        return f"{e['text']}  ({meta})" if meta else e["text"]


class Quadrant(QGroupBox):
    def __init__(self, tab: "ResourceMapTab", quadrant: str, prompts: list[str], help_text: str):
        super().__init__(_(QUADRANT_LABELS[quadrant]))
        self.tab, self.quadrant = tab, quadrant
        self.setObjectName(f"quadrant_{quadrant}")
        self.model = ResourceEntriesModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAccessibleName(_(QUADRANT_LABELS[quadrant]))
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("New entry"))
        self.text.setToolTip("\n".join([_(help_text)] + [f"• {_(p)}" for p in prompts]))
        self.text.returnPressed.connect(self.add)
        self.source = QLineEdit()
        self.source.setPlaceholderText(_("Source"))
        self.source.setMaximumWidth(140)
        self.source.returnPressed.connect(self.add)
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self.add)
        self.error = error_label()
        hint = QLabel(_(help_text))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        row = QHBoxLayout()
        row.addWidget(self.text, 1)
        row.addWidget(self.source)
        row.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.list, 1)
        lay.addLayout(row)
        lay.addWidget(self.error)

    def add(self) -> None:
        cw = services(self.tab.session)
        try:
            cw.resources.add(self.tab.case_id, self.quadrant, self.text.text(), self.source.text(),
                             date_value(self.tab.date))
        except ValidationError as exc:
            set_error(self.error, errors_text(exc))
            return
        set_error(self.error, None)
        self.text.clear()
        self.source.clear()
        self.tab.refresh()

    def show_entries(self, entries: list[dict], names: dict[str, str]) -> None:
        self.model.set_entries(entries, names)


class ResourceMapTab(RefreshOnShow, QWidget):
    interpreter_form = "resource_map"  # its prompts, questions only: entries are written in the quadrants
    access_level = "own"  # without consent: the records the staff member's agency made (app.gated)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.date = date_edit()
        self.date.setAccessibleName(_("Date of new entries"))
        prompts = services(session).forms.get("resource_map") if session.is_open else None
        grid = QGridLayout()
        self.quadrants: dict[str, Quadrant] = {}
        for i, q in enumerate(QUADRANTS):
            section = next((s for s in prompts.sections if s.key == q), None) if prompts else None
            quad = Quadrant(self, q, [f.label for f in section.fields] if section else [],
                            section.help if section else "")
            self.quadrants[q] = quad
            grid.addWidget(quad, i // 2, i % 2)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Entries are dated:")))
        top.addWidget(self.date)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(grid, 1)
        self.setEnabled(False)

    def set_case(self, household_id, case_id) -> None:
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        self.refresh()

    def refresh(self) -> None:
        cw = services(self.session)
        by_q = cw.resources.by_quadrant(self.case_id) if self.case_id else {q: [] for q in QUADRANTS}
        authors = {e.get("author") for entries in by_q.values() for e in entries} - {None, ""}
        names = {a: cw.staff_name(a) for a in authors}
        for q, quad in self.quadrants.items():
            quad.show_entries(by_q[q], names)
