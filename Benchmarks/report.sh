#!/usr/bin/env bash
# Runs the benchmarks and prints the load average before and after, since every figure
# depends on what else the machine was doing. Compare ratios within one run only.
#
#   ./report.sh                      # all targets, text tables
#   ./report.sh --target Training    # one target (regexp), extra args go to the plugin
#   FORMAT=markdown ./report.sh      # markdown tables, sent to stdout (--path stdout)
set -euo pipefail
cd "$(dirname "$0")"
format="${FORMAT:-text}"
echo "load before: $(uptime)"
if [[ "$format" == "text" ]]; then
    swift package benchmark --no-progress "$@"
else
    swift package benchmark --no-progress --format "$format" --path stdout "$@"
fi
echo "load after: $(uptime)"
