/* synth.h - the parts of synth (filters/synth.c and the files in filters/synth/) and how they meet.
 *
 * synth makes a synthetic world for "Het eerste jaar": one person at a time, from a table
 * of named parameters (params.c, the one readable place), into the raw files R1-R7 as the
 * organisations deliver them, plus what only the generator knows: truth.csv,
 * truth-persons.csv, dirty.csv and pseudonym.key (see /work/briefs/common.md for formats).
 *
 * Flow per person (gen.c): frame draw (population? benefit, fase, region: the stratum) ->
 * background -> latent survey truth at the level of the derived measures (health, problems,
 * asked help, obligation, work, support, search) -> registry rows -> if sampled: wave
 * response and answers consistent with the latents. derive.c then recomputes the measures
 * from the written answers by the pipeline's rules (person_status/person_support schemas),
 * which is what the respondent scopes of truth.csv and truth-persons.csv report.
 *
 * Memory: a person lives in one struct person reused for the next; truth lives in fixed
 * accumulators (truth.c); R1-R3 are ordered by date through a counting sort on disk
 * (emit.c), whose memory depends on the number of days, not on N.
 *
 * Decisions, and why:
 * - The sample frame is the study population (people with an index application); people
 *   in CWI's file without one (frame.nonpop: only refused, pending or outside the window)
 *   have registry rows but are never sampled. So clean data has no sample row without an
 *   index application; link-waves' other paths are exercised by its own tests.
 * - A true "yes" of the survey (a form of support, asked for help, poor health, a problem,
 *   contacts) is always written in the half-year's last wave (wave 2 for H1, wave 3 for H2)
 *   and only sometimes repeated in wave 1; don't know / no answer (8/9, 98/99, 998/999)
 *   only ever replace a "no" or a value, never a "yes". So for the respondents the
 *   pipeline's measures equal the latent truth or are missing, missingness does not depend
 *   on the outcome, and a fitted model recovers the generating coefficients.
 * - Wave 3 goes to wave-2 respondents only; wave 2 to everybody sampled (some answer wave
 *   2 without wave 1). Attrition depends on age, origin and health.
 * - Support never feeds back into the benefit spell: the populations (on benefit at 3, 6,
 *   12 months) are then selected on covariates only and the models stay correctly
 *   specified on every population. The 12-month bars differ from the 6-month ones through
 *   who stays on benefit (work resumed, distance, age).
 * - The handover is drawn after H2 support, from a logit on the fase and that support: the
 *   report's "without UWV information about half still get help" holds, and the H2
 *   support model has no term that fit-models does not fit.
 * - Hours: E[hours | six indicators] is linear and looking is a logit; among those looking,
 *   hours = 1 + negative binomial with the mean that makes E[hours | x] exact. Applications:
 *   E[applications | x] = exp(linear), among those looking negative binomial. So the linear
 *   and negbin (log link) fits of table1 estimate the generating coefficients.
 * - --span (a world for the registry monitor) changes nothing without it: the new draws
 *   and conditions sit behind `w->span`, drift is applied only when t_years != 0, and the
 *   extract predicates (emit.c) let every row through as before. With it nothing generated
 *   looks at the peildatum, so later extracts of one seed extend each other; there is no
 *   survey (the monitor needs none), hence no truth.csv.
 * - truth-cohorts.csv (cohorts.c) counts what the extract shows, by the rule of
 *   doc/cohorts.md, with and without --span.
 * - --peildatum default 16-04-2007: every 3- and 6-month status is known; a 12-month status
 *   is censored for the applications from 16 April 2006 on whose spell still runs (about a
 *   quarter of those still on benefit at 12 months): a minority, but present.
 */
#ifndef SYNTH_H
#define SYNTH_H

#include <stdio.h>
#include <gsl/gsl_rng.h>

enum { WW = 0, WWB = 1 };
enum { H1 = 0, H2 = 1 };

/* ---------- parameters (params.c) ---------- */
struct param {
	const char *name;
	double value;
	const char *meaning;
};
void params_init(void);
double P(const char *name);                 /* dies (BUG) on an unknown name */
double *P_ptr(const char *name);            /* NULL on unknown name */
int params_set(const char *assign);         /* "name=value"; -1 on unknown name or bad value */
int params_load(const char *path);          /* name=value lines, '#' comments; -1 + message */
void params_print(FILE *fp);

/* ---------- model terms (shared by gen.c and truth.c) ---------- */
#define N_FIG2_TERMS 16   /* h1 models use the first 15; h2 models add h1_any_support */
extern const char *const fig2_terms[2][N_FIG2_TERMS];  /* as fit-models names them */
#define N_FORMS 7
enum { F_ADVICE, F_APPLYING, F_OWNBUS, F_PROGRAMME, F_TRAINING, F_PROBHELP, F_CONTACTS };
extern const char *const form_names[N_FORMS];            /* advice, help_applying, ... */
#define N_SEARCH_TERMS 7  /* intercept + the six indicators (problem help left out) */
extern const int search_forms[6];                        /* form index of each indicator */

/* ---------- survey items ---------- */
enum item {
	I_UITK_NU, I_EINDE_MAAND, I_WERK, I_ZOEKT, I_ZOEKUREN, I_SOLL, I_HULP_GEVR,
	I_PLICHT, I_GEZOND, I_PROB0, I_PROB1, I_PROB2, I_PROB3, I_PROB4,
	I_ADVIES, I_HULP_SOLL, I_EIGEN_BEDRIJF, I_TRAJECT, I_TRAINING, I_HULP_PROBL,
	I_CONTACTEN, I_BEGELEIDING, I_HUISHOUDEN, N_ITEMS
};
struct wave {
	int present;            /* the respondent returned this wave */
	int fill_date;
	int v[N_ITEMS];         /* raw answer codes; -1 = empty (not asked) */
};

/* ---------- a person ---------- */
enum { OBL_YES = 0, OBL_NO = 1, OBL_DK = 2 };
enum { WORK_NONE = 0, WORK_PARTLY = 1, WORK_FULLY = 2 };
enum { HO_NONE = 0, HO_CWI_ONLY = 1, HO_UWV_ONLY = 2, HO_BOTH = 3 };

struct person {
	long idx;               /* 0-based order of generation */
	int peildatum;          /* the extract date (copied from the world) */
	double t_years;         /* --span: years from --drift-ref to the application (0 without --span) */
	/* frame (drawn from the frame stream; identical in the counting pass) */
	int in_pop, benefit, phase, region, stratum;
	/* background */
	char bsn[10];           /* 9 digits, NUL */
	int app_date, decision_date, birth, age, age_class, male, origin, educ, office;
	int large, migrant;
	/* index spell and handover */
	int spell_start, spell_end, end_reason;  /* true end (DATE_NONE = none); censored on output */
	int on[3];              /* on benefit 3/6/12 m as derive-status computes it: 1/0/-1 missing */
	int cwi_ho_date, uwv_date, uwv_rows, ho_cat, ho_days;
	/* every registry row of this person, in the order they are emitted (R1 rows within a
	 * day keep this order: the index application comes before a same-day duplicate) */
	int n_apps, n_spells, n_uwv;
	struct app { int date, benefit, phase, decision /* 'T','A',0 */, decision_date, ho_date, office, educ; } apps_rows[8];
	struct spell { int benefit, start, end, reason; } spells[6];
	struct uwv { int date, fase; } uwv[3];
	int fill[3];            /* the day each wave would be filled in (all persons) */
	/* latent truth, per half-year where it has one */
	int poor[2], problem[2], asked[2], obl[3] /* w1, h1 (w2), h2 (w3) */, work[2];
	int sup[2], form[2][N_FORMS], looking[2], hours[2], apps[2];
	int w1_looking, w1_hours, w1_apps;     /* wave 1's own search answers (no model) */
	int household;
	/* sample and survey */
	int sampled;
	long respnr;
	double incl;            /* inclusion probability as written (parsed back) */
	char incl_str[32];      /* as written, decimal comma */
	struct wave w[3];
};

/* The person's measures as the pipeline derives them from the written answers (or, for
 * the population scope, from the latent truth): -1 = missing. */
struct derived {
	int resp[3];
	int poor[2], problem[2], asked[2], obl[2], work[2], looking[2], hours[2], apps[2];
	int w1_obl;
	int form[2][N_FORMS], any[2];
	int year_form[N_FORMS], year_prog_h2, year_any;
};

/* ---------- world: run-wide settings ---------- */
struct world {
	long persons, sample;
	unsigned long seed;
	double dirty;
	int peildatum;
	int survey;             /* 0 in calibration runs: no sample, no files */
	/* --span: applications spread over span_start..span_end (first and last day of the
	 * span's months), parameters drifting from drift_ref on, no survey; 0 = the study's
	 * window only (the world of the report, unchanged) */
	int span, span_start, span_end, drift_ref;
	const char *outdir;
	long n_strata_pop[16];  /* frame counts per stratum (population persons) */
	long n_strata_sample[16];
	double incl[16];
	char incl_str[16][32];
};

/* gen.c */
void gen_init(const struct world *w);
void frame_draw(gsl_rng *r, struct person *p);
void gen_person(const struct world *w, gsl_rng *r, gsl_rng *rs, struct person *p);
void gen_survey(const struct world *w, gsl_rng *rs, struct person *p);
extern const char *const stratum_names[16];   /* Windows-1252 bytes */
int stratum_of(const struct person *p);
double model_coef(int benefit, int half, int term);       /* fig2 */
double search_coef(int benefit, int half, int model, int term);  /* model 0 looking, 1 hours, 2 apps */

/* derive.c */
void derive_recorded(const struct person *p, struct derived *d);
void derive_true(const struct person *p, struct derived *d);

/* truth.c */
void truth_init(void);
void truth_add(const struct person *p, const struct derived *tr, const struct derived *rec);
int truth_write(const struct world *w, const char *path);
double truth_figure(const char *table, int benefit, const char *period, const char *population,
		    const char *row, int scope, long *n);
void truth_reset(void);
int truth_persons_open(const char *path);
void truth_persons_add(const struct person *p, const struct derived *rec, const unsigned char key[32]);
int truth_persons_close(void);

/* emit.c */
/* What the extract of the world's peildatum shows of a person's rows. emit_person writes
 * exactly this and cohorts.c counts it, so the cohort truth is the files' truth. Without
 * --span every generated row is written (as before); with --span rows dated after the
 * peildatum are not there yet, so extracts of one seed at later dates extend each other. */
int extract_has_app(const struct world *w, const struct app *a);
int extract_granted(const struct world *w, const struct app *a);     /* beslissing T written */
int extract_ho_date(const struct world *w, const struct app *a);     /* overdracht_datum or DATE_NONE */
int extract_has_spell(const struct world *w, const struct spell *s);
int extract_spell_end(const struct world *w, const struct spell *s); /* einddatum or DATE_NONE (running) */
int extract_has_uwv(const struct world *w, const struct uwv *u);
void extract_day_range(const struct world *w, int *first, int *last);  /* every emitted date lies here */
int emit_open(const struct world *w);
void emit_person(const struct world *w, const struct person *p, gsl_rng *rd);
int emit_close(const struct world *w);
extern const char *const dirty_kinds[];

/* cohorts.c - truth-cohorts.csv: the registry figures of every cohort, by the rule of
 * doc/cohorts.md, from what the extract shows (plus the true share on benefit, which only
 * the generator knows). The accumulators are per cohort month, kind and benefit: memory
 * depends on the span of dates, not on the number of persons. */
struct cohort_truth;
struct cohort_truth *cohort_truth_new(const struct world *w);
void cohort_truth_add(struct cohort_truth *ct, const struct world *w, const struct person *p);
int cohort_truth_write(const struct cohort_truth *ct, const struct world *w, const char *path);
void cohort_truth_free(struct cohort_truth *ct);

/* small helpers */
void fmt_dmy(int day, char *buf);          /* dd-mm-yyyy */
int months_index(int from, int to);         /* smallest m >= 1 with to <= from + m months */

#endif
