"""The command lines in the UI language: argparse's own texts and the language option.

`sprechstunde` and `sprechstunde-hub` build their parsers after the language is
known (`language_from_argv` reads `--lang` before the subcommand, as argparse
would) and run inside `argparse_in_ui_language()`, which points argparse's
gettext functions (`argparse._`, `argparse.ngettext`) at our catalog for the
duration: "usage:", "options:", "the following arguments are required", "invalid
choice" and the rest come out in German by default and in English with
`--lang en`. The texts are msgids of the `messages` catalog (listed below, so
that extraction keeps them); argparse outside the context is left alone.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import Iterator

import i18n
from i18n import N_

LANG_OPTION = "--lang"

# argparse's messages that people meet (Python 3.11 msgids; `%` placeholders as argparse fills them)
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _marks_plurals_for_extraction() -> None:  # never called
    i18n.ngettext("expected %s argument", "expected %s arguments", 2)


def _gettext(message):
    if not message:
        return message
    return i18n.translations(i18n.current_language()).gettext(message)


def _ngettext(singular, plural, n):
    return i18n.translations(i18n.current_language()).ngettext(singular, plural, n)


@contextmanager
def argparse_in_ui_language() -> Iterator[None]:
    """argparse speaks the current UI language inside the block (build the parser and parse in it)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def language_from_argv(argv: list[str]) -> str | None:
    """The value of `--lang` among the options before the subcommand (`--lang en`, `--lang=en`,
    an unambiguous prefix such as `--la en`); None when not given. Options after the subcommand
    are its own (`sprechstunde print ... --lang ar` is the document's language)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--" or not arg.startswith("-"):
            return None
        name, eq, value = arg.partition("=")
        if len(name) >= 3 and LANG_OPTION.startswith(name):
            if eq:
                return value
            return argv[i + 1] if i + 1 < len(argv) else None
        i += 1
    return None


def set_language_from_argv(argv: list[str]) -> None:
    """Speak the `--lang` of argv when it names a UI language, else the default (German): a command's
    language comes from its own arguments only (an unknown value is reported once the parser has run)."""
    from . import locale as loc

    lang = i18n.DEFAULT_LANGUAGE
    value = language_from_argv(argv)
    if value:
        try:
            normalized = loc.normalize(value)
        except (OSError, ValueError):
            normalized = None
        if normalized in i18n.UI_LANGUAGES:
            lang = normalized
    i18n.set_language(lang)
