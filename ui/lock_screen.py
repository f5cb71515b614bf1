"""The lock screen: create a new store, or unlock one with a passphrase or the recovery key.

The slow key derivation runs off the GUI thread; wrong passphrases, waiting
times and damaged files are shown as a message on the screen, never as a
traceback. After creating a store the recovery key is shown once.

Logins: the store's key file names nobody, so before the first unlock the screen
offers no logins; it remembers only the hashed login of whoever unlocked last on
this laptop (ui.settings) and, if that still opens a wrap, unlocks as them when
the login field is left empty (its placeholder says so). After an unlock the
session knows the logins from the encrypted store, and the screen offers them
with the last one preselected.

Keyboard: whenever the screen is shown (at start, after auto-lock or Ctrl+L, after a
language switch) the focus is in the passphrase field if the login is known (the
last one used on this laptop), in the login field otherwise. Enter in a field moves
on to the next one and submits from the last; the login field never takes a
passphrase that was typed "blind" at start once someone has unlocked on this laptop.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from app.session import Session
from app.store import StoreError, TooManyAttempts
from i18n import _

from . import settings
from .tasks import run_in_background


class LockScreen(QWidget):
    """Emits `unlocked(store)` once a store is open (created or unlocked)."""

    unlocked = Signal(object)

    def __init__(self, session: Session, hint: str = "", parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("lockScreen")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setMinimumWidth(380)
        box.setMaximumWidth(460)
        self.form = QFormLayout(box)
        title = QLabel(_("Sprechstunde"))
        f = QFont(title.font())
        f.setPointSize(f.pointSize() + 8)
        f.setBold(True)
        title.setFont(f)
        self.form.addRow(title)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.form.addRow(self.info)
        self.login = QComboBox()
        self.login.setEditable(True)
        self.login.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter moves on, it adds no item
        self.name = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery = QLineEdit()
        self.recovery.setPlaceholderText("XXXX-XXXX-…")
        self.use_recovery = QCheckBox(_("Use the recovery key"))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.login.lineEdit().returnPressed.connect(
            lambda: (self.name if self.creating else self._secret_field()).setFocus())
        self.name.returnPressed.connect(self.passphrase.setFocus)
        self.passphrase.returnPressed.connect(self.repeat.setFocus if not session.exists else self._submit)
        self.repeat.returnPressed.connect(self._submit)
        self.recovery.returnPressed.connect(self._submit)
        self.use_recovery.toggled.connect(self._toggle_recovery)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.creating = not session.exists
        self.remembered: str | None = None  # the login hash to unlock as when the login field is empty
        if self.creating:
            self.info.setText(_("No store exists in {path} yet. Create it now: you will be its first staff member.")
                              .format(path=session.path))
            self.form.addRow(_("Login"), self.login)
            self.form.addRow(_("Name"), self.name)
            self.form.addRow(_("Passphrase"), self.passphrase)
            self.form.addRow(_("Repeat passphrase"), self.repeat)
            self.button.setText(_("Create store"))
        else:
            self.info.setText(_("The store in {path} is locked.").format(path=session.path))
            self._offer_logins()
            self.form.addRow(_("Login"), self.login)
            self.form.addRow(_("Passphrase"), self.passphrase)
            self.form.addRow(self.use_recovery)
            self.form.addRow(_("Recovery key"), self.recovery)
            self.form.setRowVisible(self.recovery, False)
            self.button.setText(_("Unlock"))
        self.form.addRow(self.error)
        self.form.addRow(self.button)
        self.form.addRow(self.hint)
        centred = QHBoxLayout()  # stretches, not an alignment: the box keeps height-for-width (wrapped info)
        centred.addStretch(1)
        centred.addWidget(box)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(lambda: self.button.setEnabled(True))

    def _offer_logins(self) -> None:
        """The logins the session learnt at an earlier unlock, the last one preselected; before any unlock
        in this run, the remembered login hash (or the clear login an older version kept)."""
        session = self.session
        logins = list(session.known_logins)
        self.login.addItems(logins)
        if session.last_login in logins:
            self.login.setCurrentIndex(logins.index(session.last_login))
            return
        self.login.setCurrentIndex(-1)
        remembered = settings.get(settings.LAST_LOGIN)
        if remembered and session.knows_login_hash(remembered):
            self.remembered = remembered
            self.login.lineEdit().setPlaceholderText(_("as last time on this laptop"))
        elif legacy := settings.get(settings.LEGACY_LAST_LOGIN):
            self.login.setEditText(legacy)

    def first_field(self) -> QWidget:
        """Where typing should go: the passphrase (or recovery key) once a login is known."""
        if self.creating or not (self.login.currentText().strip() or self.remembered):
            return self.login
        return self._secret_field()

    def _secret_field(self) -> QLineEdit:
        return self.recovery if self.use_recovery.isChecked() else self.passphrase

    def focus_first_field(self) -> None:
        self.first_field().setFocus()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self.focus_first_field()
        # once more after the event: QStackedWidget moves the focus to the first child of the new page
        QTimer.singleShot(0, self, self.focus_first_field)

    def _toggle_recovery(self, on: bool) -> None:
        self.form.setRowVisible(self.recovery, on)
        self.form.setRowVisible(self.passphrase, not on)
        self._secret_field().setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        self.error.clear()
        session = self.session
        login = self.login.currentText().strip() or None
        if self.creating:
            if self.passphrase.text() != self.repeat.text():
                self.show_error(_("The two passphrases differ."))
                return
            if not login:
                self.show_error(_("Please enter a login."))
                return
            pw, name = self.passphrase.text(), self.name.text().strip()
            job = lambda: session.create_store(pw, login, name)  # noqa: E731
        elif self.use_recovery.isChecked():
            key = self.recovery.text()
            job = lambda: (session.open_store_with_recovery(key), None)  # noqa: E731
        else:
            pw, remembered = self.passphrase.text(), None if login else self.remembered
            if not (login or remembered):
                self.show_error(_("Please enter a login."))
                self.login.setFocus()
                return
            job = lambda: (session.open_store(pw, login, login_hash=remembered), None)  # noqa: E731
        self.button.setEnabled(False)
        self.button.setText(_("Please wait…"))
        remember = not self.use_recovery.isChecked()
        run_in_background(job, lambda result: self._done(result, remember), self._failed)

    def _reset_button(self) -> None:
        self.button.setText(_("Create store") if self.creating else _("Unlock"))
        self.button.setEnabled(True)

    def _done(self, result, remember: bool = False) -> None:
        store, recovery = result
        self._reset_button()
        self.passphrase.clear()
        self.repeat.clear()
        self.recovery.clear()
        if recovery:
            RecoveryKeyDialog(recovery, self).exec()
        self.unlocked.emit(store)  # the window attaches the store to the session
        if remember and self.session.is_open:
            settings.remember_login(self.session.login_hash())

    def _failed(self, exc: Exception) -> None:
        self._reset_button()
        self.passphrase.clear()
        self.repeat.clear()
        self.focus_first_field()
        if isinstance(exc, TooManyAttempts):
            self.button.setEnabled(False)
            self._retry.start(int(exc.wait_s * 1000) + 500)
        if isinstance(exc, StoreError):
            self.show_error(str(exc))
        else:
            self.show_error(_("The store could not be opened: {reason}").format(reason=type(exc).__name__))


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; the user confirms they have written it down."""

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Recovery key"))
        lay = QVBoxLayout(self)
        text = QLabel(_("This recovery key opens the store if every passphrase is lost. It is shown only now. "
                        "Print or write it down and keep it locked away."))
        text.setWordWrap(True)
        lay.addWidget(text)
        box = QPlainTextEdit(key)
        box.setReadOnly(True)
        box.setFont(QFont("monospace", 14))
        box.setMaximumHeight(80)
        lay.addWidget(box)
        self.confirm = QCheckBox(_("I have written the recovery key down."))
        lay.addWidget(self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.confirm.toggled.connect(ok.setEnabled)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)
