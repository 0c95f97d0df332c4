#!/usr/bin/env bash
# Runs the README's ResNet-50 sweep (5 array sizes x 3 buffer scales x 3 bandwidths x 3 dataflows,
# 135 configurations) in a release build and copies its plots into docs/sweep/.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${SCRATCH:-.build}
swift build -c release --product npu --scratch-path "$scratch" >/dev/null
out=$(mktemp -d)
"$scratch/release/npu" sweep resnet50 --rows 8,16,32,64,128 --buffer-scale 0.5,1,2 --bandwidth 12.8,25.6,51.2 \
    --dataflow ws,os,is --out "$out"
cp "$out/pareto.svg" "$out/heatmap-bandwidth.svg" "$out/pareto.csv" docs/sweep/
rm -r "$out"
