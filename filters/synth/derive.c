/* derive.c - the person's measures by the pipeline's rules.
 *
 * derive_recorded() reads only the wave answers as written (codes, empties) and applies the
 * rules of schemas/person_status-1 and person_support-1 with their default options
 * (--h1-wave 2, --contacts report, --contacts-threshold 0, --dont-know no, --carryover yes):
 * it is a second, independent statement of those rules, used for the respondent scopes of
 * truth.csv and for truth-persons.csv. derive_true() gives the same measures from the
 * latent truth, for the population scope.
 */
#include "synth.h"

/* any-wave rule over the waves lo..hi of a yes/no item: 1 when an answered wave says yes,
 * 0 when some wave answered (1 or 2) and none said yes, -1 otherwise */
static int any_wave_yn(const struct person *p, int lo, int hi, int item)
{
	int answered = 0;

	for (int k = lo; k <= hi; k++) {
		int v;

		if (!p->w[k].present)
			continue;
		v = p->w[k].v[item];
		if (v == 1)
			return 1;
		if (v == 2)
			answered = 1;
	}
	return answered ? 0 : -1;
}

static int any_wave_health(const struct person *p, int lo, int hi)
{
	int answered = 0;

	for (int k = lo; k <= hi; k++) {
		int v;

		if (!p->w[k].present)
			continue;
		v = p->w[k].v[I_GEZOND];
		if (v >= 4 && v <= 5)
			return 1;
		if (v >= 1 && v <= 3)
			answered = 1;
	}
	return answered ? 0 : -1;
}

static int any_wave_problem(const struct person *p, int lo, int hi)
{
	int answered = 0;

	for (int k = lo; k <= hi; k++) {
		if (!p->w[k].present)
			continue;
		for (int i = I_PROB0; i <= I_PROB4; i++) {
			if (p->w[k].v[i] == 1)
				return 1;
			if (p->w[k].v[i] == 2)
				answered = 1;
		}
	}
	return answered ? 0 : -1;
}

/* the support flag of a form: yes in any answered wave of the half-year; 0 otherwise */
static int form_flag(const struct person *p, int lo, int hi, int item)
{
	for (int k = lo; k <= hi; k++)
		if (p->w[k].present && p->w[k].v[item] == 1)
			return 1;
	return 0;
}

static int obligation(int v)
{
	return v == 1 ? OBL_YES : v == 2 ? OBL_NO : v == 8 ? OBL_DK : -1;
}

static void year_measures(struct derived *d)
{
	for (int f = 0; f < N_FORMS; f++) {
		if (f == F_PROBHELP)
			continue;
		d->year_form[f] = d->form[H1][f] == 1 || d->form[H2][f] == 1;
	}
	d->year_prog_h2 = d->form[H2][F_PROGRAMME] == 1 || d->form[H1][F_PROGRAMME] == 1;
	if (d->problem[H1] == 1 || d->problem[H2] == 1)
		d->year_form[F_PROBHELP] = d->form[H1][F_PROBHELP] == 1 || d->form[H2][F_PROBHELP] == 1;
	else
		d->year_form[F_PROBHELP] = -1;
	d->year_any = d->any[H1] == 1 || d->any[H2] == 1;
}

static void year_missing(struct derived *d)
{
	for (int f = 0; f < N_FORMS; f++)
		d->year_form[f] = -1;
	d->year_prog_h2 = d->year_any = -1;
}

void derive_recorded(const struct person *p, struct derived *d)
{
	static const int item_of[5] = { I_ADVIES, I_HULP_SOLL, I_EIGEN_BEDRIJF, I_TRAJECT, I_TRAINING };

	for (int k = 0; k < 3; k++)
		d->resp[k] = p->w[k].present;
	d->poor[H1] = any_wave_health(p, 0, 1);
	d->poor[H2] = any_wave_health(p, 2, 2);
	d->problem[H1] = any_wave_problem(p, 0, 1);
	d->problem[H2] = any_wave_problem(p, 2, 2);
	d->asked[H1] = any_wave_yn(p, 0, 1, I_HULP_GEVR);
	d->asked[H2] = any_wave_yn(p, 2, 2, I_HULP_GEVR);
	d->w1_obl = p->w[0].present ? obligation(p->w[0].v[I_PLICHT]) : -1;
	for (int h = 0; h < 2; h++) {
		const struct wave *wv = &p->w[h == H1 ? 1 : 2];
		int lo = h == H1 ? 0 : 2, hi = h == H1 ? 1 : 2;
		int answered = 0;

		if (wv->present) {
			int wk = wv->v[I_WERK], z = wv->v[I_ZOEKT], u = wv->v[I_ZOEKUREN], s = wv->v[I_SOLL];

			d->obl[h] = obligation(wv->v[I_PLICHT]);
			d->work[h] = wk >= 1 && wk <= 3 ? wk - 1 : -1;
			d->looking[h] = z == 1 ? 1 : z == 2 ? 0 : -1;
			d->hours[h] = d->looking[h] == 0 ? 0 : d->looking[h] == 1 && u >= 0 && u <= 97 ? u : -1;
			d->apps[h] = s >= 0 && s <= 997 ? s : -1;
		} else {
			d->obl[h] = d->work[h] = d->looking[h] = d->hours[h] = d->apps[h] = -1;
		}
		for (int k = lo; k <= hi; k++)
			answered |= p->w[k].present;
		if (!answered) {
			for (int f = 0; f < N_FORMS; f++)
				d->form[h][f] = -1;
			d->any[h] = -1;
			continue;
		}
		d->any[h] = 0;
		for (int f = 0; f < 5; f++) {
			d->form[h][f] = form_flag(p, lo, hi, item_of[f]);
			d->any[h] |= d->form[h][f];
		}
		if (d->problem[h] == 1) {
			d->form[h][F_PROBHELP] = form_flag(p, lo, hi, I_HULP_PROBL);
			d->any[h] |= d->form[h][F_PROBHELP];
		} else {
			d->form[h][F_PROBHELP] = -1;
		}
		if (h == H1) {
			int c = 0;

			for (int k = 0; k <= 1; k++)
				if (p->w[k].present && p->w[k].v[I_CONTACTEN] > 0 && p->w[k].v[I_CONTACTEN] <= 97)
					c = 1;
			d->form[H1][F_CONTACTS] = c;
		} else {
			d->form[H2][F_CONTACTS] = p->w[2].v[I_BEGELEIDING] == 1;
		}
		d->any[h] |= d->form[h][F_CONTACTS];
	}
	if (d->resp[1] && d->resp[2])
		year_measures(d);
	else
		year_missing(d);
}

void derive_true(const struct person *p, struct derived *d)
{
	for (int k = 0; k < 3; k++)
		d->resp[k] = 1;
	d->w1_obl = p->obl[0];
	for (int h = 0; h < 2; h++) {
		d->poor[h] = p->poor[h];
		d->problem[h] = p->problem[h];
		d->asked[h] = p->asked[h];
		d->obl[h] = p->obl[h + 1];
		d->work[h] = p->work[h];
		d->looking[h] = p->looking[h];
		d->hours[h] = p->hours[h];
		d->apps[h] = p->apps[h];
		for (int f = 0; f < N_FORMS; f++)
			d->form[h][f] = p->form[h][f];
		if (!p->problem[h])
			d->form[h][F_PROBHELP] = -1;
		d->any[h] = p->sup[h];
	}
	year_measures(d);
}
