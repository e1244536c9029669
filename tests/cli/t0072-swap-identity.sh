#!/bin/sh
# benjamin swap --library --identity: in a two-shot (two talking heads side by
# side, indexed into a library), only the chosen footage actor's face gets
# the star's; the other face is left alone.  Bad combinations fail.
. tests/cli/lib.sh

data footage/talking_heads/hdtf/videoretalking_face_2.mp4 || { finish; exit; }
a=$data
data footage/talking_heads/hdtf/videoretalking_face_4.mp4 || { finish; exit; }
b=$data
data faces/star_George_W_Bush || { finish; exit; }
star=$data

ffmpeg -v error -i "$a" -i "$b" -filter_complex \
	"[0:v]fps=25,scale=240:240[l];[1:v]fps=25,scale=240:240[r];[l][r]hstack" -r 25 -t 1 -an \
	-c:v libx264 -crf 12 -pix_fmt yuv420p "$tmp/two.mp4"
run "$BENJAMIN" -q index "$tmp/two.mp4" --library "$tmp/lib.db"
expect "index the two-shot" 0 -
check "two footage actors" sh -c "'$BENJAMIN' library cast '$tmp/lib.db' | grep -q '^2 footage actors'"

# the face that changes most, against the same decoding and encoding with
# nothing changed (--strength 0: x264's noise is the same)
"$BENJAMIN" -q swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/plain.mp4" --strength 0 >/dev/null
side() { # OUT: prints left or right, the half that changed, or nothing if both or neither did
	/usr/bin/python3 -c "
import cv2, numpy as np, sys
def frames(p):
    c = cv2.VideoCapture(p); out = []
    while True:
        ok, f = c.read()
        if not ok: return out
        out.append(f.astype(int))
a, b = frames(sys.argv[1]), frames(sys.argv[2])
# where the faces are in each half
l = np.mean([np.abs(x[20:200, 40:200] - y[20:200, 40:200]).mean() for x, y in zip(a, b)])
r = np.mean([np.abs(x[20:200, 280:440] - y[20:200, 280:440]).mean() for x, y in zip(a, b)])
print('    left changes %.2f, right %.2f' % (l, r), file=sys.stderr)
print('left' if l > 2 * r and l > 2 else 'right' if r > 2 * l and r > 2 else '')" "$tmp/plain.mp4" "$1"
}

for id in 1 2; do
	run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/id$id.mp4" --library "$tmp/lib.db" \
		--identity "$id" --json
	expect "swap identity $id" 0 -
	check "identity $id: every frame swapped" /usr/bin/python3 -c "import json
d = json.load(open('$tmp/out')); assert d['frames'] == 25 and d['swapped'] >= 23 and d['not_on_screen'] == 0, d['swapped']"
	eval "side$id=\$(side \"\$tmp/id\$id.mp4\")"
done
check "each identity changes one face, not the same ($side1, $side2)" \
	sh -c "[ -n '$side1' ] && [ -n '$side2' ] && [ '$side1' != '$side2' ]"

run "$BENJAMIN" swap --star "$star" --stars 4 --in "$tmp/two.mp4" --out "$tmp/shot.mp4" --library "$tmp/lib.db" \
	--identity 1 --shot 1
expect "one shot of identity 1" 0 -
check "the shot changes identity 1's face ($side1)" test "$(side "$tmp/shot.mp4")" = "$side1"

run "$BENJAMIN" swap --star "$star" --in "$tmp/two.mp4" --out "$tmp/x.mp4" --identity 1
expect "--identity without --library" 2 -
run "$BENJAMIN" swap --star "$star" --in "$tmp/two.mp4" --out "$tmp/x.mp4" --library "$tmp/lib.db" --identity 9
expect "an identity never seen" 1 "benjamin: error: '$tmp/lib.db': identity 9 is never seen in '$tmp/two.mp4'"
cp "$tmp/two.mp4" "$tmp/other.mp4" && printf x >>"$tmp/other.mp4"
run "$BENJAMIN" swap --star "$star" --in "$tmp/other.mp4" --out "$tmp/x.mp4" --library "$tmp/lib.db" --identity 1
expect "a film not in the library" 1 "benjamin: error: '$tmp/lib.db': '$tmp/other.mp4' is not indexed in it"
check "no output left behind" test ! -e "$tmp/x.mp4"

finish
