#!/usr/bin/env bash
# Equal-time study for the real-photo model: each arm trains M minutes on the realworld recipe's degraded data,
# alone on the machine (the main run, if any, is paused by hand), then its EMA is scored on val-rw-x4, val-rw-x2,
# val-x4 at JPEG q50 and clean val-x4. Usage: docs/bench/realworld-study.sh [ARM...] (default: every arm).
# STEPS=N stops each arm at step N instead (equal work: the arms cost the same per step, and the VM's speed
# drifts between hours, so equal minutes were not equal work; session 15 on).
set -u
set -f   # no globbing: the list values below hold brackets
cd "$(dirname "$0")/../.."
M=${M:-6}
INIT=runs/deep12-41986-fp32.safetensors
# The arms of sessions 12 and 13 that ran before configs/realworld.yaml had onePassProb: the two stages only.
TWO="--set degradation.onePassProb=0"
# The arms before session 14 ran before configs/realworld.yaml had webpProb: no WebP (each arm gets it below).
NOWEBP="--set degradation.webpProb=0"
# The arms before session 15 ran before configs/realworld.yaml took one pass for every crop with milder blur and
# noise and the antialiased shrinks only: its earlier values (each arm's own settings come after and win).
OLD15="--set degradation.onePassProb=0.5 --set degradation.first.blurProb=0.5 --set degradation.first.blurSigma=[0.2,2.0]
 --set degradation.second.noiseProb=0.4 --set degradation.second.noiseSigma=[1,10]
 --set degradation.finalFilters=[area,bilinear,bicubic,bilinear-aa,bicubic-aa,lanczos]"
# the study (sessions 12-15) ran before the luma loss joined configs/realworld.yaml (session 17): l1Luma=0 re-makes it;
# and before the photos were cropped at full size (session 26): shrinkFirst=2.0
COMMON="--set optim.lr=2.0e-4 --set optim.minLr=1.0e-5 --set optim.totalSteps=11000 --set run.validateEvery=0 --set run.checkpointEvery=100000 --set loss.l1Luma=0 --set data.shrinkFirst=2.0"
if [ -n "${STEPS:-}" ]; then LIMIT="--stop-at-step $STEPS"; else LIMIT="--max-minutes $M"; fi
arm() { # name, extra args...
  local name=$1; shift
  rm -rf runs/study/$name
  ./shiftsr train --config configs/realworld.yaml --run-dir runs/study/$name $LIMIT $COMMON "$@" -q > runs/study/$name.out 2>&1
  ./shiftsr export --checkpoint runs/study/$name --out runs/study/$name.safetensors --default-steps 1 --default-ensemble 1 --overwrite >> runs/study/$name.out 2>&1
  ./shiftsr eval --model runs/study/$name.safetensors --hr ../shared/data/val-rw-x4/hr --lr ../shared/data/val-rw-x4/lr --scale 4 --steps 1 --crop 0 --out runs/study/$name-rw-x4 -q > /dev/null 2>&1
  ./shiftsr eval --model runs/study/$name.safetensors --hr ../shared/data/val-rw-x2/hr --lr ../shared/data/val-rw-x2/lr --scale 2 --steps 1 --crop 0 --out runs/study/$name-rw-x2 -q > /dev/null 2>&1
  ./shiftsr eval --model runs/study/$name.safetensors --hr ../shared/data/val-x4/hr --scale 4 --steps 1 --jpeg 50 --crop 0 --out runs/study/$name-x4-q50 -q > /dev/null 2>&1
  ./shiftsr eval --model runs/study/$name.safetensors --hr ../shared/data/val-x4/hr --scale 4 --steps 1 --denoise off --crop 0 --out runs/study/$name-x4 -q > /dev/null 2>&1
  echo "$name done $(date)" >> runs/study/progress.txt
}
run() { # the arms named on the command line, or all of them
  case $1 in
    cond-ft) arm cond-ft --init $INIT $OLD15 $TWO $NOWEBP ;;
    uncond-ft) arm uncond-ft --init $INIT $OLD15 --set model.degradationEmbed=false $TWO $NOWEBP ;;
    cond-scratch) arm cond-scratch $OLD15 $TWO $NOWEBP ;;
    control-scratch) arm control-scratch $OLD15 --set "model.encoderBlocks=[8]" --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1 $TWO $NOWEBP ;;
    # session 13: the plain-CNN control seeded like the recipe (the same clean network, T = 1, no noise), and
    # the one-pass share of the degradation model (RealDegradation.Settings.onePassProb)
    control-ft) arm control-ft --init $INIT $OLD15 --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1 $TWO $NOWEBP ;;
    onepass-ft) arm onepass-ft --init $INIT $OLD15 --set degradation.onePassProb=0.5 $NOWEBP ;;
    # a larger body (14 blocks, 1.17x the FLOPs) on the shipped recipe (the config's onePassProb)
    body14-ft) arm body14-ft --init $INIT $OLD15 --set "model.encoderBlocks=[14]" $NOWEBP ;;
    onepass08-ft) arm onepass08-ft --init $INIT $OLD15 --set degradation.onePassProb=0.8 $NOWEBP ;;
    onepass1-ft) arm onepass1-ft --init $INIT $OLD15 --set degradation.onePassProb=1.0 $NOWEBP ;;
    # the control again, on the one-pass recipe
    control-onepass-ft) arm control-onepass-ft --init $INIT $OLD15 --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1 --set degradation.onePassProb=0.5 $NOWEBP ;;
    # session 14: a quarter of the files saved as lossy WebP (libwebp), against the shipped recipe run again
    # beside it (the VM's speed drifts between hours, so each comparison is made of arms run back to back)
    onepass-ft-rerun) arm onepass-ft-rerun --init $INIT $OLD15 --set degradation.onePassProb=0.5 $NOWEBP ;;
    webp-ft) arm webp-ft --init $INIT $OLD15 --set degradation.webpProb=0.25 ;;
    # the plain-CNN control on the shipped recipe (the WebP share)
    control-webp-ft) arm control-webp-ft --init $INIT $OLD15 --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1 --set degradation.webpProb=0.25 ;;
    # session 15, run with STEPS=1207 (the shipped arm's steps): the control on the shipped recipe at equal work,
    # the shipped recipe with another seed (the noise of one arm), the loss PSNR measures (MSE instead of L1), and
    # a diagnostic: JPEG alone (bicubic shrink, no blur or noise, no WebP), what the q50 sweep asks at most
    control-webp-s) arm control-webp-s --init $INIT $OLD15 --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1 ;;
    webp-seed2) arm webp-seed2 --init $INIT $OLD15 --set optim.seed=2 ;;
    mse-webp) arm mse-webp --init $INIT $OLD15 --set loss.l1=0 --set loss.mse=1.0 ;;
    jpeg-only) arm jpeg-only --init $INIT $OLD15 --set degradation.onePassProb=1 --set degradation.first.blurProb=0 \
      --set degradation.second.noiseProb=0 --set degradation.webpProb=0 --set "degradation.finalFilters=[bicubic-aa]" ;;
    # session 15 (STEPS=1207): WebP crops told the level of their own file's quality instead of that of any WebP;
    # the same seed and recipe as webp-ft otherwise. It lost and was reverted: run it from commit 922c000
    webpq-ft) arm webpq-ft --init $INIT $OLD15 ;;
    # session 15, after the JPEG-only diagnostic gained +0.35 dB over webp-ft at val-rw-x2: one pass for every
    # degraded crop with mild blur and noise in a few (the issue's description of real inputs: an unknown
    # downscaler, some a little blurred or noisy, then JPEG or WebP), and one pass with no blur or noise at all
    mild-ft) arm mild-ft --init $INIT $OLD15 --set degradation.onePassProb=1 --set degradation.first.blurProb=0.2 \
      --set "degradation.first.blurSigma=[0.2,1.0]" --set degradation.second.noiseProb=0.2 --set "degradation.second.noiseSigma=[1,5]" ;;
    plain-ft) arm plain-ft --init $INIT $OLD15 --set degradation.onePassProb=1 --set degradation.first.blurProb=0 \
      --set degradation.second.noiseProb=0 ;;
    # session 15: JPEG-only was ahead of both; what differs is its one filter (bicubic-aa) against the six, two
    # of which (torch's bilinear and bicubic) alias when shrinking, as photo tools, browsers and phones do not.
    # One pass with the antialiased shrinks only, WebP kept: without blur and noise, and with mild-ft's
    aa-ft) arm aa-ft --init $INIT --set degradation.onePassProb=1 --set degradation.first.blurProb=0 \
      --set degradation.second.noiseProb=0 --set "degradation.finalFilters=[area,bilinear-aa,bicubic-aa,lanczos]" ;;
    aa-mild-ft) arm aa-mild-ft --init $INIT --set degradation.onePassProb=1 --set degradation.first.blurProb=0.2 \
      --set "degradation.first.blurSigma=[0.2,1.0]" --set degradation.second.noiseProb=0.2 --set "degradation.second.noiseSigma=[1,5]" \
      --set "degradation.finalFilters=[area,bilinear-aa,bicubic-aa,lanczos]" ;;
    # the plain-CNN control on that recipe (the config's since session 15), equal steps
    control-aa-mild-ft) arm control-aa-mild-ft --init $INIT --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1 ;;
    *) echo "unknown arm $1" >&2; exit 2 ;;
  esac
}
for a in "${@:-cond-ft uncond-ft cond-scratch control-scratch control-ft onepass-ft onepass08-ft onepass1-ft control-onepass-ft body14-ft}"; do
  for b in $a; do run "$b"; done
done
