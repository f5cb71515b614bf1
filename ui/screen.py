"""Window sizes that fit the screen: office laptops often have 1366 x 768 pixels."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

FRAME = 60  # title bar and the desktop's panel, roughly


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """Resize to width x height, but no larger than the available screen area (less a window frame)."""
    screen = widget.screen()
    if screen is not None:
        avail = screen.availableGeometry()
        width, height = min(width, avail.width()), min(height, avail.height() - FRAME)
    widget.resize(width, height)
