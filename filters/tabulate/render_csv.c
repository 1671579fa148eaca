/* render_csv.c - the cells as table/1: one record a cell, in spec order (the machine-readable
 * output every other program reads; schemas/table-1.schema); and the same cells for people
 * (--plain): plain CSV with a header row first, the words of the report beside the ids
 * (schemas/table_labelled-1.schema). A suppressed cell publishes nothing derived from it:
 * its estimate and interval are already blank (disclose), and its n is written missing here.
 */
#include "tabulate.h"

#include "diag.h"

#include <errno.h>
#include <string.h>

/* The table/1 fields of cell C. */
static void put_cell(struct rec_writer *w, const struct tcell *c)
{
	rec_put(w, c->table->id);
	rec_put(w, c->benefit);
	rec_put(w, c->period);
	rec_put(w, c->population);
	rec_put(w, c->row);
	rec_put(w, c->measure);
	rec_put_num(w, c->est);
	rec_put_num(w, c->lo);
	rec_put_num(w, c->hi);
	if (c->suppressed)
		rec_put_missing(w);         /* a suppressed cell has no count either */
	else
		rec_put_int(w, c->n);
	rec_put_bool(w, c->suppressed != 0);
	rec_put_bool(w, c->weighted);
	rec_put(w, c->symbol);
	rec_put(w, c->method);
}

/* The words of cell C's ids in the report's language, as the pages show them (words.c);
 * a row FORM:OUTCOME without a label of its own (table1's effects) as the page's "form:
 * outcome". */
static void put_labels(struct rec_writer *w, const struct tctx *x, const struct tcell *c)
{
	const char *row = tr_row(x, c), *colon = strchr(c->row, ':');
	char both[512], form[256];

	rec_put(w, c->table->title[x->opts->lang]);
	rec_put(w, tr_label(x, c->benefit));
	rec_put(w, tr_label(x, c->period));
	rec_put(w, tr_label(x, c->population));
	if (row == c->row && colon && (size_t)(colon - c->row) < sizeof form) {
		snprintf(form, sizeof form, "%.*s", (int)(colon - c->row), c->row);
		snprintf(both, sizeof both, "%s: %s", tr_label(x, form), tr_label(x, colon + 1));
		row = both;
	}
	rec_put(w, row);
}

/* The cells to PATH as SECTION: table/1 as a stream, or table_labelled/1 as plain CSV. */
static int write_cells(const struct tctx *x, const char *path, int labelled)
{
	struct rec_writer *w = rec_writer_open(path, labelled ? 0 : -1, 0644);

	if (w == NULL) {
		diag_warn(path ? path : "stdout", 0, NULL, "cannot write: %s", strerror(errno));
		return -1;
	}
	if ((labelled ? rec_writer_plain_section(w, "table_labelled/1") : rec_writer_section(w, "table/1")) != 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		rec_writer_discard(w);
		return -1;
	}
	for (size_t i = 0; i < x->cells->n && !rec_writer_failed(w); i++) {
		put_cell(w, &x->cells->v[i]);
		if (labelled)
			put_labels(w, x, &x->cells->v[i]);
		rec_writer_end(w);
	}
	return rec_writer_close(w) != 0 ? -1 : 0;
}

int render_csv(const struct tctx *x, const char *path) { return write_cells(x, path, 0); }
int render_plain(const struct tctx *x, const char *path) { return write_cells(x, path, 1); }
