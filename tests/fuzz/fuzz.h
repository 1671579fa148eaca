/* fuzz.h - what every harness in tests/fuzz/ shares: the libFuzzer entry point, the
 * invariant check, the input as a file, and the replay main.
 *
 * A harness defines FUZZ_NAME (its corpus folder: tests/fuzz/corpus/FUZZ_NAME) and
 * LLVMFuzzerTestOneInput, includes this file, and checks its invariants with fuzz_check.
 * Built two ways:
 *   - by the Makefile's test rule (gcc, no libFuzzer): the replay main below runs every
 *     file of the corpus once and prints one TAP line per file, so `make test` and `make
 *     check` replay the committed corpora on every run;
 *   - by `make fuzz` (clang -fsanitize=fuzzer,address,undefined -DKETEN_LIBFUZZER):
 *     libFuzzer's own main, which mutates the corpus.
 * A failed invariant prints what failed and aborts: libFuzzer saves the input as a crash,
 * and the replay test fails (a "not ok" line and a non-zero exit).
 */
#ifndef KETEN_FUZZ_H
#define KETEN_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_current = "(libFuzzer input)";   /* the corpus file being replayed */

static __attribute__((format(printf, 2, 3), unused)) void fuzz_check(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	printf("not ok - %s: %s: invariant failed: ", FUZZ_NAME, fuzz_current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	abort();
}

/* The path of a file in a private folder (made once per process) named NAME. */
static __attribute__((unused)) const char *fuzz_path(const char *name)
{
	static char dir[256];
	static char path[320];

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof dir, "%s/keten-fuzz.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			abort();
		}
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

/* Write DATA to the file fuzz_path(NAME) and return its path (the parsers read files). */
static __attribute__((unused)) const char *fuzz_file(const char *name, const void *data, size_t size)
{
	const char *path = fuzz_path(name);
	FILE *fp = fopen(path, "wb");

	if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
		perror(path);
		abort();
	}
	return path;
}

/* A diagnostic as the house style has it (STYLE.md, DESIGN.md), as diag.c prints it
 * (utf8_clean: control characters and bytes that are not UTF-8 shown as '?'): one line,
 * starting with the file's name and a colon. (It may end in '.' when it quotes the
 * input's bytes, so that is not checked.) */
static __attribute__((unused)) int fuzz_message_ok(const char *raw, const char *file)
{
	char msg[2048];
	size_t n, f = strlen(file);
	const char *r;

	/* Printable ASCII is what utf8_clean leaves as it is: check it in place (the reader
	 * harness checks a message per record; cleaning each copy took a fifth of its time). */
	for (r = raw; *r >= 0x20 && *r < 0x7f; r++)
		;
	if (*r == '\0' && r - raw < (ptrdiff_t)sizeof msg)
		return r > raw && strncmp(raw, file, f) == 0 && raw[f] == ':';
	snprintf(msg, sizeof msg, "%s", raw);
	utf8_clean(msg);
	n = strlen(msg);

	if (n == 0 || strncmp(msg, file, f) != 0 || msg[f] != ':')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			return 0;
	return 1;
}

/* The bytes of PATH (malloc'd; *size set), or NULL. */
static __attribute__((unused)) void *fuzz_read(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;

	if (!fp)
		return NULL;
	do {
		if (n == cap)
			buf = realloc(buf, cap = 2 * cap + 4096);
		k = fread(buf + n, 1, cap - n, fp);
		n += k;
	} while (k > 0);
	fclose(fp);
	*size = n;
	return buf;
}

#ifndef KETEN_LIBFUZZER
static int fuzz_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay: every file of the corpus folder (argv[1], or $KETEN_ROOT/tests/fuzz/corpus/NAME)
 * once, in name order. */
int main(int argc, char **argv)
{
	char dir[4096], path[8192];
	const char *root = getenv("KETEN_ROOT");
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", root ? root : ".", FUZZ_NAME);
	if (!(d = opendir(dir))) {
		printf("not ok - %s: %s: %s\n", FUZZ_NAME, dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			names = realloc(names, (n + 1) * sizeof *names);
			names[n++] = strdup(e->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof *names, fuzz_by_name);
	for (size_t i = 0; i < n; i++) {
		size_t size = 0;
		void *data;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (!(data = fuzz_read(path, &size))) {
			tap_line("not ok - %s: %s: %s\n", FUZZ_NAME, names[i], strerror(errno));
			continue;
		}
		fuzz_current = names[i];
		LLVMFuzzerTestOneInput(data, size);
		tap_line("ok - %s: %s\n", FUZZ_NAME, names[i]);
		free(data);
		free(names[i]);
	}
	free(names);
	if (n == 0)
		tap_line("not ok - %s: the corpus %s is empty\n", FUZZ_NAME, dir);
	tap_plan();
	return 0;
}
#endif

#endif
