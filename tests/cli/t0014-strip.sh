#!/bin/sh
# benjamin strip: a checkpoint without its training state writes the same text
# for the same seed, at a third of the size (a sixth with --half); training
# cannot resume from it; bad checkpoints and options have exact messages.
. tests/cli/lib.sh

scene() {
	printf 'INT. SHIP - NIGHT\n\nRipley walks to the airlock.\n\n'
	printf 'RIPLEY\nOpen it. Now.\n\n'
}
for i in 1 2 3 4 5 6 7 8 9 10; do scene; done >"$tmp/scenes.fountain"
"$BENJAMIN" -q train writer --corpus "$tmp/scenes.fountain" -o "$tmp/full.safetensors" \
	--steps 20 --hidden 32 --layers 1 --embed 8 --batch 4 --seq 16 --min-count 1 >/dev/null

run "$BENJAMIN" strip --help
expect "strip --help" 0 ""
check "strip --help shows its synopsis" grep -q "^usage: benjamin strip CHECKPOINT -o MODEL" "$tmp/out"

run "$BENJAMIN" strip "$tmp/full.safetensors" -o "$tmp/lean.safetensors"
expect "strip" 0 ""
check "strip says what it wrote" grep -q "^wrote '$tmp/lean.safetensors': [0-9.]* MB (the checkpoint: [0-9.]* MB)$" "$tmp/out"
run "$BENJAMIN" strip "$tmp/full.safetensors" -o "$tmp/half.safetensors" --half
expect "strip --half" 0 ""
size() { wc -c <"$1"; }
check "stripped is under half the checkpoint" test $(($(size "$tmp/lean.safetensors") * 2)) -lt "$(size "$tmp/full.safetensors")"
check "halved is smaller again" test "$(size "$tmp/half.safetensors")" -lt "$(size "$tmp/lean.safetensors")"

for m in full lean half; do
	run "$BENJAMIN" sample --model "$tmp/$m.safetensors" --prime "INT. " --length 300 --seed 5
	expect "sample from $m" 0 ""
	cp "$tmp/out" "$tmp/$m.txt"
done
check "stripped samples as the checkpoint" cmp -s "$tmp/full.txt" "$tmp/lean.txt"
check "halved samples as the checkpoint here" cmp -s "$tmp/full.txt" "$tmp/half.txt"

run "$BENJAMIN" train writer --corpus "$tmp/scenes.fountain" -o "$tmp/lean.safetensors" --resume --steps 30
expect "no resuming from a stripped model" 1 \
	"benjamin: error: '$tmp/lean.safetensors': no optimizer state (not a training checkpoint)"

head -c 2000 "$tmp/lean.safetensors" >"$tmp/cut.safetensors"
run "$BENJAMIN" sample --model "$tmp/cut.safetensors"
expect "a truncated stripped model" 1 -
check "the truncated model is named" grep -q "^benjamin: error: '$tmp/cut.safetensors': " "$tmp/err"
run "$BENJAMIN" strip "$tmp/cut.safetensors" -o "$tmp/x.safetensors"
expect "strip of a truncated model" 1 -
check "nothing written for a bad checkpoint" test ! -e "$tmp/x.safetensors"

run "$BENJAMIN" strip "$tmp/full.safetensors"
expect "strip without -o" 2 -
check "no output says why" test "$(head -n 1 "$tmp/err")" = "benjamin: error: no output file given (-o)"
run "$BENJAMIN" strip -o "$tmp/x.safetensors"
expect "strip without a checkpoint" 2 -
check "no checkpoint says why" test "$(head -n 1 "$tmp/err")" = "benjamin: error: no checkpoint given"
run "$BENJAMIN" strip "$tmp/full.safetensors" extra -o "$tmp/x.safetensors"
expect "strip with two checkpoints" 2 -
run "$BENJAMIN" strip "$tmp/missing.safetensors" -o "$tmp/x.safetensors"
expect "strip of a missing file" 1 -
check "the missing file is named" grep -q "^benjamin: error: '$tmp/missing.safetensors'" "$tmp/err"
finish
