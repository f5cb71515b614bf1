"""One language per command: `sprechstunde` and `sprechstunde-hub` answer in German by default and in
English with `--lang en` — help, usage, argparse's own errors, messages and printed output; `--json`
output is the same in both."""

import argparse
import gettext
import json

import pytest

from cli.main import build_parser as cli_parser
from cli.main import main as cli_main
from i18n import commandline
from i18n.commandline import argparse_in_ui_language, language_from_argv
from sync.hub.cli import build_parser as hub_parser
from sync.hub.cli import main as hub_main
from tests.conftest import PASSPHRASE

# words of English prose that no German help text contains (compared on lower case, spaces normalized)
ENGLISH = (" the ", " a ", " of ", " and ", " or ", " with ", " this ", " to ", " for ", "default",
           "show this help", "usage:", "options:", "positional arguments", "file", "folder", "e.g.")


def _run(main, argv, capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # --help and usage errors leave through argparse
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _parsers(parser, path=()):
    """Every parser and subparser, with the words that lead to it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _english_words(text: str) -> list[str]:
    flat = " " + " ".join(text.lower().split()) + " "
    return [w for w in ENGLISH if w in flat]


@pytest.mark.parametrize("build", [cli_parser, hub_parser], ids=["sprechstunde", "sprechstunde-hub"])
def test_no_english_left_in_the_german_help_of_any_subcommand(build):
    with argparse_in_ui_language():
        found = {" ".join(path) or "(main)": _english_words(parser.format_help())
                 for path, parser in _parsers(build())}
    assert len(found) > 5
    assert {k: v for k, v in found.items() if v} == {}


def test_the_giveaway_check_finds_an_untranslated_text():
    parser = argparse.ArgumentParser(prog="x", add_help=False)
    parser.add_argument("--store", help="store folder (default: the platform data folder)")
    assert _english_words(parser.format_help())  # "usage:" and the help text itself


def test_hub_import_help_in_german_and_english(capsys):
    code, out, _err = _run(hub_main, ["import", "--help"], capsys)
    assert code == 0 and out.startswith("Aufruf: sprechstunde-hub import") and _english_words(out) == []
    code, out, _err = _run(hub_main, ["--lang", "en", "import", "--help"], capsys)
    assert code == 0 and out.startswith("usage: sprechstunde-hub import") and "sealed change files" in out


@pytest.mark.parametrize("main,prog", [(cli_main, "sprechstunde"), (hub_main, "sprechstunde-hub")])
def test_help_usage_errors_in_german_by_default_and_english_with_lang_en(main, prog, capsys):
    code, out, _err = _run(main, ["--help"], capsys)
    assert code == 0 and out.startswith(f"Aufruf: {prog} ")
    assert "Optionen:" in out and "diese Hilfe zeigen und beenden" in out and "Sprache der Meldungen" in out
    code, out, _err = _run(main, ["--lang", "en", "--help"], capsys)
    assert code == 0 and out.startswith(f"usage: {prog} ")
    assert "options:" in out and "show this help message and exit" in out and "Aufruf" not in out

    sub = "check" if prog == "sprechstunde" else "enroll"
    code, out, _err = _run(main, [sub, "--help"], capsys)
    assert code == 0 and out.startswith(f"Aufruf: {prog} {sub}") and "ORDNER" in out
    code, out, _err = _run(main, ["--lang=en", sub, "--help"], capsys)
    assert code == 0 and out.startswith(f"usage: {prog} {sub}") and "DIR" in out and "ORDNER" not in out

    code, _out, err = _run(main, ["nosuchcommand"], capsys)
    assert code == 2 and f"{prog}: Fehler: Argument " in err and "ungültige Auswahl: 'nosuchcommand'" in err
    code, _out, err = _run(main, ["--lang", "en", "nosuchcommand"], capsys)
    assert code == 2 and f"{prog}: error: argument " in err and "invalid choice: 'nosuchcommand'" in err

    missing = ["import"] if prog == "sprechstunde" else ["revoke"]
    code, _out, err = _run(main, missing, capsys)
    assert code == 2 and "Aufruf:" in err and "diese Argumente fehlen:" in err
    code, _out, err = _run(main, ["--lang", "en", *missing], capsys)
    assert code == 2 and "usage:" in err and "the following arguments are required:" in err
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext  # left as found


def test_argparse_errors_of_values_and_counts(capsys):
    code, _out, err = _run(cli_main, ["duplicates", "--merge", "a"], capsys)
    assert code == 2 and "Argument --merge: erwartet 2 Werte" in err
    code, _out, err = _run(cli_main, ["check", "--bogus"], capsys)
    assert code == 2 and "unbekannte Argumente: --bogus" in err
    code, _out, err = _run(cli_main, ["--lang", "en", "check", "--bogus"], capsys)
    assert code == 2 and "unrecognized arguments: --bogus" in err


def test_check_prints_german_by_default_english_with_lang_en_and_the_same_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SPRECHSTUNDE_PASSPHRASE", PASSPHRASE)
    store = str(tmp_path / "s")
    assert _run(cli_main, ["init", "--store", store], capsys)[0] == 0
    code, out, _err = _run(cli_main, ["check", "--store", store], capsys)
    assert code == 0 and "Unversehrtheit: in Ordnung" in out and "Teammitglieder: 1" in out
    assert "Haushalt 0" in out and "integrity" not in out and "staff members" not in out
    code, out_en, _err = _run(cli_main, ["--lang", "en", "check", "--store", store], capsys)
    assert code == 0 and "integrity: ok" in out_en and "staff members: 1" in out_en and "Household 0" in out_en
    docs = [json.loads(_run(cli_main, [*lang, "check", "--store", store, "--json"], capsys)[1])
            for lang in ([], ["--lang", "en"])]
    assert docs[0] == docs[1] and docs[0]["integrity"] == "ok" and "household" in docs[0]["counts"]

    code, _out, err = _run(cli_main, ["check", "--store", str(tmp_path / "none")], capsys)
    assert code == 1 and "gibt es keine Datenablage" in err
    code, _out, err = _run(cli_main, ["--lang", "en", "check", "--store", str(tmp_path / "none")], capsys)
    assert code == 1 and "there is no store" in err


def test_hub_messages_german_by_default_english_with_lang_en(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SPRECHSTUNDE_HUB_PASSPHRASE", "hub-geheim-123")
    folder = str(tmp_path / "hub")
    code, out, _err = _run(hub_main, ["init", "--dir", folder], capsys)
    assert code == 0 and "Hub in " in out and "Fingerabdruck des Zertifikats (SHA-256): " in out
    code, out, _err = _run(hub_main, ["devices", "--dir", folder], capsys)
    assert (code, out) == (0, "Keine Geräte angemeldet.\n")
    code, out, _err = _run(hub_main, ["--lang", "en", "devices", "--dir", folder], capsys)
    assert (code, out) == (0, "No devices enrolled.\n")
    code, out, _err = _run(hub_main, ["enroll", "--dir", folder, "--office", "ahl", "--name", "Laptop 1"], capsys)
    assert code == 0 and "Anmeldecode für Laptop 1 (Ahlen): " in out and "Einmal gültig, bis" in out  # office name
    code, out, _err = _run(hub_main, ["--lang", "en", "enroll", "--dir", folder, "--office", "ahl", "--name", "L2"],
                           capsys)
    assert code == 0 and "Enrollment code for L2 (Ahlen): " in out and "Valid once, until" in out
    code, out, _err = _run(hub_main, ["devices", "--dir", folder, "--json"], capsys)
    assert code == 0 and json.loads(out) == []
    code, _out, err = _run(hub_main, ["enroll", "--dir", folder, "--office", "XXX", "--name", "x"], capsys)
    assert code == 1 and "unbekannter Standort 'XXX'" in err
    code, _out, err = _run(hub_main, ["--lang", "en", "enroll", "--dir", folder, "--office", "XXX", "--name", "x"],
                           capsys)
    assert code == 1 and "unknown office 'XXX'" in err
    code, _out, err = _run(hub_main, ["serve", "--dir", folder, "--port", "99999"], capsys)
    assert code == 2 and "Argument --port: keine Portnummer (1-65535): 99999" in err
    code, _out, err = _run(hub_main, ["--lang", "xx", "devices", "--dir", folder], capsys)
    assert code == 2 and "unbekannte Sprache xx" in err


def test_the_language_option_before_the_subcommand_only():
    assert language_from_argv(["--lang", "en", "check"]) == "en"
    assert language_from_argv(["--lang=en", "check"]) == "en"
    assert language_from_argv(["--la", "en"]) == "en"
    assert language_from_argv(["--version", "--lang", "en"]) == "en"
    assert language_from_argv(["print", "consent", "--lang", "ar"]) is None  # the document's language
    assert language_from_argv(["check", "--store", "x"]) is None
    assert language_from_argv(["--lang"]) is None
    assert commandline.ARGPARSE_TEXTS  # extracted into the catalog
