"""The lock screen's keyboard: a passphrase typed straight away never shows in a field."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.session import Session
from app.store import Store
from ui import settings
from ui.main import build_main_window

PASS = "richtig-geheim"
SECRET = "Sonnenblume-42"  # a second member's passphrase


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    s, _recovery = Store.create(path, PASS, login="anna", name="Anna")
    s.close()
    return path


def _shown(qtbot, path):
    win = build_main_window(Session(path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return win


def _back_to(qtbot, win):
    """Let the lock settle; if the window lost activation meanwhile (the offscreen platform moves it
    when the workspace's windows go), the user comes back to it: the focus is where the screen put it."""
    qtbot.wait(50)
    if QApplication.activeWindow() is not win:
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)


def _visible_anywhere(win, text) -> list[str]:
    """Names of the widgets that show `text` in clear."""
    shown = []
    for edit in win.findChildren(QLineEdit):
        if text in edit.text() and edit.echoMode() == QLineEdit.EchoMode.Normal:
            shown.append(edit.objectName() or type(edit.parent()).__name__)
    for combo in win.findChildren(QComboBox):
        if any(text in combo.itemText(i) for i in range(combo.count())):
            shown.append("combo item")
    return shown


def _type_blind(qtbot, text):
    """Type where the keyboard focus is, as a person would who does not look at the screen."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClicks(widget, text)
    return widget


def _first_unlock(qtbot, path, login, passphrase, settle):
    """The first unlock on this laptop: nobody is remembered, so the login field has the focus; type the
    login, Enter, the passphrase, Enter. Returns the window, unlocked."""
    win = _shown(qtbot, path)
    ls = win.lock_screen
    assert ls.login.count() == 0 and ls.login.currentText() == ""  # the key file names nobody
    assert QApplication.focusWidget() is ls.login
    qtbot.keyClick(_type_blind(qtbot, login), Qt.Key.Key_Return)
    assert QApplication.focusWidget() is ls.passphrase
    qtbot.keyClick(_type_blind(qtbot, passphrase), Qt.Key.Key_Return)
    settle()
    assert win.session.is_open
    return win


def _settings_text() -> str:
    """Everything this laptop's settings hold, keys and values."""
    store = settings.settings()
    return " ".join(f"{k}={store.value(k)!r}" for k in store.allKeys())


def test_a_passphrase_typed_at_start_and_after_lock_never_shows(qtbot, store_path, settle):
    _first_unlock(qtbot, store_path, "anna", PASS, settle).close()
    assert "anna" not in _settings_text()  # remembered as its hash only

    win = _shown(qtbot, store_path)  # the next start: the passphrase field, unlocking as anna
    ls = win.lock_screen
    assert ls.login.currentText() == "" and ls.login.lineEdit().placeholderText()
    target = _type_blind(qtbot, PASS)
    assert target is ls.passphrase
    assert _visible_anywhere(win, PASS) == []
    qtbot.keyClick(target, Qt.Key.Key_Return)
    settle()
    assert win.session.is_open and win.session.staff_name == "Anna"
    _back_to(qtbot, win)  # the window may have lost activation while the workspace was built

    # Ctrl+L: the new lock screen has the focus in its passphrase field again
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not win.session.is_open and win.lock_screen is not ls
    assert win.lock_screen.login.currentText() == "anna"  # learnt from the encrypted store
    _back_to(qtbot, win)
    assert QApplication.focusWidget() is win.lock_screen.passphrase
    target = _type_blind(qtbot, "falsch-falsch")
    assert _visible_anywhere(win, "falsch") == []
    qtbot.keyClick(target, Qt.Key.Key_Return)
    settle()
    assert not win.session.is_open and win.lock_screen.error.text()
    assert QApplication.focusWidget() is win.lock_screen.passphrase  # and stays there after a wrong one

    # auto-lock: the same
    win.lock_screen.button.setEnabled(True)  # skip the one-second wait after the wrong passphrase
    target = _type_blind(qtbot, PASS)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    settle()
    assert win.session.is_open
    win.idle.set_minutes(0.001)
    qtbot.waitUntil(lambda: win.lock_screen is not None, timeout=3000)
    win.idle.set_minutes(0)
    _back_to(qtbot, win)
    assert QApplication.focusWidget() is win.lock_screen.passphrase
    _type_blind(qtbot, PASS)
    assert _visible_anywhere(win, PASS) == []


def test_an_unknown_login_and_a_wrong_passphrase_read_the_same(qtbot, store_path, settle):
    win = _shown(qtbot, store_path)
    ls = win.lock_screen
    messages = []
    for login, passphrase in (("niemand", PASS), ("anna", "falsch-falsch")):
        ls.button.setEnabled(True)  # skip the wait after a failure
        ls.login.setEditText(login)
        ls.passphrase.setText(passphrase)
        qtbot.keyClick(ls.passphrase, Qt.Key.Key_Return)
        settle()
        assert not win.session.is_open
        messages.append(ls.error.text())
    assert messages[0] == messages[1] == "Die Anmeldung oder die Passphrase ist nicht richtig."


def test_enter_in_the_login_field_moves_on_and_the_last_login_is_remembered(qtbot, store_path, settle):
    s = Store.open(store_path, PASS, "anna")
    try:
        s.add_member("bernd", SECRET, "Bernd")
    finally:
        s.close()

    win = _first_unlock(qtbot, store_path, "anna", PASS, settle)
    win.lock()
    ls = win.lock_screen
    assert [ls.login.itemText(i) for i in range(ls.login.count())] == ["anna", "bernd"]
    _back_to(qtbot, win)
    assert QApplication.focusWidget() is ls.passphrase  # anna, who unlocked, is preselected
    qtbot.keyClick(ls.passphrase, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back to the login
    assert QApplication.focusWidget() is ls.login
    ls.login.lineEdit().selectAll()
    _type_blind(qtbot, "bernd")
    qtbot.keyClick(ls.login, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is ls.passphrase and win.lock_screen is ls and not win.session.is_open
    assert ls.login.count() == 2  # Enter added no item
    _type_blind(qtbot, SECRET)
    qtbot.keyClick(ls.passphrase, Qt.Key.Key_Return)
    settle()
    assert win.session.is_open and win.session.staff_name == "Bernd"
    assert "bernd" not in _settings_text() and "anna" not in _settings_text()

    win.lock()
    assert win.lock_screen.login.currentText() == "bernd"  # preselected: the passphrase field has the focus
    _back_to(qtbot, win)
    assert QApplication.focusWidget() is win.lock_screen.passphrase
    win.close()

    win = _shown(qtbot, store_path)  # the next start remembers bernd, without naming him
    assert QApplication.focusWidget() is win.lock_screen.passphrase
    qtbot.keyClick(_type_blind(qtbot, SECRET), Qt.Key.Key_Return)
    settle()
    assert win.session.is_open and win.session.staff_name == "Bernd"


def test_the_clear_login_an_older_version_remembered_is_used_once_then_dropped(qtbot, store_path, settle):
    settings.put(settings.LEGACY_LAST_LOGIN, "anna")
    win = _shown(qtbot, store_path)
    assert win.lock_screen.login.currentText() == "anna"
    assert QApplication.focusWidget() is win.lock_screen.passphrase
    qtbot.keyClick(_type_blind(qtbot, PASS), Qt.Key.Key_Return)
    settle()
    assert win.session.is_open
    assert "anna" not in _settings_text()


def test_the_recovery_key_field_takes_the_focus_when_chosen(qtbot, store_path):
    win = _shown(qtbot, store_path)
    ls = win.lock_screen
    ls.use_recovery.setChecked(True)
    assert QApplication.focusWidget() is ls.recovery


def test_creating_a_store_starts_in_the_login_and_enter_walks_the_fields(qtbot, tmp_path, settle, monkeypatch):
    monkeypatch.setattr("ui.lock_screen.RecoveryKeyDialog.exec", lambda self: 0)
    win = _shown(qtbot, tmp_path / "new")
    ls = win.lock_screen
    assert ls.creating and QApplication.focusWidget() is ls.login
    for text, nxt in (("anna", ls.name), ("Anna B.", ls.passphrase), (PASS, ls.repeat)):
        widget = _type_blind(qtbot, text)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert QApplication.focusWidget() is nxt
    assert _visible_anywhere(win, PASS) == []
    qtbot.keyClick(_type_blind(qtbot, PASS), Qt.Key.Key_Return)
    settle()
    assert win.session.is_open

