"""The offline lease on the command line: printing, the due list and conflicts refuse with one line
(exit 1) while the laptop has not synced for longer than its lease; within the lease they work."""

import datetime as dt

import pytest

from app.documents.sample import make_case
from app.repository import Repository
from cli.main import main

pytestmark = pytest.mark.usefixtures("cli_env")


def _enrolled(store, days_ago: int) -> None:
    store.set_meta("sync.device_id", "d-1")  # what enrollment stores; the lease counts from the last sync
    store.set_meta("sync.lease_days", "30")
    store.set_meta("sync.last_sync", (dt.date.today() - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT12:00:00+0000"))


@pytest.mark.parametrize("command", [["print", "export", "--case", "{number}", "--out", "{out}"],
                                     ["due"], ["conflicts"]])
def test_locked_after_the_lease_with_one_line(store, tmp_path, capsys, command):
    number = make_case(Repository(store), events=1)
    _enrolled(store, 31)
    path = store.path
    store.close()
    args = [a.format(number=number, out=tmp_path / "x.pdf") for a in command]
    assert main([*args, "--store", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "31 Tagen" in err[0] and "gesperrt" in err[0]
    assert not (tmp_path / "x.pdf").exists()


def test_within_the_lease_printing_works(store, tmp_path, capsys):
    number = make_case(Repository(store), events=1)
    _enrolled(store, 30)
    path = store.path
    store.close()
    assert main(["print", "export", "--case", number, "--out", str(tmp_path / "x.pdf"), "--store", str(path)]) == 0
    assert (tmp_path / "x.pdf").stat().st_size > 1000
