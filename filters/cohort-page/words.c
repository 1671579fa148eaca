/* words.c - what the cohort pages say, in Dutch and English, and how they write a figure
 * (chart_format's numbers: a share in %, a decimal comma in Dutch). */
#include "page.h"

#include <math.h>
#include <string.h>

#include "diag.h"

const struct indicator indicators[] = {
	{ "inflow", "applicants", "count", 0, 0, { "Aanvragers", "Applicants" } },
	{ "on_benefit", "on_benefit_3m", "share", 1, 1,
	  { "Na 3 maanden nog een uitkering", "Still on benefit after 3 months" } },
	{ "on_benefit", "on_benefit_6m", "share", 1, 1,
	  { "Na 6 maanden nog een uitkering", "Still on benefit after 6 months" } },
	{ "on_benefit", "on_benefit_12m", "share", 1, 1,
	  { "Na 12 maanden nog een uitkering", "Still on benefit after 12 months" } },
	{ "handover", "none", "share", 1, 1,
	  { "Overdracht CWI-UWV: geen (wie na 6 maanden nog een uitkering heeft)",
	    "Handover CWI-UWV: none (those on benefit after 6 months)" } },
	{ "handover", "cwi_only", "share", 1, 1,
	  { "Overdracht CWI-UWV: alleen bij CWI bekend (wie na 6 maanden nog een uitkering heeft)",
	    "Handover CWI-UWV: known at CWI only (those on benefit after 6 months)" } },
	{ "handover", "uwv_only", "share", 1, 1,
	  { "Overdracht CWI-UWV: alleen bij UWV bekend (wie na 6 maanden nog een uitkering heeft)",
	    "Handover CWI-UWV: known at UWV only (those on benefit after 6 months)" } },
	{ "handover", "both", "share", 1, 1,
	  { "Overdracht CWI-UWV: bij beide bekend (wie na 6 maanden nog een uitkering heeft)",
	    "Handover CWI-UWV: known at both (those on benefit after 6 months)" } },
	{ "km", "median", "median", 0, 1,
	  { "Mediane duur van de uitkering in maanden (Kaplan-Meier)", "Median time on benefit in months (Kaplan-Meier)" } },
};
const size_t n_indicators = sizeof indicators / sizeof *indicators;

struct uiword {
	const char *key, *text[NLANG];
};

static const struct uiword ui[] = {
	{ "lang", { "nl", "en" } },
	{ "title", { "Het eerste jaar: de registratiemonitor per cohort", "The first year: the registry monitor by cohort" } },
	{ "intro",
	  { "Elke grafiek volgt een cijfer over de cohorten van aanvragers, het oudste links: de lijn is de schatting, "
	    "de lichte band het 95%-interval. Een cijfer dat nog niet bekend is - de peildatum ligt nog niet voorbij de "
	    "k-maandengrens van het laatste lid van het cohort - heeft geen punt in de grafiek en staat als 'nog niet "
	    "bekend' in de tabel, nooit als aandeel van wie tot nu toe gezien is. x = onderdrukt: minder dan min-n "
	    "personen, of aanvullend onderdrukt; er staat dan geen enkel getal van. * = voorlopig: een "
	    "Kaplan-Meier-schatting terwijl leden nog gecensureerd zijn: een volgend extract kan haar veranderen. Onder "
	    "elke grafiek staan dezelfde cijfers in een tabel.",
	    "Each chart follows one figure over the cohorts of applicants, the oldest on the left: the line is the "
	    "estimate, the light band its 95% interval. A figure that is not yet known - the extract date is not yet "
	    "past the k-month mark of the cohort's last member - has no point in the chart and reads 'not yet known' in "
	    "the table, never a share of the people observed so far. x = suppressed: fewer than min-n people, or "
	    "complementary suppression; no number of it is shown. * = provisional: a Kaplan-Meier estimate while "
	    "members are still censored: a later extract may change it. Below each chart, the same numbers as a "
	    "table." } },
	{ "month", { "Maandcohorten", "Monthly cohorts" } },
	{ "quarter", { "Kwartaalcohorten", "Quarterly cohorts" } },
	{ "year", { "Jaarcohorten", "Yearly cohorts" } },
	{ "range", { "Samengevoegde maanden", "Combined months" } },
	{ "ww", { "WW", "WW" } },
	{ "wwb", { "WWB (bijstand)", "WWB (social assistance)" } },
	{ "cohort", { "cohort", "cohort" } },
	{ "estimate", { "schatting", "estimate" } },
	{ "ci", { "95%-interval", "95% interval" } },
	{ "n", { "n", "n" } },
	{ "status", { "status", "status" } },
	{ "month_col", { "maand", "month" } },
	{ "at_risk", { "n (risicoset)", "n (at risk)" } },
	{ "curves", { "Nog een uitkering na 1-18 maanden (Kaplan-Meier) in de laatste cohorten",
		      "Still on benefit after 1-18 months (Kaplan-Meier) in the last cohorts" } },
	{ "curves_note", { "De lijnen verbinden de maandstanden van de curve S(1) .. S(18); een curve stopt waar de "
			   "stand nog niet bekend of onderdrukt is.",
			   "The lines join the curve's monthly readings S(1) .. S(18); a curve stops where a reading is "
			   "not yet known or suppressed." } },
	{ "chart_of", { "Lijngrafiek van", "Line chart of" } },
	{ "table_of", { "Cijfers van", "Numbers of" } },
	{ "no_row", { "–", "–" } },
	{ "method", { "Methode", "Method" } },
	{ "generated", { "Gemaakt door cohort-page uit cohort_table/1 (cohort-tables).",
			 "Made by cohort-page from cohort_table/1 (cohort-tables)." } },
	{ NULL, { NULL, NULL } }
};

const char *word(int lang, const char *key)
{
	for (const struct uiword *u = ui; u->key; u++)
		if (strcmp(u->key, key) == 0)
			return u->text[lang];
	BUG("no UI word '%s'", key);
}

const char *status_word(int lang, enum fstatus st)
{
	static const char *const w[N_STATUS][NLANG] = {
		{ "bekend", "known" }, { "voorlopig", "provisional" }, { "nog niet bekend", "not yet known" },
		{ "onderdrukt", "suppressed" },
	};

	return w[st][lang];
}

void fmt_fig_est(int lang, char *buf, size_t sz, const struct fig *f, int percent, int decimals)
{
	if (f == NULL)
		snprintf(buf, sz, "%s", word(lang, "no_row"));
	else if (f->status == ST_SUPPRESSED)
		snprintf(buf, sz, "x");
	else if (f->status == ST_NOT_YET_KNOWN || !isfinite(f->est))
		snprintf(buf, sz, "%s", status_word(lang, ST_NOT_YET_KNOWN));
	else {
		chart_format(buf, sz, f->est, percent, decimals, lang == LANG_NL);
		if (f->status == ST_ESTIMATE)    /* provisional: a later extract may change it */
			strncat(buf, " *", sz - strlen(buf) - 1);
	}
}

void fmt_fig_ci(int lang, char *buf, size_t sz, const struct fig *f, int percent, int decimals)
{
	char a[32], b[32];

	*buf = '\0';
	if (f == NULL || !isfinite(f->est) || !isfinite(f->lo) || !isfinite(f->hi))
		return;
	chart_format(a, sizeof a, f->lo, percent, decimals, lang == LANG_NL);
	chart_format(b, sizeof b, f->hi, percent, decimals, lang == LANG_NL);
	snprintf(buf, sz, "%s – %s", a, b);
}

void fmt_fig_n(char *buf, size_t sz, const struct fig *f)
{
	*buf = '\0';
	if (f && f->n >= 0 && isfinite(f->est))
		snprintf(buf, sz, "%ld", f->n);
}
