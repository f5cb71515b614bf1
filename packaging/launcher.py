"""PyInstaller entry point of the bundled client: the same as the `sprechstunde` command."""

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main())
