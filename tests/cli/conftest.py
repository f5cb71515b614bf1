"""Fixtures of the command-line tests."""

import pytest

from tests.conftest import PASSPHRASE


@pytest.fixture
def cli_env(monkeypatch):
    """The environment of the bad-input tests (tests/cli/badinput.py): the passphrase from
    SPRECHSTUNDE_PASSPHRASE, no login or new passphrase preset. A module asks for it with
    ``pytestmark = pytest.mark.usefixtures("cli_env")``."""
    monkeypatch.setenv("SPRECHSTUNDE_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SPRECHSTUNDE_LOGIN", raising=False)
    monkeypatch.delenv("SPRECHSTUNDE_NEW_PASSPHRASE", raising=False)
