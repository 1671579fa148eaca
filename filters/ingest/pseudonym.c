/* pseudonym.c - see pseudonym.h */
#include "pseudonym.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"

/* SHA256_Init/Update/Final are deprecated in OpenSSL 3; used on purpose (pseudonym.h says
 * why), so the warning is off for this file only. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* The state of SHA-256 after one block: the key XOR pad (RFC 2104; the key is 32 bytes,
 * less than SHA-256's 64-byte block, so it is used as it is, padded with zeros). */
static int pad_state(SHA256_CTX *c, const unsigned char key[32], unsigned char pad)
{
	unsigned char block[SHA256_CBLOCK];
	int ok;

	memset(block, pad, sizeof block);
	for (int i = 0; i < KEY_BYTES; i++)
		block[i] ^= key[i];
	ok = SHA256_Init(c) && SHA256_Update(c, block, sizeof block);
	OPENSSL_cleanse(block, sizeof block);
	return ok;
}

int pseudonym_key_set(struct pseudonym_key *k, const unsigned char key[32], char *err, size_t errsz)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;

	memset(k, 0, sizeof *k);
	for (int b = 0; b < 256; b++) {
		k->hex[b][0] = digits[b >> 4];
		k->hex[b][1] = digits[b & 15];
	}
	if (!EVP_Digest(key, KEY_BYTES, digest, &dlen, EVP_sha256(), NULL) ||
	    dlen * 2 < KEY_FINGERPRINT_LEN) {
		snprintf(err, errsz, "cannot compute SHA-256 (libcrypto)");
		return -2;
	}
	for (int i = 0; i < KEY_FINGERPRINT_LEN / 2; i++)
		memcpy(k->fingerprint + 2 * i, k->hex[digest[i]], 2);
	k->fingerprint[KEY_FINGERPRINT_LEN] = '\0';
	if (!pad_state(&k->inner, key, 0x36) || !pad_state(&k->outer, key, 0x5c)) {
		snprintf(err, errsz, "cannot start HMAC-SHA-256 (libcrypto)");
		pseudonym_key_free(k);
		return -2;
	}
	k->keyed = 1;
	return 0;
}

void pseudonym_key_free(struct pseudonym_key *k)
{
	OPENSSL_cleanse(k, sizeof *k);   /* the pad states are as secret as the key */
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pseudonym_key_weak(const unsigned char key[32], char *err, size_t errsz)
{
	unsigned char seen[256] = {0};
	int distinct = 0, all_equal = 1;

	for (int i = 0; i < KEY_BYTES; i++) {
		distinct += !seen[key[i]];
		seen[key[i]] = 1;
		all_equal &= key[i] == key[0];
	}
	if (all_equal && key[0] == 0) {
		snprintf(err, errsz, "key of low entropy: all %d bytes are zero", KEY_BYTES);
		return -1;
	}
	if (all_equal) {
		snprintf(err, errsz, "key of low entropy: all %d bytes are 0x%02x", KEY_BYTES, key[0]);
		return -1;
	}
	if (distinct < 16) {
		snprintf(err, errsz, "key of low entropy: only %d different byte values in %d bytes "
			 "(a random key has about 30; make one with 'openssl rand -hex 32')", distinct, KEY_BYTES);
		return -1;
	}
	return 0;
}

/* The file's own checks, before a byte of it is read: ssh's rule for a private key. */
static int key_file_private(FILE *fp, char *err, size_t errsz)
{
	struct stat st;

	if (fstat(fileno(fp), &st) != 0) {
		snprintf(err, errsz, "cannot stat key file: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "key file is not a regular file");
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errsz, "key file mode %04o is open to group or others: refused "
			 "(chmod 600 it)", (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* The first line's 64 hex digits into key; -1 with the reason otherwise. */
static int key_parse(const char *line, unsigned char key[32], char *err, size_t errsz)
{
	size_t n = strcspn(line, "\r\n");

	if (n < 2 * KEY_BYTES) {
		snprintf(err, errsz, "key too short: the first line has %zu characters, a key is %d hex "
			 "digits (%d bytes)", n, 2 * KEY_BYTES, KEY_BYTES);
		return -1;
	}
	if (n > 2 * KEY_BYTES) {
		snprintf(err, errsz, "bad key: the first line must be %d hex digits, it has %zu characters",
			 2 * KEY_BYTES, n);
		return -1;
	}
	for (size_t i = 0; i < KEY_BYTES; i++) {
		int hi = hexval((unsigned char)line[2 * i]), lo = hexval((unsigned char)line[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errsz, "bad key: the first line must be %d hex digits, character %zu is not one",
				 2 * KEY_BYTES, hi < 0 ? 2 * i + 1 : 2 * i + 2);
			return -1;
		}
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int pseudonym_key_load(struct pseudonym_key *k, const char *path, char *err, size_t errsz)
{
	FILE *fp = fopen(path, "r");
	char line[256], iobuf[512];   /* stdio reads the key into iobuf, not a buffer it frees unwiped */
	unsigned char key[32];
	int rc, got;

	if (fp == NULL) {
		snprintf(err, errsz, "cannot open key file: %s", strerror(errno));
		return diag_out_of_resources(errno) ? -2 : -1;   /* the machine's trouble, not the key's */
	}
	if (key_file_private(fp, err, errsz) < 0) {
		fclose(fp);
		return -1;
	}
	setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
	got = fgets(line, sizeof line, fp) != NULL;
	fclose(fp);
	OPENSSL_cleanse(iobuf, sizeof iobuf);
	if (!got) {
		snprintf(err, errsz, "empty key file: the first line must be 64 hex digits");
		return -1;
	}
	rc = key_parse(line, key, err, errsz);
	if (rc == 0)
		rc = pseudonym_key_weak(key, err, errsz);
	if (rc == 0)
		rc = pseudonym_key_set(k, key, err, errsz);
	OPENSSL_cleanse(line, sizeof line);
	OPENSSL_cleanse(key, sizeof key);
	return rc;
}

/* Hot: once per BSN, 2.3 M times a run; one pass over the nine digits. */
int bsn_check(const char *s, size_t len, char bsn9[9], const char **why)
{
	static const int weight[9] = { 9, 8, 7, 6, 5, 4, 3, 2, -1 };
	int sum = 0, nonzero = 0;

	if (len != 9 && len != 8) {
		*why = "not a bsn: it must have 9 digits (or 8 that lost a leading 0)";
		return -1;
	}
	bsn9[0] = '0';   /* a lost leading 0, restored; overwritten when there are 9 digits */
	memcpy(bsn9 + 9 - len, s, len);
	for (int i = 0; i < 9; i++) {
		unsigned d = (unsigned)(bsn9[i] - '0');

		if (d > 9) {
			*why = "not a bsn: it must be digits only";
			return -1;
		}
		sum += weight[i] * (int)d;
		nonzero |= d != 0;
	}
	if (!nonzero) {
		*why = "not a bsn: all zero";
		return -1;
	}
	if (sum % 11 != 0) {
		*why = "bsn fails the 11-check";
		return -1;
	}
	return 0;
}

/* Hot: once per BSN, 2.3 M times a run on 1 M applications. */
void pseudonym_make(struct pseudonym_key *k, const char bsn9[9], char out[PSEUDONYM_LEN + 1])
{
	unsigned char mac[SHA256_DIGEST_LENGTH];

	k->work = k->inner;
	if (!k->keyed || !SHA256_Update(&k->work, bsn9, 9) || !SHA256_Final(mac, &k->work))
		die(EXIT_DATA, NULL, 0, NULL, "HMAC-SHA-256 failed (libcrypto)");
	k->work = k->outer;
	if (!SHA256_Update(&k->work, mac, sizeof mac) || !SHA256_Final(mac, &k->work))
		die(EXIT_DATA, NULL, 0, NULL, "HMAC-SHA-256 failed (libcrypto)");
	for (int i = 0; i < PSEUDONYM_LEN / 2; i++)
		memcpy(out + 2 * i, k->hex[mac[i]], 2);
	out[PSEUDONYM_LEN] = '\0';
}
