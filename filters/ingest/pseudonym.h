/* pseudonym.h - the BSN's 11-check and its keyed pseudonym.
 *
 * The pseudonym is what every stream after ingest uses instead of the BSN (DESIGN.md,
 * privacy): the lowercase hex of the first 16 bytes of HMAC-SHA-256(key, BSN as 9 ASCII
 * digits). Keyed, so that nobody without the key can recompute it from a list of BSNs;
 * deterministic, so that the same BSN gets the same key in every file and every run, and
 * the files still link. synth computes the same value with libsodium's
 * crypto_auth_hmacsha256 (an independent implementation the tests compare against).
 *
 * Why OpenSSL's libcrypto: one HMAC per BSN, 2.3 M a run on 1 M applications; libcrypto's
 * SHA-256 uses the CPU's SHA extensions (SHA-NI) where there are, libsodium's is portable
 * C and was half of ingest's CPU time. The HMAC is RFC 2104 over libcrypto's SHA-256 with
 * the two key pads hashed once, at key time: a BSN costs copying the inner state, one
 * SHA-256 block, copying the outer state, one more block. Through the EVP layers (EVP_MAC
 * re-initialised with a NULL key, or copied EVP_MD_CTX states) each BSN also paid for the
 * provider's context copy, its allocation and wipes: measured per HMAC on this 2-core
 * Xeon (1 M BSNs, same minute, loaded): EVP_MAC re-init 1.63-1.65 us, copied EVP_MD_CTX
 * 1.32-1.38 us, copied SHA256_CTX 0.52-0.58 us; EVP_MAC was 36% of ingest's CPU time.
 * SHA256_Init/Update/Final are deprecated in OpenSSL 3 (in favour of EVP, which cannot
 * copy a state without that cost) but kept through 3.x; tests/ingest/pseudonym_test.c
 * compares every pseudonym with libsodium's HMAC and python3's.
 */
#ifndef INGEST_PSEUDONYM_H
#define INGEST_PSEUDONYM_H

#include <stddef.h>
#include <openssl/sha.h>

#define PSEUDONYM_LEN 32   /* hex digits */

#define KEY_BYTES 32
#define KEY_FINGERPRINT_LEN 16   /* hex digits */

struct pseudonym_key {
	/* SHA-256 after the block key XOR 0x36 (inner) and key XOR 0x5c (outer): as secret as
	 * the key, wiped by pseudonym_key_free; work holds the BSN's hash while it is made. */
	SHA256_CTX inner, outer, work;
	int keyed;             /* 1 once the pads are hashed */
	char hex[256][2];      /* a byte's two lowercase hex digits (16 look-ups a BSN) */
	/* The first 16 hex digits of SHA-256(the 32 key bytes): names the key in a run's
	 * summary and checksums without giving it away (a new key changes every pseudonym,
	 * so a report must say which key it was built with). */
	char fingerprint[KEY_FINGERPRINT_LEN + 1];
};

/* Read the key from PATH: the first line, 64 hex digits (a 32-byte key). Returns 0; -1
 * with a one-line reason in err when the key is refused; -2 with one when the machine
 * failed, not the key (out of memory or file descriptors opening it, libcrypto unable to
 * start). The key is refused - as ssh refuses a private key -
 * when the file is open to group or others (any of the mode bits 077), when it is not a
 * regular file, when the line is not 64 hex digits (shorter: "key too short"), or when the
 * key has low entropy (pseudonym_key_weak). The key bytes and the text of the line are
 * wiped before it returns. */
int pseudonym_key_load(struct pseudonym_key *k, const char *path, char *err, size_t errsz);

/* Key from 32 raw bytes (for tests); the caller wipes its copy. Returns 0, or -2 with a
 * message in err when libcrypto cannot give SHA-256 or HMAC. Sets k->fingerprint. */
int pseudonym_key_set(struct pseudonym_key *k, const unsigned char key[32], char *err, size_t errsz);

/* Low entropy: 0 for a key that looks random, else -1 with the reason in err. A key is
 * weak when all its bytes are equal (all zero among them) or when it holds fewer than 16
 * different byte values: 32 random bytes hold 30 on average and 15 or fewer with a
 * chance of 3e-17, while a short pattern repeated (a period of 15 bytes or less) always
 * does. It is a floor, not a proof of randomness: generate keys with a real source
 * (`openssl rand -hex 32`). */
int pseudonym_key_weak(const unsigned char key[32], char *err, size_t errsz);

/* Wipe the key's states. Accepts a key never set, or freed before. */
void pseudonym_key_free(struct pseudonym_key *k);

/* Check a raw BSN: 9 digits, or 8 digits that lost their leading 0; not all zero; passes
 * the 11-check (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11). Returns 0 and the nine
 * digits in bsn9, or -1 with a short reason in *why (static text, never the digits). */
int bsn_check(const char *s, size_t len, char bsn9[9], const char **why);

/* Write the pseudonym of bsn9 (PSEUDONYM_LEN hex digits and a NUL) into out. Dies (exit 1)
 * if libcrypto fails or the key was never set. */
void pseudonym_make(struct pseudonym_key *k, const char bsn9[9], char out[PSEUDONYM_LEN + 1]);

#endif
