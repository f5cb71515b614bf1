"""Dialogs for the key hierarchy: add a staff member, change one's own passphrase.

Both only re-wrap the data key (app.store); nothing is re-encrypted. A new member gets an
agency and a role (resources/roles.json; the role decides what they may see, app.access). The new
passphrase is asked twice; errors (too short, login taken) are shown in the
dialog, which stays open.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from app.access import AccessDenied
from app.consent import agency_label
from app.store import StoreError
from i18n import _


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PassphraseDialog(QDialog):
    """With `with_login`: a new staff member (login, name, passphrase); else a new own passphrase."""

    def __init__(self, session, with_login: bool, parent=None):
        super().__init__(parent)
        self.session = session
        self.with_login = with_login
        self.setWindowTitle(_("Add staff member") if with_login else _("Change passphrase"))
        form = QFormLayout(self)
        self.login = QLineEdit()
        self.name = QLineEdit()
        self.agency = QComboBox()
        self.agency.setObjectName("staffAgency")
        self.role = QComboBox()
        self.role.setObjectName("staffRole")
        if with_login:
            form.addRow(_("Login"), self.login)
            form.addRow(_("Name"), self.name)
            access = session.access
            for code in access.roles.agencies:
                self.agency.addItem(agency_label(code), code)
            self.agency.setCurrentIndex(max(0, self.agency.findData(access.actor.agency)))
            for code, role in access.roles.roles.items():
                self.role.addItem(_(role.label), code)
            self.role.setCurrentIndex(max(0, self.role.findData(access.roles.default_new_role)))
            form.addRow(_("Agency"), self.agency)
            form.addRow(_("Role"), self.role)
        self.passphrase = _password()
        self.repeat = _password()
        form.addRow(_("New passphrase"), self.passphrase)
        form.addRow(_("Repeat passphrase"), self.repeat)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self.error.setText(_("The two passphrases differ."))
            return
        if self.with_login and not self.login.text().strip():
            self.error.setText(_("Please enter a login."))
            return
        try:
            if self.with_login:
                self.session.add_member(self.login.text().strip(), self.passphrase.text(), self.name.text().strip(),
                                        self.agency.currentData(), self.role.currentData())
            else:
                self.session.change_passphrase(self.passphrase.text())
        except (StoreError, AccessDenied) as exc:
            self.error.setText(str(exc))
            return
        self.accept()
