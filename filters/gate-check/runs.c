/* runs.c - see runs.h */
#include "runs.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rec.h"

/* ------------------------------------------------------------------ inputs.csv */

enum { IC_KIND, IC_FILE, IC_ROWS, IC_REJECTED, IC_SHA256, IC_PEILDATUM, N_IC };
static const char *const input_columns[N_IC] = { "kind", "file", "rows", "rejected", "sha256", "peildatum" };

/* libcsv hands over fields one at a time; a row is collected here, then taken. */
struct csv_rows {
	struct inputs *in;
	int col[N_IC];             /* the header's index of each column, -1 when absent */
	char *field[N_IC];         /* the current row's values of our columns */
	int nfield;                /* fields of the current row so far */
	long line;                 /* the current row's line (header = 1) */
	int header_done;
	const char *path;
	char *err;
	size_t errsz;
	int failed;
};

static void on_field(void *s, size_t len, void *data)
{
	struct csv_rows *r = data;
	const char *v = s ? s : "";

	if (!r->header_done) {
		for (int c = 0; c < N_IC; c++)
			if (strlen(input_columns[c]) == len && memcmp(input_columns[c], v, len) == 0)
				r->col[c] = r->nfield;
	} else {
		for (int c = 0; c < N_IC; c++)
			if (r->col[c] == r->nfield) {
				r->field[c] = xmalloc(len + 1);
				memcpy(r->field[c], v, len);
				r->field[c][len] = '\0';
			}
	}
	r->nfield++;
}

static int whole_number(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end != '\0' || *out < 0 ? -1 : 0;
}

static void on_row(int c, void *data)
{
	struct csv_rows *r = data;
	struct input_file *f;

	(void)c;
	r->line++;
	r->nfield = 0;
	if (!r->header_done) {
		r->header_done = 1;
		for (int k = 0; k <= IC_REJECTED; k++)
			if (r->col[k] < 0 && !r->failed) {
				snprintf(r->err, r->errsz, "%s:1: %s: column missing", r->path, input_columns[k]);
				r->failed = 1;
			}
		return;
	}
	r->in->v = xrealloc(r->in->v, (r->in->n + 1) * sizeof *r->in->v);
	f = &r->in->v[r->in->n++];
	for (int k = 0; k < N_IC; k++)
		if (r->field[k] == NULL)
			r->field[k] = xstrdup("");
	f->kind = r->field[IC_KIND];
	f->file = r->field[IC_FILE];
	f->sha256 = r->field[IC_SHA256];
	f->peildatum = r->field[IC_PEILDATUM];
	if (!r->failed && (whole_number(r->field[IC_ROWS], &f->rows) < 0 ||
			   whole_number(r->field[IC_REJECTED], &f->rejected) < 0)) {
		snprintf(r->err, r->errsz, "%s:%ld: rows, rejected: not whole numbers: '%s', '%s'",
			 r->path, r->line, r->field[IC_ROWS], r->field[IC_REJECTED]);
		r->failed = 1;
	}
	free(r->field[IC_ROWS]);
	free(r->field[IC_REJECTED]);
	memset(r->field, 0, sizeof r->field);
}

int inputs_load(struct inputs *in, const char *path, char *err, size_t errsz)
{
	struct csv_rows r = { in, {-1, -1, -1, -1, -1, -1}, {NULL}, 0, 0, 0, path, err, errsz, 0 };
	struct csv_parser p;
	char buf[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	memset(in, 0, sizeof *in);
	if (fp == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fclose(fp);
		snprintf(err, errsz, "%s: cannot start the csv parser", path);
		return -1;
	}
	while (!r.failed && (n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, &r) != n && !r.failed) {
			snprintf(err, errsz, "%s:%ld: malformed csv: %s", path, r.line + 1, csv_strerror(csv_error(&p)));
			r.failed = 1;
		}
	if (!r.failed && ferror(fp)) {
		snprintf(err, errsz, "%s: read error: %s", path, strerror(errno));
		r.failed = 1;
	}
	if (!r.failed && csv_fini(&p, on_field, on_row, &r) != 0) {
		snprintf(err, errsz, "%s:%ld: malformed csv: %s", path, r.line + 1, csv_strerror(csv_error(&p)));
		r.failed = 1;
	}
	if (!r.failed && !r.header_done) {
		snprintf(err, errsz, "%s: empty: no header line", path);
		r.failed = 1;
	}
	for (int k = 0; k < N_IC; k++)
		free(r.field[k]);
	csv_free(&p);
	fclose(fp);
	if (r.failed)
		inputs_release(in);
	return r.failed ? -1 : 0;
}

void inputs_release(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].kind);
		free(in->v[i].file);
		free(in->v[i].sha256);
		free(in->v[i].peildatum);
	}
	free(in->v);
	memset(in, 0, sizeof *in);
}

long inputs_kind_rows(const struct inputs *in, const char *kind)
{
	long rows = -1;

	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].kind, kind) == 0)
			rows = (rows < 0 ? 0 : rows) + in->v[i].rows;
	return rows;
}

const char *inputs_peildatum(const struct inputs *in)
{
	const char *latest = "";

	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].peildatum, latest) > 0)   /* ISO dates compare as text */
			latest = in->v[i].peildatum;
	return latest;
}

/* ------------------------------------------------------------------ tables */

static int cell_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cell *)a)->key, ((const struct cell *)b)->key);
}

static const char *const key_fields[6] = { "table", "benefit", "period", "population", "row", "measure" };

/* The suffix of an unweighted twin's key: tabulate --weights both writes a survey cell
 * weighted, then unweighted with the same six key fields. The headline gates name the
 * figure by those six (the weighted one, or a registry cell's only one); the twin is a cell
 * of its own for the cells gate. */
#define TWIN_SUFFIX ",unweighted"

/* One table/1 record into a cell. */
static void cell_take(struct cells *c, struct rec_reader *r, const int *ix)
{
	struct cell *cl;
	size_t len = sizeof TWIN_SUFFIX, at = 0;
	long n;

	for (int k = 0; k < 6; k++)
		len += rec_reader_field_len(r, (size_t)ix[k]) + 1;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	cl = &c->v[c->n++];
	cl->key = xmalloc(len);
	for (int k = 0; k < 6; k++) {
		size_t fl = rec_reader_field_len(r, (size_t)ix[k]);

		memcpy(cl->key + at, rec_reader_field(r, (size_t)ix[k]), fl);
		at += fl;
		cl->key[at++] = k < 5 ? ',' : '\0';
	}
	if (c->n > 1 && strcmp(rec_reader_field(r, (size_t)ix[9]), "0") == 0 && strcmp(c->v[c->n - 2].key, cl->key) == 0)
		strcat(cl->key, TWIN_SUFFIX);
	cl->has_value = rec_reader_field(r, (size_t)ix[6])[0] != '\0';
	cl->suppressed = strcmp(rec_reader_field(r, (size_t)ix[8]), "1") == 0;
	cl->n = rec_parse_int(rec_reader_field(r, (size_t)ix[7]), &n) == 0 ? n : -1;
}

int cells_load(struct cells *c, const char *path, char *err, size_t errsz)
{
	struct rec_reader *r = rec_reader_open(path);
	int ix[10], rc, in_table = 0;

	memset(c, 0, sizeof *c);
	if (r == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			in_table = strcmp(rec_reader_schema(r)->id, "table/1") == 0;
			for (int k = 0; in_table && k < 6; k++)
				ix[k] = rec_reader_index(r, key_fields[k]);
			ix[6] = rec_reader_index(r, "estimate");
			ix[7] = rec_reader_index(r, "n");
			ix[8] = rec_reader_index(r, "suppressed");
			ix[9] = rec_reader_index(r, "weighted");
			continue;
		}
		if (in_table)
			cell_take(c, r, ix);
	}
	if (rc < 0)
		snprintf(err, errsz, "%s", rec_reader_error(r));
	rec_reader_free(r);
	if (rc < 0) {
		cells_release(c);
		return -1;
	}
	if (c->n > 0)
		qsort(c->v, c->n, sizeof *c->v, cell_cmp);
	return 0;
}

void cells_release(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].key);
	free(c->v);
	memset(c, 0, sizeof *c);
}

const struct cell *cells_find(const struct cells *c, const char *key)
{
	struct cell probe = { (char *)key, 0, 0, 0 };

	return c->n ? bsearch(&probe, c->v, c->n, sizeof *c->v, cell_cmp) : NULL;
}

/* ------------------------------------------------------------------ snapshots */

int snapshot_load(struct snapshot *s, const char *path, char *err, size_t errsz)
{
	FILE *fp = fopen(path, "r");
	struct extract_state e;
	int got;

	memset(s, 0, sizeof *s);
	if (fp == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* five words a line; the names are safe file names, so words are enough */
	while ((got = fscanf(fp, "%255s %64s %llu %llu %63s", e.name, e.sha256, &e.inode, &e.size, e.mtime)) == 5) {
		s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
		s->v[s->n++] = e;
	}
	fclose(fp);
	if (got != EOF) {
		snprintf(err, errsz, "%s:%zu: not 'NAME SHA256 INODE SIZE MTIME'", path, s->n + 1);
		snapshot_release(s);
		return -1;
	}
	return 0;
}

void snapshot_release(struct snapshot *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

const struct extract_state *snapshot_find(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}
