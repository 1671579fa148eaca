/* render_md.c - the readable report, and the wording and number formats both readable
 * renderers share (labels from the spec, fixed UI words here, Dutch decimal commas).
 *
 * Per table: its title, per block (benefit, period, population) the population with its
 * n, the estimates with their interval and n, and a method line saying what the figures
 * rest on (weighting, interval, suppression, support_method values or model spec hashes).
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

/* Markdown text: escape the characters a table cell or inline text would misread. */
static void md_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\*`[]<>", *s))     /* '_' inside words is literal in CommonMark */
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

static void block_head(const struct tctx *x, FILE *fp, const struct tcell *c)
{
	fputs("\n### ", fp);
	md_text(fp, tr_label(x, c->benefit));
	fputs(" · ", fp);
	md_text(fp, tr_label(x, c->period));
	fputs(" · ", fp);
	md_text(fp, tr_label(x, c->population));
	fputs("\n\n", fp);
}

static void people_table(const struct tctx *x, FILE *fp, const struct ttable *t, size_t from, size_t to)
{
	size_t i = from;
	int both = 0;
	char nb[32];

	for (size_t k = from; k + 1 < to; k++)
		if (x->cells->v[k].tr == x->cells->v[k + 1].tr && x->cells->v[k].slot == x->cells->v[k + 1].slot)
			both = 1;
	while (i < to) {
		const struct tcell *c = &x->cells->v[i];
		size_t j = i;

		block_head(x, fp, c);
		fprintf(fp, "%s: ", tr_ui(x, "population"));
		md_text(fp, tr_label(x, c->population));
		if (*c->tp->respondents) {
			fprintf(fp, "; %s: ", tr_ui(x, "respondents"));
			md_text(fp, c->tp->respondents);
		} else if (!t->weighted) {
			fprintf(fp, "; %s", tr_ui(x, "registry"));
		}
		fprintf(fp, "; n = %s\n\n", fmt_count(nb, sizeof nb, c->panel_n, c->panel_hidden));
		fprintf(fp, "| | %s | %s | n |\n|:--|--:|--:|--:|\n", tr_ui(x, "estimate"), tr_ui(x, "ci"));
		for (; j < to && x->cells->v[j].slot == c->slot; j++) {
			const struct tcell *r = &x->cells->v[j];
			char e[64], ci[96];

			fmt_est(x, e, sizeof e, r, r->est);
			fmt_ci(x, ci, sizeof ci, r);
			fputs("| ", fp);
			md_text(fp, tr_row(x, r));
			if (both)
				fprintf(fp, " (%s)", tr_ui(x, r->weighted ? "weighted_row" : "unweighted_row"));
			fprintf(fp, " | %s | %s | %s |\n", e, ci, fmt_count(nb, sizeof nb, r->n, r->suppressed));
		}
		i = j;
	}
	(void)t;
}

static void effects_table(const struct tctx *x, FILE *fp, size_t from, size_t to)
{
	size_t i = from;
	char nb[32];

	while (i < to) {
		const struct tcell *c = &x->cells->v[i];
		int nsig = 0;
		size_t j;

		block_head(x, fp, c);
		fprintf(fp, "%s: ", tr_ui(x, "population"));
		md_text(fp, tr_label(x, c->population));
		fprintf(fp, "; n = %s\n\n| | %s | %s | %s |\n|:--|--:|--:|--:|\n", fmt_count(nb, sizeof nb, c->n, c->suppressed),
			tr_ui(x, "relative"), tr_ui(x, "ame"), tr_ui(x, "ci"));
		for (j = i; j + 1 < to && x->cells->v[j].panel == c->panel; j += 2) {
			const struct tcell *s = &x->cells->v[j], *a = &x->cells->v[j + 1];
			char e[64], v[64], ci[96];

			if (isfinite(s->est))
				nsig++;
			if (s->suppressed)
				snprintf(e, sizeof e, "x");
			else if (isfinite(s->est))
				fmt_num(x, e, sizeof e, s->est, 2);
			else
				snprintf(e, sizeof e, "(%s)", tr_ui(x, "not_significant"));
			fmt_est(x, v, sizeof v, a, a->est);
			fmt_ci(x, ci, sizeof ci, a);
			fputs("| ", fp);
			md_text(fp, tr_row(x, s));
			fprintf(fp, " | %s | %s | %s |\n", e, v, ci);
		}
		if (nsig == 0 && !c->suppressed)
			fprintf(fp, "\n(%s)\n", tr_ui(x, "none_significant"));
		i = j;
	}
}

size_t symbol_benefits(const struct tctx *x, size_t from, size_t to, const char **bens, size_t max)
{
	size_t nb = 0;

	for (size_t k = from; k < to; k++) {
		const struct tcell *c = &x->cells->v[k];
		size_t b;

		if (strcmp(c->measure, "symbol") != 0)
			continue;
		for (b = 0; b < nb; b++)
			if (strcmp(bens[b], c->benefit) == 0)
				break;
		if (b == nb && nb < max)
			bens[nb++] = c->benefit;
	}
	return nb;
}

const char *symbol_of(const struct tctx *x, size_t from, size_t to, const char *benefit, const char *form)
{
	const char *s = "";

	for (size_t k = from; k < to; k++) {
		const struct tcell *c = &x->cells->v[k];

		if (strcmp(c->measure, "symbol") == 0 && strcmp(c->benefit, benefit) == 0 &&
		    strcmp(c->row, form) == 0)
			s = c->suppressed ? "x" : c->symbol;
	}
	return s;
}

static void symbols_table(const struct tctx *x, FILE *fp, const struct ttable *t, size_t from, size_t to)
{
	const char *bens[8];
	size_t nb = symbol_benefits(x, from, to, bens, 8);

	fputs("\n| |", fp);
	for (size_t b = 0; b < nb; b++) {
		fputc(' ', fp);
		md_text(fp, tr_label(x, bens[b]));
		fputs(" |", fp);
	}
	fputs("\n|:--|", fp);
	for (size_t b = 0; b < nb; b++)
		fputs(":-:|", fp);
	fputc('\n', fp);
	for (size_t f = 0; f < t->nforms; f++) {
		fputs("| ", fp);
		md_text(fp, tr_label(x, t->forms[f]));
		fputs(" |", fp);
		for (size_t b = 0; b < nb; b++) {
			const char *s = symbol_of(x, from, to, bens[b], t->forms[f]);

			fprintf(fp, " %s |", s);
		}
		fputc('\n', fp);
	}
	fprintf(fp, "\n%s:\n\n| | %s | %s | %s | %s | p | n |\n|:--|:--|:--|--:|--:|--:|--:|\n",
		tr_ui(x, "behind"), tr_ui(x, "outcome"), tr_ui(x, "period"), tr_ui(x, "ame"), tr_ui(x, "ci"));
	for (size_t k = from; k + 1 < to; k++) {
		const struct tcell *a = &x->cells->v[k], *p = &x->cells->v[k + 1];
		char e[64], ci[96], pv[64], count[32];
		const char *colon;

		if (strcmp(a->measure, "ame") != 0 || strcmp(p->measure, "p") != 0)
			continue;
		colon = strrchr(a->row, ':');
		fmt_est(x, e, sizeof e, a, a->est);
		fmt_ci(x, ci, sizeof ci, a);
		fmt_est(x, pv, sizeof pv, p, p->est);
		fputs("| ", fp);
		md_text(fp, tr_label(x, a->benefit));
		fputs(": ", fp);
		{
			char form[128];

			snprintf(form, sizeof form, "%.*s", colon ? (int)(colon - a->row) : (int)strlen(a->row), a->row);
			md_text(fp, tr_label(x, form));
		}
		fputs(" | ", fp);
		md_text(fp, tr_label(x, colon ? colon + 1 : ""));
		fputs(" | ", fp);
		md_text(fp, tr_label(x, a->period));
		fprintf(fp, " | %s%s | %s | %s | %s |\n", e, *a->symbol ? " *" : "", ci, pv,
			fmt_count(count, sizeof count, a->n, a->suppressed));
	}
}

static void contrasts_table(const struct tctx *x, FILE *fp, size_t from, size_t to)
{
	fprintf(fp, "\n| | | | %s | %s | n |\n|:--|:--|:--|--:|--:|--:|\n", tr_ui(x, "difference"), tr_ui(x, "ci"));
	for (size_t k = from; k < to; k++) {
		const struct tcell *c = &x->cells->v[k];
		char e[64], ci[96], nb[32];

		fmt_est(x, e, sizeof e, c, c->est);
		fmt_ci(x, ci, sizeof ci, c);
		fputs("| ", fp);
		md_text(fp, tr_row(x, c));
		fputs(" | ", fp);
		md_text(fp, tr_label(x, c->benefit));
		fputs(" | ", fp);
		md_text(fp, tr_label(x, c->period));
		fprintf(fp, " | %s | %s | %s |\n", e, ci, fmt_count(nb, sizeof nb, c->n, c->suppressed));
	}
}

void render_md(const struct tctx *x, FILE *fp)
{
	const struct tspec *s = x->spec;
	size_t i = 0;
	char method[4096];

	fprintf(fp, "# %s\n\n", tr_ui(x, "report"));
	{
		char g[1024];

		tr_fill(x, "generated", s->path, g, sizeof g);
		md_text(fp, g);
		fputs("\n", fp);
	}
	for (size_t ti = 0; ti < s->ntables; ti++) {
		const struct ttable *t = &s->tables[ti];
		size_t from = i;

		if (!t->selected)
			continue;
		while (i < x->cells->n && x->cells->v[i].table == t)
			i++;
		fputs("\n## ", fp);
		md_text(fp, t->title[x->opts->lang]);
		fprintf(fp, " (`%s`)\n", t->id);
		if (from == i)
			fputs("\n(–)\n", fp);
		else if (t->kind == KIND_PEOPLE)
			people_table(x, fp, t, from, i);
		else if (t->kind == KIND_EFFECTS)
			effects_table(x, fp, from, i);
		else if (t->kind == KIND_SYMBOLS)
			symbols_table(x, fp, t, from, i);
		else
			contrasts_table(x, fp, from, i);
		for (size_t mi = 0; mi < t->nmodels; mi++) {
			const struct mfit *f = models_find(x->models, t->models[mi].name);

			if (f && strcmp(f->status, "failed") == 0) {
				fputs("\n**", fp);
				md_text(fp, f->name);
				char wb[512];

				fprintf(fp, "**: %s (", tr_ui(x, "failed"));
				md_text(fp, fmt_warnings(x, f, wb, sizeof wb));
				fputs(")\n", fp);
			}
		}
		for (size_t k = 0; k < t->nnotes[x->opts->lang]; k++) {
			fputs(k == 0 ? "\n" : "", fp);
			md_text(fp, t->notes[x->opts->lang][k]);
			fputs("  \n", fp);
		}
		method_line(x, t, method, sizeof method);
		fprintf(fp, "\n*%s:* ", tr_ui(x, "method"));
		md_text(fp, method);
		fputc('\n', fp);
	}
}
