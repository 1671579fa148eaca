/* filter.c - the stream filter driver (see filter.h). */
#include "filter.h"
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* getopt values of the driver's own options: outside any char and the programs' ranges */
enum { OPT_HELP = 0x7f01, OPT_VERSION = 0x7f02 };

static int vusage_error(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static int vusage_error(const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_warn(NULL, 0, NULL, "%s", msg);
	fprintf(stderr, "Try '%s --help'.\n", diag_prog);
	return EXIT_USAGE;
}

int filter_usage_error(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vusage_error(fmt, ap);
	va_end(ap);
	return rc;
}

/* The program's long options and the driver's, in one array (freed by the caller). */
static struct option *all_options(const struct filter *f)
{
	size_t n = 0;
	struct option *o;

	while (f->long_opts && f->long_opts[n].name)
		n++;
	o = xcalloc(n + 3, sizeof *o);
	if (n)
		memcpy(o, f->long_opts, n * sizeof *o);
	o[n] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	o[n + 1] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	return o;
}

/* What getopt_long refused, in one message: argv[optind - 1] is the word at fault for a
 * long option; a short one may sit in a cluster, so optopt names it. */
static int refused(int c, char **argv)
{
	const char *word = argv[optind - 1];

	if (c == ':')
		return strncmp(word, "--", 2) == 0 ? filter_usage_error("option '%s' needs a value", word)
			: filter_usage_error("option '-%c' needs a value", optopt);
	if (strncmp(word, "--", 2) == 0 && optopt != 0)
		return filter_usage_error("option '%.*s' takes no value", (int)strcspn(word, "="), word);
	if (strncmp(word, "--", 2) == 0 || optopt == 0)
		return filter_usage_error("unknown option '%s'", word);
	return filter_usage_error("unknown option '-%c'", optopt);
}

int filter_args(const struct filter *f, void *ctx, int argc, char **argv, int *status)
{
	struct option *opts;
	char shorts[64], err[512], warn[160];
	int c;

	diag_init(argv[0]);
	if (rec_init(warn, sizeof warn))
		diag_warn(NULL, 0, NULL, "%s", warn);
	/* a leading ':' tells a missing value (':') from an unknown option ('?') */
	snprintf(shorts, sizeof shorts, ":%s", f->short_opts ? f->short_opts : "");
	opts = all_options(f);
	opterr = 0;
	*status = 0;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			f->usage(stdout);
			*status = diag_close_stdout(EXIT_SUCCESS_);
		} else if (c == OPT_VERSION) {
			printf("%s ketenmonitor %s\n", f->name, FILTER_VERSION);
			*status = diag_close_stdout(EXIT_SUCCESS_);
		} else if (c == '?' || c == ':') {
			*status = refused(c, argv);
		} else if (f->option == NULL || f->option(ctx, c, optarg, err, sizeof err) < 0) {
			*status = filter_usage_error("%s", f->option ? err : "unknown option");
		} else {
			continue;
		}
		free(opts);
		return 1;
	}
	free(opts);
	return 0;
}

/* A callback said -1: the reader's message when it has one for this record (otherwise
 * the callback printed its own). A getter's refusal that the callback let pass comes back
 * from the next rec_reader_next. */
static int callback_failed(struct rec_reader *r)
{
	if (rec_reader_bad(r))
		diag_warn(NULL, 0, NULL, "%s", rec_reader_error(r));
	return -1;
}

int filter_read(const struct filter *f, void *ctx, const char *path, struct rec_writer *out)
{
	struct rec_reader *r = rec_reader_open(path);
	long sections = 0;
	int rc, cb = 0, skip = 0;

	if (r == NULL) {
		diag_warn(path, 0, NULL, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (f->flags & FILTER_SPLIT_LAZILY)
		rec_reader_split_lazily(r);
	else if (f->flags & FILTER_SPLIT_SPARSE)
		(void)rec_reader_split_sparsely(r);
	if (f->input_start && f->input_start(ctx, r, out) < 0) {
		rec_reader_free(r);
		return -1;
	}
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			sections++;
			cb = f->section ? f->section(ctx, r, out) : 0;
			skip = cb == FILTER_SKIP || !f->record;
			cb = cb == FILTER_SKIP ? 0 : cb;
		} else if (!skip) {
			cb = f->record(ctx, r, out);
		}
		if (cb < 0) {
			cb = callback_failed(r);
			break;
		}
		if (out && rec_writer_failed(out))
			break;   /* rec_writer_close reports it */
	}
	if (rc < 0)
		diag_warn(NULL, 0, NULL, "%s", rec_reader_error(r));
	else if (cb == 0 && sections == 0 && !(out && rec_writer_failed(out)))
		diag_warn(rec_reader_name(r), 0, NULL,
			  "no section in the input: an empty stream (did an earlier stage fail?)");
	rc = rc < 0 || cb < 0 || sections == 0 ? -1 : 0;
	if (rc == 0 && f->input_end && f->input_end(ctx, r, out) < 0)
		rc = -1;
	rec_reader_free(r);
	return rc;
}

int filter_finish(struct rec_writer *out, int status)
{
	if (status == 0 && out && rec_writer_close(out) < 0)
		status = EXIT_DATA;
	else if (status != 0)
		rec_writer_discard(out);
	return diag_close_stdout(status);
}

/* Options, then operands: 0, or 1 with *status to return. */
static int command_line(const struct filter *f, void *ctx, int argc, char **argv,
			const char *const **inputs, size_t *n_inputs, int *status)
{
	char err[512];

	if (filter_args(f, ctx, argc, argv, status))
		return 1;
	if (f->operands == NULL) {
		*inputs = (const char *const *)argv + optind;
		*n_inputs = (size_t)(argc - optind);
		return 0;
	}
	*inputs = NULL;
	*n_inputs = 0;
	if (f->operands(ctx, argc - optind, argv + optind, inputs, n_inputs, err, sizeof err) < 0) {
		*status = filter_usage_error("%s", err);
		return 1;
	}
	return 0;
}

int filter_main(const struct filter *f, void *ctx, int argc, char **argv)
{
	const char *const *inputs;
	struct rec_writer *out = NULL;
	size_t n_inputs;
	int status, rc = 0;

	if (command_line(f, ctx, argc, argv, &inputs, &n_inputs, &status))
		return status;
	rec_enlarge_pipe(STDIN_FILENO);
	if (!(f->flags & FILTER_NO_STDOUT) && (out = rec_writer_open(NULL, -1, 0644)) == NULL) {
		diag_warn("stdout", 0, NULL, "cannot write: %s", strerror(errno));
		return diag_close_stdout(EXIT_DATA);
	}
	if (f->start && (rc = f->start(ctx, out)) > 0) {
		if (f->release)
			f->release(ctx);
		rec_writer_discard(out);
		return diag_close_stdout(rc == FILTER_DONE ? EXIT_SUCCESS_ : EXIT_USAGE);
	}
	for (size_t i = 0; rc == 0 && i < (n_inputs ? n_inputs : 1); i++) {
		if (out && rec_writer_failed(out))
			break;
		rc = filter_read(f, ctx, n_inputs ? inputs[i] : NULL, out);
	}
	if (rc == 0 && f->end && !(out && rec_writer_failed(out)))
		rc = f->end(ctx, out);
	if (f->release)
		f->release(ctx);
	return filter_finish(out, rc < 0 ? EXIT_DATA : EXIT_SUCCESS_);
}
