/* runs.h - what gate-check reads of a run: its inputs record, its tables and the
 * snapshots of its raw files.
 *
 * - inputs.csv (written by pipelines/eerste-jaar/run; plain CSV, RFC 4180, a header row):
 *   kind,file,rows,rejected,sha256,peildatum - one row per raw file the run read; columns
 *   are found by name, so later columns may be added.
 * - tables.rec.gz (tables.csv in reports made before it became plain CSV): a table/1
 *   stream (rec.h); a cell is keyed by its first six fields
 *   (table,benefit,period,population,row,measure), which tabulate writes once each.
 * - an extracts snapshot: one line per raw file, "NAME SHA256 INODE SIZE MTIME" (space
 *   separated; NAME without blanks), taken before and after the run read the files.
 *
 * Every loader returns 0, or -1 with "FILE:LINE: problem" in err. Ownership: the caller's
 * struct owns what is loaded until its _release.
 */
#ifndef GATE_RUNS_H
#define GATE_RUNS_H

#include <stddef.h>

struct input_file {
	char *kind, *file, *sha256, *peildatum;   /* "" when the column is absent or empty */
	long rows, rejected;
};

struct inputs {
	struct input_file *v;
	size_t n;
};

int inputs_load(struct inputs *in, const char *path, char *err, size_t errsz);
void inputs_release(struct inputs *in);
/* Rows of every file of KIND; -1 when the run had no file of it. */
long inputs_kind_rows(const struct inputs *in, const char *kind);
/* The latest peildatum of any file ("" when none). */
const char *inputs_peildatum(const struct inputs *in);

struct cell {
	char *key;               /* table,benefit,period,population,row,measure */
	int has_value;           /* estimate not missing */
	int suppressed;
	long n;                  /* -1 when missing */
};

struct cells {
	struct cell *v;          /* sorted by key */
	size_t n;
};

int cells_load(struct cells *c, const char *path, char *err, size_t errsz);
void cells_release(struct cells *c);
const struct cell *cells_find(const struct cells *c, const char *key);

struct extract_state {
	char name[256], sha256[65], mtime[64];
	unsigned long long inode, size;
};

struct snapshot {
	struct extract_state *v;
	size_t n;
};

int snapshot_load(struct snapshot *s, const char *path, char *err, size_t errsz);
void snapshot_release(struct snapshot *s);
const struct extract_state *snapshot_find(const struct snapshot *s, const char *name);

#endif
