/*
 * xml.h - a small, strict XML reader for model files written by OpenCV's
 * FileStorage (cascade classifiers): elements, attributes, text, comments.
 *
 *     vision_xml *x = vision_xml_parse(text, size, "face.xml");
 *     if (!x)
 *         return bj_error_code();        // "'face.xml': line 12: unclosed element 'stages'"
 *     int root = vision_xml_root(x);     // the document element
 *     for (int c = vision_xml_child(x, root); c >= 0; c = vision_xml_next(x, c))
 *         use(vision_xml_name(x, c), vision_xml_text(x, c));
 *     vision_xml_free(x);
 *
 * Elements are numbered in document order (0 is the document element); -1 means
 * none.  An element's text is the character data directly inside it, its
 * pieces joined; the five predefined entities and character references are
 * decoded.  Processing instructions (the XML declaration, a stylesheet) may
 * stand before and after the document element; anything else (DOCTYPE, CDATA,
 * markup of those kinds inside elements, undefined entities) is rejected.  Nesting is
 * limited to VISION_XML_MAX_DEPTH.  Every error names the file and the line.
 */
#pragma once

#include <stddef.h>

#define VISION_XML_MAX_DEPTH 64

typedef struct vision_xml vision_xml;

/* Parses size bytes of text (need not be NUL-terminated).  name is used in
 * messages.  NULL with BJ_EFORMAT set when the text is not well-formed XML of
 * the subset above. */
vision_xml *vision_xml_parse(const char *text, size_t size, const char *name);

void vision_xml_free(vision_xml *x);

/* The document element (0). */
int vision_xml_root(const vision_xml *x);

/* The first child element of el, or -1. */
int vision_xml_child(const vision_xml *x, int el);

/* The next sibling element of el, or -1. */
int vision_xml_next(const vision_xml *x, int el);

/* The first child of el named name, or -1. */
int vision_xml_find(const vision_xml *x, int el, const char *name);

/* How many child elements el has. */
int vision_xml_count(const vision_xml *x, int el);

/* The element's name, NUL-terminated, owned by x. */
const char *vision_xml_name(const vision_xml *x, int el);

/* The element's text (pieces between its children joined), NUL-terminated,
 * owned by x. */
const char *vision_xml_text(const vision_xml *x, int el);

/* The value of attribute attr of el, or NULL. */
const char *vision_xml_attr(const vision_xml *x, int el, const char *attr);

/* The source line where el starts (for messages). */
int vision_xml_line(const vision_xml *x, int el);
