"""`sprechstunde import` refuses what the app would refuse when typed: file, record, field and reason on one line."""

import json

from tests.cli.test_store_cli import DOC, run


def test_import_refuses_a_bad_name_and_saves_nothing(tmp_path):
    store = str(tmp_path / "s")
    assert run("init", "--store", store).returncode == 0
    bad = json.loads(json.dumps(DOC))
    bad["entities"]["person"][1]["given_names"] = "Dawit 😀"
    src = tmp_path / "families.json"
    src.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    r = run("import", str(src), "--store", store)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        f"sprechstunde: {src}: person[1] (ID p2), given_names: Ein Name darf keine Emojis oder Symbole enthalten: "
        "“😀” (U+1F600)."]
    out = json.loads(run("export", "--store", store).stdout)
    assert set(out["entities"]) == {"staff"}  # nothing half-imported
