/* rec.c - what the record library reads from the process once (rec_init), the pipe
 * size, and the value parsers (see rec.h). */
#include "rec.h"
#include "diag.h"
#include "rec_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* The environment as rec_init found it: one copy for the process, read once, because the
 * environment itself is one per process. */
static struct rec_config config;
static int config_read;

int rec_init(char *warn, size_t warnsz)
{
	const char *s = getenv("REC_LEVEL"), *z = getenv("REC_ZLIB");
	int warned = 0;

	if (warnsz)
		warn[0] = '\0';
	config.level = REC_LEVEL_DEFAULT;
	if (s != NULL && *s != '\0') {
		char *end;
		long v = strtol(s, &end, 10);

		if (*end != '\0' || v < 0 || v > 9) {
			snprintf(warn, warnsz, "REC_LEVEL: not a level 0..9: '%s'; using %d", s, REC_LEVEL_DEFAULT);
			warned = 1;
		} else {
			config.level = (int)v;
		}
	}
	config.force_zlib = z != NULL && strcmp(z, "1") == 0;
	config.counts_path = getenv("REC_COUNTS");
	if (config.counts_path != NULL && *config.counts_path == '\0')
		config.counts_path = NULL;
	config.progress_path = getenv("REC_PROGRESS");
	if (config.progress_path != NULL && *config.progress_path == '\0')
		config.progress_path = NULL;
	config.schema_path = getenv("REC_SCHEMA_PATH");
	s = getenv("REC_VMSPLICE");
	config.vmsplice = s != NULL && strcmp(s, "1") == 0;
	s = getenv("REC_SPLIT");
	config.split_whole = s != NULL && strcmp(s, "whole") == 0;
	config_read = 1;
	return warned;
}

const struct rec_config *rec_config(void)
{
	if (!config_read) {
		/* a program not ported to filter.h yet (see rec.h): the same reading, at first use */
		char warn[160];

		if (rec_init(warn, sizeof warn))
			diag_warn(NULL, 0, NULL, "%s", warn);
	}
	return &config;
}

int rec_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int rec_vmsplice_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		struct iovec iov = { (void *)(uintptr_t)p, n };
		ssize_t m = vmsplice(fd, &iov, 1, 0);

		if (m < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += m;
		n -= (size_t)m;
	}
	return 0;
}

void rec_enlarge_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1024 * 1024);   /* best effort: the limit may be lower */
#else
	(void)fd;
#endif
}

int rec_parse_int(const char *s, long *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno)
		return -1;
	*out = v;
	return 0;
}

int rec_parse_num(const char *s, double *out)
{
	char *end;
	double v;

	if (*s == '\0')
		return -1;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int rec_parse_bool(const char *s, int *out)
{
	if ((s[0] == '0' || s[0] == '1') && s[1] == '\0') {
		*out = s[0] - '0';
		return 0;
	}
	return -1;
}
