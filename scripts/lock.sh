#!/usr/bin/env bash
# Refresh requirements.lock on purpose: the newest versions that pyproject.toml's ranges allow,
# for every extra and for the build back-end, pinned with the hashes of every published file
# (so the same lock installs on x86_64 and aarch64, any Linux). Needs uv (installed in the venv).
# Usage: scripts/lock.sh VENV_DIR [extra uv pip compile flags, e.g. --upgrade-package babel]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.venv}
shift || true
[ -x "$venv/bin/uv" ] || "$venv/bin/python" -m pip install -q uv
build_in=$(mktemp --suffix=.in)
trap 'rm -f "$build_in"' EXIT
# The build back-end is locked too: setup.sh installs printkit with --no-build-isolation.
"$venv/bin/python" - "$build_in" <<'PY'
import sys, tomllib
with open("pyproject.toml", "rb") as f:
    requires = tomllib.load(f)["build-system"]["requires"]
# hatchling needs editables for the editable install of a checkout
open(sys.argv[1], "w").write("\n".join([*requires, "editables"]) + "\n")
PY
extras=$("$venv/bin/python" -c 'import tomllib; print(" ".join("--extra " + e for e in tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]))')
# shellcheck disable=SC2086
"$venv/bin/uv" pip compile pyproject.toml "$build_in" $extras \
  --universal --python-version 3.11 --generate-hashes --no-header --quiet \
  --custom-compile-command "make lock" -o requirements.lock "$@"
sed -i "s|$build_in|pyproject.toml (build-system)|" requirements.lock
sed -i "1i # The locked dependency set of printkit, every extra included. Refresh on purpose with \`make lock\`\n# (scripts/lock.sh); installed by scripts/setup.sh with pip --require-hashes. Do not edit by hand." requirements.lock
echo "requirements.lock: $(grep -c '^[a-z0-9].*==' requirements.lock) packages pinned"
