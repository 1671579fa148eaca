/* cond_test.c - fuzz harness of the condition language (filters/lib/cond.h).
 *
 * Input: a populations file, a line "%%", and a condition; or only a condition (no "%%"
 * line). A NUL ends the input. Invariants:
 *   - a populations file that is refused gives one line "FILE:LINE: problem";
 *   - a condition that is refused gives a one-line problem, no control characters;
 *   - a condition that parses gives its expanded text (names replaced), which parses
 *     without the names to the same expanded text, and means the same: both evaluate
 *     alike on a few made-up records (every column's value taken from a small list).
 * Nesting deeper than COND_MAX_DEPTH must be refused, never recursed into (ASan catches a
 * stack overflow). Corpus: tests/fuzz/corpus/cond.
 */
#define FUZZ_NAME "cond"
#include "fuzz.h"

#include "cond.h"

struct env {
	char **cols;
	size_t n;
	unsigned variant;        /* which made-up record */
};

static int lookup(void *ctx, const char *name)
{
	struct env *e = ctx;

	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->cols[i], name))
			return (int)i;
	e->cols = realloc(e->cols, (e->n + 1) * sizeof *e->cols);
	e->cols[e->n] = strdup(name);
	return (int)e->n++;
}

static void add_column(void *ctx, const char *name)
{
	lookup(ctx, name);
}

/* Field F of made-up record e->variant: one of a few values, numbers and words. */
static const char *get(void *ctx, int field)
{
	static const char *const values[] = { "", "0", "1", "2", "-1.5", "ww", "wwb", "x", "1e3", "3" };
	const struct env *e = ctx;
	unsigned h = 2166136261u;

	for (const char *s = e->cols[field]; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return values[(h + e->variant * 7u) % (sizeof values / sizeof *values)];
}

/* One line of text as diag.c prints it (utf8_clean), not empty. */
static int one_line(const char *raw)
{
	char s[1024];

	snprintf(s, sizeof s, "%s", raw);
	utf8_clean(s);
	if (!*s)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static void check_meaning(struct cond *a, struct cond *b)
{
	struct env e = { 0 };
	const char *miss, *bad_a = NULL, *bad_b = NULL;

	cond_columns(a, add_column, &e);
	cond_columns(b, add_column, &e);
	fuzz_check(cond_resolve(a, lookup, &e, &miss) == 0, "resolve: %s", miss);
	fuzz_check(cond_resolve(b, lookup, &e, &miss) == 0, "resolve: %s", miss);
	for (e.variant = 0; e.variant < 4; e.variant++) {
		int x = cond_eval(a, get, &e, &bad_a), y = cond_eval(b, get, &e, &bad_b);

		fuzz_check(x == y, "record %u: the condition gives %d, its expanded text %d", e.variant, x, y);
		fuzz_check(x >= -1 && x <= 1, "cond_eval gave %d", x);
	}
	for (size_t i = 0; i < e.n; i++)
		free(e.cols[i]);
	free(e.cols);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size), *cond_text = text, *sep;
	struct cond_names *names = NULL;
	char err[512] = "";
	char *expanded = NULL, *again = NULL;
	struct cond *c, *c2;

	if ((sep = strstr(text, "\n%%\n")) != NULL || !strncmp(text, "%%\n", 3)) {
		const char *path;

		if (!sep)
			sep = text - 1;
		path = fuzz_file("populations.spec", text, (size_t)(sep + 1 - text));
		cond_text = sep + 4;
		names = cond_names_new();
		if (cond_names_load(names, path, err, sizeof err) != 0) {
			fuzz_check(fuzz_message_ok(err, path), "populations: bad message '%s'", err);
			cond_names_free(names);
			free(text);
			return 0;
		}
	}
	c = cond_parse(cond_text, names, &expanded, err, sizeof err);
	if (!c) {
		fuzz_check(one_line(err), "a refused condition with the message '%s'", err);
	} else {
		fuzz_check(expanded != NULL, "no expanded text");
		c2 = cond_parse(expanded, NULL, &again, err, sizeof err);
		fuzz_check(c2 != NULL, "the expanded text '%.200s' does not parse: %s", expanded, err);
		fuzz_check(!strcmp(expanded, again), "expanded '%.200s', again '%.200s'", expanded, again);
		check_meaning(c, c2);
		cond_free(c2);
	}
	cond_free(c);
	free(expanded);
	free(again);
	cond_names_free(names);
	free(text);
	return 0;
}
