#!/usr/bin/env bash
# Set up everything printkit needs, on a fresh Debian/Ubuntu machine:
# system libraries and fonts (when run as root), a virtual env, and the locked Python packages.
# Usage: scripts/setup.sh VENV_DIR
set -euo pipefail
venv=${1:-.venv}

# Pango and HarfBuzz (hb-subset makes WeasyPrint's PDF writing far faster than its fontTools
# fallback), Noto fonts for every script, poppler-utils and qpdf for the tests' checks, openssl
# for the mail tests' TLS server certificate; chromium (the web service's browser test, driven
# by Playwright) and postgresql (the web service's storage tests run against SQLite and a real
# PostgreSQL server started by .ci/run).
apt_packages=(
  python3-venv python3-pip
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
  fonts-noto-core fonts-noto-cjk fonts-dejavu-core
  poppler-utils qpdf openssl
  chromium postgresql
)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: missing system packages (run as root, or: sudo apt-get install ${missing[*]})" >&2
    fi
  fi
fi

py=$(bash "$(dirname "$0")/python.sh")
# A venv made from another interpreter (an older set-up, another PYTHON) is made again.
real() { "$1" -c 'import os, sys; print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))'; }
if [ -x "$venv/bin/python" ]; then
  wanted=$(real "$py") made=$(real "$venv/bin/python")
  if [ "$made" != "$wanted" ]; then
    echo "setup: remaking $venv with $wanted (it was made with $made)"
    rm -rf "$venv"
  fi
fi
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv"
fi
# Exactly the locked set (requirements.lock, made by `make lock`): every pin has its hashes, so a
# fresh machine installs the versions the suite was green with, or fails loudly.
# (this machine's pip config lists extra local indexes that may be absent: hide that noise)
quiet() { grep -v "is ignored: it is neither" >&2 || true; }
"$venv/bin/python" -m pip install -q --require-hashes --no-deps -r requirements.lock 2> >(quiet)
# printkit itself, editable, built by the locked hatchling (no unlocked build environment).
"$venv/bin/python" -m pip install -q --no-deps --no-build-isolation -e . 2> >(quiet)
"$venv/bin/python" -m pip check >/dev/null
# printkit's own bytecode, as a wheel install would have it: Python reads it even where
# PYTHONDONTWRITEBYTECODE is set (then every start compiled ~100 printkit modules again).
"$venv/bin/python" -m compileall -q printkit >/dev/null
