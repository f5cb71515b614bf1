"""The guided intake of a family of four through the GUI: household, consent, pre-filled intake, case selected."""

from app.casework import CaseWork
from ui.intake_flow import IntakeStep
from ui.models import ROW_ROLE
from tests.ui.intake_driver import HOUSEHOLD, run_family_of_four


def test_family_of_four_through_the_guided_intake(qtbot, store, window_for, settle):
    win = window_for(store)
    effort = run_family_of_four(win)

    rows = {r.given_names: r for r in win.session.list_rows()}
    karim, layla = rows["Karim"], rows["Layla"]
    assert karim.case_id and layla.case_id  # the second adult is the spouse, with a case of her own
    assert rows["Yusuf"].case_id is None and rows["Mariam"].case_id is None
    data = win.session.load_household(karim.household_id)
    relations = {m["given_names"]: m["relation"] for m in data["members"]}
    assert relations == {"Karim": "head", "Layla": "spouse", "Yusuf": "child", "Mariam": "child"}
    layla_person = next(m for m in data["members"] if m["given_names"] == "Layla")
    assert layla_person["languages"] == [{"code": "ar", "level": "native"}, {"code": "de", "level": "A2"}]
    assert layla_person["nationality"] == "SY" and layla_person["family_name"] == "Haddad"
    karim_person = next(m for m in data["members"] if m["given_names"] == "Karim")
    assert karim_person["phone"] == "+49 2382 555017"

    # four steps after the household: consent and intake for each adult
    assert [t.split(":")[0] for t in effort.seen] == [f"Schritt {n} von 5" for n in (2, 3, 4, 5)]
    cw = CaseWork(win.session._repo)
    for case in (karim, layla):
        assert [c["agency"] for c in cw.consent.history(case.case_id)] == ["AA", "JC", "SOZ"]
        (response,) = [r for r in cw.responses.for_case(case.case_id) if r["form_id"] == "intake"]
        _row, _form, answers = cw.responses.get(response["id"])
        assert answers["country_of_origin"] == "syria" and answers["interpreter_needed"] is True
        assert answers["accommodation"] == "shared" and answers["accommodation_address"] == HOUSEHOLD["address"]
        assert answers["household_size"] == 4 and answers["children_under_6"] == 1
        assert answers["mother_tongue"] == "Arabisch" and answers["entry_date"] == "2023-06"
    # the spouse's residence, entry and referral came from her husband's intake: nothing typed twice
    assert effort.per_step[3] == (0, 0), effort  # her intake step: only "Finish"

    # at the end the new case is selected in the list and shown with its next steps
    view = win.case_view
    assert view.case_id == karim.case_id and view.household_id == karim.household_id
    selected = win.case_list.table.selectionModel().selectedRows()
    assert [win.case_list.proxy.data(i, ROW_ROLE).case_id for i in selected] == [karim.case_id]
    assert view.next_steps.isVisibleTo(win)
    assert view.next_steps.lines["appointment"].text().endswith("Kein Termin geplant</a>")
    assert view.next_steps.lines["missing"].isHidden()  # consent and intake are recorded
    settle()


def test_the_intake_step_says_what_was_prefilled(qtbot, store, window_for, settle):
    win = window_for(store)
    res = win.session.save_household(
        {"office": "BEC", "address": "Markt 1, Beckum", "accommodation": "Wohnung"},
        [{"relation": "head", "family_name": "Rahimi", "given_names": "Zahra", "birth_date": "1992",
          "nationality": "AF", "languages": [{"code": "fa", "level": "native"}], "case": {"rechtskreis": "SGB II"}}])
    step = IntakeStep(win.session, res.household_id, res.case_ids[0])
    qtbot.addWidget(step)
    step.prefill()
    values = step.page.renderer.values()
    assert values["country_of_origin"] == "afghanistan" and values["accommodation"] == "own_flat"
    assert values["interpreter_needed"] is False and values["household_size"] == 1
    assert "Herkunftsland" in step.findChild(type(step.page.status), "prefillNote").text()
    settle()
