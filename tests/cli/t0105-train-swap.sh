#!/bin/sh
# benjamin train swap: a tiny swap network trained on a star's photos and a
# footage identity, its cached crops and preview sheet, the same file for the
# same seed on one or two threads, stopped and resumed or not, and bad input.
. tests/cli/lib.sh

sql() { # DB QUERY: run it
	python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$1" "$2"
}

meta() { # FILE KEY: a metadata value of a safetensors file
	python3 -c "
import json, struct, sys
raw = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', raw[:8]); print(json.loads(raw[8:8 + n])['__metadata__'][sys.argv[2]])" "$1" "$2"
}

data faces/star_George_W_Bush || { finish; exit; }
star=$data
mkdir "$tmp/star"
for i in 0001 0002 0003 0004 0005; do ln -s "$PWD/$star/George_W_Bush_$i.jpg" "$tmp/star/"; done
data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
ffmpeg -loglevel error -y -i "$data" -t 1 -c:v libx264 -crf 14 -an "$tmp/talk.mp4"
run "$BENJAMIN" -q index "$tmp/talk.mp4" --library "$tmp/lib.db"
expect "index the talking head" 0 ""
sql "$tmp/lib.db" "INSERT INTO identities (id, name) VALUES (4, 'speaker')"
sql "$tmp/lib.db" "UPDATE tracks SET identity_id = 4"

tiny="--star $tmp/star --identity 4 --library $tmp/lib.db --width 2 --dense 8 --batch 4 --seed 3"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/a.safetensors" --steps 4
expect "four steps of a tiny swap" 0 -
check "the summary" grep -q "^trained 4 steps (4 in all) in .* faces/s; loss A .*; wrote '$tmp/a.safetensors' and '$tmp/a.preview.png'" "$tmp/out"
check "the model, the crops and the sheet" test -s "$tmp/a.safetensors" -a -s "$tmp/a.star.crops.safetensors" \
	-a -s "$tmp/a.footage.crops.safetensors" -a -s "$tmp/a.preview.png"
check "the model says what it learned" test "$(meta "$tmp/a.safetensors" format) $(meta "$tmp/a.safetensors" steps) \
$(meta "$tmp/a.safetensors" identity) $(meta "$tmp/a.safetensors" star) $(meta "$tmp/a.safetensors" size)" = \
	"benjamin.swap_model 4 4 $tmp/star 64"

# the same run again from the cached crops, on one thread; then stopped and resumed
for f in star footage; do cp "$tmp/a.$f.crops.safetensors" "$tmp/b.$f.crops.safetensors"; done
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 4 --threads 1
expect "the same seed on one thread" 0 -
check "the same file" cmp -s "$tmp/a.safetensors" "$tmp/b.safetensors"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 2 --resume
expect "resume with fewer steps than done" 1 "benjamin: error: '$tmp/b.safetensors': already trained 4 steps, --steps asks for 2 in all"
rm "$tmp/b.safetensors"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 2
expect "two steps" 0 -
run "$BENJAMIN" -q train swap $tiny -o "$tmp/b.safetensors" --steps 4 --resume
expect "resumed to four" 0 -
check "resumed: the same file as a straight run" cmp -s "$tmp/a.safetensors" "$tmp/b.safetensors"
for f in star footage; do cp "$tmp/a.$f.crops.safetensors" "$tmp/c.$f.crops.safetensors"; done
run "$BENJAMIN" -q train swap $tiny -o "$tmp/c.safetensors" --steps 4 --seed 4
check "another seed, another model" test "$(cmp -s "$tmp/a.safetensors" "$tmp/c.safetensors"; echo $?)" = 1
head -c 5000 "$tmp/a.safetensors" >"$tmp/cut.safetensors"

# the trained swap on the footage, through the one-shot swap's blend
run "$BENJAMIN" -q swap --model "$tmp/a.safetensors" --in "$tmp/talk.mp4" --out "$tmp/swapped.mp4" --json
expect "swap --model" 0 -
check "every frame with a face swapped" python3 -c "
import json; j = json.load(open('$tmp/out')); assert j['frames'] == 30 and j['swapped'] >= 25, (j['frames'], j['swapped'])"
check "no identity margin without the star's photos" python3 -c "
import json; j = json.load(open('$tmp/out')); assert j['identity_margin'] is None and j['shots'][0]['identity_margin'] is None, j['identity_margin']"
check "a video written" test -s "$tmp/swapped.mp4"
run "$BENJAMIN" -q swap --model "$tmp/cut.safetensors" --in "$tmp/talk.mp4" --out "$tmp/x.mp4"
expect "swap --model with a file that is not a model" 1 -
run "$BENJAMIN" -q swap --model "$tmp/a.safetensors" --star "$tmp/star" --in "$tmp/talk.mp4" --out "$tmp/x.mp4" --json
expect "swap --model with --star (the star's photos measure the identity)" 0 -
check "the identity margin measured against the star's photos" python3 -c "
import json; j = json.load(open('$tmp/out')); m = j['identity_margin']; assert m is not None and -2 < m < 2, m"

# Ctrl-C saves and stops
for f in star footage; do cp "$tmp/a.$f.crops.safetensors" "$tmp/d.$f.crops.safetensors"; done
"$BENJAMIN" -q train swap $tiny -o "$tmp/d.safetensors" --minutes 5 >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 3
kill -INT $pid
wait $pid
check "Ctrl-C: exit 130" test $? = 130
check "Ctrl-C: the model saved" test "$(meta "$tmp/d.safetensors" format)" = benjamin.swap_model

# bad input
run "$BENJAMIN" train swap --identity 4 --library "$tmp/lib.db" -o "$tmp/x.safetensors"
expect "no star" 2 -
check "no star says why" grep -q "^benjamin: error: train swap needs --star, --identity and --library" "$tmp/err"
run "$BENJAMIN" train swap $tiny -o "$tmp/x.safetensors" --size 100
expect "--size 100" 2 -
run "$BENJAMIN" train swap $tiny -o "$tmp/x.safetensors" --steps 3 --minutes 1
expect "--steps and --minutes" 2 -
run "$BENJAMIN" -q train swap $tiny -o "$tmp/none.safetensors" --steps 3 --resume
expect "resume without a model" 1 "benjamin: error: '$tmp/none.safetensors': cannot open: No such file or directory"
run "$BENJAMIN" -q train swap $tiny -o "$tmp/cut.safetensors" --steps 9 --resume
expect "resume from a truncated model" 1 -
check "the truncation is named" grep -q "^benjamin: error: '$tmp/cut.safetensors': " "$tmp/err"
run "$BENJAMIN" -q train swap --star "$tmp/star" --identity 5 --library "$tmp/lib.db" -o "$tmp/a.safetensors" \
	--steps 9 --resume
expect "resume with another identity" 1 \
	"benjamin: error: '$tmp/a.safetensors': trained on identity 4 and '$tmp/star', not 5 and '$tmp/star'"
run "$BENJAMIN" -q train swap --star "$tmp/star" --identity 9 --library "$tmp/lib.db" -o "$tmp/x.safetensors" --steps 2
expect "an identity without faces" 1 "benjamin: error: '$tmp/lib.db': identity 9 has no faces"
check "no model left behind" test ! -e "$tmp/x.safetensors"

finish
