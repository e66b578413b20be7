#!/usr/bin/env bash
# `make bench-peers`: a virtual environment with torch (from PyPI, installed when missing),
# a release build of ast, then both trainers back to back (compare.py; extra arguments go there).
#
#   Benchmarks/peers/run.sh                     # one round, one epoch of 60k, 2 threads
#   Benchmarks/peers/run.sh --rounds 3 --threads 1
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${PEERS_VENV:-$root/Benchmarks/peers/.venv}"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import torch, numpy" 2>/dev/null; then
    echo "installing torch and numpy into $venv (PyPI's default Linux wheel brings CUDA libraries, ~5 GB)"
    start=$(date +%s)
    "$venv/bin/python" -m pip install --quiet torch numpy
    echo "installed in $(( $(date +%s) - start )) s; venv size $(du -sh "$venv" | cut -f1)"
fi
cd "$root"
${SWIFT:-swift} build -c release --product ast
exec "$venv/bin/python" "$root/Benchmarks/peers/compare.py" --ast "$root/.build/release/ast" "$@"
