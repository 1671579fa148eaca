/* cells.c - the cohorts of a run and the rows counted in them (cohorts.h).
 *
 * Each input row is one person in one cohort of the input's kind (link-waves --cohorts),
 * with that cohort's index application. A longer cohort is the same rule on the longer
 * window (doc/cohorts.md): its index application is the first granted one in the window,
 * which is the index of the first shorter cohort the person is in. The rows of a person
 * come together and in cohort order, so "the person's first row in the window" is the
 * first row whose cohort falls in it: each kind remembers the last cohort it counted the
 * current person in, and a person counts once per cohort.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohorts.h"
#include "datecalc.h"
#include "diag.h"

const char *const ck_name[N_CK] = { "month", "quarter", "year", "range" };
const int ck_months[N_CK] = { 1, 3, 12, 0 };
const char *const benefit_name[N_BENEFIT] = { "ww", "wwb" };
const int mark_months[N_MARKS] = { 3, 6, 12 };
const char *const ho_name[N_HO] = { "none", "cwi_only", "uwv_only", "both" };

int month_number(int day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* "yyyy-mm" at S (exactly 7 characters up to END): its month number, or -1. */
static int parse_month(const char *s, size_t len)
{
	char buf[11];

	if (len != 7 || s[4] != '-')
		return -1;
	memcpy(buf, s, 7);
	memcpy(buf + 7, "-01", 4);
	int d = date_parse_iso(buf, 10);

	return d == DATE_NONE ? -1 : month_number(d);
}

int cohort_label_month(enum ck kind, const char *label)
{
	size_t len = strlen(label);
	char buf[11];
	int d;

	switch (kind) {
	case CK_MONTH:
		return parse_month(label, len);
	case CK_QUARTER:
		if (len != 7 || label[4] != '-' || label[5] != 'Q' || label[6] < '1' || label[6] > '4')
			return -1;
		snprintf(buf, sizeof buf, "%.4s-%02d-01", label, (label[6] - '1') * 3 + 1);
		break;
	case CK_YEAR:
		if (len != 4)
			return -1;
		snprintf(buf, sizeof buf, "%.4s-01-01", label);
		break;
	default:
		return -1;
	}
	d = date_parse_iso(buf, 10);
	return d == DATE_NONE ? -1 : month_number(d);
}

void cohort_label(const struct ckind *k, int cohort, char *buf, size_t n)
{
	int month = cohort * k->months;

	switch (k->kind) {
	case CK_MONTH:
		snprintf(buf, n, "%04d-%02d", month / 12, month % 12 + 1);
		break;
	case CK_QUARTER:
		snprintf(buf, n, "%04d-Q%d", month / 12, month % 12 / 3 + 1);
		break;
	case CK_YEAR:
		snprintf(buf, n, "%04d", month / 12);
		break;
	default:
		snprintf(buf, n, "%s", k->label);
	}
}

void ckind_init(struct ckind *k, enum ck kind)
{
	memset(k, 0, sizeof *k);
	k->kind = kind;
	k->months = ck_months[kind];
	k->counted = INT_MIN;
}

int ckind_range(struct ckind *k, const char *arg)
{
	const char *colon = strchr(arg, ':');

	ckind_init(k, CK_RANGE);
	if (!colon || strlen(arg) >= sizeof k->label)
		return -1;
	k->from = parse_month(arg, (size_t)(colon - arg));
	k->to = parse_month(colon + 1, strlen(colon + 1));
	if (k->from < 0 || k->to < 0 || k->from > k->to)
		return -1;
	k->months = k->to - k->from + 1;
	snprintf(k->label, sizeof k->label, "%s", arg);
	return 0;
}

struct cell *cell_at(const struct ckind *k, size_t cohort_index, int benefit)
{
	return &k->cells[2 * cohort_index + (size_t)benefit];
}

/* The cell of cohort C and BENEFIT, the kind's array grown (at either end) to hold it. */
static struct cell *cell_for(struct ckind *k, int c, int benefit)
{
	if (k->n_cohorts == 0)
		k->base = c;
	if (c < k->base || c >= k->base + (int)k->n_cohorts) {
		int lo = c < k->base ? c : k->base;
		size_t n = (size_t)((c >= k->base + (int)k->n_cohorts ? c + 1 : k->base + (int)k->n_cohorts) - lo);
		struct cell *v = xcalloc(2 * n, sizeof *v);

		if (k->n_cohorts)
			memcpy(v + 2 * (size_t)(k->base - lo), k->cells, 2 * k->n_cohorts * sizeof *v);
		for (size_t i = 0; i < 2 * n; i++)
			if (v[i].applicants == 0)
				v[i].last_app = DATE_NONE;
		free(k->cells);
		k->cells = v;
		k->base = lo;
		k->n_cohorts = n;
	}
	return cell_at(k, (size_t)(c - k->base), benefit);
}

/* What one member adds to a cell. 0, or -1 (ERR) for a WW member on benefit after 6
 * months without a handover category. */
static int cell_add(struct cell *cl, const struct crow *row, char *err, size_t errsz)
{
	cl->applicants++;
	if (cl->last_app == DATE_NONE || row->app > cl->last_app)
		cl->last_app = row->app;
	for (int k = 0; k < N_MARKS; k++)
		if (row->on[k] >= 0) {
			cl->status_n[k]++;
			cl->on[k] += row->on[k];
		} else if (row->has_spell) {
			cl->spell_unknown[k]++;
		}
	if (row->benefit == B_WW && row->on[1] == 1) {
		if (row->handover < 0) {
			snprintf(err, errsz, "handover_category: missing for a WW member on benefit after 6 months");
			return -1;
		}
		cl->handover[row->handover]++;
	}
	if (row->has_spell) {
		if (cl->n_obs == cl->cap_obs) {
			cl->cap_obs = cl->cap_obs ? 2 * cl->cap_obs : 64;
			cl->obs = xrealloc(cl->obs, cl->cap_obs * sizeof *cl->obs);
		}
		cl->obs[cl->n_obs++] = row->obs;
	}
	return 0;
}

/* The first row: every kind must be made of the input's cohorts (a quarter of months, not
 * a month of quarters; a range of whole input cohorts). */
static int check_kinds(const struct cohorts *c, enum ck input, char *err, size_t errsz)
{
	int len = ck_months[input];

	for (size_t i = 0; i < c->n_kinds; i++) {
		const struct ckind *k = &c->kinds[i];
		int whole = k->kind == CK_RANGE ? k->from % len == 0 && (k->to + 1) % len == 0
			: k->months % len == 0;

		if (!whole) {
			snprintf(err, errsz, "cohort_kind: the input has %s cohorts, which do not make %s %s "
				 "(link-waves --cohorts month makes every kind)", ck_name[input],
				 k->kind == CK_RANGE ? "the range" : k->kind == CK_QUARTER ? "a" : "the",
				 k->kind == CK_RANGE ? k->label : ck_name[k->kind]);
			return -1;
		}
	}
	return 0;
}

/* The person order: a new person resets every kind's "counted"; a person's rows must come
 * in cohort order. */
static int person_order(struct cohorts *c, const struct crow *row, char *err, size_t errsz)
{
	int cmp = strcmp(row->key, c->last_key);

	if (cmp < 0 && c->last_key[0]) {
		snprintf(err, errsz, "person_key: %s after %s: the rows must come in person_key order, as "
			 "link-waves --cohorts writes them (each person is counted once per cohort)", row->key, c->last_key);
		return -1;
	}
	if (cmp == 0) {
		if (row->month <= c->last_month) {
			snprintf(err, errsz, "cohort: a person's cohorts must come in order, as link-waves --cohorts "
				 "writes them (%s comes twice, or after a later one)", row->key);
			return -1;
		}
	} else {
		snprintf(c->last_key, sizeof c->last_key, "%s", row->key);
		for (size_t i = 0; i < c->n_kinds; i++)
			c->kinds[i].counted = INT_MIN;
	}
	c->last_month = row->month;
	return 0;
}

int cells_add(struct cohorts *c, const struct crow *row, char *err, size_t errsz)
{
	if (c->input_kind == N_CK) {
		if (check_kinds(c, row->kind, err, errsz) < 0)
			return -1;
		c->input_kind = row->kind;
	} else if (row->kind != c->input_kind) {
		snprintf(err, errsz, "cohort_kind: %s after %s: one kind of cohort per input", ck_name[row->kind],
			 ck_name[c->input_kind]);
		return -1;
	}
	if (person_order(c, row, err, errsz) < 0)
		return -1;
	for (size_t i = 0; i < c->n_kinds; i++) {
		struct ckind *k = &c->kinds[i];
		int cohort;

		if (k->kind == CK_RANGE) {
			if (row->month < k->from || row->month > k->to)
				continue;
			cohort = 0;
		} else {
			cohort = row->month / k->months;
		}
		if (cohort == k->counted)
			continue;       /* the person's first row in this window counted already */
		k->counted = cohort;
		if (cell_add(cell_for(k, cohort, row->benefit), row, err, errsz) < 0)
			return -1;
	}
	return 0;
}

void cells_release(struct cohorts *c)
{
	for (size_t i = 0; i < c->n_kinds; i++) {
		for (size_t j = 0; j < 2 * c->kinds[i].n_cohorts; j++)
			free(c->kinds[i].cells[j].obs);
		free(c->kinds[i].cells);
	}
	free(c->kinds);
	free(c->figs);
	free(c->figs_base);
}
