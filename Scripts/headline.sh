#!/usr/bin/env bash
# The README's training headline: every policy, 3 random seeds, 3 epochs, all 60,000 training
# and 10,000 test images of Fashion-MNIST, target 10 %, the default controller (velocityPI).
# Run it on an otherwise idle machine: the figures are wall-clock ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ast
echo "before: $(uptime)"
.build/release/ast compare \
    --policies full,uniform,random-forwarded,topk,ast,ast-stale,selective-backprop,infobatch \
    --seeds 1,2,3 --epochs 3 --target 0.1 --out out/headline "$@"
echo "after: $(uptime)"
