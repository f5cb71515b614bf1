"""PyInstaller entry point of the bundle's windowed program: the desktop app (ui.main.main)."""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
