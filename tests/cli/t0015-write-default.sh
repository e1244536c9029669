#!/bin/sh
# benjamin write out of the box: without --model it uses the shipped model
# (models/writer.safetensors beside the build, share/benjamin/ of an install)
# and writes a one-page screenplay that meets its brief; without one it says
# how to get one.  The binary is copied into build and install layouts of its
# own, so that the test does not depend on where it was built (build/asan/).
. tests/cli/lib.sh

shipped=$PWD/models/writer.safetensors
mkdir -p "$tmp/src/build" "$tmp/src/models" "$tmp/usr/bin" "$tmp/usr/share/benjamin"
cp "$BENJAMIN" "$tmp/src/build/benjamin"
cp "$BENJAMIN" "$tmp/usr/bin/benjamin"
cp "$shipped" "$tmp/src/models/"
BENJAMIN=$tmp/src/build/benjamin

set -- --title "Out of the Box" --line "The storm will not wait for us." \
	--prop "a brass key" --action "Thunder rolls over the harbour."
run "$BENJAMIN" -q write -o "$tmp/film.fountain" --pdf "$tmp/film.pdf" --seed 2 --threads 1 "$@"
expect "write with the shipped model" 0 ""
check "write says one page" grep -q "^wrote '$tmp/film.fountain' and '$tmp/film.pdf': 1 page, " "$tmp/out"
run "$BENJAMIN" write --check "$tmp/film.fountain" "$@"
expect "the screenplay meets its brief" 0 ""
check "the check passes" grep -q "^ok" "$tmp/out"
run "$BENJAMIN" -q write -o "$tmp/again.fountain" --seed 2 --threads 1 "$@"
expect "write again" 0 ""
check "the same seed writes the same screenplay" cmp -s "$tmp/film.fountain" "$tmp/again.fountain"
run "$BENJAMIN" -q write --model "$shipped" \
	-o "$tmp/given.fountain" --seed 2 --threads 1 "$@"
expect "write with the model given" 0 ""
check "the default is models/writer.safetensors" cmp -s "$tmp/film.fountain" "$tmp/given.fountain"

# Nobody speaks twice running (seed 7 once gave BRUTUS / BRUTUS: the model
# repeated the only name it had written so far).
twice=""
for seed in 5 6 7 8; do
	"$BENJAMIN" -q write -o "$tmp/s$seed.fountain" --seed $seed --pages 2 --threads 1 \
		--title "The Pit" --line "Nobody leaves this house." --prop "a lantern" >/dev/null
	# Paragraph by paragraph: a speech is a cue (an upper-case line) with text
	# under it; anything else between two speeches resets the last speaker.
	awk 'BEGIN { RS = "" }
	     { n = split($0, l, "\n") }
	     n >= 2 && l[1] ~ /^[A-Z][A-Z0-9 .'"'"'-]*$/ && l[1] !~ /^(INT|EXT)[. ]/ {
	         if (l[1] == last) bad = 1
	         last = l[1]; next }
	     { last = "" }
	     END { exit bad }' "$tmp/s$seed.fountain" || twice="$twice $seed"
done
check "nobody speaks twice running (seeds with a repeat:$twice)" test -z "$twice"

# A binary with no model beside it.
run "$tmp/usr/bin/benjamin" write -o "$tmp/x.fountain"
expect "no shipped model" 1 "benjamin: error: no default writer model in '$tmp/usr/bin/../models/' or '$tmp/usr/bin/../share/benjamin/'; give one with --model, or make it with scripts/make-default-writer"
check "nothing written without a model" test ! -e "$tmp/x.fountain"
# An install: PREFIX/bin/benjamin and PREFIX/share/benjamin/writer.safetensors.
cp "$shipped" "$tmp/usr/share/benjamin/"
run "$tmp/usr/bin/benjamin" -q write -o "$tmp/installed.fountain" --seed 2 --threads 1 "$@"
expect "write from an install" 0 ""
check "an install finds its model" cmp -s "$tmp/film.fountain" "$tmp/installed.fountain"
finish
