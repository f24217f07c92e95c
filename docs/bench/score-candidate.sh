#!/usr/bin/env bash
# Scores a candidate real-photo model as the model card scores the shipped one, at the default (DeltaDiff, 1 step,
# no ensemble, --denoise auto), on the 72 realistic images: val-rw-x4, val-rw-x2, and val-x4 saved as JPEG q30-90
# and WebP q50-90; each set against the shipped file's report in models/eval, or BASE_DIR's (`eval --against`, image by image).
# Usage: docs/bench/score-candidate.sh CANDIDATE.safetensors OUT_DIR [BASE_DIR]
#        (BASE_DIR: the reports to compare with, default models/eval; another candidate's OUT_DIR compares two
#         candidates, e.g. an arm and its control)
#        (a training checkpoint is exported first, e.g.:
#         ./shiftsr export --checkpoint runs/X/checkpoints/step-N.safetensors --out runs/X.safetensors --fp16 \
#           --default-steps 1 --default-ensemble 1 --clean-network runs/clean-step34000.safetensors)
# Prints one line per set (mean difference, images ahead and behind) and the total; the printed tables are
# OUT_DIR/*.txt, the reports OUT_DIR/*/. Run it alone on the machine: the figures do not depend on speed, but a training run beside
# it is slowed for the 40 s it takes.
set -euo pipefail
[ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: $0 CANDIDATE.safetensors OUT_DIR [BASE_DIR]" >&2; exit 2; }
model=$1 out=$2 base=${3:-models/eval}
cd "$(dirname "$0")/../.."
data=../shared/data
mkdir -p "$out"
common=(--model "$model" --steps 1 --ensemble 1 --denoise auto -q)
./shiftsr eval "${common[@]}" --hr $data/val-rw-x4/hr --lr $data/val-rw-x4/lr --scale 4 --against "$base/rw-x4" \
  --out "$out/rw-x4" > "$out/rw-x4.txt"
./shiftsr eval "${common[@]}" --hr $data/val-rw-x2/hr --lr $data/val-rw-x2/lr --scale 2 --against "$base/rw-x2" \
  --out "$out/rw-x2" > "$out/rw-x2.txt"
./shiftsr eval "${common[@]}" --hr $data/val-x4/hr --scale 4 --jpeg 30,50,70,90 --crop 0 --against "$base/x4-jpeg" \
  --out "$out/x4-jpeg" > "$out/x4-jpeg.txt"
./shiftsr eval "${common[@]}" --hr $data/val-x4/hr --scale 4 --webp 50,75,90 --crop 0 --against "$base/x4-webp" \
  --out "$out/x4-webp" > "$out/x4-webp.txt"
# the rows of the four comparisons (| set | setting | images | mean | median | ahead | behind | worst | best |)
grep -h '^| val' "$out"/*.txt | awk -F'|' '{ for (i = 2; i <= 10; i++) gsub(/ /, "", $i)
  printf "%-16s mean %s  ahead %s, behind %s of %s\n", $2, $5, $7, $8, $4;
  a += $7; b += $8; n += $4 } END { printf "in all: ahead on %d, behind on %d of %d images\n", a, b, n }'
