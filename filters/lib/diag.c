/* diag.c - see diag.h */
#include "diag.h"
#include "utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *diag_prog = "ketenmonitor";

void diag_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	diag_prog = slash ? slash + 1 : argv0;
}

static void vwarn_at(const char *file, long line, const char *field, const char *fmt, va_list ap)
{
	char *msg = NULL;
	va_list again;

	fflush(stdout);
	fprintf(stderr, "%s: ", diag_prog);
	if (file != NULL) {
		if (line > 0)
			fprintf(stderr, "%s:%ld: ", file, line);
		else
			fprintf(stderr, "%s: ", file);
	}
	if (field != NULL && *field != '\0')
		fprintf(stderr, "%s: ", field);
	/* A message that quotes input (a spec's word, a value) is one line of text: control
	 * characters and bytes that are not UTF-8 are shown as '?' (issue 17's fuzzing found
	 * messages that quoted them raw). Without memory for that, the message as it is. */
	va_copy(again, ap);
	if (vasprintf(&msg, fmt, ap) < 0) {
		vfprintf(stderr, fmt, again);
		fputc('\n', stderr);
		va_end(again);
		return;
	}
	va_end(again);
	utf8_clean(msg);
	fputs(msg, stderr);
	fputc('\n', stderr);
	free(msg);
}

void diag_warn(const char *file, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(file, line, field, fmt, ap);
	va_end(ap);
}

void die(int code, const char *file, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(file, line, field, fmt, ap);
	va_end(ap);
	exit(code);
}

void diag_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(NULL, 0, NULL, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", diag_prog);
	exit(EXIT_USAGE);
}

void diag_bug(const char *srcfile, int srcline, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: BUG: %s:%d: ", diag_prog, srcfile, srcline);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die(EXIT_DATA, NULL, 0, NULL, "out of memory (%zu bytes)", n);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

int diag_out_of_resources(int e)
{
	return e == ENOMEM || e == EMFILE || e == ENFILE;
}

int diag_close_stdout(int status)
{
	/* A full disk or a closed pipe must not look like success. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE || status == 0)
			diag_warn("stdout", 0, NULL, "write error: %s", strerror(errno));
		return status ? status : EXIT_DATA;
	}
	return status;
}
