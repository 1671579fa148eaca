/* table.h - the two lookup tables link-waves holds until the end of its input.
 *
 * link-waves must keep every person until the last section is read (sections come in any
 * order), so memory per person is the budget (10 million people on a 24 GiB machine). The
 * tables are shaped for that:
 *
 *   keytab: person_key (32 hex digits) as 16 binary bytes -> a dense index 0..n-1. The keys
 *           live in the caller's person array (first 16 bytes of each element, stride
 *           given at init; the array may move, so each call passes its current base); the
 *           table itself is an open-addressing array of uint32, linear probing, load <= 3/4:
 *           5.3..10.7 bytes a person. The key is an HMAC, so its first 8 bytes are already a
 *           good hash.
 *           A slot holds index + 1 (0 = empty) in its low log2(capacity) bits - the index
 *           is below 3/4 of the capacity, so it fits - and bits of the hash that did not
 *           choose the slot in the bits above (a tag): a probe that passes another key's
 *           slot almost never reads the person array, a random access into 30 bytes a
 *           person (hot: 2.3 M lookups for 1 M applications). The tag costs no memory.
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
#include <string.h>

#define NONE UINT32_MAX

/* Make the pages of bytes FROM..TO of P present and writable in one call where the kernel
 * can (MADV_POPULATE_WRITE, Linux 5.14), instead of taking one page fault at a time as
 * they are first written. The arrays here grow to hundreds of megabytes and are written
 * nearly to their end, and a fault is dear on some machines: on the paravirtualised
 * guest of bench/README.md each costs several microseconds, a tenth of link-waves' CPU
 * time at 1 M applications (issue 22). Nothing is done for fewer than 64 pages; where
 * the kernel does not know the advice, the pages fault one by one as before. Contents are
 * not changed. The price: the unused tail of a grown array is made present too (peak
 * memory 117 -> 131 MB at 1 M applications). */
void prefault(void *p, size_t from, size_t to);

/* Grow P (an array of elem-sized items with capacity *cap) to hold at least need items,
 * by 1.5x steps; returns the array (it may have moved); dies when out of memory. Usage:
 * a = vec_grow(a, &a_cap, n + 1, sizeof *a). */
void *vec_grow(void *p, size_t *cap, size_t need, size_t elem);

struct keytab {
	uint32_t *slot;            /* tag | (index + 1); 0 = empty */
	size_t mask;               /* capacity - 1 (a power of two) */
	size_t count;              /* the table holds elements 0..count-1 of the caller's array */
	size_t stride;             /* size of one element of the caller's array */
};

void keytab_init(struct keytab *t, size_t stride);

/* The hash of a key: its first 8 bytes (an HMAC: already uniform). */
static inline uint64_t keytab_hash(const unsigned char key[16])
{
	uint64_t h;

	memcpy(&h, key, 8);
	return h;
}

/* Start fetching the slot where a lookup of hash H begins (call early, look up later). */
static inline void keytab_prefetch(const struct keytab *t, uint64_t h)
{
	__builtin_prefetch(&t->slot[h & t->mask]);
}

/* The tag bits of hash H for the table's current capacity: the bits of H's upper half
 * above the index bits (none when the capacity is 2^32). */
static inline uint32_t keytab_tag(const struct keytab *t, uint64_t h)
{
	return (uint32_t)(h >> 32) & ~(uint32_t)t->mask;
}

/* Walk the probe sequence of hash H from slot *POS (start: H & mask) to the first slot
 * whose tag matches: returns its index (a candidate: compare the keys, and on a mismatch
 * go on from *POS + 1), or NONE at an empty slot (the key is not in the table). *POS is
 * left at the slot where it stopped. No access to the caller's array. */
static inline uint32_t keytab_probe(const struct keytab *t, uint64_t h, size_t *pos)
{
	uint32_t tag = keytab_tag(t, h), low = (uint32_t)t->mask;
	size_t i = *pos;

	for (;;) {
		uint32_t s = t->slot[i];

		if (s == 0) {
			*pos = i;
			return NONE;
		}
		if ((s & ~low) == tag) {
			*pos = i;
			return (s & low) - 1;
		}
		i = (i + 1) & t->mask;
	}
}

/* Index of KEY in the caller's array BASE, or NONE. */
uint32_t keytab_find(const struct keytab *t, const void *base, const unsigned char key[16]);
/* Record that element IDX == count (already stored in BASE) has its key; the key must not
 * be present yet. Elements are added in index order (0, 1, 2, ...). */
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
