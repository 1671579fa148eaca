/* table.c - see table.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag.h"
#include "table.h"

void prefault(void *p, size_t from, size_t to)
{
	/* the system's page, not 4096: madvise refuses a start that is not on one */
	static uintptr_t page;
	uintptr_t a, b;

	if (page == 0)
		page = (uintptr_t)sysconf(_SC_PAGESIZE);
	a = ((uintptr_t)p + from + page - 1) & ~(page - 1);
	b = ((uintptr_t)p + to) & ~(page - 1);

	/* not for a few pages: a call costs what a few faults do */
	if (b >= a + 64 * page)
		(void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
}

void *vec_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap, old = n;

	if (need <= n)
		return p;
	if (n < 16)
		n = 16;
	while (n < need)
		n += n / 2;
	*cap = n;
	p = xrealloc(p, n * elem);
	prefault(p, old * elem, n * elem);
	return p;
}

void keytab_init(struct keytab *t, size_t stride)
{
	t->mask = 1023;
	t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
	t->count = 0;
	t->stride = stride;
}

uint32_t keytab_find(const struct keytab *t, const void *base, const unsigned char key[16])
{
	const unsigned char *b = base;
	uint64_t h = keytab_hash(key);
	size_t pos = h & t->mask;

	for (;;) {
		uint32_t idx = keytab_probe(t, h, &pos);

		if (idx == NONE || memcmp(b + (size_t)idx * t->stride, key, 16) == 0)
			return idx;
		pos = (pos + 1) & t->mask;
	}
}

static void keytab_put(struct keytab *t, const unsigned char *key, uint32_t idx)
{
	uint64_t h = keytab_hash(key);
	size_t i = h & t->mask;

	while (t->slot[i])
		i = (i + 1) & t->mask;
	t->slot[i] = keytab_tag(t, h) | (idx + 1);
}

void keytab_add(struct keytab *t, const void *base, uint32_t idx)
{
	const unsigned char *b = base;

	if (idx != t->count)
		BUG("keytab_add: element %u added as the %zuth", idx, t->count);
	if ((t->count + 1) * 4 > (t->mask + 1) * 3) {
		/* twice the capacity: one index bit more, one tag bit less; the elements are
		 * 0..count-1, read in order (the slots are written at random either way) */
		free(t->slot);
		t->mask = (t->mask << 1) | 1;
		t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
		prefault(t->slot, 0, (t->mask + 1) * sizeof *t->slot);
		for (size_t i = 0; i < t->count; i++)
			keytab_put(t, b + i * t->stride, (uint32_t)i);
	}
	keytab_put(t, b + (size_t)idx * t->stride, idx);
	t->count++;
}

void keytab_release(struct keytab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->count = 0;
	t->mask = 0;   /* keytab_bytes: nothing held */
}

size_t keytab_bytes(const struct keytab *t)
{
	return (t->mask + 1) * sizeof *t->slot;
}

/* FNV-1a 64: strings here are short (respondent numbers, offices). */
static uint64_t str_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof *t);
	t->mask = 255;
	t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
}

static int str_eq(const struct strtab *t, uint32_t id, const char *s, size_t len)
{
	const char *p = t->pool + t->off[id];

	return strncmp(p, s, len) == 0 && p[len] == '\0';
}

uint32_t strtab_find(const struct strtab *t, const char *s, size_t len)
{
	size_t i = str_hash(s, len) & t->mask;

	for (;;) {
		uint32_t v = t->slot[i];

		if (v == 0)
			return NONE;
		if (str_eq(t, v - 1, s, len))
			return v - 1;
		i = (i + 1) & t->mask;
	}
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t len)
{
	uint32_t id = strtab_find(t, s, len);
	size_t i;

	if (id != NONE)
		return id;
	if ((t->count + 1) * 4 > (t->mask + 1) * 3) {
		size_t nmask = (t->mask << 1) | 1;
		uint32_t *ns = xcalloc(nmask + 1, sizeof *ns);

		for (size_t k = 0; k < t->count; k++) {
			const char *p = t->pool + t->off[k];

			i = str_hash(p, strlen(p)) & nmask;
			while (ns[i])
				i = (i + 1) & nmask;
			ns[i] = (uint32_t)k + 1;
		}
		free(t->slot);
		t->slot = ns;
		t->mask = nmask;
	}
	t->pool = vec_grow(t->pool, &t->pool_cap, t->pool_len + len + 1, 1);
	t->off = vec_grow(t->off, &t->off_cap, t->count + 1, sizeof *t->off);
	memcpy(t->pool + t->pool_len, s, len);
	t->pool[t->pool_len + len] = '\0';
	t->off[t->count] = t->pool_len;
	t->pool_len += len + 1;
	id = (uint32_t)t->count++;
	i = str_hash(s, len) & t->mask;
	while (t->slot[i])
		i = (i + 1) & t->mask;
	t->slot[i] = id + 1;
	return id;
}

void strtab_release(struct strtab *t)
{
	free(t->pool);
	free(t->off);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

size_t strtab_bytes(const struct strtab *t)
{
	return t->pool_cap + t->off_cap * sizeof *t->off + (t->mask + 1) * sizeof *t->slot;
}
