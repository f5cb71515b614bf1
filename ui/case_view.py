"""The case view: the household at a glance and the tabs of case work for the selected case.

Other modules add tabs with `register_tab(factory)`; a factory gets
`(session, parent)` and returns `(title, widget)`, and the widget has
`set_case(household_id, case_id)`. The view itself shows the household and
its members and opens the household dialog for editing.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.labels import label
from i18n import _

from .case_list import born_display

TabFactory = Callable[[object, QWidget], tuple[str, QWidget]]
CASE_TABS: list[TabFactory] = []


def register_tab(factory: TabFactory) -> TabFactory:
    CASE_TABS.append(factory)
    return factory


class CaseView(QWidget):
    edit_household = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.household_id: str | None = None
        self.case_id: str | None = None
        self.title = QLabel(_("Select a case in the list (Enter or double-click)."))
        self.title.setObjectName("caseTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.members = QLabel()
        self.members.setObjectName("householdMembers")
        self.members.setWordWrap(True)
        self.edit = QPushButton(_("Edit household…"))
        self.edit.setEnabled(False)
        self.edit.clicked.connect(lambda: self.household_id and self.edit_household.emit(self.household_id))
        self.tabs = QTabWidget()
        self.tab_widgets: list[QWidget] = []
        for factory in CASE_TABS:
            title, widget = factory(session, self)
            self.tabs.addTab(widget, title)
            self.tab_widgets.append(widget)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.edit)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.members)
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
        self.title.setText(f"{who.get('given_names') or ''} {who.get('family_name') or ''}  ·  {number}  ·  "
                           f"{label('office', hh.get('office'))}")
        lines = []
        for m in members:
            case = m["case"]
            extra = f" – {case['case_number']} ({case.get('rechtskreis') or ''}, {label('status', case.get('status'))})" if case else ""
            orig = " ".join(x for x in (m.get("given_names_orig"), m.get("family_name_orig")) if x)
            lines.append(f"• {m.get('given_names') or ''} {m.get('family_name') or ''}"
                         f"{'  ' + orig if orig else ''}, {label('relation', m.get('relation'))}, "
                         f"{born_display(m.get('birth_date'))}{extra}")
        self.members.setText("\n".join(lines))
        self.edit.setEnabled(True)
        for w in self.tab_widgets:
            w.set_case(household_id, case_id)

    def clear(self) -> None:
        self.household_id = self.case_id = None
        self.title.setText(_("Select a case in the list (Enter or double-click)."))
        self.members.clear()
        self.edit.setEnabled(False)
