#!/usr/bin/env bash
# Build the example kit: `make demo` runs this with the venv's printkit.
# Every document (handout, agenda, posters, certificates) in en-US, ar-EG and fr-FR,
# plus OUT/kit.json and one ZIP per locale. Re-running rebuilds only what changed.
set -euo pipefail
printkit=${1:-printkit}
out=${2:-examples/out}
here=$(cd "$(dirname "$0")" && pwd)
"$printkit" build "$here/kit.toml" -o "$out" --previews
echo "demo: documents written under $out/"
