/* pseudonym.h - the BSN's 11-check and its keyed pseudonym.
 *
 * The pseudonym is what every stream after ingest uses instead of the BSN (DESIGN.md,
 * privacy): the lowercase hex of the first 16 bytes of HMAC-SHA-256(key, BSN as 9 ASCII
 * digits), with libsodium's crypto_auth_hmacsha256. Keyed, so that nobody without the key
 * can recompute it from a list of BSNs; deterministic, so that the same BSN gets the same
 * key in every file and every run, and the files still link.
 *
 * Why a precomputed state: HMAC hashes the key pads before the message; they are the same
 * for every row, so the state after the pads is computed once and copied per row (two
 * SHA-256 blocks per BSN instead of four).
 */
#ifndef INGEST_PSEUDONYM_H
#define INGEST_PSEUDONYM_H

#include <stddef.h>
#include <sodium.h>

#define PSEUDONYM_LEN 32   /* hex digits */

struct pseudonym_key {
	crypto_auth_hmacsha256_state base;   /* after the key pads, before any message */
};

/* Read the key from PATH: the first line, 64 hex digits (a 32-byte key). Returns 0, or -1
 * with a message in err ("cannot open: ...", "first line is not 64 hex digits"). Sets
 * *loose when the file is readable or writable by group or others (the caller warns). */
int pseudonym_key_load(struct pseudonym_key *k, const char *path, int *loose,
		       char *err, size_t errsz);

/* Key from 32 raw bytes (for tests). */
void pseudonym_key_set(struct pseudonym_key *k, const unsigned char key[32]);

/* Check a raw BSN: 9 digits, or 8 digits that lost their leading 0; not all zero; passes
 * the 11-check (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11). Returns 0 and the nine
 * digits in bsn9, or -1 with a short reason in *why (static text, never the digits). */
int bsn_check(const char *s, size_t len, char bsn9[9], const char **why);

/* Write the pseudonym of bsn9 (PSEUDONYM_LEN hex digits and a NUL) into out. */
void pseudonym_make(const struct pseudonym_key *k, const char bsn9[9], char out[PSEUDONYM_LEN + 1]);

#endif
