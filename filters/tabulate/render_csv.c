/* render_csv.c - the cells as table/1: one record a cell, in spec order (the machine-readable
 * output every other program reads; schemas/table-1.schema). A suppressed cell publishes
 * nothing derived from it: its estimate and interval are already blank (disclose), and its
 * n is written missing here.
 */
#include "tabulate.h"

#include "diag.h"

#include <errno.h>
#include <string.h>

int render_csv(const struct tctx *x, const char *path)
{
	struct rec_writer *w = rec_writer_open(path, -1, 0644);

	if (w == NULL) {
		diag_warn(path ? path : "stdout", 0, NULL, "cannot write: %s", strerror(errno));
		return -1;
	}
	if (rec_writer_section(w, "table/1") != 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(w));
		rec_writer_discard(w);
		return -1;
	}
	for (size_t i = 0; i < x->cells->n && !rec_writer_failed(w); i++) {
		const struct tcell *c = &x->cells->v[i];

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
		rec_writer_end(w);
	}
	return rec_writer_close(w) != 0 ? -1 : 0;
}
