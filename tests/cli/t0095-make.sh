#!/bin/sh
# benjamin make: a 1-page film from two short clips with a writer model trained
# here in seconds, checked with ffprobe against its timeline; the same seed
# twice gives the same bytes; a second run does no work; a new --size redoes
# only the render; a SIGKILL during the render and a re-run give the film of an
# uninterrupted run; a composer adds the score stage and redoes only the render
# (and the report after it).  Then usage errors and bad input.
. tests/cli/lib.sh

run "$BENJAMIN" make --help
expect "make --help" 0 ""
check "make --help shows its synopsis" grep -q "^usage: benjamin make \[--footage DIR\]" "$tmp/out"

run "$BENJAMIN" make --footage "$tmp" --writer "$tmp/w" -o "$tmp/x" --size 13x7
expect "odd size" 2 -
run "$BENJAMIN" make --footage "$tmp/none" --writer "$tmp/w" -o "$tmp/x"
expect "missing footage" 1 "benjamin: error: '$tmp/none': No such file or directory"

data footage/chaplin_keystone_era_excerpt_silent.mp4 || { finish; exit; }
mkdir "$tmp/footage"
cp "$data" "$tmp/footage/"
data footage/talking_heads/grid/grid_swiz3n.mp4 || { finish; exit; }
cp "$data" "$tmp/footage/"
data text/fountain/big_fish.fountain || { finish; exit; }
fountain=${data%/*}
"$BENJAMIN" -q train writer --corpus "$fountain/big_fish.fountain" \
	--corpus "$fountain/brick_and_steel.fountain" --corpus "$fountain/my_living_memory.fountain" \
	--corpus "$fountain/printing_trouble.fountain" -o "$tmp/w.safetensors" --steps 300 \
	--hidden 96 --layers 1 --embed 16 --batch 16 --seq 64 --lr 0.01 --min-count 1 >/dev/null
check "a small writer model trains" test -s "$tmp/w.safetensors"

run "$BENJAMIN" make --footage "$tmp/footage" --writer "$tmp/footage/grid_swiz3n.mp4" -o "$tmp/x"
expect "a writer model that is not one" 1 -
check "the error names the stage" grep -q "^benjamin: error: write: '$tmp/footage/grid_swiz3n.mp4'" "$tmp/err"

make_film() { # DIR SIZE [extra...]
	_dir=$1 _size=$2
	shift 2
	run "$BENJAMIN" make --footage "$tmp/footage" --writer "$tmp/w.safetensors" --pages 1 \
		--title "The Pit" --line "Nobody leaves this house." --prop "a lantern" --seed 3 \
		--size "$_size" -o "$_dir" "$@"
}
# made STAGE...: make.json says exactly these stages did work
made() {
	want=$*
	got=$(/usr/bin/python3 -c "import json,sys; print(' '.join(s['name'] for s in
json.load(open(sys.argv[1]))['stages'] if not s['skipped']))" "$tmp/a/make.json")
	[ "$got" = "$want" ] || { echo "    made: '$got', want '$want'"; return 1; }
}

make_film "$tmp/a" 128x72
expect "make a film" 0 -
for f in film.mp4 film.srt film.fountain film.pdf film.edl film.otio timeline.json make.json report.html; do
	check "$f is at the top" test -f "$tmp/a/$f"
done
check "every stage is made" made write index cast voice cut swap render report
check "the progress names the stages" grep -q "^make: stage 7/8 render" "$tmp/err"
check "the film has no music without a composer, and says so" grep -q "no music" "$tmp/out"

mp4=$tmp/a/film.mp4
probe() { ffprobe -v error -show_entries "$1" -of default=nw=1:nk=1 "$mp4"; }
check "video and audio streams" test "$(probe stream=codec_name | tr '\n' ' ')" = "h264 aac "
check "the size asked" test "$(probe stream=width,height | head -2 | tr '\n' x)" = "128x72x"
tl_len=$(timeline_length "$tmp/a/timeline.json")
len=$(probe format=duration)
check "duration $len within 10 % of the timeline's $tl_len" \
	/usr/bin/python3 -c "import sys; a,b=map(float,sys.argv[1:]); sys.exit(abs(a-b)>0.1*b)" "$len" "$tl_len"
lines=$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['dialogue']))" \
	"$tmp/a/timeline.json")
check "the voice stage spoke the lines ($lines)" test "$lines" -gt 0
# A long line is split into several cues (<= 42 characters, <= 2 lines each):
# the cues hold the words of the lines, in order.
check "the subtitles are the spoken lines" /usr/bin/python3 -c "import json,sys
t=json.load(open(sys.argv[1])); srt=open(sys.argv[2]).read().split('\n\n')
cues=[' '.join(b.strip().split('\n')[2:]) for b in srt if '-->' in b]
want=' '.join(d['text'] for d in t['dialogue']).split(); got=' '.join(cues).split()
sys.exit(want!=got)" "$tmp/a/timeline.json" "$tmp/a/film.srt"
check "AI-generated tag" sh -c "ffprobe -v error -show_entries format_tags=comment -of default=nw=1:nk=1 '$mp4' | grep -q '^AI-generated'"
check "the screenplay holds the line" grep -q "Nobody leaves this house." "$tmp/a/film.fountain"
check "the products are the stages' files" test "$tmp/a/film.mp4" -ef "$(ls -d "$tmp"/a/.stages/render-*)/film.mp4"

start=$(date +%s.%N)
make_film "$tmp/a" 128x72
end=$(date +%s.%N)
expect "a second run" 0 -
check "a second run does no work" made
check "a second run says every stage is up to date" grep -q "^every stage is up to date" "$tmp/out"
check "a second run takes < 1 s" /usr/bin/python3 -c "import sys; sys.exit(float(sys.argv[2])-float(sys.argv[1])>=1)" "$start" "$end"

make_film "$tmp/b" 128x72
expect "the same film again elsewhere" 0 -
check "the same seed gives the same bytes" cmp -s "$tmp/a/film.mp4" "$tmp/b/film.mp4"

# A SIGKILL during the render at a new size, then the run again.
"$BENJAMIN" make --footage "$tmp/footage" --writer "$tmp/w.safetensors" --pages 1 \
	--title "The Pit" --line "Nobody leaves this house." --prop "a lantern" --seed 3 \
	--size 160x96 -o "$tmp/a" >"$tmp/killed.out" 2>"$tmp/killed.err" &
pid=$!
i=0
until grep -q "stage 7/8 render" "$tmp/killed.err" 2>/dev/null || [ $i -ge 300 ]; do
	sleep 0.05
	i=$((i + 1))
done
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "the run was killed before it finished" sh -c "! grep -q 'stages made' '$tmp/killed.out'"
check "the killed render is not marked done" test "$(ls "$tmp"/a/.stages/render-*/.done | wc -l)" = 1
make_film "$tmp/a" 160x96
expect "the killed run resumes" 0 -
check "a new --size redoes only the render (and its report)" made render report
make_film "$tmp/b" 160x96
expect "the same film uninterrupted" 0 -
check "the resumed film is the uninterrupted one" cmp -s "$tmp/a/film.mp4" "$tmp/b/film.mp4"
# (The EDL and OTIO files name the voices' WAVs by their absolute paths: a's
# and b's differ there.)
same_but_folder() { # FILE
	sed "s|$tmp/a/|X/|g" "$tmp/a/$1" >"$tmp/a.x" && sed "s|$tmp/b/|X/|g" "$tmp/b/$1" >"$tmp/b.x" &&
		cmp -s "$tmp/a.x" "$tmp/b.x"
}
same_products() { same_but_folder film.edl && same_but_folder film.otio && cmp -s "$tmp/a/film.srt" "$tmp/b/film.srt"; }
check "the other products follow the new render" same_products

# A composer adds the score stage: only it and the render are made.
"$BENJAMIN" -q train composer --abc tests/fixtures/score/tiny.abc -o "$tmp/c.safetensors" \
	--steps 300 --hidden 48 --layers 1 --embed 16 --batch 8 --seq 64 --val-fraction 0 \
	--min-count 1 --lr 0.01 >/dev/null 2>&1
make_film "$tmp/a" 160x96 --composer "$tmp/c.safetensors"
expect "a film with music" 0 -
check "a composer redoes only the score and the render (and the report)" made score render report
check "the timeline lays the score under the film" grep -q '"audio": ".stages/score-[0-9a-f]*/score.wav"' "$tmp/a/timeline.json"
check "the score is there to play" test -s "$(ls -d "$tmp"/a/.stages/score-*)/score.wav"
check "the film with music differs" sh -c "! cmp -s '$tmp/a/film.mp4' '$tmp/b/film.mp4'"

finish
