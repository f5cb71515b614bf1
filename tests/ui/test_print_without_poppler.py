"""Printing on a fresh laptop: preview, save and print need no external program (no `pdftoppm`)."""

import io
import shutil

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pypdf import PdfReader

from app.repository import Repository
from tests.app.family_o import register_family


def _no_programs(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("pdftoppm") is None


def _ink(image) -> int:
    """How many sampled pixels are not white (the page has text on it)."""
    dark = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            if QColor(image.pixel(x, y)).lightness() < 200:
                dark += 1
    return dark


def test_preview_save_and_print_with_no_pdftoppm_on_path(qtbot, store, window_for, monkeypatch, tmp_path, settle):
    _no_programs(monkeypatch, tmp_path)
    repo = Repository(store)
    res = register_family(repo)
    win = window_for(store)
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    view.client_lang.setCurrentIndex(view.client_lang.findData("ar"))

    with qtbot.waitSignal(view.preview_opened, timeout=20_000) as opened:
        view.print_document("consent")  # what the print menu does
    dialog = opened.args[0]
    assert dialog is not None
    pages = len(PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert len(dialog.pages) == pages >= 1
    first = dialog.pages[0]
    assert not first.isNull() and abs(first.width() / first.height() - 210 / 297) < 0.01  # A4
    assert _ink(first) > 50  # text was drawn, not a blank page

    target = tmp_path / "out" / "consent.pdf"
    target.parent.mkdir()
    monkeypatch.setattr("ui.print_dialog.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "PDF (*.pdf)"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == dialog.pdf

    printed = tmp_path / "printer.pdf"

    class PrintToFile:  # stands in for QPrintDialog: the "printer" writes a PDF file
        def __init__(self, printer, parent=None):
            from PySide6.QtPrintSupport import QPrinter

            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))

        def exec(self):
            from PySide6.QtWidgets import QDialog

            return QDialog.DialogCode.Accepted

    monkeypatch.setattr("PySide6.QtPrintSupport.QPrintDialog", PrintToFile)
    with qtbot.waitSignal(dialog.printed, timeout=30_000) as done:
        assert dialog.print_() is True
        assert not dialog.print_button.isEnabled()  # painted on a pool thread meanwhile
    assert done.args == [None]
    assert len(PdfReader(str(printed)).pages) == pages


def test_an_unreadable_pdf_gives_no_preview_but_no_error(qtbot, monkeypatch, tmp_path):
    from ui.print_dialog import DocumentDialog

    _no_programs(monkeypatch, tmp_path)
    dialog = DocumentDialog(b"not a pdf", "x.pdf")
    qtbot.addWidget(dialog)
    assert dialog.pages == []
