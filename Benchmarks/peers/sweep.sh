#!/usr/bin/env bash
# `ast sweep` against a numpy sweep vectorised over the grid (sweep_numpy.py), back to back,
# after an agreement check (sweep_compare.py; extra arguments go there). Needs only numpy:
# it uses $PEERS_PYTHON, else Benchmarks/peers/.venv (made by run.sh), and never installs.
# Not part of `make test` or CI.
#
#   Benchmarks/peers/sweep.sh                              # one round
#   Benchmarks/peers/sweep.sh --rounds 3 --old-ast /tmp/ast-before
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
python="${PEERS_PYTHON:-$root/Benchmarks/peers/.venv/bin/python}"
if ! "$python" -c "import numpy" 2>/dev/null; then
    echo "no numpy in $python: set PEERS_PYTHON to an interpreter that has it (or run Benchmarks/peers/run.sh once)" >&2
    exit 1
fi
cd "$root"
${SWIFT:-swift} build -c release --product ast
exec "$python" "$root/Benchmarks/peers/sweep_compare.py" --ast "$root/.build/release/ast" "$@"
