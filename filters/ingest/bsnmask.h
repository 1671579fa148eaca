/* bsnmask.h - find what looks like a BSN in free text and overwrite it with '*', so a
 * rejected row or a quoted value in a message never carries one (DESIGN.md, privacy).
 *
 * A BSN turns up where it does not belong: typed into a text field (the sample's stratum
 * label, an office field), written the way people write it on paper (874.942.081,
 * 305 720 028, 305-720-028, 1234.56.789), or as a whole row shifted by one column. So the
 * mask looks at every byte of the text, not at one column:
 *   - a run of 8 or 9 digits that passes the 11-check (8 digits = a 9-digit BSN that lost
 *     its leading 0); with EVERY_LONG_RUN every run of 8 or more digits, whatever its
 *     check digit (a mistyped BSN is still a BSN): the choice for files with a BSN column,
 *     where no other field is a run of 8+ digits - the wave files' respondent numbers can
 *     be, and a reader of their rejects needs them;
 *   - every number of 8 or 9 digits written in two or more groups, one separator between
 *     groups, the same one throughout ('.', ' ' or '-'), that passes the 11-check, also
 *     inside a longer run of such groups (two BSNs in a row). The separators are masked
 *     with the digits.
 * Not masked: a group shape d-m-yyyy / dd-mm-yyyy (any of the separators), the raw files'
 * date format - a date passes the 11-check one time in eleven and is what a reader of the
 * reject stream needs to see. Masking keeps the length, so offsets stay valid.
 */
#ifndef INGEST_BSNMASK_H
#define INGEST_BSNMASK_H

#include <stddef.h>

/* Mask S[0..N) in place as above. Returns how many bytes were masked. */
size_t bsn_mask(char *s, size_t n, int every_long_run);

#endif
