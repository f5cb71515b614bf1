"""Failures outside a subcommand's own checks: an unknown --lang, damaged pages found while reading, a store
folder SQLite cannot open, a closed pipe and a full disk: one line on stderr, never a traceback."""

import os
import subprocess
import sys

import pytest

from tests.conftest import PASSPHRASE, ROOT
from tests.cli.badinput import cli, made_store, one_line, run_into_closed_pipe_and_full_disk

pytestmark = pytest.mark.usefixtures("cli_env")  # tests/cli/conftest.py


def test_unknown_ui_language_is_refused(tmp_path, capsys):
    code, _out, err = cli(capsys, "--lang", "xx", "check", "--store", str(tmp_path / "none"))
    assert code == 2 and "unbekannte Sprache xx" in one_line(err)
    code, _out, err = cli(capsys, "--lang", "EN", "check", "--store", str(tmp_path / "none"))
    assert code == 1 and "there is no store" in one_line(err)


def test_damage_found_while_reading_is_one_line(tmp_path, capsys):
    """Key and schema pages are sound, data pages are not: connecting works, reading the data fails."""
    from app import interchange
    from app.demo import generate
    from app.store import Store

    path = made_store(tmp_path)
    fresh = (path / "store.db").stat().st_size
    s = Store.open(path, PASSPHRASE)
    interchange.import_document(s, generate(households=20, seed=1))
    s.close()
    data = bytearray((path / "store.db").read_bytes())
    assert len(data) > fresh
    data[fresh:] = bytes(len(data) - fresh)
    (path / "store.db").write_bytes(bytes(data))
    for command in ("export", "stats", "due"):
        code, _out, err = cli(capsys, command, "--store", str(path))
        assert code == 1 and "beschädigt" in one_line(err) and "sprechstunde check" in err


def test_store_folder_that_cannot_be_opened_is_not_called_damaged(tmp_path, capsys):
    path = made_store(tmp_path)
    (path / "store.db-wal").mkdir()  # SQLite cannot open its write-ahead log
    code, _out, err = cli(capsys, "check", "--store", str(path))
    line = one_line(err)
    assert code == 1 and "kann nicht geöffnet werden" in line and "beschädigt" not in line


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["check"]])
def test_closed_pipe_and_full_disk(tmp_path, command):
    path = made_store(tmp_path)
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": PASSPHRASE}
    piped, full = run_into_closed_pipe_and_full_disk([sys.executable, "-m", "app", *command, "--store", str(path)],
                                                     env)
    assert piped.returncode == 0 and piped.stderr == ""
    if full is not None:
        assert full.returncode == 1 and "Ein-/Ausgabefehler" in one_line(full.stderr)


def test_export_with_stdout_closed(tmp_path):
    path = made_store(tmp_path)
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": PASSPHRASE}
    r = subprocess.run(["bash", "-c", f'"{sys.executable}" -m app export --store "{path}" >&-'], cwd=ROOT, env=env,
                       stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 1 and "Ein-/Ausgabefehler" in one_line(r.stderr)
