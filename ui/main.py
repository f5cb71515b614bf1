"""Start-up of the desktop app: Qt application, fonts, language, store folder, main window.

`run(store=None, demo=False, lang=None)`: with `demo` the demo store (fictional
data) is created and filled on first run, and its passphrase is shown on the
lock screen. Unexpected errors are shown in a dialog without personal data
instead of ending the program.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

import i18n
from app.paths import DEMO_LOGIN, DEMO_PASSPHRASE, demo_store_dir, resolve_store_dir
from app.session import Session
from app.store import StoreError
from i18n import _
from i18n.commandline import argparse_in_ui_language, set_language_from_argv

from . import casework, settings
from .conflicts_page import conflicts_page
from .courses_case_tab import courses_tab
from .courses_page import courses_page
from .duplicates_page import duplicates_page
from .fonts import use_bundled_fallbacks
from .employers_case_tab import work_offers_tab
from .employers_page import employers_page
from .main_window import MainWindow, Parts
from .offices_page import offices_page
from .qt_i18n import apply_qt_language
from .statistics_page import statistics_page
from .today_page import today_page


def apply_language(app: QApplication, lang: str) -> None:
    """Our catalogs, Qt's own (standard dialogs), the default locale and the layout direction."""
    i18n.set_language(lang)
    apply_qt_language(app, lang)


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, StoreError):  # full disk, failing disk: a sentence for the user, data kept on screen
        if QApplication.instance() is not None:
            QMessageBox.warning(None, _("Sprechstunde"), str(exc))
        return
    # Only the type and place are shown: messages may quote personal data.
    where = traceback.extract_tb(tb)[-1] if tb else None
    place = f"{where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    print(f"sprechstunde: unexpected {exc_type.__name__} at {place}", file=sys.stderr)
    if QApplication.instance() is not None:
        QMessageBox.critical(None, _("Sprechstunde"),
                             _("An unexpected error occurred ({kind}). Your saved data is safe; "
                               "the last action may not have been completed.").format(kind=exc_type.__name__))


def load_fonts(app: QApplication) -> None:
    """The bundled fonts, and the application font falling back to them (Ge'ez and Arabic script)."""
    use_bundled_fallbacks(app)


def build_app(argv=None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("Sprechstunde")
    app.setApplicationName("Sprechstunde")
    load_fonts(app)
    return app


def main_window_parts() -> Parts:
    """The composition root: which pages, case tabs and language switch the main window gets."""
    return Parts(
        pages=(conflicts_page, duplicates_page, statistics_page, casework.due_page, courses_page, employers_page,
               today_page, offices_page),
        tabs=(*casework.tab_factories(), courses_tab, work_offers_tab),
        apply_language=lambda code: apply_language(QApplication.instance(), code),
    )


def build_main_window(session: Session, hint: str = "") -> MainWindow:
    return MainWindow(session, main_window_parts(), hint)


def run(store=None, demo: bool = False, lang: str | None = None) -> int:
    app = build_app()
    apply_language(app, lang or settings.get(settings.LANGUAGE))
    hint = ""
    if demo:
        path = demo_store_dir()
        if not Session(path).exists:
            print(_("Creating the demo store with fictional data in {path} …").format(path=path), file=sys.stderr)
            Session(path).create_demo(DEMO_PASSPHRASE, DEMO_LOGIN)  # its reference day is today
        hint = _("Demo store with fictional data. Login: {login}, passphrase: {passphrase}").format(
            login=DEMO_LOGIN, passphrase=DEMO_PASSPHRASE)
    else:
        path = resolve_store_dir(store)
    sys.excepthook = _excepthook
    window = build_main_window(Session(path), hint)
    window.show()
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    """The desktop app's entry point (`sprechstunde-gui`, `python -m ui`, the bundle's windowed program).

    `sprechstunde` without a subcommand opens the same window from the command line."""
    set_language_from_argv(sys.argv[1:] if argv is None else argv)  # the help in the language asked for
    with argparse_in_ui_language():
        parser = argparse.ArgumentParser(prog="sprechstunde-gui", description=_("Sprechstunde: the desktop app"))
        parser.add_argument("--store", metavar=_("DIR"), help=_("store folder (default: the platform data folder)"))
        parser.add_argument("--demo", action="store_true", help=_("open or create the demo store with demo data"))
        parser.add_argument("--lang", metavar=_("LANG"),
                            help=_("UI language (de, en); default: the last one chosen, else de"))
        args = parser.parse_args(argv)
    return run(store=args.store, demo=args.demo, lang=args.lang)
