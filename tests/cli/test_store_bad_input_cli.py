"""Bad input to init, demo, import, staff, passphrase, forms/rules check: one line, nothing half-written."""

import pytest

from tests.cli.badinput import cli, made_store, one_line

pytestmark = pytest.mark.usefixtures("cli_env")  # tests/cli/conftest.py


def test_init_where_a_file_is_in_the_way(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    code, _out, err = cli(capsys, "init", "--store", str(tmp_path / "afile"))
    assert code == 1 and "ist kein Ordner" in one_line(err)
    code, _out, err = cli(capsys, "init", "--store", str(tmp_path / "afile" / "sub"))
    assert code == 1 and "kann nicht angelegt werden" in one_line(err)


def test_failed_init_leaves_no_half_store(tmp_path, capsys):
    path = tmp_path / "s"
    (path / "keyring.tmp").mkdir(parents=True)  # the key file cannot be written after the database was made
    code, _out, err = cli(capsys, "init", "--store", str(path))
    assert code == 1 and "kann nicht angelegt werden" in one_line(err)
    assert sorted(p.name for p in path.iterdir()) == ["keyring.tmp"]


def test_empty_login_is_refused(tmp_path, capsys, monkeypatch):
    code, _out, err = cli(capsys, "init", "--store", str(tmp_path / "s"), "--login", " ")
    assert code == 1 and "Anmeldung darf nicht leer" in one_line(err)
    assert not (tmp_path / "s").exists()
    path = made_store(tmp_path)
    monkeypatch.setenv("SPRECHSTUNDE_NEW_PASSPHRASE", "noch-ein-geheimnis")
    code, _out, err = cli(capsys, "staff", "add", "--store", str(path), "--login", "")
    assert code == 1 and "Anmeldung darf nicht leer" in one_line(err)
    code, out, _err = cli(capsys, "staff", "list", "--store", str(path))
    assert code == 0 and out.split()[0::4] == ["admin"]


def test_negative_demo_size_makes_no_store(tmp_path, capsys):
    code, _out, err = cli(capsys, "demo", "--store", str(tmp_path / "d"), "--households", "-1")
    assert code == 1 and "--households" in one_line(err)
    assert not (tmp_path / "d").exists()


def test_json_nested_too_deeply(tmp_path, capsys):
    path = made_store(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, _out, err = cli(capsys, "import", str(deep), "--store", str(path))
    assert code == 1 and "kein gültiges JSON" in one_line(err)
    for group in ("forms", "rules"):
        code, _out, err = cli(capsys, group, "check", str(deep))
        assert code == 1 and "zu tief verschachtelt" in one_line(err)


def test_keyring_that_cannot_be_written(tmp_path, capsys, monkeypatch):
    path = made_store(tmp_path)
    before = (path / "keyring.json").read_bytes()
    (path / "keyring.tmp").mkdir()
    monkeypatch.setenv("SPRECHSTUNDE_NEW_PASSPHRASE", "noch-ein-geheimnis")
    for argv in (["passphrase"], ["staff", "add", "--login", "bob"]):
        code, _out, err = cli(capsys, *argv, "--store", str(path))
        assert code == 1 and "keyring.json kann nicht geschrieben werden" in one_line(err)
    assert (path / "keyring.json").read_bytes() == before
