/* rec_test - unit tests of the record stream library with known answers (TAP). */
#include "datecalc.h"
#include "diag.h"
#include "rec.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "../lib/tap.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (cond) { tap_line("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { failures++; tap_line("not ok - "); printf(__VA_ARGS__); printf("  (%s:%d)\n", __FILE__, __LINE__); } \
} while (0)

static char tmpdir[512];

static void path_in_tmp(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || fwrite(data, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

static char *read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	if (!fp) {
		perror(path);
		exit(1);
	}
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, fp) != (size_t)len)
		exit(1);
	buf[len] = '\0';
	fclose(fp);
	*n = (size_t)len;
	return buf;
}

/* Decompress a gzip file with zlib's gz* API (an independent reader of our output). */
static char *gunzip_file(const char *path, size_t *n)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, len = 0;
	char *buf = xmalloc(cap);
	int got;

	while ((got = gzread(gz, buf + len, (unsigned)(cap - len))) > 0) {
		len += (size_t)got;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	gzclose(gz);
	*n = len;
	return buf;
}

/* The adversarial values of the round trip. */
static const char *values[][3] = {
	{ "plain", "with,comma", "with \"quotes\"" },
	{ "line\nbreak", "", "#starts with hash" },
	{ "  leading and trailing blanks  ", "\"", "crlf\r\ninside" },
	{ "", "", "" },
	{ "#schema looks/1", ",", "\"\"" },
	{ "tab\tinside", "unicode: Fryslân ≥ 45", "end" },
};
#define NVALUES (sizeof values / sizeof values[0])

static void test_round_trip(int level)
{
	char path[600];
	struct rec_writer *w;
	struct rec_reader *r;
	char *big = xmalloc(1024 * 1024 + 1);
	int rc, ok = 1;
	size_t row = 0;

	for (size_t i = 0; i < 1024 * 1024; i++)
		big[i] = "ab,\"\n#x"[i % 7];
	big[1024 * 1024] = '\0';
	snprintf(path, sizeof path, "%s/rt%d.gz", tmpdir, level);
	w = rec_writer_open(path, level, 0644);
	CHECK(w != NULL, "level %d: open a file for writing", level);
	CHECK(rec_writer_section(w, "roundtrip/1") == 0, "level %d: start a section of a REC_SCHEMA_PATH schema", level);
	for (size_t i = 0; i < NVALUES; i++) {
		for (int j = 0; j < 3; j++)
			rec_put(w, values[i][j]);
		rec_writer_end(w);
	}
	rec_put(w, big);
	rec_put(w, "x");
	rec_put(w, big);
	rec_writer_end(w);
	CHECK(rec_writer_section(w, "single/1") == 0, "level %d: a second section", level);
	rec_put(w, "");
	rec_writer_end(w);
	rec_put(w, "v");
	rec_writer_end(w);
	CHECK(rec_writer_close(w) == 0, "level %d: close without error", level);

	r = rec_reader_open(path);
	CHECK(r != NULL, "level %d: open for reading", level);
	rc = rec_reader_next(r);
	CHECK(rc == REC_SECTION && strcmp(rec_reader_schema(r)->id, "roundtrip/1") == 0, "level %d: first section is roundtrip/1", level);
	while ((rc = rec_reader_next(r)) == REC_RECORD) {
		if (row < NVALUES) {
			for (int j = 0; j < 3; j++)
				if (strcmp(rec_reader_field(r, (size_t)j), values[row][j]) != 0 ||
				    rec_reader_field_len(r, (size_t)j) != strlen(values[row][j]))
					ok = 0;
		} else {
			ok = ok && strcmp(rec_reader_field(r, 0), big) == 0 && strcmp(rec_reader_field(r, 1), "x") == 0 &&
			     strcmp(rec_reader_field(r, 2), big) == 0;
		}
		row++;
	}
	CHECK(ok && row == NVALUES + 1, "level %d: every adversarial value and two 1 MB fields come back byte for byte (%zu rows)", level, row);
	CHECK(rc == REC_SECTION && strcmp(rec_reader_schema(r)->id, "single/1") == 0, "level %d: then section single/1", level);
	rc = rec_reader_next(r);
	CHECK(rc == REC_RECORD && strcmp(rec_reader_field(r, 0), "") == 0, "level %d: a lone empty field survives (not a blank line)", level);
	rc = rec_reader_next(r);
	CHECK(rc == REC_RECORD && strcmp(rec_reader_field(r, 0), "v") == 0 && rec_reader_line(r) > 0, "level %d: then v", level);
	CHECK(rec_reader_next(r) == REC_EOF, "level %d: then the end", level);
	rec_reader_free(r);
	free(big);
}

/* The exact text the writer produces, checked against hand-written CSV. */
static void test_exact_text(void)
{
	char path[600];
	struct rec_writer *w;
	size_t n;
	char *text;
	const char *want =
		"#schema roundtrip/1\n"
		"a,b,c\n"
		"plain,\"with,comma\",\"with \"\"quotes\"\"\"\n"
		"\"line\nbreak\",,\"#starts with hash\"\n"
		"1.5,0.1,-3\n"
		"2006-02-28,,1\n";

	path_in_tmp(path, sizeof path, "exact.csv");
	w = rec_writer_open(path, 0, 0644);
	rec_writer_section(w, "roundtrip/1");
	rec_put(w, "plain"); rec_put(w, "with,comma"); rec_put(w, "with \"quotes\""); rec_writer_end(w);
	rec_put(w, "line\nbreak"); rec_put_missing(w); rec_put(w, "#starts with hash"); rec_writer_end(w);
	rec_put_num(w, 1.5); rec_put_num(w, 0.1); rec_put_int(w, -3); rec_writer_end(w);
	rec_put_date(w, date_from_ymd(2006, 2, 28)); rec_put_date(w, DATE_NONE); rec_put_bool(w, 1); rec_writer_end(w);
	rec_writer_close(w);
	text = read_file(path, &n);
	CHECK(n == strlen(want) && memcmp(text, want, n) == 0, "REC_LEVEL 0 writes exactly the hand-written CSV");
	free(text);
}

/* The writer's quoting of values of every length up to 40 (around its 4-, 8- and 16-byte
 * words), with one byte that needs quotes - or one that only looks like it to a careless
 * word test: the byte next to it, or it with its high bit set - at every offset, and at
 * every alignment of the value: the text must be what the rule says, worked out here a
 * byte at a time (quoted when the value holds a comma, quote, LF or CR, or starts with #;
 * a quote doubled; a lone empty field written as ""). */
static void test_put_quoting(void)
{
	static const unsigned char probes[] = { ',', '"', '\n', '\r', ',' + 1, '"' - 1, '\n' + 1, '\r' - 1,
						',' | 0x80, '"' | 0x80, '\n' | 0x80, '\r' | 0x80, 0xff, 0x00 + 1, '#' };
	char path[600], value[64], *want = NULL, *text;
	size_t want_len = 0, want_cap = 0, n, cases = 0;
	struct rec_writer *w;

	path_in_tmp(path, sizeof path, "quoting.csv");
	w = rec_writer_open(path, 0, 0644);
	rec_writer_section(w, "single/1");
	for (size_t len = 0; len <= 40; len++)
		for (size_t at = 0; at <= len; at++)          /* at == len: no probe byte */
			for (size_t k = 0; k < sizeof probes; k++) {
				size_t align = (len + at + k) % 8, q;
				char *v = value + align;
				int quote;

				if (at == len && k > 0)
					break;
				for (size_t i = 0; i < len; i++)
					v[i] = (char)('a' + (i + k) % 26);
				if (at < len)
					v[at] = (char)probes[k];
				quote = len > 0 && v[0] == '#';
				for (size_t i = 0; i < len; i++)
					quote |= v[i] == ',' || v[i] == '"' || v[i] == '\n' || v[i] == '\r';
				rec_put_len(w, v, len);
				rec_writer_end(w);
				if (want_cap < want_len + 2 * len + 8) {
					want_cap = 2 * (want_len + 2 * len + 8);
					want = realloc(want, want_cap);
				}
				q = want_len;
				if (quote || len == 0)
					want[q++] = '"';
				for (size_t i = 0; i < len; i++) {
					want[q++] = v[i];
					if (v[i] == '"')
						want[q++] = '"';
				}
				if (quote || len == 0)
					want[q++] = '"';
				want[q++] = '\n';
				want_len = q;
				cases++;
			}
	rec_writer_close(w);
	text = read_file(path, &n);
	{
		const char *body = strchr(strchr(text, '\n') + 1, '\n') + 1;   /* past #schema and the header */
		size_t body_len = n - (size_t)(body - text);

		CHECK(body_len == want_len && memcmp(body, want, want_len) == 0,
		      "rec_put_len quotes exactly the values the rule quotes: %zu values of 0-40 bytes", cases);
	}
	free(text);
	free(want);
}

/* Gzip output is real gzip: zlib's own reader gets the same text as level 0 writes, at
 * level 6 (zlib), at level 1 (ISA-L when built with it) and at level 1 with REC_ZLIB=1. */
static void test_gzip_is_gzip(void)
{
	static const struct { int level; const char *zlib; const char *name; } runs[] = {
		{ 6, NULL, "level 6 (zlib)" },
		{ 1, NULL, "level 1 (ISA-L where built in)" },
		{ 1, "1", "level 1 with REC_ZLIB=1 (zlib)" },
	};
	char p0[600], p1[600];
	size_t n0, n1;
	char *t0, *t1;

	path_in_tmp(p0, sizeof p0, "g0.csv");
	for (size_t k = 0; k < 4; k++) {
		struct rec_writer *w;

		if (k > 0) {
			if (runs[k - 1].zlib)
				setenv("REC_ZLIB", runs[k - 1].zlib, 1);
			else
				unsetenv("REC_ZLIB");
			snprintf(p1, sizeof p1, "%s/g%zu.gz", tmpdir, k);
		}
		w = rec_writer_open(k ? p1 : p0, k ? runs[k - 1].level : 0, 0644);
		rec_writer_section(w, "roundtrip/1");
		for (int i = 0; i < 200000; i++) {
			rec_put_int(w, i); rec_put(w, "x,y"); rec_put_num(w, i / 7.0); rec_writer_end(w);
		}
		rec_writer_close(w);
		unsetenv("REC_ZLIB");
		if (k == 0)
			continue;
		t0 = read_file(p0, &n0);
		t1 = gunzip_file(p1, &n1);
		CHECK(n0 == n1 && memcmp(t0, t1, n0) == 0 && n0 > 3000000,
		      "%s output decompresses (zlib gzread) to the plain output (%zu bytes)", runs[k - 1].name, n0);
		free(t0);
		free(t1);
	}
}

/* Run the reader over BYTES; return the final rc, the records read, and the message. */
static int read_bytes(const void *bytes, size_t n, long *records, char *msg, size_t msgsz)
{
	char path[600];
	struct rec_reader *r;
	int rc;

	path_in_tmp(path, sizeof path, "in.dat");
	write_file(path, bytes, n);
	r = rec_reader_open(path);
	*records = 0;
	while ((rc = rec_reader_next(r)) > 0)
		if (rc == REC_RECORD)
			(*records)++;
	snprintf(msg, msgsz, "%s", rc < 0 ? rec_reader_error(r) : "");
	rec_reader_free(r);
	return rc;
}

static size_t gzip_bytes(const char *text, unsigned char *out, size_t cap)
{
	z_stream zs;

	memset(&zs, 0, sizeof zs);
	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = (uInt)strlen(text);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	return cap - zs.avail_out;
}

static void test_framing(void)
{
	const char *a = "#schema roundtrip/1\na,b,c\n1,2,3\n4,5,6\n";
	const char *b = "#schema single/1\nv\nx\n";
	unsigned char gz[4096];
	size_t na, nb;
	long recs;
	char msg[1200], path[600];
	int rc;

	path_in_tmp(path, sizeof path, "in.dat");
	na = gzip_bytes(a, gz, sizeof gz);
	nb = gzip_bytes(b, gz + na, sizeof gz - na);
	rc = read_bytes(gz, na + nb, &recs, msg, sizeof msg);
	CHECK(rc == REC_EOF && recs == 3, "two gzip members (cat a.gz b.gz) read as one stream: 3 records");

	rc = read_bytes(a, strlen(a), &recs, msg, sizeof msg);
	CHECK(rc == REC_EOF && recs == 2, "plain text input is detected and read: 2 records");

	rc = read_bytes("", strlen(""), &recs, msg, sizeof msg);
	CHECK(rc == REC_EOF && recs == 0, "an empty stream is valid and empty");

	rc = read_bytes(gz, na - 9, &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "truncated gzip stream") != NULL, "a truncated gzip stream is an error: %s", msg);

	rc = read_bytes(gz, na + 5, &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "truncated gzip stream") != NULL, "a second member cut short is an error: %s", msg);

	{
		unsigned char bad[4096];

		memcpy(bad, gz, na);
		memcpy(bad + na, "garbage\n", 8);
		rc = read_bytes(bad, na + 8, &recs, msg, sizeof msg);
		CHECK(rc == REC_ERROR && strstr(msg, "corrupt gzip stream") != NULL, "bytes after a member that are not a member are an error: %s", msg);
		memcpy(bad, gz, na);
		bad[na / 2] ^= 0x55;
		rc = read_bytes(bad, na, &recs, msg, sizeof msg);
		CHECK(rc == REC_ERROR && (strstr(msg, "corrupt gzip") || strstr(msg, "truncated")), "a corrupted member is an error: %s", msg);
	}

	rc = read_bytes("#schema roundtrip/1\na,b,c\n1,2,3\n4,5\n", strlen("#schema roundtrip/1\na,b,c\n1,2,3\n4,5\n"), &recs, msg, sizeof msg);
	snprintf(path, sizeof path, "%s/in.dat:4: wrong number of fields: 2, roundtrip/1 has 3", tmpdir);
	CHECK(rc == REC_ERROR && strcmp(msg, path) == 0, "wrong field count names file and line 4: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,b,c\n\"x\ny\",2,3\n4,5,6,7\n", strlen("#schema roundtrip/1\na,b,c\n\"x\ny\",2,3\n4,5,6,7\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:5: wrong number of fields: 4") != NULL, "line numbers count the newline inside a quoted field: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,b,c\n1,2,3", strlen("#schema roundtrip/1\na,b,c\n1,2,3"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "no newline") != NULL, "a plain stream cut inside a line is an error: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,b,c\n1,\"2,3\n", strlen("#schema roundtrip/1\na,b,c\n1,\"2,3\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "unterminated") != NULL, "an unterminated quote is an error: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,b,c\n1,x\"y,3\n", strlen("#schema roundtrip/1\na,b,c\n1,x\"y,3\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:3: malformed CSV") != NULL, "a stray quote is an error with its line: %s", msg);

	rc = read_bytes("#schema roundtrip/1\n#schema single/1\nv\n", strlen("#schema roundtrip/1\n#schema single/1\nv\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:1: #schema roundtrip/1 has no header row") != NULL, "a section without a header is an error: %s", msg);

	rc = read_bytes("#schema roundtrip/1\n", strlen("#schema roundtrip/1\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "has no header row") != NULL, "a #schema line at the end without a header is an error: %s", msg);

	rc = read_bytes("1,2,3\n", strlen("1,2,3\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:1: record before any #schema line") != NULL, "records without a section are an error: %s", msg);

	rc = read_bytes("#schema nosuch/1\nv\n", strlen("#schema nosuch/1\nv\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "unknown schema 'nosuch/1'") != NULL, "an unknown schema is an error: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,c,b\n", strlen("#schema roundtrip/1\na,c,b\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:2: b: header of roundtrip/1: column 2 is c") != NULL, "a header in the wrong order names the field: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,b\n", strlen("#schema roundtrip/1\na,b\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:2: c: missing from the header") != NULL, "a header missing a field names it: %s", msg);

	rc = read_bytes("#schema roundtrip/1\na,b,c,d\n", strlen("#schema roundtrip/1\na,b,c,d\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "in.dat:2: d: not a field of roundtrip/1") != NULL, "an extra header field names it: %s", msg);

	rc = read_bytes("#comment\n", strlen("#comment\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_ERROR && strstr(msg, "unknown directive") != NULL, "an unknown directive is an error: %s", msg);

	rc = read_bytes("#schema roundtrip/1\r\na,b,c\r\n1,2,3\r\n", strlen("#schema roundtrip/1\r\na,b,c\r\n1,2,3\r\n"), &recs, msg, sizeof msg);
	CHECK(rc == REC_EOF && recs == 1, "CRLF line ends (a Python csv writer's default) are accepted");
}

static void test_values(void)
{
	const char *text = "#schema typed/1\ni,n,d,b,e,t\n"
		"3,0.5,2006-03-31,1,ww,x\n"        /* line 3: valid */
		",,,,,\n"                          /* line 4: i is required */
		"11,0.5,2006-03-31,1,ww,x\n"       /* line 5: i out of [1,10] */
		"3,abc,2006-03-31,1,ww,x\n"        /* line 6: not a number */
		"3,0.5,2006-02-29,1,ww,x\n"        /* line 7: not a date */
		"3,0.5,2006-03-31,2,ww,x\n"        /* line 8: not a boolean */
		"3,0.5,2006-03-31,1,wwx,x\n";      /* line 9: not a code */
	static const char *want[] = {
		NULL,
		"in.dat:4: i: missing required value",
		"in.dat:5: i: out of range [1,10]: 11",
		"in.dat:6: n: not a number: abc",
		"in.dat:7: d: not a date (yyyy-mm-dd): 2006-02-29",
		"in.dat:8: b: not a boolean (0 or 1): 2",
		"in.dat:9: e: not one of the codes of e: wwx",
	};
	char path[600];
	struct rec_reader *r;
	int rc, k = 0;

	path_in_tmp(path, sizeof path, "in.dat");
	write_file(path, text, strlen(text));
	r = rec_reader_open(path);
	while ((rc = rec_reader_next(r)) > 0) {
		int bad;

		if (rc != REC_RECORD)
			continue;
		bad = rec_reader_check(r);
		if (want[k] == NULL)
			CHECK(bad == -1, "a valid record passes the value check");
		else
			CHECK(bad >= 0 && strstr(rec_reader_error(r), want[k]) != NULL, "value check: %s", want[k]);
		k++;
	}
	CHECK(rc == REC_EOF && k == 7, "bad values do not stop the reader (the caller decides)");
	rec_reader_free(r);
}

/* rec_put_fields copies a record as read: the same CSV, without the line end. */
static void test_put_fields(void)
{
	const char *in = "#schema roundtrip/1\na,b,c\n\"x,1\",,\"#h\"\r\n\"\"\"q\"\"\",\"line\nbreak\",z\n";
	const char *want = "#schema roundtrip/1\na,b,c\n\"x,1\",,\"#h\"\n\"\"\"q\"\"\",\"line\nbreak\",z\n";
	char ipath[600], opath[600];
	struct rec_reader *r;
	struct rec_writer *w;
	char *text;
	size_t n;
	int rc;

	path_in_tmp(ipath, sizeof ipath, "pf-in.csv");
	path_in_tmp(opath, sizeof opath, "pf-out.csv");
	write_file(ipath, in, strlen(in));
	r = rec_reader_open(ipath);
	w = rec_writer_open(opath, 0, 0644);
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			rec_writer_section(w, "roundtrip/1");
			continue;
		}
		rec_put_fields(w, r);
		rec_writer_end(w);
	}
	rec_reader_free(r);
	rec_writer_close(w);
	text = read_file(opath, &n);
	CHECK(rc == REC_EOF && n == strlen(want) && memcmp(text, want, n) == 0,
	      "rec_put_fields copies records byte for byte (CRLF dropped, quotes and newlines kept)");
	free(text);
}

/* Wide records (100 fields, more than the reader's first field table) with values that put
 * commas, quotes, CRs and newlines at every offset of the reader's 16-byte blocks: the
 * fields read back are the ones generated (the known answer), whichever path split them,
 * and copying the records with rec_put_fields gives the same text. */
static unsigned long wide_rng = 12345;

static unsigned wide_next(void)
{
	wide_rng = wide_rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(wide_rng >> 33);
}

#define WIDE_FIELDS 100
#define WIDE_RECORDS 3000

static void wide_value(char *v, int special)
{
	static const char plain[] = "abcdefghij0123456789-. #";
	static const char odd[] = ",\"\r\n#";
	unsigned len = wide_next() % 41;

	for (unsigned i = 0; i < len; i++)
		v[i] = special && wide_next() % 8 == 0 ? odd[wide_next() % 5] : plain[wide_next() % 24];
	v[len] = '\0';
}

static char vals[WIDE_RECORDS][WIDE_FIELDS][48];   /* the wide records' fields */

/* 1 when field F of the reader's record differs from wide record REC's (text or length). */
static int wide_field_differs(const struct rec_reader *r, long rec, int f)
{
	return rec >= WIDE_RECORDS || strcmp(rec_reader_field(r, (size_t)f), vals[rec][f]) != 0 ||
	       rec_reader_field_len(r, (size_t)f) != strlen(vals[rec][f]);
}

static void test_wide_records(void)
{
	char path[600], copy[600];
	struct rec_reader *r;
	struct rec_writer *w;
	long bad = 0, recs = 0, bad_copy = 0;
	int rc;

	for (int i = 0; i < WIDE_RECORDS; i++) {
		int special = i % 3 == 0;   /* two records in three hold plain text only */

		for (int f = 0; f < WIDE_FIELDS; f++)
			wide_value(vals[i][f], special);
	}
	path_in_tmp(path, sizeof path, "wide.csv");
	path_in_tmp(copy, sizeof copy, "wide-copy.csv");
	w = rec_writer_open(path, 0, 0644);
	rec_writer_section(w, "wide/1");
	for (int i = 0; i < WIDE_RECORDS; i++) {
		for (int f = 0; f < WIDE_FIELDS; f++)
			rec_put(w, vals[i][f]);
		rec_writer_end(w);
	}
	CHECK(rec_writer_close(w) == 0, "wide: written");

	r = rec_reader_open(path);
	w = rec_writer_open(copy, 0, 0644);
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			rec_writer_section(w, "wide/1");
			continue;
		}
		for (int f = 0; f < WIDE_FIELDS; f++)
			bad += wide_field_differs(r, recs, f);
		rec_put_fields(w, r);
		rec_writer_end(w);
		recs++;
	}
	rec_reader_free(r);
	rec_writer_close(w);
	CHECK(rc == REC_EOF && recs == WIDE_RECORDS && bad == 0,
	      "wide: %d records of %d fields read back as generated (%ld records, %ld fields differ)",
	      WIDE_RECORDS, WIDE_FIELDS, recs, bad);

	recs = 0;
	r = rec_reader_open(copy);
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc != REC_RECORD)
			continue;
		for (int f = 0; f < WIDE_FIELDS; f++)
			if (recs >= WIDE_RECORDS || strcmp(rec_reader_field(r, (size_t)f), vals[recs][f]) != 0)
				bad_copy++;
		recs++;
	}
	rec_reader_free(r);
	CHECK(rc == REC_EOF && recs == WIDE_RECORDS && bad_copy == 0,
	      "wide: the rec_put_fields copy reads back the same fields (%ld differ)", bad_copy);
}

/* A check that files A and B hold the same bytes. */
static void check_same_file(const char *a_path, const char *b_path, const char *what)
{
	size_t n1, n2;
	char *a = read_file(a_path, &n1), *b = read_file(b_path, &n2);

	CHECK(n1 == n2 && memcmp(a, b, n1) == 0, "%s", what);
	free(a);
	free(b);
}

enum split_how { SPLIT_WHOLE_READ, SPLIT_LAZY_READ, SPLIT_SPARSE_READ };

/* A reader of PATH that splits as HOW says. */
static struct rec_reader *open_split(const char *path, enum split_how how)
{
	struct rec_reader *r = rec_reader_open(path);

	if (how == SPLIT_LAZY_READ)
		rec_reader_split_lazily(r);
	if (how == SPLIT_SPARSE_READ)
		(void)rec_reader_split_sparsely(r);
	return r;
}

/* TEXT read to its end from a file, split as HOW says (field CODE_FIELD of every record
 * read as a code, when >= 0): how the read ended, its message or "(read)", in MSG. */
static void read_to_end(const char *text, enum split_how how, int code_field, char *msg, size_t n)
{
	char path[600];
	struct rec_reader *r;
	int rc;

	path_in_tmp(path, sizeof path, "broken.csv");
	write_file(path, text, strlen(text));
	r = open_split(path, how);
	while ((rc = rec_reader_next(r)) > 0)
		if (rc == REC_RECORD && code_field >= 0)
			(void)rec_get_code(r, code_field);
	snprintf(msg, n, "%s", rc < 0 ? rec_reader_error(r) : "(read)");
	rec_reader_free(r);
}

/* Read the wide file with R (then freed), each record copied to COPY by rec_put_fields,
 * LOOK(r, i, moved) looking at fields of record I: the fields that differ from the ones
 * generated, or 1 more when the read, the copy or the count of records went wrong. */
static long read_wide(struct rec_reader *r, const char *copy, long (*look)(struct rec_reader *, long, long *),
		      long *moved)
{
	struct rec_writer *w = rec_writer_open(copy, 0, 0644);
	long bad = 0, recs = 0;
	int rc;

	while ((rc = rec_reader_next(r)) > 0) {
		if (rc == REC_SECTION) {
			rec_writer_section(w, "wide/1");
			continue;
		}
		bad += look(r, recs, moved);
		rec_put_fields(w, r);
		rec_writer_end(w);
		recs++;
	}
	rec_reader_free(r);
	return bad + (rec_writer_close(w) != 0 || rc != REC_EOF || recs != WIDE_RECORDS);
}

/* The lazy reader's looks at record I: nothing; every field from the last down; every
 * fifth from a shifting start, then two before them again; the last, then the first. */
static long look_lazily(struct rec_reader *r, long i, long *moved)
{
	int order[2 * WIDE_FIELDS], n = 0, pat = (int)(i % 4);
	long bad = 0;

	(void)moved;
	if (pat == 1)
		for (int f = WIDE_FIELDS - 1; f >= 0; f--)
			order[n++] = f;
	if (pat == 2) {
		for (int f = (int)(i % 5); f < WIDE_FIELDS; f += 5)
			order[n++] = f;
		order[n++] = 3;
		order[n++] = 1;
	}
	if (pat == 3) {
		order[n++] = WIDE_FIELDS - 1;
		order[n++] = 0;
	}
	for (int k = 0; k < n; k++)
		bad += wide_field_differs(r, i, order[k]);
	return bad;
}

/* The sparse reader's looks at record I: field 7 (kept), then nothing more; fields 0..9
 * once the first 100 records are read; every seventh from a shifting start; the last
 * (always split) and the one before it; from record 2000 on every field, from the last
 * down. Field 7's text must not move (*MOVED) when a later look splits the record again. */
static long look_sparsely(struct rec_reader *r, long i, long *moved)
{
	int order[2 * WIDE_FIELDS], n = 0, pat = (int)(i % 4);
	const char *kept = rec_reader_field(r, 7);
	char kept_copy[48];
	long bad;

	snprintf(kept_copy, sizeof kept_copy, "%s", kept);
	if (i >= 2000)
		for (int f = WIDE_FIELDS - 1; f >= 0; f--)
			order[n++] = f;
	else if (pat == 1 && i >= 100)
		for (int f = 0; f < 10; f++)
			order[n++] = f;
	else if (pat == 2)
		for (int f = (int)(i % 7); f < WIDE_FIELDS; f += 7)
			order[n++] = f;
	else if (pat == 3) {
		order[n++] = WIDE_FIELDS - 1;
		order[n++] = WIDE_FIELDS - 2;
	}
	bad = wide_field_differs(r, i, 7);
	for (int k = 0; k < n; k++)
		bad += wide_field_differs(r, i, order[k]);
	*moved += strcmp(kept, kept_copy) != 0;
	return bad;
}

/* A reader that splits lazily (rec_reader_split_lazily) reads the same fields as one that
 * splits every record whole, whatever fields it looks at and in whatever order, and refuses
 * the same streams with the same words. The answers: the wide file's generated values,
 * and hand-written lines. */
static void test_lazy_split(void)
{
	char path[600], copy[600], m_eager[1100], m_lazy[1100];
	struct rec_reader *r;
	long bad;

	path_in_tmp(path, sizeof path, "wide.csv");   /* written by test_wide_records */
	path_in_tmp(copy, sizeof copy, "wide-lazy-copy.csv");
	r = rec_reader_open(path);
	rec_reader_split_lazily(r);
	bad = read_wide(r, copy, look_lazily, NULL);
	CHECK(bad == 0, "lazy split: fields looked at in four orders read as generated (%ld differ)", bad);
	check_same_file(path, copy, "lazy split: rec_put_fields copies every record byte for byte");

	/* the same refusals, word for word, split lazily or not */
	static const char *const broken[][2] = {
		{ "#schema roundtrip/1\na,b,c\n1,2,3,4\n", "wrong number of fields: 4, roundtrip/1 has 3" },
		{ "#schema roundtrip/1\na,b,c\n1,2\n", "wrong number of fields: 2, roundtrip/1 has 3" },
		{ "#schema roundtrip/1\na,b,c\nx,\xff,z\n", "b: not utf-8: byte 0xff at position 1" },
		{ "#schema roundtrip/1\na,c,b\n", "header of roundtrip/1: column 2 is c, the schema has b there" },
	};
	for (size_t k = 0; k < sizeof broken / sizeof broken[0]; k++) {
		read_to_end(broken[k][0], SPLIT_WHOLE_READ, -1, m_eager, sizeof m_eager);
		read_to_end(broken[k][0], SPLIT_LAZY_READ, -1, m_lazy, sizeof m_lazy);
		CHECK(strcmp(m_eager, m_lazy) == 0 && strstr(m_lazy, broken[k][1]) != NULL,
		      "lazy split: refused as when split whole: %s", m_lazy);
	}

	/* typed getters on a lazily split record: the last field first, then the others */
	{
		const char *t = "#schema typed/1\ni,n,d,b,e,t\n3,0.5,2006-03-01,1,wwb,hello\n"
				"7,,,,,\n11,,,,,x\n";
		long got_i, got_i2;
		double got_n;
		int got_d, got_b, got_e, ok2, bad3;
		const char *got_t;

		path_in_tmp(path, sizeof path, "typed-lazy.csv");
		write_file(path, t, strlen(t));
		r = rec_reader_open(path);
		rec_reader_split_lazily(r);
		rec_reader_next(r);
		rec_reader_next(r);
		got_t = rec_get_text(r, 5);
		CHECK(strcmp(got_t, "hello") == 0, "lazy split: rec_get_text of the last field first: %s", got_t);
		got_i = rec_get_int(r, 0);
		got_d = rec_get_date(r, 2);
		got_e = rec_get_code(r, 4);
		got_n = rec_get_num(r, 1);
		got_b = rec_get_bool(r, 3);
		CHECK(got_i == 3 && got_d == date_from_ymd(2006, 3, 1) && got_e == 1 && got_n == 0.5 && got_b == 1 &&
		      !rec_reader_bad(r), "lazy split: then int 3, date 2006-03-01, code wwb (1), num 0.5, bool 1");
		rec_reader_next(r);
		got_i2 = rec_get_int(r, 0);
		ok2 = got_i2 == 7 && rec_get_num(r, 1) != rec_get_num(r, 1) && rec_get_bool(r, 3) == -1 &&
		      *rec_get_text(r, 5) == '\0' && !rec_reader_bad(r);
		CHECK(ok2, "lazy split: missing values read as missing (int 7, then NaN, -1, \"\")");
		rec_reader_next(r);
		(void)rec_get_text(r, 5);
		(void)rec_get_int(r, 0);
		bad3 = rec_reader_bad(r);
		CHECK(bad3 && rec_reader_next(r) == REC_ERROR && strstr(rec_reader_error(r), ":5: i: out of range") != NULL,
		      "lazy split: a value out of range is refused: %s", rec_reader_error(r));
		rec_reader_free(r);
	}
}

/* A reader that splits sparsely (rec_reader_split_sparsely) reads the same fields as one
 * that splits whole: the fields it reads change from record to record (each field read for
 * the first time makes that record split again), records with quotes or other bytes than
 * ASCII come between, a second section starts with nothing read, a field's text stays
 * where it was when a later look splits the record again, and the same streams are refused
 * with the same words. The answers: the wide file's generated values, and hand-written
 * lines. On a CPU without a fast pdep every record is split whole, and the answers are the
 * same. */
static void test_sparse_split(void)
{
	char path[600], copy[600], warn[200];
	struct rec_reader *r;
	long bad, moved = 0;
	int sparse;

	setenv("REC_SPLIT", "whole", 1);
	rec_init(warn, sizeof warn);
	r = rec_reader_open(NULL);
	CHECK(rec_reader_split_sparsely(r) == 0, "sparse split: off with REC_SPLIT=whole");
	rec_reader_free(r);
	unsetenv("REC_SPLIT");
	rec_init(warn, sizeof warn);

	path_in_tmp(path, sizeof path, "wide.csv");   /* written by test_wide_records */
	path_in_tmp(copy, sizeof copy, "wide-sparse-copy.csv");
	r = rec_reader_open(path);
	sparse = rec_reader_split_sparsely(r);
	printf("# sparse split on this CPU: %s\n", sparse ? "yes" : "no (records split whole)");
	bad = read_wide(r, copy, look_sparsely, &moved);
	CHECK(bad == 0 && moved == 0,
	      "sparse split: fields looked at in changing orders read as generated (%ld differ, %ld moved)", bad, moved);
	check_same_file(path, copy, "sparse split: rec_put_fields copies every record byte for byte");
}

/* test_sparse_split's hand-written lines: two sections, the second starting with nothing
 * read; rec_reader_check and rec_reader_values see every field of a record split
 * sparsely; and the same refusals, word for word, as when split whole. */
static void test_sparse_sections(void)
{
	char path[600], m_whole[1100], m_sparse[1100];
	struct rec_reader *r;

	{
		const char *t = "#schema typed/1\ni,n,d,b,e,t\n3,0.5,2006-03-01,1,wwb,hello\n4,,,0,ww,\n"
				"#schema roundtrip/1\na,b,c\nx,y,z\np,q,r\n"
				"#schema typed/1\ni,n,d,b,e,t\n5,0.25,2007-01-31,0,ww,bye\n6,1,,,,\n";
		const long *v;
		int ok_a, ok_b, ok_c, ok_d;

		path_in_tmp(path, sizeof path, "typed-sparse.csv");
		write_file(path, t, strlen(t));
		r = rec_reader_open(path);
		rec_reader_split_sparsely(r);
		rec_reader_next(r);
		rec_reader_next(r);
		ok_a = rec_get_int(r, 0) == 3 && strcmp(rec_get_text(r, 5), "hello") == 0;
		rec_reader_next(r);
		v = rec_reader_values(r);
		ok_b = v && v[0] == 4 && v[3] == 0 && v[4] == 0 && rec_reader_check(r) == -1 &&
		       rec_get_bool(r, 3) == 0 && rec_get_code(r, 4) == 0 && isnan(rec_get_num(r, 1));
		rec_reader_next(r);
		rec_reader_next(r);
		ok_c = strcmp(rec_reader_field(r, 1), "y") == 0 && rec_reader_field_len(r, 2) == 1 &&
		       strcmp(rec_reader_field(r, 0), "x") == 0;
		rec_reader_next(r);
		ok_c = ok_c && strcmp(rec_reader_field(r, 2), "r") == 0 && strcmp(rec_reader_field(r, 1), "q") == 0;
		rec_reader_next(r);
		rec_reader_next(r);
		ok_d = rec_get_date(r, 2) == date_from_ymd(2007, 1, 31) && rec_get_num(r, 1) == 0.25 &&
		       strcmp(rec_get_text(r, 5), "bye") == 0 && rec_get_int(r, 0) == 5;
		rec_reader_next(r);
		ok_d = ok_d && rec_get_num(r, 1) == 1 && rec_get_date(r, 2) == DATE_NONE && rec_get_bool(r, 3) == -1 &&
		       rec_get_int(r, 0) == 6 && !rec_reader_bad(r) && rec_reader_next(r) == REC_EOF;
		rec_reader_free(r);
		CHECK(ok_a && ok_b && ok_c && ok_d,
		      "sparse split: typed getters, rec_reader_values and rec_reader_check over three sections (%d %d %d %d)",
		      ok_a, ok_b, ok_c, ok_d);
	}
	/* CRLF line ends (a plain line may end so): a field read for the first time splits the
	 * line again without its CR (the fuzzer found this one) */
	{
		const char *t = "#schema roundtrip/1\r\na,b,c\r\nx,y,z\r\np,q,r\r\n";
		int ok;

		path_in_tmp(path, sizeof path, "crlf-sparse.csv");
		write_file(path, t, strlen(t));
		r = rec_reader_open(path);
		rec_reader_split_sparsely(r);
		rec_reader_next(r);
		rec_reader_next(r);
		ok = strcmp(rec_reader_field(r, 2), "z") == 0 && rec_reader_field_len(r, 2) == 1;
		rec_reader_next(r);
		ok = ok && strcmp(rec_reader_field(r, 0), "p") == 0 && strcmp(rec_reader_field(r, 2), "r") == 0 &&
		     rec_reader_next(r) == REC_EOF;
		rec_reader_free(r);
		CHECK(ok, "sparse split: CRLF lines, a field read for the first time (split again without the CR)");
	}

	static const char *const broken[][2] = {
		{ "#schema roundtrip/1\na,b,c\n1,2,3\n1,2,3,4\n", "wrong number of fields: 4, roundtrip/1 has 3" },
		{ "#schema roundtrip/1\na,b,c\n1,2,3\n1,2\n", "wrong number of fields: 2, roundtrip/1 has 3" },
		{ "#schema roundtrip/1\na,b,c\n1,2,3\nx,\xff,z\n", "b: not utf-8: byte 0xff at position 1" },
		{ "#schema typed/1\ni,n,d,b,e,t\n3,0.5,2006-03-01,1,wwb,hello\n3,0.5,2006-03-01,1,wwx,hello\n",
		  "e: not one of" },
	};
	for (size_t k = 0; k < sizeof broken / sizeof broken[0]; k++) {
		int code_field = k == 3 ? 4 : -1;   /* typed/1's e */

		read_to_end(broken[k][0], SPLIT_WHOLE_READ, code_field, m_whole, sizeof m_whole);
		read_to_end(broken[k][0], SPLIT_SPARSE_READ, code_field, m_sparse, sizeof m_sparse);
		CHECK(strcmp(m_whole, m_sparse) == 0 && strstr(m_sparse, broken[k][1]) != NULL,
		      "sparse split: refused as when split whole: %s", m_sparse);
	}
}

/* rec_put_missing_n: a run of empty fields, after a value or from the first field on. */
static void test_put_missing_n(void)
{
	char path[600];
	struct rec_writer *w;
	size_t n;
	char *text;

	path_in_tmp(path, sizeof path, "missing-n.csv");
	w = rec_writer_open(path, 0, 0644);
	rec_writer_section(w, "roundtrip/1");
	rec_put(w, "x");
	rec_put_missing_n(w, 2);
	rec_writer_end(w);
	rec_put_missing_n(w, 3);
	rec_writer_end(w);
	rec_put_missing_n(w, 0);
	rec_put(w, "a");
	rec_put_missing_n(w, 1);
	rec_put(w, "c");
	rec_writer_end(w);
	CHECK(rec_writer_close(w) == 0, "missing_n: written");
	text = read_file(path, &n);
	CHECK(strcmp(text, "#schema roundtrip/1\na,b,c\nx,,\n,,\na,,c\n") == 0,
	      "missing_n: 'x,,' then ',,' then 'a,,c'");
	free(text);
}

/* Hand-written lines around the fast path's 16-byte blocks: a quote or a CR found in the
 * second block sends the line to libcsv, whose fields are the answer written here. */
static void test_split_blocks(void)
{
	const char *text =
		"#schema roundtrip/1\n"
		"a,b,c\n"
		"0123456789abcdef,0123456789abcdefghij,x\n"    /* commas right after a block */
		"0123456789abcde,,\"q,\"\"u\"\n"              /* a quote in the second block */
		"0123456789abcdefghijklmnopqrs,t,u\r\n";        /* CRLF line end */
	const char *want[3][3] = {
		{ "0123456789abcdef", "0123456789abcdefghij", "x" },
		{ "0123456789abcde", "", "q,\"u" },
		{ "0123456789abcdefghijklmnopqrs", "t", "u" },
	};
	char path[600];
	struct rec_reader *r;
	int rc, recs = 0, bad = 0;

	path_in_tmp(path, sizeof path, "blocks.csv");
	write_file(path, text, strlen(text));
	r = rec_reader_open(path);
	while ((rc = rec_reader_next(r)) > 0) {
		if (rc != REC_RECORD)
			continue;
		for (int f = 0; f < 3; f++)
			if (recs >= 3 || strcmp(rec_reader_field(r, (size_t)f), want[recs][f]) != 0)
				bad++;
		recs++;
	}
	rec_reader_free(r);
	CHECK(rc == REC_EOF && recs == 3 && bad == 0,
	      "lines split at 16-byte block edges, with a quote past the first block, CRLF (%d differ)", bad);
}

/* Read PATH split as HOW says (whole, lazily, sparsely), looking at fields 1 and 2 of
 * every record: what was read, one line a record ("b|c"), and how the read ended, in OUT. */
static void read_edges(const char *path, enum split_how how, char *out, size_t n)
{
	struct rec_reader *r = open_split(path, how);
	size_t k = 0;
	int rc;

	out[0] = '\0';
	while ((rc = rec_reader_next(r)) > 0)
		if (rc == REC_RECORD && k < n)
			k += (size_t)snprintf(out + k, n - k, "%s|%s\n", rec_reader_field(r, 1), rec_reader_field(r, 2));
	if (k < n)
		snprintf(out + k, n - k, "end %d %s", rc, rc < 0 ? rec_reader_error(r) : "");
	rec_reader_free(r);
}

/* The splits' block edges (16 bytes for a whole split, 32 for the lazy count and the
 * sparse split where the CPU has AVX2): a line a,b,c whose a shifts b and c across the
 * edges, whose c holds a comma, a quote, a CR, a UTF-8 letter or a byte that is not UTF-8
 * at the positions around each edge. Read whole, lazily and sparsely (a first record
 * teaches the sparse reader field 1), the three reads give the same fields and end the
 * same way, word for word; where the line is good, its fields are the ones written. */
static void test_split_edges(void)
{
	static const char *const special[] = { ",", "\"", "\r", "\xc3\xa9", "\xff" };
	static const int shift[] = { 0, 1, 16, 31, 33 };
	char path[600], text[300], c[160], got[3][1200], want[400];
	long cases = 0, differ = 0, wrong = 0;

	path_in_tmp(path, sizeof path, "edges.csv");
	for (size_t s = 0; s < sizeof shift / sizeof shift[0]; s++)
		for (int len = 0; len <= 70; len++)
			for (int at = -1; at < len; at++) {
				if (len > 3 && len % 16 > 2 && len % 16 < 14)
					continue;   /* lines that end near an edge */
				if (at > 2 && at < len - 3 && at % 16 > 1 && at % 16 < 15)
					continue;   /* only near an edge, the line's start or its end */
				for (size_t k = 0; k < sizeof special / sizeof special[0]; k++) {
					int good = at < 0 || k == 3;

					if (at < 0 && k > 0)
						break;
					memset(c, 'y', (size_t)len);
					c[len] = '\0';
					if (at >= 0)
						snprintf(c + at, sizeof c - (size_t)at, "%s%.*s", special[k], len - at - 1,
							 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
					snprintf(text, sizeof text, "#schema roundtrip/1\na,b,c\nteach,b0,c0\n%.*s,b%d,%s\n",
						 shift[s], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", len, c);
					write_file(path, text, strlen(text));
					for (int how = 0; how < 3; how++)
						read_edges(path, (enum split_how)how, got[how], sizeof got[how]);
					differ += strcmp(got[0], got[1]) != 0 || strcmp(got[0], got[2]) != 0;
					snprintf(want, sizeof want, "b0|c0\nb%d|%s\nend 0 ", len, c);
					wrong += good != (strcmp(got[0], want) == 0);
					cases++;
				}
			}
	CHECK(differ == 0 && wrong == 0,
	      "split edges: %ld lines read the same whole, lazily and sparsely (%ld differ), the good ones as written (%ld wrong)",
	      cases, differ, wrong);
}

/* Integers are formatted by hand (not snprintf): the extremes and the digit edges. */
static void test_put_int(void)
{
	const long v[] = { 0, -1, 9, 10, -10, 99, 100, 1234567890, LONG_MAX, LONG_MIN };
	const char *want = "#schema single/1\nv\n0\n-1\n9\n10\n-10\n99\n100\n1234567890\n"
		"9223372036854775807\n-9223372036854775808\n";
	char path[600];
	struct rec_writer *w;
	char *text;
	size_t n;

	path_in_tmp(path, sizeof path, "ints.csv");
	w = rec_writer_open(path, 0, 0644);
	rec_writer_section(w, "single/1");
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		rec_put_int(w, v[i]);
		rec_writer_end(w);
	}
	rec_writer_close(w);
	text = read_file(path, &n);
	CHECK(n == strlen(want) && memcmp(text, want, n) == 0, "rec_put_int: 0, signs, digit edges, LONG_MAX, LONG_MIN");
	free(text);

	/* booleans: first field, missing, after others; a lone missing one is "" */
	{
		const char *want_b = "#schema roundtrip/1\na,b,c\n1,,0\n,0,1\n0,1,\n#schema single/1\nv\n\"\"\n1\n\"\"\n"
			"#schema roundtrip/1\na,b,c\n,,7\n7,,\n";
		const int v3[3][3] = { { 1, -1, 0 }, { -1, 0, 1 }, { 0, 1, -1 } };

		w = rec_writer_open(path, 0, 0644);
		rec_writer_section(w, "roundtrip/1");
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				rec_put_bool(w, v3[i][j]);
			rec_writer_end(w);
		}
		rec_writer_section(w, "single/1");
		rec_put_bool(w, -1);
		rec_writer_end(w);
		rec_put_bool(w, 1);
		rec_writer_end(w);
		rec_put_missing(w);
		rec_writer_end(w);
		rec_writer_section(w, "roundtrip/1");
		rec_put_missing(w);
		rec_put_missing(w);
		rec_put_int(w, 7);
		rec_writer_end(w);
		rec_put_int(w, 7);
		rec_put_missing(w);
		rec_put_missing(w);
		rec_writer_end(w);
		rec_writer_close(w);
		text = read_file(path, &n);
		CHECK(n == strlen(want_b) && memcmp(text, want_b, n) == 0, "rec_put_bool and rec_put_missing: first, middle, last; a lone missing value");
		free(text);
	}
}

static void test_write_error(void)
{
	int fds[2];
	pid_t pid;
	int status;

	/* A writer whose reader is gone: with SIGPIPE ignored the error must be reported. */
	if (pipe(fds) != 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct rec_writer *w;

		signal(SIGPIPE, SIG_IGN);
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		w = rec_writer_open(NULL, 0, 0644);
		rec_writer_section(w, "roundtrip/1");
		for (int i = 0; i < 200000 && !rec_writer_failed(w); i++) {
			rec_put(w, "a"); rec_put(w, "b"); rec_put(w, "c"); rec_writer_end(w);
		}
		freopen("/dev/null", "w", stderr);
		_exit(rec_writer_close(w) == -1 ? 7 : 0);
	}
	close(fds[1]);
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "a write to a closed pipe is reported by rec_writer_close");

	{
		struct rec_writer *w = rec_writer_open("/nonexistent-dir/out.gz", 0, 0644);

		CHECK(w == NULL, "a file in a folder that does not exist is refused at open");
		rec_writer_close(w);
	}
}

static void test_dates(void)
{
	char buf[16];
	int d = date_from_ymd(2006, 3, 31);

	CHECK(date_from_ymd(2006, 2, 29) == DATE_NONE && date_from_ymd(2008, 2, 29) != DATE_NONE, "29 February only in leap years");
	CHECK(date_from_ymd(1970, 1, 1) == 0 && date_from_ymd(2000, 3, 1) == 11017, "day numbers: 1970-01-01 = 0, 2000-03-01 = 11017");
	date_format_iso(date_add_months(d, 6), buf);
	CHECK(strcmp(buf, "2006-09-30") == 0, "2006-03-31 + 6 months = 2006-09-30 (month end), got %s", buf);
	date_format_iso(date_add_months(date_from_ymd(2007, 8, 31), 6), buf);
	CHECK(strcmp(buf, "2008-02-29") == 0, "2007-08-31 + 6 months = 2008-02-29 (leap), got %s", buf);
	date_format_iso(date_add_months(date_from_ymd(2006, 4, 30), 12), buf);
	CHECK(strcmp(buf, "2007-04-30") == 0, "2006-04-30 + 12 months = 2007-04-30, got %s", buf);
	CHECK(date_parse_dmy("31-03-2006", 10) == d && date_parse_dmy("29-02-2006", 10) == DATE_NONE &&
	      date_parse_dmy("1-3-2006", 8) == DATE_NONE, "dd-mm-yyyy parsing with a real calendar");
	CHECK(date_age_years(date_from_ymd(1980, 3, 31), d) == 26 && date_age_years(date_from_ymd(1980, 4, 1), d) == 25,
	      "age: the day before the birthday is one year younger");
	CHECK(date_age_years(date_from_ymd(1988, 2, 29), date_from_ymd(2006, 2, 28)) == 17 &&
	      date_age_years(date_from_ymd(1988, 2, 29), date_from_ymd(2006, 3, 1)) == 18, "a 29 February birthday counts on 1 March");
}

int main(void)
{
	char schemadir[600], path[700];
	const char *base = getenv("TMPDIR");

	diag_init("rec_test");
	snprintf(tmpdir, sizeof tmpdir, "%s/rec_test.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(schemadir, sizeof schemadir, "%s/schemas", tmpdir);
	mkdir(schemadir, 0755);
	snprintf(path, sizeof path, "%s/roundtrip-1.schema", schemadir);
	write_file(path, "schema roundtrip/1\n# test\na text opt first\nb text opt second\nc text opt third\n", 78);
	snprintf(path, sizeof path, "%s/single-1.schema", schemadir);
	write_file(path, "schema single/1\nv text opt the only field\n", 42);
	snprintf(path, sizeof path, "%s/typed-1.schema", schemadir);
	{
		const char *t = "schema typed/1\ni int[1,10] req an int\nn num[0,1] opt a num\nd date opt a date\n"
		                "b bool opt a bool\ne enum(ww,wwb) opt a code\nt text opt text\n";
		write_file(path, t, strlen(t));
	}
	snprintf(path, sizeof path, "%s/wide-1.schema", schemadir);
	{
		FILE *fp = fopen(path, "w");

		fprintf(fp, "schema wide/1\n");
		for (int f = 0; f < WIDE_FIELDS; f++)
			fprintf(fp, "f%d text opt field %d\n", f, f);
		fclose(fp);
	}
	setenv("REC_SCHEMA_PATH", schemadir, 1);

	test_dates();
	test_round_trip(0);
	test_round_trip(1);
	test_exact_text();
	test_put_quoting();
	test_gzip_is_gzip();
	test_framing();
	test_values();
	test_put_fields();
	test_wide_records();
	test_split_blocks();
	test_split_edges();
	test_lazy_split();
	test_sparse_split();
	test_sparse_sections();
	test_put_missing_n();
	test_put_int();
	test_write_error();
	{
		char cmd[700];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return 1;
	}
	tap_plan();
	return failures ? 1 : 0;
}
