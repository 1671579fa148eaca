/* diag.h - diagnostics and exit codes shared by every ketenmonitor program.
 *
 * One message format for the whole project, so a user (or a cron log grep) can tell
 * which program complained about which input:
 *
 *     PROG: FILE:LINE: FIELD: what is wrong
 *
 * FILE, LINE and FIELD are left out when unknown (NULL / 0 / NULL). Messages are lower
 * case, without a full stop. Library code never exits: it returns codes and leaves the
 * message in its handle; programs decide what is fatal and call die() or diag_usage().
 */
#ifndef KETEN_DIAG_H
#define KETEN_DIAG_H

#include <stddef.h>

enum {
	EXIT_SUCCESS_ = 0,   /* everything read, everything written */
	EXIT_DATA = 1,       /* bad data, failed I/O, too many rejects */
	EXIT_USAGE = 2       /* bad command line */
};

/* The program's name as invoked (basename of argv[0]); set by diag_init. */
extern const char *diag_prog;

void diag_init(const char *argv0);

/* Print PROG: FILE:LINE: FIELD: MESSAGE on stderr. */
void diag_warn(const char *file, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* diag_warn, then exit(code). */
void die(int code, const char *file, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6), noreturn));

/* PROG: MESSAGE, then "Try 'PROG --help'." and exit(EXIT_USAGE). */
void diag_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Internal bug: PROG: BUG: SRCFILE:SRCLINE: message, then abort(). */
#define BUG(...) diag_bug(__FILE__, __LINE__, __VA_ARGS__)
void diag_bug(const char *srcfile, int srcline, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/* Allocation that dies with "out of memory" (exit 1) instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Whether errno value E says the machine ran short (memory, file descriptors) rather than
 * that a file is wrong: a program that reports a bad spec or key as a usage error (exit 2)
 * reports these as a failure of the run (exit 1). */
int diag_out_of_resources(int e);

/* Close stdout and fold a write error into the exit status (sbase/OpenBSD style):
 * returns status, or EXIT_DATA with a message when flushing or closing stdout failed. */
int diag_close_stdout(int status);

#endif
