/* tablespec_test.c - fuzz harness of tabulate's table spec parser
 * (filters/tabulate/spec.c, included: the Makefile links tests with the library only).
 *
 * Input: a table spec. Beside it, as populations.spec, the pipeline's populations file
 * (pipelines/eerste-jaar/populations.spec), so that a `populations populations.spec` line
 * reads the named populations the real spec uses. Invariants:
 *   - a refused spec gives one diagnostic "FILE:LINE: problem" or "FILE: problem" about
 *     the spec (one line, no control characters), at a line the file has - tabulate
 *     prints it and exits 1 - and leaves nothing allocated (the leak checker);
 *   - an accepted spec reads again to the same tables (ids, kinds, titles, panels, rows,
 *     atoms and their values, models): the parser keeps no state between files;
 *   - what tabulate relies on holds: every table has both titles, a people table a
 *     benefit and panels with rows, a model table models; every atom names a column of
 *     the spec's list with at least one value, a bool's values are 0 or 1 and an enum's
 *     index one of its words.
 * Corpus: tests/fuzz/corpus/tablespec.
 */
#define FUZZ_NAME "tablespec"
#include "fuzz.h"

#include "../../filters/tabulate/spec.c"

/* The populations file beside the spec, written once per process. */
static void write_populations(void)
{
	static int done;
	char src[4096];
	const char *root = getenv("KETEN_ROOT");
	size_t n = 0;
	void *text;

	if (done)
		return;
	snprintf(src, sizeof src, "%s/pipelines/eerste-jaar/populations.spec", root && *root ? root : ".");
	text = fuzz_read(src, &n);
	fuzz_check(text != NULL, "cannot read %s", src);
	fuzz_file("populations.spec", text, n);
	free(text);
	done = 1;
}

static long count_lines(const uint8_t *data, size_t size)
{
	long n = 1;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

static void atom_ok(const struct tspec *s, const struct tatom *a, const char *where)
{
	const struct schema_field *f;

	fuzz_check(a->var >= 0 && (size_t)a->var < s->nvars, "%s: atom of column %d (%zu columns)", where, a->var,
		   s->nvars);
	fuzz_check(a->nvals >= 1, "%s: an atom without values", where);
	f = s->vars[a->var].f;
	for (size_t i = 0; i < a->nvals; i++) {
		if (f->type == ST_BOOL)
			fuzz_check(a->vals[i] == 0 || a->vals[i] == 1, "%s: bool %s = %g", where, f->name, a->vals[i]);
		if (f->type == ST_ENUM)
			fuzz_check(a->vals[i] >= 0 && a->vals[i] < (double)f->n_enum && a->vals[i] == (double)(size_t)a->vals[i],
				   "%s: enum %s = %g", where, f->name, a->vals[i]);
	}
}

static void cond_ok(const struct tspec *s, const struct tcond *c, const char *where)
{
	fuzz_check(c->text != NULL, "%s: a condition without its text", where);
	for (size_t i = 0; i < c->n; i++)
		atom_ok(s, &c->atoms[i], where);
}

/* What tabulate takes for granted of an accepted spec. */
static void spec_ok(const struct tspec *s)
{
	fuzz_check(s->ntables > 0, "accepted without tables");
	for (size_t i = 0; i < s->ntables; i++) {
		const struct ttable *t = &s->tables[i];

		fuzz_check(t->title[LANG_NL] && t->title[LANG_EN], "table %s: accepted without both titles", t->id);
		if (t->kind != KIND_PEOPLE) {
			fuzz_check(t->nmodels > 0, "model table %s: no models", t->id);
			continue;
		}
		fuzz_check(t->nbenefits > 0 && t->npanels > 0, "table %s: no benefit or no panel", t->id);
		for (size_t p = 0; p < t->npanels; p++) {
			const struct tpanel *tp = &t->panels[p];

			fuzz_check(tp->nrows > 0, "table %s: panel %zu without rows", t->id, p + 1);
			cond_ok(s, &tp->cond, t->id);
			for (size_t r = 0; r < tp->nrows; r++) {
				cond_ok(s, &tp->rows[r].where, tp->rows[r].id);
				if (tp->rows[r].measure == MEAS_SHARE)
					atom_ok(s, &tp->rows[r].value, tp->rows[r].id);
			}
		}
	}
}

#define SAME_STR(a, b) (((a) == NULL && (b) == NULL) || ((a) && (b) && strcmp((a), (b)) == 0))

static int same_cond(const struct tcond *a, const struct tcond *b)
{
	if (a->n != b->n || !SAME_STR(a->text, b->text))
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->atoms[i].var != b->atoms[i].var || a->atoms[i].neg != b->atoms[i].neg ||
		    a->atoms[i].nvals != b->atoms[i].nvals ||
		    (a->atoms[i].nvals && memcmp(a->atoms[i].vals, b->atoms[i].vals, a->atoms[i].nvals * sizeof *a->atoms[i].vals) != 0))
			return 0;
	return 1;
}

static void same_panels(const struct ttable *a, const struct ttable *b)
{
	for (size_t p = 0; p < a->npanels; p++) {
		const struct tpanel *x = &a->panels[p], *y = &b->panels[p];

		fuzz_check(SAME_STR(x->period, y->period) && SAME_STR(x->population, y->population) &&
			   same_cond(&x->cond, &y->cond) && x->nrows == y->nrows && x->nlinks == y->nlinks,
			   "table %s: panel %zu read differently", a->id, p + 1);
		for (size_t r = 0; r < x->nrows; r++) {
			const struct trow *u = &x->rows[r], *v = &y->rows[r];
			struct tcond cu = { (struct tatom *)&u->value, 1, NULL }, cv = { (struct tatom *)&v->value, 1, NULL };

			fuzz_check(SAME_STR(u->id, v->id) && u->measure == v->measure && u->var == v->var &&
				   u->dist == v->dist && u->link == v->link && same_cond(&u->where, &v->where) &&
				   same_cond(&cu, &cv), "table %s: row %s read differently", a->id, u->id);
		}
	}
}

static void same_spec(const struct tspec *a, const struct tspec *b)
{
	fuzz_check(a->ntables == b->ntables && a->nvars == b->nvars && a->nlabels[0] == b->nlabels[0] &&
		   a->nlabels[1] == b->nlabels[1], "%zu tables, %zu columns; then %zu, %zu", a->ntables, a->nvars,
		   b->ntables, b->nvars);
	for (size_t i = 0; i < a->nvars; i++)
		fuzz_check(!strcmp(a->vars[i].name, b->vars[i].name), "column %zu: %s, then %s", i, a->vars[i].name,
			   b->vars[i].name);
	for (size_t i = 0; i < a->ntables; i++) {
		const struct ttable *x = &a->tables[i], *y = &b->tables[i];

		fuzz_check(!strcmp(x->id, y->id) && x->kind == y->kind && x->npanels == y->npanels &&
			   x->nmodels == y->nmodels && x->nbenefits == y->nbenefits && x->weighted == y->weighted &&
			   x->selected == y->selected && SAME_STR(x->variant_of, y->variant_of) &&
			   SAME_STR(x->title[0], y->title[0]) && SAME_STR(x->title[1], y->title[1]) && x->line == y->line,
			   "table %s read differently", x->id);
		same_panels(x, y);
		for (size_t m = 0; m < x->nmodels; m++)
			fuzz_check(SAME_STR(x->models[m].name, y->models[m].name) &&
				   SAME_STR(x->models[m].outcome, y->models[m].outcome) &&
				   x->models[m].popvar == y->models[m].popvar, "table %s: model %zu read differently",
				   x->id, m + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;
	struct tspec *a = NULL, *b = NULL;
	struct spec_error e, e2;
	char msg[1200];

	write_populations();
	path = fuzz_file("tables.spec", data, size);
	if (spec_read(path, NULL, &a, &e) < 0) {
		fuzz_check(a == NULL, "refused, but a spec returned");
		fuzz_check(e.file != NULL && !strcmp(e.file, path), "refused without naming the spec: '%s'", e.msg);
		if (e.line > 0)
			snprintf(msg, sizeof msg, "%s:%ld: %s", e.file, e.line, e.msg);
		else
			snprintf(msg, sizeof msg, "%s: %s", e.file, e.msg);
		fuzz_check(fuzz_message_ok(msg, path), "a refused spec with the message '%s'", msg);
		fuzz_check(e.line >= 0 && e.line <= count_lines(data, size), "line %ld of a file of %ld", e.line,
			   count_lines(data, size));
		return 0;
	}
	spec_ok(a);
	fuzz_check(spec_read(path, NULL, &b, &e2) == 0, "read once, refused again: %s", e2.msg);
	same_spec(a, b);
	spec_free(a);
	spec_free(b);
	return 0;
}
