/* truth.c - the figures of DOMAIN.md's tables as synth knows them, in fixed accumulators.
 *
 * A cell is one row of truth.csv (table, benefit, period, population, row, measure) with
 * three scopes: population (every person, true answers, unweighted), respondents_weighted
 * (recorded answers, weight 1 / inclusion probability as written) and
 * respondents_unweighted. Cells are registered once at start in output order; a person adds
 * to the cells it belongs to. Memory does not depend on N.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "datecalc.h"
#include "diag.h"
#include "synth.h"

enum { S_POP, S_RW, S_RU, N_SCOPES };
static const char *const scope_names[N_SCOPES] = { "population", "respondents_weighted", "respondents_unweighted" };
static const char *const bnames[2] = { "ww", "wwb" };
static const char *const pop_names[4] = { "on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "all" };

struct cell {
	const char *table, *period, *population, *row, *measure;
	int benefit;
	int pop_only;           /* registry figures: no survey scopes */
	double sw[N_SCOPES], swy[N_SCOPES];
	long n[N_SCOPES];
};

#define MAX_CELLS 256
static struct cell cells[MAX_CELLS];
static int n_cells;

static const char *const fig3_rows[9] = {
	"advice", "help_applying", "own_business", "programme", "programme_h2", "training",
	"problem_help", "contacts", "any_support"
};
static const char *const ho_rows[5] = { "none", "cwi_only", "uwv_only", "both", "uwv_unknown" };
static const char *const obl_rows[7] = {
	"no_obligation", "large_distance:no_obligation", "large_distance:obligation",
	"poor_health:no_obligation", "poor_health:obligation", "search_hours:no_obligation",
	"search_hours:obligation"
};
static const char *const count_rows[5] = { "persons", "sampled", "responded_w1", "responded_w2", "responded_w3" };

static struct {
	int cov[2], fig_h1[2], fig_h2[2][2], fig3[2][9], ho[4], hos[5], hod[4], hours[2][2];
	int obl[3][7], counts[2][4][5];
} id;

static long model_n[2];

static int reg(const char *table, int b, const char *period, const char *pop, const char *row,
	       const char *measure, int pop_only)
{
	struct cell *c = &cells[n_cells];

	if (n_cells == MAX_CELLS)
		BUG("too many truth cells");
	memset(c, 0, sizeof *c);
	c->table = table;
	c->benefit = b;
	c->period = period;
	c->population = pop;
	c->row = row;
	c->measure = measure;
	c->pop_only = pop_only;
	return n_cells++;
}

void truth_init(void)
{
	static const char *const phase_rows[4] = { "phase_1", "phase_2", "phase_3", "phase_4" };

	n_cells = 0;
	for (int b = 0; b < 2; b++)
		id.cov[b] = reg("coverage", b, "year", "on_benefit_6m", "any_support", "share", 0);
	for (int b = 0; b < 2; b++) {
		const char *t = b == WW ? "fig1" : "fig4";

		id.fig_h1[b] = reg(t, b, "h1", "on_benefit_3m", "any_support", "share", 0);
		id.fig_h2[b][0] = reg(t, b, "h2", "on_benefit_6m", "any_support", "share", 0);
		id.fig_h2[b][1] = reg(t, b, "h2", "on_benefit_12m", "any_support", "share", 0);
	}
	for (int b = 0; b < 2; b++)
		for (int k = 0; k < 9; k++)
			id.fig3[b][k] = reg(b == WW ? "fig3" : "fig6", b, "year", "on_benefit_6m", fig3_rows[k], "share", 0);
	for (int k = 0; k < 4; k++)
		id.ho[k] = reg("handover", WW, "year", "on_benefit_6m", ho_rows[k], "share", 1);
	for (int k = 0; k < 5; k++)
		id.hos[k] = reg("handover_support", WW, "h2", "on_benefit_6m", ho_rows[k], "share", 0);
	for (int k = 0; k < 4; k++)
		id.hod[k] = reg("handover_distance", WW, "year", "on_benefit_6m", phase_rows[k], "share", 1);
	for (int b = 0; b < 2; b++) {
		id.hours[b][0] = reg("hours", b, "h1", "on_benefit_3m", "all", "mean", 0);
		id.hours[b][1] = reg("hours", b, "h2", "on_benefit_6m", "all", "mean", 0);
	}
	{
		static const int opop[3] = { 3, 0, 1 };   /* all, on_benefit_3m, on_benefit_6m */

		for (int k = 0; k < 3; k++)
			for (int r = 0; r < 7; r++)
				id.obl[k][r] = reg("obligation", WWB, "h1", pop_names[opop[k]], obl_rows[r],
						   r >= 5 ? "mean" : "share", 0);
	}
	for (int b = 0; b < 2; b++)
		for (int k = 0; k < 4; k++)
			for (int r = 0; r < 5; r++)
				id.counts[b][k][r] = reg("counts", b, "year", pop_names[k], count_rows[r], "count", r == 0);
	model_n[0] = model_n[1] = 0;
}

void truth_reset(void)
{
	for (int i = 0; i < n_cells; i++) {
		memset(cells[i].sw, 0, sizeof cells[i].sw);
		memset(cells[i].swy, 0, sizeof cells[i].swy);
		memset(cells[i].n, 0, sizeof cells[i].n);
	}
	model_n[0] = model_n[1] = 0;
}

static void add(int cid, int s, double y, double w)
{
	struct cell *c = &cells[cid];

	if (y < 0)
		return;
	c->sw[s] += w;
	c->swy[s] += w * y;
	c->n[s]++;
}

/* add y for scope s (and its unweighted twin for the respondents) */
static void add_s(int cid, int s, double y, double w)
{
	if (s == S_POP) {
		add(cid, S_POP, y, 1.0);
	} else {
		add(cid, S_RW, y, w);
		add(cid, S_RU, y, 1.0);
	}
}

static void add_scope(const struct person *p, const struct derived *d, int s, double w)
{
	int b = p->benefit;
	int pop = s == S_POP;
	const int *on = p->on;

	/* coverage and fig3/fig6: on benefit at 6 m, waves 2 and 3 */
	if (on[1] == 1 && (pop || (d->resp[1] && d->resp[2]))) {
		add_s(id.cov[b], s, d->year_any, w);
		for (int k = 0; k < 9; k++) {
			static const int form_of[9] = { F_ADVICE, F_APPLYING, F_OWNBUS, F_PROGRAMME, -1,
							F_TRAINING, F_PROBHELP, F_CONTACTS, -2 };
			int y = form_of[k] >= 0 ? d->year_form[form_of[k]] : form_of[k] == -1 ? d->year_prog_h2 : d->year_any;

			add_s(id.fig3[b][k], s, y, w);
		}
	}
	if (on[0] == 1 && (pop || d->resp[1])) {
		add_s(id.fig_h1[b], s, d->any[H1], w);
		add_s(id.hours[b][0], s, d->hours[H1], w);
	}
	if (pop || d->resp[2]) {
		if (on[1] == 1) {
			add_s(id.fig_h2[b][0], s, d->any[H2], w);
			add_s(id.hours[b][1], s, d->hours[H2], w);
			if (b == WW) {
				add_s(id.hos[p->ho_cat], s, d->any[H2], w);
				if (p->ho_cat == HO_NONE || p->ho_cat == HO_CWI_ONLY)
					add_s(id.hos[4], s, d->any[H2], w);
			}
		}
		if (on[2] == 1)
			add_s(id.fig_h2[b][1], s, d->any[H2], w);
	}
	if (b == WWB && (pop || d->resp[0]) && d->w1_obl >= 0) {
		int inpop[3] = { 1, on[0] == 1, on[1] == 1 };

		for (int k = 0; k < 3; k++) {
			if (!inpop[k])
				continue;
			add_s(id.obl[k][0], s, d->w1_obl == OBL_NO, w);
			if (d->w1_obl == OBL_NO) {
				add_s(id.obl[k][1], s, p->large, w);
				add_s(id.obl[k][3], s, d->poor[H1], w);
				add_s(id.obl[k][5], s, d->hours[H1], w);
			} else if (d->w1_obl == OBL_YES) {
				add_s(id.obl[k][2], s, p->large, w);
				add_s(id.obl[k][4], s, d->poor[H1], w);
				add_s(id.obl[k][6], s, d->hours[H1], w);
			}
		}
	}
}

void truth_add(const struct person *p, const struct derived *tr, const struct derived *rec)
{
	int b = p->benefit;
	int inpop[4] = { p->on[0] == 1, p->on[1] == 1, p->on[2] == 1, 1 };

	model_n[b]++;
	add_scope(p, tr, S_POP, 1.0);
	/* registry figures: every WW person on benefit at 6 m */
	if (b == WW && p->on[1] == 1) {
		for (int k = 0; k < 4; k++)
			add(id.ho[k], S_POP, p->ho_cat == k, 1.0);
		add(id.hod[p->phase - 1], S_POP, p->ho_cat != HO_BOTH, 1.0);
	}
	for (int k = 0; k < 4; k++) {
		if (!inpop[k])
			continue;
		add(id.counts[b][k][0], S_POP, 1, 1.0);
		if (p->sampled) {
			add(id.counts[b][k][1], S_RU, 1, 1.0);
			for (int wv = 0; wv < 3; wv++)
				if (p->w[wv].present)
					add(id.counts[b][k][2 + wv], S_RU, 1, 1.0);
		}
	}
	if (rec)
		add_scope(p, rec, S_RW, 1.0 / p->incl);
}

double truth_figure(const char *table, int benefit, const char *period, const char *population,
		    const char *row, int scope, long *n)
{
	for (int i = 0; i < n_cells; i++) {
		struct cell *c = &cells[i];

		if (c->benefit == benefit && !strcmp(c->table, table) && !strcmp(c->period, period) &&
		    !strcmp(c->population, population) && !strcmp(c->row, row)) {
			if (n)
				*n = c->n[scope];
			return c->sw[scope] > 0 ? c->swy[scope] / c->sw[scope] : NAN;
		}
	}
	BUG("no truth cell %s %s %s %s", table, period, population, row);
}

static void model_rows(FILE *fp, int b, int h, const char *model, const char *const *terms,
		       int nterms, const double *coef)
{
	for (int t = 0; t < nterms; t++)
		if (terms[t])
			fprintf(fp, "model_truth,%s,%s,%s,%s,coef,population,%.10g,%ld\n", bnames[b],
				h == H1 ? "h1" : "h2", model, terms[t], coef[t], model_n[b]);
}

int truth_write(const struct world *w, const char *path)
{
	FILE *fp = fopen(path, "w");
	static const char *const smodel[3] = { "looking", "hours", "applications" };

	(void)w;
	if (!fp)
		return -1;
	fputs("table,benefit,period,population,row,measure,scope,estimate,n\n", fp);
	for (int i = 0; i < n_cells; i++) {
		struct cell *c = &cells[i];

		for (int s = 0; s < N_SCOPES; s++) {
			if (s != S_POP && c->pop_only)
				continue;
			if (!strcmp(c->table, "counts")) {
				if ((s == S_POP) != (strcmp(c->row, "persons") == 0) || s == S_RW)
					continue;
				fprintf(fp, "counts,%s,%s,%s,%s,count,%s,%ld,%ld\n", bnames[c->benefit], c->period,
					c->population, c->row, scope_names[s], c->n[s], c->n[s]);
				continue;
			}
			fprintf(fp, "%s,%s,%s,%s,%s,%s,%s,", c->table, bnames[c->benefit], c->period,
				c->population, c->row, c->measure, scope_names[s]);
			if (c->n[s] > 0)
				fprintf(fp, "%.10g", c->swy[s] / c->sw[s]);
			fprintf(fp, ",%ld\n", c->n[s]);
		}
	}
	for (int b = 0; b < 2; b++)
		for (int h = 0; h < 2; h++) {
			char name[64];
			double coef[N_FIG2_TERMS];

			snprintf(name, sizeof name, "%s_%s_%s", b == WW ? "fig2" : "fig5", h == H1 ? "h1" : "h2", bnames[b]);
			for (int t = 0; t < N_FIG2_TERMS; t++)
				coef[t] = fig2_terms[h][t] ? model_coef(b, h, t) : 0;
			model_rows(fp, b, h, name, fig2_terms[h], N_FIG2_TERMS, coef);
		}
	for (int b = 0; b < 2; b++)
		for (int h = 0; h < 2; h++)
			for (int m = 0; m < 3; m++) {
				char name[64], tn[6][40];
				const char *terms[N_SEARCH_TERMS];
				double coef[N_SEARCH_TERMS];

				snprintf(name, sizeof name, "table1_%s_%s_%s", smodel[m], h == H1 ? "h1" : "h2", bnames[b]);
				terms[0] = "(Intercept)";
				for (int k = 0; k < 6; k++) {
					snprintf(tn[k], sizeof tn[k], "%s_%s", h == H1 ? "h1" : "h2", form_names[search_forms[k]]);
					terms[k + 1] = tn[k];
				}
				for (int t = 0; t < N_SEARCH_TERMS; t++)
					coef[t] = search_coef(b, h, m, t);
				model_rows(fp, b, h, name, terms, N_SEARCH_TERMS, coef);
				if (m == 1) {
					/* contrasts: all six = 1 versus one indicator only */
					double five_no_contacts = coef[1] + coef[2] + coef[3] + coef[4] + coef[5];
					double five_no_advice = coef[2] + coef[3] + coef[4] + coef[5] + coef[6];

					if (b == WW && h == H1)
						fprintf(fp, "model_truth,ww,h1,%s,contrast:all_vs_contacts,coef,population,%.10g,%ld\n",
							name, five_no_contacts, model_n[b]);
					if ((b == WW && h == H2) || (b == WWB && h == H1))
						fprintf(fp, "model_truth,%s,%s,%s,contrast:all_vs_advice,coef,population,%.10g,%ld\n",
							bnames[b], h == H1 ? "h1" : "h2", name, five_no_advice, model_n[b]);
				}
			}
	if (fclose(fp) != 0)
		return -1;
	return 0;
}

/* ---------- truth-persons.csv ---------- */
static FILE *tp;

int truth_persons_open(const char *path)
{
	static const char *const h_cols[] = {
		"poor_health", "nonwork_problem", "asked_help", "obligation", "work_resumed",
		"looking", "search_hours", "applications"
	};

	tp = fopen(path, "w");
	if (!tp)
		return -1;
	fputs("respnr,person_key,benefit,stratum,inclusion_prob,design_weight,age,age_class,sex,migrant,"
	      "large_distance,days_on_benefit,spell_running,on_benefit_3m,on_benefit_6m,on_benefit_12m,"
	      "responded_w1,responded_w2,responded_w3,w1_obligation", tp);
	for (int h = 0; h < 2; h++)
		for (size_t k = 0; k < sizeof h_cols / sizeof *h_cols; k++)
			fprintf(tp, ",h%d_%s", h + 1, h_cols[k]);
	for (int h = 0; h < 2; h++) {
		for (int f = 0; f < N_FORMS; f++)
			fprintf(tp, ",h%d_%s", h + 1, form_names[f]);
		fprintf(tp, ",h%d_any_support", h + 1);
	}
	fputs(",year_advice,year_help_applying,year_own_business,year_programme,year_h2_programme,"
	      "year_training,year_problem_help,year_contacts,year_any_support,handover_known_cwi,"
	      "handover_known_uwv,handover_category,handover_days,handover_on_time\n", tp);
	return 0;
}

static void put_int(int v)
{
	if (v >= 0)
		fprintf(tp, ",%d", v);
	else
		fputs(",", tp);
}

static void put_word(int v, const char *const *words)
{
	if (v >= 0)
		fprintf(tp, ",%s", words[v]);
	else
		fputs(",", tp);
}

void truth_persons_add(const struct person *p, const struct derived *d, const unsigned char key[32])
{
	static const char *const obl_w[3] = { "yes", "no", "dont_know" };
	static const char *const work_w[3] = { "none", "partly", "fully" };
	static const char *const age_w[5] = { "under_25", "25_34", "35_44", "45_54", "55_plus" };
	static const char *const ho_w[4] = { "none", "cwi_only", "uwv_only", "both" };
	unsigned char mac[32];
	char hex[33], stratum_utf8[64];
	const char *s = stratum_names[p->stratum];
	size_t j = 0;
	int running;

	crypto_auth_hmacsha256(mac, (const unsigned char *)p->bsn, 9, key);
	for (int k = 0; k < 16; k++)
		snprintf(hex + 2 * k, 3, "%02x", mac[k]);
	for (; *s && j < sizeof stratum_utf8 - 3; s++) {   /* Windows-1252 -> UTF-8 (only a-circumflex occurs) */
		unsigned char c = (unsigned char)*s;

		if (c < 0x80) {
			stratum_utf8[j++] = (char)c;
		} else {
			stratum_utf8[j++] = (char)(0xC0 | (c >> 6));
			stratum_utf8[j++] = (char)(0x80 | (c & 0x3F));
		}
	}
	stratum_utf8[j] = '\0';
	running = p->spell_end == DATE_NONE || p->spell_end > p->peildatum;
	fprintf(tp, "%ld,%s,%s,%s,%.10g,%.17g,%d,%s,%s,%d,%d,%d,%d", p->respnr, hex, bnames[p->benefit],
		stratum_utf8, p->incl, 1.0 / p->incl, p->age, age_w[p->age_class], p->male ? "male" : "female",
		p->migrant, p->large,
		(running ? p->peildatum : p->spell_end) - p->spell_start, running);
	for (int k = 0; k < 3; k++)
		put_int(p->on[k]);
	for (int k = 0; k < 3; k++)
		put_int(d->resp[k]);
	put_word(d->w1_obl, obl_w);
	for (int h = 0; h < 2; h++) {
		put_int(d->poor[h]);
		put_int(d->problem[h]);
		put_int(d->asked[h]);
		put_word(d->obl[h], obl_w);
		put_word(d->work[h], work_w);
		put_int(d->looking[h]);
		put_int(d->hours[h]);
		put_int(d->apps[h]);
	}
	for (int h = 0; h < 2; h++) {
		for (int f = 0; f < N_FORMS; f++)
			put_int(d->form[h][f]);
		put_int(d->any[h]);
	}
	put_int(d->year_form[F_ADVICE]);
	put_int(d->year_form[F_APPLYING]);
	put_int(d->year_form[F_OWNBUS]);
	put_int(d->year_form[F_PROGRAMME]);
	put_int(d->year_prog_h2);
	put_int(d->year_form[F_TRAINING]);
	put_int(d->year_form[F_PROBHELP]);
	put_int(d->year_form[F_CONTACTS]);
	put_int(d->year_any);
	if (p->benefit == WW) {
		put_int(p->cwi_ho_date != DATE_NONE);
		put_int(p->uwv_rows > 0);
		put_word(p->ho_cat, ho_w);
		if (p->ho_days >= 0) {
			put_int(p->ho_days);
			put_int(p->ho_days <= 28);
		} else {
			fputs(",,", tp);
		}
	} else {
		fputs(",,,,,", tp);
	}
	fputc('\n', tp);
}

int truth_persons_close(void)
{
	return fclose(tp) != 0 ? -1 : 0;
}
