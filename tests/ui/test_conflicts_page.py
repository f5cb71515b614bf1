"""The conflicts page names records as staff know them and counts with the right plural."""

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
