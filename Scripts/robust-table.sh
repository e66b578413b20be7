#!/bin/sh
# The README's "Robust analysis" tables: the verdict and margins of every preset on every scenario.
#   swift build -c release --product ast && Scripts/robust-table.sh > /tmp/robust.md
set -e
for scenario in Scenarios/*.yaml; do
    .build/release/ast analyze "$scenario" --all-presets --markdown
done
