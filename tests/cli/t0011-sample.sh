#!/bin/sh
# benjamin sample: text from a writer model, the same for the same seed, and
# bad models and options with exact messages.
. tests/cli/lib.sh

scene() {
	printf 'INT. SHIP - NIGHT\n\nRipley walks to the airlock.\n\n'
	printf '                    RIPLEY\n          Open it. Now.\n\n'
}
for i in 1 2 3 4 5 6 7 8 9 10; do scene; done >"$tmp/scenes.txt"
"$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/w.safetensors" --steps 60 \
	--hidden 32 --layers 1 --embed 8 --batch 4 --seq 16 --min-count 1 --lr 0.01 >/dev/null
model=$tmp/w.safetensors

run "$BENJAMIN" sample --help
expect "sample --help" 0 ""
check "sample --help shows its synopsis" grep -q "^usage: benjamin sample --model" "$tmp/out"

run "$BENJAMIN" sample --model "$model" --prime "INT. " --length 200 --seed 7
expect "a sample" 0 ""
cp "$tmp/out" "$tmp/first"
check "the prime comes first" test "$(head -c 5 "$tmp/first")" = "INT. "
check "the prime and 200 characters, then a new line" \
	test "$(wc -m <"$tmp/first")" -ge 206 -a "$(tail -c 1 "$tmp/first" | od -An -c | tr -d ' ')" = '\n'
run "$BENJAMIN" sample --model "$model" --prime "INT. " --length 200 --seed 7
expect "the same sample again" 0 ""
check "the same seed writes the same text" cmp -s "$tmp/out" "$tmp/first"
run "$BENJAMIN" sample --model "$model" --prime "INT. " --length 200 --seed 8 --threads 1
expect "another seed" 0 ""
differ() { ! cmp -s "$1" "$2"; }
check "another seed writes other text" differ "$tmp/out" "$tmp/first"
run "$BENJAMIN" sample --model "$model" --prime "INT. " --length 200 --seed 7 --threads 1
expect "one thread" 0 ""
check "one thread writes what two do" cmp -s "$tmp/out" "$tmp/first"
run "$BENJAMIN" sample --model "$model" --length 100 --temperature 0
expect "greedy" 0 ""
run "$BENJAMIN" sample --model "$model" --length 100 --top-k 3 --top-p 0.9 --temperature 1.2
expect "top-k and top-p" 0 ""
run "$BENJAMIN" sample --model "$model" --prime "FADE IN:" --length 0
expect "length 0" 0 ""
check "length 0 writes the prime only" test "$(cat "$tmp/out")" = "FADE IN:"

run "$BENJAMIN" sample --length 10
expect "no model" 2 -
check "no model says why" test "$(head -n 1 "$tmp/err")" = "benjamin: error: no model given (--model)"
run "$BENJAMIN" sample --model "$model" --temperature hot
expect "a bad temperature" 2 -
check "a bad temperature says why" test "$(head -n 1 "$tmp/err")" = \
	"benjamin: error: --temperature must be a number from 0 to 100, not 'hot'"
run "$BENJAMIN" sample --model "$model" --top-p 0
expect "a bad top-p" 2 -
run "$BENJAMIN" sample --model "$model" --prime "$(printf 'caf\351')"
expect "a prime that is not UTF-8" 1 "benjamin: error: the prime is not UTF-8 (invalid byte at 3)"

run "$BENJAMIN" sample --model "$tmp/nope.safetensors"
expect "a missing model" 1 "benjamin: error: '$tmp/nope.safetensors': cannot open: No such file or directory"
head -c 100 "$model" >"$tmp/cut.safetensors"
run "$BENJAMIN" sample --model "$tmp/cut.safetensors"
expect "a model cut in its header" 1 -
check "a model cut in its header says so" grep -q \
	"^benjamin: error: '$tmp/cut.safetensors': header length is [0-9]* bytes, but only 92 bytes follow$" "$tmp/err"
head -c 6000 "$model" >"$tmp/cut2.safetensors"
run "$BENJAMIN" sample --model "$tmp/cut2.safetensors"
expect "a model cut in its data" 1 -
check "a model cut in its data says so" grep -q \
	"^benjamin: error: '$tmp/cut2.safetensors': tensor '.*' ends at byte [0-9]*, data has [0-9]* bytes$" "$tmp/err"
head -c 3000 /dev/urandom >"$tmp/noise.safetensors"
run "$BENJAMIN" sample --model "$tmp/noise.safetensors"
expect "a model of noise" 1 -
check "a model of noise is named" grep -q "^benjamin: error: '$tmp/noise.safetensors': " "$tmp/err"
run "$BENJAMIN" sample --model tests/fixtures/nn/lstm_torch.safetensors
expect "a safetensors file that is no writer" 1 \
	"benjamin: error: 'tests/fixtures/nn/lstm_torch.safetensors': no metadata 'charlm.vocab'"

"$BENJAMIN" sample --model "$model" --length 50 >/dev/full 2>"$tmp/err"
status=$?
expect "writing to a full disk" 1 "benjamin: error: cannot write standard output: No space left on device"

finish
