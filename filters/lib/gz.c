/* gz.c - gzip codecs over ISA-L or zlib (see gz.h). */
#include "gz.h"
#include "diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define ZOUT_SIZE (256 * 1024)

/* ---------------------------------------------------------------- inflate */

struct gz_inflater {
	z_stream zs;
	int z_init;
#ifdef HAVE_ISAL
	struct inflate_state *is;   /* NULL when zlib runs */
#endif
};

struct gz_inflater *gz_inflater_new(int force_zlib)
{
	struct gz_inflater *z = xcalloc(1, sizeof *z);

#ifdef HAVE_ISAL
	if (!force_zlib) {
		z->is = xcalloc(1, sizeof *z->is);
		isal_inflate_init(z->is);
		z->is->crc_flag = ISAL_GZIP;
		return z;
	}
#else
	(void)force_zlib;
#endif
	if (inflateInit2(&z->zs, 16 + MAX_WBITS) != Z_OK) {
		free(z);
		return NULL;
	}
	z->z_init = 1;
	return z;
}

void gz_inflater_free(struct gz_inflater *z)
{
	if (z == NULL)
		return;
	if (z->z_init)
		inflateEnd(&z->zs);
#ifdef HAVE_ISAL
	free(z->is);
#endif
	free(z);
}

#ifdef HAVE_ISAL
static const char *isal_error(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "invalid block type";
	case ISAL_INVALID_SYMBOL: return "invalid code";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
	default: return "inflate failed";
	}
}

static int isal_step(struct inflate_state *is, const unsigned char *in, size_t in_len,
		     size_t *in_used, unsigned char *out, size_t out_cap, size_t *out_len,
		     const char **err)
{
	int rc;

	is->next_in = (uint8_t *)in;
	is->avail_in = (uint32_t)in_len;
	is->next_out = out;
	is->avail_out = (uint32_t)out_cap;
	rc = isal_inflate(is);
	*in_used = in_len - is->avail_in;
	*out_len = out_cap - is->avail_out;
	if (rc < 0) {
		*err = isal_error(rc);
		return GZ_ERROR;
	}
	if (is->block_state == ISAL_BLOCK_FINISH) {
		isal_inflate_reset(is);
		is->crc_flag = ISAL_GZIP;
		return GZ_MEMBER_END;
	}
	return *out_len == 0 && *in_used == 0 ? GZ_NEED_INPUT : GZ_OK;
}
#endif

int gz_inflate(struct gz_inflater *z, const unsigned char *in, size_t in_len, size_t *in_used,
	       unsigned char *out, size_t out_cap, size_t *out_len, const char **err)
{
	int zrc;

#ifdef HAVE_ISAL
	if (z->is)
		return isal_step(z->is, in, in_len, in_used, out, out_cap, out_len, err);
#endif
	z->zs.next_in = (unsigned char *)in;
	z->zs.avail_in = (uInt)in_len;
	z->zs.next_out = out;
	z->zs.avail_out = (uInt)out_cap;
	zrc = inflate(&z->zs, Z_NO_FLUSH);
	*in_used = in_len - z->zs.avail_in;
	*out_len = out_cap - z->zs.avail_out;
	if (zrc == Z_STREAM_END) {
		if (inflateReset(&z->zs) != Z_OK) {
			*err = "cannot reset zlib";
			return GZ_ERROR;
		}
		return GZ_MEMBER_END;
	}
	if (zrc == Z_BUF_ERROR)
		return GZ_NEED_INPUT;
	if (zrc != Z_OK) {
		*err = z->zs.msg ? z->zs.msg : "inflate failed";
		return GZ_ERROR;
	}
	return GZ_OK;
}

/* ---------------------------------------------------------------- deflate */

struct gz_deflater {
	unsigned char *out;
	z_stream zs;
	int z_init;
#ifdef HAVE_ISAL
	struct isal_zstream is;
	uint8_t *is_level_buf;
	int use_isal;
#endif
	int ended;                  /* the member ended (FINISH): the next call starts a new one */
};

#ifdef HAVE_ISAL
/* A new member at level 1. (isal_deflate_reset would not write the gzip header again.) */
static void isal_start(struct gz_deflater *z)
{
	isal_deflate_init(&z->is);
	z->is.level = 1;
	z->is.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
	z->is.level_buf = z->is_level_buf;
	z->is.gzip_flag = IGZIP_GZIP;
	z->is.flush = NO_FLUSH;
}
#endif

struct gz_deflater *gz_deflater_new(int level, int force_zlib)
{
	struct gz_deflater *z = xcalloc(1, sizeof *z);

	z->out = xmalloc(ZOUT_SIZE);
#ifdef HAVE_ISAL
	if (level == 1 && !force_zlib) {
		z->use_isal = 1;
		z->is_level_buf = xmalloc(ISAL_DEF_LVL1_DEFAULT);
		isal_start(z);
		return z;
	}
#else
	(void)force_zlib;
#endif
	if (deflateInit2(&z->zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z->out);
		free(z);
		return NULL;
	}
	z->z_init = 1;
	return z;
}

void gz_deflater_free(struct gz_deflater *z)
{
	if (z == NULL)
		return;
	if (z->z_init)
		deflateEnd(&z->zs);
#ifdef HAVE_ISAL
	free(z->is_level_buf);
#endif
	free(z->out);
	free(z);
}

#ifdef HAVE_ISAL
static int isal_out(struct gz_deflater *z, const unsigned char *p, size_t n, int finish,
		    int (*sink)(void *, const void *, size_t), void *ctx, const char **err)
{
	z->is.next_in = (uint8_t *)p;
	z->is.avail_in = (uint32_t)n;
	z->is.end_of_stream = (uint16_t)(finish != 0);
	do {
		z->is.next_out = z->out;
		z->is.avail_out = ZOUT_SIZE;
		if (isal_deflate(&z->is) != COMP_OK) {
			*err = "ISA-L deflate failed";
			return -1;
		}
		if (sink(ctx, z->out, ZOUT_SIZE - z->is.avail_out) < 0)
			return -1;
	} while (z->is.avail_in > 0 || z->is.avail_out == 0 ||
		 (finish && z->is.internal_state.state != ZSTATE_END));
	return 0;
}
#endif

int gz_deflate(struct gz_deflater *z, const unsigned char *p, size_t n, int finish,
	       int (*sink)(void *ctx, const void *buf, size_t len), void *ctx, const char **err)
{
	int flush = finish ? Z_FINISH : Z_NO_FLUSH;

	*err = NULL;
	if (z->ended) {   /* a new member after the last one ended */
		z->ended = 0;
#ifdef HAVE_ISAL
		if (z->use_isal)
			isal_start(z);
		else
#endif
		if (deflateReset(&z->zs) != Z_OK) {
			*err = "zlib deflate failed";
			return -1;
		}
	}
	z->ended = finish != 0;
#ifdef HAVE_ISAL
	if (z->use_isal)
		return isal_out(z, p, n, finish, sink, ctx, err);
#endif
	z->zs.next_in = (unsigned char *)p;
	z->zs.avail_in = (uInt)n;
	do {
		z->zs.next_out = z->out;
		z->zs.avail_out = ZOUT_SIZE;
		if (deflate(&z->zs, flush) == Z_STREAM_ERROR) {
			*err = "zlib deflate failed";
			return -1;
		}
		if (sink(ctx, z->out, ZOUT_SIZE - z->zs.avail_out) < 0)
			return -1;
	} while (z->zs.avail_out == 0 || (flush == Z_FINISH && z->zs.avail_in > 0));
	return 0;
}
