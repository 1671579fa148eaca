/* words.c - what the pages say and how they write numbers, shared by both pages: the
 * labels of the spec, the fixed words of the pages (in Dutch and English), Dutch decimal
 * commas, estimates with their unit and interval, counts that may be withheld, and the
 * method line of a table.
 */
#include "tabulate.h"

#include "diag.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct uiword {
	const char *key, *text[NLANG];
};

static const struct uiword ui[] = {
	{ "report", { "Het eerste jaar: tabellen", "The first year: tables" } },
	{ "row", { "", "" } },
	{ "estimate", { "schatting", "estimate" } },
	{ "ci", { "95%-interval", "95% interval" } },
	{ "n", { "n", "n" } },
	{ "population", { "Populatie", "Population" } },
	{ "respondents", { "respondenten", "respondents" } },
	{ "registry", { "alle personen in de registratie", "every person in the registers" } },
	{ "method", { "Methode", "Method" } },
	{ "weighted", { "gewogen naar de opzet van de steekproef, zodat de cijfers gelden voor alle aanvragers; het 95%-interval houdt rekening met die opzet",
			"weighted for the design of the sample, so that the figures hold for all applicants; the 95% interval allows for that design" } },
	{ "unweighted", { "ongewogen; 95%-interval volgens Wilson (aandelen) of de normale benadering (gemiddelden)",
			  "unweighted; 95% interval by Wilson (shares) or the normal approximation (means)" } },
	{ "n_unweighted", { "n = het aantal personen waarop een cijfer berust", "n = the number of people a figure rests on" } },
	{ "suppression", { "x = onderdrukt: minder dan {} personen, of aanvullend onderdrukt",
			   "x = suppressed: fewer than {} people, or complementary" } },
	{ "protection", { "geen onderdrukt aantal is uit de gepubliceerde cijfers tot minder dan een bereik van {} personen te herleiden",
			  "no suppressed count can be narrowed down from the published figures to less than a range of {} people" } },
	{ "rounding", { "aantallen afgerond op veelvouden van {}", "counts rounded to multiples of {}" } },
	{ "support_method", { "support_method", "support_method" } },
	{ "model", { "model", "model" } },
	{ "models", { "modellen", "models" } },
	{ "spec_hash", { "spec_hash", "spec_hash" } },
	{ "ame", { "AME", "AME" } },
	{ "relative", { "relatief effect", "relative effect" } },
	{ "effects_method", { "staaf = gemiddeld marginaal effect (AME): hoeveel de kans op ondersteuning verandert bij dit kenmerk, met het 95%-interval als streep; "
			      "alleen effecten waarvan het 95%-interval 0 uitsluit krijgen een staaf; * : het 95%-interval van het effect sluit 0 uit; "
			      "uitkomsten van een regressiemodel per halfjaar, technische gegevens in de bijlage",
			      "bar = average marginal effect (AME): how much the chance of support changes with this characteristic, with its 95% interval as a line; "
			      "only effects whose 95% interval excludes 0 get a bar; * : the 95% interval of the effect excludes 0; "
			      "from a regression model per half-year, technical details in the appendix" } },
	{ "symbols_method", { "++ significant positief op alle drie uitkomsten (H1 of H2), + op een of twee, - significant negatief (en nergens positief), +/- beide; "
			      "significant: de toets van de modelcoëfficiënt geeft p < {}; uitkomsten van regressiemodellen, technische gegevens in de bijlage",
			      "++ significantly positive on all three outcomes (H1 or H2), + on one or two, - significantly negative (and nowhere positive), +/- both; "
			      "significant: the test of the model coefficient gives p < {}; from regression models, technical details in the appendix" } },
	{ "contrasts_method", { "verschil tussen de groepen volgens het model, met 95%-interval; technische gegevens in de bijlage",
				"difference between the groups according to the model, with its 95% interval; technical details in the appendix" } },
	{ "support_rules", { "hoe de ondersteuning is vastgesteld: zie de bijlage", "how support was determined: see the appendix" } },
	{ "appendix", { "Bijlage: technische gegevens", "Appendix: technical details" } },
	{ "appendix_intro", { "Per tabel de regels en modellen zoals de programma's ze vastleggen (voor wie de cijfers wil nagaan).",
			      "Per table the rules and models as the programs record them (for whoever wants to check the figures)." } },
	{ "conditions", { "voorwaarden", "conditions" } },
	{ "and", { "en", "and" } },
	{ "run_date", { "datum van de run: {}", "run date: {}" } },
	{ "extract_dates", { "peildatum van de bestanden: {}", "extract date of the files: {}" } },
	{ "sig_rule", { "* : het 95%-interval van het effect sluit 0 uit", "* : the 95% interval of the effect excludes 0" } },
	{ "not_significant", { "niet significant", "not significant" } },
	{ "none_significant", { "geen significante effecten", "no significant effects" } },
	{ "outcome", { "uitkomst", "outcome" } },
	{ "period", { "periode", "period" } },
	{ "difference", { "verschil", "difference" } },
	{ "status", { "status", "status" } },
	{ "failed", { "model mislukt; geen schattingen", "model failed; no estimates" } },
	{ "warnings", { "waarschuwingen", "warnings" } },
	{ "unweighted_row", { "ongewogen", "unweighted" } },
	{ "weighted_row", { "gewogen", "weighted" } },
	{ "legend", { "Legenda", "Legend" } },
	{ "behind", { "De schattingen achter de symbolen (AME met 95%-interval; * : het 95%-interval van het effect sluit 0 uit)",
		      "The estimates behind the symbols (AME with its 95% interval; * : the 95% interval of the effect excludes 0)" } },
	{ "notes", { "Noten", "Notes" } },
	{ "contents", { "Inhoud", "Contents" } },
	/* the section on the changes since the last report (changes.c) */
	{ "ch_title", { "Sinds het vorige rapport", "Since the last report" } },
	{ "ch_test", { "Buiten het interval: het verschil is minstens zo groot als het gecombineerde interval van beide rapporten "
		       "(twee-steekproeven-z op de standaardfouten die de gepubliceerde intervallen geven; compare-runs).",
		       "Beyond the interval: the difference is at least as large as the two reports' combined interval "
		       "(a two-sample z on the standard errors the published intervals imply; compare-runs)." } },
	{ "ch_table", { "tabel", "table" } },
	{ "ch_cell_col", { "cel", "cell" } },
	{ "ch_cells_col", { "cellen", "cells" } },
	{ "ch_old_method", { "vorige methode", "previous method" } },
	{ "ch_new_method", { "methode nu", "method now" } },
	{ "ch_previous", { "vorig rapport", "last report" } },
	{ "ch_now", { "dit rapport", "this report" } },
	{ "generated", { "Gemaakt door tabulate uit {}", "Made by tabulate from {}" } },
	{ NULL, { NULL, NULL } }
};

const char *tr_ui(const struct tctx *x, const char *key)
{
	for (const struct uiword *u = ui; u->key; u++)
		if (strcmp(u->key, key) == 0)
			return u->text[x->opts->lang];
	BUG("no UI word '%s'", key);
}

void tr_fill(const struct tctx *x, const char *key, const char *arg, char *buf, size_t sz)
{
	const char *t = tr_ui(x, key), *at = strstr(t, "{}");

	if (at == NULL)
		snprintf(buf, sz, "%s", t);
	else
		snprintf(buf, sz, "%.*s%s%s", (int)(at - t), t, arg, at + 2);
}

const char *spec_name(const struct tctx *x)
{
	const char *slash = strrchr(x->spec->path, '/');

	return slash ? slash + 1 : x->spec->path;
}

const char *tr_label(const struct tctx *x, const char *key)
{
	const char *l = spec_label(x->spec, x->opts->lang, key);

	return l ? l : key;
}

const char *tr_row(const struct tctx *x, const struct tcell *c)
{
	char key[256];
	const char *l;

	snprintf(key, sizeof key, "%s/%s", c->table->id, c->row);
	l = spec_label(x->spec, x->opts->lang, key);
	return l ? l : tr_label(x, c->row);
}

void fmt_num(const struct tctx *x, char *buf, size_t sz, double v, int decimals)
{
	if (!isfinite(v)) {
		snprintf(buf, sz, "–");
		return;
	}
	if (fabs(v) < 0.5 * pow(10, -decimals))
		v = 0;                      /* no "-0,0" */
	snprintf(buf, sz, "%.*f", decimals, v);
	if (x->opts->lang == LANG_NL)
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
}

static int decimals_of(const struct tcell *c)
{
	if (strcmp(c->measure, "count") == 0)
		return 0;
	if (strcmp(c->measure, "share") == 0 || strcmp(c->measure, "mean") == 0 ||
	    strcmp(c->measure, "difference") == 0)
		return 1;
	if (strcmp(c->measure, "ame_scaled") == 0)
		return 2;
	return 3;
}

static double scale_of(const struct tcell *c)
{
	return strcmp(c->measure, "share") == 0 ? 100 : 1;
}

void fmt_est(const struct tctx *x, char *buf, size_t sz, const struct tcell *c, double v)
{
	char n[64];

	if (c->suppressed) {
		snprintf(buf, sz, "x");
		return;
	}
	if (strcmp(c->measure, "symbol") == 0) {
		snprintf(buf, sz, "%s", c->symbol);
		return;
	}
	if (strcmp(c->measure, "p") == 0 && isfinite(v) && v < 0.001) {
		fmt_num(x, n, sizeof n, 0.001, 3);
		snprintf(buf, sz, "< %s", n);
		return;
	}
	fmt_num(x, n, sizeof n, v * scale_of(c), decimals_of(c));
	snprintf(buf, sz, "%s%s", n, strcmp(c->measure, "share") == 0 && isfinite(v) ? " %" : "");
}

void fmt_ci(const struct tctx *x, char *buf, size_t sz, const struct tcell *c)
{
	char a[64], b[64];
	double lo, hi;

	if (c->suppressed || !isfinite(c->lo) || !isfinite(c->hi)) {
		*buf = '\0';
		return;
	}
	/* a linearised interval of a share near 0 or 1 can pass the bounds; the page shows
	 * it clipped, the CSV keeps the exact figures */
	lo = c->lo;
	hi = c->hi;
	if (strcmp(c->measure, "share") == 0) {
		lo = fmax(lo, 0);
		hi = fmin(hi, 1);
	}
	fmt_num(x, a, sizeof a, lo * scale_of(c), decimals_of(c));
	fmt_num(x, b, sizeof b, hi * scale_of(c), decimals_of(c));
	snprintf(buf, sz, "%s – %s%s", a, b, strcmp(c->measure, "share") == 0 ? " %" : "");
}

const char *fmt_count(char *buf, size_t sz, long n, int withheld)
{
	if (withheld)
		snprintf(buf, sz, "x");
	else
		snprintf(buf, sz, "%ld", n);
	return buf;
}

int model_withheld(const struct tctx *x, const struct mfit *f)
{
	for (size_t i = 0; i < x->cells->n; i++)
		if (x->cells->v[i].fit == f)
			return x->cells->v[i].suppressed != 0;
	return f->n < x->opts->min_n;
}

const char *fmt_warnings(const struct tctx *x, const struct mfit *f, char *buf, size_t sz)
{
	const char *w = f->warnings;
	size_t k = 0;

	if (!model_withheld(x, f)) {
		snprintf(buf, sz, "%s", w);
		return buf;
	}
	/* "dropped_incomplete:731" beside a published total would give the withheld n away:
	 * every number goes, but not the digits of a name ("h1_any_support") */
	for (size_t i = 0, in_name = 0; w[i] && k + 1 < sz; i++) {
		int digit = w[i] >= '0' && w[i] <= '9';

		if (!digit) {
			in_name = isalpha((unsigned char)w[i]) || w[i] == '_';
			buf[k++] = w[i];
		} else if (in_name) {
			buf[k++] = w[i];
		} else if (i == 0 || w[i - 1] < '0' || w[i - 1] > '9') {
			buf[k++] = 'x';
		}
	}
	buf[k] = '\0';
	return buf;
}

/* Append to buf (bounded). */
static void cat(char *buf, size_t sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t sz, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= sz)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, sz - len, fmt, ap);
	va_end(ap);
}

/* The --alpha of the legend, with the page's decimal sign. */
static void alpha_text(const struct tctx *x, char *buf, size_t sz)
{
	snprintf(buf, sz, "%g", x->opts->alpha);
	if (x->opts->lang == LANG_NL)
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
}

void method_line(const struct tctx *x, const struct ttable *t, char *buf, size_t sz)
{
	int any_w = 0, any_u = 0;
	char alpha[32], f[1024], n[32];

	*buf = '\0';
	alpha_text(x, alpha, sizeof alpha);
	for (size_t i = 0; i < x->cells->n; i++) {
		const struct tcell *c = &x->cells->v[i];

		if (c->table != t)
			continue;
		if (c->weighted)
			any_w = 1;
		else
			any_u = 1;
	}
	if (t->kind == KIND_PEOPLE) {
		if (any_w)
			cat(buf, sz, "%s; ", tr_ui(x, "weighted"));
		if (any_u)
			cat(buf, sz, "%s; ", tr_ui(x, "unweighted"));
		cat(buf, sz, "%s; %s; ", tr_ui(x, "n_unweighted"), tr_ui(x, "support_rules"));
	} else {
		tr_fill(x, t->kind == KIND_EFFECTS ? "effects_method" : t->kind == KIND_SYMBOLS ? "symbols_method" : "contrasts_method",
			alpha, f, sizeof f);
		cat(buf, sz, "%s; ", f);
	}
	snprintf(n, sizeof n, "%ld", x->opts->min_n);
	tr_fill(x, "suppression", n, f, sizeof f);
	cat(buf, sz, "%s", f);
	if (x->opts->audit && x->opts->min_n > 0) {
		snprintf(n, sizeof n, "%ld", x->opts->protection);
		tr_fill(x, "protection", n, f, sizeof f);
		cat(buf, sz, "; %s", f);
	}
	if (x->opts->round_base > 1) {
		snprintf(n, sizeof n, "%ld", x->opts->round_base);
		tr_fill(x, "rounding", n, f, sizeof f);
		cat(buf, sz, "; %s", f);
	}
}

/* The models of a model table: name, family, weights, variance, n (withheld: x), status
 * and warnings. */
static void model_tags(const struct tctx *x, const struct ttable *t, char *buf, size_t sz)
{
	for (size_t mi = 0; mi < t->nmodels; mi++) {
		const struct mfit *f = models_find(x->models, t->models[mi].name);
		char nb[32], wb[512];

		if (f == NULL)
			continue;
		cat(buf, sz, "; %s %s (%s, %s %s, %s %s, n = %s, %s %s%s%s, spec_hash %s)", tr_ui(x, "model"), f->name,
		    f->family, x->opts->lang == LANG_NL ? "gewichten" : "weights", f->weights,
		    x->opts->lang == LANG_NL ? "variantie" : "variance", f->variance,
		    fmt_count(nb, sizeof nb, shown_count(x->opts, f->n), model_withheld(x, f)), tr_ui(x, "status"),
		    f->status, *f->warnings ? ": " : "", fmt_warnings(x, f, wb, sizeof wb), f->spec_hash);
	}
}

void tech_line(const struct tctx *x, const struct ttable *t, char *buf, size_t sz)
{
	const char *seen[16];
	size_t nseen = 0;

	*buf = '\0';
	if (t->weighted)
		cat(buf, sz, "weights design_weight (strata: stratum)");
	for (size_t p = 0; p < t->npanels; p++) {          /* the conditions as written, once each */
		const char *w = t->panels[p].respondents;
		size_t k;

		for (k = 0; k < p && strcmp(t->panels[k].respondents, w) != 0; k++)
			;
		if (k == p && *w)
			cat(buf, sz, "%s%s: %s", *buf ? "; " : "", tr_ui(x, "respondents"), w);
	}
	if (t->kind == KIND_PEOPLE) {
		for (size_t i = 0; i < x->cells->n; i++) {
			const struct tcell *c = &x->cells->v[i];
			size_t k;

			if (c->table != t || c->method == NULL || *c->method == '\0')
				continue;
			for (k = 0; k < nseen && strcmp(seen[k], c->method) != 0; k++)
				;
			if (k < nseen || nseen == 16)
				continue;
			seen[nseen++] = c->method;
			cat(buf, sz, "%s%s %s", *buf ? "; " : "", tr_ui(x, "support_method"), c->method);
		}
	} else {
		if (t->kind == KIND_CONTRASTS)
			cat(buf, sz, "%smodel_coef contrast:*", *buf ? "; " : "");
		model_tags(x, t, buf, sz);
		if (*buf == ';')
			memmove(buf, buf + 2, strlen(buf + 2) + 1);
	}
}

void plain_respondents(const struct tctx *x, const char *cond, char *buf, size_t sz)
{
	const char *p = cond;

	*buf = '\0';
	while (*p) {
		const char *amp = strstr(p, " & ");
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		char part[256];
		const char *l;

		snprintf(part, sizeof part, "%.*s", (int)len, p);
		if ((l = spec_label(x->spec, x->opts->lang, part)) == NULL) {
			snprintf(buf, sz, "%s: %s", tr_ui(x, "respondents"), cond);   /* a part without words */
			return;
		}
		if (*buf)
			cat(buf, sz, " %s ", tr_ui(x, "and"));
		cat(buf, sz, "%s", l);
		p = amp ? amp + 3 : p + len;
	}
}
