#!/bin/sh
# benjamin faces: boxes for a photo (as OpenCV gives them), JSON, sampled video
# frames, drawings, and bad input.
. tests/cli/lib.sh

data eval/face_detection_dlib_voc/2008_002470.jpg || { finish; exit; }
photo=$data
data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data

# OpenCV 4.6's detectMultiScale(grey, 1.1, 3) with haarcascade_frontalface_alt2
# finds these seven faces in this photo (boxes sorted).
run "$BENJAMIN" faces "$photo"
expect "faces in a photo" 0 ""
check "the summary line" grep -qx "$photo: 7 faces" "$tmp/out"
grep '^  ' "$tmp/out" | awk '{ print $1, $2, $3, $4 }' | sort >"$tmp/got"
printf '%s\n' "148 165 37 37" "164 232 24 24" "177 80 42 42" "231 68 46 46" "272 172 55 55" \
	"323 48 52 52" "53 150 52 52" >"$tmp/want"
check "the boxes are OpenCV's" cmp -s "$tmp/got" "$tmp/want"

run "$BENJAMIN" faces "$photo" --json --cascade haar-default --min-neighbors 5 --min-size 40
expect "--json with settings" 0 ""
check "JSON lists the faces" python3 -c "
import json, sys
d = json.load(open('$tmp/out'))
f = d[0]['faces']
assert d[0]['width'] == 500 and len(f) >= 3 and all(b['width'] >= 40 for b in f), d"

run "$BENJAMIN" faces "$clip" --every 2 --json --threads 1
expect "a video, one frame every 2 s" 0 -
check "frames at 0, 2, 4, 6 s" python3 -c "
import json
d = json.load(open('$tmp/out'))
assert [round(f['time']) for f in d[0]['frames']] == [0, 2, 4, 6], d
assert all(len(f['faces']) == 1 for f in d[0]['frames'][1:]), d"

run "$BENJAMIN" faces "$photo" --draw "$tmp/drawn.png"
expect "--draw on a photo" 0 ""
check "the drawing has the photo's size" test "$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$tmp/drawn.png")" = "500,332"

run "$BENJAMIN" faces "$clip" --every 2 --draw "$tmp/sheet.jpg"
expect "--draw on a video makes a contact sheet" 0 -
check "the sheet is four 320-wide tiles in a row" test "$(ffprobe -v error -show_entries stream=width -of csv=p=0 "$tmp/sheet.jpg")" = "1300"

run "$BENJAMIN" faces "$photo" "$photo" --draw "$tmp/two.png"
expect "--draw with two inputs" 2 -
check "--draw with two inputs says why" grep -q "^benjamin: error: --draw takes one image or video$" "$tmp/err"

run "$BENJAMIN" faces "$photo" --scale-factor 1
expect "a scale factor of 1" 2 -
check "a scale factor of 1 says why" grep -q "^benjamin: error: --scale-factor must be a number above 1" "$tmp/err"

run "$BENJAMIN" faces "$photo" --cascade "$tmp/none.xml"
expect "a missing cascade" 1 "benjamin: error: '$tmp/none.xml': No such file or directory"

printf '<opencv_storage>\n<cascade><stageType>BOOST</stageType>\n' >"$tmp/cut.xml"
run "$BENJAMIN" faces "$photo" --cascade "$tmp/cut.xml"
expect "a truncated cascade" 1 "benjamin: error: '$tmp/cut.xml': line 3: unclosed element 'cascade'"

run "$BENJAMIN" faces "$tmp/none.jpg"
expect "a missing photo" 1 "benjamin: error: '$tmp/none.jpg': No such file or directory"

finish
