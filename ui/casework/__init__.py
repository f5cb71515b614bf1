"""Case-work widgets inside the case view: intake, consent, profiling, resource map, strategy, measures,
appointments and chronicle tabs, plus the "due soon" list.

`tab_factories()` and `due_page` are handed to the main window by the
composition root (ui.main); nothing registers itself on import. Every widget
takes the session and talks to app.casework services only.
"""

from __future__ import annotations

from i18n import _

from .appointments_tab import AppointmentsTab
from .chronicle_tab import ChronicleTab
from .consent_tab import ConsentTab
from .due_list import DueSoonWidget
from .form_page import FormPage
from .measures_tab import MeasuresTab
from .resource_map import ResourceMapTab
from .strategy_tab import StrategyTab


def tab_factories() -> list:
    """The case view's tabs, in order: each `(session, parent) -> (title, widget)`."""
    return [
        lambda s, p: (_("Intake survey"), FormPage(s, "intake", p)),
        lambda s, p: (_("Consent"), ConsentTab(s, p)),
        lambda s, p: (_("Profiling I"), FormPage(s, "social", p)),
        lambda s, p: (_("Profiling II"), FormPage(s, "work", p)),
        lambda s, p: (_("Resource map"), ResourceMapTab(s, p)),
        lambda s, p: (_("Will and strategy"), StrategyTab(s, p)),
        lambda s, p: (_("Measures"), MeasuresTab(s, p)),
        lambda s, p: (_("Appointments"), AppointmentsTab(s, p)),
        lambda s, p: (_("Chronicle"), ChronicleTab(s, p)),
    ]


def due_page(session, window):
    """The "due soon" page of the main window; a row opens its case in the case view."""
    widget = DueSoonWidget(session, window)

    def open_case(household_id: str, case_id: str) -> None:
        window.nav.setCurrentRow(0)
        window.case_view.show_case(household_id, case_id)

    widget.open_case.connect(open_case)
    return _("Due soon"), widget

