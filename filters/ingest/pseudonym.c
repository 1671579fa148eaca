/* pseudonym.c - see pseudonym.h */
#include "pseudonym.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void pseudonym_key_set(struct pseudonym_key *k, const unsigned char key[32])
{
	crypto_auth_hmacsha256_init(&k->base, key, 32);
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

int pseudonym_key_load(struct pseudonym_key *k, const char *path, int *loose,
		       char *err, size_t errsz)
{
	FILE *fp = fopen(path, "r");
	char line[256];
	unsigned char key[32];
	struct stat st;
	size_t n;

	*loose = 0;
	if (fp == NULL) {
		snprintf(err, errsz, "cannot open key file: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 077))
		*loose = 1;
	if (fgets(line, sizeof line, fp) == NULL) {
		snprintf(err, errsz, "empty key file: the first line must be 64 hex digits");
		fclose(fp);
		return -1;
	}
	fclose(fp);
	n = strcspn(line, "\r\n");
	if (n != 64) {
		snprintf(err, errsz, "bad key: the first line must be 64 hex digits, it has %zu characters", n);
		sodium_memzero(line, sizeof line);
		return -1;
	}
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval((unsigned char)line[2 * i]), lo = hexval((unsigned char)line[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errsz, "bad key: the first line must be 64 hex digits, character %zu is not one",
				 hi < 0 ? 2 * i + 1 : 2 * i + 2);
			sodium_memzero(line, sizeof line);
			sodium_memzero(key, sizeof key);
			return -1;
		}
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	pseudonym_key_set(k, key);
	sodium_memzero(line, sizeof line);
	sodium_memzero(key, sizeof key);
	return 0;
}

int bsn_check(const char *s, size_t len, char bsn9[9], const char **why)
{
	int sum = 0, nonzero = 0;

	if (len != 9 && len != 8) {
		*why = "not a bsn: it must have 9 digits (or 8 that lost a leading 0)";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			*why = "not a bsn: it must be digits only";
			return -1;
		}
	}
	if (len == 8) {
		bsn9[0] = '0';
		memcpy(bsn9 + 1, s, 8);
	} else {
		memcpy(bsn9, s, 9);
	}
	for (int i = 0; i < 8; i++) {
		sum += (9 - i) * (bsn9[i] - '0');
		nonzero |= bsn9[i] != '0';
	}
	sum -= bsn9[8] - '0';
	nonzero |= bsn9[8] != '0';
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

void pseudonym_make(const struct pseudonym_key *k, const char bsn9[9], char out[PSEUDONYM_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	crypto_auth_hmacsha256_state st = k->base;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_update(&st, (const unsigned char *)bsn9, 9);
	crypto_auth_hmacsha256_final(&st, mac);
	for (int i = 0; i < PSEUDONYM_LEN / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[PSEUDONYM_LEN] = '\0';
}
