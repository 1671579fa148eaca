/* keyset.c - see keyset.h */
#include "keyset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct slot {
	size_t off;      /* key bytes at arena + off */
	uint32_t len;
	uint32_t hash;   /* 0 = empty slot */
	long line;
};

struct keyset {
	struct slot *slots;
	size_t nslots;   /* a power of two */
	size_t used;
	char *arena;
	size_t arena_len, arena_cap;
};

struct keyset *keyset_new(void)
{
	struct keyset *s = xcalloc(1, sizeof *s);

	s->nslots = 1024;
	s->slots = xcalloc(s->nslots, sizeof *s->slots);
	s->arena_cap = 16384;
	s->arena = xmalloc(s->arena_cap);
	return s;
}

void keyset_free(struct keyset *s)
{
	if (s == NULL)
		return;
	free(s->slots);
	free(s->arena);
	free(s);
}

/* FNV-1a, never 0 (0 marks an empty slot). */
static uint32_t hash_key(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

static void grow(struct keyset *s)
{
	size_t n = s->nslots * 2;
	struct slot *t = xcalloc(n, sizeof *t);

	for (size_t i = 0; i < s->nslots; i++) {
		size_t j;

		if (s->slots[i].hash == 0)
			continue;
		for (j = s->slots[i].hash & (n - 1); t[j].hash != 0; j = (j + 1) & (n - 1))
			;
		t[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = t;
	s->nslots = n;
}

long keyset_add(struct keyset *s, const char *key, size_t len, long line)
{
	uint32_t h;
	size_t j;

	if (len > UINT32_MAX)
		BUG("respnr of %zu bytes", len);   /* lines that long never get here */
	h = hash_key(key, len);
	for (j = h & (s->nslots - 1); s->slots[j].hash != 0; j = (j + 1) & (s->nslots - 1)) {
		const struct slot *e = &s->slots[j];

		if (e->hash == h && e->len == len && memcmp(s->arena + e->off, key, len) == 0)
			return e->line;
	}
	if (s->arena_len + len > s->arena_cap) {
		while (s->arena_len + len > s->arena_cap)
			s->arena_cap *= 2;
		s->arena = xrealloc(s->arena, s->arena_cap);
	}
	memcpy(s->arena + s->arena_len, key, len);
	s->slots[j].off = s->arena_len;
	s->slots[j].len = (uint32_t)len;
	s->slots[j].hash = h;
	s->slots[j].line = line;
	s->arena_len += len;
	if (++s->used * 10 > s->nslots * 7)
		grow(s);
	return 0;
}
