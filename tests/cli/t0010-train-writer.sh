#!/bin/sh
# benjamin train writer: a tiny training run, its files, resumption that gives
# the same weights, Ctrl-C, and bad input with exact messages.
. tests/cli/lib.sh

# A small screenplay-shaped corpus, repeated.
scene() {
	printf 'INT. SHIP - NIGHT\n\nRipley walks to the airlock.\n\n'
	printf '                    RIPLEY\n          Open it. Now.\n\n'
	printf 'EXT. MOON - DAY\n\nDust. The caf\303\251 sign flickers.\n\n'
}
for i in 1 2 3 4 5 6 7 8; do scene; done >"$tmp/scenes.txt"
mkdir "$tmp/folder" && cp "$tmp/scenes.txt" "$tmp/folder/a.txt" && for i in 1 2 3 4 5 6; do scene; done >"$tmp/folder/b.txt"
tiny="--hidden 32 --layers 1 --embed 8 --batch 4 --seq 16 --val-every 10 --min-count 1"

run "$BENJAMIN" train --help
expect "train --help" 0 ""
check "train --help shows its synopsis" grep -q "^usage: benjamin train writer" "$tmp/out"
run "$BENJAMIN" help train
expect "help train" 0 ""

run "$BENJAMIN" train
expect "train without a kind" 2 -
check "train without a kind says why" \
	test "$(head -n 1 "$tmp/err")" = "benjamin: error: no model kind given (writer, composer, swap)"
run "$BENJAMIN" train poet --corpus "$tmp/scenes.txt" -o "$tmp/m.safetensors"
expect "train an unknown kind" 2 -
check "an unknown kind is named" \
	test "$(head -n 1 "$tmp/err")" = "benjamin: error: 'poet' is not a model benjamin trains (writer, composer, swap)"
run "$BENJAMIN" train writer -o "$tmp/m.safetensors" --steps 3
expect "train without a corpus" 2 -
check "train without a corpus says why" \
	test "$(head -n 1 "$tmp/err")" = "benjamin: error: no corpus given (--corpus)"
run "$BENJAMIN" train writer --corpus "$tmp/scenes.txt" --steps 3
expect "train without an output" 2 -
check "train without an output says why" \
	test "$(head -n 1 "$tmp/err")" = "benjamin: error: no model file given (-o)"
run "$BENJAMIN" train writer --corpus "$tmp/scenes.txt" -o "$tmp/m.safetensors" --steps 3 --minutes 1
expect "--steps and --minutes" 2 -
check "--steps and --minutes say why" \
	test "$(head -n 1 "$tmp/err")" = "benjamin: error: give --steps or --minutes, not both"
run "$BENJAMIN" train writer --corpus "$tmp/scenes.txt" -o "$tmp/m.safetensors" --batch 0
expect "a bad --batch" 2 -
check "a bad --batch says why" test "$(head -n 1 "$tmp/err")" = \
	"benjamin: error: --batch must be a whole number from 1 to 4096, not '0'"

# The corpus: missing, empty, binary, not UTF-8, an empty folder.
run "$BENJAMIN" train writer --corpus "$tmp/nope.txt" -o "$tmp/m.safetensors" --steps 3
expect "a missing corpus" 1 "benjamin: error: '$tmp/nope.txt': No such file or directory"
: >"$tmp/empty.txt"
run "$BENJAMIN" train writer --corpus "$tmp/empty.txt" -o "$tmp/m.safetensors" --steps 3
expect "an empty corpus" 1 "benjamin: error: '$tmp/empty.txt': empty file"
printf 'PK\003\004\000\000\001\002' >"$tmp/scripts.zip"
run "$BENJAMIN" train writer --corpus "$tmp/scripts.zip" -o "$tmp/m.safetensors" --steps 3
expect "a binary corpus" 1 "benjamin: error: '$tmp/scripts.zip': binary file, not text"
printf 'INT. CAF\311 - DAY\n\nCaf\351 au lait.\n' >"$tmp/latin1.txt"
run "$BENJAMIN" train writer --corpus "$tmp/latin1.txt" -o "$tmp/m.safetensors" --steps 3
expect "a corpus in Latin-1" 1 \
	"benjamin: error: '$tmp/latin1.txt': not UTF-8: invalid byte 0xC9 at line 1, column 9"
mkdir "$tmp/nothing"
run "$BENJAMIN" train writer --corpus "$tmp/nothing" -o "$tmp/m.safetensors" --steps 3
expect "an empty folder" 1 "benjamin: error: '$tmp/nothing': no files in folder"
check "failed runs wrote no model" test ! -e "$tmp/m.safetensors"

# Outputs that cannot be written fail before any training.
run "$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o /dev/full --steps 3 $tiny
expect "a model to /dev/full" 1 "benjamin: error: '/dev/full': cannot write: No space left on device"
run "$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/no/m.safetensors" --steps 3 $tiny
expect "a model in a missing folder" 1 \
	"benjamin: error: '$tmp/no/m.safetensors': cannot create file: No such file or directory"
# A folder that cannot be written to (root ignores permissions, so the test
# runs the command as nobody where it can).
mkdir "$tmp/locked" && chmod 0555 "$tmp/locked"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$tmp" && chmod -R o+rX "$tmp/scenes.txt"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BENJAMIN" -q train writer \
		--corpus "$tmp/scenes.txt" -o "$tmp/locked/m.safetensors" --steps 3 $tiny
else
	run "$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/locked/m.safetensors" --steps 3 $tiny
fi
expect "an unwritable output folder" 1 \
	"benjamin: error: '$tmp/locked/m.safetensors': cannot create file: Permission denied"

# A run: the model, its curve, and a summary.
run "$BENJAMIN" -q train writer --corpus "$tmp/folder" -o "$tmp/w.safetensors" --steps 30 $tiny
expect "a tiny training run" 0 ""
check "it says what it did" grep -q \
	"^trained 30 steps (1920 characters) in 0:0[0-9], 2 screenplays normalised to Fountain, validation [0-9.]* bits/char; wrote '$tmp/w.safetensors' and '$tmp/w.csv'$" \
	"$tmp/out"
check "the curve has a row per step" test "$(wc -l <"$tmp/w.csv")" -eq 31
check "the curve has its header" test "$(head -n 1 "$tmp/w.csv")" = "step,chars,seconds,lr,train_bpc,val_bpc"
check "validations are in the curve" test "$(grep -c ',[0-9][0-9.]*$' "$tmp/w.csv")" -eq 3
check "no temporary files are left" test -z "$(find "$tmp" -name '*.tmp.*')"

# The tensors of a model file, without its header (whose metadata holds times).
tensors() {
	n=$(od -An -tu8 -N8 "$1" | tr -d ' ')
	tail -c +$((n + 9)) "$1"
}

# Paused and resumed: the same weights, optimizer and state as one straight run.
run "$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/a.safetensors" --steps 40 $tiny --dropout 0.2
expect "40 steps straight" 0 ""
run "$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/b.safetensors" --steps 40 $tiny --dropout 0.2 \
	--pause-after 17
expect "paused after 17 steps" 0 ""
check "the pause is announced" grep -q "^paused after step 17; carry on with --resume$" "$tmp/out"
run "$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/b.safetensors" --steps 40 --resume
expect "resumed to 40" 0 ""
tensors "$tmp/a.safetensors" >"$tmp/a.bin"
tensors "$tmp/b.safetensors" >"$tmp/b.bin"
check "resumed gives the same bytes as straight" cmp -s "$tmp/a.bin" "$tmp/b.bin"
check "the resumed curve has each step once" test "$(cut -d, -f1 "$tmp/b.csv" | uniq | wc -l)" -eq 41

# Resuming on another corpus is refused.
run "$BENJAMIN" -q train writer --corpus "$tmp/folder" -o "$tmp/b.safetensors" --steps 50 --resume
expect "resume on another corpus" 1 "benjamin: error: '$tmp/b.safetensors': trained on a different corpus"

# Ctrl-C saves the model so far and exits 130.
"$BENJAMIN" -q train writer --corpus "$tmp/scenes.txt" -o "$tmp/c.safetensors" --steps 100000000 $tiny \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
for i in $(seq 1 100); do
	[ -s "$tmp/c.safetensors" ] && break
	sleep 0.1
done
sleep 0.3
kill -INT $pid
wait $pid
status=$?
sed 's/step [0-9]*;/step N;/' "$tmp/err" >"$tmp/err2" && mv "$tmp/err2" "$tmp/err"
expect "Ctrl-C" 130 "benjamin: error: interrupted at step N; the model so far is in '$tmp/c.safetensors'"
run "$BENJAMIN" sample --model "$tmp/c.safetensors" --length 20
expect "the interrupted model writes" 0 ""
check "no temporary files are left after Ctrl-C" test -z "$(find "$tmp" -name '*.tmp.*')"

finish
