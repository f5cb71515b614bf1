"""Adding a staff member and changing a passphrase from the GUI and the CLI."""

import os
import subprocess
import sys

from app.session import Session
from app.store import Store, WrongPassphrase
from tests.conftest import PASSPHRASE, ROOT
from ui.staff_dialogs import PassphraseDialog


def test_add_member_and_change_passphrase(qtbot, store):
    session = Session(store.path)
    session.attach(store)
    dlg = PassphraseDialog(session, True)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.login, "bodo")
    qtbot.keyClicks(dlg.passphrase, "bodos-geheimnis")
    qtbot.keyClicks(dlg.repeat, "bodos-geheimnis")
    dlg.submit()
    assert dlg.result() == 1
    dlg = PassphraseDialog(session, True)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.login, "bodo")
    qtbot.keyClicks(dlg.passphrase, "kurz")
    qtbot.keyClicks(dlg.repeat, "kurz")
    dlg.submit()
    assert dlg.result() == 0 and dlg.error.text()  # too short / taken: said, dialog stays
    dlg = PassphraseDialog(session, False)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.passphrase, "annas-neues-geheimnis")
    qtbot.keyClicks(dlg.repeat, "annas-neues-geheimnis")
    dlg.submit()
    assert dlg.result() == 1
    session.lock()
    Store.open(store.path, "bodos-geheimnis", "bodo").close()
    Store.open(store.path, "annas-neues-geheimnis").close()
    try:
        Store.open(store.path, PASSPHRASE)
        raise AssertionError("the old passphrase still opens the store")
    except WrongPassphrase:
        pass


def test_cli_staff_add_list_and_passphrase(store):
    path = str(store.path)
    store.close()
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": PASSPHRASE,
           "SPRECHSTUNDE_NEW_PASSPHRASE": "carlas-geheimnis"}

    def run(*args, **extra):
        return subprocess.run([sys.executable, "-m", "app", *args, "--store", path], cwd=ROOT,
                              env={**env, **extra}, capture_output=True, text=True, timeout=60)

    assert run("staff", "add", "--login", "carla").returncode == 0
    assert run("staff", "add", "--login", "dilan", "--name", "Dilan Aydin", "--agency", "jc",
               "--role", "pap").returncode == 0
    r = run("staff", "list")
    assert r.returncode == 0 and r.stdout.splitlines() == [
        "anna\tKI\tadmin\tAnna Beispiel", "carla\tKI\tintake\tcarla", "dilan\tJC\tpap\tDilan Aydin"]
    bad = run("staff", "add", "--login", "emil", "--role", "boss")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1 and "boss" in bad.stderr
    # an intake worker may not add staff: one line, exit 1, nothing written
    r = run("staff", "add", "--login", "fritz", SPRECHSTUNDE_PASSPHRASE="carlas-geheimnis", SPRECHSTUNDE_LOGIN="carla")
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "fritz" not in run("staff", "list").stdout
    assert run("staff", "add", "--login", "Carla").returncode == 1  # taken
    assert run("passphrase", SPRECHSTUNDE_PASSPHRASE="carlas-geheimnis", SPRECHSTUNDE_LOGIN="carla",
               SPRECHSTUNDE_NEW_PASSPHRASE="carlas-zweites-geheimnis").returncode == 0
    Store.open(store.path, "carlas-zweites-geheimnis", "carla").close()


def test_the_dialog_gives_a_new_member_an_agency_and_a_role(qtbot, store):
    session = Session(store.path)
    session.attach(store)
    dlg = PassphraseDialog(session, True)
    qtbot.addWidget(dlg)
    assert dlg.agency.currentData() == "KI" and dlg.role.currentData() == "intake"  # own agency, least role
    assert [dlg.role.itemData(i) for i in range(dlg.role.count())] == [
        "intake", "ifk", "pap", "saf", "interpreter", "central", "dpo", "admin"]
    qtbot.keyClicks(dlg.login, "jana")
    dlg.agency.setCurrentIndex(dlg.agency.findData("JC"))
    dlg.role.setCurrentIndex(dlg.role.findData("pap"))
    qtbot.keyClicks(dlg.passphrase, "janas-geheimnis")
    qtbot.keyClicks(dlg.repeat, "janas-geheimnis")
    dlg.submit()
    assert dlg.result() == 1
    jana = next(m for m in session.staff_members() if m["login"] == "jana")
    assert (jana["agency"], jana["role"]) == ("JC", "pap")
    session.lock()
