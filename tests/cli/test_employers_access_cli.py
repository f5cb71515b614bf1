"""`sprechstunde employers` and `match` act as SPRECHSTUNDE_LOGIN through the gated employer service
(app.gated_employers): candidates without consent for the staff member's agency are counted, never shown
with a name or case number; a case without consent and a role without case data are one line, exit 1."""

import json

import pytest

from app.audit import entries
from app.casework import CaseWork
from app.employers import Employers
from app.repository import Repository
from app.store import Store
from tests.app.employer_kit import TODAY, client, employer_with_offer
from tests.cli.badinput import cli, one_line
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def world(tmp_path):
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE, login="anna")
    repo = Repository(store, today=TODAY)
    cw = CaseWork(repo)
    emp = Employers(repo, cw.rules, cw.chronicle, cw.consent)
    consented = client(cw, "BEC", family="Eins")
    refused = client(cw, "BEC", family="Zwei", consent_aa=False)  # not for the employment agency
    _eid, offer = employer_with_offer(emp)
    numbers = {k: repo.get("case", v)["case_number"] for k, v in (("consented", consented), ("refused", refused))}
    for login, agency, role in (("aa.ifk", "AA", "ifk"), ("ki.dolmetsch", "KI", "interpreter")):
        store.add_member(login, PASSPHRASE, login, agency, role)
    store.close()
    return path, offer, numbers


def test_match_shows_only_the_candidates_the_login_may_see(world, capsys, monkeypatch):
    path, offer, numbers = world
    monkeypatch.setenv("SPRECHSTUNDE_LOGIN", "aa.ifk")
    code, out, _err = cli(capsys, "match", "--store", str(path), "--offer", offer[:8], "--date", "2026-06-01")
    assert code == 0 and f"1. {numbers['consented']} Test Eins" in out
    assert numbers["refused"] not in out and "Zwei" not in out
    assert "1 weitere Person wird nicht gezeigt" in out  # counted, without personal data
    code, out, _err = cli(capsys, "match", "--store", str(path), "--offer", offer, "--date", "2026-06-01", "--json")
    doc = json.loads(out)
    assert [c["case_number"] for c in doc["candidates"]] == [numbers["consented"]] and doc["hidden"] == 1
    assert "Zwei" not in out and numbers["refused"] not in out
    code, out, _err = cli(capsys, "match", "--store", str(path), "--case", numbers["consented"], "--json",
                          "--date", "2026-06-01")
    assert code == 0 and json.loads(out)["offers"][0]["offer_id"] == offer
    code, out, err = cli(capsys, "match", "--store", str(path), "--case", numbers["refused"], "--date", "2026-06-01")
    assert code == 1 and out == "" and "Agentur für Arbeit" in one_line(err)
    store = Store.open(path, PASSPHRASE, "anna")  # the refusal is in the audit trail, under the login
    try:
        staff = {r[0]: r[1] for r in store.conn.execute("SELECT id, login FROM staff")}
        mine = [e for e in entries(store.conn) if staff.get(e["staff_id"]) == "aa.ifk"]
    finally:
        store.close()
    assert ("match:case", numbers["refused"], "refused") in {(e["action"], e["case_number"], e["outcome"])
                                                              for e in mine}
    assert ("match:offer", "ok") in {(e["action"], e["outcome"]) for e in mine}


def test_a_role_without_case_data_gets_the_employers_but_no_candidates(world, capsys, monkeypatch):
    path, offer, numbers = world
    monkeypatch.setenv("SPRECHSTUNDE_LOGIN", "ki.dolmetsch")
    code, out, _err = cli(capsys, "employers", "--store", str(path))
    assert code == 0 and "Malerbetrieb Sonnenschein" in out  # employers and offers are no client data
    for argv in (["--offer", offer[:8]], ["--case", numbers["consented"]], ["--offer", offer, "--json"]):
        code, out, err = cli(capsys, "match", "--store", str(path), *argv, "--date", "2026-06-01")
        assert code == 1 and out == "" and "Dolmetsch" in one_line(err), argv
        assert "Eins" not in err and "Zwei" not in err
