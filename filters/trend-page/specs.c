/* specs.c - see specs.h */
#include "specs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "specfile.h"

/* specfile's message, with the file and line in front */
static void prefix(char *err, size_t errsz, const char *path, int lineno)
{
	char msg[512];

	snprintf(msg, sizeof msg, "%s:%d: %s", path, lineno, err);
	snprintf(err, errsz, "%s", msg);
}

int headlines_load(struct headlines *h, const char *path, char *err, size_t errsz)
{
	struct specfile *sf = specfile_open(path);
	char *line, *word;
	int lineno, rc;

	if (sf == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while ((rc = specfile_next(sf, &line, &lineno, err, errsz)) > 0) {
		char *w[HEADLINE_WORDS];
		int k;

		if ((word = specfile_word(&line)) == NULL || strcmp(word, "headline") != 0)
			continue;
		for (k = 0; k < HEADLINE_WORDS && (w[k] = specfile_word(&line)) != NULL; k++)
			;
		if (k < HEADLINE_WORDS || specfile_word(&line) != NULL) {
			snprintf(err, errsz, "%s:%d: headline: needs TABLE BENEFIT PERIOD POPULATION ROW MEASURE", path, lineno);
			rc = -2;   /* the message is whole */
			break;
		}
		h->key = xrealloc(h->key, (h->n + 1) * sizeof *h->key);
		for (k = 0; k < HEADLINE_WORDS; k++)
			h->key[h->n][k] = xstrdup(w[k]);
		h->n++;
	}
	specfile_close(sf);
	if (rc == -1)
		prefix(err, errsz, path, lineno);
	if (rc == 0 && h->n == 0) {
		snprintf(err, errsz, "%s: no headline lines (headline TABLE BENEFIT PERIOD POPULATION ROW MEASURE)", path);
		rc = -1;
	}
	return rc < 0 ? -1 : 0;
}

void headlines_release(struct headlines *h)
{
	for (size_t i = 0; i < h->n; i++)
		for (int k = 0; k < HEADLINE_WORDS; k++)
			free(h->key[i][k]);
	free(h->key);
	memset(h, 0, sizeof *h);
}

static void words_add(struct words *w, const char *key, const char *text)
{
	w->key = xrealloc(w->key, (w->n + 1) * sizeof *w->key);
	w->text = xrealloc(w->text, (w->n + 1) * sizeof *w->text);
	w->key[w->n] = xstrdup(key);
	w->text[w->n++] = xstrdup(text);
}

int words_load(struct words *w, const char *path, const char *lang, char *err, size_t errsz)
{
	struct specfile *sf = specfile_open(path);
	char label[32], title[32], table[256] = "", *line, *word, *key;
	int lineno, rc;

	if (sf == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	snprintf(label, sizeof label, "label.%s", lang);
	snprintf(title, sizeof title, "title.%s", lang);
	while ((rc = specfile_next(sf, &line, &lineno, err, errsz)) > 0) {
		if ((word = specfile_word(&line)) == NULL)
			continue;
		if (strcmp(word, "table") == 0 && (key = specfile_word(&line)) != NULL) {
			snprintf(table, sizeof table, "title:%s", key);
		} else if (strcmp(word, "end") == 0) {
			*table = '\0';
		} else if (strcmp(word, title) == 0 && *table && *line) {
			words_add(w, table, line);
		} else if (strcmp(word, label) == 0 && (key = specfile_word(&line)) != NULL && *line) {
			words_add(w, key, line);
		}
	}
	specfile_close(sf);
	if (rc < 0)
		prefix(err, errsz, path, lineno);
	return rc;
}

const char *words_find(const struct words *w, const char *key)
{
	for (size_t i = w->n; i-- > 0;)   /* the last word given wins */
		if (strcmp(w->key[i], key) == 0)
			return w->text[i];
	return NULL;
}

void words_release(struct words *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->key[i]);
		free(w->text[i]);
	}
	free(w->key);
	free(w->text);
	memset(w, 0, sizeof *w);
}
