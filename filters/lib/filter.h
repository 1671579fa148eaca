/* filter.h - the driver every stream filter runs on.
 *
 * Why: each program used to write its own main around rec.h's pull loop, and the copies
 * drifted - one stage exited 0 on an empty input while the next exited 1, an unknown
 * option was reported four ways. Here, as with Miller's mappers and sbase's usage
 * handling, the program says what is its own (options, and what to do with a section, a
 * record, the end) and the driver does the rest, the same way for every program:
 *
 *   - the command line: getopt_long with the program's options plus --help and
 *     --version; an unknown option, a missing value or a refused value is one message
 *     "PROG: ..." and "Try 'PROG --help'.", exit 2;
 *   - the environment, once (rec_init), and 1 MiB pipes;
 *   - reading every input (the operands, or stdin) through rec.h, section by section;
 *   - the at-least-one-section rule: an input without a `#schema` line - an empty stream,
 *     which is what a stage that died upstream leaves - is an error (exit 1), never an
 *     empty result, in every filter (DESIGN.md: a truncated stream is an error);
 *   - a value a typed getter refused (rec.h) stops the run with the library's message:
 *     a stage checks the values it reads, as it reads them (rec.h, "What is checked
 *     where"); the bytes of every field (UTF-8, no NUL) and the reader's limits are
 *     checked for every record by the reader itself;
 *   - the stdout writer: opened before the first input, closed at the end (a write error
 *     is exit 1); on any failure it is discarded, so no partial stream is finished;
 *   - the exit code (0, 1 bad data or I/O, 2 bad usage) and closing stdout.
 *
 * A program:
 *
 *     static const struct filter derive_status = {
 *             .name = "derive-status", .usage = usage, .long_opts = longopts,
 *             .option = option, .section = section, .record = record,
 *     };
 *     int main(int argc, char **argv)
 *     {
 *             struct ctx c = { defaults };
 *             return filter_main(&derive_status, &c, argc, argv);
 *     }
 *
 * Callbacks get the program's context CTX. They return 0 to go on, or -1 to stop the run
 * with exit 1: with the message in the reader (rec_reader_fail, or a refusing getter), or
 * after printing their own (diag_warn) when the failure is not about the current record.
 * The library never exits: filter_main returns the exit status for main to return.
 * (Callbacks may still die(): the program decides what is fatal.)
 *
 * Programs whose reading is not one input after another (rec-merge reads its inputs in
 * step, shard reads its file twice, ingest reads raw files) use the parts: filter_args
 * for the command line, filter_read for one input, filter_finish for the end.
 */
#ifndef KETEN_FILTER_H
#define KETEN_FILTER_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "rec.h"

#define FILTER_VERSION "0.1"

enum {
	FILTER_NO_STDOUT = 1,   /* the program writes no record stream on stdout (rec-check
				 * writes a report, shard writes files): out is NULL */
	FILTER_SPLIT_LAZILY = 2,/* the program reads a few fields of most records and passes
				 * the rest on: fields are split as they are read
				 * (rec_reader_split_lazily) */
	FILTER_SPLIT_SPARSE = 4 /* the program reads the same few fields, all through the
				 * record, of every record: only those are split
				 * (rec_reader_split_sparsely) */
};

struct filter {
	const char *name;                     /* --version: "NAME ketenmonitor FILTER_VERSION" */
	void (*usage)(FILE *fp);              /* --help: what it reads, writes, each option */
	const char *short_opts;               /* getopt letters ("i:"); NULL = none */
	const struct option *long_opts;       /* its own, {0}-terminated; NULL = none. The
					       * driver adds --help and --version. */
	unsigned flags;

	/* An option: opt is getopt_long's value, arg its value or NULL. Returns 0, or -1 with
	 * a message in err (a usage error: "--h1-wave: 1 or 2: 3"). NULL: no options. */
	int (*option)(void *ctx, int opt, const char *arg, char *err, size_t errsz);
	/* The operands. NULL: they are the input files (none = stdin). Otherwise the program
	 * takes them (fit-models' SPECs) and names its inputs in *inputs (*n_inputs; 0 =
	 * stdin; the array must live for the run). Returns 0, or -1 with a usage error. */
	int (*operands)(void *ctx, int argc, char **argv, const char *const **inputs,
			size_t *n_inputs, char *err, size_t errsz);
	/* Before the first input (out: the stdout writer, or NULL). Returns 0, -1 (failed,
	 * message printed), FILTER_DONE: nothing to read (rec-check --list), exit 0, or
	 * FILTER_BAD_USAGE: a usage error found late (filter_usage_error printed it), exit 2. */
	int (*start)(void *ctx, struct rec_writer *out);
	/* An input was opened, nothing read yet (rec-check --pass tees it to stdout). */
	int (*input_start)(void *ctx, struct rec_reader *r, struct rec_writer *out);
	/* A section began (its schema and header are known: look up field indexes once).
	 * Returns 0, -1, or FILTER_SKIP: no record callback for this section's records
	 * (shard's first pass reads only sample/1). */
	int (*section)(void *ctx, struct rec_reader *r, struct rec_writer *out);
	/* A record of the current section. Hot: once per record. */
	int (*record)(void *ctx, struct rec_reader *r, struct rec_writer *out);
	/* The end of one input, read whole (rec-check's report of it). */
	int (*input_end)(void *ctx, struct rec_reader *r, struct rec_writer *out);
	/* After the last input (a stage that holds its input writes it here). */
	int (*end)(void *ctx, struct rec_writer *out);
	/* Last, whatever happened: free what the program holds (NULL: nothing to free). */
	void (*release)(void *ctx);
};

#define FILTER_DONE 1
#define FILTER_BAD_USAGE 2
#define FILTER_SKIP 3

/* The whole run: returns the exit status (0, 1 or 2) for main to return. */
int filter_main(const struct filter *f, void *ctx, int argc, char **argv);

/* The command line alone: diag_init, rec_init, then the options (the option callback; --help
 * and --version answered here). Returns 0 with optind at the first operand, or 1 when the
 * program must return *status now (after --help or --version: 0; a usage error: 2). */
int filter_args(const struct filter *f, void *ctx, int argc, char **argv, int *status);

/* One input through the callbacks (input_start, section, record, input_end; PATH NULL or
 * "-" = stdin). Returns 0, or -1 when the run failed (message printed). */
int filter_read(const struct filter *f, void *ctx, const char *path, struct rec_writer *out);

/* The end of a run: close OUT (may be NULL) when status is 0, discard it otherwise; close
 * stdout; returns the exit status. */
int filter_finish(struct rec_writer *out, int status);

/* A usage error outside the option callback (a required option absent): the same
 * message and hint as the driver's; returns EXIT_USAGE for main to return. */
int filter_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
