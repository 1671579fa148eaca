/* gates.c - see gates.h */
#include "gates.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "plaincsv.h"

#define CELLS_SHOWN 10   /* failing cells named on stderr; the report lists all */

static void row(struct gate_run *g, enum gate_id id, const char *subject, const char *previous,
		const char *current, const char *limit, const char *verdict, const char *detail)
{
	if (g->report == NULL)
		return;
	csv_put_field(g->report, gate_names[id], ',');
	csv_put_field(g->report, subject, ',');
	csv_put_field(g->report, previous, ',');
	csv_put_field(g->report, current, ',');
	csv_put_field(g->report, limit, ',');
	csv_put_field(g->report, verdict, ',');
	csv_put_field(g->report, detail, '\n');
}

/* A subject's verdict: OK, or a failure (accepted when --accept names the gate). QUIET:
 * leave it out of stderr (the cells gate names only its first few). */
static void verdict(struct gate_run *g, enum gate_id id, const char *subject, const char *previous,
		    const char *current, const char *limit, int ok, int quiet, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

static void verdict(struct gate_run *g, enum gate_id id, const char *subject, const char *previous,
		    const char *current, const char *limit, int ok, int quiet, const char *fmt, ...)
{
	int accepted = !ok && (g->accepted & (1u << id));
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	row(g, id, subject, previous, current, limit, ok ? "pass" : accepted ? "accepted" : "fail", detail);
	g->tally[id][ok ? 0 : accepted ? 2 : 1]++;
	if (ok)
		return;
	if (accepted) {
		g->naccepted++;
		if (!quiet)
			diag_warn(NULL, 0, NULL, "%s: %s: accepted (--accept %s): %s", gate_names[id], subject,
				  gate_names[id], detail);
		return;
	}
	if (g->nfailed++ == 0)
		snprintf(g->first, sizeof g->first, "%s: %s: %s", gate_names[id], subject, detail);
	if (!quiet)
		diag_warn(NULL, 0, NULL, "%s: %s: %s", gate_names[id], subject, detail);
}

static void skipped(struct gate_run *g, enum gate_id id, const char *subject, const char *why)
{
	row(g, id, subject, "", "", "", "skipped", why);
	g->tally[id][3]++;
}

/* ------------------------------------------------------------------ rows */

static int kind_absent_by_switch(const struct gate_run *g, const char *kind)
{
	for (size_t i = 0; i < g->nabsent; i++)
		if (strcmp(g->absent[i], kind) == 0)
			return 1;
	return 0;
}

static void rows_of_kind(struct gate_run *g, const char *kind)
{
	const struct rows_limit *lim = gate_spec_rows(g->spec, kind);
	long now = inputs_kind_rows(g->now, kind), prev = inputs_kind_rows(g->prev, kind);
	char p[32], c[32], l[64];
	double change;

	if (lim == NULL) {
		skipped(g, G_ROWS, kind, "no rows line for this kind in the gate spec");
		return;
	}
	if (now < 0) {
		if (kind_absent_by_switch(g, kind))
			skipped(g, G_ROWS, kind, "absent in this run by its switch");
		else
			verdict(g, G_ROWS, kind, "", "", "", 0, 0, "no file of this kind in this run, %ld rows in the "
				"last published run", prev);
		return;
	}
	if (prev < 0) {
		skipped(g, G_ROWS, kind, "not in the last published run");
		return;
	}
	snprintf(p, sizeof p, "%ld", prev);
	snprintf(c, sizeof c, "%ld", now);
	snprintf(l, sizeof l, "-%g%% to +%g%%", 100 * lim->shrink, 100 * lim->grow);
	change = prev > 0 ? (double)(now - prev) / (double)prev : (now > 0 ? INFINITY : 0);
	verdict(g, G_ROWS, kind, p, c, l, change >= -lim->shrink && change <= lim->grow, 0,
		"%ld rows against %ld in the last published run (%+.1f%%; the gate allows %s)",
		now, prev, 100 * change, l);
}

static void gate_rows(struct gate_run *g)
{
	const struct inputs *sides[2] = { g->now, g->prev };

	if (g->prev == NULL) {
		skipped(g, G_ROWS, "", "no previous published run with an inputs.csv");
		return;
	}
	/* every kind of either run, once, in the order met */
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->n; i++) {
			const char *kind = sides[s]->v[i].kind;
			int seen = 0;

			for (int t = 0; t <= s && !seen; t++)
				for (size_t j = 0; j < (t < s ? sides[t]->n : i) && !seen; j++)
					seen = strcmp(sides[t]->v[j].kind, kind) == 0;
			if (!seen)
				rows_of_kind(g, kind);
		}
}

/* ------------------------------------------------------------------ reject-rate */

static void gate_reject_rate(struct gate_run *g)
{
	char c[32], l[32];

	snprintf(l, sizeof l, "%g", g->spec->reject_rate);
	for (size_t i = 0; i < g->now->n; i++) {
		const struct input_file *f = &g->now->v[i];
		double rate = f->rows ? (double)f->rejected / (double)f->rows : 0;

		snprintf(c, sizeof c, "%.4f", rate);
		verdict(g, G_REJECT_RATE, f->file, "", c, l, rate <= g->spec->reject_rate, 0,
			"%ld of %ld rows rejected (%.1f%%; the gate allows %g)", f->rejected, f->rows,
			100 * rate, g->spec->reject_rate);
	}
}

/* ------------------------------------------------------------------ cells */

/* With --registry-only: is the cell one of the spec's registry cells ("table" or
 * "table/row")? */
static int registry_cell(const struct gate_run *g, const char *key)
{
	size_t tlen = strcspn(key, ",");
	const char *row = key;

	for (int k = 0; k < 4; k++)
		row += strcspn(row, ",") + 1;
	for (size_t i = 0; i < g->spec->nregistry; i++) {
		const char *r = g->spec->registry[i], *slash = strchr(r, '/');
		size_t rlen = slash ? (size_t)(slash - r) : strlen(r);

		if (rlen != tlen || strncmp(r, key, tlen) != 0)
			continue;
		if (slash == NULL || (strncmp(slash + 1, row, strcspn(row, ",")) == 0 &&
				      strlen(slash + 1) == strcspn(row, ",")))
			return 1;
	}
	return 0;
}

/* Is the cell's measure (the key's last field) one the spec leaves out? */
static int optional_cell(const struct gate_run *g, const char *key)
{
	const char *measure = strrchr(key, ',') + 1;

	for (size_t i = 0; i < g->spec->noptional; i++)
		if (strcmp(g->spec->optional[i], measure) == 0)
			return 1;
	return 0;
}

static void gate_cells(struct gate_run *g)
{
	long compared = 0, bad = 0;
	char count[32];

	if (g->tprev == NULL) {
		skipped(g, G_CELLS, "", "no previous published run");
		return;
	}
	for (size_t i = 0; i < g->tprev->n; i++) {
		const struct cell *was = &g->tprev->v[i], *is;

		if (!was->has_value || optional_cell(g, was->key) || (g->registry_only && !registry_cell(g, was->key)))
			continue;
		compared++;
		is = cells_find(g->tnow, was->key);
		if (is != NULL && (is->has_value || is->suppressed)) {
			g->tally[G_CELLS][0]++;   /* one report row for all of these, below */
			continue;
		}
		bad++;
		verdict(g, G_CELLS, was->key, "value", is ? "empty" : "gone", "", 0, bad > CELLS_SHOWN,
			"%s", is ? "had a value in the last published run, has none now and is not suppressed"
				 : "had a value in the last published run, is not in the tables now");
	}
	snprintf(count, sizeof count, "%ld", compared);
	if (bad == 0)
		row(g, G_CELLS, "all", count, count, "", "pass", g->registry_only ?
		    "every registry cell with a value in the last published run has one" :
		    "every cell with a value in the last published run has one");
	else if (bad > CELLS_SHOWN)
		diag_warn(NULL, 0, NULL, "cells: %ld more cells without a value (all in the report)", bad - CELLS_SHOWN);
}

/* ------------------------------------------------------------------ headline-n */

static void gate_headline_n(struct gate_run *g)
{
	char p[32], c[32], l[32];

	for (size_t i = 0; i < g->spec->nheadline; i++) {
		const char *key = g->spec->headline[i];
		const struct cell *was = g->tprev ? cells_find(g->tprev, key) : NULL, *is = cells_find(g->tnow, key);
		long now = is && is->n >= 0 && !is->suppressed ? is->n : 0;
		double floor_n;

		if (g->tprev == NULL || was == NULL || was->n <= 0) {
			skipped(g, G_HEADLINE_N, key, g->tprev ? "not in the last published run" : "no previous published run");
			continue;
		}
		if (g->registry_only && !registry_cell(g, key)) {
			skipped(g, G_HEADLINE_N, key, "a survey figure, and the run is registry-only");
			continue;
		}
		floor_n = (double)was->n * (1 - g->spec->headline_drop);
		snprintf(p, sizeof p, "%ld", was->n);
		snprintf(c, sizeof c, "%ld", now);
		snprintf(l, sizeof l, ">= %.0f", ceil(floor_n));
		verdict(g, G_HEADLINE_N, key, p, c, l, (double)now >= floor_n, 0,
			"n %ld%s against %ld in the last published run (the gate allows a drop of %g%%: at least %.0f)",
			now, is == NULL ? " (figure gone)" : is->suppressed ? " (suppressed)" : "", was->n,
			100 * g->spec->headline_drop, ceil(floor_n));
	}
}

/* ------------------------------------------------------------------ peildatum */

static void gate_peildatum(struct gate_run *g)
{
	const char *now = inputs_peildatum(g->now), *prev = g->prev ? inputs_peildatum(g->prev) : "";

	if (g->prev == NULL || *prev == '\0' || *now == '\0') {
		skipped(g, G_PEILDATUM, "uitkeringen", g->prev == NULL ? "no previous published run with an inputs.csv"
					: "no peildatum to compare");
		return;
	}
	verdict(g, G_PEILDATUM, "uitkeringen", prev, now, prev, strcmp(now, prev) >= 0, 0,
		"extract date %s is earlier than %s of the last published run", now, prev);
}

/* ------------------------------------------------------------------ extracts */

static void gate_extracts(struct gate_run *g)
{
	if (g->before == NULL || g->after == NULL) {
		skipped(g, G_EXTRACTS, "", "no snapshots of the raw files given");
		return;
	}
	for (size_t i = 0; i < g->before->n; i++) {
		const struct extract_state *b = &g->before->v[i], *a = snapshot_find(g->after, b->name);
		const char *what = a == NULL ? "gone after the run read it" :
			strcmp(a->sha256, b->sha256) != 0 ? "its contents changed while the run read it" :
			a->inode != b->inode ? "replaced by another file while the run read it" :
			a->size != b->size || strcmp(a->mtime, b->mtime) != 0 ? "modified while the run read it" : NULL;

		verdict(g, G_EXTRACTS, b->name, b->sha256, a ? a->sha256 : "", "", what == NULL, 0,
			"%s (sha256 %.12s, inode %llu, size %llu before; %.12s, %llu, %llu after)", what ? what : "unchanged",
			b->sha256, b->inode, b->size, a ? a->sha256 : "-", a ? a->inode : 0, a ? a->size : 0);
	}
}

void gates_print_summary(const struct gate_run *g, FILE *fp)
{
	for (int id = 0; id < N_GATES; id++) {
		const int *t = g->tally[id];
		int checks = t[0] + t[1] + t[2];

		fprintf(fp, "%-12s ", gate_names[id]);
		if (t[1])
			fprintf(fp, "FAILED (%d of %d checks)\n", t[1], checks);
		else if (t[2])
			fprintf(fp, "ACCEPTED (--accept %s: %d of %d checks failed)\n", gate_names[id], t[2], checks);
		else if (checks)
			fprintf(fp, "passed (%d checks%s)\n", checks, t[3] ? ", some skipped" : "");
		else
			fprintf(fp, "skipped%s\n", g->spec->on[id] ? " (nothing to compare)" : " (not in the gate spec)");
	}
}

void gates_check_all(struct gate_run *g)
{
	static void (*const check[N_GATES])(struct gate_run *) = {
		gate_rows, gate_reject_rate, gate_cells, gate_headline_n, gate_peildatum, gate_extracts
	};

	if (g->report)
		fputs("gate,subject,previous,current,limit,verdict,detail\n", g->report);
	for (int id = 0; id < N_GATES; id++) {
		if (g->spec->on[id])
			check[id](g);
		else
			skipped(g, (enum gate_id)id, "", "not in the gate spec");
	}
}
