#!/bin/sh
# benjamin make without --footage: a film from the public-domain demo footage
# Debian packages ship (scripts/setup installs them), checked with ffprobe; its
# report.html opened in headless Chromium: the screenshot is not blank and
# every <img> of the page resolves to a picture; benjamin report rebuilds it.
# Then usage errors and bad input.
. tests/cli/lib.sh

run "$BENJAMIN" report --help
expect "report --help" 0 ""
check "report --help shows its synopsis" grep -q "^usage: benjamin report --film DIR" "$tmp/out"
run "$BENJAMIN" report
expect "no film folder" 2 -
check "no film folder is named" grep -q "^benjamin: error: no film folder given (--film)" "$tmp/err"
run "$BENJAMIN" report --film "$tmp/none"
expect "a folder without a film" 1 \
	"benjamin: error: '$tmp/none/timeline.json': cannot open: No such file or directory"
check "nothing is written for it" test ! -e "$tmp/none"

# The film, from the demo footage alone, with the shipped writer (named: an
# ASan build in build/asan/ has no models/ beside it).
make_demo() {
	run "$BENJAMIN" make -o "$tmp/film" --title "Deep Field" --line "Nobody leaves this house." \
		--pages 1 --size 192x144 --seed 2 --writer "$PWD/models/writer.safetensors"
}
make_demo
expect "make without --footage" 0 -
check "the demo footage is cut" grep -q '"source": "/usr/' "$tmp/film/timeline.json"
mp4=$tmp/film/film.mp4
probe() { ffprobe -v error -show_entries "$1" -of default=nw=1:nk=1 "$mp4"; }
check "the film has video and audio" test "$(probe stream=codec_name | tr '\n' ' ')" = "h264 aac "
tl_len=$(timeline_length "$tmp/film/timeline.json")
len=$(probe format=duration)
check "duration $len within 10 % of the timeline's $tl_len" \
	/usr/bin/python3 -c "import sys; a,b=map(float,sys.argv[1:]); sys.exit(abs(a-b)>0.1*b)" "$len" "$tl_len"
check "stills are in the film" grep -q '"duration"' "$tmp/film/timeline.json"
check "report.html is at the top" test -s "$tmp/film/report.html"
check "make names the report stage" grep -q "^make: stage 8/8 report" "$tmp/err"

# Every <img> resolves: a data: URI that decodes to a PNG or JPEG, or a file.
images() { # HTML
	/usr/bin/python3 - "$1" <<'PY'
import base64, os, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
srcs = re.findall(r'<img [^>]*?src="([^"]*)"', html)
bad = 0
for s in srcs:
    if s.startswith("data:"):
        head, _, data = s.partition(",")
        raw = base64.b64decode(data, validate=True)
        ok = (head == "data:image/png;base64" and raw[:8] == b"\x89PNG\r\n\x1a\n") or \
             (head == "data:image/jpeg;base64" and raw[:3] == b"\xff\xd8\xff")
    else:
        ok = os.path.isfile(os.path.join(os.path.dirname(sys.argv[1]), s))
    bad += not ok
clips = len(re.findall(r'id="clip\d+"', html))
print(len(srcs), bad, clips)
PY
}
set -- $(images "$tmp/film/report.html" 2>/dev/null || echo "0 unreadable 0")
n_clips=$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['video']))" \
	"$tmp/film/timeline.json")
check "every <img> resolves ($1 images, $2 bad)" test "$2" = 0
check "a card per clip ($3 of $n_clips)" test "$3" = "$n_clips"
check "more images than clips: sheet, frames, charts" test "$1" -gt "$n_clips"
check "the stage times are charted" grep -q 'alt="stage times"' "$tmp/film/report.html"
check "the writer's learning curve is drawn" grep -q 'alt="learning curve"' "$tmp/film/report.html"
check "the report stands alone (no external src or href)" \
	sh -c "! grep -Eq '(src|href)=\"(https?:|//)' '$tmp/film/report.html'"

# Headless Chromium renders it.
shot=$tmp/shot.png
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--user-data-dir="$tmp/chromium" --screenshot="$shot" --window-size=1280,2000 \
	"file://$tmp/film/report.html" >"$tmp/chromium.log" 2>&1
check "chromium takes a screenshot" test -s "$shot"
variance=$(ffmpeg -v error -i "$shot" -f rawvideo -pix_fmt gray - 2>/dev/null | /usr/bin/python3 -c "
import sys, numpy
a = numpy.frombuffer(sys.stdin.buffer.read(), numpy.uint8).astype(float)
print(int(a.var()) if a.size == 1280 * 2000 else -1)")
check "the screenshot is 1280x2000 and not blank (variance $variance)" test "$variance" -gt 500

make_demo
expect "make again" 0 -
check "a second make leaves the report up to date" grep -q "^  report .*up to date" "$tmp/out"
run "$BENJAMIN" report --film "$tmp/film" -o "$tmp/again.html"
expect "report rebuilds it" 0 -
check "the rebuilt report has the same cards" \
	test "$(grep -o 'id="clip[0-9]*"' "$tmp/again.html" | wc -l)" = "$n_clips"

finish
