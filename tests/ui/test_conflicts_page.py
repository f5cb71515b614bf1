"""The conflicts page names records as staff know them and counts with the right plural."""

import datetime as dt

from PySide6.QtCore import Qt

from app.conflicts import Conflict, Side
from app.session import Session
from tests.app.family_o import register_family
from ui.conflicts_page import ConflictsPage


def _conflict(cid, entity, entity_id, field, household_id, a, b):
    return Conflict(cid, entity, entity_id, field, household_id,
                    Side(a, "h1", "2026-11-30T08:30Z", "dev-a", None, "Anna"),
                    Side(b, "h2", "2026-11-30T09:15Z", "dev-b", None, "Bernd"))


def test_conflicts_page_names_household_person_and_case(qtbot, store, repo, monkeypatch):
    res = register_family(repo)
    case = repo.get("case", res.case_ids[0])
    session = Session(store.path)
    session.attach(store)
    found = [_conflict("c1", "household", res.household_id, "address", res.household_id, "Amselweg 1", "Am Markt 2")]
    monkeypatch.setattr(session, "open_conflicts", lambda *a, **k: list(found))
    page = ConflictsPage(session)
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.index(0, 0).data() == "Haushalt O., Ahlen"
    assert page.info.text() == "1 offener Konflikt"

    found += [_conflict("c2", "person", res.person_ids[1], "given_names", res.household_id, "Layla", "Leila"),
              _conflict("c3", "case", case["id"], "status", res.household_id, "active", "closed")]
    page.refresh()
    names = [page.model.index(r, 0).data() for r in range(3)]
    assert names == ["Haushalt O., Ahlen", "Person Layla O.", f"Fall {case['case_number']} (Karim O.)"]
    assert page.info.text() == "3 offene Konflikte"
    assert (page.model.index(2, 2).data(), page.model.index(2, 4).data()) == ("in Bearbeitung", "abgeschlossen")

    found.clear()
    page.refresh()
    assert page.info.text() == "Keine offenen Konflikte."


def test_the_navigation_shows_how_many_conflicts_wait(qtbot, store, repo, window_for):
    """A real open conflict (two laptops changed one field unseen) is counted in the navigation, and
    settling it on the page takes the count away."""
    from app.replica.changelog import Change, ChangeLog
    from app.replica.clock import Stamp
    from app.replica.merge import merge

    hid = repo.save("household", {"office": "AHL", "address": "Amselweg 1"})
    before = ChangeLog(repo.conn).stamp(hid, "address")
    repo.save("household", {"address": "Am Markt 2"}, hid)  # here, while another laptop ...
    later = str(Stamp(Stamp.parse(ChangeLog(repo.conn).stamp(hid, "address")).millis + 1, 0, "otherlaptop"))
    merge(repo.conn, [Change(later, "household", hid, "address", "Lindenweg 4", before, "otherlaptop", None, hid)])
    win = window_for(store)
    titles = [win.nav.item(i).text() for i in range(win.nav.count())]
    assert "Konflikte (1)" in titles
    row = titles.index("Konflikte (1)")
    win.nav.setCurrentRow(row)
    page = win.pages.currentWidget()
    page.table.selectRow(0)
    page.resolve("current")
    assert win.nav.item(row).text() == "Konflikte"


def test_a_double_booking_moves_to_the_next_free_slot_with_one_click(qtbot, tmp_path, window_for):
    """Two real replicas book the same desk offline; after the merge the page offers the move, and one click
    puts the booking that lost the desk into the next free slot of its agency and settles the conflict."""
    from app.booking import Booking
    from app.repository import Repository
    from tests.app.test_office_hours import MONDAY, _case
    from tests.sync.helpers import exchange, make_store, open_conflicts

    sa, sb = make_store(tmp_path / "a", login="anna"), make_store(tmp_path / "b", login="bernd")
    try:
        ra, rb = Repository(sa, today=MONDAY.date()), Repository(sb, today=MONDAY.date())
        a_case, b_case = _case(ra), _case(ra, "Tesfay", "Yonas", interpreter="ti")
        exchange(sa, sb)
        ba, bb = Booking(ra, clock=lambda: MONDAY), Booking(rb, clock=lambda: MONDAY)
        xa = ba.book(a_case, "TEL", "2027-05-04T09:00", agency="JC")
        ba.book(a_case, "TEL", "2027-05-04T09:20", agency="JC")  # the next JC slot is taken too
        xb = bb.book(b_case, "TEL", "2027-05-04T09:00", agency="JC")
        exchange(sa, sb)
        exchange(sb, sa)
        assert len(open_conflicts(sa)) == 1

        win = window_for(sa)
        win.session.hours.booking.clock = lambda: MONDAY
        titles = [win.nav.item(i).text() for i in range(win.nav.count())]
        row = titles.index("Konflikte (1)")
        win.nav.setCurrentRow(row)
        page = win.pages.currentWidget()
        assert page.model.index(0, 0).data() == "Platz 2 · Telgte · 04.05.2027 09:00"
        shown = {page.model.index(0, 2).data(), page.model.index(0, 4).data()}
        assert shown == {"Termin · Fall TEL-27-HADD (Amal Haddad)", "Termin · Fall TEL-27-TESF (Yonas Tesfay)"}
        [conflict] = page.model.rows
        loser = conflict.other.value
        assert {loser, conflict.current.value} == {xa, xb}
        assert page.move.isEnabled() and not page.new.isEnabled()

        qtbot.mouseClick(page.move, Qt.MouseButton.LeftButton)
        old = ra.get("appointment", loser)
        moved = ra.get("appointment", old["moved_to"])
        assert old["outcome"] == "rescheduled"
        assert (moved["starts_at"], moved["desk"], moved["agency"], moved["case_id"]) == (
            "2027-05-04T09:40", 2, "JC", old["case_id"])
        name = "Amal Haddad (TEL-27-HADD)" if loser == xa else "Yonas Tesfay (TEL-27-TESF)"
        assert page.info.text() == (f"{name} verlegt auf Dienstag, 4. Mai 2027, 09:40, Platz 2 (JC).\n"
                                    "Keine offenen Konflikte.")
        assert page.model.rowCount() == 0 and not page.move.isEnabled()
        assert open_conflicts(sa) == set() and win.nav.item(row).text() == "Konflikte"
        free = [s for s in win.session.hours.slots("TEL", MONDAY.date(), MONDAY.date() + dt.timedelta(days=1))
                if s["starts_at"] == "2027-05-04T09:40"]
        assert [d["free"] for d in free[0]["desks"] if d["desk"] == 2] == [False]
    finally:
        sb.close()
