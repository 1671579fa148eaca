/* respondents.c - the respondents of the sets and their calibration (contract: respondents.h). */
#include "respondents.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void resp_init(struct respondents *r, const struct calspec *spec, const struct cells *cells,
               const struct cal_options *opt)
{
	memset(r, 0, sizeof *r);
	r->spec = spec;
	r->cells = cells;
	r->opt = opt;
}

void resp_release(struct respondents *r)
{
	free(r->pattern);
	free(r->sets);
	free(r->d);
	free(r->w);
	free(r->work.row_of);
	free(r->work.pattern_of);
	free(r->work.people);
	free(r->work.x);
	free(r->work.d);
	free(r->work.g);
	free(r->work.total);
	free(r->work.st);
	free(r->work.count);
}

void resp_add(struct respondents *r, long pattern, unsigned sets, double d)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->pattern = xrealloc(r->pattern, r->cap * sizeof *r->pattern);
		r->sets = xrealloc(r->sets, r->cap * sizeof *r->sets);
		r->d = xrealloc(r->d, r->cap * sizeof *r->d);
	}
	r->pattern[r->n] = (uint32_t)pattern;
	r->sets[r->n] = (unsigned char)sets;
	r->d[r->n] = d;
	r->n++;
}

double resp_weight(const struct respondents *r, size_t k, size_t set)
{
	return r->w[k * r->spec->nsets + set];
}

static void __attribute__((noreturn, format(printf, 4, 5)))
cell_error(const struct respondents *s, size_t set, size_t cell, const char *fmt, ...)
{
	const struct calspec *sp = s->spec;
	char desc[400], msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cells_describe(s->cells, cell, desc, sizeof desc);
	die(EXIT_DATA, NULL, 0, NULL, "set %s (%s): margin %s: cell %s: %s", sp->sets[set].column,
	    sp->sets[set].text, sp->margins[cells_cell_margin(s->cells, cell)].name, desc, msg);
}

/* Every cell, kept as a column or not, must have respondents and be reachable within the
 * bounds: the cell-level form of calibrate.h's checks, with the cell's name. */
static void check_cells(struct respondents *s, size_t set, size_t rows, double scale)
{
	size_t nc = cells_ncells(s->cells);
	struct resp_scratch *k = &s->work;

	memset(k->st, 0, nc * sizeof *k->st);
	memset(k->count, 0, nc * sizeof *k->count);
	for (size_t r = 0; r < rows; r++)
		for (size_t m = 0; m < s->spec->nmargins; m++) {
			size_t c = cells_pattern_cell(s->cells, k->pattern_of[r], m);

			k->st[c] += k->d[r] * scale;
			k->count[c] += k->people[r];
		}
	for (size_t c = 0; c < nc; c++) {
		double pop = cells_population(s->cells, c);

		if (k->count[c] == 0)
			cell_error(s, set, c, "no respondents (%.0f persons in the population)", pop);
		if (cal_check_total(s->opt, k->st[c], pop) != CAL_OK)
			cell_error(s, set, c, "%.0f persons in the population, %ld respondents whose design "
			           "weights add up to %.6g: g-weights of %.4g on average, outside the bounds "
			           "%g..%g (infeasible bounds)", pop, k->count[c], k->st[c], pop / k->st[c],
			           s->opt->lower, s->opt->upper);
	}
}

static void __attribute__((noreturn))
solve_error(const struct respondents *s, size_t set, const struct cal_result *res)
{
	const struct calspec *sp = s->spec;
	size_t a = cells_column_cell(s->cells, res->column), b;
	char da[400], db[400];

	switch (res->status) {
	case CAL_SINGULAR:
		b = cells_column_cell(s->cells, res->other_column);
		if (b < a)                 /* the two cells in spec order, whatever the rounding */
			b = a, a = cells_column_cell(s->cells, res->other_column);
		cells_describe(s->cells, a, da, sizeof da);
		cells_describe(s->cells, b, db, sizeof db);
		die(EXIT_DATA, NULL, 0, NULL, "set %s (%s): the margins are collinear among the "
		    "respondents (not in the population): margin %s cell %s and margin %s cell %s "
		    "select the same respondents, or a combination of other cells does",
		    sp->sets[set].column, sp->sets[set].text, sp->margins[cells_cell_margin(s->cells, a)].name,
		    da, sp->margins[cells_cell_margin(s->cells, b)].name, db);
	case CAL_NOT_CONVERGED:
		if (isnan(res->misfit))
			die(EXIT_DATA, NULL, 0, NULL, "set %s (%s): %s calibration diverged: the g-weights "
			    "stopped being finite (%d iterations, with step halving); wider bounds, another "
			    "method or coarser margins may help", sp->sets[set].column, sp->sets[set].text,
			    cal_method_name(s->opt->method), res->iterations);
		cell_error(s, set, a, "%s calibration did not converge in %d iterations: the cell's "
		           "total is still off by %.6g (|calibrated - population| / (1 + population), "
		           "epsilon %g); wider bounds, another method or coarser margins may help",
		           cal_method_name(s->opt->method), res->iterations, res->misfit, s->opt->epsilon);
	case CAL_EMPTY:
	case CAL_INFEASIBLE:
		cell_error(s, set, a, "%s", cal_status_name(res->status));
	default:
		die(EXIT_DATA, NULL, 0, NULL, "set %s (%s): %s", sp->sets[set].column, sp->sets[set].text,
		    res->message[0] ? res->message : cal_status_name(res->status));
	}
}

/* The set's problem, one row per pattern that occurs in the set (respondents.h): the
 * pattern's cells as x, its respondents' design weights summed as d. Returns the rows. */
static size_t build_problem(struct respondents *s, size_t set)
{
	size_t p = cells_ncolumns(s->cells), npat = cells_npatterns(s->cells), rows = 0;
	struct resp_scratch *k = &s->work;

	for (size_t q = 0; q < npat; q++)
		k->row_of[q] = CELLS_NONE;
	for (size_t i = 0; i < s->n; i++) {
		size_t q = s->pattern[i];

		if (!(s->sets[i] >> set & 1))
			continue;
		if (k->row_of[q] == CELLS_NONE) {
			k->row_of[q] = rows;
			k->pattern_of[rows] = q;
			k->d[rows] = 0;
			k->people[rows] = 0;
			rows++;
		}
		k->d[k->row_of[q]] += s->d[i];
		k->people[k->row_of[q]]++;
	}
	memset(k->x, 0, rows * p * sizeof *k->x);
	for (size_t r = 0; r < rows; r++)
		for (size_t m = 0; m < s->spec->nmargins; m++) {
			size_t col = cells_cell_column(s->cells, cells_pattern_cell(s->cells, k->pattern_of[r], m));

			if (col != CELLS_NONE)
				k->x[r * p + col] = 1;
		}
	for (size_t j = 0; j < p; j++)
		k->total[j] = cells_population(s->cells, cells_column_cell(s->cells, j));
	return rows;
}

static void calibrate_set(struct respondents *s, size_t set)
{
	struct resp_scratch *k = &s->work;
	size_t rows = build_problem(s, set), n = 0, negative = 0;
	struct cal_problem pb = { .n = rows, .p = cells_ncolumns(s->cells), .x = k->x, .d = k->d,
	                          .total = k->total };
	struct cal_result res;

	if (rows == 0)
		die(EXIT_DATA, NULL, 0, NULL, "set %s (%s): margin %s: no respondents in any cell "
		    "(%zu persons in the population)", s->spec->sets[set].column, s->spec->sets[set].text,
		    s->spec->margins[0].name, cells_npersons(s->cells));
	check_cells(s, set, rows, cal_scale(&pb, s->opt));
	if (cal_solve(&pb, s->opt, k->g, &res) != CAL_OK)
		solve_error(s, set, &res);
	for (size_t i = 0; i < s->n; i++) {
		double w;

		if (!(s->sets[i] >> set & 1))
			continue;
		w = s->d[i] * k->g[k->row_of[s->pattern[i]]];
		s->w[i * s->spec->nsets + set] = w;
		negative += w < 0;
		n++;
	}
	if (negative)
		diag_warn(NULL, 0, NULL, "set %s: %zu of %zu calibrated weights are below 0 (linear "
		          "calibration without bounds allows them, as R does; bounds or raking avoid them)",
		          s->spec->sets[set].column, negative, n);
}

void resp_calibrate(struct respondents *s)
{
	size_t n = s->n ? s->n : 1, p = cells_ncolumns(s->cells), nc = cells_ncells(s->cells);
	size_t npat = cells_npatterns(s->cells) ? cells_npatterns(s->cells) : 1;

	s->w = xmalloc(n * s->spec->nsets * sizeof *s->w);
	for (size_t i = 0; i < n * s->spec->nsets; i++)
		s->w[i] = NAN;
	if (cells_npersons(s->cells) == 0)
		return;                  /* no people: nothing to calibrate */
	s->work.row_of = xmalloc(npat * sizeof *s->work.row_of);
	s->work.pattern_of = xmalloc(npat * sizeof *s->work.pattern_of);
	s->work.people = xmalloc(npat * sizeof *s->work.people);
	s->work.x = xmalloc(npat * (p ? p : 1) * sizeof *s->work.x);
	s->work.d = xmalloc(npat * sizeof *s->work.d);
	s->work.g = xmalloc(npat * sizeof *s->work.g);
	s->work.total = xmalloc((p ? p : 1) * sizeof *s->work.total);
	s->work.st = xmalloc((nc ? nc : 1) * sizeof *s->work.st);
	s->work.count = xmalloc((nc ? nc : 1) * sizeof *s->work.count);
	for (size_t k = 0; k < s->spec->nsets; k++)
		calibrate_set(s, k);
}
