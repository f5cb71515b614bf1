#!/usr/bin/env bash
# Render every main screen at 1366x768 into PNG files (German UI; the client's screens in
# Arabic by default): scripts/screenshots.sh [OUT_DIR] [--client-lang fa]. Look at every one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh gui
QT_QPA_PLATFORM=offscreen exec .venv/bin/python scripts/screenshots.py "$@"
