#!/bin/sh
# benjamin index: faces found, tracked and stored while indexing; --no-faces.
. tests/cli/lib.sh

sql() { # DB QUERY: the first column of the first row
	python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"
}

data footage/talking_heads/hdtf/videoretalking_face_1.mp4 || { finish; exit; }
clip=$data

run "$BENJAMIN" index "$clip" --library "$tmp/lib.db"
expect "indexing with faces" 0 -
check "one track of the speaker's face" test "$(sql "$tmp/lib.db" "SELECT count(*) FROM tracks")" = 1
check "faces with landmarks and a pose" test "$(sql "$tmp/lib.db" \
	"SELECT count(*) >= 10 AND min(length(landmarks)) = 544 AND count(yaw) = count(*) FROM faces")" = 1

run "$BENJAMIN" index "$clip" --library "$tmp/bare.db" --no-faces
expect "--no-faces" 0 -
check "no faces stored" test "$(sql "$tmp/bare.db" "SELECT count(*) FROM faces")" = 0

finish
