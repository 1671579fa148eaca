/* gen.c - one person of the synthetic world.
 *
 * Order of generation, and why: the frame (population, benefit, fase, region) comes from a
 * stream of its own with a fixed number of draws, so a cheap first pass can count the
 * strata and the sample can be drawn with exact inclusion probabilities n_h / N_h. Then the
 * background, the latent survey truth, the registry, in causal order: health and problems
 * shape the spell; the spell shapes work at the wave dates; support is drawn from a logit
 * on exactly the derived covariates the pipeline computes (so a fitted logit recovers the
 * coefficients), forms given support, search on the six support indicators with linear
 * E[hours | x] and log-linear E[applications | x] (so table1's linear and negbin fits are
 * correctly specified). The handover is drawn after H2 support, conditional on it and on
 * the fase: that gives "without UWV information about half still get help" without
 * putting a term into the support model that fit-models does not fit.
 * Survey answers (gen_survey) use the survey stream only, so the population and the truth
 * do not depend on --sample.
 */
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "datecalc.h"
#include "diag.h"
#include "synth.h"

const char *const fig2_terms[2][N_FIG2_TERMS] = {
	{ "(Intercept)", "age_class:under_25", "age_class:25_34", "age_class:45_54",
	  "age_class:55_plus", "large_distance", "migrant", "sex:male",
	  "h1_work_resumed:partly", "h1_work_resumed:fully", "h1_asked_help",
	  "h1_obligation:yes", "h1_obligation:dont_know", "h1_poor_health",
	  "h1_nonwork_problem", NULL },
	{ "(Intercept)", "age_class:under_25", "age_class:25_34", "age_class:45_54",
	  "age_class:55_plus", "large_distance", "migrant", "sex:male",
	  "h2_work_resumed:partly", "h2_work_resumed:fully", "h2_asked_help",
	  "h2_obligation:yes", "h2_obligation:dont_know", "h2_poor_health",
	  "h2_nonwork_problem", "h1_any_support" },
};
const char *const form_names[N_FORMS] = {
	"advice", "help_applying", "own_business", "programme", "training", "problem_help", "contacts"
};
const int search_forms[6] = { F_ADVICE, F_APPLYING, F_OWNBUS, F_PROGRAMME, F_TRAINING, F_CONTACTS };

/* Windows-1252 bytes: 0xE2 is the a-circumflex of Fryslan. */
const char *const stratum_names[16] = {
	"Frysl\xe2n WW fase 1-2", "Frysl\xe2n WW fase 3-4", "Frysl\xe2n WWB fase 1-2", "Frysl\xe2n WWB fase 3-4",
	"Noord-Oost WW fase 1-2", "Noord-Oost WW fase 3-4", "Noord-Oost WWB fase 1-2", "Noord-Oost WWB fase 3-4",
	"Randstad WW fase 1-2", "Randstad WW fase 3-4", "Randstad WWB fase 1-2", "Randstad WWB fase 3-4",
	"Zuid WW fase 1-2", "Zuid WW fase 3-4", "Zuid WWB fase 1-2", "Zuid WWB fase 3-4",
};

/* Parameters resolved once (P() looks names up in a table). */
static struct {
	double nonpop, wwb, fase[2][3], region[3];
	double age[2][4], male[2], west[2], nonwest[2], nonwest_large, educ[2][3], educ_unknown;
	double refused_before, pending, outside, second, sameday, overlap;
	double dur_scale[2], dur_shape[2], dur_large[2], dur_age55, dur_poor, ww_short;
	double end_work[2], wwb_end_ent, delay[2];
	double after_work_fully, after_other_fully, after_other_partly, running_partly[2];
	double poor_b0[2], poor_45, poor_55, poor_large, poor_h2[2], poor_w1_reports;
	double prob_b0[2], prob_poor, prob_large, prob_h2[2], prob_item[5];
	double asked[2], asked_h2[2];
	double obl_b0[2], obl_large, obl_poor, obl_55, obl_dk, obl_same;
	double sup[2][2][N_FIG2_TERMS];
	double q[2][2][N_FORMS], q_prog_if_h1;
	double srch[2][2][3][N_SEARCH_TERMS];
	double hours_size, apps_size, w1_looking[2], contacts_mean;
	double ho_u_b0, ho_u_phase, ho_u_sup, ho_c_b0, ho_c_phase, ho_c_u;
	double ho_shape, ho_scale, ho_uwv_only, ho_dup, ho_fase_differs, ho_fase_missing, wwb_ho;
	double r1_b0, r2_w1, r2_now1, r3_b0, r_age10, r_migrant, r_poor;
	double dk, na;
	double inflow_trend, inflow_season, drift_ho_u, drift_ho_c, drift_dur;   /* --span only */
	unsigned long bsn_a, bsn_b;
	unsigned long bsn_j;
} G;

static const char *const bname[2] = { "ww", "wwb" };
static const char *const hname[2] = { "h1", "h2" };
static const char *const search_model[3] = { "looking", "hours", "apps" };

static double Pb(int b, const char *rest)
{
	char name[256];

	snprintf(name, sizeof name, "%s.%s", bname[b], rest);
	return P(name);
}

double model_coef(int b, int h, int t)
{
	return G.sup[b][h][t];
}

double search_coef(int b, int h, int m, int t)
{
	return G.srch[b][h][m][t];
}

static double logistic(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

static double hours_mean(int b, int h, const int x[6], double *p_look)
{
	double lin_l = G.srch[b][h][0][0], lin_h = G.srch[b][h][1][0];

	for (int k = 0; k < 6; k++) {
		lin_l += G.srch[b][h][0][k + 1] * x[k];
		lin_h += G.srch[b][h][1][k + 1] * x[k];
	}
	*p_look = logistic(lin_l);
	return lin_h;
}

/* The drift.* parameters (used with --span only), checked: a rate or scale that would go
 * negative somewhere in time is a usage error. */
static void drift_init(void)
{
	G.inflow_trend = P("drift.inflow.per_year");
	G.inflow_season = P("drift.inflow.season");
	G.drift_ho_u = P("drift.ho.uwv_missing.per_year");
	G.drift_ho_c = P("drift.ho.cwi_missing.per_year");
	G.drift_dur = P("drift.dur.scale.per_year");
	if (!(G.inflow_trend > -1) || !(fabs(G.inflow_season) < 1) || !(G.drift_dur > 0))
		die(EXIT_USAGE, NULL, 0, NULL, "parameters give a negative inflow or duration scale: "
		    "drift.inflow.per_year must be above -1, drift.inflow.season between -1 and 1, "
		    "drift.dur.scale.per_year above 0");
}

/* The parameters of benefit B (ww., wwb.): frame, background, spell, health, search. */
static void init_benefit_params(int b)
{
	char name[120];

	for (int k = 0; k < 3; k++) {
		snprintf(name, sizeof name, "fase%d", k + 1);
		G.fase[b][k] = Pb(b, name);
	}
	G.age[b][0] = Pb(b, "age.under_25");
	G.age[b][1] = Pb(b, "age.25_34");
	G.age[b][2] = Pb(b, "age.35_44");
	G.age[b][3] = Pb(b, "age.45_54");
	G.male[b] = Pb(b, "male");
	G.west[b] = Pb(b, "origin.western");
	G.nonwest[b] = Pb(b, "origin.non_western");
	G.educ[b][0] = Pb(b, "educ.1");
	G.educ[b][1] = Pb(b, "educ.2");
	G.educ[b][2] = Pb(b, "educ.3");
	G.dur_scale[b] = Pb(b, "dur.scale");
	G.dur_shape[b] = Pb(b, "dur.shape");
	G.dur_large[b] = Pb(b, "dur.large");
	G.end_work[b] = Pb(b, "end.work");
	G.delay[b] = Pb(b, "spell.delay");
	G.running_partly[b] = Pb(b, "work.running.partly");
	G.poor_b0[b] = Pb(b, "poor_health.b0");
	G.prob_b0[b] = Pb(b, "problem.b0");
	G.asked[b] = Pb(b, "asked_help");
	G.obl_b0[b] = Pb(b, "obligation.no.b0");
	G.w1_looking[b] = Pb(b, "w1.looking");
}

/* The models of benefit B in half-year H: support (fig2's terms), the forms given
 * support, and search (looking, hours, applications on the six indicators). */
static void init_model_params(int b, int h)
{
	char name[120];

	for (int t = 0; t < N_FIG2_TERMS; t++) {
		if (!fig2_terms[h][t])
			continue;
		snprintf(name, sizeof name, "%s.%s.support.%s", bname[b], hname[h], fig2_terms[h][t]);
		G.sup[b][h][t] = P(name);
	}
	for (int f = 0; f < N_FORMS; f++) {
		snprintf(name, sizeof name, "%s.%s.q.%s", bname[b], hname[h], form_names[f]);
		G.q[b][h][f] = P(name);
	}
	for (int m = 0; m < 3; m++)
		for (int t = 0; t < N_SEARCH_TERMS; t++) {
			if (t == 0)
				snprintf(name, sizeof name, "%s.%s.%s.(Intercept)", bname[b], hname[h], search_model[m]);
			else
				snprintf(name, sizeof name, "%s.%s.%s.%s_%s", bname[b], hname[h], search_model[m],
					 hname[h], form_names[search_forms[t - 1]]);
			G.srch[b][h][m][t] = P(name);
		}
}

/* E[hours | x] / P(looking | x) is the mean among those looking: it must be at least 1
 * hour for every pattern of the six indicators (a usage error otherwise). */
static void check_search_hours(int b, int h)
{
	for (int pat = 0; pat < 64; pat++) {
		int x[6];
		double pl, e;

		for (int k = 0; k < 6; k++)
			x[k] = (pat >> k) & 1;
		e = hours_mean(b, h, x, &pl);
		if (e / pl < 1.0)
			die(EXIT_USAGE, NULL, 0, NULL, "parameters give %s %s mean search hours %.3g "
			    "among those looking below 1 for support pattern %d", bname[b], hname[h], e / pl, pat);
	}
}

/* The parameters both benefits share, resolved in this order. */
static void init_shared_params(void)
{
	static const struct { double *at; const char *name; } shared[] = {
		/* background, applications, spells, work */
		{ &G.nonwest_large, "origin.non_western_large" },
		{ &G.educ_unknown, "educ.unknown" },
		{ &G.region[0], "region.fryslan" },
		{ &G.region[1], "region.noordoost" },
		{ &G.region[2], "region.randstad" },
		{ &G.refused_before, "app.refused_before" },
		{ &G.pending, "app.pending" },
		{ &G.outside, "app.outside" },
		{ &G.second, "app.second" },
		{ &G.sameday, "app.sameday" },
		{ &G.overlap, "spell.overlap" },
		{ &G.dur_age55, "dur.age55" },
		{ &G.dur_poor, "dur.poor_health" },
		{ &G.ww_short, "ww.dur.short" },
		{ &G.wwb_end_ent, "wwb.end.entitlement" },
		{ &G.after_work_fully, "work.after_work.fully" },
		{ &G.after_other_fully, "work.after_other.fully" },
		{ &G.after_other_partly, "work.after_other.partly" },
		/* health, problems, asking for help, obligation, search */
		{ &G.poor_45, "poor_health.age45" },
		{ &G.poor_55, "poor_health.age55" },
		{ &G.poor_large, "poor_health.large" },
		{ &G.poor_h2[1], "poor_health.h2_if_h1" },
		{ &G.poor_h2[0], "poor_health.h2_if_not" },
		{ &G.poor_w1_reports, "poor_health.w1_reports" },
		{ &G.prob_poor, "problem.poor_health" },
		{ &G.prob_large, "problem.large" },
		{ &G.prob_h2[1], "problem.h2_if_h1" },
		{ &G.prob_h2[0], "problem.h2_if_not" },
		{ &G.prob_item[0], "problem.item.health" },
		{ &G.prob_item[1], "problem.item.addiction" },
		{ &G.prob_item[2], "problem.item.debt" },
		{ &G.prob_item[3], "problem.item.care" },
		{ &G.prob_item[4], "problem.item.housing" },
		{ &G.asked_h2[1], "asked_help.h2_if_h1" },
		{ &G.asked_h2[0], "asked_help.h2_if_not" },
		{ &G.obl_large, "obligation.no.large" },
		{ &G.obl_poor, "obligation.no.poor_health" },
		{ &G.obl_55, "obligation.no.age55" },
		{ &G.obl_dk, "obligation.dont_know" },
		{ &G.obl_same, "obligation.h2_same" },
		{ &G.q_prog_if_h1, "h2.q.programme_if_h1" },
		{ &G.hours_size, "search.hours.size" },
		{ &G.apps_size, "search.apps.size" },
		{ &G.contacts_mean, "contacts.mean" },
		/* the handover (CWI, UWV), the survey's response and item non-response */
		{ &G.ho_u_b0, "ho.uwv_missing.b0" },
		{ &G.ho_u_phase, "ho.uwv_missing.phase" },
		{ &G.ho_u_sup, "ho.uwv_missing.h2_support" },
		{ &G.ho_c_b0, "ho.cwi_missing.b0" },
		{ &G.ho_c_phase, "ho.cwi_missing.phase" },
		{ &G.ho_c_u, "ho.cwi_missing.uwv_missing" },
		{ &G.ho_shape, "ho.days.shape" },
		{ &G.ho_scale, "ho.days.scale" },
		{ &G.ho_uwv_only, "ho.uwv_only.days" },
		{ &G.ho_dup, "ho.uwv_duplicate" },
		{ &G.ho_fase_differs, "ho.fase_uwv.differs" },
		{ &G.ho_fase_missing, "ho.fase_uwv.missing" },
		{ &G.wwb_ho, "wwb.cwi_handover" },
		{ &G.r1_b0, "resp.w1.b0" },
		{ &G.r2_w1, "resp.w2.after_w1" },
		{ &G.r2_now1, "resp.w2.no_w1" },
		{ &G.r3_b0, "resp.w3.b0" },
		{ &G.r_age10, "resp.age10" },
		{ &G.r_migrant, "resp.migrant" },
		{ &G.r_poor, "resp.poor_health" },
		{ &G.dk, "item.dont_know" },
		{ &G.na, "item.no_answer" },
	};

	for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
		*shared[i].at = P(shared[i].name);
}

/* Resolve every parameter once, in this order (a missing one is named by P). */
void gen_init(const struct world *w)
{
	G.nonpop = P("frame.nonpop");
	G.wwb = P("frame.wwb");
	for (int b = 0; b < 2; b++) {
		init_benefit_params(b);
		for (int h = 0; h < 2; h++) {
			init_model_params(b, h);
			check_search_hours(b, h);
		}
	}
	init_shared_params();
	drift_init();
	/* BSNs: the j-th valid 8-digit prefix of the permutation j -> (a j + b) mod 10^8 (a odd
	 * and not a multiple of 5, so a bijection): unique without remembering any */
	G.bsn_a = 73939133UL;
	G.bsn_b = (w->seed * 2654435761UL + 12345UL) % 100000000UL;
	G.bsn_j = 0;
}

/* ---------- small draws ---------- */
static int bern(gsl_rng *r, double p)
{
	return gsl_rng_uniform(r) < p;
}

static int pick(gsl_rng *r, const double *p, int n)   /* n-1 probabilities, last = rest */
{
	double u = gsl_rng_uniform(r), c = 0;

	for (int k = 0; k < n - 1; k++) {
		c += p[k];
		if (u < c)
			return k;
	}
	return n - 1;
}

static int uint_in(gsl_rng *r, int lo, int hi)   /* lo..hi inclusive */
{
	return lo + (int)gsl_rng_uniform_int(r, (unsigned long)(hi - lo + 1));
}

static int negbin(gsl_rng *r, double mean, double size)
{
	if (mean <= 0)
		return 0;
	return (int)gsl_ran_negative_binomial(r, size / (size + mean), size);
}

static int weekday_in(gsl_rng *r, int lo, int hi)
{
	int d;

	do
		d = uint_in(r, lo, hi);
	while ((d + 3) % 7 >= 5);     /* 1970-01-01 was a Thursday: 0 = Monday */
	return d;
}

/* ---------- --span: when people apply, and the drift of the parameters ---------- */
static double years_from_ref(const struct world *w, int day)
{
	return w->span ? (double)(day - w->drift_ref) / 365.25 : 0.0;
}

/* Relative inflow on a day: a trend of drift.inflow.per_year and a season that peaks on
 * 1 January (the unemployed of the winter) and bottoms out in July. */
static double inflow_weight(const struct world *w, int day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return pow(1.0 + G.inflow_trend, years_from_ref(w, day)) *
		(1.0 + G.inflow_season * cos(2.0 * M_PI * (double)(day - date_from_ymd(y, 1, 1)) / 365.25));
}

/* An application day of the span, by rejection from the weekdays: the bound is the trend's
 * larger end times the season's peak. */
static int inflow_day(const struct world *w, gsl_rng *r)
{
	double top = fmax(pow(1.0 + G.inflow_trend, years_from_ref(w, w->span_start)),
			  pow(1.0 + G.inflow_trend, years_from_ref(w, w->span_end))) * (1.0 + fabs(G.inflow_season));

	for (;;) {
		int day = weekday_in(r, w->span_start, w->span_end);

		if (gsl_rng_uniform(r) * top < inflow_weight(w, day))
			return day;
	}
}

void fmt_dmy(int day, char *buf)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	buf[0] = (char)('0' + d / 10);
	buf[1] = (char)('0' + d % 10);
	buf[2] = '-';
	buf[3] = (char)('0' + m / 10);
	buf[4] = (char)('0' + m % 10);
	buf[5] = '-';
	buf[6] = (char)('0' + y / 1000);
	buf[7] = (char)('0' + y / 100 % 10);
	buf[8] = (char)('0' + y / 10 % 10);
	buf[9] = (char)('0' + y % 10);
	buf[10] = '\0';
}

int months_index(int from, int to)
{
	int m = 1;

	while (m < 60 && to > date_add_months(from, m))
		m++;
	return m;
}

/* ---------- the frame ---------- */
void frame_draw(gsl_rng *r, struct person *p)
{
	double u = gsl_rng_uniform(r), ub = gsl_rng_uniform(r);
	double uf = gsl_rng_uniform(r), ur = gsl_rng_uniform(r), c;

	p->in_pop = u >= G.nonpop;
	p->benefit = ub < G.wwb ? WWB : WW;
	c = 0;
	p->phase = 4;
	for (int k = 0; k < 3; k++) {
		c += G.fase[p->benefit][k];
		if (uf < c) {
			p->phase = k + 1;
			break;
		}
	}
	c = 0;
	p->region = 3;
	for (int k = 0; k < 3; k++) {
		c += G.region[k];
		if (ur < c) {
			p->region = k;
			break;
		}
	}
	p->large = p->phase >= 3;
	p->stratum = stratum_of(p);
}

int stratum_of(const struct person *p)
{
	return p->region * 4 + p->benefit * 2 + p->large;
}

/* ---------- registry pieces ---------- */
static void make_bsn(struct person *p)
{
	for (;;) {
		unsigned long pre = (G.bsn_a * G.bsn_j + G.bsn_b) % 100000000UL;
		int s = 0, c;

		G.bsn_j++;
		if (pre < 1000000UL)
			continue;
		for (int k = 7; k >= 0; k--) {
			p->bsn[k] = (char)('0' + pre % 10);
			pre /= 10;
		}
		for (int k = 0; k < 8; k++)
			s += (9 - k) * (p->bsn[k] - '0');
		c = s % 11;
		if (c == 10)
			continue;
		p->bsn[8] = (char)('0' + c);
		p->bsn[9] = '\0';
		return;
	}
}

static struct app *add_app(struct person *p, int date, int benefit, int decision)
{
	struct app *a = &p->apps_rows[p->n_apps++];

	a->date = date;
	a->benefit = benefit;
	a->phase = p->phase;
	a->decision = decision;
	a->decision_date = DATE_NONE;
	a->ho_date = DATE_NONE;
	a->office = 1000 * (p->region + 1) + 1 + (int)((p->idx * 7) % 40);
	a->educ = p->educ;
	return a;
}

static void add_spell(struct person *p, int benefit, int start, int end, int reason)
{
	struct spell *s = &p->spells[p->n_spells++];

	s->benefit = benefit;
	s->start = start;
	s->end = end;
	s->reason = reason;
}

/* t_years: the application's time from --drift-ref (0 without --span: no drift) */
static int duration_days(gsl_rng *r, const struct person *p, double t_years, int *reason)
{
	int b = p->benefit;
	double scale = G.dur_scale[b];
	int days;

	if (t_years != 0)
		scale *= pow(G.drift_dur, t_years);
	if (p->large)
		scale *= G.dur_large[b];
	if (p->age_class == 4)
		scale *= G.dur_age55;
	if (p->poor[H1])
		scale *= G.dur_poor;
	days = 1 + (int)(gsl_ran_weibull(r, scale, G.dur_shape[b]) * 30.4375);
	if (b == WW) {
		*reason = bern(r, G.end_work[WW]) ? 1 : 3;
		if (bern(r, G.ww_short)) {
			int cap = 91 + uint_in(r, 0, 15);

			if (days > cap) {
				days = cap;
				*reason = 2;
			}
		}
	} else {
		double u = gsl_rng_uniform(r);

		*reason = u < G.end_work[WWB] ? 1 : u < G.end_work[WWB] + G.wwb_end_ent ? 2 : 3;
	}
	return days;
}

static int work_at(gsl_rng *r, const struct person *p, int day)
{
	int end = p->spell_end;

	if (end == DATE_NONE || end >= day)
		return bern(r, G.running_partly[p->benefit]) ? WORK_PARTLY : WORK_NONE;
	if (p->end_reason == 1)
		return bern(r, G.after_work_fully) ? WORK_FULLY : WORK_PARTLY;
	double u = gsl_rng_uniform(r);
	return u < G.after_other_fully ? WORK_FULLY : u < G.after_other_fully + G.after_other_partly ?
		WORK_PARTLY : WORK_NONE;
}

static int on_benefit(const struct world *w, const struct person *p, int k)
{
	int day = date_add_months(p->app_date, k);

	if (p->spell_start == DATE_NONE)
		return -1;
	if (p->spell_end != DATE_NONE && p->spell_end <= w->peildatum)
		return p->spell_end > day;
	/* running on the extract date (as written: no end date) */
	return w->peildatum > day ? 1 : -1;
}

static void draw_support(gsl_rng *r, struct person *p, int h)
{
	const double *c = G.sup[p->benefit][h];
	int b = p->benefit;
	double lin = c[0];
	int any = 0;

	lin += p->age_class == 0 ? c[1] : p->age_class == 1 ? c[2] : p->age_class == 3 ? c[3] :
		p->age_class == 4 ? c[4] : 0;
	lin += c[5] * p->large + c[6] * p->migrant + c[7] * p->male;
	lin += p->work[h] == WORK_PARTLY ? c[8] : p->work[h] == WORK_FULLY ? c[9] : 0;
	lin += c[10] * p->asked[h];
	lin += p->obl[h + 1] == OBL_YES ? c[11] : p->obl[h + 1] == OBL_DK ? c[12] : 0;
	lin += c[13] * p->poor[h] + c[14] * p->problem[h];
	if (h == H2)
		lin += c[15] * p->sup[H1];
	p->sup[h] = bern(r, logistic(lin));
	for (int f = 0; f < N_FORMS; f++) {
		double q = G.q[b][h][f];

		if (h == H2 && f == F_PROGRAMME && p->form[H1][F_PROGRAMME])
			q = G.q_prog_if_h1;
		if (f == F_PROBHELP && !p->problem[h])
			q = 0;
		p->form[h][f] = p->sup[h] && bern(r, q);
		any |= p->form[h][f];
	}
	if (p->sup[h] && !any)
		p->form[h][F_CONTACTS] = 1;
}

static void draw_search(gsl_rng *r, struct person *p, int h)
{
	int b = p->benefit, x[6];
	double pl, e, lin_a;

	for (int k = 0; k < 6; k++)
		x[k] = p->form[h][search_forms[k]];
	e = hours_mean(b, h, x, &pl);
	lin_a = G.srch[b][h][2][0];
	for (int k = 0; k < 6; k++)
		lin_a += G.srch[b][h][2][k + 1] * x[k];
	p->looking[h] = bern(r, pl);
	if (p->looking[h]) {
		int hrs = 1 + negbin(r, e / pl - 1.0, G.hours_size);
		int ap = negbin(r, exp(lin_a) / pl, G.apps_size);

		p->hours[h] = hrs > 97 ? 97 : hrs;
		p->apps[h] = ap > 997 ? 997 : ap;
	} else {
		p->hours[h] = 0;
		p->apps[h] = 0;
	}
}

static void draw_handover(gsl_rng *r, struct person *p)
{
	int app = p->app_date, u_missing, c_missing;
	double u_b0 = G.ho_u_b0, c_b0 = G.ho_c_b0;

	if (p->t_years != 0) {
		u_b0 += G.drift_ho_u * p->t_years;
		c_b0 += G.drift_ho_c * p->t_years;
	}
	p->n_uwv = 0;
	p->uwv_rows = 0;
	p->uwv_date = DATE_NONE;
	p->cwi_ho_date = DATE_NONE;
	if (p->benefit == WWB) {
		if (bern(r, G.wwb_ho))
			p->cwi_ho_date = app + 2 + (int)gsl_ran_gamma(r, G.ho_shape, G.ho_scale);
		p->ho_cat = -1;
		p->ho_days = -1;
		return;
	}
	u_missing = bern(r, logistic(u_b0 + G.ho_u_phase * (p->phase - 1) + G.ho_u_sup * p->sup[H2]));
	c_missing = bern(r, logistic(c_b0 + G.ho_c_phase * (p->phase - 1) + G.ho_c_u * u_missing));
	if (!c_missing)
		p->cwi_ho_date = app + 2 + 2 * p->phase + (int)gsl_ran_gamma(r, G.ho_shape, G.ho_scale);
	if (!u_missing) {
		int d = p->cwi_ho_date != DATE_NONE ? p->cwi_ho_date + uint_in(r, 0, 4) :
			app + 3 + (int)gsl_ran_exponential(r, G.ho_uwv_only);
		int f = p->phase;

		if (bern(r, G.ho_fase_differs))
			f = f == 1 ? 2 : f == 4 ? 3 : f + (bern(r, 0.5) ? 1 : -1);
		if (bern(r, G.ho_fase_missing))
			f = 0;
		p->uwv[p->n_uwv].date = d;
		p->uwv[p->n_uwv++].fase = f;
		p->uwv_date = d;
		if (bern(r, G.ho_dup)) {
			p->uwv[p->n_uwv].date = d + uint_in(r, 5, 40);
			p->uwv[p->n_uwv++].fase = f;
		}
		p->uwv_rows = p->n_uwv;
	}
	p->ho_cat = c_missing ? (u_missing ? HO_NONE : HO_UWV_ONLY) : (u_missing ? HO_CWI_ONLY : HO_BOTH);
	p->ho_days = p->cwi_ho_date != DATE_NONE ? p->cwi_ho_date - app :
		p->uwv_date != DATE_NONE ? p->uwv_date - app : -1;
}

static void background(gsl_rng *r, struct person *p, int app_date)
{
	int b = p->benefit;
	static const double age_lo[5] = { 18.01, 25, 35, 45, 55 }, age_hi[5] = { 25, 35, 45, 55, 64.99 };
	double o[2], years;
	int cls = pick(r, G.age[b], 5);

	years = age_lo[cls] + gsl_rng_uniform(r) * (age_hi[cls] - age_lo[cls]);
	p->app_date = app_date;
	p->birth = app_date - (int)(years * 365.2425);
	p->age = date_age_years(p->birth, app_date);
	p->age_class = p->age < 25 ? 0 : p->age < 35 ? 1 : p->age < 45 ? 2 : p->age < 55 ? 3 : 4;
	p->male = bern(r, G.male[b]);
	o[0] = G.west[b];
	o[1] = G.nonwest[b] + (p->large ? G.nonwest_large : 0);
	{
		double u = gsl_rng_uniform(r);

		p->origin = u < o[0] ? 1 : u < o[0] + o[1] ? 2 : 0;
	}
	p->migrant = p->origin != 0;
	p->educ = 1 + pick(r, G.educ[b], 4);
	if (p->large && p->educ > 1 && bern(r, 0.3))
		p->educ--;
	if (bern(r, G.educ_unknown))
		p->educ = 9;
}

static void nonpop_person(const struct world *w, gsl_rng *r, struct person *p)
{
	double u = gsl_rng_uniform(r);
	int win0 = date_from_ymd(2006, 3, 1), win1 = date_from_ymd(2006, 4, 30);
	struct app *a;

	if (w->span) {    /* no granted application anywhere in the span: refused or pending */
		background(r, p, inflow_day(w, r));
		a = add_app(p, p->app_date, p->benefit, u < 0.7 ? 'A' : 0);
		if (a->decision)
			a->decision_date = a->date + uint_in(r, 7, 30);
		return;
	}
	if (u < 0.65) {   /* refused or pending in the window */
		background(r, p, weekday_in(r, win0, win1));
		a = add_app(p, p->app_date, p->benefit, u < 0.45 ? 'A' : 0);
		if (a->decision)
			a->decision_date = a->date + uint_in(r, 7, 30);
	} else {          /* granted, but filed in May or June 2006 */
		int reason, start, end;

		background(r, p, weekday_in(r, date_from_ymd(2006, 5, 1), date_from_ymd(2006, 6, 30)));
		a = add_app(p, p->app_date, p->benefit, 'T');
		a->decision_date = a->date + uint_in(r, 7, 40);
		start = a->date + uint_in(r, 0, 10);
		end = start + duration_days(r, p, 0, &reason);
		add_spell(p, p->benefit, start, end, reason);
	}
}

/* An application before the index one: granted with a spell that ended before it, or
 * refused. Without --span in 2005 or January-February 2006; with --span 40 days to two
 * years before, inside the span (none when the span leaves no room). */
static void earlier_application(const struct world *w, gsl_rng *r, struct person *p)
{
	int b = p->benefit, lo, hi, d, ob, start, end;
	struct app *a;

	if (w->span) {
		lo = p->app_date - 730 > w->span_start ? p->app_date - 730 : w->span_start;
		hi = p->app_date - 40;
		if (hi - lo < 7)
			return;
	} else {
		lo = date_from_ymd(2005, 1, 3);
		hi = date_from_ymd(2006, 2, 24);
	}
	d = weekday_in(r, lo, hi);
	ob = bern(r, 0.6) ? b : !b;
	start = d + uint_in(r, 0, 10);
	end = start + uint_in(r, 30, 300);
	if (end >= p->app_date - 1)
		end = p->app_date - 1 - uint_in(r, 0, 20);
	if (date_age_years(p->birth, d) < 18) {
		/* too young then: no earlier application */
	} else if (end > start + 10 && bern(r, 0.7)) {
		a = add_app(p, d, ob, 'T');
		a->decision_date = d + uint_in(r, 7, 40);
		a->ho_date = bern(r, 0.8) ? d + uint_in(r, 3, 30) : DATE_NONE;
		add_spell(p, ob, start, end, bern(r, 0.6) ? 1 : 2);
	} else {
		a = add_app(p, d, ob, 'A');
		a->decision_date = d + uint_in(r, 7, 30);
	}
}

/* The rest of a population person's registry: a same-day duplicate, the index spell and
 * sometimes an overlapping one, earlier refused or granted applications, a pending one,
 * a second granted application after the spell. Without --span the dates depend on the
 * peildatum as they always did (bytes unchanged); with --span nothing here looks at the
 * peildatum (the extract shows what happened by then: extract_* in emit.c), so extracts of
 * one seed at later dates extend each other, and earlier or later applications stay
 * inside the span. */
static void other_rows(const struct world *w, gsl_rng *r, struct person *p, struct app *ix)
{
	int b = p->benefit;

	if (bern(r, G.sameday)) {
		struct app *a = add_app(p, p->app_date, b, 'T');

		a->decision_date = p->decision_date + uint_in(r, 0, 3);
		a->office = ix->office + 50;
		a->phase = p->phase == 4 ? 3 : p->phase + 1;
	}
	add_spell(p, b, p->spell_start, p->spell_end, p->end_reason);
	if (bern(r, G.overlap) && p->spell_end - p->spell_start > 40 &&
	    (w->span || w->peildatum - p->spell_start > 40)) {
		int span = w->span || p->spell_end < w->peildatum ? p->spell_end - p->spell_start :
			w->peildatum - p->spell_start;
		int s = p->spell_start + uint_in(r, 10, span / 2);

		add_spell(p, b, s, p->spell_end - uint_in(r, 0, 10), 3);
	}
	if (bern(r, G.refused_before)) {
		int d = p->app_date - uint_in(r, 10, 120), ob = bern(r, 0.7) ? b : !b;

		if (date_age_years(p->birth, d) >= 18) {   /* nobody applies before 18 */
			struct app *a = add_app(p, d, ob, 'A');

			a->decision_date = a->date + uint_in(r, 7, 30);
		}
	}
	if (bern(r, G.outside))
		earlier_application(w, r, p);
	if (bern(r, G.pending)) {
		int d = p->app_date + uint_in(r, 10, 60);

		if (w->span ? d <= w->span_end : d < w->peildatum)
			add_app(p, d, !b, 0);
	}
	if (bern(r, G.second) && (w->span || p->spell_end < w->peildatum - 70)) {
		int d = p->spell_end + uint_in(r, 5, 60), ob = bern(r, 0.6) ? !b : b;
		struct app *a;
		int start, rs2;

		if (w->span && d > w->span_end)
			return;
		a = add_app(p, d, ob, 'T');
		start = d + uint_in(r, 0, 14);
		a->decision_date = d + uint_in(r, 7, 40);
		a->ho_date = bern(r, 0.8) ? d + uint_in(r, 3, 30) : DATE_NONE;
		if (w->span || start < w->peildatum) {
			int end = start + duration_days(r, p, years_from_ref(w, d), &rs2);

			add_spell(p, ob, start, end, rs2);
		}
	}
}

void gen_person(const struct world *w, gsl_rng *r, gsl_rng *rs, struct person *p)
{
	int win0 = date_from_ymd(2006, 3, 1), win1 = date_from_ymd(2006, 4, 30);
	int b = p->benefit, reason, days;
	struct app *ix;

	(void)rs;
	p->peildatum = w->peildatum;
	p->t_years = 0;
	p->n_apps = p->n_spells = p->n_uwv = 0;
	p->sampled = 0;
	p->ho_cat = -1;
	make_bsn(p);
	if (!p->in_pop) {
		p->poor[H1] = p->poor[H2] = 0;
		nonpop_person(w, r, p);
		return;
	}
	background(r, p, w->span ? inflow_day(w, r) : weekday_in(r, win0, win1));
	p->t_years = years_from_ref(w, p->app_date);

	/* health and problems (H1 shapes the spell), asked help, obligation */
	p->poor[H1] = bern(r, logistic(G.poor_b0[b] + (p->age_class == 3 ? G.poor_45 : 0) +
				      (p->age_class == 4 ? G.poor_55 : 0) + G.poor_large * p->large));
	p->poor[H2] = bern(r, G.poor_h2[p->poor[H1]]);
	p->problem[H1] = bern(r, logistic(G.prob_b0[b] + G.prob_poor * p->poor[H1] + G.prob_large * p->large));
	p->problem[H2] = bern(r, G.prob_h2[p->problem[H1]]);
	p->asked[H1] = bern(r, G.asked[b]);
	p->asked[H2] = bern(r, G.asked_h2[p->asked[H1]]);
	{
		double pno = logistic(G.obl_b0[b] + G.obl_large * p->large + G.obl_poor * p->poor[H1] +
				      (p->age_class == 4 ? G.obl_55 : 0));
		int o = bern(r, G.obl_dk) ? OBL_DK : bern(r, pno) ? OBL_NO : OBL_YES;

		p->obl[0] = p->obl[1] = o;
		if (bern(r, G.obl_same))
			p->obl[2] = o;
		else
			p->obl[2] = bern(r, G.obl_dk) ? OBL_DK : bern(r, pno) ? OBL_NO : OBL_YES;
	}

	/* the index application and its spell */
	ix = add_app(p, p->app_date, b, 'T');
	p->decision_date = ix->decision_date = p->app_date + (b == WW ? uint_in(r, 7, 35) : uint_in(r, 14, 56));
	p->spell_start = p->app_date + uint_in(r, 0, (int)G.delay[b]);
	days = duration_days(r, p, p->t_years, &reason);
	p->spell_end = p->spell_start + days;
	p->end_reason = reason;
	p->office = ix->office;
	for (int k = 0; k < 3; k++)
		p->on[k] = on_benefit(w, p, k == 0 ? 3 : k == 1 ? 6 : 12);

	/* wave dates and work at them */
	p->fill[0] = p->decision_date + uint_in(r, 0, 20);
	p->fill[1] = date_add_months(p->app_date, 6) + uint_in(r, 0, 25);
	p->fill[2] = date_add_months(p->app_date, 12) + uint_in(r, 0, 25);
	p->work[H1] = work_at(r, p, p->fill[1]);
	p->work[H2] = work_at(r, p, p->fill[2]);

	/* support and search */
	draw_support(r, p, H1);
	draw_search(r, p, H1);
	draw_support(r, p, H2);
	draw_search(r, p, H2);
	p->w1_looking = bern(r, G.w1_looking[b]);
	p->w1_hours = p->w1_looking ? 1 + negbin(r, 7, 2.5) : 0;
	if (p->w1_hours > 97)
		p->w1_hours = 97;
	p->w1_apps = p->w1_looking ? negbin(r, 4, 1.5) : 0;
	if (p->w1_apps > 997)
		p->w1_apps = 997;
	{
		static const double hh[2][3] = { { 0.30, 0.25, 0.38 }, { 0.45, 0.12, 0.20 } };

		p->household = 1 + pick(r, hh[b], 4);
	}

	draw_handover(r, p);
	ix->ho_date = p->cwi_ho_date;

	other_rows(w, r, p, ix);
}

/* ---------- the survey (sampled persons; survey stream only) ---------- */

/* A recorded answer: with small probabilities the respondent answers 'don't know' or
 * nothing instead. Only called where that cannot hide a true 'yes' (see derive.c), so the
 * pipeline's measures equal the latent truth or are missing. */
static int noisy(gsl_rng *r, int v, int dk, int na)
{
	double u = gsl_rng_uniform(r);

	if (u < G.na)
		return na;
	if (dk && u < G.na + G.dk)
		return dk;
	return v;
}

static int yesno(int b)
{
	return b ? 1 : 2;
}

static void survey_wave(gsl_rng *r, const struct person *p, struct wave *wv, int k)
{
	int h = k == 2 ? H2 : H1;
	int *v = wv->v;
	int any_prob = 0;

	for (int i = 0; i < N_ITEMS; i++)
		v[i] = -1;
	wv->fill_date = p->fill[k];
	if (k > 0) {
		int t = p->fill[k];
		int running = p->spell_end == DATE_NONE || p->spell_end > t;

		v[I_UITK_NU] = noisy(r, running ? 1 : 2, 8, 9);
		if (v[I_UITK_NU] == 2) {
			int m = months_index(p->app_date, p->spell_end);

			v[I_EINDE_MAAND] = noisy(r, m > 12 ? 12 : m, 98, 99);
		}
	}
	if (k == 0) {
		int wk = work_at(r, p, p->fill[0]);

		v[I_WERK] = noisy(r, wk + 1, 8, 9);
		v[I_ZOEKT] = noisy(r, yesno(p->w1_looking), 8, 9);
		if (v[I_ZOEKT] == 1)
			v[I_ZOEKUREN] = noisy(r, p->w1_hours, 98, 99);
		v[I_SOLL] = noisy(r, p->w1_apps, 998, 999);
	} else {
		v[I_WERK] = noisy(r, p->work[h] + 1, 8, 9);
		v[I_ZOEKT] = noisy(r, yesno(p->looking[h]), 8, 9);
		if (v[I_ZOEKT] == 1)
			v[I_ZOEKUREN] = noisy(r, p->hours[h], 98, 99);
		v[I_SOLL] = noisy(r, p->apps[h], 998, 999);
	}
	/* any-wave items: the half-year's last wave (2 for H1, 3 for H2) carries a true yes;
	 * wave 1 repeats it sometimes; a true no is no (or missing) everywhere */
	if (k == 0) {
		v[I_HULP_GEVR] = p->asked[H1] && bern(r, 0.6) ? 1 : noisy(r, 2, 8, 9);
		v[I_GEZOND] = p->poor[H1] && bern(r, G.poor_w1_reports) ? 4 + bern(r, 0.3) :
			noisy(r, p->poor[H1] ? 3 : 1 + pick(r, (const double[]){ 0.25, 0.45 }, 3), 8, 9);
	} else {
		v[I_HULP_GEVR] = p->asked[h] ? 1 : noisy(r, 2, 8, 9);
		v[I_GEZOND] = p->poor[h] ? 4 + bern(r, 0.3) :
			noisy(r, 1 + pick(r, (const double[]){ 0.25, 0.45 }, 3), 8, 9);
	}
	v[I_PLICHT] = noisy(r, p->obl[k] == OBL_YES ? 1 : p->obl[k] == OBL_NO ? 2 : 8, 0, 9);
	/* problems: at least one item 1 in the half-year's last wave when there is a problem */
	{
		int items[5] = { 0 }, n = 0;

		if (p->problem[h]) {
			for (int i = 0; i < 5; i++) {
				double q = G.prob_item[i];

				if (i == 0 && p->poor[h])
					q = 0.7;
				items[i] = bern(r, q);
				n += items[i];
			}
			if (!n)
				items[uint_in(r, 0, 4)] = 1;
			if (k == 0)
				for (int i = 0; i < 5; i++)
					items[i] = items[i] && bern(r, 0.7);
		}
		for (int i = 0; i < 5; i++) {
			v[I_PROB0 + i] = items[i] ? 1 : noisy(r, 2, 0, 9);
			any_prob |= items[i];
		}
	}
	/* forms */
	{
		static const int item_of[5] = { I_ADVIES, I_HULP_SOLL, I_EIGEN_BEDRIJF, I_TRAJECT, I_TRAINING };

		for (int f = 0; f < 5; f++) {
			int yes = p->form[h][f] && (k != 0 || bern(r, 0.4));

			v[item_of[f]] = yes ? 1 : noisy(r, 2, 8, 9);
		}
		if (any_prob) {
			int yes = p->form[h][F_PROBHELP] && (k != 0 || bern(r, 0.4));

			v[I_HULP_PROBL] = yes ? 1 : noisy(r, 2, 8, 9);
		}
	}
	if (k < 2) {
		if (p->form[H1][F_CONTACTS])
			v[I_CONTACTEN] = k == 1 ? 1 + (int)gsl_ran_poisson(r, G.contacts_mean) :
				(int)gsl_ran_poisson(r, 1.0);
		else
			v[I_CONTACTEN] = noisy(r, 0, 98, 99);
		if (p->form[H1][F_CONTACTS] && v[I_CONTACTEN] > 97)
			v[I_CONTACTEN] = 97;
	} else {
		v[I_BEGELEIDING] = p->form[H2][F_CONTACTS] ? 1 : noisy(r, 2, 8, 9);
	}
	if (k == 0)
		v[I_HUISHOUDEN] = noisy(r, p->household, 8, 9);
}

void gen_survey(const struct world *w, gsl_rng *rs, struct person *p)
{
	double x = G.r_age10 * (p->age - 40) / 10.0 + G.r_migrant * p->migrant + G.r_poor * p->poor[H1];
	int r1, r2, r3;

	(void)w;
	r1 = bern(rs, logistic(G.r1_b0 + x));
	r2 = bern(rs, logistic((r1 ? G.r2_w1 : G.r2_now1) + x));
	r3 = r2 && bern(rs, logistic(G.r3_b0 + x));
	p->w[0].present = r1;
	p->w[1].present = r2;
	p->w[2].present = r3;
	for (int k = 0; k < 3; k++)
		if (p->w[k].present)
			survey_wave(rs, p, &p->w[k], k);
}
