# write-pdf.awk - checks `pdftotext -bbox` output of a screenplay that
# `benjamin write` printed (used by tests/cli/t0012-write.sh and
# bench/write_check.sh):
#
#   pdftotext -bbox film.pdf - | awk -f tests/cli/write-pdf.awk -v pages=3 -v lw=Xylophones -v aw=Quentin
#
# pages: the script's pages (the title page comes on top); lw, aw: the first
# words of the required line and action.  Checks the page count, that every
# word of the script's pages lies inside the margins (1.5" left, 1" right on
# Letter), that lw stands at the dialogue indent (2.5" = 180 pt) and aw at the
# action indent (1.5" = 108 pt).  Prints what is wrong and exits 1.
/<page / { n++ }
/<word / {
	match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /xMax="[0-9.]+"/); r = substr($0, RSTART + 6, RLENGTH - 7) + 0
	w = $0; sub(/.*">/, "", w); sub(/<\/word>.*/, "", w)
	gsub(/&apos;/, "'", w); gsub(/&quot;/, "\"", w); gsub(/&lt;/, "<", w); gsub(/&gt;/, ">", w)
	gsub(/&amp;/, "\\&", w)
	if (n > 1 && (x < 107.9 || r > 540.1)) { print "word outside the margins: " $0; bad = 1 }
	if (w == lw && x > 179.9 && x < 180.1) line = 1
	if (w == aw && x > 107.9 && x < 108.1) action = 1
}
END {
	if (n != pages + 1) { print "pdf has " n " pages, want " pages + 1; bad = 1 }
	if (!line) { print "the line is not at the dialogue indent"; bad = 1 }
	if (!action) { print "the action is not at the action indent"; bad = 1 }
	exit bad
}
