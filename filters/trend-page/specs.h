/* specs.h - what trend-page takes from the project's spec files.
 *
 * The headline figures are the gate spec's (pipelines/eerste-jaar/gates.spec): its lines
 *     headline TABLE BENEFIT PERIOD POPULATION ROW MEASURE
 * name them, so the page charts exactly the figures the headline-n gate guards; the other
 * lines of that spec are not read here. The words the page shows for tables, benefits,
 * periods, populations and rows are the table spec's (tables.spec): `title.LANG TEXT`
 * inside `table ID ... end`, and `label.LANG KEY TEXT` (KEY an id, or TABLE/ROW for one
 * table's row); an id without a label is shown as it is. Everything else there is
 * tabulate's and is skipped.
 *
 * Loaders return 0, or -1 with "FILE:LINE: problem" in err. Ownership: the structs own
 * their strings until their _release.
 */
#ifndef TREND_SPECS_H
#define TREND_SPECS_H

#include <stddef.h>

enum { HEADLINE_WORDS = 6 };

struct headlines {
	char *(*key)[HEADLINE_WORDS];   /* table, benefit, period, population, row, measure */
	size_t n;
};

int headlines_load(struct headlines *h, const char *path, char *err, size_t errsz);
void headlines_release(struct headlines *h);

struct words {
	char **key, **text;      /* parallel: "title:ID" for a table's title, else the label KEY */
	size_t n;
};

/* The titles and labels of LANG ("nl", "en") in PATH. */
int words_load(struct words *w, const char *path, const char *lang, char *err, size_t errsz);
/* The text of KEY, or NULL. */
const char *words_find(const struct words *w, const char *key);
void words_release(struct words *w);

#endif
