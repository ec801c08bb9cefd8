#!/usr/bin/env bash
# Print the interpreter printkit's venvs are made from: $PYTHON when set, else the
# distribution's own /usr/bin/python3 when it is 3.11 or newer and can make a venv, else
# python3 on PATH ("can make a venv": it has ensurepip and ensurepip has pip; Debian ships both in
# python3-venv). Debian and Ubuntu build theirs with profile-guided and link-time
# optimisation; a self-built one (pyenv's default) has neither and runs printkit's
# pure-Python work, WeasyPrint's layout above all, 12-25 % slower (README, "Eleventh round").
# Exits 1, saying why, when the choice is not Python 3.11+ with venv.
set -euo pipefail
usable() { "$1" -c 'import sys, ensurepip, venv; ensurepip.version(); sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if [ -n "${PYTHON:-}" ]; then
  py=$PYTHON
elif [ -x /usr/bin/python3 ] && usable /usr/bin/python3; then
  py=/usr/bin/python3
else
  py=python3
fi
usable "$py" || { echo "setup: $py is not Python 3.11+ with venv (set PYTHON=...)" >&2; exit 1; }
echo "$py"
