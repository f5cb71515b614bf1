#!/usr/bin/env bash
# Start Sprechstunde. Without arguments it opens the demo store (fictional data),
# creating it on first run. Any arguments go to the `sprechstunde` command,
# e.g. ./run.sh gui --store ~/sprechstunde-store
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh gui
if [ $# -eq 0 ]; then set -- gui --demo; fi
exec .venv/bin/sprechstunde "$@"
