"""Helpers for the bad-input tests of the command lines: run `cli.main.main` in-process against real
SQLCipher stores and check that an error is one line on stderr (no traceback)."""

import pytest

from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def cli_env(monkeypatch):
    monkeypatch.setenv("SPRECHSTUNDE_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SPRECHSTUNDE_LOGIN", raising=False)
    monkeypatch.delenv("SPRECHSTUNDE_NEW_PASSPHRASE", raising=False)


def cli(capsys, *argv):
    from cli.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("sprechstunde: ")
    return lines[0]


def made_store(tmp_path, name="s"):
    from app.store import Store

    s, _recovery = Store.create(tmp_path / name, PASSPHRASE)
    s.close()
    return tmp_path / name
