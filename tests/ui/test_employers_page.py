"""The employer page and the case's "Stellenangebote" tab on a real store, driven like a person would: employers
and offers typed into their dialogs (bad input refused whole), candidates ranked with their sentence, and a
client placed step by step up to the start of the job."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, Qt

import i18n
from app.casework import CaseWork
from app.employers import Employers
from app.session import Session
from tests.app.employer_kit import TODAY, client, employer_with_offer
from tests.conftest import PASSPHRASE
from ui.employers_case_tab import WorkOffersTab
from ui.employers_page import EmployersPage
from ui.models import ROW_ROLE

CLICK = Qt.MouseButton.LeftButton


def _session(store) -> Session:
    s = Session(store.path)
    s.attach(store)
    return s


def cells(model, row):
    return [model.index(row, c).data() for c in range(model.columnCount())]


def rows(view):
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def found(qtbot, page):
    """Wait until the page shows the candidates it looked for off the GUI thread."""
    qtbot.waitUntil(lambda: not page.searching(), timeout=15_000)


def world(repo):
    repo.today = TODAY
    cw = CaseWork(repo)
    emp = Employers(cw.repo, cw.rules, cw.chronicle, cw.consent)
    best = client(cw, "BEC", family="Eins")
    a2 = client(cw, "AHL", family="Zwei", german="A2")
    eid, offer = employer_with_offer(emp)
    return cw, emp, best, a2, eid, offer


def test_candidates_ranked_and_a_client_placed_up_to_the_start(qtbot, store, repo):
    _cw, emp, best, a2, eid, offer = world(repo)
    page = EmployersPage(_session(store), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    assert page.count.text() == "Kandidatinnen und Kandidaten werden gesucht …"  # off the GUI thread
    found(qtbot, page)
    assert rows(page.employer_view) == [["Malerbetrieb Sonnenschein", "Beckum", "1"]]
    assert rows(page.offer_view) == [["Maler/in (Helfer)", "Stelle", "01.07.2026", "B1", "offen"]]
    assert page.offer_info.text() == ("Stelle · Maler/in und Lackierer/in (33212) · Deutsch B1 · Führerschein Klasse B · Arbeitserlaubnis "
                                    "nötig · 38 Std./Woche · ab 01.07.2026 · Beckum, höchstens 45 Min. mit Bus und Bahn")
    assert page.count.text() == "1 geeignet von 2 offenen Fällen."
    [first] = rows(page.candidate_view)  # only the suitable one
    assert first[:3] == ["1", "Test Eins", "51"] and first[3].startswith("7 Jahre Berufserfahrung: Maler (mit Nachweis)")
    page.only_suitable.setChecked(False)
    second = rows(page.candidate_view)[1]
    assert second[1:3] == ["Test Zwei", "nicht geeignet"] and "B1 Deutsch fehlt, A2 vorhanden" in second[3]
    page.candidate_view.setCurrentIndex(page.candidate_view.model().index(1, 0))
    panel = page.panel
    assert not panel.buttons["propose"].isEnabled()  # a hard requirement fails: cannot be proposed
    assert "Kann nicht vorgeschlagen werden: B1 Deutsch fehlt, A2 vorhanden" in panel.state.text()
    # the suitable one, step by step
    page.candidate_view.setCurrentIndex(page.candidate_view.model().index(0, 0))
    assert panel.case_id == best and panel.why.text().startswith("Test Eins: 7 Jahre Berufserfahrung")
    panel.date.setText("02.06.2026")
    qtbot.mouseClick(panel.buttons["propose"], CLICK)
    assert not panel.error.isVisible(), panel.error.text()
    found(qtbot, page)
    assert rows(page.candidate_view)[0][4] == "der Person vorgeschlagen"
    assert panel.case_id == best and panel.buttons["accept"].isEnabled()
    qtbot.mouseClick(panel.buttons["accept"], CLICK)
    assert not panel.buttons["send"].isEnabled() and "Noch keine Einwilligung für Malerbetrieb Sonnenschein" \
        in panel.state.text()
    qtbot.mouseClick(panel.buttons["consent"], CLICK)
    assert panel.buttons["send"].isEnabled() and "Einwilligung für Malerbetrieb Sonnenschein erteilt am 02.06.2026" \
        in panel.state.text()
    qtbot.mouseClick(panel.buttons["send"], CLICK)
    dialog = panel.send_dialog
    assert dialog is not None and dialog.isVisible()
    assert "Deutschniveau: B1" in dialog.preview.toPlainText() and "Name: Test Eins" in dialog.preview.toPlainText()
    dialog.boxes["name"].setChecked(False)  # the employer gets no name yet
    assert "Name:" not in dialog.preview.toPlainText()
    qtbot.mouseClick(dialog.send_button, CLICK)
    assert set(panel.sent) == {"german", "languages", "experience", "driving_licence", "available_from"}
    sent = emp.placements(best)[0]
    assert sent["status"] == "sent" and "name" not in sent["sent_fields"]
    for step in ("invited", "hired"):
        qtbot.mouseClick(panel.buttons[step], CLICK)
        assert not panel.error.isVisible(), panel.error.text()
    panel.notes.setText("Beginn in Vollzeit")
    qtbot.mouseClick(panel.buttons["started"], CLICK)
    found(qtbot, page)
    assert emp.placements(best)[0]["status"] == "started"
    # the one place is taken: the offer is filled and stays in view
    assert page.all_offers.isChecked() and rows(page.offer_view)[0][4] == "besetzt"
    assert rows(page.employer_view)[0][2] == "0"
    assert not panel.buttons["propose"].isEnabled()


def test_candidates_are_found_off_the_gui_thread_and_a_stale_result_is_dropped(qtbot, store, repo):
    _cw, emp, _best, _a2, eid, offer = world(repo)
    easy = emp.save_offer({"employer_id": eid, "kind": "internship", "title": "Praktikum Lager", "town": "BEC",
                           "german_level": "A2", "work_permit_needed": False, "start_date": "2026-06-15"})
    page = EmployersPage(_session(store), today=TODAY)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    found(qtbot, page)
    view = page.offer_view
    suitable = {offer: ["Test Eins"], easy: ["Test Eins", "Test Zwei"]}  # (the internship needs A2 German only)
    first = selected(view)["id"]
    assert sorted(r[1] for r in rows(page.candidate_view)) == suitable[first]
    other = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data(ROW_ROLE)["id"] != first)
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    pool.setMaxThreadCount(1)  # the searches run one after the other: the first one's result comes first
    shown = []
    page.candidate_model.modelReset.connect(
        lambda: shown.append(sorted(page.candidate_model.index(r, 1).data()
                                    for r in range(page.candidate_model.rowCount()))))
    try:
        view.setCurrentIndex(view.model().index(other, 0))
        view.setCurrentIndex(view.model().index(1 - other, 0))  # back, before the other one's search is done
        assert page.searching() and page.count.text() == "Kandidatinnen und Kandidaten werden gesucht …"
        assert page.candidate_model.rowCount() == 0  # the list waits for the offer's own candidates
        page.all_offers.setChecked(True)  # the page takes input meanwhile (and looks again)
        found(qtbot, page)
        qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=15_000)
    finally:
        pool.setMaxThreadCount(threads)
    assert selected(view)["id"] == first
    assert page.count.text() == f"{len(suitable[first])} geeignet von 2 offenen Fällen."
    assert sorted(r[1] for r in rows(page.candidate_view)) == suitable[first]
    # the other offer's result, which came back first, never reached the list
    assert [x for x in shown if x] == [suitable[first]], shown


def test_employer_and_offer_dialogs_refuse_bad_input_whole(qtbot, store, repo):
    _cw, emp, _best, _a2, eid, _offer = world(repo)
    page = EmployersPage(_session(store), today=TODAY)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    found(qtbot, page)
    qtbot.mouseClick(page.new_employer, CLICK)
    d = page.dialog
    d.email.setText("kein-mail")
    qtbot.mouseClick(d.save_button, CLICK)
    assert d.isVisible() and d.error.text().splitlines() == [
        "Bitte den Namen des Arbeitgebers eingeben.", "Bitte einen Ort im Kreis wählen.",
        "Das ist keine E-Mail-Adresse."]
    assert d.name.styleSheet() and d.email.styleSheet() and not d.sector.styleSheet()
    assert len(emp.employers()) == 1  # nothing saved
    qtbot.keyClicks(d.name, "Pflegedienst Lindenhof")
    d.town.setCurrentIndex(d.town.findData("AHL"))
    d.email.setText("info@lindenhof.example")
    qtbot.mouseClick(d.save_button, CLICK)
    assert not d.isVisible()
    assert selected(page.employer_view)["name"] == "Pflegedienst Lindenhof" and page.offer_model.rowCount() == 0
    # an offer: unknown occupation and impossible date, then right
    qtbot.mouseClick(page.new_offer, CLICK)
    o = page.dialog
    assert o.employer.currentText() == "Pflegedienst Lindenhof"
    o.start.setText("31.02.2026")
    qtbot.mouseClick(o.save_button, CLICK)
    assert o.isVisible() and o.error.isVisible() and o.start.styleSheet()
    o.start.setText("01.08.2026")
    o.occupation.setEditText("Astronaut")
    qtbot.mouseClick(o.save_button, CLICK)
    assert o.error.text().splitlines() == ["Bitte einen Titel eingeben.",
                                           "Unbekannter Berufsschlüssel Astronaut (KldB 2010).",
                                           "Bitte einen Ort im Kreis wählen."]
    assert emp.offers() and len(emp.offers()) == 1  # still only the first employer's offer
    qtbot.keyClicks(o.title, "Betreuungskraft")
    o.occupation.setEditText("Seniorenbetreuung")  # a word of the classification
    assert o.occupation_code() == "82101"
    o.german.setCurrentIndex(o.german.findData("A2"))
    o.languages[0][0].setCurrentIndex(o.languages[0][0].findData("en"))  # a language without a level
    o.town.setCurrentIndex(o.town.findData("AHL"))
    o.hours.setValue(30)
    qtbot.mouseClick(o.save_button, CLICK)
    assert o.error.text() == "Jede Sprache braucht einen Code und ein Niveau."
    o.languages[0][1].setCurrentIndex(o.languages[0][1].findData("A2"))
    qtbot.mouseClick(o.save_button, CLICK)
    assert not o.isVisible()
    saved = selected(page.offer_view)
    assert saved["occupation"] == "82101" and saved["languages"] == [{"code": "en", "level": "A2"}]
    assert saved["start_date"] == "2026-08-01" and saved["hours"] == 30
    assert page.offer_info.text().startswith("Stelle · Altenpflegehelfer/in (82101) · Deutsch A2 · en A2")
    # changing it keeps what was not touched
    qtbot.mouseClick(page.change_offer, CLICK)
    c = page.dialog
    assert c.occupation.currentData() == "82101" and c.start.text() == "01.08.2026"
    c.places.setValue(3)
    qtbot.mouseClick(c.save_button, CLICK)
    assert emp.offer(saved["id"])["places"] == 3 and emp.offer(saved["id"])["languages"] == saved["languages"]
    found(qtbot, page)


def selected(view):
    idx = view.selectionModel().currentIndex()
    return idx.data(ROW_ROLE)


def test_roles_without_case_data_see_employers_but_no_candidates(qtbot, store, repo):
    world(repo)
    store.add_member("dolmetsch", PASSPHRASE, "Samir", "KI", "interpreter")
    s = Session(store.path)
    s.unlock(PASSPHRASE, "dolmetsch")
    page = EmployersPage(s, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    found(qtbot, page)
    assert rows(page.employer_view)[0][0] == "Malerbetrieb Sonnenschein"
    assert not page.new_employer.isVisible() and not page.change_offer.isVisible()
    assert page.candidate_model.rowCount() == 0
    assert page.count.text() == "Ihre Rolle zeigt keine Kandidatinnen und Kandidaten (keine Falldaten)."
    s.lock()


def test_case_tab_lists_matching_offers_and_the_history(qtbot, store, repo):
    cw, emp, best, _a2, eid, offer = world(repo)
    emp.save_offer({"employer_id": eid, "kind": "apprenticeship", "title": "Ausbildung Koch/Köchin",
                    "occupation": "29302", "german_level": "C1", "town": "AHL", "work_permit_needed": True})
    session = _session(store)
    tab = WorkOffersTab(session, today=TODAY)
    qtbot.addWidget(tab)
    tab.show()
    household = repo.get("case", best)["household_id"]
    tab.set_case(household, best)
    assert tab.summary.text() == "1 von 2 offenen Angeboten passen."
    lines = [tab.offer_model.index(r, 0).data() for r in range(tab.offer_model.rowCount())]
    assert lines == ["1. Maler/in (Helfer) – Malerbetrieb Sonnenschein, Beckum: geeignet\n"
                     "7 Jahre Berufserfahrung: Maler (mit Nachweis), Deutsch B1, Führerschein, 15 Min. mit Bus und Bahn."]
    tab.only_suitable.setChecked(False)
    assert "C1 Deutsch fehlt, B1 vorhanden" in tab.offer_model.index(1, 0).data()
    tab.offer_view.setCurrentIndex(tab.offer_model.index(0, 0))
    qtbot.mouseClick(tab.panel.buttons["propose"], CLICK)
    qtbot.mouseClick(tab.panel.buttons["decline"], CLICK)
    assert rows(tab.history_view) == [["01.06.2026", "Maler/in (Helfer) bei Malerbetrieb Sonnenschein",
                                       "von der Person abgelehnt", "01.06.2026"]]
    assert "abgelehnt" in tab.offer_model.index(0, 0).data()
    why = tab.history_view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # from the stored facts
    assert why.startswith("7 Jahre Berufserfahrung: Maler (mit Nachweis), Deutsch B1")
    i18n.set_language("en")  # an English colleague reads the same proposal
    try:
        assert tab.history_view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole).startswith(
            "7 years of experience: Maler (with proof), German B1")
    finally:
        i18n.set_language("de")
    assert tab.panel.buttons["propose"].isEnabled()  # declined: may be proposed again later
    from app.chronicle_text import event_text

    events = [event_text(e, "de") for e in cw.chronicle.events(best) if e["kind"] == "placement"]
    assert events[0].startswith("Angebot der Person vorgeschlagen: Maler/in (Helfer) bei Malerbetrieb Sonnenschein")


def test_case_view_gives_the_tab_only_cases_shown_in_full(qtbot, store, repo, window_for, settle):
    cw, _emp, best, _a2, _eid, _offer = world(repo)
    no_consent = client(cw, "BEC", family="Drei", consent_aa=False)
    store.add_member("aa.ifk", PASSPHRASE, "Ina", "AA", "ifk")
    store.close()
    s = Session(store.path)
    s.unlock(PASSPHRASE, "aa.ifk")
    from ui.main import build_main_window

    win = build_main_window(s)
    qtbot.addWidget(win)
    win.show()
    tab = next(w for w in win.case_view.tab_widgets if isinstance(w, WorkOffersTab))
    titles = [win.case_view.tabs.tabText(i) for i in range(win.case_view.tabs.count())]
    assert "Stellenangebote" in titles and "Arbeitgeber" in [win.nav.item(i).text() for i in range(win.nav.count())]
    win.case_view.show_case(s._repo.get("case", no_consent)["household_id"], no_consent)
    assert tab.case_id is None and not tab.isEnabled()
    win.case_view.show_case(s._repo.get("case", best)["household_id"], best)
    assert tab.case_id == best and tab.offer_model.rowCount() == 1
    win.close()
    settle()
