"""Family O. from the Mülheim chronicle (2017), replayed through the GUI, then checked in the store.

Intake of four persons, consent, Profiling I, Profiling II (Ü25) for Mr O. with
seven years as a painter without proof, resource-map entries in all four
fields, FIM and integration course, the Dublin flag and the Rechtskreiswechsel.
"""

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.casework import CaseWork
from app.session import Session
from app.chronicle_text import event_text
from ui.casework.chronicle_tab import ChronicleTab
from ui.casework.consent_tab import ConsentTab
from ui.casework.due_list import DueSoonWidget
from ui.casework.form_page import FormPage
from ui.casework.measures_tab import COL_MEASURE, COL_STATUS, MeasuresTab
from ui.casework.resource_map import ResourceMapTab
from ui.casework.strategy_tab import StrategyTab
from ui.household_dialog import HouseholdDialog
from ui.main import build_main_window

PASS = "richtig-geheim"
SHOTS = os.environ.get("SPRECHSTUNDE_SCREENSHOTS")


def shot(widget, name):
    if SHOTS:
        for _ in range(3):  # let pending layout requests and queued shows settle
            QApplication.processEvents()
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def open_window(qtbot, tmp_path, monkeypatch, settle):
    monkeypatch.setattr("ui.lock_screen.RecoveryKeyDialog.exec", lambda self: 0)
    win = build_main_window(Session(tmp_path / "store"))
    qtbot.addWidget(win)
    win.resize(1400, 950)
    win.show()
    ls = win.lock_screen
    ls.login.setEditText("anna")
    qtbot.keyClicks(ls.passphrase, PASS)
    qtbot.keyClicks(ls.repeat, PASS)
    qtbot.keyClick(ls.repeat, Qt.Key.Key_Return)
    settle()
    assert win.session.is_open
    return win


def member(dlg, qtbot, given, born, relation, case=None):
    ed = dlg.editor
    ed.relation.setCurrentIndex(ed.relation.findData(relation))
    ed.family_name.clear()
    qtbot.keyClicks(ed.family_name, "O.")
    qtbot.keyClicks(ed.given_names, given)
    qtbot.keyClicks(ed.birth_date, born)
    ed.has_case.setChecked(case is not None)
    if case:
        ed.rechtskreis.setCurrentIndex(ed.rechtskreis.findData(case))


def keys(qtbot, widget, text):
    """Type text as key events; QTest.keyClicks aborts on some non-ASCII characters."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def tab(win, cls, mode=None):
    for i, w in enumerate(win.case_view.tab_widgets):
        if isinstance(w, cls) and (mode is None or w.mode == mode):
            win.case_view.tabs.setCurrentIndex(i)
            return w
    raise AssertionError(cls)


def fill(qtbot, renderer, values):
    """Type and choose like a person: text by key clicks, choices by their value."""
    for key, value in values.items():
        ed = renderer.editors[key]
        if ed.field.type in ("text", "number", "date", "partial_date"):
            ed.w.clear() if hasattr(ed.w, "clear") else None
            keys(qtbot, ed.w, str(value))
        elif ed.field.type == "multi_choice":
            for cb in ed.checks:
                cb.setChecked(cb.property("value") in value)
        elif ed.field.type in ("cefr", "records"):
            for rec in value:
                ed.w.add.click()
                for sub in ed.w.rows[-1][1]:
                    v = rec.get(sub.field.key)
                    if v is None:
                        continue
                    if sub.field.type in ("text", "number"):
                        keys(qtbot, sub.w, str(v))
                    else:
                        sub.w.setCurrentIndex(sub.w.findData(v))
        else:
            ed.w.setCurrentIndex(ed.w.findData(value))


def test_family_o_through_the_gui(qtbot, tmp_path, settle, monkeypatch, answer_questions):
    win = open_window(qtbot, tmp_path, monkeypatch, settle)
    # -- intake of four persons (household dialog of the case view) -------------------
    dlg = HouseholdDialog(win.session, None, win)
    qtbot.addWidget(dlg)
    dlg.office.setCurrentIndex(dlg.office.findData("AHL"))
    member(dlg, qtbot, "Karim", "14.03.1985", "head", "AsylbLG")
    dlg.add_member()
    member(dlg, qtbot, "Layla", "1990", "spouse", "AsylbLG")
    dlg.add_member()
    member(dlg, qtbot, "Yusuf", "05.2013", "child")
    dlg.add_member()
    member(dlg, qtbot, "Mariam", "02.11.2015", "child")
    dlg.save()
    assert dlg.result() == 1, dlg.errors
    win.refresh()
    cw = CaseWork(win.session._repo)
    rows = {r.given_names: r for r in win.session.case_rows()}
    karim, layla = rows["Karim"], rows["Layla"]
    win.case_view.show_case(karim.household_id, karim.case_id)

    # the intake survey: a missing required answer is reported at the field, nothing is saved
    intake = tab(win, FormPage, "intake")
    fill(qtbot, intake.renderer, {"country_of_origin": "iraq", "interpreter_needed": True,
                                  "residence_status": "gestattung"})
    assert intake.renderer.is_visible("interpreter_language") and not intake.renderer.is_visible("permit_paragraph")
    intake.date.setText("26.06.2017")
    qtbot.mouseClick(intake.save_button, Qt.MouseButton.LeftButton)
    assert intake.renderer.errors["entry_date"].isVisibleTo(intake) and intake.dirty
    assert cw.responses.for_case(karim.case_id) == [] and cw.chronicle.events(karim.case_id) == []
    shot(win, "e2e_intake_errors")
    fill(qtbot, intake.renderer, {"interpreter_language": "Arabisch", "entry_date": "06.2016",
                                  "asylum_application_date": "01.08.2016", "accommodation": "reception",
                                  "accommodation_address": "Mintarder Straße, Haus 4", "household_size": 4,
                                  "children_under_6": 2, "referred_by": "sozialamt"})
    field = intake.renderer.editors["accommodation_address"].w
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    assert not intake.dirty, intake.status.text()
    assert cw.responses.latest_answers(karim.case_id, "intake")["entry_date"] == "2016-06"

    # unsaved changes are protected when the case changes
    keys(qtbot, intake.renderer.editors["remarks"].w, "kommt mit Dolmetscher")
    answer_questions("save")
    win.case_view.show_case(layla.household_id, layla.case_id)
    assert cw.responses.latest_answers(karim.case_id, "intake")["remarks"] == "kommt mit Dolmetscher"
    fill(qtbot, intake.renderer, {"country_of_origin": "iraq", "interpreter_needed": True,
                                  "interpreter_language": "Arabisch", "residence_status": "gestattung",
                                  "entry_date": "06.2016", "accommodation": "reception", "referred_by": "sozialamt"})
    intake.date.setText("26.06.2017")
    assert intake.save()
    answer_questions("cancel")
    win.case_view.show_case(karim.household_id, karim.case_id)

    # -- consent per agency ---------------------------------------------------------
    consent = tab(win, ConsentTab)
    fill(qtbot, consent.form, {"aa": "given", "jc": "given", "soz": "given", "signed_on": "26.06.2017",
                               "document_language": "Arabisch"})
    qtbot.mouseClick(consent.save_button, Qt.MouseButton.LeftButton)
    assert "Agentur" in consent.glance.text() or "AA" in consent.glance.text()
    assert consent.model.rowCount() == 3
    shot(win, "e2e_consent")

    # -- Profiling I (social, SAF) on 06.07.2017 -----------------------------------------
    social = tab(win, FormPage, "social")
    social.date.setText("06.07.2017")
    fill(qtbot, social.renderer, {"appeared": "on_time",
                                  "impression": ["cooperative", "interested", "open", "stable", "self_reliant"],
                                  "needs": ["kindergarten", "child_checkup", "literacy_course", "integration_course"],
                                  "childcare_by_client": False, "available_for_work": True, "wants_work": True,
                                  "referred_to_ifk": True})
    assert social.save(), social.renderer.raw_values()

    # -- Profiling II (Ü25) for Mr O.: seven years painter, no proof ------------------------
    work = tab(win, FormPage, "work")
    work.date.setText("06.07.2017")
    work._refresh_proposal()
    assert work.choice.currentData() == "profiling_ue25" and "32" in work.proposal.text()
    fill(qtbot, work.renderer, {
        "languages": [{"language": "Arabisch", "level": "native"}], "literate": "other_script",
        "school_years": 9, "school_type": "lower_secondary",
        "work_experience": [{"occupation": "Maler und Lackierer", "years": 7, "proof": False},
                            {"occupation": "Kämpfer gegen den IS", "proof": False}],
        "driving_licence": "none", "driving_experience": True, "computer_skills": "basic",
        "wish": "work", "wish_occupation": "Maler/Lackierer"})
    shot(win, "e2e_profiling_ue25")
    assert work.save(), work.renderer.raw_values()

    # -- resource map: one entry per field --------------------------------------------
    rmap = tab(win, ResourceMapTab)
    rmap.date.setText("06.07.2017")
    for quadrant, text, source in [("persoenlich", "pünktlich, hohe Bleibeperspektive", "SAF"),
                                   ("sozial", "Familie hält zusammen, offen", "SAF"),
                                   ("materiell", "Gesundheitskarte, Sozialticket beantragt", "AsylbLG"),
                                   ("infrastrukturell", "findet Wege selbst anhand von Wegbeschreibungen", "SAF")]:
        q = rmap.quadrants[quadrant]
        keys(qtbot, q.text, text)
        qtbot.keyClicks(q.source, source)
        qtbot.keyClick(q.text, Qt.Key.Key_Return)
        assert q.model.rowCount() == 1
    shot(win, "e2e_resource_map")

    # -- will and a goal ----------------------------------------------------------------
    strategy = tab(win, StrategyTab)
    strategy.date.setText("06.07.2017")
    keys(qtbot, strategy.will, "Ich möchte als Maler arbeiten.")
    strategy.will_button.click()
    assert "Maler" in strategy.current.text()

    # -- measures: FIM (registered, then started) and the integration course --------------
    measures = tab(win, MeasuresTab)
    measures.catalogue.setCurrentIndex(measures.catalogue.findData("fim"))
    measures.new_status.setCurrentIndex(measures.new_status.findData("registered"))
    qtbot.keyClicks(measures.provider, "Diakonie (Service und Renovierung)")
    measures.new_date.setText("06.07.2017")
    measures.add_button.click()
    assert measures.selected_id() is not None
    measures.status.setCurrentIndex(measures.status.findData("started"))
    measures.status_date.setText("15.07.2017")
    measures.status_button.click()
    measures.catalogue.setCurrentIndex(measures.catalogue.findData("integrationskurs"))
    measures.new_status.setCurrentIndex(measures.new_status.findData("registered"))
    measures.provider.clear()
    measures.new_date.setText("06.07.2017")
    measures.add_button.click()
    model = measures.model
    assert sorted(model.data(model.index(r, COL_MEASURE)) for r in range(model.rowCount())) == \
        sorted([cw.catalogue.name("fim"), cw.catalogue.name("integrationskurs")])
    assert model.data(model.index(0, COL_STATUS)) in ("begonnen", "started")
    shot(win, "e2e_measures")

    # -- chronicle: Rechtskreiswechsel and the Dublin flag on 12.09.2017, a note ------------
    chron = tab(win, ChronicleTab)
    chron.date.setText("12.09.2017")
    chron.rechtskreis.setCurrentIndex(chron.rechtskreis.findData("SGB II"))
    chron.rk_button.click()
    assert "SGB II" in win.case_view.members.text()  # the header follows the Rechtskreiswechsel
    chron.flag.setCurrentIndex(chron.flag.findData("dublin"))
    keys(qtbot, chron.flag_text, "ABH: eigene Wohnung nicht möglich")
    chron.flag_button.click()
    chron.date.setText("19.09.2017")
    keys(qtbot, chron.note, "Termin AA wahrgenommen; Sprachkurs zur Überbrückung bis November.")
    qtbot.keyClick(chron.note, Qt.Key.Key_Return)
    assert not chron.error.isVisible(), chron.error.text()
    chron.whole_household.setChecked(True)
    shot(win, "e2e_chronicle")

    # -- the stored state ----------------------------------------------------------------
    c = karim.case_id
    intake_answers = cw.responses.latest_answers(c, "intake")
    assert intake_answers["residence_status"] == "gestattung" and intake_answers["country_of_origin"] == "iraq"
    assert cw.consent.may_receive(c) == [("AA", None), ("JC", None), ("SOZ", None)]
    row = cw.profiling.latest_work(c)
    assert row["form_id"] == "profiling_ue25" and row["form_version"] == 1 and row["date"] == "2017-07-06"
    answers = cw.responses.answers(row["id"])
    assert answers["work_experience"][0] == {"occupation": "Maler und Lackierer", "years": 7, "proof": False}
    assert answers["languages"] == [{"language": "Arabisch", "level": "native"}]
    assert {q: len(v) for q, v in cw.resources.by_quadrant(c).items()} == \
        {"persoenlich": 1, "sozial": 1, "materiell": 1, "infrastrukturell": 1}
    assert {m["catalogue_id"]: (m["status"], m.get("start_date")) for m in cw.measures.for_case(c)} == \
        {"fim": ("started", "2017-07-15"), "integrationskurs": ("registered", None)}
    assert cw.chronicle.flags(c) == ["dublin"]
    assert win.session._repo.get("case", c)["rechtskreis"] == "SGB II"
    kinds = [(e["date"], e["kind"]) for e in cw.chronicle.events(c)]
    assert kinds == [
        ("2017-06-26", "intake"), ("2017-06-26", "consent"), ("2017-07-06", "profiling"),
        ("2017-07-06", "profiling"), ("2017-07-06", "goal"), ("2017-07-06", "measure"), ("2017-07-06", "measure"),
        ("2017-07-15", "measure"), ("2017-09-12", "rechtskreis"), ("2017-09-12", "flag"), ("2017-09-19", "note"),
    ]
    texts = [event_text(e, "de") for e in cw.chronicle.events(c)]
    assert any("Dublin" in t and "ABH" in t for t in texts) and any("FIM" in t and "Diakonie" in t for t in texts)
    household = cw.chronicle.household_events(karim.household_id)
    assert {e["case_id"] for e in household} == {karim.case_id, layla.case_id}
    assert chron.model.rowCount() == len(household)

    # -- the due list across cases ---------------------------------------------------------
    win.nav.setCurrentRow(next(i for i in range(win.nav.count()) if isinstance(win.pages.widget(i), DueSoonWidget)))
    due = win.pages.currentWidget()
    due.refresh()  # today: the cases were opened today (by the household dialog), the family came in 2016
    settle()  # the due list is read on its own connection, off the GUI thread
    rules = {(due.model.rows[r].case_id, due.model.rows[r].hint.rule_id) for r in range(due.model.rowCount())}
    assert (layla.case_id, "consent_missing") in rules and (karim.case_id, "dublin_check") in rules
    assert (layla.case_id, "asylblg_waiting_15m") in rules  # still AsylbLG, 15 months long past
    assert (karim.case_id, "consent_missing") not in rules and (karim.case_id, "asylblg_waiting_15m") not in rules
    shot(win, "e2e_due_list")
