#!/bin/sh
# benjamin swap loads the landmark model on a thread of its own while the
# star's photos are decoded and their faces found over the pool
# (perform/swap_stars.h): photos without a face are left out and counted, the
# same with --threads 1 and 2, and a missing or faceless folder fails with its
# message and no output, whichever thread finds it.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

ffmpeg -loglevel error -y -i "$clip" -t 0.4 -vf scale=240:240 -an -c:v libx264 -crf 12 "$tmp/in.mp4"
mkdir "$tmp/stars" "$tmp/faceless"
cp "$star/George_W_Bush_0001.jpg" "$star/George_W_Bush_0002.jpg" "$star/George_W_Bush_0003.jpg" "$tmp/stars/"
printf 'not a JPEG' >"$tmp/stars/broken.jpg"
printf 'not a JPEG' >"$tmp/faceless/broken.jpg"

for t in 1 2; do
	run "$BENJAMIN" swap --star "$tmp/stars" --in "$tmp/in.mp4" --out "$tmp/t$t.mp4" --threads $t
	expect "a folder with a broken photo, --threads $t" 0 -
	check "which is counted (--threads $t)" test "$(head -n 1 "$tmp/err")" = \
		"benjamin: swap: 1 star photos without a usable face left out"
	run "$BENJAMIN" swap --star "$tmp/nowhere" --in "$tmp/in.mp4" --out "$tmp/none$t.mp4" --threads $t
	expect "a missing folder, --threads $t" 1 "benjamin: error: '$tmp/nowhere': no such file or folder"
	run "$BENJAMIN" swap --star "$tmp/faceless" --in "$tmp/in.mp4" --out "$tmp/none$t.mp4" --threads $t
	expect "a faceless folder, --threads $t" 1 \
		"benjamin: error: '$tmp/faceless': no star photo with a usable face"
	check "no output for them (--threads $t)" test ! -e "$tmp/none$t.mp4"
done
check "--threads 1 and 2: the same bytes" cmp -s "$tmp/t1.mp4" "$tmp/t2.mp4"
finish
