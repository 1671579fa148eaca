/* tabulate.h - the parts of tabulate and the data they pass to each other.
 *
 *   spec.c        reads the table spec (pipelines/eerste-jaar/tables.spec) into a struct tspec,
 *                 its conditions in cond.h's language (named populations included) lowered
 *                 to atoms, checking every column, value and condition against
 *                 person_support/1
 *   people.c      streams person_support/1 records into accumulators, one per cell
 *   estimate.c    the estimators: Wilson shares, normal means, the stratified linearised
 *                 (design-based) ratio estimator
 *   disclose.c    disclosure control: primary and secondary suppression, the audit loop,
 *                 rounding; audit.c the attacker's linear programs (GLPK)
 *   models.c      keeps fit-models' model_fit/1 and model_coef/1 rows and turns them into
 *                 the cells of fig2/fig5 (effects), table1 (symbols) and hours_contrast
 *   render_csv.c  the cells as table/1
 *   page.c        the one walk over the cells for both pages, whose layouts are tables of
 *                 callbacks: render_md.c the readable report, render_html.c the
 *                 self-contained page; words.c their wording and number formats
 *   changes.c     the section "Sinds het vorige rapport" / "Since the last report" of both
 *                 pages, from compare-runs' change/1 stream (--changes FILE)
 *
 * Flow (tabulate.c, on the filter driver): spec_load -> people_* over the person section,
 * models_* over the model sections -> people_cells + models_cells fill one struct tcells
 * (all cells, in spec order) -> disclose (suppression checked by the audit) -> the
 * renderings (render_csv, render_page). Everything lives until exit: the program is
 * short-lived and the cells are few (hundreds), so nothing here frees what it allocates.
 */
#ifndef KETEN_TABULATE_H
#define KETEN_TABULATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rec.h"

struct cond_names;
struct svy_domain;
struct tcal;

enum { LANG_NL = 0, LANG_EN = 1, NLANG = 2 };

/* ---- the spec ---------------------------------------------------------------------- */

/* A column of person_support/1 the spec refers to. Values are read once per record into
 * people.c's value array as doubles: bool 0/1, int/num as is, enum = index of the word in
 * the schema's list. */
struct tvar {
	char *name;
	const struct schema_field *f;
	int index;                  /* in the current section's header */
};

/* VAR in VALS (or, with neg, not in VALS); a missing value never matches either way. */
struct tatom {
	int var;
	int neg;
	double *vals;
	size_t nvals;
};

/* A condition of the spec (cond.h's language, names expanded) lowered to atoms. */
struct tcond {
	struct tatom *atoms;        /* all must hold */
	size_t n;
	char *text;                 /* as the pages show it: COL, COL=V|V, COL!=V|V joined by
				     * " & " ("" = none), whichever names wrote it */
};

enum tmeasure { MEAS_SHARE, MEAS_MEAN, MEAS_COUNT };

struct trow {
	char *id;                   /* table/1 row */
	enum tmeasure measure;
	int var;                    /* the measured column; -1 for count */
	struct tatom value;         /* share: the values that count as yes */
	struct tcond where;         /* who the row is about, within the panel */
	int dist;                   /* 1: a category of a `dist` (suppressed on its own count) */
	int link;                   /* complementary-suppression set in the panel; -1 none */
};

/* One block of a people table: a period and population, with its rows. */
struct tpanel {
	char *period;               /* h1, h2, year */
	char *population;           /* `all` or a bool column that must be 1 */
	struct tcond cond;          /* population and respondent condition */
	const char *respondents;    /* the respondents as the pages show them: cond's text ("" = none) */
	char *cond_src;             /* COND as written (tabulate --calibrated finds its set from it) */
	int cal_set;                /* --calibrated: the set whose weight it takes (tcal_assign) */
	struct trow *rows;
	size_t nrows;
	int nlinks;
};

/* A model a model-based table uses. */
struct tmodel {
	char *benefit, *period, *population, *name;
	char *outcome;              /* symbols: which outcome it models */
	int popvar;                 /* the population's bool column in vars; -1 (all, or not a column) */
};

enum tkind { KIND_PEOPLE, KIND_EFFECTS, KIND_SYMBOLS, KIND_CONTRASTS };

struct ttable {
	char *id;
	char *title[NLANG];
	char **notes[NLANG];
	size_t nnotes[NLANG];
	enum tkind kind;
	char **benefits;            /* people tables: ww, wwb or all */
	size_t nbenefits;
	int weighted;               /* `weights design` (people tables) */
	struct tpanel *panels;
	size_t npanels;
	struct tmodel *models;
	size_t nmodels;
	char **forms, **outcomes;   /* symbols */
	size_t nforms, noutcomes;
	int selected;               /* --tables, --variant */
	char *variant_of;           /* `variant BASE`: made instead of BASE with --variant */
	long line;
};

struct tlabel {
	char *key, *text;
};

struct tspec {
	char *path;
	struct cond_names *names;   /* the named populations (`populations FILE`, --populations) */
	struct ttable *tables;
	size_t ntables;
	struct tlabel *labels[NLANG];
	size_t nlabels[NLANG];
	struct tvar *vars;
	size_t nvars;
	int var_benefit;            /* index in vars of `benefit` */
};

/* Why spec_read refused a spec: the message die() prints as FILE:LINE: MSG (FILE NULL
 * and LINE 0 when unknown). FILE is spec_read's PATH or NULL. */
struct spec_error {
	const char *file;
	long line;
	char msg[512];
};
/* Read and check the spec at PATH; POPULATIONS (or NULL) stands for its `populations`
 * line. Returns 0 and the spec in *OUT (the caller's: spec_free), or -1 with the first
 * problem in *E and nothing left allocated. */
int spec_read(const char *path, const char *populations, struct tspec **out, struct spec_error *e);
/* spec_read, dying (exit 1) with PATH:LINE: problem on any error. */
struct tspec *spec_load(const char *path, const char *populations);
void spec_free(struct tspec *s);   /* accepts NULL */
/* The text of label KEY in LANG, or NULL. */
const char *spec_label(const struct tspec *s, int lang, const char *key);
/* Keep only the tables named in LIST (comma-separated ids). Returns 0, or -1 with the
 * usage error in err (an unknown id). */
int spec_select(struct tspec *s, const char *list, char *err, size_t errsz);
/* Make the variants in LIST (comma-separated ids of tables with a `variant` line) in their
 * base tables' place: a variant is selected when its base was, and the base is not.
 * Returns 0, or -1 with the usage error in err. */
int spec_variants(struct tspec *s, const char *list, char *err, size_t errsz);
/* Print the spec format (for --help). */
void spec_help(FILE *fp);

/* ---- options ------------------------------------------------------------------------- */

enum { WEIGHTS_DESIGN, WEIGHTS_NONE, WEIGHTS_BOTH };

enum { SECONDARY_AUDIT, SECONDARY_LINK };

struct topts {
	long min_n;                 /* --min-n */
	long protection;            /* --protection: narrowest interval a withheld count may keep */
	int audit;                  /* --audit (default) / --no-audit */
	int secondary;              /* --secondary audit|link */
	long round_base;            /* --round-base: counts shown as multiples of it (1 = exact) */
	double alpha;               /* --alpha */
	int weights;                /* --weights design|none|both (--unweighted = none) */
	int lang;                   /* --lang */
	const char *run_date;       /* --run-date, or NULL: the page names none */
	char *extract_dates;        /* --extract-dates: "KIND DATE, ..." as read, or NULL */
};

/* ---- cells --------------------------------------------------------------------------- */

/* One row of table/1, plus what the renderers need to lay it out. Strings point into the
 * spec or the model store (or are allocated) and live until exit. NaN = missing. */
struct tcell {
	const struct ttable *table;
	const char *benefit, *period, *population, *row, *measure;
	double est, lo, hi;
	long n;                     /* the people the figure is over (a share's denominator) */
	long count;                 /* the people it is about: a category's own count (dist) */
	int suppressed;             /* 1 primary, 2 complementary */
	int weighted;
	char symbol[8];
	char *method;
	/* layout */
	int panel;                  /* people: panel index; models: model index in the table */
	long panel_n;               /* people in the panel (unweighted) */
	const struct tpanel *tp;    /* people cells: their panel */
	const struct trow *tr;      /* people cells: their row */
	int link;                   /* complementary-suppression set (people) */
	size_t slot;                /* people: which (table, benefit, panel) block */
	/* disclosure control (disclose.c): the sets of people.c this cell's counts are about */
	int set_n;                  /* people: the people its n counts */
	int set_k;                  /* people: the people with a yes (dist, unweighted 0/1 rows); -1 */
	int set_panel;              /* people: the people of its block ("n = ..." of the block) */
	int k_shown;                /* its estimate gives the yes-count away (unweighted share) */
	int panel_hidden;           /* people: the block's "n = ..." is withheld */
	const struct mfit *fit;     /* model cells: their model (NULL for people and symbols) */
};

struct tcells {
	struct tcell *v;
	size_t n, cap;
};

struct tcell *cells_add(struct tcells *c);

/* ---- people ---------------------------------------------------------------------------- */

struct people;
/* CAL: tabulate --calibrated's spec (NULL: design weights); each weighted panel's set is
 * then its cal_set (tcal_assign). */
struct people *people_new(const struct tspec *s, const struct topts *o, struct tcal *cal);
/* A new person_support/1 section began: look up the columns. Returns 0, or -1 with the
 * refusal in the reader (a column its schema lacks). */
int people_section(struct people *p, struct rec_reader *r);
/* One record: read the columns the spec uses (typed getters), add the person to every cell
 * it belongs to. Returns 0, or -1 with the refusal in the reader. */
int people_record(struct people *p, struct rec_reader *r);
long people_count(const struct people *p);       /* records read */
/* Append the people tables' cells (estimates, intervals; suppression not yet applied). */
void people_cells(struct people *p, struct tcells *out);

/* The people behind every count a table can show, for the audit. Each person belongs to a
 * fixed list of sets (a block's people, a row's n, a row's yes-count, a model population:
 * the set indexes in struct tcell and people_model_set); people with the same list of sets
 * form one atom, kept as its list (sig, words bits a set) and its number of people. Every
 * published count is then a sum of atom counts, which is all an attacker who knows how the
 * tables are defined can use. Atoms are few (the combinations of the spec's conditions
 * the data holds), whatever the number of people. */
struct tatoms {
	size_t nsets;               /* sets (bits) */
	size_t words;               /* uint64_t words a signature */
	size_t n;                   /* atoms */
	const uint64_t *sig;        /* n * words */
	const long *count;          /* people an atom; 0 for a phantom (people_phantom) */
};
void people_atoms(const struct people *p, struct tatoms *out);
/* An empty set has no atom, so every count built on it would look fixed at 0 to the LP,
 * as if an attacker knew it was empty. Add one atom (0 people) for a person who could be
 * in SET: a real person with SET's conditions made to hold, chosen to break the fewest
 * containments between sets the data shows (12 months within 6 months, respondents within
 * the sample) and then to need the fewest changes. Returns 0, or -1 when nobody can be in
 * SET (contradictory conditions). */
int people_phantom(struct people *p, int set);
/* The set of the people a model of a model table is about (its benefit and population
 * column = 1): the model's n counts some of them. -1 for a model of an unselected table. */
int people_model_set(const struct people *p, const struct tmodel *m);

/* ---- estimators (estimate.c) ----------------------------------------------------------- */

/* Sums of one stratum for the linearised ratio estimator: d = domain weight w (0 outside
 * the domain), y the value: sd = sum w, sy = sum w y, qdd = sum w^2, qyd = sum w^2 y,
 * qyy = sum w^2 y^2. */
struct tstrat {
	double sd, sy, qdd, qyd, qyy;
};

/* Everything a cell needs, accumulated one person at a time (no person is kept). */
struct tacc {
	long n;                     /* people in the cell's denominator */
	double k;                   /* share: people with a yes */
	double mean, m2;            /* running mean and sum of squared deviations (Welford) */
	struct tstrat *st;          /* per stratum, indexed by people.c's stratum number */
	size_t nst;
	uint64_t methods;           /* bit i: support_method value i seen */
	/* calibrated (calibrated.c): the domain of the totals (w y, w), and sum w, sum w y */
	struct svy_domain *dom;
	double csw, cswy;
};

extern const double tab_z;      /* qnorm(0.975) */

void acc_add(struct tacc *a, double y);
void acc_add_weighted(struct tacc *a, double y, size_t stratum, double w);
/* Wilson score interval for k yes out of n. */
void est_wilson(double k, long n, double *est, double *lo, double *hi);
/* Mean with a normal interval (sd with n-1). */
void est_mean(const struct tacc *a, double *est, double *lo, double *hi);
/* The design-based ratio estimate sum w y / sum w over the domain and its linearised
 * standard error: stratified, one person per PSU, no fpc; nh[s] = people in the sample in
 * stratum s (the whole design, so a domain keeps the full design's strata, as R's
 * survey::subset does). A stratum with one PSU contributes nothing. Returns 0, -1 when the
 * domain is empty. */
int est_design(const struct tacc *a, const long *nh, size_t nstrata, double *est, double *se);

/* ---- calibrated weights (calibrated.c) -------------------------------------------------- */
struct tcal;
/* Load the calibration spec PATH (calspec.h). Returns NULL with the usage error in err. */
struct tcal *tcal_load(const char *path, char *err, size_t errsz);
/* The set whose calibrated weight each weighted panel of a selected people table takes
 * (panel.cal_set; the sets' designs are made here). Returns 0, or -1 with "SPEC:LINE: table
 * T, panel ...: problem" in err (no set, or two as specific). */
int tcal_assign(struct tcal *c, struct tspec *s, char *err, size_t errsz);
const char *tcal_column(const struct tcal *c, int set);   /* the set's weight column */
/* A person section: the weight columns, the design weight, the margins' variables and the
 * method tag must be there. Returns 0, or -1 with the refusal in the reader. */
int tcal_section(struct tcal *c, struct rec_reader *r);
/* One record of a person in stratum STRATUM (people.c's code) when in the sample: added to
 * the design of every used set it has a calibrated weight for. Returns 0, or -1. */
int tcal_record(struct tcal *c, struct rec_reader *r, size_t stratum);
int tcal_has(const struct tcal *c, int set);   /* the current person is in set SET */
/* The current person, value y, into cell accumulator A of a panel calibrated by SET. */
void tcal_add(struct tcal *c, int set, struct tacc *a, double y);
/* After the last record. Returns 0, or -1 with the problem in err. */
int tcal_finish(struct tcal *c, char *err, size_t errsz);
/* A calibrated cell's ratio sum w y / sum w and its linearised standard error after
 * calibration (NaN when the cell is empty). Returns 0, or -1 with the problem in err. */
int tcal_estimate(const struct tacc *a, double *est, double *se, char *err, size_t errsz);
/* ---- disclosure control (disclose.c, audit.c) ------------------------------------------ */

struct models;

/* Suppress, check and round, in place (see disclose.c): primary suppression (a count on
 * fewer than --min-n people), complementary suppression within the spec's link sets, then
 * (--audit) the audit of every withheld count against every published count, suppressing
 * further cells until each withheld count keeps an interval at least --protection wide
 * (--secondary audit) or failing the run (exit 1) when one does not (--secondary link);
 * finally the estimates of suppressed cells are blanked and counts rounded (--round-base).
 * Writes one summary line to stderr when anything was withheld. */
void disclose(struct tcells *c, struct people *p, const struct models *m, const struct topts *o);
/* A count as published: rounded to a multiple of --round-base (halves up). */
long shown_count(const struct topts *o, long n);

/* The attacker's view (audit.c): a linear program whose columns are the atoms (and one per
 * model n) and whose rows are the published counts, each a sum of atoms (or a model n,
 * which is at most its population's count). audit_range gives the smallest and largest
 * value a withheld count can take (+inf when nothing bounds it) and marks, in binding[],
 * the published quantities whose rows limit it (non-zero dual values). */
struct aquant {
	int set;                    /* people.c set, or -1 for a model's n */
	int bound_set;              /* a model's n: the set it is part of (-1 none) */
	int published;
	double lo, hi;              /* published: what the figures say (lo = hi unless rounded) */
};
struct audit;
struct audit *audit_build(const struct tatoms *a, const struct aquant *q, size_t nq);
int audit_range(struct audit *x, size_t target, double *lo, double *hi, unsigned char *binding);
void audit_free(struct audit *x);

/* ---- models (models.c) ----------------------------------------------------------------- */

struct mcoef {
	char *term;
	int aliased;
	double estimate, se, p, ci_low, ci_high, ame, ame_se;
};

struct mfit {
	char *name, *family, *outcome, *weights, *variance, *status, *warnings, *spec_hash;
	long n;
	struct mcoef *coefs;
	size_t ncoefs, capcoefs;
};

struct models;
struct models *models_new(void);
/* The model sections, as the driver hands them over: 0, or -1 with the refusal in the
 * reader. */
int models_fit_section(struct models *m, struct rec_reader *r);
int models_fit_record(struct models *m, struct rec_reader *r);
int models_coef_section(struct models *m, struct rec_reader *r);
int models_coef_record(struct models *m, struct rec_reader *r);
const struct mfit *models_find(const struct models *m, const char *name);
/* Check that every model the selected tables use is there (dies otherwise), then append
 * the model tables' cells, in spec order. */
void models_cells(const struct models *m, const struct tspec *s, const struct topts *o,
		  struct tcells *out);
/* The row id a term shows as: the model's own half-year prefix (h1_/h2_) dropped. */
const char *model_term_row(const char *term, const char *period);

/* ---- renderers ------------------------------------------------------------------------- */

struct tchanges;

struct tctx {
	const struct tspec *spec;
	const struct topts *opts;
	const struct models *models;
	const struct tcells *cells;
	const struct tchanges *changes;   /* --changes (changes.c), or NULL: no such section */
};

/* table/1 to PATH (NULL = stdout): 0, or -1 when it could not be written (message printed). */
int render_csv(const struct tctx *x, const char *path);
/* table_labelled/1 as plain CSV (header first, no #schema line) to PATH: 0 or -1, as above. */
int render_plain(const struct tctx *x, const char *path);

/* The pages. page.c walks the cells once for both and decides what a page shows; a page
 * (render_md.c: the readable report, render_html.c: one self-contained page with SVG bars)
 * is a table of callbacks that lay out what they are handed. Views handed to a callback
 * live for that call. */

/* Writes S escaped as the page's text (Markdown, HTML). */
typedef void (*page_text_fn)(FILE *fp, const char *s);

/* A row of a block: a figure, its label, and its bar's scale. */
struct page_row {
	const struct tcell *cell;   /* people, contrasts: the cell; effects: the AME (ame) */
	const struct tcell *rel;    /* effects: the relative effect (ame_scaled); else NULL */
	char label[512];
	double scale;               /* the value a full bar stands for (1 for shares) */
	int sig;                    /* effects: the AME's 95 % interval excludes 0 (page_sig) */
	int series;                 /* grouped chart: which half-year (its colour), in order of
				     * first appearance */
};

/* A block: people - one panel of one benefit (its cells of one slot), or the whole table
 * as one chart (chart; a page with charts, when every block has the same single row);
 * effects - one model, its terms as rows, nsig of them significant; contrasts - the
 * whole table. */
struct page_block {
	const struct ttable *t;
	const struct tcell *first;  /* benefit, period, population, n of the block */
	int chart;
	int dben;                   /* chart: the blocks differ in benefit */
	int grouped;                /* chart: the blocks differ in period - drawn as columns
				     * grouped per row, one colour a period (fig1, fig4) */
	struct page_row *rows;
	size_t nrows;
	int nsig;
};

/* table1: the symbols per form (rows, t->forms) and benefit (columns), and behind them
 * each model's AME and p. */
#define MAX_SYMBOL_BENEFITS 8
struct page_behind {
	const char *benefit, *form, *outcome, *period;   /* labelled (form: the row before
							  * ':', outcome: after it) */
	char est[64], ci[96], p[64], n[32];              /* the AME, its interval, p and n as
							  * shown ("x" when suppressed) */
	int significant;                                 /* the AME's interval excludes 0 */
	char form_id[128];
};
struct page_symbols {
	const struct ttable *t;
	const char *benefits[MAX_SYMBOL_BENEFITS];
	size_t nbenefits;
	const char *(*grid)[MAX_SYMBOL_BENEFITS];   /* per form: the symbol per benefit */
	struct page_behind *behind;
	size_t nbehind;
};

/* The section on what changed since the last report (changes.c): the tables whose method
 * tag changed, the counts, and the cells that moved beyond their interval, as shown. */
struct page_change_method {
	const char *table, *id;     /* title and id */
	const char *old_method, *new_method;
	long cells;
};
struct page_change_row {
	const char *table, *id;     /* title and id */
	char cell[512];             /* row · benefit · period · population, labelled */
	char old[160], now[160];    /* estimate (interval) as shown, in the last and this report */
	char z[32];
};
struct page_changes {
	const struct page_change_method *methods;
	size_t nmethods;
	size_t moved, beyond;       /* cells under an unchanged method: moved (within, beyond,
				     * changed), of them beyond their interval */
	size_t method_cells;        /* cells under a changed method, counted apart */
	const struct page_change_row *rows;   /* the cells beyond, in the new run's order */
	size_t nrows;
};

struct page_format {
	int charts;                 /* draws a table of single-row blocks as one chart */
	void (*begin)(const struct tctx *x, FILE *fp);
	/* the section on the changes, after begin (NULL: the format has none) */
	void (*changes)(const struct tctx *x, FILE *fp, const struct page_changes *c);
	void (*table_begin)(const struct tctx *x, FILE *fp, const struct ttable *t, int empty);
	void (*block)(const struct tctx *x, FILE *fp, const struct page_block *b);
	void (*symbols)(const struct tctx *x, FILE *fp, const struct page_symbols *s);
	void (*failed)(const struct tctx *x, FILE *fp, const struct mfit *f);   /* a failed model */
	void (*note)(const struct tctx *x, FILE *fp, size_t k, const char *text);  /* footnote k */
	void (*table_end)(const struct tctx *x, FILE *fp, const struct ttable *t, const char *method);
	/* the appendix, after the last table: a table's technical tags (tech_line); first: the
	 * appendix's first entry */
	void (*tech)(const struct tctx *x, FILE *fp, const struct ttable *t, const char *tags, int first);
	void (*end)(const struct tctx *x, FILE *fp);
};

extern const struct page_format page_md, page_html;

/* Walk the selected tables' cells, handing the pieces to PF. */
/* An effect is significant as the pages show it when the 95 % interval of its AME cell C -
 * the quantity drawn, with that interval beside it - excludes 0; bars and marks follow
 * this, so they never disagree with the interval shown. (table/1's symbol and table1's
 * grid keep the coefficient's test at --alpha, as the report defines them.) */
int page_sig(const struct tcell *c);
/* The page's opening line: what made it (the spec's file name, never a path), the run
 * date (--run-date) and the extract dates (--extract-dates), through TEXT. */
void page_header(const struct tctx *x, FILE *fp, page_text_fn text);
void render_page(const struct tctx *x, FILE *fp, const struct page_format *pf);
/* A block's heading ("benefit · period · population"; a chart: its row and benefit) and
 * population line ("Population: ...; respondents: ...; n = ..."), through TEXT. */
void page_heading(const struct tctx *x, FILE *fp, const struct page_block *b, page_text_fn text);
void page_population(const struct tctx *x, FILE *fp, const struct page_block *b, page_text_fn text);

/* --changes (changes.c): read FILE (change/1) whole - NULL when it cannot be read (message
 * printed); check it against this run's cells after disclosure control - 0, or -1 with
 * the first disagreement printed (FILE:LINE: FIELD: problem); hand the section to PF
 * (render_page calls it after the page's begin). */
struct tchanges *changes_load(const char *path);
/* --previous (changes.c): the last published run's table/1 stream PREVIOUS against this
 * run's, CURRENT (the --csv file just written), compared as compare-runs compares them
 * (runcmp.h, its default levels) - the same records, without the stream. NULL after a
 * message. */
struct tchanges *changes_compare(const char *previous, const char *current);
int changes_check(const struct tchanges *ch, const struct tctx *x);
void changes_page(const struct tctx *x, FILE *fp, const struct page_format *pf);
/* The section's layout on each page. */
void changes_md(const struct tctx *x, FILE *fp, const struct page_changes *c);
void changes_html(const struct tctx *x, FILE *fp, const struct page_changes *c);

/* Wording and numbers (words.c). */
/* The spec as the pages name it: its file name, not the path it was read from (a page
 * must not tell where the checkout or the installation lives, issue 19). */
const char *spec_name(const struct tctx *x);
const char *tr_label(const struct tctx *x, const char *key);        /* label or key */
/* A cell's row label: the label of TABLE/ROW if the spec has one, else of ROW. */
const char *tr_row(const struct tctx *x, const struct tcell *c);
const char *tr_ui(const struct tctx *x, const char *key);           /* fixed UI words */
/* A UI text with its "{}" replaced by ARG. */
void tr_fill(const struct tctx *x, const char *key, const char *arg, char *buf, size_t sz);
void fmt_num(const struct tctx *x, char *buf, size_t sz, double v, int decimals);
/* "95,1 %" / "7,7" / "0.123": a cell's estimate as the pages show it ("x" suppressed). */
void fmt_est(const struct tctx *x, char *buf, size_t sz, const struct tcell *c, double v);
/* "93,2-96,5" (or "" when missing or suppressed). */
void fmt_ci(const struct tctx *x, char *buf, size_t sz, const struct tcell *c);
/* A count as a page shows it: "x" when withheld, else the number (already rounded). */
const char *fmt_count(char *buf, size_t sz, long n, int withheld);
/* Is the n of model F withheld (its cells suppressed)? */
int model_withheld(const struct tctx *x, const struct mfit *f);
/* F's warnings as a page shows them: without numbers when its n is withheld. */
const char *fmt_warnings(const struct tctx *x, const struct mfit *f, char *buf, size_t sz);
/* The method line of a table in plain words (weighting, interval, what a bar and a mark
 * mean, suppression); its technical tags (the conditions as written, support_method,
 * the models with their spec_hash) go to the appendix: tech_line. */
void method_line(const struct tctx *x, const struct ttable *t, char *buf, size_t sz);
void tech_line(const struct tctx *x, const struct ttable *t, char *buf, size_t sz);
/* Who answered, in the page's words: the labels of the condition's parts joined by "and"
 * (the condition as written when a part has no label). */
void plain_respondents(const struct tctx *x, const char *cond, char *buf, size_t sz);

#endif
