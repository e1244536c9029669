#!/bin/sh
# benjamin probe: every file of the shared footage, JSON against ffprobe, bad input.
. tests/cli/lib.sh

data footage || { finish; exit; }
footage=$data

# Every file under the footage folder: media files are described, anything else
# gets one clean error line.
find "$footage" -type f | sort >"$tmp/files"
while read -r f; do
	run "$BENJAMIN" probe "$f"
	case "$f" in
	*.mp4|*.jpg)
		expect "probe '${f#"$footage"/}'" 0 ""
		check "probe '${f#"$footage"/}' shows a video stream" grep -q '^  stream 0  video ' "$tmp/out"
		;;
	*)
		expect "probe '${f#"$footage"/}' is refused" 1 "benjamin: error: '$f': not a media file FFmpeg can read"
		;;
	esac
done <"$tmp/files"

# --json agrees with ffprobe on durations, sizes and rates.
clip="$footage/blackjournal_ep67_angela_davis_interview.mp4"
run "$BENJAMIN" probe --json "$clip"
expect "probe --json" 0 ""
ffprobe -v error -of json -show_format -show_streams "$clip" >"$tmp/ffprobe.json"
check "probe --json matches ffprobe" /usr/bin/python3 - "$tmp/out" "$tmp/ffprobe.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))[0]
ref = json.load(open(sys.argv[2]))
assert abs(ours["duration"] - float(ref["format"]["duration"])) < 1e-3, ours["duration"]
assert ours["size"] == int(ref["format"]["size"])
v = [s for s in ours["streams"] if s["type"] == "video"][0]
rv = [s for s in ref["streams"] if s["codec_type"] == "video"][0]
assert (v["width"], v["height"]) == (rv["width"], rv["height"])
assert "%d/%d" % tuple(v["frame_rate"]) == rv["avg_frame_rate"]
assert v["frames"] == int(rv["nb_frames"])
a = [s for s in ours["streams"] if s["type"] == "audio"][0]
ra = [s for s in ref["streams"] if s["codec_type"] == "audio"][0]
assert a["sample_rate"] == int(ra["sample_rate"]) and a["channels"] == ra["channels"]
PY

# Bad input: one line naming the file and the problem, exit status 1.
: >"$tmp/empty.mp4"
run "$BENJAMIN" probe "$tmp/empty.mp4"
expect "zero-length file" 1 "benjamin: error: '$tmp/empty.mp4': empty file"

head -c 65536 /dev/urandom >"$tmp/noise.mp4"
run "$BENJAMIN" probe "$tmp/noise.mp4"
expect "random bytes" 1 "benjamin: error: '$tmp/noise.mp4': not a media file FFmpeg can read"

# Cut inside its index, an MP4 cannot be opened; cut inside its data, it opens
# (probe reads only the index) and reading frames past the cut is an error.
head -c 2000 "$footage/nosferatu_1922_excerpt_silent.mp4" >"$tmp/cut-index.mp4"
run "$BENJAMIN" probe "$tmp/cut-index.mp4"
expect "MP4 truncated in its index" 1 "benjamin: error: '$tmp/cut-index.mp4': not a media file FFmpeg can read"
head -c 600000 "$footage/nosferatu_1922_excerpt_silent.mp4" >"$tmp/cut-data.mp4"
run "$BENJAMIN" probe "$tmp/cut-data.mp4"
expect "MP4 truncated in its data still probes" 0 ""
run "$BENJAMIN" frames "$tmp/cut-data.mp4" --at 40 -o "$tmp/cut"
expect "frames past the cut" 1 "benjamin: error: '$tmp/cut-data.mp4': truncated: data ends at 31.44 s of 47.64 s"

mkdir "$tmp/folder.mp4"
run "$BENJAMIN" probe "$tmp/folder.mp4"
expect "a directory" 1 "benjamin: error: '$tmp/folder.mp4': is a directory"

run "$BENJAMIN" probe "$tmp/missing.mp4"
expect "a missing file" 1 "benjamin: error: '$tmp/missing.mp4': No such file or directory"

# One bad file among good ones: the others are still shown, the status says failure.
run "$BENJAMIN" probe "$tmp/missing.mp4" "$clip"
expect "a bad file among good ones" 1 "benjamin: error: '$tmp/missing.mp4': No such file or directory"
check "the good file is still shown" grep -q "^$clip\$" "$tmp/out"

"$BENJAMIN" probe --json "$clip" >/dev/full 2>"$tmp/err"
status=$?
expect "output to a full disk" 1 "benjamin: error: cannot write standard output: No space left on device"

finish
