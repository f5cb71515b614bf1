#!/usr/bin/env bash
# Run every test (pytest, pytest-qt offscreen, the hub as a real server on 127.0.0.1) after the
# architecture, lint and type checks (import-linter contracts, ruff, mypy on app/ and sync/; all
# configured in pyproject.toml), and print the translation completeness report. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh test
export QT_QPA_PLATFORM=offscreen
echo "checks: import layers (lint-imports), ruff, mypy" >&2
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }
.venv/bin/ruff check --quiet .
.venv/bin/mypy >/dev/null || { .venv/bin/mypy; exit 1; }
if .venv/bin/sprechstunde i18n --help >/dev/null 2>&1; then
  .venv/bin/sprechstunde i18n report || true
fi
exec .venv/bin/python -m pytest "$@"
