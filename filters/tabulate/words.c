/* words.c - what the pages say and how they write numbers, shared by both pages: the
 * labels of the spec, the fixed words of the pages (in Dutch and English), Dutch decimal
 * commas, estimates with their unit and interval, counts that may be withheld, and the
 * method line of a table.
 */
#include "tabulate.h"

#include "diag.h"

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
	{ "weighted", { "gewogen met design_weight; 95%-interval ontwerpgebaseerd (gestratificeerd, gelineariseerd)",
			"weighted by design_weight; 95% interval design-based (stratified, linearised)" } },
	{ "unweighted", { "ongewogen; 95%-interval Wilson (aandelen) of normaal (gemiddelden)",
			  "unweighted; 95% interval Wilson (shares) or normal (means)" } },
	{ "n_unweighted", { "n ongewogen", "n unweighted" } },
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
	{ "effects_method", { "staaf = gemiddeld marginaal effect (AME) gedeeld door de grootste |AME| van het model; alleen effecten met p < {}",
			      "bar = average marginal effect (AME) divided by the model's largest |AME|; only effects with p < {}" } },
	{ "symbols_method", { "++ significant positief op alle drie uitkomsten (H1 of H2), + op een of twee, - significant negatief (en nergens positief), +/- beide; p < {}",
			      "++ significantly positive on all three outcomes (H1 or H2), + on one or two, - significantly negative (and nowhere positive), +/- both; p < {}" } },
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
	{ "behind", { "De schattingen achter de symbolen (AME; * = significant)", "The estimates behind the symbols (AME; * = significant)" } },
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
	/* "dropped_incomplete:731" beside a published total would give the withheld n away */
	for (size_t i = 0; w[i] && k + 1 < sz; i++) {
		if (w[i] >= '0' && w[i] <= '9') {
			if (i > 0 && w[i - 1] >= '0' && w[i - 1] <= '9')
				continue;
			buf[k++] = 'x';
		} else {
			buf[k++] = w[i];
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

void method_line(const struct tctx *x, const struct ttable *t, char *buf, size_t sz)
{
	const char *seen[16];
	size_t nseen = 0;
	int any_w = 0, any_u = 0;
	char alpha[32];

	*buf = '\0';
	snprintf(alpha, sizeof alpha, "%g", x->opts->alpha);
	if (x->opts->lang == LANG_NL)
		for (char *p = alpha; *p; p++)
			if (*p == '.')
				*p = ',';
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
			cat(buf, sz, "%s%s; ", tr_ui(x, "unweighted"), t->weighted ? "" : "");
		cat(buf, sz, "%s; ", tr_ui(x, "n_unweighted"));
	} else {
		char legend[512];

		if (t->kind == KIND_EFFECTS || t->kind == KIND_SYMBOLS) {
			tr_fill(x, t->kind == KIND_EFFECTS ? "effects_method" : "symbols_method", alpha, legend, sizeof legend);
			cat(buf, sz, "%s", legend);
		} else
			cat(buf, sz, "%s %s", tr_ui(x, "difference"), "(model_coef contrast:*)");
		cat(buf, sz, "; ");
		for (size_t mi = 0; mi < t->nmodels; mi++) {
			const struct mfit *f = models_find(x->models, t->models[mi].name);

			char nb[32], wb[512];

			if (f == NULL)
				continue;
			cat(buf, sz, "%s %s (%s, %s %s, %s %s, n = %s, %s %s%s%s); ", tr_ui(x, "model"), f->name, f->family,
			    x->opts->lang == LANG_NL ? "gewichten" : "weights", f->weights,
			    x->opts->lang == LANG_NL ? "variantie" : "variance", f->variance,
			    fmt_count(nb, sizeof nb, shown_count(x->opts, f->n), model_withheld(x, f)),
			    tr_ui(x, "status"), f->status, *f->warnings ? ": " : "", fmt_warnings(x, f, wb, sizeof wb));
		}
	}
	{
		char n[32], f[256];

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
	for (size_t i = 0; i < x->cells->n; i++) {
		const struct tcell *c = &x->cells->v[i];
		size_t k;

		if (c->table != t || c->method == NULL || *c->method == '\0')
			continue;
		for (k = 0; k < nseen; k++)
			if (strcmp(seen[k], c->method) == 0)
				break;
		if (k < nseen || nseen == 16)
			continue;
		seen[nseen++] = c->method;
		cat(buf, sz, "; %s %s", t->kind == KIND_PEOPLE ? tr_ui(x, "support_method") : tr_ui(x, "spec_hash"), c->method);
	}
}
