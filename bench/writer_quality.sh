#!/bin/sh
# The writer's quality runs (not part of make check or make bench: they take
# 20 minutes or more, and want both cores to themselves):
#
#   bench/writer_quality.sh shakespeare [BUILD]   benjamin and PyTorch, 10 minutes
#                                                 each on tinyshakespeare, the same
#                                                 model and settings; validation
#                                                 bits/char on its last 10 %
#   bench/writer_quality.sh screenplays [BUILD]   benjamin for 20 minutes on the
#                                                 screenplays (normalised to
#                                                 Fountain), validated on
#                                                 screenplays-val/, and a sample
#
# Models go to $OUT (default /tmp/benjamin-quality); none of them is committed.
set -eu
what=${1:?shakespeare or screenplays}
build=${2:-build}
cd "$(dirname "$0")/.."
data=${BENJAMIN_DATA:-../shared/data}
out=${OUT:-/tmp/benjamin-quality}
mkdir -p "$out"
case $what in
shakespeare)
	set -- --layers 2 --hidden 512 --embed 64 --seq 100 --batch 32 --lr 0.002 --min-lr 0.0002 \
		--dropout 0.2 --val-fraction 0.1 --min-count 5 --seed 1
	"$build/benjamin" train writer --corpus "$data/text/tinyshakespeare.txt" -o "$out/shakespeare.safetensors" \
		--as-is --minutes 10 --threads 2 "$@"
	OMP_NUM_THREADS=2 /usr/bin/python3 bench/ref/writer_quality.py "$data/text/tinyshakespeare.txt" \
		--minutes 10 "$@" | tail -n 1
	;;
screenplays)
	"$build/benjamin" train writer --corpus "$data/text/screenplays/" \
		--val-corpus "$data/text/screenplays-val/" -o "$out/screenplays.safetensors" --minutes 20 --threads 2
	"$build/benjamin" sample --model "$out/screenplays.safetensors" --prime "INT. " --length 1500 --seed 1
	;;
*)
	echo "usage: bench/writer_quality.sh shakespeare|screenplays [BUILD]" >&2
	exit 2
	;;
esac
