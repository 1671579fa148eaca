/* population_test.c - the compiled population conditions (filters/fit-models/population.c)
 * against the tree walk that defines them (cond_eval in spec.c), on random conditions and
 * random field values, row by row: same value, and on a failure the same column.
 *
 * The known answer is cond_eval's, which the fit-models tests (errors.t, edge.t, hand.t)
 * pin down against hand-worked cases. The values are the awkward ones for a fast path:
 * numbers strtod reads that are not plain integers (" 1", "+1", "1e0", "0x1", "01",
 * "nan", "inf"), 15- to 17-digit integers, text, empty, and a field with a NUL byte inside
 * (its length in bytes is longer than its string, as the reader can hand out). Columns
 * have skewed values, so the and/or operands get re-sorted by selectivity along the way.
 *
 * The Makefile links tests with the library only, so the two sources are included here.
 */
#include "../../filters/fit-models/spec.c"
#include "../../filters/fit-models/population.c"

#include <unistd.h>

#define N_COLS 5
#define N_ROWS 20000
#define N_MODELS 120

static struct spec_model *models;          /* static: reachable for the leak checkers */
static size_t n_models;
static struct pop_set *set;

#include "../lib/tap.h"
#include "../lib/test_rng.h"

static const char *const numeric_lits[] = { "0", "1", "2", "10", "-1", "1.5", "1e0", "01", "+1",
	"inf", "-0", "123456789012345", "1234567890123456", "0x1" };
static const char *const text_lits[] = { "x", "ww", "wwb", "nan", "\"1 \"", "\"\"", "\"a b\"" };

/* field values: text and byte length (the last has a NUL inside) */
static const struct { const char *s; size_t len; } values[] = {
	{ "", 0 }, { "0", 1 }, { "1", 1 }, { "2", 1 }, { "10", 2 }, { "-1", 2 }, { "-0", 2 },
	{ "01", 2 }, { "1.0", 3 }, { "1.5", 3 }, { " 1", 2 }, { "+1", 2 }, { "1e0", 3 }, { "0x1", 3 },
	{ "nan", 3 }, { "NaN", 3 }, { "inf", 3 }, { "-inf", 4 }, { "x", 1 }, { "ww", 2 }, { "wwb", 3 },
	{ "1 ", 2 }, { "a b", 3 }, { "123456789012345", 15 }, { "1234567890123456", 16 },
	{ "12345678901234567", 17 }, { "-123456789012345", 16 }, { "1e400", 5 }, { "-", 1 },
	{ ".5", 2 }, { "5.", 2 }, { "1\0x", 3 }, { "ww\0b", 4 },
};
#define N_VALUES (sizeof values / sizeof values[0])

static const char *row_s[N_COLS];
static size_t row_len[N_COLS];

static const char *get_text(void *ctx, int field)
{
	(void)ctx;
	return row_s[field];
}

static const char *get_len(void *ctx, int field, size_t *len)
{
	(void)ctx;
	*len = row_len[field];
	return row_s[field];
}

static int lookup(void *ctx, const char *name)
{
	(void)ctx;
	return name[0] == 'c' && name[1] >= '0' && name[1] < '0' + N_COLS && !name[2] ? name[1] - '0' : -1;
}

static void add(char *out, size_t sz, const char *s)
{
	strncat(out, s, sz - strlen(out) - 1);
}

static void gen(char *out, size_t sz, int depth)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	char col[8];
	unsigned k = rnd(depth > 0 ? 10 : 6);
	snprintf(col, sizeof col, "c%u", rnd(N_COLS));
	if (k == 0) {
		add(out, sz, rnd(8) ? "missing(" : "all");
		if (out[strlen(out) - 1] == '(') {
			add(out, sz, col);
			add(out, sz, ")");
		}
	} else if (k <= 4) {
		unsigned op = rnd(6);
		add(out, sz, col);
		add(out, sz, " ");
		add(out, sz, ops[op]);
		add(out, sz, " ");
		if (op >= 2 || rnd(3))
			add(out, sz, numeric_lits[rnd(sizeof numeric_lits / sizeof *numeric_lits)]);
		else
			add(out, sz, text_lits[rnd(sizeof text_lits / sizeof *text_lits)]);
	} else if (k == 5) {
		unsigned n = 1 + rnd(3);
		add(out, sz, col);
		add(out, sz, " in (");
		for (unsigned i = 0; i < n; i++) {
			if (i)
				add(out, sz, ", ");
			add(out, sz, rnd(2) ? numeric_lits[rnd(sizeof numeric_lits / sizeof *numeric_lits)]
			                    : text_lits[rnd(sizeof text_lits / sizeof *text_lits)]);
		}
		add(out, sz, ")");
	} else if (k == 6) {
		add(out, sz, "not ");
		gen(out, sz, depth - 1);
	} else if (k == 7) {
		add(out, sz, "(");
		gen(out, sz, depth - 1);
		add(out, sz, rnd(2) ? " or " : " and ");
		gen(out, sz, depth - 1);
		add(out, sz, ")");
	} else {
		unsigned n = 2 + rnd(3);
		const char *j = rnd(3) ? " and " : " or ";
		for (unsigned i = 0; i < n; i++) {
			if (i)
				add(out, sz, j);
			gen(out, sz, depth - 1);
		}
	}
}

/* The report's models (pipelines/eerste-jaar/models.spec): 16 models, 4 distinct
 * populations; once the rows have shown that few responded, the two respondent tests
 * alone settle the rows that are in no population. */
static const char *const report_cols[] = { "benefit", "on_benefit_3m", "on_benefit_6m", "responded_w2", "responded_w3" };

static int report_lookup(void *ctx, const char *name)
{
	(void)ctx;
	for (int i = 0; i < N_COLS; i++)
		if (!strcmp(report_cols[i], name))
			return i;
	return -1;
}

static void report_models(void)
{
	char path[4096], err[600];
	const char *root = getenv("KETEN_ROOT");
	size_t first = n_models;
	snprintf(path, sizeof path, "%s/pipelines/eerste-jaar/models.spec", root ? root : ".");
	if (spec_parse(path, NULL, &models, &n_models, err, sizeof err) < 0) {
		tap_line("not ok - the report's models.spec parses: %s\n", err);
		return;
	}
	size_t n = n_models - first, ids[64] = { 0 };
	struct cond *conds[64] = { 0 };
	if (n > 64) {
		tap_line("not ok - more report models than expected: %zu\n", n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		conds[i] = models[first + i].cond;
	set = pop_compile(conds, n);
	for (size_t i = 0; i < n; i++)
		ids[i] = pop_id(set, i);
	pop_section(set, report_lookup, NULL);
	pop_live(set, ids, n);
	tap_line("%s - the report's %zu models share %zu compiled conditions (want 16 and 4)\n",
	       n == 16 && pop_count(set) == 4 ? "ok" : "not ok", n, pop_count(set));
	long wrong = 0, settled = 0;
	static const char *const benefit[] = { "ww", "wwb" }, *const flag[] = { "0", "1", "" };
	for (long row = 0; row < 2000; row++) {
		row_s[0] = benefit[rnd(2)];
		row_s[1] = flag[rnd(3)];
		row_s[2] = flag[rnd(3)];
		row_s[3] = rnd(20) ? "0" : "1";     /* about 5 % respondents */
		row_s[4] = rnd(20) ? "0" : flag[rnd(3)];
		for (int c = 0; c < N_COLS; c++)
			row_len[c] = strlen(row_s[c]);
		pop_row(set, get_len, NULL);
		int any = pop_any(set), some = 0;
		for (size_t i = 0; i < n; i++) {
			const char *bad = NULL;
			some |= pop_eval(set, ids[i], &bad) != 0;
		}
		wrong += some && !any;
		settled += !any;
	}
	int two = set->n_gates == 2 && set->nodes[set->gates[0]].kind == N_ATOM &&
	          set->nodes[set->gates[1]].kind == N_ATOM &&
	          !strncmp(set->nodes[set->gates[0]].column, "responded_w", 11) &&
	          !strncmp(set->nodes[set->gates[1]].column, "responded_w", 11);
	tap_line("%s - after 2000 rows the gates are the two respondent tests (%zu gates: %s, %s)\n",
	       two ? "ok" : "not ok", set->n_gates, set->n_gates > 0 ? set->nodes[set->gates[0]].column : "-",
	       set->n_gates > 1 ? set->nodes[set->gates[1]].column : "-");
	tap_line("%s - report models: pop_any settles %ld of 2000 rows, never wrongly (%ld)\n",
	       !wrong && settled > 1500 ? "ok" : "not ok", settled, wrong);
	pop_free(set);
	set = NULL;
}

int main(void)
{
	char path[] = "/tmp/population_test.XXXXXX", err[600];
	int fd = mkstemp(path);
	FILE *fp;
	char exprs[N_MODELS][1024];
	size_t repeats = 0;

	if (fd < 0 || !(fp = fdopen(fd, "w"))) {
		tap_line("not ok - cannot create a spec file\n");
		return 1;
	}
	for (int i = 0; i < N_MODELS; i++) {
		exprs[i][0] = '\0';
		if (i > 0 && rnd(6) == 0) {     /* a repeated condition: must share the id */
			memcpy(exprs[i], exprs[rnd((unsigned)i)], sizeof exprs[i]);
			repeats++;
		} else if (i % 4 == 0) {        /* the report's shape: and of equalities */
			snprintf(exprs[i], sizeof exprs[i], "c%u == %s and c%u == 1 and c%u == 1", rnd(2),
			         rnd(2) ? "ww" : "wwb", 2 + rnd(2), 3 + rnd(2));
		} else {
			gen(exprs[i], sizeof exprs[i], 4);
		}
		fprintf(fp, "model m%d\n  outcome y\n  population %s\n  term x\n", i, exprs[i]);
	}
	fclose(fp);
	if (spec_parse(path, NULL, &models, &n_models, err, sizeof err) < 0) {
		tap_line("not ok - the generated spec parses: %s\n", err);
		unlink(path);
		return 1;
	}
	unlink(path);
	tap_line("ok - %zu random population conditions parse\n", n_models);

	struct cond *conds[N_MODELS] = { 0 };
	const char *missing;
	for (size_t i = 0; i < n_models; i++) {
		conds[i] = models[i].cond;
		if (cond_resolve(conds[i], lookup, NULL, &missing) < 0) {
			tap_line("not ok - cond_resolve: %s absent\n", missing);
			return 1;
		}
	}
	set = pop_compile(conds, n_models);
	int shared = 1;
	for (size_t i = 0; i < n_models; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(exprs[i], exprs[j]) && pop_id(set, i) != pop_id(set, j))
				shared = 0;
	tap_line("%s - equal conditions share one compiled condition (%zu repeats, %zu distinct of %zu)\n",
	       shared && pop_count(set) <= n_models - repeats ? "ok" : "not ok", repeats, pop_count(set), n_models);

	pop_section(set, lookup, NULL);

	/* per column a favourite value (taken 3 times in 4): skewed selectivity */
	size_t fav[N_COLS];
	for (int c = 0; c < N_COLS; c++)
		fav[c] = rnd(N_VALUES);
	long disagree = 0, any_wrong = 0, n_in = 0, n_fail = 0, n_out = 0, n_gated = 0;
	size_t order[N_MODELS], live[4] = { 0 }, n_live = 1;
	for (long row = 0; row < N_ROWS; row++) {
		if (row % 50 == 0) {           /* pop_any over a few conditions at a time */
			n_live = 1 + rnd(4);
			for (size_t i = 0; i < n_live; i++)
				live[i] = pop_id(set, rnd((unsigned)n_models));
			pop_live(set, live, n_live);
		}
		for (int c = 0; c < N_COLS; c++) {
			size_t v = rnd(4) ? fav[c] : rnd(N_VALUES);
			row_s[c] = values[v].s;
			row_len[c] = values[v].len;
		}
		if (row % 1000 == 0)           /* new favourites now and then: the order must follow */
			fav[rnd(N_COLS)] = rnd(N_VALUES);
		pop_row(set, get_len, NULL);
		int any = pop_any(set), some = 0;
		/* ask the models in a shuffled order: the answers must not depend on it */
		for (size_t i = 0; i < n_models; i++)
			order[i] = i;
		for (size_t i = n_models - 1; i > 0; i--) {
			size_t j = rnd((unsigned)i + 1), t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (size_t k = 0; k < n_models; k++) {
			size_t i = order[k];
			const char *bad_want = NULL, *bad_got = NULL;
			int want = cond_eval(conds[i], get_text, NULL, &bad_want);
			int got = pop_eval(set, pop_id(set, i), &bad_got);
			if (want != got || (want < 0 && (!bad_got || strcmp(bad_want, bad_got)))) {
				if (disagree++ < 5)
					printf("# row %ld model m%zu '%s': cond_eval %d (%s), pop_eval %d (%s)\n", row, i,
					       exprs[i], want, want < 0 ? bad_want : "-", got, got < 0 && bad_got ? bad_got : "-");
			}
			for (size_t l = 0; l < n_live; l++)
				some |= want != 0 && pop_id(set, i) == live[l];
			n_in += want > 0;
			n_fail += want < 0;
			n_out += want == 0;
		}
		if (some && !any)
			any_wrong++;
		n_gated += !any;
	}
	tap_line("%s - pop_eval = cond_eval on %d rows x %zu conditions (%ld disagree)\n",
	       disagree ? "not ok" : "ok", N_ROWS, n_models, disagree);
	tap_line("%s - the cases are all there: %ld in, %ld out, %ld failing\n",
	       n_in > 1000 && n_out > 1000 && n_fail > 1000 ? "ok" : "not ok", n_in, n_out, n_fail);
	tap_line("%s - pop_any is 0 only when every live condition is 0 (%ld rows settled by it, %ld wrongly)\n",
	       any_wrong || n_gated < 1000 ? "not ok" : "ok", n_gated, any_wrong);

	pop_free(set);
	set = NULL;
	report_models();
	tap_plan();
	return 0;
}
