/* cohorts.h - cohort-tables' parts and what they pass to each other.
 *
 *   cells.c     the cohorts a run makes (--kind, --combine) and each input row counted in
 *               the cells of the cohorts it belongs to: a person once per cohort, with the
 *               first row of the person in the cohort's window (doc/cohorts.md: a longer
 *               window is the same rule on the longer window)
 *   figures.c   a cell's figures under the censoring rule: counts, shares with Wilson
 *               intervals, the Kaplan-Meier curve and median (km.h)
 *   disclose.c  disclosure control over all figures: primary suppression, the links
 *               inside a cohort, complementary suppression of the handover categories,
 *               and a longer cohort against the shorter ones it is made of
 *
 * Flow: cells_add for every input row (in person_key order, then cohort order: link-waves
 * --cohorts writes them so) -> figures_make for every cell -> disclose -> figures_write.
 *
 * Memory: a cell per cohort and benefit of each kind asked for (a few hundred), and in it
 * one km_obs (16 bytes) per member with an index spell: 16 bytes a row and kind.
 */
#ifndef COHORT_TABLES_COHORTS_H
#define COHORT_TABLES_COHORTS_H

#include <stddef.h>

#include "km.h"
#include "months.h"
#include "rec.h"

enum ck { CK_MONTH, CK_QUARTER, CK_YEAR, CK_RANGE, N_CK };
extern const char *const ck_name[N_CK];
extern const int ck_months[N_CK];     /* a cohort's length in months (a range: its own) */

enum { B_WW, B_WWB, N_BENEFIT };
extern const char *const benefit_name[N_BENEFIT];

#define N_MARKS 3                      /* on benefit after 3, 6 and 12 months */
extern const int mark_months[N_MARKS];
enum { HO_NONE, HO_CWI_ONLY, HO_UWV_ONLY, HO_BOTH, N_HO };
extern const char *const ho_name[N_HO];
#define KM_MONTHS 18                   /* S(1) .. S(18) */

/* One cohort and benefit: what its figures are made of. */
struct cell {
	long applicants;
	int last_app;                  /* the latest index application of a member (the
					* censoring rule); DATE_NONE while empty */
	long status_n[N_MARKS];        /* members whose k-month status the row tells */
	long on[N_MARKS];              /* of them, on benefit after k months */
	long spell_unknown[N_MARKS];   /* members with an index spell and no k-month status
					* (censored: must be none once the figure is known) */
	long handover[N_HO];           /* WW members on benefit after 6 months, by category */
	struct km_obs *obs;            /* members with an index spell: km_time, km_ended */
	size_t n_obs, cap_obs;
};

/* The cohorts of one kind a run makes: every month, quarter or year the input has, or one
 * range of months (--combine). Cohort C's cells are cells[2 * (C - base) + benefit]. */
struct ckind {
	enum ck kind;
	int months;                    /* length in months */
	int from, to;                  /* a range: its months (month numbers, below) */
	char label[32];                /* a range: "2006-03:2006-04" */
	int base;                      /* cohort number of cells[0..1] */
	size_t n_cohorts;
	struct cell *cells;
	int counted;                   /* the current person's last cohort counted here, or
					* INT_MIN: each person once per cohort */
};

/* A month number: year * 12 + month - 1 (2006-03 is 24074). A cohort of a kind of length L
 * holds months L * c .. L * c + L - 1; its number c is the month number / L. */
int month_number(int day);

/* The figures of one row of cohort_table/1, before and after disclosure control. */
enum table { T_INFLOW, T_ON_BENEFIT, T_HANDOVER, T_KM };
enum measure { M_COUNT, M_SHARE, M_SURV, M_MEDIAN };
enum status { S_KNOWN, S_ESTIMATE, S_NOT_YET_KNOWN, S_SUPPRESSED };

struct fig {
	int present;                   /* the cell has this figure (WWB: no handover) */
	enum table table;
	const char *population;
	char row[24];
	enum measure measure;
	enum status status;
	double est, lo, hi, se;        /* NAN: missing */
	long n;                        /* -1: missing */
	int known_from;                /* DATE_NONE: missing */
	/* for disclosure control: the people the figure gives away - a count itself, a
	 * share's yes-count (est x n), a curve's members still on benefit past the month
	 * (exactly S x N where nobody is censored before it); -1: none (the median) */
	long count;
};

/* The figures of a cell, at fixed places (disclose.c reads the links between them so). */
enum {
	F_APPLICANTS,
	F_ON_COUNT,                    /* + 2k: count, + 2k + 1: share, k = 0, 1, 2 (3, 6, 12) */
	F_HANDOVER = F_ON_COUNT + 2 * N_MARKS,          /* + category */
	F_KM_SURV = F_HANDOVER + N_HO, /* + m - 1, m = 1 .. KM_MONTHS */
	F_KM_MEDIAN = F_KM_SURV + KM_MONTHS,
	N_FIGS
};

struct cellfigs {
	struct fig f[N_FIGS];
};

/* The run's options (cohort-tables.c reads them; the parts read them here). */
struct copts {
	long min_n;                    /* --min-n */
	long protection;               /* --protection (default --min-n) */
	enum km_conf conf;             /* --conf */
	double level, z;               /* --level, and its normal quantile */
	enum month_end month_end;      /* --month-end */
	long decision_lag;             /* --decision-lag DAYS; -1: off */
	int extract_date;              /* --extract-date, or the input's earliest; DATE_NONE */
};

/* The run: the kinds, the input's state, and the figures made at the end. */
struct cohorts {
	struct ckind *kinds;           /* --kind's, in month, quarter, year order, then the ranges */
	size_t n_kinds;
	enum ck input_kind;            /* the input rows' cohort_kind; N_CK before the first */
	char last_key[64];             /* the current person (rows must come in key order) */
	int last_month;                /* the current person's last row's first month */
	int earliest_extract, latest_extract;   /* of the input's rows (DATE_NONE: none) */
	struct cellfigs *figs;         /* per kind, a block per cell: figs_at() */
	size_t *figs_base;             /* per kind: its first block */
	size_t n_figs;
};

/* cells.c */
/* A range of months "yyyy-mm:yyyy-mm" (--combine) as a kind; -1 when malformed. */
int ckind_range(struct ckind *k, const char *arg);
void ckind_init(struct ckind *k, enum ck kind);
/* The first month of a cohort label of KIND ("2006-03", "2006-Q1", "2006"); -1 malformed. */
int cohort_label_month(enum ck kind, const char *label);
void cohort_label(const struct ckind *k, int cohort, char *buf, size_t n);

/* One input row, as cells_add needs it. */
struct crow {
	const char *key;               /* person_key */
	enum ck kind;                  /* its cohort_kind (month, quarter or year) */
	int month;                     /* the first month of its cohort */
	int benefit;                   /* B_WW, B_WWB */
	int app;                       /* application_date */
	int on[N_MARKS];               /* on_benefit_Km: 1, 0, -1 missing */
	int handover;                  /* HO_*, -1 missing */
	int has_spell;
	struct km_obs obs;             /* km_time, km_ended (with a spell) */
};

/* Count ROW in every kind's cohort it belongs to. 0, or -1 with a message in ERR (rows out
 * of order, a kind the run cannot make from the input's). */
int cells_add(struct cohorts *c, const struct crow *row, char *err, size_t errsz);
struct cell *cell_at(const struct ckind *k, size_t cohort_index, int benefit);
void cells_release(struct cohorts *c);

/* figures.c */
/* Every cell's figures into c->figs. Returns 0, or -1 with a message in ERR (a figure known
 * by the censoring rule while a member's status is missing: the options of derive-status
 * and cohort-tables disagree; out of memory). */
int figures_make(struct cohorts *c, const struct copts *o, char *err, size_t errsz);
struct cellfigs *figs_at(const struct cohorts *c, size_t kind, size_t cohort_index, int benefit);
/* Write cohort_table/1 (every figure, in kind, cohort, benefit order). */
void figures_write(const struct cohorts *c, const struct copts *o, const char *method, struct rec_writer *w);

/* disclose.c: suppress what must be (see the file's top). Returns the figures withheld,
 * primary and secondary, in *primary and *secondary. */
void disclose(struct cohorts *c, const struct copts *o, long *primary, long *secondary);

#endif
