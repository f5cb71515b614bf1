"""`sprechstunde employers`, `match`, `stats --from/--to/--by/--csv/--xlsx` and `print report` against a real store."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from app.casework import CaseWork
from app.employers import Employers
from app.repository import Repository
from app.store import Store
from tests.app.employer_kit import TODAY, client, employer_with_offer
from tests.cli.badinput import cli, one_line
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE, login="anna")
    repo = Repository(store, today=TODAY)
    cw = CaseWork(repo)
    emp = Employers(repo, cw.rules, cw.chronicle, cw.consent)
    good = client(cw, "BEC", family="Eins")
    weak = client(cw, "BEC", family="Zwei", german="A2")
    _eid, offer = employer_with_offer(emp)
    number = repo.get("case", weak)["case_number"]
    good_number = repo.get("case", good)["case_number"]
    store.close()
    return path, offer, number, good_number


def test_employers_and_match_in_german_and_json(filled, capsys):
    path, offer, weak_number, good_number = filled
    code, out, _err = cli(capsys, "employers", "--store", str(path))
    assert code == 0 and "Malerbetrieb Sonnenschein (Beckum, Handwerk): 1 offene Angebote" in out
    assert offer[:8] in out
    code, out, _err = cli(capsys, "employers", "--store", str(path), "--json")
    doc = json.loads(out)
    assert doc["employers"][0]["offers"][0]["id"] == offer and doc["employers"][0]["open_offers"] == 1
    code, out, _err = cli(capsys, "match", "--store", str(path), "--offer", offer[:8], "--date", "2026-06-01")
    assert code == 0 and f"1. {good_number}" in out and "B1 Deutsch fehlt, A2 vorhanden" in out
    code, out, _err = cli(capsys, "match", "--store", str(path), "--offer", offer, "--date", "2026-06-01", "--json")
    cands = json.loads(out)["candidates"]
    assert [c["eligible"] for c in cands] == [True, False] and cands[1]["case_number"] == weak_number
    code, out, _err = cli(capsys, "match", "--store", str(path), "--case", weak_number, "--json", "--date", "2026-06-01")
    offers = json.loads(out)["offers"]
    assert offers[0]["offer_id"] == offer and "B1 Deutsch fehlt, A2 vorhanden" in offers[0]["missing"]


@pytest.mark.parametrize("argv, message", [
    (["match", "--offer", "0000000000"], "es gibt kein Angebot"),
    (["match", "--case", "XYZ-1"], "es gibt keinen Fall XYZ-1"),
    (["match", "--offer", "x", "--date", "1.1.2026"], "--date: kein Datum"),
    (["stats", "--by", "office,shoe"], "--by: unbekanntes oder doppeltes Merkmal"),
    (["stats", "--from", "31.02.2026"], "--from: kein Datum"),
    (["stats", "--from", "01.06.2026", "--to", "01.01.2026"], "--to: der Zeitraum endet"),
    (["print", "report", "--from", "01.01.2026"], "der Bericht braucht --from und --to"),
])
def test_bad_input_is_one_german_line(filled, capsys, argv, message):
    path = filled[0]
    code, _out, err = cli(capsys, *argv, "--store", str(path))
    assert code == 1 and message in one_line(err)


def test_stats_period_breakdown_csv_xlsx_and_report(filled, capsys, tmp_path):
    path = filled[0]
    code, out, _err = cli(capsys, "stats", "--store", str(path), "--from", "01.01.2026", "--to", "31.12.2026",
                          "--by", "office,rechtskreis", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    table = doc["tables"]["clients_by_office_rechtskreis"]
    assert table["rows"] == ["BEC"] and table["cells"] == [["< 5"]]  # two clients: hidden
    assert "cases_total" in doc and "open_cases_by_office" in doc  # the old fields stay
    xlsx = tmp_path / "t.xlsx"
    code, out, _err = cli(capsys, "stats", "--store", str(path), "--from", "2026-01-01", "--to", "2026-12-31",
                          "--csv", "--xlsx", str(xlsx))
    rows = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert ["Klienten nach Standort", "Beckum", "Anzahl", "< 5"] in rows
    assert load_workbook(xlsx)["clients_by_office"]["B4"].value == "< 5"
    pdf = tmp_path / "r.pdf"
    code, out, _err = cli(capsys, "print", "report", "--store", str(path), "--from", "01.01.2026", "--to",
                          "31.12.2026", "--out", str(pdf))
    assert code == 0 and pdf.read_bytes()[:5] == b"%PDF-"
