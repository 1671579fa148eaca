/* plaincsv.h - plain CSV for people and other programs: the files beside the record
 * streams that carry no #schema line (a run's inputs.csv and gates.csv, ingest's
 * --file-counts, ingest --identify), RFC 4180 with a header row, so that R's read.csv,
 * pandas and a spreadsheet read them with their defaults.
 *
 * csv_put_field writes one field through stdio, quoted only when it must be (a comma, a
 * quote or a line end in it; quotes doubled), then END (',' between fields, '\n' after
 * the last). Write errors are stdio's: the caller checks ferror/fclose.
 */
#ifndef KETEN_PLAINCSV_H
#define KETEN_PLAINCSV_H

#include <stdio.h>

void csv_put_field(FILE *fp, const char *value, int end);

#endif
