/* fast_test.c - the hot conversions link-waves relies on against the library functions
 * they stand in for - the library's integer parse (schema_int_value, used by the typed
 * getters and rec_reader_values) and link-waves' key decoder (filters/link-waves/fast.h) -
 * and the key table (table.c) with clashing keys.
 *
 * The known answers are the library's: schema_check_value + rec_parse_int (tested in
 * tests/stream), and for the hex keys a plain reference decoder written here. Inputs:
 * integers of every length and sign with the ranges the schemas use, and random keys.
 * (Dates are the library's own date_parse_iso: tests/stream/dates_test.c.)
 *
 * The Makefile links tests with the library only, so the sources are included here.
 */
#include "../../filters/link-waves/fast.h"
#include "../../filters/link-waves/table.c"

#include <stdio.h>
#include <stdlib.h>

#include "rec.h"

#include "../lib/tap.h"

static int failures;

static void check(int ok, const char *what)
{
	tap_line("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

#include "../lib/test_rng.h"

/* schema_int_value accepts exactly what schema_check_value accepts, with rec_parse_int's
 * value. Returns 1 when that holds. */
static int int_agrees(const struct schema_field *f, const char *s, int *accepted)
{
	char msg[256];
	long fast = 0, slow;

	*accepted = schema_int_value(f, s, strlen(s), &fast) == 0;
	if (*accepted != (schema_check_value(f, s, msg, sizeof msg) == 0))
		return 0;
	return !*accepted || (rec_parse_int(s, &slow) == 0 && slow == fast);
}

static void test_ints(void)
{
	struct schema_field fields[4];
	static const char *const odd[] = { "-", "+1", " 1", "1 ", "1e0", "0x1", "01", "-0", "00",
		"1.0", "4", "5", "0", "-1", "97", "98", "999999999999999", "9999999999999999",
		"2147483647", "2147483648", "-9223372036854775808", "1,5", "" };
	int bad = 0, accepted, n_acc = 0, n_plain = 0, plain_refused = 0;
	char s[32];

	memset(fields, 0, sizeof fields);
	for (int i = 0; i < 4; i++) {
		fields[i].name = (char *)"x";
		fields[i].type = ST_INT;
		fields[i].required = 1;
	}
	fields[0].has_lo = 1; fields[0].lo = 1;                         /* int[1,] */
	fields[1].has_lo = fields[1].has_hi = 1; fields[1].lo = 1; fields[1].hi = 4;   /* int[1,4] */
	fields[2].has_lo = fields[2].has_hi = 1; fields[2].hi = 97;     /* int[0,97] */
	/* fields[3]: no range */

	for (int fi = 0; fi < 4; fi++) {
		for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
			if (!int_agrees(&fields[fi], odd[i], &accepted))
				bad++;
			n_acc += accepted;
		}
		for (int i = 0; i < 100000; i++) {
			int len = 1 + (int)rnd(19), neg = rnd(4) == 0, p = 0;

			if (neg)
				s[p++] = '-';
			for (int k = 0; k < len; k++)
				s[p++] = (char)('0' + rnd(10));
			s[p] = '\0';
			if (rnd(20) == 0)
				s[rnd((unsigned)p)] = "x .+e"[rnd(5)];
			if (!int_agrees(&fields[fi], s, &accepted))
				bad++;
			n_acc += accepted;
		}
		/* plain numbers inside the range go the fast way (the point of it) */
		for (long v = 1; v <= 4; v++) {
			snprintf(s, sizeof s, "%ld", v);
			n_plain++;
			plain_refused += schema_int_value(&fields[fi], s, strlen(s), &(long){ 0 }) != 0;
		}
	}
	printf("# %d integers accepted\n", n_acc);
	check(bad == 0 && n_acc > 1000, "schema_int_value accepts exactly what schema_check_value accepts, with rec_parse_int's value");
	check(plain_refused == 0 && n_plain == 16, "schema_int_value accepts plain numbers inside the range");
}

static int ref_key(const char *s, size_t len, unsigned char key[16])
{
	if (len != 32)
		return -1;
	for (int i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	for (int i = 0; i < 16; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		key[i] = (unsigned char)v;
	}
	return 0;
}

static void test_keys(void)
{
	static const char alpha[] = "0123456789abcdefABCDEFgz-\xff";
	int bad = 0, good = 0;
	char s[40];

	for (int i = 0; i < 200000; i++) {
		unsigned char k1[16], k2[16];
		size_t len = rnd(8) == 0 ? 30 + rnd(5) : 32;
		int r1, r2;

		for (size_t j = 0; j < len; j++)
			s[j] = rnd(10) == 0 ? alpha[rnd(sizeof alpha - 1)] : alpha[rnd(16)];
		s[len] = '\0';
		r1 = key_decode(s, len, k1);
		r2 = ref_key(s, len, k2);
		good += r1 == 0;
		if (r1 != r2 || (r1 == 0 && memcmp(k1, k2, 16) != 0))
			bad++;
	}
	printf("# %d keys decoded\n", good);
	check(bad == 0 && good > 10000, "key_decode: 32 lowercase hex digits, else refused");

	/* every byte value at every place of a key that is otherwise good */
	bad = good = 0;
	for (int at = 0; at < 32; at++)
		for (int c = 0; c < 256; c++) {
			unsigned char k1[16], k2[16];
			int r1, r2;

			for (int j = 0; j < 32; j++)
				s[j] = alpha[(7 * j + at) % 16];
			s[at] = (char)c;
			r1 = key_decode(s, 32, k1);
			r2 = ref_key(s, 32, k2);
			good += r1 == 0;
			if (r1 != r2 || (r1 == 0 && memcmp(k1, k2, 16) != 0))
				bad++;
		}
	check(bad == 0 && good == 32 * 16, "key_decode: every byte at every place, only the 16 lowercase hex digits taken");
}

/* The table finds every key added and no other, also when many keys share a slot (same
 * first 8 bytes: the same hash, the same tag) or a slot and not a tag. */
static void test_keytab(void)
{
	enum { N = 300000 };
	struct person { unsigned char key[16]; uint32_t pad[4]; } *a = calloc(N, sizeof *a);
	struct keytab t;
	int bad = 0;

	keytab_init(&t, sizeof *a);
	for (uint32_t i = 0; i < N; i++) {
		for (int j = 0; j < 16; j++)
			a[i].key[j] = (unsigned char)rnd(256);
		if (i % 3 == 1)          /* same hash as the key before it */
			memcpy(a[i].key, a[i - 1].key, 8);
		if (i % 7 == 2) {        /* same slot, other tag (low bits equal, high bits not) */
			memcpy(a[i].key, a[i - 2].key, 4);
		}
		if (keytab_find(&t, a, a[i].key) != NONE) {   /* not added yet: must not be found */
			bad++;
			break;
		}
		keytab_add(&t, a, i);
	}
	for (uint32_t i = 0; i < N; i++)
		if (keytab_find(&t, a, a[i].key) != i)
			bad++;
	for (uint32_t i = 0; i < N; i++) {
		unsigned char k[16];

		memcpy(k, a[i].key, 16);
		k[8 + rnd(8)] ^= (unsigned char)(1 + rnd(255));   /* same hash, other key */
		if (keytab_find(&t, a, k) != NONE && memcmp(a[keytab_find(&t, a, k)].key, k, 16) != 0)
			bad++;
	}
	check(bad == 0 && t.count == N, "keytab finds each of 300 000 keys (shared hashes, shared slots) and no wrong one");
	keytab_release(&t);
	free(a);
}

int main(void)
{
	test_ints();
	test_keys();
	test_keytab();
	tap_plan();
	return failures != 0;
}
