/* utf8.h - is it text: the byte checks every stream value and every message goes through.
 *
 * Why one place: the record stream is UTF-8 (DESIGN.md), ingest decodes raw files to it,
 * and a diagnostic that quotes input must stay one line of text. All three ask the same
 * question of a byte sequence - where does it stop being text - and answer it here.
 *
 * Text is valid UTF-8 (RFC 3629: no overlong form, no surrogate, nothing above U+10FFFF)
 * without a NUL byte. Nothing here allocates or keeps state.
 */
#ifndef KETEN_UTF8_H
#define KETEN_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence that starts at S (N bytes available): 1 for an
 * ASCII byte (NUL included: the caller decides about it), 2 to 4 for a multibyte
 * character, 0 when S[0] does not start a valid sequence within N bytes. N > 0. */
size_t utf8_seq(const unsigned char *s, size_t n);

/* The offset of the first byte of S[0..N) that is not text (a NUL, or a byte that is not
 * part of a valid UTF-8 sequence), or N when all of it is text. */
size_t utf8_bad(const char *s, size_t n);

/* Make the NUL-terminated S one line of text for a message, in place: every control
 * character (below 0x20, and 0x7f) and every byte that is not valid UTF-8 becomes '?'. */
void utf8_clean(char *s);

#endif
