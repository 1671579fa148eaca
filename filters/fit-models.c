/* fit-models - fit the report's regression models on the person stream (issue 7).
 *
 * Reads a record stream (person_support/1 from classify-support, or any section that has
 * the columns the specs name), passes every section through unchanged, and appends two
 * sections at the end: model_fit/1 (one row per model) and then model_coef/1 (one row per
 * coefficient and contrast). Models come from spec files (format in usage() and at the
 * top of pipelines/eerste-jaar/models.spec). The numerics are in fit-models/glm.c, the
 * design and diagnostics in fit-models/design.c, the spec parser in fit-models/spec.c.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calspec.h"
#include "design.h"
#include "diag.h"
#include "filter.h"
#include "glm.h"
#include "population.h"
#include "rec.h"
#include "sample.h"
#include "schema.h"
#include "spec.h"

/* The run: options, the models, what is kept of the stream. */
struct fm {
	struct fm_options o;
	const char **inputs, **only;         /* -i FILE..., --model NAME... */
	size_t n_inputs, n_only;
	const char *populations;             /* --populations FILE */
	const char *calibrated;              /* --calibrated SPEC */
	struct calspec *cal;                 /* its spec */
	struct fm_sample *samples;           /* the samples of the design-variance models */
	size_t n_samples;
	int check_tag;                       /* the section's first row: its calibration tag */
	int tag_index;
	struct spec_model *specs;
	size_t n_specs;
	struct fm_model *models;             /* the models fitted (--model picks) */
	size_t n_models;
	struct fm_store store;
	struct pop_set *pop;                 /* the models' population conditions, compiled */
	size_t *live_conds, n_live_conds;    /* conditions of the section's usable models */
	int any_usable;                      /* some model uses the current section */
	struct fm_result *results;           /* one per model (the end) */
};

/* --help's options part */
static void usage_options(FILE *fp)
{
	fprintf(fp,
"Options:\n"
"  -i, --input FILE     read the stream from FILE (repeatable; default stdin; '-' = stdin)\n"
"  --model NAME         fit only this model (repeatable; default every model of the specs)\n"
"  --populations FILE   the named populations (default: the file a spec names in its\n"
"                       'populations FILE' line, beside the spec)\n"
"  --epsilon X          IRLS stops when |dev - dev_old| / (|dev| + 0.1) < X, R's glm test\n"
"                       (default 1e-12; R's default is 1e-8)\n"
"  --max-iter N         IRLS iterations and negbin theta/beta alternations (default 50)\n"
"  --rank-tol X         a column whose residual norm after the earlier columns is below X\n"
"                       times its norm is aliased, by R's dqrdc2 rule (default 1e-7). R's\n"
"                       glm passes dqrdc2 min(1e-7, epsilon / 1000): 1e-11 at its default\n"
"                       epsilon 1e-8, so a column with a residual between 1e-11 and 1e-7 of\n"
"                       its norm, which R keeps, is aliased here. Not tied to --epsilon: at\n"
"                       this default 1e-12 R's rule would give 1e-15, below the rounding of\n"
"                       a sum of dummies over a few hundred rows (a constant term would go\n"
"                       unnoticed)\n"
"  --calibrated SPEC    weighted models use calibrated weights (calibrate-weights' output;\n"
"                       SPEC: the calibration spec it ran with, whose margins the stream's\n"
"                       calibration_method must name): a model weighted by the spec's design\n"
"                       weight takes the calibrated weight of the respondent set its\n"
"                       population lies in (the set whose every condition the population\n"
"                       requires as COLUMN == 1, the most specific if several), a model\n"
"                       naming a set's column that set's; design variance then accounts for\n"
"                       the calibration (below). model_fit says weights = calibrated and\n"
"                       notes weight:COLUMN. Default: none (the design weights)\n"
"  --theta-eps X        negbin: theta.ml's Newton tolerance (default 2^-13 = %.10g, MASS's)\n"
"  --theta-max-iter N   negbin: theta.ml's iteration limit (default 25, as glm.nb)\n"
"  --min-rows N         fewer rows used gives a tiny_population warning (default 30)\n"
"  --min-events X       logit: fewer rows in the smaller outcome group per coefficient\n"
"                       gives a few_events warning (default 10; 0 = off)\n"
"  --help, --version\n"
"\n", pow(DBL_EPSILON, 0.25));
}

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: fit-models [OPTIONS] SPEC... [< STREAM]\n"
"\n"
"Fit the models of the SPEC files on the rows of a record stream. Every input section is\n"
"passed through unchanged; two sections are appended at the end: model_fit/1 (one row per\n"
"model), then model_coef/1 (one row per coefficient, then the model's contrasts). A model\n"
"uses the rows of every section that has all the columns it names (person_support/1 from\n"
"classify-support in the report's pipeline); rows missing the outcome, a term, the weight\n"
"or the stratum are left out (complete cases; warnings note dropped_incomplete:N).\n"
"\n");
	usage_options(fp);
	fprintf(fp,
"Spec files: plain text, '#' starts a comment, a line ending in '\\' continues. First,\n"
"optionally, 'populations FILE': named populations (lines 'population NAME = CONDITION',\n"
"FILE beside the spec). Then one block per model, from 'model NAME' to the next 'model' line:\n"
"  model NAME                  letters, digits, '_'; unique over all specs\n"
"  family logit|linear|poisson|negbin       (default logit; negbin: log link, theta by\n"
"                              maximum likelihood alternating with beta as MASS::glm.nb)\n"
"  outcome COLUMN              logit: 0/1; poisson, negbin: whole numbers >= 0\n"
"  population CONDITION        rows the model uses (default all). CONDITION (cond.h, the\n"
"                              language tables.spec speaks too): comparisons COLUMN ==\n"
"                              VALUE (or = V|V), != < <= > >=, COLUMN in (V1, V2, ...), a\n"
"                              bare bool COLUMN (= 1), missing(COLUMN), all, a population\n"
"                              NAME, joined by and (&) / or / not and ( ). A comparison\n"
"                              with a missing value is false (!= too). model_fit records\n"
"                              the condition with names replaced by their definitions.\n"
"  weights none|design [COLUMN]   design: probability weights from COLUMN (default\n"
"                              design_weight), scaled to mean 1 as svyglm does\n"
"  variance model|hc0|hc1|design [strata COLUMN|strata none]\n"
"                              model: R's summary.glm; hc0/hc1: sandwich::vcovHC;\n"
"                              design: survey::svyglm with strata (default column stratum),\n"
"                              each row its own PSU, no fpc, the model's rows a domain of\n"
"                              the whole sample (svyglm on subset(design, ...)): the sample\n"
"                              is every row with the weight and the stratum present (every\n"
"                              row with the stratum, unweighted), and each stratum's n_h is\n"
"                              the sample's. A stratum with one person in the sample adds\n"
"                              nothing (survey.lonely.psu = \"certainty\"; tabulate's rule\n"
"                              too). Calibrated weights (--calibrated): the sample is the\n"
"                              respondent set, and the variance takes the residuals of the\n"
"                              calibration regression on the margins' cells, as survey does\n"
"                              after calibrate(). t tests with n - strata + 1 - rank df\n"
"  term COLUMN [numeric|categorical] [ref LEVEL]\n"
"                              numeric for int/num/bool columns, categorical for enum/text\n"
"                              unless told; ref LEVEL names the reference (default the first\n"
"                              level: enum order, text sorted)\n"
"  term A:B                    interaction of earlier terms A and B (up to %d)\n"
"  contrast NAME = [C*]TERM +|- [C*]TERM ...   a linear combination of coefficients, by\n"
"                              their model_coef names; written as term contrast:NAME\n"
"The model's spec_hash is FNV-1a 64 of its block with comments, blank lines and extra\n"
"white space removed (each line ends in a newline).\n"
"\n"
"Diagnostics (in model_fit's warnings, ';'-separated, and on stderr): empty_population,\n"
"no_complete_rows:N, tiny_population:N, outcome_not_binary:COL, outcome_not_count:COL,\n"
"no_variation:COL, empty_level:COL:LEVEL, reference_level_absent:COL:LEVEL,\n"
"quasi_separation:COL:LEVEL (the outcome is constant within a level; its estimate is left\n"
"missing), quasi_separation:TERM, complete_separation:TERM (status failed), aliased:TERM\n"
"(collinear: dropped, aliased = 1, as R's NA), not_converged:ITER (status failed),\n"
"theta_not_converged, singleton_strata:N (strata of the rows with one person in the\n"
"sample), few_events:X, fit_failed,\n"
"contrast_unknown_term:NAME:TERM, contrast_not_estimable:NAME. Notes that leave the status\n"
"alone: dropped_incomplete:N, weight:COLUMN (the calibrated weight used).\n"
"\n"
"Numbers: estimates by IRLS as R's glm.fit (its starting values, convergence test, step\n"
"halving and last-step covariance), negbin as MASS::glm.nb; z tests for logit, poisson\n"
"and negbin, t tests for linear models and for design variance; 95%% Wald intervals on\n"
"the same distribution; ratio = exp(estimate) for logit (odds) and counts (rates). ame:\n"
"mean over the rows used (weighted) of dmu/dx for a numeric term, of the change 0 -> 1\n"
"for a bool term, of the change from the reference for a level; delta-method ame_se;\n"
"missing for interaction rows, and for contrasts except in linear models (= estimate).\n"
"loglik and aic: R's for unweighted fits; for weighted fits the pseudo-log-likelihood\n"
"sum w_i log f(y_i) with weights of mean 1 (aic = -2 loglik + 2 parameters).\n"
"condition_number: 2-norm, of sqrt(W)X with unit-length columns, from its R factor.\n"
"Memory: 8 bytes per stored column (outcome, terms, weight, stratum) per row in some\n"
"population, plus 4 bytes per row and model and 8 per row and design-variance sample; a\n"
"sample is counted by strata and calibration patterns, not kept; the design matrix is\n"
"never formed.\n"
"\n"
"Reads: any sections (passed through). Writes, appended:\n",
	FM_MAX_INTERACT);
	const struct schema *s;
	if ((s = schema_find("model_fit/1", NULL))) {
		fprintf(fp, "  model_fit/1, one row per model:\n");
		schema_describe(s, fp, "    ");
	}
	if ((s = schema_find("model_coef/1", NULL))) {
		fprintf(fp, "  model_coef/1, one row per coefficient, then per contrast:\n");
		schema_describe(s, fp, "    ");
	}
	fprintf(fp,
"\nExample:\n"
"  ingest R1..R7 | link-waves | derive-status | classify-support \\\n"
"    | fit-models pipelines/eerste-jaar/models.spec | tabulate pipelines/eerste-jaar/tables.spec\n");
}

/* ---- the store ---- */

static int find_var(const struct fm_store *st, const char *name, int categorical)
{
	for (size_t i = 0; i < st->n_vars; i++)
		if (st->vars[i].categorical == categorical && !strcmp(st->vars[i].name, name))
			return (int)i;
	return -1;
}

static int add_var(struct fm_store *st, const char *name, int categorical, int is_bool)
{
	int k = find_var(st, name, categorical);
	struct fm_var *v;

	if (k >= 0) {
		st->vars[k].is_bool |= is_bool;
		return k;
	}
	st->vars = xrealloc(st->vars, (st->n_vars + 1) * sizeof *st->vars);
	v = &st->vars[st->n_vars];
	memset(v, 0, sizeof *v);
	v->name = xstrdup(name);
	v->categorical = categorical;
	v->is_bool = is_bool;
	v->field = -1;
	v->v = xmalloc((st->cap ? st->cap : 1) * sizeof *v->v);
	for (size_t r = 0; r < st->n_rows; r++)
		v->v[r] = NAN;
	return (int)st->n_vars++;
}

static double level_code(struct fm_var *v, const char *s)
{
	if (v->last_hit < v->n_levels && !strcmp(v->levels[v->last_hit], s))
		return (double)v->last_hit;
	for (size_t i = 0; i < v->n_levels; i++)
		if (!strcmp(v->levels[i], s)) {
			v->last_hit = i;
			return (double)i;
		}
	v->levels = xrealloc(v->levels, (v->n_levels + 1) * sizeof *v->levels);
	v->levels[v->n_levels] = xstrdup(s);
	v->last_hit = v->n_levels;
	return (double)v->n_levels++;
}

/* ---- per section ---- */

static int lookup(void *ctx, const char *name)
{
	return rec_reader_index(ctx, name);
}

static void need_type(const struct rec_reader *r, const struct spec_model *sm, const char *col,
                      int field, int want_numeric)
{
	const struct schema_field *f = &rec_reader_schema(r)->fields[field];
	if (f->type == ST_DATE)
		die(EXIT_DATA, sm->file, sm->line, sm->name, "%s is a date column: it cannot be used in a model", col);
	if (want_numeric && (f->type == ST_ENUM || f->type == ST_TEXT))
		die(EXIT_DATA, sm->file, sm->line, sm->name, "%s is a %s column of %s, not a number", col,
		    f->type == ST_ENUM ? "enum" : "text", rec_reader_schema(r)->id);
}

/* A term's kind and stored column, settled against the section's schema. */
static void resolve_term(struct fm_store *st, const struct spec_model *sm, const struct spec_term *t,
			 struct fm_term *ft, const struct rec_reader *r)
{
	const struct schema *s = rec_reader_schema(r);
	int f = rec_reader_index(r, t->column);
	const struct schema_field *sf = &s->fields[f];
	size_t e;

	need_type(r, sm, t->column, f, t->kind == KIND_NUMERIC);
	ft->categorical = t->kind == KIND_CATEGORICAL ||
	                  (t->kind == KIND_AUTO && (sf->type == ST_ENUM || sf->type == ST_TEXT));
	ft->var = add_var(st, t->column, ft->categorical, !ft->categorical && sf->type == ST_BOOL);
	if (!ft->categorical || !t->ref || sf->type != ST_ENUM)
		return;
	for (e = 0; e < sf->n_enum && strcmp(sf->enum_values[e], t->ref); e++)
		;
	if (e == sf->n_enum)
		die(EXIT_DATA, sm->file, t->line, sm->name, "term %s: ref %s is not a level of %s in %s",
		    t->column, t->ref, t->column, s->id);
}

/* Settle a model's column kinds against the section's schema (first usable section). */
static void resolve_model(struct fm_store *st, struct fm_model *m, const struct rec_reader *r)
{
	struct spec_model *sm = m->spec;
	const struct schema *s = rec_reader_schema(r);
	int f = rec_reader_index(r, sm->outcome);

	need_type(r, sm, sm->outcome, f, 1);
	m->outcome = add_var(st, sm->outcome, 0, s->fields[f].type == ST_BOOL);
	if (m->weight_column) {
		f = rec_reader_index(r, m->weight_column);
		need_type(r, sm, m->weight_column, f, 1);
		m->weight = add_var(st, m->weight_column, 0, 0);
	}
	if (m->set >= 0)
		m->design_weight = add_var(st, m->sample->cal->weight, 0, 0);
	if (sm->variance == VAR_DESIGN && sm->strata_column)
		m->strata = add_var(st, sm->strata_column, 1, 0);
	for (size_t t = 0; t < sm->n_terms; t++) {
		if (sm->terms[t].n_parts)
			m->terms[t].var = -1;
		else
			resolve_term(st, sm, &sm->terms[t], &m->terms[t], r);
	}
	m->resolved = 1;
}

static int model_column_present(const struct rec_reader *r, const struct fm_model *m, const char **absent)
{
	const struct spec_model *sm = m->spec;
	const char *need[4] = { sm->outcome, m->weight_column,
	                        sm->variance == VAR_DESIGN ? sm->strata_column : NULL, NULL };
	for (int i = 0; i < 3; i++)
		if (need[i] && rec_reader_index(r, need[i]) < 0) {
			*absent = need[i];
			return 0;
		}
	for (size_t t = 0; t < sm->n_terms; t++)
		if (sm->terms[t].column && rec_reader_index(r, sm->terms[t].column) < 0) {
			*absent = sm->terms[t].column;
			return 0;
		}
	return 1;
}

/* The stored columns' fields in this section; an enum's levels in the schema's order. */
static void store_fields(struct fm_store *st, struct rec_reader *r)
{
	for (size_t i = 0; i < st->n_vars; i++) {
		struct fm_var *v = &st->vars[i];

		v->field = rec_reader_index(r, v->name);
		if (v->field >= 0 && v->categorical && v->n_levels == 0) {
			const struct schema_field *sf = &rec_reader_schema(r)->fields[v->field];

			if (sf->type == ST_ENUM) {
				for (size_t e = 0; e < sf->n_enum; e++)
					level_code(v, sf->enum_values[e]);
				v->enum_order = 1;
			}
		}
	}
}

/* ---- the design-variance models' samples (sample.h) ---- */

/* The samples of the section's usable models: their fields; a model whose sample lacks a
 * column is not usable here. The calibration tag is checked on the first row. */
static int sample_sections(struct fm *c, struct rec_reader *r)
{
	int calibrated = 0;

	for (size_t k = 0; k < c->n_samples; k++) {
		c->samples[k].live = 0;
		c->samples[k].current = -1;
	}
	for (size_t i = 0; i < c->n_models; i++)
		if (c->models[i].usable && c->models[i].sample)
			c->models[i].sample->live = 1;
	for (size_t k = 0; k < c->n_samples; k++) {
		struct fm_sample *s = &c->samples[k];
		const char *absent = NULL;

		if (!s->live)
			continue;
		if (fm_sample_section(s, r, &absent) < 0) {
			s->live = 0;
			for (size_t i = 0; i < c->n_models; i++)
				if (c->models[i].sample == s && c->models[i].usable) {
					c->models[i].usable = 0;
					c->models[i].absent = absent;
				}
			continue;
		}
		if (s->strata)
			s->strata_var = add_var(&c->store, s->strata, 1, 0);
		calibrated |= s->set >= 0;
	}
	c->check_tag = calibrated;
	c->tag_index = rec_reader_index(r, CALSPEC_METHOD_COLUMN);
	if (calibrated && c->tag_index < 0) {
		diag_warn(rec_reader_name(r), rec_reader_line(r), NULL, "section %s has no %s column: "
			  "its weights were not made by calibrate-weights, which --calibrated expects",
			  rec_reader_schema(r)->id, CALSPEC_METHOD_COLUMN);
		return -1;
	}
	return 0;
}

/* The first row of a section with calibrated weights: were they calibrated on the margins
 * of the spec --calibrated names? (The residuals of the variance are those margins'.) */
static int check_tag(struct fm *c, struct rec_reader *r)
{
	char err[1024];

	c->check_tag = 0;
	if (calspec_check_tag(c->cal, rec_reader_field(r, (size_t)c->tag_index), err, sizeof err) < 0)
		return rec_reader_fail(r, c->tag_index, "%s", err);
	return 0;
}

/* Count the current row in every live sample it belongs to. */
static int sample_row(struct fm *c, struct rec_reader *r)
{
	for (size_t k = 0; k < c->n_samples; k++) {
		struct fm_sample *s = &c->samples[k];
		const char *stratum;
		double code = 0;

		if (!s->live)
			continue;
		s->current = -1;
		if (!fm_sample_has(s, r, &stratum))
			continue;
		if (s->strata) {
			stratum = rec_get_text(r, s->f_strata);
			if (rec_reader_bad(r))
				return -1;
			code = level_code(&c->store.vars[s->strata_var], stratum);
		}
		if (fm_sample_add(s, r, (size_t)code) < 0)
			return -1;
	}
	return 0;
}

/* A section: passed through, and which models use it. */
static int section(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct fm *c = vc;

	if (rec_writer_section(w, rec_reader_schema(r)->id) < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		return -1;
	}
	c->any_usable = 0;
	c->n_live_conds = 0;
	for (size_t i = 0; i < c->n_models; i++) {
		struct fm_model *m = &c->models[i];
		const char *absent = NULL;

		m->usable = model_column_present(r, m, &absent) &&
		            cond_resolve(m->spec->cond, lookup, r, &absent) == 0;
		if (!m->usable)
			m->absent = absent;
	}
	if (sample_sections(c, r) < 0)
		return -1;
	for (size_t i = 0; i < c->n_models; i++) {
		struct fm_model *m = &c->models[i];

		if (!m->usable)
			continue;
		if (!m->resolved)
			resolve_model(&c->store, m, r);
		m->sections++;
		c->any_usable = 1;
		c->live_conds[c->n_live_conds++] = m->pop;
	}
	pop_section(c->pop, lookup, r);
	pop_live(c->pop, c->live_conds, c->n_live_conds);
	store_fields(&c->store, r);
	return 0;
}

/* A field a population reads: checked against its schema (a stage rejects what it reads,
 * rec.h); a refused value reads as missing and stops the run at the next record. */
static const char *get_field(void *ctx, int field, size_t *len)
{
	return rec_get_field(ctx, field, len);
}

/* Keep the stored columns of row ROW (a row of some population). */
static int store_values(struct fm_store *st, struct rec_reader *r, size_t row)
{
	if (st->n_rows == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 1024;
		for (size_t i = 0; i < st->n_vars; i++)
			st->vars[i].v = xrealloc(st->vars[i].v, st->cap * sizeof(double));
	}
	for (size_t i = 0; i < st->n_vars; i++) {
		struct fm_var *v = &st->vars[i];
		const char *s;
		double x = NAN;

		/* checked against the schema: a range changed there changes what a model takes */
		if (v->field >= 0 && v->categorical && *(s = rec_get_text(r, v->field)))
			x = level_code(v, s);
		else if (v->field >= 0 && !v->categorical)
			x = rec_get_num(r, v->field);
		v->v[row] = x;
	}
	if (rec_reader_bad(r))
		return -1;
	st->n_rows++;
	return 0;
}

/* Phase "select rows", while streaming. Hot: once per input row (821 000 person rows, of
 * which a few thousand are in some population). pop_any settles most rows with a
 * comparison or two (population.h); a row that may be in some population, or fail, goes
 * to the models one by one, in their order, so the first failing model is the one named. */
static int select_row(struct fm *c, struct rec_reader *r)
{
	size_t row = c->store.n_rows;
	const char *bad = NULL;
	int in_any = 0;

	pop_row(c->pop, get_field, r);
	if (!pop_any(c->pop))
		return 0;
	for (size_t i = 0; i < c->n_models; i++) {
		struct fm_model *m = &c->models[i];
		int in;

		if (!m->usable)
			continue;
		if ((in = pop_eval(c->pop, m->pop, &bad)) < 0)
			return rec_reader_fail(r, rec_reader_index(r, bad), "not a number, in model %s's population: '%s'",
					       m->spec->name, rec_reader_field(r, (size_t)rec_reader_index(r, bad)));
		if (!in)
			continue;
		if (row >= UINT32_MAX)
			return rec_reader_fail(r, -1, "more than 2^32 rows in populations");
		if (m->n_rows == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 1024;
			m->rows = xrealloc(m->rows, m->cap * sizeof *m->rows);
		}
		m->rows[m->n_rows++] = (uint32_t)row;
		in_any = 1;
	}
	if (!in_any)
		return 0;
	if (store_values(&c->store, r, row) < 0)
		return -1;
	for (size_t k = 0; k < c->n_samples; k++)
		fm_sample_keep(&c->samples[k], row);
	return 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *w)
{
	struct fm *c = vc;

	rec_put_fields(w, r);
	rec_writer_end(w);
	if (!c->any_usable)
		return 0;
	if ((c->check_tag && check_tag(c, r) < 0) || sample_row(c, r) < 0)
		return -1;
	return select_row(c, r);
}

/* ---- output ---- */

static void put_num(struct rec_writer *w, double x)
{
	if (isfinite(x))
		rec_put_num(w, x);
	else
		rec_put_missing(w);
}

static void put_fit(struct rec_writer *w, const struct fm_model *m, const struct fm_result *r)
{
	const struct spec_model *sm = m->spec;
	char hash[17];
	int fit = r->have_fit && !r->g.failed;

	rec_put(w, sm->name);
	rec_put(w, spec_family_name(sm->family));
	rec_put(w, sm->outcome);
	rec_put(w, sm->population);
	rec_put(w, m->set >= 0 ? "calibrated" : sm->weighted ? "design" : "none");
	rec_put(w, spec_variance_name(sm->variance));
	rec_put_int(w, (long)r->n);
	put_num(w, r->n ? r->weighted_n : NAN);
	put_num(w, fit ? r->g.df_residual : NAN);
	put_num(w, fit ? r->g.deviance : NAN);
	put_num(w, fit ? r->g.null_deviance : NAN);
	put_num(w, fit ? r->g.loglik : NAN);
	put_num(w, fit ? r->g.aic : NAN);
	put_num(w, fit ? r->g.pseudo_r2 : NAN);
	put_num(w, fit && sm->family == FAM_NEGBIN ? r->g.theta : NAN);
	put_num(w, fit && sm->family == FAM_NEGBIN ? r->g.theta_se : NAN);
	rec_put_int(w, fit ? r->g.iter : 0);
	rec_put_bool(w, fit ? r->g.converged : 0);
	put_num(w, fit ? r->g.condition : NAN);
	rec_put(w, r->status == ST_OK ? "ok" : r->status == ST_WARNING ? "warning" : "failed");
	rec_put(w, r->warnings);
	snprintf(hash, sizeof hash, "%016llx", (unsigned long long)sm->hash);
	rec_put(w, hash);
	rec_writer_end(w);
}

static void put_coef(struct rec_writer *w, const char *model, const struct fm_coef *c)
{
	rec_put(w, model);
	rec_put(w, c->term);
	rec_put_bool(w, c->aliased);
	put_num(w, c->estimate);
	put_num(w, c->se);
	put_num(w, c->statistic);
	put_num(w, c->p);
	put_num(w, c->ci_low);
	put_num(w, c->ci_high);
	put_num(w, c->ratio);
	put_num(w, c->ratio_low);
	put_num(w, c->ratio_high);
	put_num(w, c->ame);
	put_num(w, c->ame_se);
	rec_writer_end(w);
}

/* The end: every model has data, then each is fitted (design.c's phases) and the two
 * sections are appended. */
static int end(void *vc, struct rec_writer *w)
{
	struct fm *c = vc;
	struct fm_result *res;

	for (size_t i = 0; i < c->n_models; i++)
		if (c->models[i].sections == 0) {
			diag_warn(c->models[i].spec->file, c->models[i].spec->line, c->models[i].spec->name,
				  "no section of the input has %s", c->models[i].absent ? c->models[i].absent : "the model's columns");
			return -1;
		}
	for (size_t k = 0; k < c->n_samples; k++) {
		char err[300];

		if (fm_sample_finish(&c->samples[k], err, sizeof err) < 0) {
			diag_warn(NULL, 0, NULL, "%s", err);
			return -1;
		}
	}
	res = c->results = xcalloc(c->n_models + 1, sizeof *res);   /* live to the end of the run */
	for (size_t i = 0; i < c->n_models; i++)
		fm_fit_model(&c->models[i], &c->store, &c->o, &res[i]);
	if (rec_writer_section(w, "model_fit/1") < 0)
		goto no_schema;
	for (size_t i = 0; i < c->n_models; i++)
		put_fit(w, &c->models[i], &res[i]);
	if (rec_writer_section(w, "model_coef/1") < 0)
		goto no_schema;
	for (size_t i = 0; i < c->n_models; i++)
		for (size_t k = 0; k < res[i].n_coef; k++)
			put_coef(w, c->models[i].spec->name, &res[i].coef[k]);
	return 0;
no_schema:
	diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
	return -1;
}

/* ---- the command line ---- */

static int opt_double(const char *name, const char *s, double lo, double *out, char *err, size_t errsz)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end || errno || !(*out >= lo) || !isfinite(*out)) {
		snprintf(err, errsz, "--%s: '%s' is not a number >= %g", name, s, lo);
		return -1;
	}
	return 0;
}

static int opt_long(const char *name, const char *s, long lo, long *out, char *err, size_t errsz)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (end == s || *end || errno || *out < lo) {
		snprintf(err, errsz, "--%s: '%s' is not a whole number >= %ld", name, s, lo);
		return -1;
	}
	return 0;
}

enum { O_EPS = 256, O_MAXIT, O_RANKTOL, O_THETAEPS, O_THETAMAX, O_MINROWS, O_MINEV, O_MODEL, O_POPS, O_CAL };

static const char **push(const char **list, size_t *n, const char *s)
{
	list = xrealloc(list, (*n + 1) * sizeof *list);
	list[(*n)++] = s;
	return list;
}

static int option(void *vc, int o, const char *arg, char *err, size_t errsz)
{
	struct fm *c = vc;
	struct glm_options *g = &c->o.glm;
	long v = 0;
	int rc = 0;

	switch (o) {
	case 'i': c->inputs = push(c->inputs, &c->n_inputs, arg); break;
	case O_MODEL: c->only = push(c->only, &c->n_only, arg); break;
	case O_POPS: c->populations = arg; break;
	case O_CAL: c->calibrated = arg; break;
	case O_EPS: return opt_double("epsilon", arg, 0, &g->epsilon, err, errsz);
	case O_RANKTOL: return opt_double("rank-tol", arg, 0, &g->rank_tol, err, errsz);
	case O_THETAEPS: return opt_double("theta-eps", arg, 0, &g->theta_eps, err, errsz);
	case O_MINEV: return opt_double("min-events", arg, 0, &c->o.min_events, err, errsz);
	case O_MAXIT: rc = opt_long("max-iter", arg, 1, &v, err, errsz); g->max_iter = (int)v; break;
	case O_THETAMAX: rc = opt_long("theta-max-iter", arg, 2, &v, err, errsz); g->theta_max_iter = (int)v; break;
	case O_MINROWS: rc = opt_long("min-rows", arg, 0, &c->o.min_rows, err, errsz); break;
	default: return -1;
	}
	return rc;
}

/* The models the run fits: every one of the specs, or those --model names. */
static int pick_models(struct fm *c, char *err, size_t errsz)
{
	c->models = xcalloc(c->n_specs, sizeof *c->models);
	for (size_t k = 0; k < c->n_only; k++) {
		size_t i;

		for (i = 0; i < c->n_specs && strcmp(c->specs[i].name, c->only[k]); i++)
			;
		if (i == c->n_specs)
			return snprintf(err, errsz, "--model %s: no such model in the specs", c->only[k]), -1;
	}
	for (size_t i = 0; i < c->n_specs; i++) {
		int take = c->n_only == 0;
		struct fm_model *m;

		for (size_t k = 0; k < c->n_only; k++)
			take |= !strcmp(c->specs[i].name, c->only[k]);
		if (!take)
			continue;
		m = &c->models[c->n_models++];
		m->spec = &c->specs[i];
		m->terms = xcalloc(c->specs[i].n_terms, sizeof *m->terms);
		m->outcome = m->weight = m->strata = m->design_weight = -1;
	}
	return 0;
}

/* The sample of a design-variance model: shared by the models of the same weight, strata
 * and calibration set (c->samples holds room for one per model: pointers stay put). */
static struct fm_sample *sample_for(struct fm *c, const char *weight, const char *strata, int set)
{
	struct fm_sample *s;

	for (size_t k = 0; k < c->n_samples; k++) {
		s = &c->samples[k];
		if (s->set == set && (s->weight == weight || (s->weight && weight && !strcmp(s->weight, weight))) &&
		    (s->strata == strata || (s->strata && strata && !strcmp(s->strata, strata))))
			return s;
	}
	s = &c->samples[c->n_samples++];
	fm_sample_init(s, weight, strata, set >= 0 ? c->cal : NULL, set);
	return s;
}

/* Which weight each model uses, and the samples. With --calibrated, a weighted model whose
 * weight is the spec's design weight uses the calibrated weight of the respondent set its
 * population lies in (calspec_set_for), one that names a set's column that set's; without
 * it, a design-variance model may not name a calibrated weight (its variance would ignore
 * the calibration). */
static int assign_weights(struct fm *c, char *err, size_t errsz)
{
	const struct schema *in, *out;
	const char **cols = NULL;
	size_t ncols = 0;
	char msg[600];

	if (calspec_schemas(&in, &out, &cols, &ncols, msg, sizeof msg) < 0 && c->calibrated)
		return snprintf(err, errsz, "%s", msg), -1;
	if (c->calibrated && !(c->cal = calspec_load(c->calibrated, in, cols, ncols, msg, sizeof msg)))
		return free(cols), snprintf(err, errsz, "--calibrated: %s", msg), -1;
	c->samples = xcalloc(c->n_models + 1, sizeof *c->samples);
	for (size_t i = 0; i < c->n_models; i++) {
		struct fm_model *m = &c->models[i];
		const struct spec_model *sm = m->spec;

		m->set = -1;
		m->weight_column = sm->weighted ? sm->weight_column : NULL;
		if (sm->weighted && c->cal) {
			int k = calspec_set_of_column(c->cal, sm->weight_column);

			if (k < 0 && strcmp(sm->weight_column, c->cal->weight) == 0 &&
			    (k = calspec_set_for(c->cal, sm->cond, msg, sizeof msg)) < 0)
				return free(cols), snprintf(err, errsz, "%s:%d: model %s: --calibrated: %s", sm->file,
							    sm->line, sm->name, msg), -1;
			if (k >= 0) {
				m->set = k;
				m->weight_column = c->cal->sets[k].column;
			}
		} else if (sm->weighted && sm->variance == VAR_DESIGN) {
			for (size_t k = 0; k < ncols; k++)
				if (strcmp(cols[k], sm->weight_column) == 0)
					return free(cols), snprintf(err, errsz, "%s:%d: model %s: %s is a calibrated "
						"weight: give --calibrated SPEC (the calibration spec) so that the "
						"variance accounts for the calibration", sm->file, sm->line, sm->name,
						sm->weight_column), -1;
		}
		if (sm->variance == VAR_DESIGN)
			m->sample = sample_for(c, m->weight_column, sm->strata_column, m->set);
	}
	free(cols);
	return 0;
}

/* The operands are SPEC files: parse them, pick the models, compile their populations. */
static int operands(void *vc, int argc, char **argv, const char *const **inputs, size_t *n_inputs,
		    char *err, size_t errsz)
{
	struct fm *c = vc;
	struct cond **conds;

	if (argc == 0)
		return snprintf(err, errsz, "no SPEC file given"), -1;
	for (int a = 0; a < argc; a++)
		if (spec_parse(argv[a], c->populations, &c->specs, &c->n_specs, err, errsz) < 0)
			return -1;
	if (pick_models(c, err, errsz) < 0 || assign_weights(c, err, errsz) < 0)
		return -1;
	conds = xmalloc((c->n_models ? c->n_models : 1) * sizeof *conds);
	for (size_t i = 0; i < c->n_models; i++)
		conds[i] = c->models[i].spec->cond;
	c->pop = pop_compile(conds, c->n_models);
	for (size_t i = 0; i < c->n_models; i++)
		c->models[i].pop = pop_id(c->pop, i);
	free(conds);
	c->live_conds = xmalloc((c->n_models ? c->n_models : 1) * sizeof *c->live_conds);
	*inputs = c->inputs;
	*n_inputs = c->n_inputs;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "model", required_argument, NULL, O_MODEL },
		{ "populations", required_argument, NULL, O_POPS },
		{ "calibrated", required_argument, NULL, O_CAL },
		{ "epsilon", required_argument, NULL, O_EPS },
		{ "max-iter", required_argument, NULL, O_MAXIT },
		{ "rank-tol", required_argument, NULL, O_RANKTOL },
		{ "theta-eps", required_argument, NULL, O_THETAEPS },
		{ "theta-max-iter", required_argument, NULL, O_THETAMAX },
		{ "min-rows", required_argument, NULL, O_MINROWS },
		{ "min-events", required_argument, NULL, O_MINEV },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter fit_models = {
		.name = "fit-models", .usage = usage, .short_opts = "i:", .long_opts = lopts,
		.flags = FILTER_SPLIT_LAZILY, .option = option, .operands = operands, .section = section, .record = record, .end = end,
	};
	static struct fm c = { .o = {
		.glm = { .epsilon = 1e-12, .max_iter = 50, .rank_tol = 1e-7, .theta_max_iter = 25 },
		.min_rows = 30, .min_events = 10 } };

	c.o.glm.theta_eps = pow(DBL_EPSILON, 0.25);
	gsl_set_error_handler_off();
	return filter_main(&fit_models, &c, argc, argv);
}
