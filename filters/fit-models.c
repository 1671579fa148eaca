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
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "design.h"
#include "diag.h"
#include "glm.h"
#include "population.h"
#include "rec.h"
#include "schema.h"
#include "spec.h"

static struct spec_model *specs;
static size_t n_specs;
static struct fm_model *models;
static size_t n_models;
static struct fm_store store;
static struct fm_result *results;           /* one per model, live to the end of the run */
static const char **inputs, **only;
static struct pop_set *pop;                 /* the models' population conditions, compiled */
static size_t *live_conds, n_live_conds;    /* conditions of the section's usable models */

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
"\n"
"Options:\n"
"  -i, --input FILE     read the stream from FILE (repeatable; default stdin; '-' = stdin)\n"
"  --model NAME         fit only this model (repeatable; default every model of the specs)\n"
"  --epsilon X          IRLS stops when |dev - dev_old| / (|dev| + 0.1) < X, R's glm test\n"
"                       (default 1e-12; R's default is 1e-8)\n"
"  --max-iter N         IRLS iterations and negbin theta/beta alternations (default 50)\n"
"  --rank-tol X         a column whose residual norm after the earlier columns is below X\n"
"                       times its norm is aliased, R's dqrdc2 rule (default 1e-7)\n"
"  --theta-eps X        negbin: theta.ml's Newton tolerance (default 2^-13 = %.10g, MASS's)\n"
"  --theta-max-iter N   negbin: theta.ml's iteration limit (default 25, as glm.nb)\n"
"  --min-rows N         fewer rows used gives a tiny_population warning (default 30)\n"
"  --min-events X       logit: fewer rows in the smaller outcome group per coefficient\n"
"                       gives a few_events warning (default 10; 0 = off)\n"
"  --help, --version\n"
"\n"
"Spec files: plain text, '#' starts a comment, a line ending in '\\' continues. One block\n"
"per model, from 'model NAME' to the next 'model' line:\n"
"  model NAME                  letters, digits, '_'; unique over all specs\n"
"  family logit|linear|poisson|negbin       (default logit; negbin: log link, theta by\n"
"                              maximum likelihood alternating with beta as MASS::glm.nb)\n"
"  outcome COLUMN              logit: 0/1; poisson, negbin: whole numbers >= 0\n"
"  population CONDITION        rows the model uses (default all). CONDITION: comparisons\n"
"                              COLUMN == VALUE, != < <= > >=, COLUMN in (V1, V2, ...),\n"
"                              missing(COLUMN), all, joined by and / or / not and ( ).\n"
"                              A comparison with a missing value is false (!= too).\n"
"  weights none|design [COLUMN]   design: probability weights from COLUMN (default\n"
"                              design_weight), scaled to mean 1 as svyglm does\n"
"  variance model|hc0|hc1|design [strata COLUMN|strata none]\n"
"                              model: R's summary.glm; hc0/hc1: sandwich::vcovHC;\n"
"                              design: survey::svyglm with strata (default column stratum),\n"
"                              each row its own PSU, no fpc; t tests with n - strata + 1 - rank df\n"
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
"theta_not_converged, singleton_strata:N, few_events:X, fit_failed,\n"
"contrast_unknown_term:NAME:TERM, contrast_not_estimable:NAME. Notes that leave the status\n"
"alone: dropped_incomplete:N.\n"
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
"population, plus 4 bytes per row and model; the design matrix is never formed.\n"
"\n"
"Reads: any sections (passed through). Writes, appended:\n",
	pow(DBL_EPSILON, 0.25), FM_MAX_INTERACT);
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

static int find_var(const char *name, int categorical)
{
	for (size_t i = 0; i < store.n_vars; i++)
		if (store.vars[i].categorical == categorical && !strcmp(store.vars[i].name, name))
			return (int)i;
	return -1;
}

static int add_var(const char *name, int categorical, int is_bool)
{
	int k = find_var(name, categorical);
	if (k >= 0) {
		store.vars[k].is_bool |= is_bool;
		return k;
	}
	store.vars = xrealloc(store.vars, (store.n_vars + 1) * sizeof *store.vars);
	struct fm_var *v = &store.vars[store.n_vars];
	memset(v, 0, sizeof *v);
	v->name = xstrdup(name);
	v->categorical = categorical;
	v->is_bool = is_bool;
	v->field = -1;
	v->v = xmalloc((store.cap ? store.cap : 1) * sizeof *v->v);
	for (size_t r = 0; r < store.n_rows; r++)
		v->v[r] = NAN;
	return (int)store.n_vars++;
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

/* Settle a model's column kinds against the section's schema (first usable section). */
static void resolve_model(struct fm_model *m, const struct rec_reader *r)
{
	struct spec_model *sm = m->spec;
	const struct schema *s = rec_reader_schema(r);
	int f;
	f = rec_reader_index(r, sm->outcome);
	need_type(r, sm, sm->outcome, f, 1);
	m->outcome = add_var(sm->outcome, 0, s->fields[f].type == ST_BOOL);
	if (sm->weighted) {
		f = rec_reader_index(r, sm->weight_column);
		need_type(r, sm, sm->weight_column, f, 1);
		m->weight = add_var(sm->weight_column, 0, 0);
	}
	if (sm->variance == VAR_DESIGN && sm->strata_column)
		m->strata = add_var(sm->strata_column, 1, 0);
	for (size_t t = 0; t < sm->n_terms; t++) {
		struct spec_term *st = &sm->terms[t];
		struct fm_term *ft = &m->terms[t];
		if (st->n_parts) {
			ft->var = -1;
			continue;
		}
		f = rec_reader_index(r, st->column);
		const struct schema_field *sf = &s->fields[f];
		need_type(r, sm, st->column, f, st->kind == KIND_NUMERIC);
		ft->categorical = st->kind == KIND_CATEGORICAL ||
		                  (st->kind == KIND_AUTO && (sf->type == ST_ENUM || sf->type == ST_TEXT));
		ft->var = add_var(st->column, ft->categorical, !ft->categorical && sf->type == ST_BOOL);
		if (ft->categorical && st->ref && sf->type == ST_ENUM) {
			size_t e;
			for (e = 0; e < sf->n_enum && strcmp(sf->enum_values[e], st->ref); e++)
				;
			if (e == sf->n_enum)
				die(EXIT_DATA, sm->file, st->line, sm->name, "term %s: ref %s is not a level of %s in %s",
				    st->column, st->ref, st->column, s->id);
		}
	}
	m->resolved = 1;
}

static int model_column_present(const struct rec_reader *r, const struct spec_model *sm, const char **absent)
{
	const char *need[4] = { sm->outcome, sm->weighted ? sm->weight_column : NULL,
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

static int any_usable;

static void section_setup(struct rec_reader *r)
{
	any_usable = 0;
	n_live_conds = 0;
	for (size_t i = 0; i < n_models; i++) {
		struct fm_model *m = &models[i];
		const char *absent = NULL;
		m->usable = model_column_present(r, m->spec, &absent) &&
		            cond_resolve(m->spec->cond, lookup, r, &absent) == 0;
		if (!m->usable) {
			m->absent = absent;
			continue;
		}
		if (!m->resolved)
			resolve_model(m, r);
		m->sections++;
		any_usable = 1;
		live_conds[n_live_conds++] = m->pop;
	}
	pop_section(pop, lookup, r);
	pop_live(pop, live_conds, n_live_conds);
	for (size_t i = 0; i < store.n_vars; i++) {
		struct fm_var *v = &store.vars[i];
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

static const char *get_field(void *ctx, int field, size_t *len)
{
	*len = rec_reader_field_len(ctx, (size_t)field);
	return rec_reader_field(ctx, (size_t)field);
}

/* Hot: once per input row (821 000 person rows, of which a few thousand are in some
 * population). pop_any settles most rows with a comparison or two (population.h); a row
 * that may be in some population, or fail, goes to the models one by one, in their
 * order, so the first failing model is the one named, as before. */
static void store_record(struct rec_reader *r)
{
	int in_any = 0;
	size_t row = store.n_rows;
	const char *bad = NULL;
	pop_row(pop, get_field, r);
	if (!pop_any(pop))
		return;
	for (size_t i = 0; i < n_models; i++) {
		struct fm_model *m = &models[i];
		int in;
		if (!m->usable)
			continue;
		in = pop_eval(pop, m->pop, &bad);
		if (in < 0)
			die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), bad,
			    "not a number, in model %s's population: '%s'", m->spec->name,
			    rec_reader_field(r, (size_t)rec_reader_index(r, bad)));
		if (!in)
			continue;
		if (row >= UINT32_MAX)
			die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), NULL, "more than 2^32 rows in populations");
		if (m->n_rows == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 1024;
			m->rows = xrealloc(m->rows, m->cap * sizeof *m->rows);
		}
		m->rows[m->n_rows++] = (uint32_t)row;
		in_any = 1;
	}
	if (!in_any)
		return;
	if (store.n_rows == store.cap) {
		store.cap = store.cap ? 2 * store.cap : 1024;
		for (size_t i = 0; i < store.n_vars; i++)
			store.vars[i].v = xrealloc(store.vars[i].v, store.cap * sizeof(double));
	}
	for (size_t i = 0; i < store.n_vars; i++) {
		struct fm_var *v = &store.vars[i];
		const char *s;
		double x = NAN;
		if (v->field >= 0 && *(s = rec_reader_field(r, (size_t)v->field))) {
			if (v->categorical)
				x = level_code(v, s);
			else if (rec_parse_num(s, &x) < 0)
				die(EXIT_DATA, rec_reader_name(r), rec_reader_line(r), v->name, "not a number: '%s'", s);
		}
		v->v[row] = x;
	}
	store.n_rows++;
}

/* ---- output ---- */

static void put_num(struct rec_writer *w, double x)
{
	if (isfinite(x))
		rec_put_num(w, x);
	else
		rec_put_missing(w);
}

static void write_results(struct rec_writer *w, struct fm_result *res)
{
	char hash[17];
	if (rec_writer_section(w, "model_fit/1") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
	for (size_t i = 0; i < n_models; i++) {
		const struct spec_model *sm = models[i].spec;
		const struct fm_result *r = &res[i];
		int fit = r->have_fit && !r->g.failed;
		rec_put(w, sm->name);
		rec_put(w, spec_family_name(sm->family));
		rec_put(w, sm->outcome);
		rec_put(w, sm->population);
		rec_put(w, sm->weighted ? "design" : "none");
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
	if (rec_writer_section(w, "model_coef/1") < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
	for (size_t i = 0; i < n_models; i++)
		for (size_t k = 0; k < res[i].n_coef; k++) {
			const struct fm_coef *c = &res[i].coef[k];
			rec_put(w, models[i].spec->name);
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
}

/* ---- main ---- */

static double opt_double(const char *name, const char *s, double lo)
{
	char *end;
	double x;
	errno = 0;
	x = strtod(s, &end);
	if (end == s || *end || errno || !(x >= lo) || !isfinite(x))
		diag_usage("--%s: '%s' is not a number >= %g", name, s, lo);
	return x;
}

static long opt_long(const char *name, const char *s, long lo)
{
	char *end;
	long x;
	errno = 0;
	x = strtol(s, &end, 10);
	if (end == s || *end || errno || x < lo)
		diag_usage("--%s: '%s' is not a whole number >= %ld", name, s, lo);
	return x;
}

int main(int argc, char **argv)
{
	enum { O_EPS = 256, O_MAXIT, O_RANKTOL, O_THETAEPS, O_THETAMAX, O_MINROWS, O_MINEV, O_MODEL, O_HELP, O_VERSION };
	static const struct option lopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "model", required_argument, NULL, O_MODEL },
		{ "epsilon", required_argument, NULL, O_EPS },
		{ "max-iter", required_argument, NULL, O_MAXIT },
		{ "rank-tol", required_argument, NULL, O_RANKTOL },
		{ "theta-eps", required_argument, NULL, O_THETAEPS },
		{ "theta-max-iter", required_argument, NULL, O_THETAMAX },
		{ "min-rows", required_argument, NULL, O_MINROWS },
		{ "min-events", required_argument, NULL, O_MINEV },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct fm_options o = {
		.glm = { .epsilon = 1e-12, .max_iter = 50, .rank_tol = 1e-7,
		         .theta_eps = pow(DBL_EPSILON, 0.25), .theta_max_iter = 25 },
		.min_rows = 30, .min_events = 10,
	};
	size_t n_inputs = 0, n_only = 0;
	struct rec_writer *w;
	int c;
	char err[600];

	diag_init(argv[0]);
	gsl_set_error_handler_off();
	while ((c = getopt_long(argc, argv, "i:", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			inputs = xrealloc(inputs, (n_inputs + 1) * sizeof *inputs);
			inputs[n_inputs++] = optarg;
			break;
		case O_MODEL:
			only = xrealloc(only, (n_only + 1) * sizeof *only);
			only[n_only++] = optarg;
			break;
		case O_EPS: o.glm.epsilon = opt_double("epsilon", optarg, 0); break;
		case O_MAXIT: o.glm.max_iter = (int)opt_long("max-iter", optarg, 1); break;
		case O_RANKTOL: o.glm.rank_tol = opt_double("rank-tol", optarg, 0); break;
		case O_THETAEPS: o.glm.theta_eps = opt_double("theta-eps", optarg, 0); break;
		case O_THETAMAX: o.glm.theta_max_iter = (int)opt_long("theta-max-iter", optarg, 2); break;
		case O_MINROWS: o.min_rows = opt_long("min-rows", optarg, 0); break;
		case O_MINEV: o.min_events = opt_double("min-events", optarg, 0); break;
		case O_HELP:
			usage(stdout);
			return diag_close_stdout(0);
		case O_VERSION:
			printf("fit-models ketenmonitor 0.1\n");
			return diag_close_stdout(0);
		default:
			fprintf(stderr, "Try 'fit-models --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		diag_usage("no SPEC file given");
	for (int a = optind; a < argc; a++)
		if (spec_parse(argv[a], &specs, &n_specs, err, sizeof err) < 0)
			diag_usage("%s", err);
	models = xcalloc(n_specs, sizeof *models);
	for (size_t k = 0; k < n_only; k++) {
		size_t i;
		for (i = 0; i < n_specs && strcmp(specs[i].name, only[k]); i++)
			;
		if (i == n_specs)
			diag_usage("--model %s: no such model in the specs", only[k]);
	}
	for (size_t i = 0; i < n_specs; i++) {
		int take = n_only == 0;
		for (size_t k = 0; k < n_only; k++)
			take |= !strcmp(specs[i].name, only[k]);
		if (!take)
			continue;
		struct fm_model *m = &models[n_models++];
		m->spec = &specs[i];
		m->terms = xcalloc(specs[i].n_terms, sizeof *m->terms);
		m->outcome = m->weight = m->strata = -1;
	}
	{
		struct cond **conds = xmalloc((n_models ? n_models : 1) * sizeof *conds);
		for (size_t i = 0; i < n_models; i++)
			conds[i] = models[i].spec->cond;
		pop = pop_compile(conds, n_models);
		for (size_t i = 0; i < n_models; i++)
			models[i].pop = pop_id(pop, i);
		free(conds);
		live_conds = xmalloc((n_models ? n_models : 1) * sizeof *live_conds);
	}
	if (n_inputs == 0) {
		inputs = xmalloc(sizeof *inputs);
		inputs[n_inputs++] = "-";
	}

	rec_enlarge_pipe(STDOUT_FILENO);
	if (!(w = rec_writer_open(NULL, -1, 0644)))
		die(EXIT_DATA, "stdout", 0, NULL, "%s", strerror(errno));
	for (size_t f = 0; f < n_inputs; f++) {
		struct rec_reader *r = rec_reader_open(inputs[f]);
		int rc;
		if (!r)
			die(EXIT_DATA, inputs[f], 0, NULL, "%s", strerror(errno));
		while ((rc = rec_reader_next(r)) > 0) {
			if (rc == REC_SECTION) {
				if (rec_writer_section(w, rec_reader_schema(r)->id) < 0)
					die(EXIT_DATA, NULL, 0, NULL, "%s", rec_writer_error(w));
				section_setup(r);
				continue;
			}
			rec_put_fields(w, r);
			rec_writer_end(w);
			if (any_usable)
				store_record(r);
			if (rec_writer_failed(w))
				break;
		}
		if (rc < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", rec_reader_error(r));
		rec_reader_free(r);
	}
	for (size_t i = 0; i < n_models; i++)
		if (models[i].sections == 0)
			die(EXIT_DATA, models[i].spec->file, models[i].spec->line, models[i].spec->name,
			    "no section of the input has %s", models[i].absent ? models[i].absent : "the model's columns");

	results = xcalloc(n_models + 1, sizeof *results);
	for (size_t i = 0; i < n_models; i++)
		fm_fit_model(&models[i], &store, &o, &results[i]);
	write_results(w, results);
	if (rec_writer_close(w) < 0)
		return diag_close_stdout(EXIT_DATA);
	return diag_close_stdout(0);
}
