"""Takes a family of four through the guided intake as a person would: typed keys, clicks, choices.

Used by tests/ui/test_intake_flow.py and bench/bench_intake.py. `run_family_of_four(window)`
presses the case list's "New intake" button and answers each dialog of the flow as it
opens (they are modal: a timer finds the active one). It counts what a person does:
`keys` (characters typed and keys pressed), `clicks` (buttons) and `choices` (picks in a
list; each one is a click to open and one to pick).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QPushButton

FAMILY = "Haddad"
HOUSEHOLD = {"office": "AHL", "address": "Warendorfer Str. 12, 59227 Ahlen", "accommodation": "Gemeinschaftsunterkunft",
             "arrival": "03.09.2026"}


@dataclass
class Effort:
    keys: int = 0
    clicks: int = 0
    choices: int = 0
    seen: list[str] = field(default_factory=list)
    per_step: list[tuple[int, int]] = field(default_factory=list)  # (keys, choices) in each step after step 1

    def type(self, widget, text: str) -> None:
        QTest.keyClicks(widget, text)
        self.keys += len(text)

    def click(self, button: QPushButton) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.clicks += 1

    def choose(self, box: QComboBox, data) -> None:
        i = box.findData(data)
        assert i >= 0, (box.objectName(), data)
        box.setCurrentIndex(i)
        self.choices += 1


def fill_household(dialog, e: Effort) -> None:
    e.choose(dialog.office, HOUSEHOLD["office"])
    e.type(dialog.address, HOUSEHOLD["address"])
    e.type(dialog.accommodation, HOUSEHOLD["accommodation"])
    e.type(dialog.arrival, HOUSEHOLD["arrival"])
    ed = dialog.editor
    e.type(ed.family_name, FAMILY)
    e.type(ed.given_names, "Karim")
    e.type(ed.birth_date, "14.03.1985")
    e.choose(ed.sex, "m")
    e.choose(ed.nationality, "SY")
    e.click(ed.languages.add)  # Arabic, native language: the first row's default
    e.click(ed.languages.add)  # German
    e.choose(ed.languages.rows[1][2], "A2")
    e.choose(ed.interpreter, "ar")
    e.type(ed.phone, "+49 2382 555017")
    e.choose(ed.rechtskreis, "AsylbLG")
    add = dialog.findChild(QPushButton, "addMember")
    for given, born, sex in (("Layla", "1990", "f"), ("Yusuf", "05.2015", "m"), ("Mariam", "02.11.2022", "f")):
        e.click(add)  # family name, nationality, languages, interpreter come along; relation proposed
        e.type(ed.given_names, given)
        e.type(ed.birth_date, born)
        e.choose(ed.sex, sex)
    e.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Save))


def fill_steps(steps, e: Effort) -> None:
    from ui.intake_flow import ConsentStep, IntakeStep

    while steps.isVisible():
        page = steps.pages.currentWidget()
        e.seen.append(steps.heading.text())
        keys, choices = e.keys, e.choices
        if isinstance(page, ConsentStep):
            for key in ("aa", "jc", "soz"):
                e.choose(page.form.editors[key].w, "given")
        elif isinstance(page, IntakeStep):
            r = page.page.renderer
            if r.editors["residence_status"].value() is None:  # the second adult's come from the first
                e.choose(r.editors["residence_status"].w, "gestattung")
                e.type(r.editors["entry_date"].w, "06.2023")
                e.choose(r.editors["referred_by"].w, "sozialamt")
        e.per_step.append((e.keys - keys, e.choices - choices))
        before = steps.pages.currentIndex()
        e.click(steps.next_button)
        if steps.isVisible() and steps.pages.currentIndex() == before:
            raise AssertionError(f"step {before} not saved: {steps.message.text()}")


def run_family_of_four(window) -> Effort:
    """Press "New intake" in the case list and go through every step; returns the effort."""
    from ui.household_dialog import HouseholdDialog
    from ui.intake_flow import IntakeSteps

    e = Effort()
    done: set[int] = set()
    errors: list[BaseException] = []

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if w is None or id(w) in done or not w.isVisible():
            return
        done.add(id(w))
        try:
            if isinstance(w, IntakeSteps):
                fill_steps(w, e)
            elif isinstance(w, HouseholdDialog):
                fill_household(w, e)
                if w.isVisible():
                    raise AssertionError(f"household not saved: {w.errors}")
        except BaseException as exc:  # noqa: BLE001 - reported after the flow, the dialog is closed
            errors.append(exc)
            if isinstance(w, HouseholdDialog):
                w._snapshot = None  # nothing to ask: the run failed already
            w.reject()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        e.click(window.case_list.intake_button)
    finally:
        timer.stop()
    if errors:
        raise errors[0]
    return e

