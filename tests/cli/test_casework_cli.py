"""`sprechstunde forms check` and `sprechstunde due` as an administrator runs them."""

import json

from app.casework import CaseWork
from app.forms import FORMS_DIR
from app.repository import Repository
from app.store import Store
from cli.main import main
from tests.app.family_o import INTAKE, register_family
from tests.conftest import PASSPHRASE


def test_forms_check_folder_ok(capsys):
    assert main(["forms", "check", str(FORMS_DIR)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) >= 6 and all(line.startswith("ok ") for line in out)


def test_forms_check_names_file_line_key_and_reason(tmp_path, capsys):
    bad = tmp_path / "survey.v1.json"
    bad.write_text(json.dumps({"format": "sprechstunde-form", "id": "survey", "version": 1, "title": "S",
                               "sections": [{"key": "s", "title": "S", "fields": [
                                   {"key": "a", "type": "choice", "label": "A", "options": []}]}]}, indent=1), "utf-8")
    assert main(["forms", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"sprechstunde: {bad}:")
    assert "sections[0].fields[0].options: a choice needs a non-empty list of options" in err
    assert main(["forms", "check", str(tmp_path / "missing.json")]) == 1


def test_due_lists_items_one_per_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE)
    repo = Repository(store)
    res = register_family(repo)
    CaseWork(repo).save_intake(res.case_ids[0], INTAKE, date="2017-06-26")
    store.close()
    monkeypatch.setenv("SPRECHSTUNDE_PASSPHRASE", PASSPHRASE)

    assert main(["due", "--store", str(path), "--date", "2017-09-01", "--json"]) == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rules = {(i["case_number"], i["rule"]) for i in items}
    karim = next(i["case_number"] for i in items if i["name"] == "Karim O.")
    assert (karim, "asylblg_waiting_15m") in rules and (karim, "consent_missing") in rules
    assert all(i["office"] == "AHL" and i["state"] in ("overdue", "due_soon", "reached", "info") for i in items)

    assert main(["due", "--store", str(path), "--date", "2017-09-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(items) and all(len(line.split("\t")) == 6 for line in lines)

    assert main(["due", "--store", str(path), "--date", "2017-09-01", "--office", "WAF"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["due", "--store", str(path), "--date", "01.09.2017"]) == 1
    assert "--date" in capsys.readouterr().err


def test_rules_check(tmp_path, capsys):
    from app.rules import RULES_DIR

    assert main(["rules", "check", str(RULES_DIR)]) == 0
    assert len(capsys.readouterr().out.splitlines()) >= 12
    bad = tmp_path / "local.json"
    bad.write_text(json.dumps({"format": "sprechstunde-rules", "rules": [
        {"id": "x", "kind": "deadline", "title": "T", "hint": "H", "legal_source": "S", "anchor": "case_opened",
         "offset": {"days": 3}, "example": {"facts": {"case_opened": "2017-01-01"}, "due": "2017-01-05"}}]}), "utf-8")
    assert main(["rules", "check", str(bad)]) == 1
    assert "ihr Beispiel ergibt 2017-01-04, erwartet 2017-01-05" in capsys.readouterr().err
    bad.write_text('{"format": "sprechstunde-rules", "rules": [{"id": "x"}]}', "utf-8")
    assert main(["rules", "check", str(bad)]) == 1
    assert "rules[0]: missing required property 'kind'" in capsys.readouterr().err
