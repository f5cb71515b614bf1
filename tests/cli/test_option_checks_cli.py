"""Option values out of range are refused before the store is opened; merge refusals are translated."""

import pytest

from tests.cli.badinput import cli, made_store, one_line

pytestmark = pytest.mark.usefixtures("cli_env")  # tests/cli/conftest.py


def test_option_values_out_of_range(tmp_path, capsys):
    path = str(made_store(tmp_path))
    cases = [
        (["stats", "--year", "abc"], "--year: keine Jahreszahl"),
        (["duplicates", "--threshold", "nan"], "--threshold muss zwischen 0 und 1"),
        (["duplicates", "--threshold", "1.5"], "--threshold muss zwischen 0 und 1"),
        (["due", "--date", "2026-13-01"], "--date: kein Datum"),
        (["due", "--office", "XYZ"], "--office: unbekannter Standort XYZ"),
        (["print", "handover", "--case", "X", "--to", "XYZ", "--out", str(tmp_path / "h.pdf")],
         "--to: unbekannte Stelle XYZ"),
    ]
    for argv, expected in cases:
        code, _out, err = cli(capsys, *argv, "--store", path)
        assert code == 1 and expected in one_line(err), argv
    assert not (tmp_path / "h.pdf").exists()


def test_merge_refusal_is_translated(tmp_path, capsys):
    path = made_store(tmp_path)
    code, _out, err = cli(capsys, "duplicates", "--store", str(path), "--merge", "nope1", "nope2")
    assert code == 1 and one_line(err) == "sprechstunde: unbekannte Person"
