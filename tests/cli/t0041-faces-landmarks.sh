#!/bin/sh
# benjamin faces --landmarks: 68 points and head pose per face, in text, JSON
# and drawings, and a bad shape model.
. tests/cli/lib.sh

data eval/face_detection_dlib_voc/2008_002470.jpg || { finish; exit; }
photo=$data
data faces/star_George_W_Bush/George_W_Bush_0001.jpg || { finish; exit; }
bush=$data
test -r /usr/share/dlib/shape_predictor_68_face_landmarks.dat || fail "no dlib shape model (scripts/setup)"

run "$BENJAMIN" faces "$bush" --landmarks
expect "landmarks in text" 0 ""
check "a pose line and 68 points" awk '
	/^    pose: yaw / { pose++ }
	/^    landmarks:/ { n = NF - 1 }
	END { exit !(pose == 1 && n == 68) }' "$tmp/out"

run "$BENJAMIN" faces "$bush" "$photo" --landmarks --json --threads 1
expect "landmarks in JSON" 0 ""
check "points in their boxes, a frontal pose, eyes above the mouth" python3 -c "
import json
d = json.load(open('$tmp/out'))
assert len(d) == 2 and len(d[1]['faces']) == 7, d
for img in d:
    for f in img['faces']:
        p = f['landmarks']
        assert len(p) == 68
        m = 0.25 * f['width']
        assert all(f['x'] - m <= x <= f['x'] + f['width'] + m and f['y'] - m <= y <= f['y'] + f['height'] + m
                   for x, y in p), f
        assert p[36][1] < p[51][1] and p[45][1] < p[57][1] and p[36][0] < p[45][0], f
        assert all(abs(f['pose'][k]) < 25 for k in ('yaw', 'pitch', 'roll')), f
g = d[0]['faces'][0]
assert abs(g['pose']['yaw']) < 12 and abs(g['pose']['roll']) < 8, g"

run "$BENJAMIN" faces "$bush" --landmarks --threads 2 --json
expect "two threads" 0 ""
python3 -c "
import json; print(json.dumps(json.load(open('$tmp/out'))[0]['faces']))" >"$tmp/two"
"$BENJAMIN" faces "$bush" --landmarks --threads 1 --json | python3 -c "
import json, sys; print(json.dumps(json.load(sys.stdin)[0]['faces']))" >"$tmp/one"
check "the thread count does not change the points" cmp -s "$tmp/one" "$tmp/two"

run "$BENJAMIN" faces "$bush" --draw "$tmp/boxes.png"
expect "boxes drawn" 0 -
run "$BENJAMIN" faces "$bush" --landmarks --draw "$tmp/points.png"
expect "points drawn" 0 -
check "the points are red dots inside the face" python3 -c "
import zlib, struct
def rgb(path):
    b = open(path, 'rb').read()
    w, h, depth, ctype = struct.unpack('>IIBB', b[16:26])
    assert depth == 8 and ctype == 2, (depth, ctype)
    i, idat = 8, b''
    while i < len(b):
        n, t = struct.unpack('>I4s', b[i:i + 8])
        if t == b'IDAT': idat += b[i + 8:i + 8 + n]
        i += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(3 * w)
    for y in range(h):
        f, line = raw[y * (3 * w + 1)], bytearray(raw[y * (3 * w + 1) + 1:(y + 1) * (3 * w + 1)])
        for x in range(3 * w):
            a = line[x - 3] if x >= 3 else 0
            c = prev[x - 3] if x >= 3 else 0
            p = a + prev[x] - c
            pr = a if abs(p - a) <= abs(p - prev[x]) and abs(p - a) <= abs(p - c) else prev[x] if abs(p - prev[x]) <= abs(p - c) else c
            line[x] = (line[x] + (0, a, prev[x], (a + prev[x]) // 2, pr)[f]) & 255
        rows.append(line); prev = line
    return w, h, rows
w, h, a = rgb('$tmp/boxes.png')
_, _, b = rgb('$tmp/points.png')
red = [(x, y) for y in range(h) for x in range(w) if a[y][3*x:3*x+3] != b[y][3*x:3*x+3] and tuple(b[y][3*x:3*x+3]) == (255, 40, 40)]
assert len(red) > 68, len(red)
out = [(x, y) for x, y in red if not (60 <= x <= 195 and 60 <= y <= 195)]
assert not out, out[:5]"

run "$BENJAMIN" faces "$bush" --shape-model "$tmp/none.dat"
expect "--shape-model without --landmarks" 2 -
check "it says why" grep -q "^benjamin: error: --shape-model needs --landmarks$" "$tmp/err"

run "$BENJAMIN" faces "$bush" --landmarks --shape-model "$tmp/none.dat"
expect "a missing shape model" 1 "benjamin: error: '$tmp/none.dat': No such file or directory"

head -c 1000 /usr/share/dlib/shape_predictor_68_face_landmarks.dat >"$tmp/cut.dat"
run "$BENJAMIN" faces "$bush" --landmarks --shape-model "$tmp/cut.dat"
expect "a truncated shape model" 1 -
check "a truncated model is named" grep -q "^benjamin: error: '$tmp/cut.dat': " "$tmp/err"

finish
