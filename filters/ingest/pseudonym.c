/* pseudonym.c - see pseudonym.h */
#include "pseudonym.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"

int pseudonym_key_set(struct pseudonym_key *k, const unsigned char key[32], char *err, size_t errsz)
{
	static const char digits[] = "0123456789abcdef";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA2-256", 0),
		OSSL_PARAM_construct_end()
	};
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
		return -1;
	}
	for (int i = 0; i < KEY_FINGERPRINT_LEN / 2; i++)
		memcpy(k->fingerprint + 2 * i, k->hex[digest[i]], 2);
	k->fingerprint[KEY_FINGERPRINT_LEN] = '\0';
	k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (k->mac == NULL || (k->ctx = EVP_MAC_CTX_new(k->mac)) == NULL ||
	    !EVP_MAC_init(k->ctx, key, KEY_BYTES, params)) {
		snprintf(err, errsz, "cannot start HMAC-SHA-256 (libcrypto)");
		pseudonym_key_free(k);
		return -1;
	}
	return 0;
}

void pseudonym_key_free(struct pseudonym_key *k)
{
	EVP_MAC_CTX_free(k->ctx);   /* frees NULL; the key is wiped on free */
	EVP_MAC_free(k->mac);
	memset(k, 0, sizeof *k);
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
		return -1;
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
	unsigned char mac[32];
	size_t n;

	/* a NULL key re-initialises with the key set once (OpenSSL 3's documented re-use) */
	if (!EVP_MAC_init(k->ctx, NULL, 0, NULL) ||
	    !EVP_MAC_update(k->ctx, (const unsigned char *)bsn9, 9) ||
	    !EVP_MAC_final(k->ctx, mac, &n, sizeof mac) || n != sizeof mac)
		die(EXIT_DATA, NULL, 0, NULL, "HMAC-SHA-256 failed (libcrypto)");
	for (int i = 0; i < PSEUDONYM_LEN / 2; i++)
		memcpy(out + 2 * i, k->hex[mac[i]], 2);
	out[PSEUDONYM_LEN] = '\0';
}
