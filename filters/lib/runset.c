/* runset.c - see runset.h */
#include "runset.h"
#include "filter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "schema.h"

const struct runkind runkind_table = {
	"table/1", "history/1", "change/1",
	{ "table", "benefit", "period", "population", "row", "measure", "weighted" },
	6, 0,
};

const struct runkind runkind_cohort = {
	"cohort_table/1", "cohort_history/1", "cohort_change/1",
	{ "table", "cohort_kind", "cohort", "benefit", "population", "row", "measure" },
	7, 1,
};

/* The kind a section of schema ID belongs to (*history set), or NULL. */
static const struct runkind *kind_of(const char *id, int *history)
{
	static const struct runkind *const kinds[] = { &runkind_table, &runkind_cohort };

	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		*history = strcmp(id, kinds[i]->history_schema) == 0;
		if (*history || strcmp(id, kinds[i]->table_schema) == 0)
			return kinds[i];
	}
	return NULL;
}

/* The key fields and the figure's fields of a section of R's schema, into RS. */
static int find_fields(struct runset *rs, struct rec_reader *r)
{
	const struct runkind *k = rs->kind;

	for (int f = 0; f < KEY_FIELDS; f++)
		if ((rs->ix_key[f] = rec_reader_require(r, k->key_names[f])) < 0)
			return REC_ERROR;
	rs->ix_supp = rs->ix_symbol = rs->ix_status = -1;
	if ((rs->ix_est = rec_reader_require(r, "estimate")) < 0 || (rs->ix_lo = rec_reader_require(r, "ci_low")) < 0 ||
	    (rs->ix_hi = rec_reader_require(r, "ci_high")) < 0 || (rs->ix_n = rec_reader_require(r, "n")) < 0 ||
	    (rs->ix_method = rec_reader_require(r, "method")) < 0)
		return REC_ERROR;
	if (k->cohort)
		return (rs->ix_status = rec_reader_require(r, "status")) < 0 ? REC_ERROR : 0;
	if ((rs->ix_supp = rec_reader_require(r, "suppressed")) < 0 || (rs->ix_symbol = rec_reader_require(r, "symbol")) < 0)
		return REC_ERROR;
	return 0;
}

static struct run *run_add(struct runset *rs, const char *name, const char *file)
{
	struct run *run;

	rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof *rs->v);
	run = &rs->v[rs->n++];
	memset(run, 0, sizeof *run);
	run->name = xstrdup(name);
	run->file = file;
	run->published = xstrdup("");
	run->code_version = xstrdup("");
	run->extracts_sha256 = xstrdup("");
	run->peildatum = xstrdup("");
	return run;
}

struct run *runset_find(const struct runset *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].name, name) == 0)
			return &rs->v[i];
	return NULL;
}

int runset_section(struct runset *rs, struct rec_reader *r, const char *file)
{
	const char *id = rec_reader_schema(r)->id;
	int history;
	const struct runkind *kind = kind_of(id, &history);

	if (kind == NULL)
		return rec_reader_fail(r, -1, "section %s: not a run's cells: those are table/1 (a run's tables.csv) or "
				       "history/1 (REPORTS/history.gz), or the registry monitor's cohort_table/1 "
				       "or cohort_history/1", id);
	if (rs->n > 0 && history != rs->history)
		return rec_reader_fail(r, -1, "section %s: the inputs mix tables and histories: compare two "
				       "tables, or runs of one history", id);
	if (rs->kind && kind != rs->kind)
		return rec_reader_fail(r, -1, "section %s: the inputs mix the report's cells (table/1) and the "
				       "registry monitor's (cohort_table/1)", id);
	rs->history = history;
	rs->kind = kind;
	if (find_fields(rs, r) < 0)
		return REC_ERROR;
	rs->file = file;
	if (!history) {
		/* every table/1 section of one file is one run */
		if (rs->current == NULL || rs->current->file != file)
			rs->current = run_add(rs, file, file);
		return 0;
	}
	rs->current = NULL;
	if ((rs->ix_run = rec_reader_require(r, "run")) < 0 || (rs->ix_pub = rec_reader_require(r, "publication")) < 0 ||
	    (rs->ix_published = rec_reader_require(r, "published")) < 0 ||
	    (rs->ix_code = rec_reader_require(r, "code_version")) < 0 ||
	    (rs->ix_sha = rec_reader_require(r, "extracts_sha256")) < 0 || (rs->ix_peil = rec_reader_require(r, "peildatum")) < 0)
		return REC_ERROR;
	return 0;
}

static void replace(char **s, const char *v)
{
	free(*s);
	*s = xstrdup(v);
}

/* History: the run of this record - the current one, or another (found or added). */
static struct run *history_run(struct runset *rs, struct rec_reader *r)
{
	const char *name = rec_get_text(r, rs->ix_run);
	long pub = rec_get_int(r, rs->ix_pub);
	struct run *run;

	if (rec_reader_bad(r))
		return NULL;
	if (rs->current && rs->current->file == rs->file && strcmp(rs->current->name, name) == 0)
		return rs->current;
	if ((run = runset_find(rs, name)) == NULL) {
		run = run_add(rs, name, rs->file);
		run->publication = pub;
		replace(&run->published, rec_get_text(r, rs->ix_published));
		replace(&run->code_version, rec_get_text(r, rs->ix_code));
		replace(&run->extracts_sha256, rec_get_text(r, rs->ix_sha));
		replace(&run->peildatum, rec_get_text(r, rs->ix_peil));
	} else if (run->publication != pub) {
		rec_reader_fail(r, rs->ix_pub, "run %s has publication %ld here and %ld before", name, pub, run->publication);
		return NULL;
	}
	return rs->current = run;
}

int runset_record(struct runset *rs, struct rec_reader *r)
{
	struct run *run = rs->history ? history_run(rs, r) : rs->current;
	struct cell *c;
	int supp;

	if (run == NULL)
		return REC_ERROR;
	if (rs->kind->cohort) {
		const char *status = rec_get_text(r, rs->ix_status);

		if (strcmp(status, "not_yet_known") == 0)
			return rec_reader_bad(r) ? REC_ERROR : 0;   /* not published: no cell */
		supp = strcmp(status, "suppressed") == 0;
	} else {
		supp = rec_get_bool(r, rs->ix_supp);
	}
	if (run->n == run->cap)
		run->cells = xrealloc(run->cells, (run->cap = run->cap ? 2 * run->cap : 512) * sizeof *run->cells);
	c = &run->cells[run->n++];
	for (int k = 0; k < KEY_FIELDS; k++)
		c->key[k] = xstrdup(rec_get_text(r, rs->ix_key[k]));
	c->suppressed = supp == 1;
	/* a suppressed cell keeps nothing that was (or should not have been) published */
	c->est = c->suppressed ? NAN : rec_get_num(r, rs->ix_est);
	c->lo = c->suppressed ? NAN : rec_get_num(r, rs->ix_lo);
	c->hi = c->suppressed ? NAN : rec_get_num(r, rs->ix_hi);
	c->n = c->suppressed ? -1 : rec_get_int(r, rs->ix_n);
	if (c->n == REC_INT_NONE)
		c->n = -1;
	c->symbol = xstrdup(c->suppressed || rs->ix_symbol < 0 ? "" : rec_get_text(r, rs->ix_symbol));
	c->method = xstrdup(rec_get_text(r, rs->ix_method));
	c->line = rec_reader_line(r);
	return rec_reader_bad(r) ? REC_ERROR : 0;
}

int cell_key_cmp(const struct cell *a, const struct cell *b)
{
	for (int k = 0; k < KEY_FIELDS; k++) {
		int d = strcmp(a->key[k], b->key[k]);

		if (d)
			return d;
	}
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct cell *x = *(const struct cell *const *)a, *y = *(const struct cell *const *)b;
	int d = cell_key_cmp(x, y);

	return d ? d : (x->line > y->line) - (x->line < y->line);
}

const struct cell **runset_sorted(const struct run *run, char *err, size_t errsz)
{
	const struct cell **v = xcalloc(run->n ? run->n : 1, sizeof *v);

	for (size_t i = 0; i < run->n; i++)
		v[i] = &run->cells[i];
	qsort(v, run->n, sizeof *v, by_key);
	for (size_t i = 1; i < run->n; i++)
		if (cell_key_cmp(v[i - 1], v[i]) == 0) {
			const struct cell *c = v[i];
			char key[1024] = "";

			for (int k = 0; k < KEY_FIELDS; k++)
				snprintf(key + strlen(key), sizeof key - strlen(key), "%s%s", k ? "," : "", c->key[k]);
			snprintf(err, errsz, "%s:%ld: row: cell %s repeated in run %s (first at line %ld)", run->file,
				 c->line, key, run->name, v[i - 1]->line);
			free(v);
			return NULL;
		}
	return v;
}

const struct cell *runset_lookup(const struct cell **sorted, size_t n, const struct cell *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = cell_key_cmp(sorted[mid], key);

		if (d == 0)
			return sorted[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void runset_release(struct runset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct run *run = &rs->v[i];

		for (size_t j = 0; j < run->n; j++) {
			for (int k = 0; k < KEY_FIELDS; k++)
				free(run->cells[j].key[k]);
			free(run->cells[j].symbol);
			free(run->cells[j].method);
		}
		free(run->cells);
		free(run->name);
		free(run->published);
		free(run->code_version);
		free(run->extracts_sha256);
		free(run->peildatum);
	}
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

static int read_section(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	struct runset *rs = ctx;

	(void)out;
	return runset_section(rs, r, rs->reading) < 0 ? -1 : 0;
}

static int read_record(void *ctx, struct rec_reader *r, struct rec_writer *out)
{
	(void)out;
	return runset_record(ctx, r) < 0 ? -1 : 0;
}

int runset_read(struct runset *rs, const char *path)
{
	static const struct filter reader = { .section = read_section, .record = read_record };

	rs->reading = path ? path : "-";
	return filter_read(&reader, rs, path, NULL);
}
