"""`python -m app`: the same as the `sprechstunde` command (the launcher, not the domain)."""

import sys

from cli.main import main

sys.exit(main())
