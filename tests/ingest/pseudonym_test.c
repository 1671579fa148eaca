/* pseudonym_test.c - the person pseudonym (filters/ingest/pseudonym.c, libcrypto's SHA-256)
 * against libsodium's crypto_auth_hmacsha256, an independent HMAC-SHA-256 (synth's), and
 * against three values from python3's hmac module; bsn_check against the 11-check
 * written out here; the key file refused when open to group or others, too short or of
 * low entropy; the key's fingerprint against libsodium's SHA-256 and python3's hashlib.
 *
 * Why: the precomputed inner and outer states are copied per BSN; a state that leaked from
 * one BSN into the next, or a wrong pad, would change the pseudonyms and break the link
 * with every stream made before. Many BSNs under one key and many keys, both checked.
 *
 * The Makefile links tests with the library only, so the module is included here.
 */
#include "../../filters/ingest/pseudonym.c"

#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/tap.h"

static int failed;

static void ok(int cond, const char *desc)
{
	tap_line("%sok - %s\n", cond ? "" : "not ", desc);
	failed |= !cond;
}

#include "../lib/test_rng.h"

/* libsodium's answer: hex of the first 16 bytes of HMAC-SHA-256(key, bsn9). */
static void sodium_pseudonym(const unsigned char key[32], const char bsn9[9], char out[33])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256(mac, (const unsigned char *)bsn9, 9, key);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned char any = 0;

	for (size_t i = 0; i < n; i++)
		any |= b[i];
	return any == 0;
}

static void random_digits(char bsn9[9])
{
	for (int i = 0; i < 9; i++)
		bsn9[i] = (char)('0' + rnd(10));
}

/* The 11-check as DOMAIN.md states it, for the reference. */
static int eleven_ok(const char *d9)
{
	int sum = 0, zero = 1;

	for (int i = 0; i < 9; i++) {
		int v = d9[i] - '0';

		sum += (i < 8 ? 9 - i : -1) * v;
		zero &= v == 0;
	}
	return !zero && sum % 11 == 0;
}

/* bsn_check against the 11-check written out above, on random 9- and 8-digit strings */
static void test_bsn_check(void)
{
	char bsn9[9];
	const char *why;
	int agree = 1, n_valid = 0;

	for (int i = 0; i < 300000; i++) {
		char s[10], d9[9];
		size_t len = rnd(4) == 0 ? 8 : 9;
		int r;

		random_digits(s);
		if (i % 3 == 0) {   /* make about a third pass: fix the last digit when it can */
			int sum = 0;

			for (int j = 0; j < 8; j++)
				sum += (9 - j) * (s[j] - '0');
			if (sum % 11 < 10)
				s[8] = (char)('0' + sum % 11);
		}
		if (len == 8) {
			d9[0] = '0';
			memcpy(d9 + 1, s, 8);
		} else {
			memcpy(d9, s, 9);
		}
		r = bsn_check(s, len, bsn9, &why);
		n_valid += r == 0;
		agree &= (r == 0) == eleven_ok(d9) && (r != 0 || memcmp(bsn9, d9, 9) == 0);
	}
	ok(agree && n_valid > 50000, "bsn_check: 300000 random BSNs, accepted exactly when the 11-check holds");
	ok(bsn_check("000000000", 9, bsn9, &why) < 0 && strcmp(why, "not a bsn: all zero") == 0,
	   "bsn_check: all zero refused as such");
	ok(bsn_check("12345678a", 9, bsn9, &why) < 0 && strcmp(why, "not a bsn: it must be digits only") == 0,
	   "bsn_check: a letter refused as such");
	ok(bsn_check("1234567", 7, bsn9, &why) < 0 && strncmp(why, "not a bsn: it must have 9 digits", 32) == 0,
	   "bsn_check: 7 digits refused as such");
	ok(bsn_check("12345672", 8, bsn9, &why) == 0 && memcmp(bsn9, "012345672", 9) == 0,
	   "bsn_check: 8 digits get their leading 0 back");
}

/* the key's fingerprint and the low-entropy refusal */
static void test_key_checks(void)
{
	struct pseudonym_key k;
	unsigned char key[32];
	char err[256], want[33];
	int same;

	/* the fingerprint: the first 8 bytes of SHA-256 of the key, as libsodium computes it */
	same = 1;
	for (int t = 0; t < 500 && same; t++) {
		unsigned char digest[crypto_hash_sha256_BYTES];

		randombytes_buf(key, sizeof key);
		crypto_hash_sha256(digest, key, sizeof key);
		for (int i = 0; i < 8; i++)
			snprintf(want + 2 * i, 3, "%02x", digest[i]);
		same = pseudonym_key_set(&k, key, err, sizeof err) == 0 && strcmp(k.fingerprint, want) == 0;
		pseudonym_key_free(&k);
	}
	ok(same, "500 random keys: the fingerprint is the first 16 hex digits of libsodium's SHA-256");

	/* low entropy: all equal, all zero, fewer than 16 byte values; 16 and random ones pass */
	memset(key, 0, sizeof key);
	ok(pseudonym_key_weak(key, err, sizeof err) < 0 && strcmp(err, "key of low entropy: all 32 bytes are zero") == 0,
	   "weak: all zero, said so");
	memset(key, 0xa5, sizeof key);
	ok(pseudonym_key_weak(key, err, sizeof err) < 0 && strcmp(err, "key of low entropy: all 32 bytes are 0xa5") == 0,
	   "weak: all bytes equal, said so");
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)(17 * (i % 15));   /* a period of 15: 15 values */
	ok(pseudonym_key_weak(key, err, sizeof err) < 0 && strstr(err, "only 15 different byte values") != NULL,
	   "weak: a pattern of 15 byte values repeated");
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)(17 * (i % 16));   /* 00 11 22 .. ff twice: 16 values */
	ok(pseudonym_key_weak(key, err, sizeof err) == 0, "16 different byte values: not refused");
	same = 1;
	for (int t = 0; t < 10000 && same; t++) {
		randombytes_buf(key, sizeof key);
		same = pseudonym_key_weak(key, err, sizeof err) == 0;
	}
	ok(same, "10000 random keys: none refused as weak");
}

int main(void)
{
	static const struct { const char *bsn, *want; } python[] = {
		/* python3: hmac.new(bytes(range(32)), bsn.encode(), hashlib.sha256).hexdigest()[:32] */
		{"123456782", "8e4c078580cfe222fd12ced43ae58d77"},
		{"012345672", "c728590c0e2c953c0adb0d61f7600244"},
		{"999999990", "ee1424b830d9eef6756984ed42be3140"},
	};
	struct pseudonym_key k;
	unsigned char key[32];
	char err[256], bsn9[9], got[PSEUDONYM_LEN + 1], want[33];
	int same;

	if (sodium_init() < 0)
		return 1;

	/* python's values under the key 00 01 ... 1f */
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	ok(pseudonym_key_set(&k, key, err, sizeof err) == 0, "key 00..1f: set");
	/* python3: hashlib.sha256(bytes(range(32))).hexdigest()[:16] */
	ok(strcmp(k.fingerprint, "630dcd2966c43366") == 0, "key 00..1f: fingerprint as python3's hashlib gives it");
	same = 1;
	for (size_t i = 0; i < sizeof python / sizeof python[0]; i++) {
		pseudonym_make(&k, python[i].bsn, got);
		same &= strcmp(got, python[i].want) == 0 && strlen(got) == PSEUDONYM_LEN;
	}
	ok(same, "key 00..1f: three pseudonyms as python3's hmac gives them");

	/* 200 000 BSNs under one key: a re-initialised HMAC never carries one BSN into the next */
	same = 1;
	for (int i = 0; i < 200000 && same; i++) {
		random_digits(bsn9);
		pseudonym_make(&k, bsn9, got);
		sodium_pseudonym(key, bsn9, want);
		same = strcmp(got, want) == 0;
	}
	ok(same, "200000 random BSNs under one key: libsodium's pseudonyms");
	pseudonym_key_free(&k);
	ok(!k.keyed && all_zero(&k, sizeof k), "key freed: its pad states wiped");
	pseudonym_key_free(&k);
	ok(!k.keyed && all_zero(&k, sizeof k), "key freed twice: the second is a no-op");

	/* 2000 random keys, each with a few BSNs, including the bytes 0x36 and 0x5c (the pads) */
	same = 1;
	for (int t = 0; t < 2000 && same; t++) {
		randombytes_buf(key, sizeof key);
		if (t % 10 == 0)
			memset(key, t % 20 == 0 ? 0x36 : 0x5c, sizeof key);
		same = pseudonym_key_set(&k, key, err, sizeof err) == 0;
		for (int j = 0; j < 5 && same; j++) {
			random_digits(bsn9);
			pseudonym_make(&k, bsn9, got);
			sodium_pseudonym(key, bsn9, want);
			same = strcmp(got, want) == 0;
		}
		pseudonym_key_free(&k);
	}
	ok(same, "2000 random keys (and all-pad-byte keys), 5 BSNs each: libsodium's pseudonyms");

	test_key_checks();

	/* the key file: same pseudonyms as the raw key; refused when open to group or others */
	{
		char path[] = "pseudonym_test_keyXXXXXX";
		int fd = mkstemp(path);
		FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;

		for (int i = 0; i < 32; i++)
			key[i] = (unsigned char)(255 - i * 7);
		if (fp != NULL) {
			for (int i = 0; i < 32; i++)
				fprintf(fp, "%02X", key[i]);   /* upper case reads too */
			fputs("\r\n", fp);
			fclose(fp);
		}
		ok(fp != NULL && chmod(path, 0600) == 0, "key file written");
		ok(pseudonym_key_load(&k, path, err, sizeof err) == 0, "key file 0600 (CRLF, upper-case hex): loads");
		memcpy(bsn9, "123456782", 9);
		pseudonym_make(&k, bsn9, got);
		sodium_pseudonym(key, bsn9, want);
		ok(strcmp(got, want) == 0, "key file: the pseudonym of its 32 bytes");
		pseudonym_key_free(&k);
		ok(chmod(path, 0640) == 0 && pseudonym_key_load(&k, path, err, sizeof err) < 0 &&
		   strcmp(err, "key file mode 0640 is open to group or others: refused (chmod 600 it)") == 0,
		   "key file 0640: refused, with the mode in the reason");
		ok(chmod(path, 0604) == 0 && pseudonym_key_load(&k, path, err, sizeof err) < 0,
		   "key file 0604: refused");
		ok(chmod(path, 0620) == 0 && pseudonym_key_load(&k, path, err, sizeof err) < 0,
		   "key file 0620 (group may write): refused");
		ok(chmod(path, 0400) == 0 && pseudonym_key_load(&k, path, err, sizeof err) == 0,
		   "key file 0400: loads");
		pseudonym_key_free(&k);
		unlink(path);
	}

	test_bsn_check();
	tap_plan();
	return failed;
}
