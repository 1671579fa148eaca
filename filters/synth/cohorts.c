/* cohorts.c - truth-cohorts.csv: the registry figures of every cohort of applicants as the
 * extract shows them, and the true share on benefit that only the generator knows.
 *
 * The rule (doc/cohorts.md has the reasoning): a cohort is a calendar window - a month, and
 * as further kinds a quarter and a year. A person belongs to every cohort in whose window
 * they have an application that the extract shows as granted; the cohort's index
 * application is the first of those (same day: the first row of the file), its index spell
 * the earliest spell of the same benefit starting on or after it. That is the study's rule
 * applied to the cohort's window, so a person with granted applications in March and in
 * April is in both month cohorts, and a longer window (a quarter, a year, the study's
 * March-April) holds each person once, with the index of the first month they are in.
 *
 * Handover (WW) by two rules: the claim rule, the cohorts' default (what was recorded from
 * the index application up to its 6-month mark: final once the figure is known), and the
 * study's person rule (any R2 row of the person: a later claim can revise an old cohort).
 *
 * Censoring: a cohort's k-month figure is known when the extract date is later than the k-month
 * mark of the cohort's last member (its latest index application + k calendar months, a day
 * that does not exist moved to the month's end); before that its row says not_yet_known and
 * carries no number. known_from is the first extract date on which it is known.
 *
 * Memory: one cell per cohort, kind and benefit over the extract's range of dates
 * (extract_day_range), whatever the number of persons. Counts are exact; shares are
 * written with 10 significant digits, as truth.csv's.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "datecalc.h"
#include "diag.h"
#include "synth.h"

enum { CK_MONTH, CK_QUARTER, CK_YEAR, N_CK };
static const char *const ck_names[N_CK] = { "month", "quarter", "year" };
static const int ck_months[N_CK] = { 1, 3, 12 };
#define N_FIXED 3                 /* the report's marks: on benefit after 3, 6, 12 months */
static const int fixed_months[N_FIXED] = { 3, 6, 12 };
#define CURVE_MONTHS 18           /* the true share on benefit at months 1..18 */

struct cohort_cell {
	long applicants;              /* members: persons with an index application in the window */
	int last_app;                 /* the latest index application of a member (the censoring rule) */
	long status_n[N_FIXED];       /* members whose k-month status the extract tells (an index spell, ended or seen past the mark) */
	long on[N_FIXED];             /* of them, still on benefit at the mark */
	long handover[2][4];          /* WW members on benefit at 6 months, by rule (HO_CLAIM, HO_PERSON) and HO_NONE .. HO_BOTH */
	long with_spell;              /* members with an index spell in the extract */
	long true_on[CURVE_MONTHS];   /* of them, whose spell truly runs past the k-month mark (synth only) */
};

struct cohort_truth {
	int year0;                    /* cell 0 is January of this year */
	int n_months;
	struct cohort_cell *cell[N_CK];   /* [cohort * 2 + benefit] */
};

struct cohort_truth *cohort_truth_new(const struct world *w)
{
	struct cohort_truth *ct = xcalloc(1, sizeof *ct);
	int first, last, y0, y1, m, d;

	extract_day_range(w, &first, &last);
	date_to_ymd(first, &y0, &m, &d);
	date_to_ymd(last, &y1, &m, &d);
	ct->year0 = y0;
	ct->n_months = (y1 - y0 + 1) * 12;
	for (int k = 0; k < N_CK; k++) {
		size_t n = (size_t)(ct->n_months / ck_months[k]) * 2;

		ct->cell[k] = xcalloc(n, sizeof *ct->cell[k]);
		for (size_t i = 0; i < n; i++)
			ct->cell[k][i].last_app = INT_MIN;
	}
	return ct;
}

void cohort_truth_free(struct cohort_truth *ct)
{
	if (!ct)
		return;
	for (int k = 0; k < N_CK; k++)
		free(ct->cell[k]);
	free(ct);
}

static int cohort_of(const struct cohort_truth *ct, int kind, int day)
{
	int y, m, d, month;

	date_to_ymd(day, &y, &m, &d);
	month = (y - ct->year0) * 12 + m - 1;
	if (month < 0 || month >= ct->n_months)
		BUG("application date %d outside the extract's range", day);
	return month / ck_months[kind];
}

/* derive-status's registry rule: 1 on benefit at DAY, 0 not, -1 unknown (running, and the
 * extract taken on or before DAY) */
static int on_benefit_at(int end, int extract, int day)
{
	if (end != DATE_NONE)
		return end > day;
	return extract > day ? 1 : -1;
}

/* Another granted application of the same cohort comes before application I: earlier, or
 * the same day and an earlier row of the file (rows of a person and day are written in
 * apps_rows order). */
static int earlier_in_cohort(const struct cohort_truth *ct, const struct world *w, const struct person *p,
			     int kind, int i, int cohort)
{
	const struct app *a = &p->apps_rows[i];

	for (int j = 0; j < p->n_apps; j++) {
		const struct app *o = &p->apps_rows[j];

		if (j == i || !extract_granted(w, o) || cohort_of(ct, kind, o->date) != cohort)
			continue;
		if (o->date < a->date || (o->date == a->date && j < i))
			return 1;
	}
	return 0;
}

/* DOMAIN.md: the earliest spell of the same benefit starting on or after the application
 * (the extract's spells; equal starts: the first written) */
static const struct spell *index_spell(const struct world *w, const struct person *p, const struct app *a)
{
	const struct spell *best = NULL;

	for (int i = 0; i < p->n_spells; i++) {
		const struct spell *s = &p->spells[i];

		if (extract_has_spell(w, s) && s->benefit == a->benefit && s->start >= a->date &&
		    (!best || s->start < best->start))
			best = s;
	}
	return best;
}

/* Known at CWI: the index application's overdracht_datum; known at UWV: an R2 row of the
 * person. HO_PERSON is DOMAIN.md's study rule: any R2 row, whenever received. HO_CLAIM, the
 * cohorts' default (doc/cohorts.md): only what was recorded from the index application up
 * to its 6-month mark - a later claim's handover does not change an old cohort's figure
 * after it is known. */
enum { HO_CLAIM, HO_PERSON };

static int handover_category(const struct world *w, const struct person *p, const struct app *a, int rule)
{
	int mark6 = date_add_months(a->date, 6), ho = extract_ho_date(w, a);
	int cwi = ho != DATE_NONE && (rule == HO_PERSON || ho <= mark6), uwv = 0;

	for (int i = 0; i < p->n_uwv; i++)
		uwv |= extract_has_uwv(w, &p->uwv[i]) &&
			(rule == HO_PERSON || (p->uwv[i].date >= a->date && p->uwv[i].date <= mark6));
	return cwi ? (uwv ? HO_BOTH : HO_CWI_ONLY) : (uwv ? HO_UWV_ONLY : HO_NONE);
}

static void add_member(struct cohort_cell *cc, const struct world *w, const struct person *p, const struct app *a)
{
	const struct spell *s = index_spell(w, p, a);
	int on6 = -1;

	cc->applicants++;
	if (a->date > cc->last_app)
		cc->last_app = a->date;
	for (int k = 0; k < N_FIXED; k++) {
		int st = s ? on_benefit_at(extract_spell_end(w, s), w->peildatum,
					   date_add_months(a->date, fixed_months[k])) : -1;

		if (st >= 0) {
			cc->status_n[k]++;
			cc->on[k] += st;
		}
		if (fixed_months[k] == 6)
			on6 = st;
	}
	if (a->benefit == WW && on6 == 1)
		for (int rule = HO_CLAIM; rule <= HO_PERSON; rule++)
			cc->handover[rule][handover_category(w, p, a, rule)]++;
	if (!s)
		return;
	cc->with_spell++;
	for (int m = 1; m <= CURVE_MONTHS; m++)
		cc->true_on[m - 1] += s->end == DATE_NONE || s->end > date_add_months(a->date, m);
}

void cohort_truth_add(struct cohort_truth *ct, const struct world *w, const struct person *p)
{
	for (int kind = 0; kind < N_CK; kind++)
		for (int i = 0; i < p->n_apps; i++) {
			const struct app *a = &p->apps_rows[i];
			int c;

			if (!extract_granted(w, a))
				continue;
			c = cohort_of(ct, kind, a->date);
			if (!earlier_in_cohort(ct, w, p, kind, i, c))
				add_member(&ct->cell[kind][c * 2 + a->benefit], w, p, a);
		}
}

/* ---------- writing ---------- */
struct out_row {
	FILE *fp;
	const char *kind, *cohort, *benefit;
};

/* ESTIMATE NaN and N -1 leave the field empty (a figure not yet known shows no number) */
static void put_row(const struct out_row *o, const char *population, const char *row, const char *measure,
		    const char *status, double estimate, int is_count, long n, int known_from)
{
	char kf[16] = "";

	if (known_from != DATE_NONE)
		date_format_iso(known_from, kf);
	fprintf(o->fp, "%s,%s,%s,%s,%s,%s,%s,", o->kind, o->cohort, o->benefit, population, row, measure, status);
	if (!isnan(estimate))
		fprintf(o->fp, is_count ? "%.0f" : "%.10g", estimate);
	fputc(',', o->fp);
	if (n >= 0)
		fprintf(o->fp, "%ld", n);
	fprintf(o->fp, ",%s\n", kf);
}

static void write_cell(const struct out_row *o, const struct world *w, const struct cohort_cell *cc, int benefit)
{
	static const char *const ho_rows[4] = { "none", "cwi_only", "uwv_only", "both" };
	char row[32];

	put_row(o, "all", "applicants", "count", "known", (double)cc->applicants, 1, cc->applicants, DATE_NONE);
	for (int k = 0; k < N_FIXED; k++) {
		int from = date_add_months(cc->last_app, fixed_months[k]) + 1;
		int known = w->peildatum >= from;
		const char *status = known ? "known" : "not_yet_known";
		long n = cc->status_n[k];

		snprintf(row, sizeof row, "on_benefit_%dm", fixed_months[k]);
		put_row(o, "all", row, "count", status, known ? (double)cc->on[k] : NAN, 1, known ? n : -1, from);
		put_row(o, "all", row, "share", status, known && n ? (double)cc->on[k] / (double)n : NAN, 0,
			known ? n : -1, from);
		for (int rule = HO_CLAIM; rule <= HO_PERSON && benefit == WW && fixed_months[k] == 6; rule++) {
			const long *ho = cc->handover[rule];
			long n_ho = ho[0] + ho[1] + ho[2] + ho[3];

			for (int h = 0; h < 4; h++)
				put_row(o, "on_benefit_6m", ho_rows[h], rule == HO_CLAIM ? "share" : "share_person_rule",
					status, known && n_ho ? (double)ho[h] / (double)n_ho : NAN, 0,
					known ? n_ho : -1, from);
		}
	}
	for (int m = 1; m <= CURVE_MONTHS; m++) {
		snprintf(row, sizeof row, "on_benefit_%dm", m);
		put_row(o, "index_spell", row, "true_share", "synth_only",
			cc->with_spell ? (double)cc->true_on[m - 1] / (double)cc->with_spell : NAN, 0,
			cc->with_spell, date_add_months(cc->last_app, m) + 1);
	}
}

int cohort_truth_write(const struct cohort_truth *ct, const struct world *w, const char *path)
{
	static const char *const bnames[2] = { "ww", "wwb" };
	FILE *fp = fopen(path, "w");

	if (!fp)
		return -1;
	fputs("cohort_kind,cohort,benefit,population,row,measure,status,estimate,n,known_from\n", fp);
	for (int kind = 0; kind < N_CK; kind++)
		for (int c = 0; c < ct->n_months / ck_months[kind]; c++) {
			char label[16];
			int year = ct->year0 + c * ck_months[kind] / 12;

			if (kind == CK_MONTH)
				snprintf(label, sizeof label, "%04d-%02d", year, c % 12 + 1);
			else if (kind == CK_QUARTER)
				snprintf(label, sizeof label, "%04d-Q%d", year, c % 4 + 1);
			else
				snprintf(label, sizeof label, "%04d", year);
			for (int b = 0; b < 2; b++) {
				const struct cohort_cell *cc = &ct->cell[kind][c * 2 + b];
				struct out_row o = { fp, ck_names[kind], label, bnames[b] };

				if (cc->applicants)
					write_cell(&o, w, cc, b);
			}
		}
	return fclose(fp) != 0 ? -1 : 0;
}
