"""The case header's "next steps": due items, next appointment, open measures and conflicts, one line each.

`NextStepsPanel.show_for(session, case_id)` reads `Session.next_steps` (app.next_steps); each
line is a link and emits `jump(target)` with the tab it concerns ("chronicle" for due items,
"appointments", "measures", "consent", "intake") or "conflicts" for the conflicts page.
`tab_index(tab_widgets, target)` finds the case view's tab for a target.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.measures import STATUS_LABELS
from i18n import _, ngettext

from .casework.common import show_date

TAB_KINDS = {"ConsentTab": "consent", "MeasuresTab": "measures", "AppointmentsTab": "appointments",
             "ChronicleTab": "chronicle"}


def tab_index(tab_widgets, target: str) -> int:
    for i, w in enumerate(tab_widgets):
        kind = TAB_KINDS.get(type(w).__name__) or (getattr(w, "mode", None) == "intake" and "intake")
        if kind == target:
            return i
    return -1


class NextStepsPanel(QWidget):
    jump = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("nextSteps")
        self.lines: dict[str, QLabel] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        lay.setSpacing(1)
        for key in ("missing", "due", "appointment", "measures", "conflicts"):
            lab = QLabel()
            lab.setObjectName(f"nextSteps_{key}")
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setWordWrap(True)  # a long measure or due title wraps instead of widening the case view
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                        | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            lab.linkActivated.connect(self.jump)
            lab.hide()
            lay.addWidget(lab)
            self.lines[key] = lab
        self.hide()

    def _set(self, key: str, target: str, text: str, warn: bool = False) -> None:
        lab = self.lines[key]
        style = ' style="color:#b00020"' if warn else ""
        lab.setText(f'<a href="{target}"{style}>{escape(text)}</a>')
        lab.setToolTip(_("Open the tab"))
        lab.show()

    def clear(self) -> None:
        for lab in self.lines.values():
            lab.clear()
            lab.hide()
        self.hide()

    def show_for(self, session, case_id: str | None) -> None:
        self.clear()
        if not case_id or not session.is_open:
            return
        ns = session.next_steps(case_id)
        if ns.missing:
            names = {"consent": _("consent declaration"), "intake": _("intake survey")}
            self._set("missing", ns.missing[0], _("Still to record: {items}").format(
                items=", ".join(names[m] for m in ns.missing)), warn=True)
        if ns.due:
            first = ns.due[0]
            when = show_date(first.due.isoformat()) if first.due else ""
            text = ngettext("{n} item due", "{n} items due", len(ns.due)).format(n=len(ns.due))
            if ns.overdue:
                text += " " + ngettext("({n} overdue)", "({n} overdue)", ns.overdue).format(n=ns.overdue)
            text += f": {first.title}" + (f" ({when})" if when else "")
            self._set("due", "chronicle", text, warn=bool(ns.overdue))
        a = ns.next_appointment
        if a:
            starts = a.get("starts_at") or ""
            self._set("appointment", "appointments", _("Next appointment: {when} {time} – {purpose}").format(
                when=show_date(starts[:10]), time=starts[11:16], purpose=a.get("purpose") or ""))
        else:
            self._set("appointment", "appointments", _("No appointment planned"))
        if ns.open_measures:
            parts = [f"{m['name']} ({_(STATUS_LABELS.get(m.get('status'), m.get('status') or ''))})"
                     for m in ns.open_measures[:3]]
            more = len(ns.open_measures) - len(parts)
            self._set("measures", "measures", ngettext("{n} open measure", "{n} open measures",
                                                       len(ns.open_measures)).format(n=len(ns.open_measures))
                      + ": " + ", ".join(parts) + (f" +{more}" if more > 0 else ""))
        if ns.conflicts:
            self._set("conflicts", "conflicts", ngettext("{n} conflict waits for a decision",
                                                         "{n} conflicts wait for a decision",
                                                         ns.conflicts).format(n=ns.conflicts), warn=True)
        self.show()
