#!/bin/sh
# benjamin library: ls, shots (table and JSON), sheet, query, and their errors.
. tests/cli/lib.sh

data footage/steamboat_willie_1928_excerpt.mp4 || { finish; exit; }
clip=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")
cd "$tmp" || exit 1
run "$BENJAMIN" -q index "$clip"
expect "index into ./library.db" 0 ""

run "$BENJAMIN" library ls
expect "ls" 0 ""
check "ls lists the film" grep -q "steamboat_willie_1928_excerpt.mp4$" "$tmp/out"
check "ls totals" grep -q "^1 films, 4 shots, 0.5 min of footage$" "$tmp/out"

run "$BENJAMIN" library shots 1
expect "shots by id" 0 ""
check "four shots" test "$(grep -c -E '^ +[0-9]+ ' "$tmp/out")" -eq 4

run "$BENJAMIN" library shots "$clip" --json
expect "shots by path, JSON" 0 ""
check "JSON shot starts" test "$(grep -o '"start_frame": [0-9]*' "$tmp/out" | tr -d ' ' | tr '\n' ' ')" = '"start_frame":0 "start_frame":113 "start_frame":449 "start_frame":625 '

run "$BENJAMIN" library sheet 1 -o "$tmp/sheet.jpg"
expect "sheet" 0 ""
check "the sheet is a JPEG" test "$(ffprobe -v error -show_entries stream=codec_name,width -of csv=p=0 "$tmp/sheet.jpg")" = "mjpeg,1320"

run "$BENJAMIN" library query --bw --min-duration 5
expect "query" 0 ""
check "two long shots" grep -q "^2 shots$" "$tmp/out"

run "$BENJAMIN" library query --color
expect "query with no match" 0 ""
check "no shots" grep -q "^0 shots$" "$tmp/out"

run "$BENJAMIN" library shots 7
expect "an unknown film" 1 "benjamin: error: '7': no such film in the library"

run "$BENJAMIN" library ls --library "$tmp/none.db"
expect "a missing library" 1 "benjamin: error: '$tmp/none.db': No such file or directory"

run "$BENJAMIN" library frob
expect "an unknown subcommand" 2 -
check "its message" grep -q "^benjamin: error: 'frob' is not a library subcommand (ls, shots, sheet, query, cast)$" "$tmp/err"

run "$BENJAMIN" library sheet 1
expect "sheet without -o" 2 -

run "$BENJAMIN" library query --min-brightness 2
expect "a brightness out of range" 2 -
check "its message" grep -q "^benjamin: error: --min-brightness must be a number from 0 to 1, not '2'$" "$tmp/err"

run "$BENJAMIN" library sheet 1 -o /dev/full/x.jpg
expect "an unwritable sheet" 1 "benjamin: error: '/dev/full/x.jpg': cannot create file: Not a directory"
finish
