#!/bin/sh
# benjamin index: a folder of films into a library, incremental re-runs, files
# that are not video or are damaged skipped with a warning, usage errors.
. tests/cli/lib.sh

data footage/talking_heads/grid/grid_bbaf2n.mp4 || { finish; exit; }
a=$data
data footage/talking_heads/grid/grid_brbk7n.mp4 || { finish; exit; }
b=$data

mkdir "$tmp/reels"
cp "$a" "$tmp/reels/a.mp4"
printf 'notes\n' >"$tmp/reels/notes.txt"
head -c 20000 "$b" >"$tmp/reels/cut.mp4"

run "$BENJAMIN" index "$tmp/reels" --library "$tmp/lib.db"
expect "index a folder" 0 -
check "a damaged file is reported" grep -qx "benjamin: warning: '$tmp/reels/cut.mp4': truncated: data ends at 0.68 s of 3.00 s; skipped" "$tmp/err"
check "a text file is reported" grep -qx "benjamin: warning: '$tmp/reels/notes.txt': not a media file FFmpeg can read; skipped" "$tmp/err"
check "progress lines when not on a terminal" grep -q "^index: .* s of footage" "$tmp/err"
check "the summary line" grep -q '^1 indexed (1 shots, 0.1 min of footage), 0 unchanged, 2 skipped$' "$tmp/out"

cp "$b" "$tmp/reels/b.mp4"
run "$BENJAMIN" index "$tmp/reels/a.mp4" "$tmp/reels/b.mp4" --library "$tmp/lib.db"
expect "a second run" 0 -
check "only the new file is indexed" grep -q '^1 indexed (1 shots, 0.1 min of footage), 1 unchanged, 0 skipped$' "$tmp/out"

run "$BENJAMIN" index "$tmp/missing" --library "$tmp/lib.db"
expect "a missing path" 1 "benjamin: error: '$tmp/missing': No such file or directory"

run "$BENJAMIN" index "$tmp/reels/a.mp4" --library "$tmp/reels/notes.txt"
expect "a library that is not a database" 1 "benjamin: error: '$tmp/reels/notes.txt': not a benjamin library (file is not a database)"

run "$BENJAMIN" index --library "$tmp/lib.db"
expect "no path" 2 -
check "usage error text" grep -q "^benjamin: error: no file or folder given$" "$tmp/err"

run "$BENJAMIN" index --help
expect "--help" 0 ""
check "help names the library option" grep -q -- "--library FILE" "$tmp/out"

check "the footage was not touched" cmp -s "$a" "$tmp/reels/a.mp4"
finish
