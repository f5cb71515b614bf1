"""`python -m ui`: the desktop app (see ui.main.main)."""

import sys

from ui.main import main

sys.exit(main())
