#!/usr/bin/env bash
# Build the example kit: `make demo` runs this with the venv's printkit.
set -euo pipefail
printkit=${1:-printkit}
out=${2:-examples/out}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
if [ -f "$here/kit.toml" ] && "$printkit" build --help >/dev/null 2>&1; then
  "$printkit" build "$here/kit.toml" -o "$out"
else
  for lang in en fr; do
    locale=$([ "$lang" = en ] && echo en-US || echo fr-FR)
    "$printkit" handout "$here/guides/$lang.md" --strings "$here/strings/$lang.yml" \
      --locale "$locale" --event "Robot Garden" --date 2026-12-09 --place "Town library" \
      -o "$out/$lang/handout.pdf"
  done
fi
echo "demo: documents written under $out/"
