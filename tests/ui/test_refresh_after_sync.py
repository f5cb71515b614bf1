"""Views refresh from what an operation changed: an open case view shows what a sync just brought,
and a household that left this laptop's office disappears from it (a real hub on 127.0.0.1)."""

from __future__ import annotations

from app.repository import Repository
from tests.sync.hubkit import fill, sync


def test_an_open_case_view_shows_what_a_sync_just_brought(qtbot, hub, laptops, window_for, settle):
    gui_store, other = laptops("TEL"), laptops("TEL")
    hid = fill(other, 1, office="TEL", persons=2)[0]
    assert sync(other).ok
    win = window_for(gui_store)
    win.sync_panel.start()  # the GUI's own sync, through the one background primitive
    settle()
    person = Repository(other).find("person", household_id=hid)[0]
    win.case_view.show_case(hid, None)
    assert "Samira" not in win.case_view.members.text()

    Repository(other).save("person", {"given_names": "Samira"}, person["id"])  # on the other laptop
    assert sync(other).ok
    win.sync_panel.start()
    settle()
    assert "Samira" in win.case_view.members.text()  # no click needed: the view refreshed itself
    assert win.case_view.household_id == hid


def test_a_household_that_left_this_office_leaves_the_open_view(qtbot, hub, laptops, window_for, settle):
    gui_store, central = laptops("OST"), laptops("ZIP")
    hid = fill(gui_store, 1, office="OST")[0]
    assert sync(gui_store).ok and sync(central).ok
    win = window_for(gui_store)
    win.case_view.show_case(hid, None)
    assert win.case_view.household_id == hid
    Repository(central).save("household", {"office": "SAS"}, hid)  # the central office moves it
    assert sync(central).ok
    win.sync_panel.start()
    settle()
    assert win.case_view.household_id is None and win.case_view.members.text() == ""
