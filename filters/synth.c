/* synth - generate the raw files of "Het eerste jaar" and the truth behind them.
 *
 * Writes into DIR: the seven raw extracts R1-R7 exactly as delivered (cwi_aanvragen.csv,
 * uwv_overdracht.csv, uitkeringen.csv, steekproef.csv, golf1-3.csv), pseudonym.key,
 * truth.csv, truth-persons.csv, truth-cohorts.csv and dirty.csv. People are generated one
 * at a time (filters/synth/gen.c) from the parameter table (filters/synth/params.c); memory
 * does not grow with --persons. Same seed, same bytes.
 *
 * --span FROM:TO makes a world for the registry monitor instead: applications spread over
 * many monthly cohorts, parameters drifting over time (drift.*), an extract date after the
 * span, the registry files R1-R3 only, and truth-cohorts.csv (filters/synth/cohorts.c,
 * doc/cohorts.md). Without --span every byte is what it was before --span existed.
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
	struct cohort_truth *ct = NULL;

	if (w->survey) {
		if (!w->span)
			design(w);
		write_key(w, key);
		emit_open(w);
		ct = cohort_truth_new(w);
		snprintf(path, sizeof path, "%s/truth-persons.csv", w->outdir);
		if (!w->span && truth_persons_open(path) < 0)
			die(EXIT_DATA, path, 0, NULL, "cannot create: %s", strerror(errno));
	}
	for (long i = 0; i < w->persons; i++) {
		struct person *p = &person;

		p->idx = i;
		frame_draw(rf, p);
		gen_person(w, rm, rsur, p);
		if (w->survey && !w->span && p->in_pop) {
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
		if (p->in_pop && !w->span) {
			derive_true(p, &tr);
			if (p->sampled) {
				derive_recorded(p, &rec);
				truth_add(p, &tr, &rec);
				truth_persons_add(p, &rec, key);
			} else {
				truth_add(p, &tr, NULL);
			}
		}
		if (w->survey) {
			emit_person(w, p, rd);
			cohort_truth_add(ct, w, p);
		}
	}
	if (w->survey) {
		if (emit_close(w) < 0)
			die(EXIT_DATA, w->outdir, 0, NULL, "write failed: %s", strerror(errno));
		if (!w->span && truth_persons_close() < 0)
			die(EXIT_DATA, w->outdir, 0, NULL, "truth-persons.csv: write failed");
		snprintf(path, sizeof path, "%s/truth.csv", w->outdir);
		if (!w->span && truth_write(w, path) < 0)
			die(EXIT_DATA, path, 0, NULL, "write failed: %s", strerror(errno));
		snprintf(path, sizeof path, "%s/truth-cohorts.csv", w->outdir);
		if (cohort_truth_write(ct, w, path) < 0)
			die(EXIT_DATA, path, 0, NULL, "write failed: %s", strerror(errno));
		cohort_truth_free(ct);
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
	      "       synth --span FROM:TO [--drift-ref DATE] [--persons N] [--seed S] [--dirty RATE]\n"
	      "             [--peildatum DATE] [--params FILE] [--param NAME=VALUE]... --out DIR\n"
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
	      "                     figure of the report's tables for the population (true answers) and the\n"
	      "                     respondents (recorded answers, weighted and unweighted), counts, and\n"
	      "                     the generating models' coefficients (table=model_truth)\n"
	      "  truth-persons.csv  one row per sampled person: the measures the pipeline must derive\n"
	      "  truth-cohorts.csv  cohort_kind,cohort,benefit,population,row,measure,status,estimate,n,\n"
	      "                     known_from: the registry figures of every cohort (month 2006-03,\n"
	      "                     quarter 2006-Q1, year 2006) and benefit as the extract shows them:\n"
	      "                     applicants; on benefit after 3/6/12 months (count and share of the\n"
	      "                     members whose status the extract tells); WW handover none/cwi_only/\n"
	      "                     uwv_only/both among those on benefit at 6 months, by the claim rule\n"
	      "                     (measure share: what CWI and UWV recorded from the index application\n"
	      "                     to its 6-month mark) and by the study's person rule (share_person_rule:\n"
	      "                     any R2 row of the person, so a later claim can revise it); and,\n"
	      "                     which only synth knows, the true share still on benefit at months\n"
	      "                     1-18 of the members with an index spell (status synth_only)\n"
	      "  dirty.csv          file,line,kind of every row --dirty added\n"
	      "\n"
	      "The cohort rule (doc/cohorts.md): a person belongs to every cohort in whose calendar\n"
	      "window (month, quarter, year) the extract shows a granted application of theirs; the\n"
	      "cohort's index application is the first of them (same day: the first row of the file),\n"
	      "its spell the earliest one of the same benefit starting on or after it - the study's\n"
	      "index rule applied to the cohort's window. A person with granted applications in March\n"
	      "and April 2006 is in both month cohorts; a longer window (a quarter, a year, the study's\n"
	      "March-April) holds each person once, in the first month they are in, so the March and\n"
	      "April cohorts combined that way are exactly the study population. Synth makes such\n"
	      "people: a second granted application after a short spell, a same-day duplicate.\n"
	      "Censoring: a cohort's k-month figure (and the handover figure, whose population is\n"
	      "on_benefit_6m) is known only when the peildatum is later than the k-month mark of the\n"
	      "cohort's last member (its latest index application + k calendar months, a day that does\n"
	      "not exist moved to the month's end); until then status is not_yet_known, estimate and n\n"
	      "are empty, and known_from says from which extract date on it is known.\n"
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
	      "                     when still running, about a quarter of them); with --span it must come\n"
	      "                     after the span (default: the 16th of the second month after it)\n"
	      "  --span FROM:TO     a world for the registry monitor: applications (index ones and the\n"
	      "                     others) spread over the months FROM..TO (yyyy-mm:yyyy-mm), with the\n"
	      "                     inflow and the drift.* parameters changing over time; writes R1-R3,\n"
	      "                     pseudonym.key, truth-cohorts.csv and dirty.csv (no survey: no R4-R7,\n"
	      "                     truth.csv or truth-persons.csv). Nothing generated depends on the\n"
	      "                     peildatum: the extract shows what happened by then, so worlds of one\n"
	      "                     seed and span at later peildatums are later extracts of one history.\n"
	      "                     --persons counts the persons over the whole span.\n"
	      "  --drift-ref DATE   with --span: the date from which drift.* counts years (default\n"
	      "                     01-03-2006, the study window's start, where the calibrated values hold)\n"
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
	      "  synth --persons 8547000 --dirty 0.01 --out big    (10 million applications)\n"
	      "  synth --span 2005-01:2007-12 --peildatum 16-02-2008 --out monitor\n", fp);
}

/* --span yyyy-mm:yyyy-mm: the first day of the first month and the last day of the last */
static int parse_span(const char *s, int *first, int *last)
{
	int y0, m0, y1, m1, n = 0;

	if (strlen(s) != 15 || sscanf(s, "%4d-%2d:%4d-%2d%n", &y0, &m0, &y1, &m1, &n) != 4 || s[n] ||
	    s[4] != '-' || s[7] != ':' || s[12] != '-')
		return -1;
	*first = date_from_ymd(y0, m0, 1);
	if (*first == DATE_NONE || date_from_ymd(y1, m1, 1) == DATE_NONE)
		return -1;
	*last = date_add_months(date_from_ymd(y1, m1, 1), 1) - 1;
	return *first <= *last && y0 >= 1990 && y1 <= 2099 ? 0 : -1;
}

static int parse_date_arg(const char *opt, const char *s)
{
	int d = date_parse_dmy(s, strlen(s));

	if (d == DATE_NONE)
		d = date_parse_iso(s, strlen(s));
	if (d == DATE_NONE)
		diag_usage("%s: not a date (dd-mm-yyyy): %s", opt, s);
	return d;
}

/* What the command line asked for besides the world itself. */
struct cli {
	const char *params_file;
	const char *assigns[512];   /* the --param values, applied after --params */
	int n_assign, print, cal, iterations, peildatum_given, sample_given;
	const char *peildatum_arg;  /* as given, for messages */
};

static long number_arg(const char *opt, const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || !*s || v < min)
		diag_usage("%s: not a%s number: %s", opt, min > 0 ? " positive" : "", s);
	return v;
}

static void parse_options(int argc, char **argv, struct world *w, struct cli *cli)
{
	static const struct option opts[] = {
		{ "persons", required_argument, NULL, 'n' },
		{ "sample", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "dirty", required_argument, NULL, 'd' },
		{ "peildatum", required_argument, NULL, 'p' },
		{ "span", required_argument, NULL, 'S' },
		{ "drift-ref", required_argument, NULL, 'R' },
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
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': w->persons = number_arg("--persons", optarg, 1); break;
		case 'm': w->sample = number_arg("--sample", optarg, 0); cli->sample_given = 1; break;
		case 's':
			errno = 0;
			w->seed = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg)
				diag_usage("--seed: not a number: %s", optarg);
			break;
		case 'd':
			errno = 0;
			w->dirty = strtod(optarg, &end);
			if (errno || *end || !(w->dirty >= 0 && w->dirty <= 0.5))
				diag_usage("--dirty: not a rate between 0 and 0.5: %s", optarg);
			break;
		case 'p':
			w->peildatum = parse_date_arg("--peildatum", optarg);
			cli->peildatum_given = 1;
			cli->peildatum_arg = optarg;
			break;
		case 'S':
			if (parse_span(optarg, &w->span_start, &w->span_end) < 0)
				diag_usage("--span: not two months yyyy-mm:yyyy-mm in order (1990-2099): %s", optarg);
			w->span = 1;
			break;
		case 'R': w->drift_ref = parse_date_arg("--drift-ref", optarg); break;
		case 'F': cli->params_file = optarg; break;
		case 'P':
			if (cli->n_assign == (int)(sizeof cli->assigns / sizeof *cli->assigns))
				diag_usage("--param: more than %d", cli->n_assign);
			cli->assigns[cli->n_assign++] = optarg;
			break;
		case 'L': cli->print = 1; break;
		case 'C': cli->cal = 1; break;
		case 'I': cli->iterations = (int)number_arg("--iterations", optarg, 0); break;
		case 'o': w->outdir = optarg; break;
		case 'h':
			usage(stdout);
			exit(diag_close_stdout(0));
		case 'V':
			puts("synth ketenmonitor 0.1");
			exit(diag_close_stdout(0));
		default:
			diag_usage("unknown option");
		}
	}
	if (optind < argc)
		diag_usage("unexpected argument: %s", argv[optind]);
}

/* The extract date against the window or the span. */
static void check_dates(struct world *w, const struct cli *cli)
{
	char buf[16];

	if (!w->span) {
		if (w->peildatum < date_from_ymd(2006, 9, 1))
			diag_usage("--peildatum: before 01-09-2006: %s", cli->peildatum_arg);
		return;
	}
	if (cli->sample_given)
		diag_usage("--span: no survey in a monitor world, so no --sample");
	if (cli->cal)
		diag_usage("--span: --calibrate works on the study's window only");
	if (!cli->peildatum_given) {    /* the 16th of the second month after the span */
		int y, m, d;

		date_to_ymd(w->span_end, &y, &m, &d);
		w->peildatum = date_add_months(date_from_ymd(y, m, 16), 2);
	}
	if (w->peildatum <= w->span_end) {
		fmt_dmy(w->span_end, buf);
		diag_usage("--peildatum: not after the span (it ends %s)", buf);
	}
	if (w->peildatum - w->span_start > 50 * 366)
		diag_usage("--peildatum: more than 50 years after the span's start");
}

int main(int argc, char **argv)
{
	struct world w;
	static struct cli cli;

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
	w.drift_ref = date_from_ymd(2006, 3, 1);
	w.survey = 1;
	cli.iterations = 25;
	parse_options(argc, argv, &w, &cli);
	if (cli.params_file && params_load(cli.params_file) < 0)
		exit(EXIT_USAGE);
	for (int k = 0; k < cli.n_assign; k++)
		if (params_set(cli.assigns[k]) < 0)
			diag_usage("--param: unknown parameter or bad value: %s", cli.assigns[k]);
	if (cli.print) {
		params_print(stdout);
		return diag_close_stdout(0);
	}
	check_dates(&w, &cli);
	gen_init(&w);
	truth_init();
	if (cli.cal) {
		calibrate(&w, cli.iterations);
		return diag_close_stdout(0);
	}
	if (!w.outdir)
		diag_usage("--out DIR is required");
	if (mkdir(w.outdir, 0755) != 0 && errno != EEXIST)
		die(EXIT_DATA, w.outdir, 0, NULL, "cannot create: %s", strerror(errno));
	run(&w);
	return diag_close_stdout(0);
}
