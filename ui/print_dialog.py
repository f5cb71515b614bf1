"""Preview, save and print a PDF document from the GUI.

`DocumentDialog(pdf_bytes, suggested_name, pages=...)` shows the pages (rendered
in memory with PDFium through `pypdfium2`, a Python dependency: no external
program), and offers Save… (QFileDialog) and Print… (QPrintDialog; pages are
rendered to the printer as 300 dpi images on a pool thread, `ui.tasks`: QPainter may paint
on a QPrinter off the GUI thread; `printed` says when it is done). The case view makes the PDF and the preview
images off the GUI thread (`render_pages` gives QImages, which a worker thread
may create) and passes the pages in; without `pages` the dialog renders them itself.
Nothing is written to disk unless the user saves: the PDF stays in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget,
)

from i18n import _

from .screen import resize_to_fit
from .tasks import run_in_background


def render_pages(pdf: bytes, dpi: int = 80) -> list[QImage]:
    """The pages of a PDF as images, rendered in memory with PDFium (`pypdfium2`).

    No external program and no temporary file: the PDF bytes go to PDFium and each
    page comes back as an RGBX buffer that is copied into a QImage (no Pillow).
    A PDF that PDFium cannot read gives no pages (the dialog says the preview is
    not available; saving still works)."""
    return list(iter_pages(pdf, dpi))


def iter_pages(pdf: bytes, dpi: int = 80) -> Iterator[QImage]:
    """Like `render_pages`, one page at a time (printing at 300 dpi holds one page, not all)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        return
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)  # RGBX bytes
            try:
                image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                               _QIMAGE_FORMAT[bitmap.mode])
                image = image.copy()  # own the pixels: the buffer goes with the bitmap
            finally:
                bitmap.close()
                page.close()
            yield image
    finally:
        doc.close()


_QIMAGE_FORMAT = {
    "RGBX": QImage.Format.Format_RGBX8888,
    "RGBA": QImage.Format.Format_RGBA8888,
    "RGB": QImage.Format.Format_RGB888,
    "L": QImage.Format.Format_Grayscale8,
}


def paint_pages(printer, pdf: bytes, dpi: int = 300) -> None:
    """Paint the PDF's pages onto `printer`, one 300 dpi image at a time (any thread)."""
    painter = QPainter(printer)
    try:
        for i, img in enumerate(iter_pages(pdf, dpi=dpi)):
            if i:
                printer.newPage()
            rect = painter.viewport()
            size = img.size().scaled(rect.size(), Qt.KeepAspectRatio)
            painter.drawImage(0, 0, img.scaled(size, Qt.KeepAspectRatio, Qt.SmoothTransformation))
    finally:
        painter.end()


class DocumentDialog(QDialog):
    printed = Signal(object)  # None once the pages went to the printer, else the exception

    def __init__(self, pdf: bytes, suggested_name: str, parent: QWidget | None = None,
                 pages: list[QImage] | None = None):
        super().__init__(parent)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.setWindowTitle(_("Document preview"))
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        body = QWidget()
        column = QVBoxLayout(body)
        self.pages = render_pages(pdf) if pages is None else pages
        for img in self.pages:
            lab = QLabel()
            lab.setPixmap(QPixmap.fromImage(img))
            lab.setAlignment(Qt.AlignHCenter)
            column.addWidget(lab)
        if not self.pages:
            column.addWidget(QLabel(_("The preview is not available; the document can still be saved.")))
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        self.status = QLabel()
        self.status.setVisible(False)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.save_button = buttons.addButton(_("Save…"), QDialogButtonBox.ActionRole)
        self.print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_to_fit(self, 760, 900)  # the buttons stay on a 768 px high screen

    def save(self) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save document"), self.suggested_name, "PDF (*.pdf)")
        if not path:
            return None
        try:
            with open(path, "wb") as fh:
                fh.write(self.pdf)
        except OSError as exc:
            QMessageBox.warning(self, _("Save document"), _("cannot write {path}: {reason}").format(
                path=path, reason=exc.strerror))
            return None
        return path

    def print_(self) -> bool:
        """Ask for a printer and print in the background; False if the user cancelled."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.Accepted:
            return False
        self.print_button.setEnabled(False)
        self.status.setText(_("Printing …"))
        self.status.setVisible(True)
        pdf = self.pdf
        run_in_background(lambda: paint_pages(printer, pdf), lambda _r: self._printed(None), self._printed)
        return True

    def _printed(self, error: Exception | None) -> None:
        if not shiboken6.isValid(self):
            return  # closed meanwhile (the laptop was locked): the printer got its pages anyway
        self.print_button.setEnabled(True)
        self.status.setVisible(False)
        if error is not None:
            QMessageBox.warning(self, _("Print"), _("The document could not be printed: {error}").format(
                error=str(error) or type(error).__name__))
        self.printed.emit(error)
