"""Helpers for the bad-input tests of the command lines: run `cli.main.main` in-process against real
SQLCipher stores and check that an error is one line on stderr (no traceback). Their environment is the
`cli_env` fixture of tests/cli/conftest.py."""

import os
import subprocess

from tests.conftest import PASSPHRASE, ROOT


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


def run_into_closed_pipe_and_full_disk(argv: list[str], env: dict):
    """Run a command whose reader has gone (`... | head`), then with stdout on a full disk (/dev/full).

    Returns both CompletedProcesses (the second None where /dev/full is missing). Output
    stays buffered until exit, as when stdout is not a terminal."""
    env = {k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        piped = subprocess.run(argv, cwd=ROOT, env=env, stdout=write_end, stderr=subprocess.PIPE, text=True,
                               timeout=120)
    finally:
        os.close(write_end)
    if not os.path.exists("/dev/full"):
        return piped, None
    with open("/dev/full", "w") as full:
        return piped, subprocess.run(argv, cwd=ROOT, env=env, stdout=full, stderr=subprocess.PIPE, text=True,
                                     timeout=120)
