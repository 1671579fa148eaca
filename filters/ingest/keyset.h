/* keyset.h - the respondent numbers seen so far, for the duplicate-key check.
 *
 * The one thing ingest keeps per row: a respondent number and the line it was kept from,
 * for the sample file (R4) and each survey wave (R5-R7), so that a second row with the
 * same respnr is rejected as duplicate_key (the first is kept). Open addressing with
 * linear probing over offsets into one growing arena of key bytes: no allocation per key.
 * Memory per respondent: the key's bytes plus 24 to 70 bytes of table (load <= 0.7).
 */
#ifndef INGEST_KEYSET_H
#define INGEST_KEYSET_H

#include <stddef.h>

struct keyset;

struct keyset *keyset_new(void);
void keyset_free(struct keyset *s);   /* accepts NULL */

/* Add KEY (len bytes) kept from LINE. Returns 0 when it was new, else the line it was
 * first added from (and adds nothing). */
long keyset_add(struct keyset *s, const char *key, size_t len, long line);

#endif
