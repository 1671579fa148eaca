/* synth - generate the raw files of "Het eerste jaar" and the truth behind them.
 *
 * Writes into DIR: the seven raw extracts R1-R7 exactly as delivered (cwi_aanvragen.csv,
 * uwv_overdracht.csv, uitkeringen.csv, steekproef.csv, golf1-3.csv), pseudonym.key,
 * truth.csv, truth-persons.csv and dirty.csv. People are generated one at a time
 * (filters/synth/gen.c) from the parameter table (filters/synth/params.c); memory does
 * not grow with --persons. Same seed, same bytes.
 *
 * Random streams (GSL mt19937, each seeded from --seed and its own number):
 *   frame   population / benefit / fase / region, 4 draws a person: replayed by the first
 *           pass that counts the strata, so the sample has exact inclusion probabilities
 *   main    everything about the population (the truth)
 *   sample  the draw of the sample (selection sampling within strata)
 *   survey  wave response and the written answers
 *   dirty   the faults of --dirty
 * so the population and its truth do not change with --sample or --dirty.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <sodium.h>

#include "datecalc.h"
#include "diag.h"
#include "synth.h"

static struct person person;   /* the one person in memory */

static unsigned long mix_seed(unsigned long seed, unsigned long stream)
{
	unsigned long long z = (unsigned long long)seed * 0x9E3779B97F4A7C15ULL + stream * 0xBF58476D1CE4E5B9ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned long)(z & 0xFFFFFFFFUL) | 1UL;
}

static gsl_rng *stream(unsigned long seed, unsigned long id)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (!r)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory");
	gsl_rng_set(r, mix_seed(seed, id));
	return r;
}

/* ---------- the sample design ---------- */
static double stratum_rate(int s)
{
	int region = s / 4, benefit = s / 2 % 2, large = s % 2;
	double f = P(benefit == WW ? (large ? "sample.ww_large" : "sample.ww_small") :
		     (large ? "sample.wwb_large" : "sample.wwb_small"));

	return region == 0 ? f * P("sample.fryslan") : f;
}

static void design(struct world *w)
{
	gsl_rng *r = stream(w->seed, 1);
	double a[16], sum = 0, rem[16];
	long total = 0, pop = 0;

	memset(w->n_strata_pop, 0, sizeof w->n_strata_pop);
	for (long i = 0; i < w->persons; i++) {
		frame_draw(r, &person);
		if (person.in_pop)
			w->n_strata_pop[person.stratum]++;
	}
	gsl_rng_free(r);
	for (int s = 0; s < 16; s++) {
		a[s] = (double)w->n_strata_pop[s] * stratum_rate(s);
		sum += a[s];
		pop += w->n_strata_pop[s];
	}
	if (w->sample < 0)   /* the default: 6000, at most a quarter of the population */
		w->sample = pop / 4 < 6000 ? pop / 4 : 6000;
	if (w->sample > pop)
		die(EXIT_USAGE, NULL, 0, NULL, "--sample %ld is larger than the population (%ld persons)", w->sample, pop);
	/* proportional to N_h x rate_h; a stratum that would get more than N_h is taken whole
	 * and the rest shared again among the others; largest remainders fill up to M */
	{
		int full[16] = { 0 }, again = 1;
		long left = w->sample;

		while (again) {
			again = 0;
			sum = 0;
			left = w->sample;
			for (int s = 0; s < 16; s++) {
				if (full[s])
					left -= w->n_strata_pop[s];
				else
					sum += a[s];
			}
			for (int s = 0; s < 16; s++) {
				double x = full[s] ? (double)w->n_strata_pop[s] : sum > 0 ? (double)left * a[s] / sum : 0;

				if (!full[s] && x > (double)w->n_strata_pop[s]) {
					full[s] = 1;
					again = 1;
				}
				w->n_strata_sample[s] = (long)floor(x);
				rem[s] = full[s] ? -1 : x - floor(x);
			}
		}
		total = 0;
		for (int s = 0; s < 16; s++)
			total += w->n_strata_sample[s];
	}
	while (total < w->sample) {       /* largest remainder, lowest stratum first on ties */
		int best = -1;

		for (int s = 0; s < 16; s++)
			if (w->n_strata_sample[s] < w->n_strata_pop[s] && (best < 0 || rem[s] > rem[best]))
				best = s;
		if (best < 0)
			break;
		w->n_strata_sample[best]++;
		rem[best] = -1;
		total++;
	}
	for (int s = 0; s < 16; s++) {
		if (w->n_strata_sample[s] > w->n_strata_pop[s])
			w->n_strata_sample[s] = w->n_strata_pop[s];
		if (w->n_strata_pop[s] == 0) {
			w->incl[s] = 0;
			w->incl_str[s][0] = '\0';
			continue;
		}
		/* written with a decimal comma, trailing zeros dropped; the weight is computed from
		 * the written value, as the pipeline will */
		char buf[32], *c;
		size_t l;

		snprintf(buf, sizeof buf, "%.10f", (double)w->n_strata_sample[s] / (double)w->n_strata_pop[s]);
		l = strlen(buf);
		while (l > 1 && buf[l - 1] == '0')
			buf[--l] = '\0';
		if (buf[l - 1] == '.')
			buf[--l] = '\0';
		w->incl[s] = strtod(buf, NULL);
		c = strchr(buf, '.');
		if (c)
			*c = ',';
		snprintf(w->incl_str[s], sizeof w->incl_str[s], "%s", buf);
	}
}

/* ---------- one run ---------- */
static void write_key(const struct world *w, unsigned char key[32])
{
	gsl_rng *r = stream(w->seed, 7);
	char path[4096];
	FILE *fp;
	int fd;

	for (int k = 0; k < 32; k++)
		key[k] = (unsigned char)(gsl_rng_get(r) >> 8 & 0xff);
	gsl_rng_free(r);
	snprintf(path, sizeof path, "%s/pseudonym.key", w->outdir);
	/* A key is a secret even in a demo world: readable by its owner only, as ingest asks. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 || !(fp = fdopen(fd, "w")))
		die(EXIT_DATA, path, 0, NULL, "cannot create: %s", strerror(errno));
	for (int k = 0; k < 32; k++)
		fprintf(fp, "%02x", key[k]);
	fputc('\n', fp);
	if (fclose(fp) != 0)
		die(EXIT_DATA, path, 0, NULL, "write failed: %s", strerror(errno));
}

static void run(struct world *w)
{
	gsl_rng *rf = stream(w->seed, 1), *rm = stream(w->seed, 2), *rsam = stream(w->seed, 3);
	gsl_rng *rsur = stream(w->seed, 4), *rd = stream(w->seed, 5);
	long seen[16] = { 0 }, taken[16] = { 0 }, respnr = 100000;
	unsigned char key[32];
	char path[4096];
	struct derived tr, rec;

	if (w->survey) {
		design(w);
		write_key(w, key);
		emit_open(w);
		snprintf(path, sizeof path, "%s/truth-persons.csv", w->outdir);
		if (truth_persons_open(path) < 0)
			die(EXIT_DATA, path, 0, NULL, "cannot create: %s", strerror(errno));
	}
	for (long i = 0; i < w->persons; i++) {
		struct person *p = &person;

		p->idx = i;
		frame_draw(rf, p);
		gen_person(w, rm, rsur, p);
		if (w->survey && p->in_pop) {
			int s = p->stratum;
			long need = w->n_strata_sample[s] - taken[s], left = w->n_strata_pop[s] - seen[s];

			seen[s]++;
			if (need > 0 && gsl_rng_uniform(rsam) * (double)left < (double)need) {
				taken[s]++;
				p->sampled = 1;
				p->respnr = ++respnr;
				p->incl = w->incl[s];
				snprintf(p->incl_str, sizeof p->incl_str, "%s", w->incl_str[s]);
				gen_survey(w, rsur, p);
			}
		}
		if (p->in_pop) {
			derive_true(p, &tr);
			if (p->sampled) {
				derive_recorded(p, &rec);
				truth_add(p, &tr, &rec);
				truth_persons_add(p, &rec, key);
			} else {
				truth_add(p, &tr, NULL);
			}
		}
		if (w->survey)
			emit_person(w, p, rd);
	}
	if (w->survey) {
		if (emit_close(w) < 0)
			die(EXIT_DATA, w->outdir, 0, NULL, "write failed: %s", strerror(errno));
		if (truth_persons_close() < 0)
			die(EXIT_DATA, w->outdir, 0, NULL, "truth-persons.csv: write failed");
		snprintf(path, sizeof path, "%s/truth.csv", w->outdir);
		if (truth_write(w, path) < 0)
			die(EXIT_DATA, path, 0, NULL, "write failed: %s", strerror(errno));
	}
	gsl_rng_free(rf);
	gsl_rng_free(rm);
	gsl_rng_free(rsam);
	gsl_rng_free(rsur);
	gsl_rng_free(rd);
}

/* ---------- calibration ----------
 * Each lever is a parameter moved toward one population figure of DOMAIN.md. All levers
 * move together, the population is generated again with the same seed (common random
 * numbers, so the figures move smoothly), until every figure is within tolerance. */
enum { L_LOGIT, L_PROB, L_MULT, L_LIN };
struct lever {
	const char *param;
	const char *table;
	int benefit;
	const char *period, *population, *row, *row2;
	double target;
	int type;
	double gain, lo, hi;   /* the lever stays in [lo, hi] (the report's sign) */
};
static const struct lever levers[] = {
	{ "ww.h1.support.(Intercept)", "fig1", WW, "h1", "on_benefit_3m", "any_support", NULL, 0.95, L_LOGIT, 1, -1e9, 1e9 },
	{ "ww.h2.support.(Intercept)", "fig1", WW, "h2", "on_benefit_6m", "any_support", NULL, 0.67, L_LOGIT, 1, -1e9, 1e9 },
	{ "ww.h2.support.h1_any_support", "coverage", WW, "year", "on_benefit_6m", "any_support", NULL, 0.97, L_LOGIT, -1.5, 0.05, 1e9 },
	{ "ww.h2.support.h2_work_resumed:fully", "fig1", WW, "h2", "on_benefit_12m", "any_support", NULL, 0.74, L_LOGIT, -1.2, -1e9, -0.05 },
	{ "wwb.h1.support.(Intercept)", "fig4", WWB, "h1", "on_benefit_3m", "any_support", NULL, 0.83, L_LOGIT, 1, -1e9, 1e9 },
	{ "wwb.h2.support.(Intercept)", "fig4", WWB, "h2", "on_benefit_6m", "any_support", NULL, 0.56, L_LOGIT, 1, -1e9, 1e9 },
	{ "wwb.h2.support.h1_any_support", "coverage", WWB, "year", "on_benefit_6m", "any_support", NULL, 0.88, L_LOGIT, -1.5, 0.05, 1e9 },
	{ "wwb.work.running.partly", "fig4", WWB, "h2", "on_benefit_12m", "any_support", NULL, 0.55, L_PROB, -3, 0.02, 0.35 },
	{ "ww.h1.hours.(Intercept)", "hours", WW, "h1", "on_benefit_3m", "all", NULL, 7.7, L_LIN, 1, -1e9, 1e9 },
	{ "ww.h2.hours.(Intercept)", "hours", WW, "h2", "on_benefit_6m", "all", NULL, 6.3, L_LIN, 1, -1e9, 1e9 },
	{ "wwb.h1.hours.(Intercept)", "hours", WWB, "h1", "on_benefit_3m", "all", NULL, 3.2, L_LIN, 1, -1e9, 1e9 },
	{ "wwb.h2.hours.(Intercept)", "hours", WWB, "h2", "on_benefit_6m", "all", NULL, 1.9, L_LIN, 1, -1e9, 1e9 },
	{ "ho.uwv_missing.b0", "handover", WW, "year", "on_benefit_6m", "none", "cwi_only", 0.32, L_LOGIT, 1, -1e9, 1e9 },
	{ "ho.cwi_missing.b0", "handover", WW, "year", "on_benefit_6m", "none", "uwv_only", 0.19, L_LOGIT, 1, -1e9, 1e9 },
	{ "ho.cwi_missing.uwv_missing", "handover", WW, "year", "on_benefit_6m", "none", NULL, 0.06, L_LOGIT, 1, -1e9, 1e9 },
	{ "ho.uwv_missing.h2_support", "handover_support", WW, "h2", "on_benefit_6m", "uwv_unknown", NULL, 0.50, L_LOGIT, 1.5, -1e9, 0 },
	{ "wwb.obligation.no.b0", "obligation", WWB, "h1", "all", "no_obligation", NULL, 2.0 / 3.0, L_LOGIT, 1, -1e9, 1e9 },
	{ "ww.h1.q.programme", "fig3", WW, "year", "on_benefit_6m", "programme", NULL, 0.47, L_PROB, 1, -1e9, 1e9 },
	{ "ww.h1.q.training", "fig3", WW, "year", "on_benefit_6m", "training", NULL, 1.0 / 7.0, L_PROB, 1, -1e9, 1e9 },
};
#define N_LEVERS (sizeof levers / sizeof *levers)

static double logit(double p)
{
	return log(p / (1 - p));
}

static double lever_value(const struct lever *l)
{
	double v = truth_figure(l->table, l->benefit, l->period, l->population, l->row, 0, NULL);

	if (l->row2)
		v += truth_figure(l->table, l->benefit, l->period, l->population, l->row2, 0, NULL);
	return v;
}

static int calibrate(struct world *w, int iterations)
{
	w->survey = 0;
	for (int it = 0; it <= iterations; it++) {
		double worst = 0;

		gen_init(w);
		truth_reset();
		run(w);
		for (size_t k = 0; k < N_LEVERS; k++) {
			const struct lever *l = &levers[k];
			double cur = lever_value(l), *v = P_ptr(l->param);
			double err = l->type == L_LIN ? cur - l->target : fabs(cur - l->target);
			double step;

			if (l->type == L_LIN)
				err = fabs(err) / 10;    /* hours: 0.1 h counts as 1 point */
			if (err > worst)
				worst = err;
			if (it == iterations)
				continue;
			step = l->type == L_LIN ? l->gain * (l->target - cur) :
				0.5 * l->gain * (logit(l->target) - logit(cur));
			switch (l->type) {
			case L_LOGIT: *v += step; break;
			case L_LIN: *v += step; break;
			case L_MULT: *v *= exp(step); if (*v < 1) *v = 1; break;
			case L_PROB: *v = 1 / (1 + exp(-(logit(*v) + step))); break;
			}
			if (*v < l->lo)
				*v = l->lo;
			if (*v > l->hi)
				*v = l->hi;
		}
		fprintf(stderr, "synth: calibration step %d: largest miss %.4f\n", it, worst);
	}
	printf("# synth --calibrate --persons %ld --seed %lu: levers and the population figures they reach\n",
	       w->persons, w->seed);
	for (size_t k = 0; k < N_LEVERS; k++) {
		const struct lever *l = &levers[k];

		printf("%s=%.4f    # %s %s %s %s %s%s%s: %.4f (target %.4f)\n", l->param, P(l->param), l->table,
		       l->benefit == WW ? "ww" : "wwb", l->period, l->population, l->row, l->row2 ? "+" : "",
		       l->row2 ? l->row2 : "", lever_value(l), l->target);
	}
	return 0;
}

static void usage(FILE *fp)
{
	fputs("usage: synth [--persons N] [--sample M] [--seed S] [--dirty RATE] [--peildatum DATE]\n"
	      "             [--params FILE] [--param NAME=VALUE]... --out DIR\n"
	      "       synth --print-params | --calibrate [--persons N] [--iterations K]\n"
	      "\n"
	      "Generates a synthetic \"Het eerste jaar\" world, one person at a time, and writes into DIR:\n"
	      "  cwi_aanvragen.csv  R1 applications (Windows-1252, CRLF, ';', dd-mm-yyyy), by date\n"
	      "  uwv_overdracht.csv R2 handovers as UWV received them (WW), by date\n"
	      "  uitkeringen.csv    R3 benefit spells, censored at the peildatum, by start date\n"
	      "  steekproef.csv     R4 the sample: respnr;bsn;stratum;trekkingskans (decimal comma)\n"
	      "  golf1.csv golf2.csv golf3.csv  R5-R7 the waves (UTF-8, LF; golf2 with a BOM;\n"
	      "                     SPSS missing codes 8/9, 98/99, 998/999; empty = skipped by routing)\n"
	      "  pseudonym.key      the HMAC key for ingest (64 hex digits)\n"
	      "  truth.csv          table,benefit,period,population,row,measure,scope,estimate,n: every\n"
	      "                     figure of DOMAIN.md's tables for the population (true answers) and the\n"
	      "                     respondents (recorded answers, weighted and unweighted), counts, and\n"
	      "                     the generating models' coefficients (table=model_truth)\n"
	      "  truth-persons.csv  one row per sampled person: the measures the pipeline must derive\n"
	      "  dirty.csv          file,line,kind of every row --dirty added\n"
	      "\n"
	      "Options:\n"
	      "  --persons N        persons in CWI's file (default 171000, about 200000 applications:\n"
	      "                     1.17 a person); about 96 % belong to the study population\n"
	      "  --sample M         persons drawn for the panel (default 6000, at most a quarter of the\n"
	      "                     population), stratified by region x benefit x distance, with\n"
	      "                     rates from the sample.* parameters\n"
	      "  --seed S           random seed (default 1); same seed and options, same bytes\n"
	      "  --dirty RATE       after each clean row, with probability RATE, add a faulty copy\n"
	      "                     (default 0); the clean rows and the truth do not change\n"
	      "  --peildatum DATE   extract date of R3, dd-mm-yyyy or yyyy-mm-dd (default 16-04-2007:\n"
	      "                     applications from 16 April 2006 on have their 12-month status censored\n"
	      "                     when still running, about a quarter of them)\n"
	      "  --params FILE      NAME=VALUE lines overriding the parameter table ('#' comments)\n"
	      "  --param NAME=VALUE override one parameter (after --params)\n"
	      "  --print-params     print the parameter table (NAME=VALUE # meaning) and exit\n"
	      "  --calibrate        move the [cal] levers to the report's figures at --persons\n"
	      "                     (use 2000000 or more) and print the new values\n"
	      "  --iterations K     calibration steps (default 25)\n"
	      "  --out DIR          where to write (created if missing)\n"
	      "\n"
	      "Example:\n"
	      "  synth --out raw && pipelines/eerste-jaar/run raw report\n"
	      "  synth --param ho.uwv_missing.b0=-40 --param ho.cwi_missing.b0=-40 --out perfect\n"
	      "  synth --persons 8547000 --dirty 0.01 --out big    (10 million applications)\n", fp);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "persons", required_argument, NULL, 'n' },
		{ "sample", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "dirty", required_argument, NULL, 'd' },
		{ "peildatum", required_argument, NULL, 'p' },
		{ "params", required_argument, NULL, 'F' },
		{ "param", required_argument, NULL, 'P' },
		{ "print-params", no_argument, NULL, 'L' },
		{ "calibrate", no_argument, NULL, 'C' },
		{ "iterations", required_argument, NULL, 'I' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct world w;
	const char *params_file = NULL;
	static const char *assigns[512];   /* the --param values, applied after --params */
	int n_assign = 0, print = 0, cal = 0, iterations = 25, c;
	char *end;

	diag_init(argv[0]);
	gsl_set_error_handler_off();
	if (sodium_init() < 0)
		die(EXIT_DATA, NULL, 0, NULL, "libsodium failed to initialise");
	params_init();
	memset(&w, 0, sizeof w);
	w.persons = 171000;
	w.sample = -1;       /* default: see design() */
	w.seed = 1;
	w.dirty = 0;
	w.peildatum = date_from_ymd(2007, 4, 16);
	w.survey = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			w.persons = strtol(optarg, &end, 10);
			if (errno || *end || w.persons < 1)
				diag_usage("--persons: not a positive number: %s", optarg);
			break;
		case 'm':
			errno = 0;
			w.sample = strtol(optarg, &end, 10);
			if (errno || *end || w.sample < 0)
				diag_usage("--sample: not a number: %s", optarg);
			break;
		case 's':
			errno = 0;
			w.seed = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg)
				diag_usage("--seed: not a number: %s", optarg);
			break;
		case 'd':
			errno = 0;
			w.dirty = strtod(optarg, &end);
			if (errno || *end || !(w.dirty >= 0 && w.dirty <= 0.5))
				diag_usage("--dirty: not a rate between 0 and 0.5: %s", optarg);
			break;
		case 'p':
			w.peildatum = date_parse_dmy(optarg, strlen(optarg));
			if (w.peildatum == DATE_NONE)
				w.peildatum = date_parse_iso(optarg, strlen(optarg));
			if (w.peildatum == DATE_NONE)
				diag_usage("--peildatum: not a date (dd-mm-yyyy): %s", optarg);
			if (w.peildatum < date_from_ymd(2006, 9, 1))
				diag_usage("--peildatum: before 01-09-2006: %s", optarg);
			break;
		case 'F':
			params_file = optarg;
			break;
		case 'P':
			if (n_assign == (int)(sizeof assigns / sizeof *assigns))
				diag_usage("--param: more than %d", n_assign);
			assigns[n_assign++] = optarg;
			break;
		case 'L':
			print = 1;
			break;
		case 'C':
			cal = 1;
			break;
		case 'I':
			iterations = atoi(optarg);
			break;
		case 'o':
			w.outdir = optarg;
			break;
		case 'h':
			usage(stdout);
			return diag_close_stdout(0);
		case 'V':
			puts("synth ketenmonitor 0.1");
			return diag_close_stdout(0);
		default:
			diag_usage("unknown option");
		}
	}
	if (optind < argc)
		diag_usage("unexpected argument: %s", argv[optind]);
	if (params_file && params_load(params_file) < 0)
		exit(EXIT_USAGE);
	for (int k = 0; k < n_assign; k++)
		if (params_set(assigns[k]) < 0)
			diag_usage("--param: unknown parameter or bad value: %s", assigns[k]);
	if (print) {
		params_print(stdout);
		return diag_close_stdout(0);
	}
	gen_init(&w);
	truth_init();
	if (cal) {
		calibrate(&w, iterations);
		return diag_close_stdout(0);
	}
	if (!w.outdir)
		diag_usage("--out DIR is required");
	if (mkdir(w.outdir, 0755) != 0 && errno != EEXIST)
		die(EXIT_DATA, w.outdir, 0, NULL, "cannot create: %s", strerror(errno));
	run(&w);
	return diag_close_stdout(0);
}
