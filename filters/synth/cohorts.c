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
	if (last < w->peildatum)      /* no application comes after the extract date */
		last = w->peildatum;
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

/* The month of DAY counted from the cells' January: kind k's cohort is month / ck_months[k]. */
static int month_of(const struct cohort_truth *ct, int day)
{
	int y, m, d, month;

	date_to_ymd(day, &y, &m, &d);
	month = (y - ct->year0) * 12 + m - 1;
	if (month < 0 || month >= ct->n_months)
		BUG("application date %d outside the extract's range", day);
	return month;
}

/* The largest m >= 0 with DAY later than APP + m calendar months (DOMAIN.md's rule): a spell
 * ending on DAY is still on benefit after 1..m months; an extract taken on DAY sees 1..m.
 * -1 when DAY is not after APP. One or two date_add_months instead of one per month. */
static int months_passed(int app, int day)
{
	int ya, ma, da, yd, md, dd, m;

	if (day <= app)
		return -1;
	date_to_ymd(app, &ya, &ma, &da);
	date_to_ymd(day, &yd, &md, &dd);
	m = (yd - ya) * 12 + (md - ma);
	while (m > 0 && date_add_months(app, m) >= day)
		m--;
	return m;
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

/* What one index application adds to its cohort's cell, worked out once for all kinds. */
struct member {
	int date, benefit;
	int status[N_FIXED];          /* on benefit after k months: 1, 0, -1 unknown */
	int handover[2];              /* by rule; -1 unless WW and on benefit at 6 months */
	int has_spell, true_months;   /* the spell truly runs past 1..true_months months */
};

static void member_of(struct member *m, const struct world *w, const struct person *p, const struct app *a)
{
	const struct spell *s = index_spell(w, p, a);
	int end = s ? extract_spell_end(w, s) : DATE_NONE;
	/* derive-status's registry rule: an end date decides; a running spell is on benefit
	 * up to the months the extract date is past, unknown after */
	int seen = !s ? -1 : months_passed(a->date, end != DATE_NONE ? end : w->peildatum);

	m->date = a->date;
	m->benefit = a->benefit;
	for (int k = 0; k < N_FIXED; k++)
		m->status[k] = !s ? -1 : fixed_months[k] <= seen ? 1 : end != DATE_NONE ? 0 : -1;
	for (int rule = HO_CLAIM; rule <= HO_PERSON; rule++)
		m->handover[rule] = a->benefit == WW && m->status[1] == 1 ? handover_category(w, p, a, rule) : -1;
	m->has_spell = s != NULL;
	m->true_months = !s ? 0 : s->end == DATE_NONE ? CURVE_MONTHS : months_passed(a->date, s->end);
}

static void add_member(struct cohort_cell *cc, const struct member *m)
{
	cc->applicants++;
	if (m->date > cc->last_app)
		cc->last_app = m->date;
	for (int k = 0; k < N_FIXED; k++)
		if (m->status[k] >= 0) {
			cc->status_n[k]++;
			cc->on[k] += m->status[k];
		}
	for (int rule = HO_CLAIM; rule <= HO_PERSON; rule++)
		if (m->handover[rule] >= 0)
			cc->handover[rule][m->handover[rule]]++;
	if (!m->has_spell)
		return;
	cc->with_spell++;
	for (int k = 1; k <= CURVE_MONTHS && k <= m->true_months; k++)
		cc->true_on[k - 1]++;
}

/* The person's granted applications (at most the 8 of apps_rows) in row order; each kind's
 * cohort takes the first of its window: earliest, then the first row of the file (rows of a
 * person and day are written in apps_rows order). */
void cohort_truth_add(struct cohort_truth *ct, const struct world *w, const struct person *p)
{
	struct member m[8];
	int month[8], idx[8], n = 0;

	for (int i = 0; i < p->n_apps; i++)
		if (extract_granted(w, &p->apps_rows[i])) {
			month[n] = month_of(ct, p->apps_rows[i].date);
			idx[n++] = i;
		}
	for (int j = 0; j < n; j++)
		m[j].date = DATE_NONE;    /* worked out when first needed */
	for (int kind = 0; kind < N_CK; kind++)
		for (int j = 0; j < n; j++) {
			int c = month[j] / ck_months[kind], first = 1;
			const struct app *a = &p->apps_rows[idx[j]];

			for (int o = 0; o < n && first; o++)
				first = o == j || month[o] / ck_months[kind] != c ||
					p->apps_rows[idx[o]].date > a->date || (p->apps_rows[idx[o]].date == a->date && o > j);
			if (!first)
				continue;
			if (m[j].date == DATE_NONE)
				member_of(&m[j], w, p, a);
			add_member(&ct->cell[kind][c * 2 + a->benefit], &m[j]);
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
