"""PyInstaller entry point of the bundle's command-line program: the same as the `sprechstunde` command."""

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main())
