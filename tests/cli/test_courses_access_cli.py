"""`sprechstunde waitlist`, `planning` and `transitions` act as SPRECHSTUNDE_LOGIN through the consent gate
(app.gated_courses): a staff member whose agency has no consent sees its own entries only, and is told how
many it does not see; with the consent, everything."""

import json

import pytest

from app.casework import CaseWork
from app.course_service import CourseService
from app.households import save_household
from app.repository import Repository
from app.store import Store
from tests.access.own_world import CONSENTED, build, viewer
from tests.cli.badinput import cli
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def world(tmp_path):
    path, case_id, _household_id, _ids = build(tmp_path / "store")
    for agency, kind in (("AA", "integrationskurs"), ("SOZ", "integrationskurs")):
        s = Store.open(path, PASSPHRASE, viewer(agency))
        if agency == "SOZ":  # a second client, registered by the social office (consent for KI only)
            res = save_household(Repository(s), {"office": "AHL"}, [
                {"relation": "head", "family_name": "Rahimi", "given_names": "Farid", "birth_date": "1990-05-05",
                 "sex": "m", "case": {"rechtskreis": "AsylbLG"}}])
            case_id = res.case_ids[0]
            CaseWork(Repository(s)).consent.record(case_id, CONSENTED, "given", "2026-03-06")
        CourseService(CaseWork(Repository(s))).waitlist.register(case_id, kind, "A1", date="2026-03-06")
        s.close()
    return path


@pytest.mark.parametrize("agency, shown, hidden", [(CONSENTED, {"Nouri", "Rahimi"}, 0), ("AA", {"Nouri"}, 1),
                                                   ("SOZ", {"Rahimi"}, 1), ("JC", set(), 2)])
def test_waitlist_and_planning_show_what_the_login_may_see(world, capsys, monkeypatch, agency, shown, hidden):
    monkeypatch.setenv("SPRECHSTUNDE_LOGIN", viewer(agency))
    code, out, _err = cli(capsys, "waitlist", "--store", str(world), "--kind", "integrationskurs", "--level", "A1",
                          "--date", "2026-03-10")
    assert code == 0
    assert {n for n in ("Nouri", "Rahimi") if n in out} == shown
    assert (f"{hidden} weitere" in out) == bool(hidden)
    code, out, _err = cli(capsys, "waitlist", "--store", str(world), "--kind", "integrationskurs", "--level", "A1",
                          "--date", "2026-03-10", "--json")
    assert {json.loads(line)["name"].split()[-1] for line in out.splitlines()} == shown
    code, out, _err = cli(capsys, "planning", "--store", str(world), "--date", "2026-03-10", "--json")
    waiting = sum(json.loads(line)["waiting"] for line in out.splitlines())
    assert code == 0 and waiting == len(shown)
    code, out, _err = cli(capsys, "planning", "--store", str(world), "--date", "2026-03-10")
    assert ("Nicht gezählt: " in out) == bool(hidden)
