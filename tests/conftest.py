"""Shared fixtures: offscreen Qt, a cheap KDF, a fresh real SQLCipher store per test, the hub kit."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import app.keyring  # noqa: E402

# Argon2id with small parameters for the stores this process makes (hundreds of them); stores that
# test subprocesses create use the shipped cost (tests/app/test_keyring_cost.py checks that).
app.keyring.default_kdf = lambda: dict(app.keyring.LOW)
app.keyring.default_login_kdf = lambda: dict(app.keyring.LOW)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

PASSPHRASE = "richtig-geheim"

# fixtures shared beyond one folder: `hub` and `laptops` (a real hub server) for tests/sync and tests/ui
pytest_plugins = ["tests.sync.hubkit"]


@pytest.fixture
def store_dir(tmp_path):
    return tmp_path / "store"


@pytest.fixture
def store(store_dir):
    from app.store import Store

    s, _recovery = Store.create(store_dir, PASSPHRASE, login="anna", name="Anna Beispiel")
    yield s
    s.close()


@pytest.fixture
def repo(store):
    from app.repository import Repository

    return Repository(store)


@pytest.fixture(autouse=True)
def _german_ui():
    import i18n

    i18n.set_language("de")
    yield
    i18n.set_language("de")
