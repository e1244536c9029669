#!/bin/sh
# benjamin frames: stills at given times, the same pixels ffmpeg gives, bad input.
. tests/cli/lib.sh

data footage/nosferatu_1922_excerpt_silent.mp4 || { finish; exit; }
clip=$data
name=nosferatu_1922_excerpt_silent

run "$BENJAMIN" frames "$clip" --at 5,20.5 --at 0:40 -o "$tmp/stills"
expect "three stills" 0 ""
printf '%s\n' "$tmp/stills/$name-5.000s.png" "$tmp/stills/$name-20.500s.png" \
	"$tmp/stills/$name-40.000s.png" >"$tmp/want"
check "the paths written are printed" cmp -s "$tmp/out" "$tmp/want"

size() { ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$1"; }
check "stills keep the film's size" test "$(size "$tmp/stills/$name-20.500s.png")" = "640,480"

# The pixels are ffmpeg's own for the frame shown at 20.5 s.
ours=$(ffmpeg -v error -i "$tmp/stills/$name-20.500s.png" -f rawvideo -pix_fmt rgb24 - | md5sum)
theirs=$(ffmpeg -v error -ss 20.5 -i "$clip" -frames:v 1 \
	-sws_flags bicubic+bitexact+full_chroma_int+full_chroma_inp \
	-f rawvideo -pix_fmt rgb24 - | md5sum)
check "the still is the frame ffmpeg shows at 20.5 s" test "$ours" = "$theirs"

run "$BENJAMIN" frames "$clip" --at 12 --width 320 --format jpg -o "$tmp/small"
expect "a smaller JPEG" 0 ""
check "--width keeps the aspect ratio" test "$(size "$tmp/small/$name-12.000s.jpg")" = "320,240"

run "$BENJAMIN" frames "$clip" --at 99 -o "$tmp/late"
expect "a time after the end" 1 "benjamin: error: '$clip': no frame at 99.000 s (the video ends at 47.640 s)"

: >"$tmp/file"
run "$BENJAMIN" frames "$clip" --at 1 -o "$tmp/file/stills"
expect "an output folder under a file" 1 "benjamin: error: '$tmp/file/stills': cannot create folder: Not a directory"

run "$BENJAMIN" frames "$clip" --at 1 -o /dev/full
expect "/dev/full as the output folder" 1 "benjamin: error: '/dev/full/$name-1.000s.png': cannot create file: Not a directory"

# A folder that cannot be written to (root ignores permissions, so the test runs
# the command as nobody where it can).
mkdir "$tmp/locked" && chmod 0555 "$tmp/locked"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$tmp" && chmod o+r "$clip" 2>/dev/null
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BENJAMIN" frames "$clip" --at 1 -o "$tmp/locked"
else
	run "$BENJAMIN" frames "$clip" --at 1 -o "$tmp/locked"
fi
expect "an unwritable output folder" 1 "benjamin: error: '$tmp/locked/$name-1.000s.png': cannot create file: Permission denied"

check "failed runs leave no partial files" test -z "$(find "$tmp" -name '*.tmp.*')"
check "the failed runs wrote nothing" test -z "$(find "$tmp/late" "$tmp/locked" -type f)"

# A sound file has no frames to give.
ffmpeg -v error -f lavfi -i sine=frequency=440:duration=1 "$tmp/tone.wav"
run "$BENJAMIN" frames "$tmp/tone.wav" --at 0.5 -o "$tmp/tone"
expect "a file without video" 1 "benjamin: error: '$tmp/tone.wav': no video stream"

finish
