#!/usr/bin/env bash
# Equal-time study for the real-photo model: each arm trains M minutes on the realworld recipe's degraded data,
# alone on the machine (the main run, if any, is paused by hand), then its EMA is scored on val-rw-x4 and val-x4.
set -u
cd "$(dirname "$0")/../.."
M=${M:-6}
INIT=runs/deep12-41986-fp32.safetensors
COMMON="--set optim.lr=2.0e-4 --set optim.minLr=1.0e-5 --set optim.totalSteps=11000 --set run.validateEvery=0 --set run.checkpointEvery=100000"
arm() { # name, extra args...
  local name=$1; shift
  rm -rf runs/study/$name
  ./shiftsr train --config configs/realworld.yaml --run-dir runs/study/$name --max-minutes $M $COMMON "$@" -q > runs/study/$name.out 2>&1
  ./shiftsr export --checkpoint runs/study/$name --out runs/study/$name.safetensors --default-steps 1 --default-ensemble 1 --overwrite >> runs/study/$name.out 2>&1
  ./shiftsr eval --model runs/study/$name.safetensors --hr ../shared/data/val-rw-x4/hr --lr ../shared/data/val-rw-x4/lr --scale 4 --steps 1 --crop 0 --out runs/study/$name-rw-x4 -q > /dev/null 2>&1
  ./shiftsr eval --model runs/study/$name.safetensors --hr ../shared/data/val-x4/hr --scale 4 --steps 1 --denoise off --crop 0 --out runs/study/$name-x4 -q > /dev/null 2>&1
  echo "$name done $(date)" >> runs/study/progress.txt
}
arm cond-ft --init $INIT
arm uncond-ft --init $INIT --set model.degradationEmbed=false
arm cond-scratch
arm control-scratch --set "model.encoderBlocks=[8]" --set diffusion.steps=1 --set diffusion.kappa=0 --set run.valSteps=1
