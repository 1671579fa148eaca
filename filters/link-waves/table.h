/* table.h - the two lookup tables link-waves holds until the end of its input.
 *
 * link-waves must keep every person until the last section is read (sections come in any
 * order), so memory per person is the budget (10 million people on a 24 GiB machine). The
 * tables are shaped for that:
 *
 *   keytab: person_key (32 hex digits) as 16 binary bytes -> a dense index 0..n-1. The keys
 *           live in the caller's person array (first 16 bytes of each element, stride
 *           given at init; the array may move, so each call passes its current base); the table itself is an open-addressing array of uint32
 *           (index + 1, 0 = empty), linear probing, load <= 3/4: 5.3..10.7 bytes a person.
 *           The key is an HMAC, so its first 8 bytes are already a good hash.
 *   strtab: interned strings (respondent numbers, offices, strata) -> a dense id. The
 *           strings live NUL-terminated in one growing pool; ids are handed out in order
 *           of first sight (so they depend on input order: never sort or compare by id).
 *
 * Ownership: each table owns its arrays; *_release frees them (the caller's person array
 * is the caller's). Pointers into the pool (strtab_str) are valid until the next
 * strtab_intern (the pool may move).
 */
#ifndef LINK_WAVES_TABLE_H
#define LINK_WAVES_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define NONE UINT32_MAX

/* Grow P (an array of elem-sized items with capacity *cap) to hold at least need items,
 * by 1.5x steps; returns the array (it may have moved); dies when out of memory. Usage:
 * a = vec_grow(a, &a_cap, n + 1, sizeof *a). */
void *vec_grow(void *p, size_t *cap, size_t need, size_t elem);

struct keytab {
	uint32_t *slot;            /* index + 1; 0 = empty */
	size_t mask;               /* capacity - 1 (a power of two) */
	size_t count;
	size_t stride;             /* size of one element of the caller's array */
};

void keytab_init(struct keytab *t, size_t stride);
/* Index of KEY in the caller's array BASE, or NONE. */
uint32_t keytab_find(const struct keytab *t, const void *base, const unsigned char key[16]);
/* Record that element IDX (already stored in BASE) has its key; the key must not be
 * present yet. */
void keytab_add(struct keytab *t, const void *base, uint32_t idx);
void keytab_release(struct keytab *t);
size_t keytab_bytes(const struct keytab *t);

struct strtab {
	char *pool;                /* NUL-terminated strings back to back */
	size_t pool_len, pool_cap;
	uint64_t *off;             /* id -> offset in pool */
	size_t count, off_cap;
	uint32_t *slot;            /* id + 1; 0 = empty */
	size_t mask;
};

void strtab_init(struct strtab *t);
/* The id of S (LEN bytes, no NUL inside), adding it when new. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);
/* The id of S or NONE. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t len);
static inline const char *strtab_str(const struct strtab *t, uint32_t id)
{
	return t->pool + t->off[id];
}
void strtab_release(struct strtab *t);
size_t strtab_bytes(const struct strtab *t);

#endif
