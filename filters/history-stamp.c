/* history-stamp - a run's table/1 cells with the run's identity: one member of the history.
 *
 * The history (REPORTS/history.gz) grows by one gzip member per published run, and a
 * member must stand on its own: it carries the run's cells as published and who the run
 * is - its stamp, publication number and time, the code version, the key's fingerprint,
 * the extract dates and a digest of the extract checksums (schemas/history-1.schema).
 * pipelines/refresh gathers those from the run folder and appends what this writes.
 *
 * The output is always one gzip member, whatever REC_LEVEL says: plain text appended to
 * history.gz would make the whole file unreadable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "filter.h"
#include "rec.h"

/* the gzip level of the member: the history is kept for years, and is small */
#define HISTORY_LEVEL 6

enum { I_RUN, I_PUBLICATION, I_PUBLISHED, I_CODE, I_KEY, I_PEILDATUM, I_SHA, N_IDENTITY };

/* history/1's columns after table/1's, in its order; required ones must be given */
static const struct {
	const char *option, *meaning;
	int required;
} identity[N_IDENTITY] = {
	{ "run", "the run's stamp (its folder REPORTS/runs/RUN)", 1 },
	{ "publication", "its publication number, a whole number >= 1", 1 },
	{ "published", "when it was published, UTC (yyyy-mm-ddThh:mm:ssZ)", 1 },
	{ "code-version", "the code that made it (git describe, or the VERSION file)", 1 },
	{ "key-fingerprint", "the pseudonym key's fingerprint (key.fingerprint)", 0 },
	{ "peildatum", "kind=yyyy-mm-dd of each raw kind with an extract date, ';'-separated", 0 },
	{ "extracts-sha256", "SHA-256 of the run's extracts.sha256", 1 },
};

struct stamp {
	const char *value[N_IDENTITY];
	struct rec_writer *w;        /* stdout, gzip */
	int section_open;
};

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: history-stamp --run STAMP --publication N --published TIME --code-version V\n"
"                     --extracts-sha256 HEX [--key-fingerprint F] [--peildatum P] [FILE]\n"
"\n"
"Reads a run's table/1 cells (its tables.csv; FILE or stdin, gzip or plain) and writes\n"
"one history/1 section on stdout as one gzip member (always gzip: it is appended to\n"
"REPORTS/history.gz): every cell as published, then the run's identity:\n");
	for (int i = 0; i < N_IDENTITY; i++)
		fprintf(fp, "  --%-18s %s%s\n", identity[i].option, identity[i].meaning, identity[i].required ? "" : " (optional)");
	fprintf(fp,
"\n"
"pipelines/refresh takes these from the run folder (publication, code.version,\n"
"key.fingerprint, inputs.csv, extracts.sha256) and appends the member after publishing.\n"
"\n"
"Exit status: 0 written, 1 bad input or I/O error, 2 bad usage.\n"
"\n"
"Example:\n"
"  history-stamp --run 20070101T023000Z --publication 3 --published 2007-01-01T02:41:09Z \\\n"
"    --code-version v1.2-4-gabc1234 --extracts-sha256 $(sha256sum < extracts.sha256 | cut -c1-64) \\\n"
"    tables.csv > member.gz && cat member.gz >> REPORTS/history.gz\n");
}

static int option(void *vc, int opt, const char *arg, char *err, size_t errsz)
{
	struct stamp *s = vc;

	if (opt < 1 || opt > N_IDENTITY)
		return -1;
	if (*arg == '\0') {
		snprintf(err, errsz, "--%s needs a value, not an empty word", identity[opt - 1].option);
		return -1;
	}
	if (opt - 1 == I_PUBLICATION && (strspn(arg, "0123456789") != strlen(arg) || *arg == '0' || strlen(arg) > 15)) {
		snprintf(err, errsz, "--publication: not a whole number >= 1: '%s'", arg);
		return -1;
	}
	s->value[opt - 1] = arg;
	return 0;
}

static int start(void *vc, struct rec_writer *out)
{
	struct stamp *s = vc;

	(void)out;
	for (int i = 0; i < N_IDENTITY; i++)
		if (identity[i].required && s->value[i] == NULL) {
			filter_usage_error("--%s is required", identity[i].option);
			return FILTER_BAD_USAGE;
		}
	if ((s->w = rec_writer_open(NULL, HISTORY_LEVEL, 0644)) == NULL) {
		diag_warn("stdout", 0, NULL, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int section(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct stamp *s = vc;

	(void)out;
	if (strcmp(rec_reader_schema(r)->id, "table/1") != 0)
		return rec_reader_fail(r, -1, "section %s: history-stamp reads a run's table/1 cells (tables.csv)",
				       rec_reader_schema(r)->id);
	if (!s->section_open && rec_writer_section(s->w, "history/1") < 0) {
		diag_warn(NULL, 0, NULL, "%s", rec_writer_error(s->w));
		return -1;
	}
	s->section_open = 1;
	return 0;
}

static int record(void *vc, struct rec_reader *r, struct rec_writer *out)
{
	struct stamp *s = vc;

	(void)out;
	if (rec_reader_values(r) == NULL)   /* the cell as table/1 allows it, or nothing */
		return -1;
	rec_put_fields(s->w, r);
	for (int i = 0; i < N_IDENTITY; i++)
		rec_put(s->w, s->value[i]);
	rec_writer_end(s->w);
	return rec_writer_failed(s->w) ? -1 : 0;
}

static int end(void *vc, struct rec_writer *out)
{
	struct stamp *s = vc;
	int rc;

	(void)out;
	rc = rec_writer_close(s->w);
	s->w = NULL;
	return rc;
}

static void release(void *vc)
{
	rec_writer_discard(((struct stamp *)vc)->w);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "run", required_argument, NULL, 1 + I_RUN },
		{ "publication", required_argument, NULL, 1 + I_PUBLICATION },
		{ "published", required_argument, NULL, 1 + I_PUBLISHED },
		{ "code-version", required_argument, NULL, 1 + I_CODE },
		{ "key-fingerprint", required_argument, NULL, 1 + I_KEY },
		{ "peildatum", required_argument, NULL, 1 + I_PEILDATUM },
		{ "extracts-sha256", required_argument, NULL, 1 + I_SHA },
		{ NULL, 0, NULL, 0 }
	};
	static const struct filter history_stamp = {
		.name = "history-stamp", .usage = usage, .long_opts = longopts, .option = option,
		.flags = FILTER_NO_STDOUT, .start = start, .section = section, .record = record, .end = end,
		.release = release,
	};
	struct stamp s = { 0 };

	return filter_main(&history_stamp, &s, argc, argv);
}
