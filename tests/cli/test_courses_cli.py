"""`sprechstunde courses`, `waitlist`, `transitions`, `planning`: German by default, --json, bad input one line."""

import json

import pytest

from app.repository import Repository
from app.store import Store
from tests.app.course_kit import course, person, service
from tests.cli.badinput import cli, one_line
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE)
    repo = Repository(store)
    svc = service(repo)
    a, b = person(repo, "Amir"), person(repo, "Bana", office="BEC")
    course(svc, 16, "2026-05-04", title="Integrationskurs A1 Ahlen")
    course(svc, 12, "2026-04-13", office="BEC", kind="alphakurs", level="alpha", childcare=True)
    svc.waitlist.register(a, "integrationskurs", "A1", date="2026-02-01", obligated=True,
                          obligated_since="2026-01-15")
    svc.waitlist.register(b, "integrationskurs", "A1", date="2026-01-20")
    svc.casework.consent.record(a, "JC", "given", "2026-01-10")
    svc.handovers.plan(a, "2026-03-10", reason="Anerkennung")
    count = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    store.close()
    return path, count


def changes(path):
    s = Store.open(path, PASSPHRASE)
    try:
        return s.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        s.close()


def test_courses_in_german_and_json(filled, capsys):
    path, _n = filled
    code, out, _err = cli(capsys, "courses", "--store", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("13.04.26–18.12.26\tBEC\tAlphabetisierungskurs alpha\tVHS Ahlen\t12 von 12 Plätzen frei")
    assert lines[0].endswith("Kinderbetreuung")
    code, out, _err = cli(capsys, "courses", "--store", str(path), "--office", "ahl", "--kind", "integrationskurs",
                          "--json")
    (doc,) = [json.loads(x) for x in out.splitlines()]
    assert (doc["office"], doc["kind"], doc["level"], doc["seats"], doc["free"], doc["start_date"]) == (
        "AHL", "integrationskurs", "A1", 16, 16, "2026-05-04")


def test_waitlist_positions_with_reasons(filled, capsys):
    path, _n = filled
    code, out, _err = cli(capsys, "waitlist", "--store", str(path), "--kind", "integrationskurs", "--date", "2026-03-01")
    assert code == 0
    first, second = out.splitlines()
    assert first.startswith("A1\tPlatz 1: verpflichtet seit 15.01.26, wartet 28 Tage\t")
    assert second.startswith("A1\tPlatz 2: wartet 40 Tage\t") and second.endswith("Bana Haddad")
    code, out, _err = cli(capsys, "--lang", "en", "waitlist", "--store", str(path), "--kind", "integrationskurs",
                          "--level", "a1", "--date", "2026-03-01", "--json")
    docs = [json.loads(x) for x in out.splitlines()]
    assert [d["position"] for d in docs] == [1, 2]
    assert docs[0]["explanation"] == "Place 1: obliged since 1/15/26, waiting 28 days"
    assert [r["rule"] for r in docs[0]["reasons"]] == ["obligated", "obligated_since", "level_assessed",
                                                        "registered_on"]
    assert docs[1]["waiting_days"] == 40 and docs[1]["name"] == "Bana Haddad"


def test_transitions_and_twelve_months(filled, capsys):
    path, _n = filled
    code, out, _err = cli(capsys, "transitions", "--store", str(path), "--date", "2026-03-01")
    assert code == 0
    (line,) = out.splitlines()
    assert line.startswith("10.03.26\t") and line.endswith("\tAnerkennung\tgeplant")
    code, out, _err = cli(capsys, "transitions", "--store", str(path), "--date", "2026-03-01", "--json")
    (doc,) = [json.loads(x) for x in out.splitlines()]
    assert (doc["state"], doc["agency"], doc["to_rechtskreis"], doc["due"]) == ("planned", "JC", "SGB II", "2026-03-10")
    code, out, _err = cli(capsys, "transitions", "--store", str(path), "--date", "2026-12-20", "--twelve-months",
                          "--json")
    docs = [json.loads(x) for x in out.splitlines()]
    assert {d["limit"] for d in docs} == {"2027-01-05"} and len(docs) == 2


def test_planning_csv_and_json(filled, capsys):
    path, _n = filled
    code, out, _err = cli(capsys, "planning", "--store", str(path), "--date", "2026-03-01", "--csv")
    assert code == 0
    assert "AHL;integrationskurs;A1;1;0;16;1;28;28;-15;0;-15;?:1" in out.splitlines()
    code, out, _err = cli(capsys, "planning", "--store", str(path), "--date", "2026-03-01", "--json", "--office", "BEC")
    docs = {(d["kind"], d["level"]): d for d in map(json.loads, out.splitlines())}
    assert docs[("alphakurs", "alpha")]["seats"] == 12 and docs[("integrationskurs", "A1")]["waiting"] == 1


def test_planning_and_agenda_as_pdf(filled, capsys, tmp_path):
    import pypdfium2 as pdfium

    path, _n = filled
    for argv, name, needle in ((["planning", "--date", "2026-03-01"], "plan.pdf", "Kursplanung: Bedarf und Plätze"),
                               (["transitions", "--date", "2026-03-05"], "agenda.pdf", "Amir Haddad")):
        code, out, _err = cli(capsys, *argv, "--store", str(path), "--pdf", str(tmp_path / name))
        assert code == 0 and out.startswith("Geschrieben: ")
        text = pdfium.PdfDocument(str(tmp_path / name))[0].get_textpage().get_text_range()
        assert needle in text


@pytest.mark.parametrize("argv, needle", [
    (["planning", "--pdf", "/nonexistent-folder/x.pdf"], "--pdf"),
    (["courses", "--office", "XYZ"], "--office"),
    (["courses", "--kind", "kochkurs"], "--kind"),
    (["waitlist", "--kind", "integrationskurs", "--level", "D9"], "--level"),
    (["waitlist", "--kind", "integrationskurs", "--date", "01.03.2026"], "--date"),
    (["transitions", "--date", "2026-02-30"], "--date"),
    (["planning", "--months", "99"], "--months"),
])
def test_bad_input_one_line_exit_1_nothing_written(filled, capsys, argv, needle):
    path, n = filled
    code, out, err = cli(capsys, *argv, "--store", str(path))
    assert code == 1 and out == ""
    assert needle in one_line(err)
    assert changes(path) == n
