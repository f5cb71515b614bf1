"""Bad input to enroll, export-changes and sprechstunde-hub (init, enroll, serve): one line, nothing written."""

import json
import os
import sys

import pytest

from tests.cli.badinput import cli, made_store, one_line, run_into_closed_pipe_and_full_disk

pytestmark = pytest.mark.usefixtures("cli_env")  # tests/cli/conftest.py


def test_hub_address_that_does_not_parse(tmp_path, capsys):
    path = made_store(tmp_path)
    for url in ("https://127.0.0.1:99999", "https://[::1", "https://hub:port"):
        code, _out, err = cli(capsys, "enroll", "--store", str(path), "--hub", url, "--code", "ABCDE")
        assert code == 1 and "ist ungültig" in one_line(err), url


def test_export_changes_into_a_folder(tmp_path, capsys):
    path = made_store(tmp_path)
    (tmp_path / "out").mkdir()
    code, _out, err = cli(capsys, "export-changes", str(tmp_path / "out"), "--store", str(path))
    assert code == 1 and "kann nicht geschrieben werden" in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s"]


def hub(capsys, *argv):
    from sync.hub.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def hub_env(monkeypatch):
    monkeypatch.setenv("SPRECHSTUNDE_HUB_PASSPHRASE", "hub-geheim-123")
    monkeypatch.delenv("SPRECHSTUNDE_HUB_KEYFILE", raising=False)
    monkeypatch.delenv("SPRECHSTUNDE_HUB_DIR", raising=False)


def test_hub_init_refuses_bad_names_before_writing(tmp_path, capsys, hub_env, monkeypatch):
    code, _out, err = hub(capsys, "init", "--dir", str(tmp_path / "h"), "--name", "hüb.example")
    assert code == 1 and "xn--" in err and not (tmp_path / "h").exists()
    (tmp_path / "afile").write_text("x")
    code, _out, err = hub(capsys, "init", "--dir", str(tmp_path / "afile"))
    assert code == 1 and "kann nicht angelegt werden" in err
    monkeypatch.delenv("SPRECHSTUNDE_HUB_PASSPHRASE")
    monkeypatch.setenv("SPRECHSTUNDE_HUB_KEYFILE", str(tmp_path / "no" / "key"))
    code, _out, err = hub(capsys, "init", "--dir", str(tmp_path / "h"))
    assert code == 1 and len(err.strip().splitlines()) == 1 and not (tmp_path / "h").exists()


def test_hub_enroll_and_serve_options(tmp_path, capsys, hub_env):
    folder = str(tmp_path / "h")
    assert hub(capsys, "init", "--dir", folder)[0] == 0
    for argv in (["--hours", "nan"], ["--hours", "inf"], ["--hours", "-5"], ["--name", " "]):
        args = {"--hours": "24", "--name": "Laptop 1", **dict([argv])}
        code, out, err = hub(capsys, "enroll", "--dir", folder, "--office", "AHL", *sum(args.items(), ()))
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1, argv
    code, out, _err = hub(capsys, "devices", "--dir", folder, "--json")
    assert code == 0 and json.loads(out) == []
    with pytest.raises(SystemExit) as exc:
        hub(capsys, "serve", "--dir", folder, "--port", "99999")
    assert exc.value.code == 2 and "keine Portnummer" in capsys.readouterr().err


def test_hub_import_names_the_bad_file(tmp_path, capsys, hub_env):
    folder = str(tmp_path / "h")
    assert hub(capsys, "init", "--dir", folder)[0] == 0
    bad = tmp_path / "laptop-7.sealed"
    bad.write_bytes(b"not sealed at all")
    code, _out, err = hub(capsys, "import", "--dir", folder, str(bad))
    assert code == 1 and len(err.strip().splitlines()) == 1 and str(bad) in err


def test_hub_output_to_a_closed_pipe_or_full_disk(tmp_path, capsys, hub_env):
    folder = str(tmp_path / "h")
    assert hub(capsys, "init", "--dir", folder)[0] == 0
    assert hub(capsys, "enroll", "--dir", folder, "--office", "AHL", "--name", "Laptop 1")[0] == 0
    piped, full = run_into_closed_pipe_and_full_disk(
        [sys.executable, "-m", "sync.hub.cli", "devices", "--dir", folder], dict(os.environ))
    assert piped.returncode == 0 and piped.stderr == ""
    if full is not None:
        assert full.returncode == 1 and full.stderr.count("\n") == 1 and "Traceback" not in full.stderr
