"""The central office merges the same person registered twice in two offices."""

from PySide6.QtWidgets import QMessageBox

from app.households import save_household
from app.repository import Repository
from app.session import Session
from ui.main import build_main_window


def test_find_and_merge_a_duplicate(qtbot, store, monkeypatch):
    repo = Repository(store)
    a = save_household(repo, {"office": "AHL"}, [{"family_name": "Al-Hassan", "given_names": "Mohammed",
                                                  "family_name_orig": "الحسن", "birth_date": "1985-01-01",
                                                  "case": {"rechtskreis": "AsylbLG"}}])
    b = save_household(repo, {"office": "WAF"}, [{"family_name": "Alhasan", "given_names": "Muhammad",
                                                  "birth_date": "1985-03-12", "case": {"rechtskreis": "SGB II"}}])
    save_household(repo, {"office": "WAF"}, [{"family_name": "Tesfay", "given_names": "Yonas"}])
    session = Session(store.path)
    session.attach(store)
    win = build_main_window(session)
    qtbot.addWidget(win)
    page = next(p for p in win.extra_pages if p.__class__.__name__ == "DuplicatesPage")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 1, timeout=10_000)
    assert page.model.rowCount() == 1
    qtbot.waitUntil(page.search.isEnabled)
    assert page.info.text() == "1 mögliche Dublette"
    names = {page.model.index(0, 0).data(), page.model.index(0, 3).data()}
    assert any("Mohammed" in n for n in names) and any("Muhammad" in n for n in names)
    page.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    keep_first = "Mohammed" in page.model.index(0, 0).data()
    page.merge(keep_first=keep_first)
    assert page.model.rowCount() == 0
    away = repo.get("person", b.person_ids[0])
    assert away["merged_into"] == a.person_ids[0]
    # both cases now belong to the kept person; the list shows one person, twice
    rows = session.case_rows()
    assert sorted(r.rechtskreis for r in rows if r.person_id == a.person_ids[0]) == ["AsylbLG", "SGB II"]
