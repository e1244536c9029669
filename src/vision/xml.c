#include "vision/xml.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

struct element {
	size_t name;      /* offsets into pool */
	size_t text;
	int child, next;  /* -1 for none */
	int last_child;
	int first_attr, n_attr;
	int line;
};

struct attr {
	size_t name, value;
};

struct vision_xml {
	char *pool;               /* NUL-terminated strings */
	size_t pool_len, pool_cap;
	struct element *el;
	size_t n_el, cap_el;
	struct attr *attr;
	size_t n_attr, cap_attr;
};

/* The parser's state: the text, a position and the line it is on. */
struct parser {
	const char *s, *end;
	const char *name;
	int line;
	vision_xml *x;
	/* text of the open elements, one buffer per depth */
	char *text[VISION_XML_MAX_DEPTH];
	size_t text_len[VISION_XML_MAX_DEPTH], text_cap[VISION_XML_MAX_DEPTH];
};

static int fail(struct parser *p, const char *what)
{
	return bj_error_set(BJ_EFORMAT, "'%s': line %d: %s", p->name, p->line, what);
}

static int failf(struct parser *p, const char *what, const char *subject)
{
	return bj_error_set(BJ_EFORMAT, "'%s': line %d: %s '%s'", p->name, p->line, what, subject);
}

static size_t pool_add(vision_xml *x, const char *s, size_t n)
{
	BJ_GROW(x->pool, x->pool_cap, x->pool_len + n + 1);
	size_t off = x->pool_len;
	memcpy(x->pool + off, s, n);
	x->pool[off + n] = '\0';
	x->pool_len += n + 1;
	return off;
}

static int starts(const struct parser *p, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(p->end - p->s) >= n && memcmp(p->s, lit, n) == 0;
}

static void advance(struct parser *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p->s[i] == '\n')
			p->line++;
	p->s += n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_space(struct parser *p)
{
	while (p->s < p->end && is_space(*p->s))
		advance(p, 1);
}

static int name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' ||
	       (unsigned char)c >= 0x80;
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Reads a name at the position; returns its length (0 if none). */
static size_t read_name(struct parser *p)
{
	size_t n = 0;
	if (p->s < p->end && name_start(p->s[0]))
		while (p->s + n < p->end && name_char(p->s[n]))
			n++;
	return n;
}

/* Skips "<!-- ... -->" at the position. */
static int skip_comment(struct parser *p)
{
	const char *close = NULL;
	for (const char *q = p->s + 4; q + 3 <= p->end; q++)
		if (q[0] == '-' && q[1] == '-') {
			if (q[2] != '>')
				return fail(p, "'--' inside a comment");
			close = q;
			break;
		}
	if (!close)
		return fail(p, "unterminated comment");
	advance(p, (size_t)(close + 3 - p->s));
	return 0;
}

static void put_utf8(char *out, size_t *n, unsigned long cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xC0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xE0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*n)++] = (char)(0xF0 | (cp >> 18));
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*n)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* Decodes the entity at the position ("&...;") into out (up to 4 bytes). */
static int read_entity(struct parser *p, char *out, size_t *n)
{
	static const struct { const char *name; char c; } named[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' }, { "&apos;", '\'' },
	};
	for (size_t i = 0; i < BJ_ARRAY_SIZE(named); i++)
		if (starts(p, named[i].name)) {
			out[(*n)++] = named[i].c;
			advance(p, strlen(named[i].name));
			return 0;
		}
	if (!starts(p, "&#"))
		return fail(p, "undefined entity");
	const char *q = p->s + 2;
	int base = 10;
	if (q < p->end && *q == 'x') {
		base = 16;
		q++;
	}
	unsigned long cp = 0;
	int digits = 0;
	for (; q < p->end && *q != ';'; q++, digits++) {
		int d = *q >= '0' && *q <= '9' ? *q - '0' :
		        base == 16 && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10 :
		        base == 16 && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10 : -1;
		if (d < 0 || digits >= 8)
			return fail(p, "bad character reference");
		cp = cp * (unsigned long)base + (unsigned long)d;
	}
	if (q >= p->end || digits == 0 || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return fail(p, "bad character reference");
	put_utf8(out, n, cp);
	advance(p, (size_t)(q + 1 - p->s));
	return 0;
}

static void text_add(struct parser *p, int depth, const char *s, size_t n)
{
	BJ_GROW(p->text[depth], p->text_cap[depth], p->text_len[depth] + n + 1);
	memcpy(p->text[depth] + p->text_len[depth], s, n);
	p->text_len[depth] += n;
}

/* Reads character data up to the next '<' into the open element's text. */
static int read_text(struct parser *p, int depth)
{
	while (p->s < p->end && *p->s != '<') {
		if (*p->s == '&') {
			char buf[4];
			size_t n = 0;
			if (read_entity(p, buf, &n) < 0)
				return -1;
			text_add(p, depth, buf, n);
			continue;
		}
		if (*p->s == '\0')
			return fail(p, "NUL byte in text");
		const char *q = p->s;
		while (q < p->end && *q != '<' && *q != '&' && *q != '\0')
			q++;
		text_add(p, depth, p->s, (size_t)(q - p->s));
		advance(p, (size_t)(q - p->s));
	}
	return 0;
}

/* Reads the attributes of a start tag up to '>' or "/>"; *empty is set for "/>". */
static int read_attrs(struct parser *p, struct element *e, int *empty)
{
	vision_xml *x = p->x;
	e->first_attr = (int)x->n_attr;
	for (;;) {
		int had_space = p->s < p->end && is_space(*p->s);
		skip_space(p);
		if (p->s >= p->end)
			return fail(p, "unterminated start tag");
		if (*p->s == '>') {
			advance(p, 1);
			*empty = 0;
			return 0;
		}
		if (starts(p, "/>")) {
			advance(p, 2);
			*empty = 1;
			return 0;
		}
		size_t n = read_name(p);
		if (n == 0 || !had_space)
			return fail(p, "malformed start tag");
		size_t name = pool_add(x, p->s, n);
		advance(p, n);
		skip_space(p);
		if (p->s >= p->end || *p->s != '=')
			return fail(p, "attribute without a value");
		advance(p, 1);
		skip_space(p);
		if (p->s >= p->end || (*p->s != '"' && *p->s != '\''))
			return fail(p, "attribute value not quoted");
		char quote = *p->s;
		advance(p, 1);
		char *val = NULL;
		size_t len = 0, cap = 0;
		while (p->s < p->end && *p->s != quote) {
			BJ_GROW(val, cap, len + 5);
			if (*p->s == '<' || *p->s == '\0') {
				free(val);
				return fail(p, "bad character in attribute value");
			}
			if (*p->s == '&') {
				if (read_entity(p, val, &len) < 0) {
					free(val);
					return -1;
				}
				continue;
			}
			val[len++] = *p->s;
			advance(p, 1);
		}
		if (p->s >= p->end) {
			free(val);
			return fail(p, "unterminated attribute value");
		}
		advance(p, 1);
		size_t value = pool_add(x, val ? val : "", len);
		free(val);
		BJ_GROW(x->attr, x->cap_attr, x->n_attr + 1);
		x->attr[x->n_attr++] = (struct attr){ name, value };
		e->n_attr++;
	}
}

/* Parses the document element and everything inside it, iteratively. */
static int parse_root(struct parser *p)
{
	vision_xml *x = p->x;
	int stack[VISION_XML_MAX_DEPTH];
	int depth = -1;   /* index of the innermost open element in stack */
	do {
		if (depth >= 0 && read_text(p, depth) < 0)
			return -1;
		if (p->s >= p->end)
			return failf(p, "unclosed element", x->pool + x->el[stack[depth]].name);
		if (starts(p, "<!--")) {
			if (skip_comment(p) < 0)
				return -1;
			continue;
		}
		if (starts(p, "</")) {
			if (depth < 0)
				return fail(p, "end tag outside any element");
			advance(p, 2);
			size_t n = read_name(p);
			const char *open = x->pool + x->el[stack[depth]].name;
			if (n != strlen(open) || memcmp(p->s, open, n) != 0)
				return failf(p, "mismatched end tag for element", open);
			advance(p, n);
			skip_space(p);
			if (p->s >= p->end || *p->s != '>')
				return fail(p, "malformed end tag");
			advance(p, 1);
			struct element *e = &x->el[stack[depth]];
			e->text = pool_add(x, p->text[depth] ? p->text[depth] : "", p->text_len[depth]);
			depth--;
			continue;
		}
		if (starts(p, "<!") || starts(p, "<?"))
			return fail(p, "unsupported markup (DOCTYPE, CDATA or processing instruction)");
		if (*p->s != '<')
			return fail(p, "text outside the document element");
		advance(p, 1);
		size_t n = read_name(p);
		if (n == 0)
			return fail(p, "malformed start tag");
		if (depth + 1 >= VISION_XML_MAX_DEPTH)
			return fail(p, "elements nested too deeply");
		BJ_GROW(x->el, x->cap_el, x->n_el + 1);
		int id = (int)x->n_el++;
		struct element *e = &x->el[id];
		*e = (struct element){ .name = pool_add(x, p->s, n), .child = -1, .next = -1,
		                       .last_child = -1, .line = p->line };
		advance(p, n);
		if (depth >= 0) {
			struct element *parent = &x->el[stack[depth]];
			if (parent->last_child >= 0)
				x->el[parent->last_child].next = id;
			else
				parent->child = id;
			parent->last_child = id;
		}
		int empty = 0;
		if (read_attrs(p, &x->el[id], &empty) < 0)
			return -1;
		if (empty) {
			x->el[id].text = pool_add(x, "", 0);
		} else {
			stack[++depth] = id;
			p->text_len[depth] = 0;
		}
	} while (depth >= 0);
	return 0;
}

/* Skips "<?...?>" at the position. */
static int skip_pi(struct parser *p)
{
	const char *q = p->s + 2;
	while (q + 2 <= p->end && !(q[0] == '?' && q[1] == '>'))
		q++;
	if (q + 2 > p->end)
		return fail(p, "unterminated processing instruction");
	advance(p, (size_t)(q + 2 - p->s));
	return 0;
}

/* Skips whitespace, comments and processing instructions (before or after the
 * document element). */
static int skip_misc(struct parser *p)
{
	for (;;) {
		skip_space(p);
		int ret;
		if (starts(p, "<!--"))
			ret = skip_comment(p);
		else if (starts(p, "<?"))
			ret = skip_pi(p);
		else
			return 0;
		if (ret < 0)
			return -1;
	}
}

vision_xml *vision_xml_parse(const char *text, size_t size, const char *name)
{
	struct parser p = { .s = text, .end = text + size, .name = name, .line = 1 };
	p.x = bj_xcalloc(1, sizeof(*p.x));
	if (starts(&p, "\xEF\xBB\xBF"))
		p.s += 3;
	if (skip_misc(&p) < 0)
		goto fail;
	if (p.s >= p.end) {
		fail(&p, "no document element");
		goto fail;
	}
	if (parse_root(&p) < 0 || skip_misc(&p) < 0)
		goto fail;
	if (p.s < p.end) {
		fail(&p, "content after the document element");
		goto fail;
	}
	for (int i = 0; i < VISION_XML_MAX_DEPTH; i++)
		free(p.text[i]);
	return p.x;
fail:
	for (int i = 0; i < VISION_XML_MAX_DEPTH; i++)
		free(p.text[i]);
	vision_xml_free(p.x);
	return NULL;
}

void vision_xml_free(vision_xml *x)
{
	if (!x)
		return;
	free(x->pool);
	free(x->el);
	free(x->attr);
	free(x);
}

int vision_xml_root(const vision_xml *x)
{
	(void)x;
	return 0;
}

int vision_xml_child(const vision_xml *x, int el)
{
	return el < 0 ? -1 : x->el[el].child;
}

int vision_xml_next(const vision_xml *x, int el)
{
	return el < 0 ? -1 : x->el[el].next;
}

int vision_xml_find(const vision_xml *x, int el, const char *name)
{
	for (int c = vision_xml_child(x, el); c >= 0; c = x->el[c].next)
		if (strcmp(x->pool + x->el[c].name, name) == 0)
			return c;
	return -1;
}

int vision_xml_count(const vision_xml *x, int el)
{
	int n = 0;
	for (int c = vision_xml_child(x, el); c >= 0; c = x->el[c].next)
		n++;
	return n;
}

const char *vision_xml_name(const vision_xml *x, int el)
{
	return x->pool + x->el[el].name;
}

const char *vision_xml_text(const vision_xml *x, int el)
{
	return x->pool + x->el[el].text;
}

const char *vision_xml_attr(const vision_xml *x, int el, const char *attr)
{
	const struct element *e = &x->el[el];
	for (int i = 0; i < e->n_attr; i++) {
		const struct attr *a = &x->attr[e->first_attr + i];
		if (strcmp(x->pool + a->name, attr) == 0)
			return x->pool + a->value;
	}
	return NULL;
}

int vision_xml_line(const vision_xml *x, int el)
{
	return x->el[el].line;
}
