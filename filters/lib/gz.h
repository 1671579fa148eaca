/* gz.h - gzip members in and out: the codecs under the record stream (library-internal;
 * programs use rec.h).
 *
 * Why a module of its own: the stream is gzip whichever library makes it. Level 1 is
 * written, and every member inflated, by ISA-L when the build has it (HAVE_ISAL: about
 * four times zlib's level-1 deflate and three times its inflate, bench/README.md); zlib is
 * the fallback and is forced by REC_ZLIB=1 (rec_init). Both read and write the same
 * format, so the reader and writer above never see which one runs.
 *
 * Inflating works member by member over caller-owned buffers: the caller keeps the raw
 * bytes and decides what "the input ended" means (a truncated member, garbage after a
 * member); the inflater only says what happened. Deflating hands every full output
 * buffer to a sink the caller gives (the writer's write(2) loop).
 *
 * Ownership: each codec owns its state and buffers; *_free accepts NULL. Allocation
 * failures end the program (diag.h's xmalloc, "out of memory", exit 1).
 */
#ifndef KETEN_GZ_H
#define KETEN_GZ_H

#include <stddef.h>

enum {
	GZ_ERROR = -1,      /* corrupt data, or the codec failed: *err says why */
	GZ_OK = 0,          /* progress was made (input used and/or output produced) */
	GZ_MEMBER_END = 1,  /* a member ended here; the inflater is ready for the next one */
	GZ_NEED_INPUT = 2   /* no progress without more input (nothing used, nothing made) */
};

struct gz_inflater;

struct gz_inflater *gz_inflater_new(int force_zlib);
void gz_inflater_free(struct gz_inflater *z);

/* Inflate IN[0..in_len) into OUT[0..out_cap): *in_used bytes were used, *out_len made. */
int gz_inflate(struct gz_inflater *z, const unsigned char *in, size_t in_len, size_t *in_used,
	       unsigned char *out, size_t out_cap, size_t *out_len, const char **err);

struct gz_deflater;

/* A deflater writing one gzip member at LEVEL (1..9). NULL when zlib cannot start. */
struct gz_deflater *gz_deflater_new(int level, int force_zlib);
void gz_deflater_free(struct gz_deflater *z);

/* Compress P[0..n); FINISH ends the member (the next call starts a new one: a stream
 * of several members, which every gzip reader reads as one). Each full output buffer goes to
 * sink(ctx, buf, len), which returns 0 or -1 (a write error: compression stops, and
 * gz_deflate returns -1 with *err NULL). Returns 0, or -1 with *err naming a codec
 * failure. */
int gz_deflate(struct gz_deflater *z, const unsigned char *p, size_t n, int finish,
	       int (*sink)(void *ctx, const void *buf, size_t len), void *ctx, const char **err);

#endif
