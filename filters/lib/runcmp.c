/* runcmp.c - two runs compared cell by cell (see runcmp.h). */
#include "runcmp.h"

#include "diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void note_method(struct runcmp *c, const struct cell *o, const struct cell *n)
{
	for (size_t i = 0; i < c->n_mc; i++) {
		struct method_change *m = &c->mc[i];

		if (strcmp(m->table, n->key[0]) == 0 && strcmp(m->old_method, o->method) == 0 &&
		    strcmp(m->new_method, n->method) == 0) {
			m->cells++;
			return;
		}
	}
	c->mc = xrealloc(c->mc, (c->n_mc + 1) * sizeof *c->mc);
	c->mc[c->n_mc++] = (struct method_change){ n->key[0], o->method, n->method, 1 };
}

int runcmp_prepare(struct runcmp *c, const struct runkind *kind, const struct verdict_test *test,
		   const struct run *old, const struct run *new_, char *err, size_t errsz)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->test = *test;
	c->old = old;
	c->new_ = new_;
	if ((c->old_sorted = runset_sorted(old, err, errsz)) == NULL ||
	    (c->new_sorted = runset_sorted(new_, err, errsz)) == NULL)
		return -1;
	for (size_t i = 0; i < new_->n; i++) {
		const struct cell *o = runset_lookup(c->old_sorted, old->n, &new_->cells[i]);

		if (o && strcmp(o->method, new_->cells[i].method) != 0)
			note_method(c, o, &new_->cells[i]);
	}
	return 0;
}

static void side_of(const struct cell *cl, struct side *s)
{
	s->present = cl != NULL;
	s->suppressed = cl && cl->suppressed;
	s->est = cl ? cl->est : NAN;
	s->lo = cl ? cl->lo : NAN;
	s->hi = cl ? cl->hi : NAN;
	s->n = cl ? cl->n : -1;
	s->symbol = cl ? cl->symbol : "";
}

/* The record of a cell: O and N its two sides (one may be NULL). */
static int emit_cell(struct runcmp *c, const struct cell *o, const struct cell *n,
		     int (*fn)(void *, const struct runcmp_change *), void *ctx)
{
	const struct cell *k = n ? n : o;
	struct runcmp_change ch = { .method_record = 0 };

	for (int f = 0; f < KEY_FIELDS; f++)
		ch.key[f] = k->key[f];
	ch.method_changed = o && n && strcmp(o->method, n->method) != 0;
	side_of(o, &ch.old_side);
	side_of(n, &ch.new_side);
	verdict_judge(&c->test, &ch.old_side, &ch.new_side, &ch.judged);
	tally_add(&c->tally, ch.judged.verdict, ch.method_changed);
	ch.old_method = o ? o->method : "";
	ch.new_method = n ? n->method : "";
	return fn(ctx, &ch);
}

int runcmp_emit(struct runcmp *c, int (*fn)(void *ctx, const struct runcmp_change *ch), void *ctx)
{
	const struct run *old = c->old, *new_ = c->new_;

	for (size_t i = 0; i < c->n_mc; i++) {
		struct runcmp_change ch = { .method_record = 1, .method_changed = 1 };

		ch.key[0] = c->mc[i].table;
		ch.judged = (struct judged){ V_METHOD, NAN, NAN };
		ch.old_method = c->mc[i].old_method;
		ch.new_method = c->mc[i].new_method;
		ch.cells = c->mc[i].cells;
		if (fn(ctx, &ch) < 0)
			return -1;
	}
	for (size_t i = 0; i < new_->n; i++)
		if (emit_cell(c, runset_lookup(c->old_sorted, old->n, &new_->cells[i]), &new_->cells[i], fn, ctx) < 0)
			return -1;
	for (size_t i = 0; i < old->n; i++)
		if (runset_lookup(c->new_sorted, new_->n, &old->cells[i]) == NULL &&
		    emit_cell(c, &old->cells[i], NULL, fn, ctx) < 0)
			return -1;
	return 0;
}

void runcmp_method_tables(const struct runcmp *c, char *buf, size_t bufsz)
{
	*buf = '\0';
	for (size_t i = 0; i < c->n_mc; i++) {
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			seen |= strcmp(c->mc[j].table, c->mc[i].table) == 0;
		if (!seen && strlen(buf) + strlen(c->mc[i].table) + 3 < bufsz)
			snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s%s", *buf ? ", " : "", c->mc[i].table);
	}
}

void runcmp_release(struct runcmp *c)
{
	free(c->mc);
	free(c->old_sorted);
	free(c->new_sorted);
	c->mc = NULL;
	c->old_sorted = c->new_sorted = NULL;
}
