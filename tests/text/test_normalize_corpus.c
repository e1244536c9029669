#include "text/normalize.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"
#include "text/fountain.h"

/*
 * The normaliser over the whole screenplay corpus of the shared data (IMSDb
 * scrapes, indented and flat): every file reads as a screenplay, each with
 * sane proportions of cues, dialogue and action, and its Fountain parses back
 * to what was made.  The figures are printed for the record.
 */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void)
{
	const char *dir = test_data("text/screenplays");
	if (!dir)
		return;
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0) {
			BJ_GROW(names, cap, n + 1);
			names[n++] = bj_xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	CHECK(n >= 100, "%zu screenplays", n);

	text_normalize_report total = { 0 };
	size_t read = 0, flat = 0, parsed_back = 0, joined = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = bj_xasprintf("%s/%s", dir, names[i]);
		text_screenplay *sp;
		text_normalize_report r;
		int ret = text_normalize_load(path, &sp, &r);
		CHECK(ret == 0, "%s", bj_error_message());
		free(path);
		if (ret < 0)
			continue;
		read++;
		flat += r.flat;
		joined += r.joined;
		total.lines += r.lines;
		for (int c = 0; c < TEXT_NORM_CLASSES; c++)
			total.count[c] += r.count[c];
		for (int t = 0; t < TEXT_ELEMENT_TYPES; t++)
			total.elements[t] += r.elements[t];

		/* sane proportions of the lines that hold text */
		const size_t *c = r.count;
		double text = (double)(r.lines - c[TEXT_NORM_BLANK]);
		double cue = c[TEXT_NORM_CHARACTER] / text;
		double speech = (c[TEXT_NORM_DIALOGUE] + c[TEXT_NORM_PARENTHETICAL]) / text;
		double action = c[TEXT_NORM_ACTION] / text;
		double dropped = (c[TEXT_NORM_PAGE_NUMBER] + c[TEXT_NORM_CONTINUED] + c[TEXT_NORM_HEADER]) / text;
		CHECK(cue >= 0.04 && speech >= 0.08 && action <= 0.85 && dropped <= 0.15,
		      "%s: cues %.3f, speech %.3f, action %.3f, dropped %.3f", names[i], cue, speech,
		      action, dropped);
		/* a dialogue line for every cue, about */
		CHECK(c[TEXT_NORM_DIALOGUE] >= c[TEXT_NORM_CHARACTER], "%s: %zu cues, %zu dialogue lines",
		      names[i], c[TEXT_NORM_CHARACTER], c[TEXT_NORM_DIALOGUE]);

		/* the Fountain written reads back as the same screenplay */
		char *f = text_fountain_emit(sp);
		text_screenplay *back;
		if (text_fountain_parse(names[i], f, strlen(f), &back) == 0) {
			bool same = text_screenplay_equal(sp, back);
			CHECK(same, "%s: the Fountain does not parse back to the same elements", names[i]);
			parsed_back += same;
			text_screenplay_free(back);
		} else {
			test_fail(__FILE__, __LINE__, "%s", bj_error_message());
		}
		free(f);
		text_screenplay_free(sp);
	}

	const size_t *c = total.count;
	size_t text = total.lines - c[TEXT_NORM_BLANK];
	printf("    %zu of %zu screenplays read (%zu flat), %zu lines, %zu with text; %zu Fountain "
	       "round trips exact; %zu speeches or paragraphs joined across page breaks\n",
	       read, n, flat, total.lines, text, parsed_back, joined);
	for (int k = 1; k < TEXT_NORM_CLASSES; k++)
		printf("    %-14s %7zu lines  %5.2f %%\n", text_norm_class_name((enum text_norm_class)k),
		       c[k], text ? 100.0 * (double)c[k] / (double)text : 0);
	printf("    elements: %zu headings, %zu action, %zu cues, %zu dialogue, %zu parentheticals, "
	       "%zu transitions, %zu centred\n", total.elements[TEXT_SCENE_HEADING],
	       total.elements[TEXT_ACTION], total.elements[TEXT_CHARACTER],
	       total.elements[TEXT_DIALOGUE], total.elements[TEXT_PARENTHETICAL],
	       total.elements[TEXT_TRANSITION], total.elements[TEXT_CENTERED]);
	CHECK(read == n && parsed_back == read);
	/* over the corpus: scripts are about half speech */
	CHECK(text && c[TEXT_NORM_CHARACTER] * 100 >= text * 12 &&
	      (c[TEXT_NORM_DIALOGUE] + c[TEXT_NORM_PARENTHETICAL]) * 100 >= text * 25 &&
	      c[TEXT_NORM_ACTION] * 100 <= text * 55);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_corpus),
		{ 0 },
	};
	return test_main(cases);
}
