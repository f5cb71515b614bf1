"""From the case view: the interpreter view feeds the open questionnaire; documents print in two languages."""

import io

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QLineEdit
from pypdf import PdfReader

from app.repository import Repository
from tests.app.family_o import register_family


def test_interpreter_view_from_the_intake_tab(qtbot, store, window_for, settle):
    repo = Repository(store)
    res = register_family(repo)
    repo.save("person", {"interpreter_language": "ar"}, res.person_ids[0])
    win = window_for(store)
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    assert view.client_lang.currentData() == "ar"  # proposed from the interpreter language
    view.tabs.setCurrentIndex(0)  # the intake survey
    page = view.tabs.currentWidget()
    interp = view.open_interpreter()
    assert interp.lang == "ar" and not interp.read_only
    field = interp._editors["accommodation_address"]
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "Mintarder Str. 4")
    assert page.renderer.values()["accommodation_address"] == "Mintarder Str. 4"
    assert page.dirty
    # on a tab without a questionnaire the view shows questions only, nothing of the case
    view.tabs.setCurrentIndex(view.tabs.count() - 1)  # the chronicle
    ro = view.open_interpreter()
    assert ro.read_only and not ro._editors
    texts = " ".join(w.text() for w in ro.findChildren(QLabel))
    assert "Karim" not in texts and "O." not in texts.split()
    with qtbot.waitSignal(view.preview_opened, timeout=20_000) as opened:
        view.print_document("consent")
    preview = opened.args[0]
    win.lock()
    assert not ro.isVisible() and not interp.isVisible() and not preview.isVisible()  # closed with the lock
    # and destroyed, not merely hidden: the answers typed there do not stay in memory
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(w) for w in (interp, ro, preview))


def test_print_consent_in_german_and_tigrinya(qtbot, store, window_for, settle):
    repo = Repository(store)
    res = register_family(repo)
    win = window_for(store)
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    view.client_lang.setCurrentIndex(view.client_lang.findData("ti"))
    with qtbot.waitSignal(view.preview_opened, timeout=20_000) as opened:
        view.print_document("consent")
    dialog = opened.args[0]
    settle()  # the access log is written by the worker session before the preview opens
    assert dialog.pages  # preview rendered
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert "Einverständniserklärung" in text
    assert any("\u1200" <= ch <= "\u137f" for ch in text)  # Ge'ez script present
    assert "Karim" not in dialog.suggested_name  # no personal data in the file name
    accesses = store.conn.execute("SELECT action FROM audit_trail WHERE action LIKE 'print:%'").fetchall()
    assert accesses == [("print:consent",)]


def test_each_case_tab_opens_its_own_questions(qtbot, store, window_for):
    from ui.casework.consent_tab import ConsentTab
    from ui.casework.form_page import FormPage
    from ui.casework.resource_map import ResourceMapTab

    res = register_family(Repository(store))
    win = window_for(store)
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    view.client_lang.setCurrentIndex(view.client_lang.findData("fa"))
    seen = {}
    for widget in view.tab_widgets:
        view.tabs.setCurrentWidget(widget)
        interp = view.open_interpreter()
        seen[type(widget).__name__ + ":" + getattr(widget, "mode", "")] = (interp.form.id, interp.read_only)
        if isinstance(widget, ResourceMapTab):  # its prompts, read aloud; the entries go into the quadrants
            assert (interp.form.id, interp.read_only) == ("resource_map", True)
            assert interp.form_box.currentData() == "resource_map"
        elif isinstance(widget, (FormPage, ConsentTab)):  # the tab's questionnaire, answers fed back
            assert interp.form.id == widget.renderer.form.id and not interp.read_only
        else:  # no questionnaire of its own: the chooser of all of them
            assert interp.read_only and interp.form_box.count() >= 5
        interp.close()
    assert [form for form, _ro in seen.values()][:5] == [
        "intake", "consent", "profiling_social", seen["FormPage:work"][0], "resource_map"]
    assert seen["FormPage:work"][0] in ("profiling_u25", "profiling_ue25")
    # an answer given in the consent tab's interpreter view lands in the declaration being written
    consent = next(w for w in view.tab_widgets if isinstance(w, ConsentTab))
    view.tabs.setCurrentWidget(consent)
    interp = view.open_interpreter()
    box = interp._editors["jc"]
    box.setCurrentIndex(box.findData("given"))
    assert consent.renderer.values()["jc"] == "given" and consent.dirty
    interp.close()


def test_a_case_shown_in_part_reads_the_tabs_questions_only(qtbot, tmp_path):
    """Staff of the employment agency without the client's consent see the booking part of the case: the
    consent tab's interpreter view reads the consent questions aloud, no answers, nothing of the case."""
    from app.session import Session
    from tests.access import world as W
    from tests.conftest import PASSPHRASE
    from ui.casework.consent_tab import ConsentTab
    from ui.main import build_main_window

    world = W.build(tmp_path / "store")
    session = Session(world.path)
    session.unlock(PASSPHRASE, W.login("AA", "ifk"))
    win = build_main_window(session)
    qtbot.addWidget(win)
    win.show()
    case_id, _number = world.cases["refused"]
    row = next(r for r in session.case_rows() if r.case_id == case_id)
    view = win.case_view
    view.show_case(row.household_id, case_id)
    assert view.decision.level == "own"  # no consent: the booking and what the agency recorded itself
    view.tabs.setCurrentIndex(next(i for i in range(view.tabs.count())
                                   if isinstance(view.tabs.widget(i), ConsentTab)))
    interp = view.open_interpreter()
    assert (interp.form.id, interp.read_only, interp.answers()) == ("consent", True, {})
    assert "Haddad" not in " ".join(w.text() for w in interp.findChildren(QLabel))
    interp.close()
