#!/bin/sh
# benjamin swap decodes, swaps and encodes at once (perform/swap_pipe.h): the
# same bytes with --threads 1 and 2 and from run to run, for a whole film and
# for one shot (perform_swap_range, what `benjamin make` uses); an output that
# cannot be written to the end fails with its message and leaves no file.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

# 1.5 s at 240 x 240 with sound
ffmpeg -loglevel error -y -i "$clip" -t 1.5 -vf scale=240:240 -c:v libx264 -crf 12 -c:a aac "$tmp/in.mp4"

for t in 1 2; do
	run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/in.mp4" --out "$tmp/t$t.mp4" --threads $t --json
	expect "swap with --threads $t" 0 -
done
check "--threads 1 and 2: the same bytes" cmp -s "$tmp/t1.mp4" "$tmp/t2.mp4"
check "every frame, in order, with its report" python3 -c "
import json
d = json.load(open('$tmp/out'))
assert d['frames'] == 45 and [f['frame'] for f in d['per_frame']] == list(range(45)), d['frames']
assert d['swapped'] >= 40 and d['swap_thread_ms'] > 0, d"
check "as many frames out as in" test "$(ffprobe -v error -count_frames -show_entries stream=nb_read_frames \
	-select_streams v -of csv=p=0 "$tmp/t2.mp4")" = 45
run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/in.mp4" --out "$tmp/again.mp4"
expect "again" 0 -
check "run to run: the same bytes" cmp -s "$tmp/t2.mp4" "$tmp/again.mp4"

for t in 1 2; do
	run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/in.mp4" --out "$tmp/shot$t.mp4" --shot 1 --threads $t
	expect "one shot with --threads $t" 0 -
done
check "one shot, --threads 1 and 2: the same bytes" cmp -s "$tmp/shot1.mp4" "$tmp/shot2.mp4"

# the output's disk fills up (a file size limit): the writer's error ends the
# swap (at the frame that failed, or at the last flush: x264 holds 40 frames
# back and the muxer 32 KB), and nothing is left; errors in each stage at any
# frame are tests/perform/test_swap_pipe.c's
ffmpeg -loglevel error -y -i "$clip" -t 3 -vf scale=240:240 -an -c:v libx264 -crf 12 "$tmp/long.mp4"
mkdir "$tmp/full"
for t in 1 2; do
	run sh -c "trap '' XFSZ; ulimit -f 40; exec \"\$@\"" sh "$BENJAMIN" swap --star "$star" --stars 2 \
		--in "$tmp/long.mp4" --out "$tmp/full/out.mp4" --threads $t
	expect "the disk full midway, --threads $t" 1 -
	check "says so (--threads $t)" test "$(tail -n 1 "$tmp/err")" = \
		"benjamin: error: '$tmp/full/out.mp4': cannot write: File too large"
	check "and nothing left behind (--threads $t)" test -z "$(ls -A "$tmp/full")"
done
finish
