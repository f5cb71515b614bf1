#!/usr/bin/env bash
# Prepare a fresh machine: Debian runtime libraries for Qt (as root, when missing),
# a local virtual environment in .venv and the project installed into it.
# Sourced by run.sh and test.sh; safe to run again (it only does what is missing).
# Usage: bootstrap.sh [gui|test]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-gui}"

# Qt offscreen needs these; a real window needs the xcb ones too. Nothing else: the GUI runs no
# external program (the print preview renders PDFs with pypdfium2, a Python package from pyproject.toml).
pkgs=(python3-venv libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3)
if [ "$mode" = gui ]; then
  pkgs+=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0
         libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "bootstrap: installing ${missing[*]}" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "bootstrap: please install these Debian packages: sudo apt-get install ${missing[*]}" >&2
    fi
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "bootstrap: Python 3.11 or newer is needed (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv" >&2
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$mode
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "bootstrap: installing Python packages into .venv (first run takes a minute)" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  if [ "$mode" = test ]; then extra="[test]"; else extra=""; fi
  .venv/bin/python -m pip install -q -e ".${extra}"
  touch "$stamp"
fi
