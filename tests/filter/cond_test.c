/* cond_test.c - the condition language (filters/lib/cond.h): parsing, meaning, names, the
 * depth limit. Known answers worked out by hand from cond.h's grammar and meaning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cond.h"
#include "../lib/tap.h"

static int failures;

static void check(int ok, const char *what)
{
	tap_line("%s - %s\n", ok ? "ok" : "not ok", what);
	failures += !ok;
}

/* A record: NAME=VALUE pairs; fields are indexes into it. */
static const char *rec_names[8], *rec_vals[8];
static int n_rec;

static void set_record(const char *spec)
{
	static char buf[256];
	char *save = NULL;

	snprintf(buf, sizeof buf, "%s", spec);
	n_rec = 0;
	for (char *kv = strtok_r(buf, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		*eq = '\0';
		rec_names[n_rec] = kv;
		rec_vals[n_rec++] = eq + 1;
	}
}

static int lookup(void *ctx, const char *name)
{
	(void)ctx;
	for (int i = 0; i < n_rec; i++)
		if (!strcmp(rec_names[i], name))
			return i;
	return -1;
}

static const char *get(void *ctx, int field)
{
	(void)ctx;
	return rec_vals[field];
}

/* TEXT on RECORD gives WANT (1, 0, or -1 naming BAD). */
static void eval_case(const char *text, const char *record, int want, const char *bad)
{
	char err[256], what[512];
	const char *missing = NULL, *bad_got = NULL;
	struct cond *c = cond_parse(text, NULL, NULL, err, sizeof err);
	int got = -9;

	set_record(record);
	if (c && cond_resolve(c, lookup, NULL, &missing) == 0)
		got = cond_eval(c, get, NULL, &bad_got);
	snprintf(what, sizeof what, "'%s' on {%s} is %d%s%s", text, record, want, bad ? ", naming " : "", bad ? bad : "");
	check(got == want && (!bad || (bad_got && !strcmp(bad, bad_got))), what);
	cond_free(c);
}

static void error_case(const char *text, const char *want)
{
	char err[256], what[512];
	struct cond *c = cond_parse(text, NULL, NULL, err, sizeof err);

	snprintf(what, sizeof what, "'%.40s' is refused: %s", text, want);
	check(c == NULL && !strcmp(err, want), what);
	if (c == NULL && strcmp(err, want))
		printf("#   got: %s\n", err);
	cond_free(c);
}

static void test_meaning(void)
{
	eval_case("benefit == ww and on_benefit_3m == 1", "benefit=ww on_benefit_3m=1", 1, NULL);
	eval_case("benefit == ww and on_benefit_3m == 1", "benefit=ww on_benefit_3m=", 0, NULL);
	eval_case("x != 3", "x=", 0, NULL);          /* missing: every comparison false, != too */
	eval_case("x != 3", "x=4", 1, NULL);
	eval_case("x == 1", "x=1.0", 1, NULL);       /* numbers compare as numbers */
	eval_case("x == a", "x=A", 0, NULL);
	eval_case("x in (a, b)", "x=b", 1, NULL);
	eval_case("missing(x)", "x=", 1, NULL);
	eval_case("not missing(x) or y == 1", "x= y=0", 0, NULL);
	eval_case("x > 2", "x=3", 1, NULL);
	eval_case("x > 2", "x=abc", -1, "x");
	eval_case("y == 1 or x > 2", "x=abc y=1", 1, NULL);   /* or stops at its first 1 */
	eval_case("y == 1 and x > 2", "x=abc y=0", 0, NULL);  /* and stops at its first 0 */
	eval_case("not x > 2", "x=abc", -1, "x");
	/* tabulate's atoms: bare bool, = V|V, != V|V, & */
	eval_case("flag & x=a|b", "flag=1 x=b", 1, NULL);
	eval_case("flag & x=a|b", "flag=0 x=b", 0, NULL);
	eval_case("x!=a|b", "x=c", 1, NULL);
	eval_case("x!=a|b", "x=a", 0, NULL);
	eval_case("x!=a|b", "x=", 0, NULL);
	eval_case("all", "x=", 1, NULL);
	eval_case("(a == 1 or b == 1) and not c == 1", "a=0 b=1 c=0", 1, NULL);
}

static void test_errors(void)
{
	error_case("(x == 1", "')' expected");
	error_case("x ==", "a value expected after x");
	error_case("x < abc", "x: ordering needs a number, not 'abc'");
	error_case("x == 1 y", "unexpected 'y' after the condition");
	error_case("x ~ 1", "unexpected character '~'");
	error_case("x == \"a", "unterminated quoted value");
	error_case("and == 1", "'and' is not a column name");
}

/* Nesting the input controls: refused past COND_MAX_DEPTH, never a deep recursion. */
static void test_depth(void)
{
	size_t n = 50000;
	char *s = malloc(5 * n + 16), err[256];
	struct cond *c;

	memset(s, '(', n);
	strcpy(s + n, "x == 1");
	for (size_t i = 0; i < n; i++)
		strcat(s + n, ")");
	c = cond_parse(s, NULL, NULL, err, sizeof err);
	check(c == NULL && !strcmp(err, "nested deeper than 64 levels"), "50000 parentheses: refused, nested deeper than 64 levels");
	cond_free(c);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(s + 4 * i, "not ");
	strcat(s, "x == 1");
	c = cond_parse(s, NULL, NULL, err, sizeof err);
	check(c == NULL && !strcmp(err, "nested deeper than 64 levels"), "50000 nots: refused the same way");
	cond_free(c);
	free(s);
	/* a long chain is flat: one node of many operands, evaluated without recursion depth */
	s = malloc(13 * 100000 + 16);
	s[0] = '\0';
	for (size_t i = 0, len = 0; i < 100000; i++)
		len += (size_t)sprintf(s + len, "%sx == 1", i ? " and " : "");
	c = cond_parse(s, NULL, NULL, err, sizeof err);
	set_record("x=1");
	{
		const char *missing = NULL, *bad = NULL;

		check(c && c->op == C_AND && c->n_kids == 100000 && cond_resolve(c, lookup, NULL, &missing) == 0 &&
		      cond_eval(c, get, NULL, &bad) == 1, "a chain of 100000 ands is one flat node, and is 1");
	}
	cond_free(c);
	s[0] = '\0';
	for (size_t i = 0; i < 64; i++)
		strcat(s, "(");
	strcat(s, "x == 1");
	for (size_t i = 0; i < 64; i++)
		strcat(s, ")");
	c = cond_parse(s, NULL, NULL, err, sizeof err);
	check(c != NULL, "64 parentheses deep is still taken");
	cond_free(c);
	free(s);
}

static int write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

static void names_case(struct cond_names *n, const char *text, const char *want)
{
	char err[256], what[512], *expanded = NULL;
	struct cond *c = cond_parse(text, n, &expanded, err, sizeof err);

	snprintf(what, sizeof what, "'%s' expands to '%s'", text, want);
	check(c && expanded && !strcmp(expanded, want), what);
	if (c && expanded && strcmp(expanded, want))
		printf("#   got: %s\n", expanded);
	cond_free(c);
	free(expanded);
}

static void test_names(void)
{
	char dir[] = "/tmp/cond_test.XXXXXX", path[256], err[512];
	struct cond_names *n = cond_names_new();

	if (!mkdtemp(dir)) {
		check(0, "a temporary folder");
		return;
	}
	snprintf(path, sizeof path, "%s/pop.spec", dir);
	write_file(path, "# named populations\n"
		   "population r2 = responded_w2 == 1\n"
		   "population ww_h1 = benefit == ww and \\\n    on_benefit_3m == 1 and r2   # a comment\n"
		   "population either = r2 or responded_w3 == 1\n");
	check(cond_names_load(n, path, err, sizeof err) == 0, "a populations file loads");
	names_case(n, "ww_h1", "benefit == ww and on_benefit_3m == 1 and responded_w2 == 1");
	names_case(n, "x == 1 and either", "x == 1 and (responded_w2 == 1 or responded_w3 == 1)");
	names_case(n, "either", "responded_w2 == 1 or responded_w3 == 1");
	names_case(n, "not ww_h1", "not (benefit == ww and on_benefit_3m == 1 and responded_w2 == 1)");
	names_case(n, "benefit == wwb", "benefit == wwb");
	write_file(path, "population a = x == 1\npopulation a = x == 2\n");
	check(cond_names_load(n, path, err, sizeof err) < 0 && strstr(err, "pop.spec:2: population a: defined twice"),
	      "a name defined twice is refused, with file and line");
	write_file(path, "population b x == 1\n");
	check(cond_names_load(n, path, err, sizeof err) < 0 && strstr(err, ":1: 'population NAME = CONDITION' expected"),
	      "a line that is not a definition is refused");
	unlink(path);
	rmdir(dir);
	cond_names_free(n);
}

static void test_compile(void)
{
	struct schema_field fields[2] = { { .name = (char *)"flag", .type = ST_BOOL },
					  { .name = (char *)"age", .type = ST_INT } };
	struct schema s = { .id = (char *)"t/1", .fields = fields, .n_fields = 2 };
	char err[256];
	struct cond *c = cond_parse("flag and age > 3", NULL, NULL, err, sizeof err);

	check(c && cond_compile(c, &s, err, sizeof err) == 0 && c->kids[0]->field == 0 && c->kids[1]->field == 1,
	      "cond_compile resolves the columns against a schema");
	cond_free(c);
	c = cond_parse("age", NULL, NULL, err, sizeof err);
	check(c && cond_compile(c, &s, err, sizeof err) < 0 && !strcmp(err, "age: not a bool column of t/1: write age == VALUE"),
	      "a bare column that is not a bool is refused");
	cond_free(c);
	c = cond_parse("nosuch == 1", NULL, NULL, err, sizeof err);
	check(c && cond_compile(c, &s, err, sizeof err) < 0 && !strcmp(err, "nosuch: not a field of t/1"),
	      "a column the schema lacks is refused");
	cond_free(c);
}

int main(void)
{
	test_meaning();
	test_errors();
	test_depth();
	test_names();
	test_compile();
	tap_plan();
	return failures != 0;
}
