/*
 * pdf.h - a laid-out screenplay (text/layout.h) as a PDF: Courier Prime 12 pt,
 * each line at its place on the page, emphasis in italic, bold and underline.
 *
 *     text_layout l;
 *     text_layout_init(&l, sp, &(text_layout_options){ .paper = TEXT_PAPER_LETTER });
 *     int ret = text_pdf_save(&l, "film.pdf");   // atomic: all of it or nothing
 *     text_layout_release(&l);
 *
 * Drawn with cairo and pango.  The font is Courier Prime from the Debian
 * package fonts-courier-prime, found through fontconfig; its four faces
 * (regular, italic, bold, bold italic) are loaded by file into a private
 * fontconfig configuration, because the packaged files all call themselves
 * "Courier Prime Regular" and fontconfig alone would pick any of them.  A line
 * starts exactly at its column (x = col * 7.2 pt) with its baseline 9.6 pt
 * below the top of its row (y = row * 12 pt), so text extracted from the PDF
 * (pdftotext -bbox) gives the layout back.
 */
#pragma once

#include "text/layout.h"

/* Writes l as a PDF to path (atomically; /dev/stdout and the like directly).
 * Returns 0, or BJ_EUNSUPPORTED ("font 'Courier Prime' is not installed
 * (Debian package fonts-courier-prime)"), BJ_EIO/BJ_ENOENT ("'<path>': cannot
 * create file: <reason>", "'<path>': <reason>") with the error set; no file is
 * left behind on failure. */
int text_pdf_save(const text_layout *l, const char *path);
