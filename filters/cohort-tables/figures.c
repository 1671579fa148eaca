/* figures.c - a cohort's figures under the censoring rule, and cohort_table/1 (cohorts.h).
 *
 * The censoring rule (doc/cohorts.md): a k-month figure is known only when the extract date
 * is later than the k-month mark of the cohort's last member; known_from is the day after
 * that mark. Before, the figure is not_yet_known and carries no number: a share of the
 * members observed so far would be biased (the short spells of a cohort end first). The
 * Kaplan-Meier curve is the estimate that takes the censoring into account: S(m) is
 * published as an estimate while members are still censored before month m, and is known
 * (equal to the share on benefit after m months) once the rule is met for m.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "datecalc.h"
#include "diag.h"
#include "wilson.h"

static const char *const table_name[] = { "inflow", "on_benefit", "handover", "km" };
static const char *const measure_name[] = { "count", "share", "surv", "median" };
static const char *const status_name[] = { "known", "estimate", "not_yet_known", "suppressed" };

struct cellfigs *figs_at(const struct cohorts *c, size_t kind, size_t cohort_index, int benefit)
{
	return &c->figs[c->figs_base[kind] + 2 * cohort_index + (size_t)benefit];
}

static void fig_init(struct fig *f, enum table t, const char *population, const char *row, enum measure m)
{
	f->present = 1;
	f->table = t;
	f->population = population;
	snprintf(f->row, sizeof f->row, "%s", row);
	f->measure = m;
	f->status = S_NOT_YET_KNOWN;
	f->est = f->lo = f->hi = f->se = NAN;
	f->n = f->count = -1;
	f->known_from = DATE_NONE;
}

/* A count figure of k people (n: the people it is counted among, k itself for a count of
 * people), or a share of k in n with its Wilson interval. */
static void fig_count(struct fig *f, long k, long n)
{
	f->est = (double)k;
	f->count = k;
	f->n = n;
}

static void fig_share(struct fig *f, long k, long n, double z)
{
	wilson_interval((double)k, n, z, &f->est, &f->lo, &f->hi);
	f->n = n;
	f->count = k;
}

/* The last day of cohort C's window (the decision lag counts from it). */
static int window_end(const struct ckind *k, int c)
{
	int last = k->kind == CK_RANGE ? k->to : (c + 1) * k->months - 1;

	return date_add_months(date_from_ymd(last / 12, last % 12 + 1, 1), 1) - 1;
}

/* The first extract date on which a figure on M-month marks is known: the day after the
 * cohort's last member's mark, and with --decision-lag no earlier than the day the
 * membership is final (FINAL; DATE_NONE without the option). */
static int known_from(const struct cell *cl, int m, int final, const struct copts *o)
{
	int from = months_mark(cl->last_app, m, o->month_end) + 1;

	return final != DATE_NONE && final > from ? final : from;
}

/* on_benefit_Km (count and share), and for K = 6 the WW handover categories. */
static int fixed_figures(struct cellfigs *b, const struct cell *cl, int benefit, int final, const struct copts *o,
			 char *err, size_t errsz)
{
	for (int k = 0; k < N_MARKS; k++) {
		struct fig *cnt = &b->f[F_ON_COUNT + 2 * k], *shr = cnt + 1;
		int from = known_from(cl, mark_months[k], final, o);
		char row[24];

		snprintf(row, sizeof row, "on_benefit_%dm", mark_months[k]);
		fig_init(cnt, T_ON_BENEFIT, "all", row, M_COUNT);
		fig_init(shr, T_ON_BENEFIT, "all", row, M_SHARE);
		cnt->known_from = shr->known_from = from;
		if (o->extract_date < from)
			continue;
		if (cl->spell_unknown[k]) {
			snprintf(err, errsz, "%s: missing for %ld members with an index spell, while the censoring "
				 "rule says it is known on %d-month marks (derive-status and cohort-tables "
				 "with different --month-end?)", row, cl->spell_unknown[k], mark_months[k]);
			return -1;
		}
		cnt->status = shr->status = S_KNOWN;
		fig_count(cnt, cl->on[k], cl->status_n[k]);
		fig_share(shr, cl->on[k], cl->status_n[k], o->z);
	}
	for (int h = 0; h < N_HO && benefit == B_WW; h++) {
		struct fig *f = &b->f[F_HANDOVER + h];
		long n = cl->handover[0] + cl->handover[1] + cl->handover[2] + cl->handover[3];

		fig_init(f, T_HANDOVER, "on_benefit_6m", ho_name[h], M_SHARE);
		f->known_from = b->f[F_ON_COUNT + 2].known_from;
		if (b->f[F_ON_COUNT + 2].status != S_KNOWN)
			continue;
		f->status = S_KNOWN;
		fig_share(f, cl->handover[h], n, o->z);
	}
	return 0;
}

/* Members still on benefit past month-time T: the observations (sorted) with time > T. */
static long beyond(const struct km_obs *obs, size_t n, double t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (obs[mid].time <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)(n - lo);
}

/* The median and its interval read the curve up to the step after the largest of them:
 * final when nobody is censored by then (and the interval's upper end was reached). */
static int median_final(const struct km_fit *fit, const struct km_obs *obs, size_t n, const struct km_quantile *q)
{
	double t = fmax(q->q, fmax(q->lower, q->upper));

	if (isnan(q->upper) || isnan(q->lower))
		return 0;
	for (size_t i = 0; i < fit->n_steps; i++)
		if (fit->steps[i].time > t) {
			t = fit->steps[i].time;
			break;
		}
	for (size_t i = 0; i < n && obs[i].time <= t; i++)
		if (!obs[i].ended)
			return 0;
	return 1;
}

/* S(1) .. S(18) and the median. */
static int km_figures(struct cellfigs *b, struct cell *cl, int final, const struct copts *o)
{
	struct km_fit fit;
	struct km_quantile q;
	struct fig *md = &b->f[F_KM_MEDIAN];
	int rc = km_fit_init(&fit, cl->obs, cl->n_obs, o->conf, o->level);

	if (rc != KM_OK)
		return rc;
	for (int m = 1; m <= KM_MONTHS; m++) {
		struct fig *f = &b->f[F_KM_SURV + m - 1];
		struct km_point pt;
		char row[24];

		snprintf(row, sizeof row, "on_benefit_%dm", m);
		fig_init(f, T_KM, "index_spell", row, M_SURV);
		f->known_from = known_from(cl, m, final, o);
		if (km_at(&fit, m, &pt) == KM_BEYOND) {
			if (o->extract_date < f->known_from)
				continue;
			/* known and past the last time: every spell ended before m, S is 0 */
			pt = (struct km_point){ .n_risk = 0, .surv = 0, .se = NAN, .lower = NAN, .upper = NAN };
		}
		f->status = o->extract_date >= f->known_from ? S_KNOWN : S_ESTIMATE;
		f->est = pt.surv;
		f->se = pt.se;
		f->lo = pt.lower;
		f->hi = pt.upper;
		f->n = pt.n_risk;
		f->count = beyond(cl->obs, cl->n_obs, m);
	}
	fig_init(md, T_KM, "index_spell", "median", M_MEDIAN);
	if ((rc = km_quantile(&fit, 0.5, &q)) == KM_OK && !isnan(q.q)) {
		md->status = median_final(&fit, cl->obs, cl->n_obs, &q) &&
			(final == DATE_NONE || o->extract_date >= final) ? S_KNOWN : S_ESTIMATE;
		md->est = q.q;
		md->lo = q.lower;
		md->hi = q.upper;
		md->n = (long)cl->n_obs;
	}
	km_fit_release(&fit);
	return rc;
}

static int cell_figures(struct cellfigs *b, struct cell *cl, const struct ckind *k, int cohort, int benefit,
			const struct copts *o, char *err, size_t errsz)
{
	struct fig *a = &b->f[F_APPLICANTS];
	/* --decision-lag: the membership is final (applications decided late have joined) */
	int final = o->decision_lag >= 0 ? window_end(k, cohort) + (int)o->decision_lag + 1 : DATE_NONE;
	int rc;

	fig_init(a, T_INFLOW, "all", "applicants", M_COUNT);
	a->known_from = final;
	if (a->known_from == DATE_NONE || o->extract_date >= a->known_from) {
		a->status = S_KNOWN;
		fig_count(a, cl->applicants, cl->applicants);
	}
	if (fixed_figures(b, cl, benefit, final, o, err, errsz) < 0)
		return -1;
	if ((rc = km_figures(b, cl, final, o)) != KM_OK) {
		snprintf(err, errsz, "km_time: the Kaplan-Meier curve: %s", km_strerror(rc));
		return -1;
	}
	return 0;
}

int figures_make(struct cohorts *c, const struct copts *o, char *err, size_t errsz)
{
	size_t total = 0;

	c->figs_base = xcalloc(c->n_kinds + 1, sizeof *c->figs_base);
	for (size_t i = 0; i < c->n_kinds; i++) {
		c->figs_base[i] = total;
		total += 2 * c->kinds[i].n_cohorts;
	}
	c->figs = xcalloc(total + 1, sizeof *c->figs);
	c->n_figs = total;
	for (size_t i = 0; i < c->n_kinds; i++)
		for (size_t j = 0; j < c->kinds[i].n_cohorts; j++)
			for (int b = 0; b < N_BENEFIT; b++) {
				struct cell *cl = cell_at(&c->kinds[i], j, b);

				if (cl->applicants && cell_figures(figs_at(c, i, j, b), cl, &c->kinds[i],
								   c->kinds[i].base + (int)j, b, o, err, errsz) < 0)
					return -1;
			}
	return 0;
}

static void put_fig(struct rec_writer *w, const struct fig *f, const char *kind, const char *cohort,
		    const char *benefit, const char *method)
{
	int shown = f->status == S_KNOWN || f->status == S_ESTIMATE;

	rec_put(w, table_name[f->table]);
	rec_put(w, kind);
	rec_put(w, cohort);
	rec_put(w, benefit);
	rec_put(w, f->population);
	rec_put(w, f->row);
	rec_put(w, measure_name[f->measure]);
	rec_put(w, status_name[f->status]);
	rec_put_num(w, shown ? f->est : NAN);
	rec_put_num(w, shown ? f->lo : NAN);
	rec_put_num(w, shown ? f->hi : NAN);
	rec_put_num(w, shown ? f->se : NAN);
	if (shown && f->n >= 0)
		rec_put_int(w, f->n);
	else
		rec_put_missing(w);
	rec_put_date(w, f->known_from);
	rec_put(w, method);
	rec_writer_end(w);
}

void figures_write(const struct cohorts *c, const struct copts *o, const char *method, struct rec_writer *w)
{
	char label[32];

	(void)o;
	for (size_t i = 0; i < c->n_kinds; i++)
		for (size_t j = 0; j < c->kinds[i].n_cohorts; j++) {
			cohort_label(&c->kinds[i], c->kinds[i].base + (int)j, label, sizeof label);
			for (int b = 0; b < N_BENEFIT; b++) {
				const struct cellfigs *fb = figs_at(c, i, j, b);

				for (int k = 0; k < N_FIGS; k++)
					if (fb->f[k].present)
						put_fig(w, &fb->f[k], ck_name[c->kinds[i].kind], label,
							benefit_name[b], method);
			}
		}
}
