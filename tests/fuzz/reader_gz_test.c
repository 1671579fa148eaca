/* reader_gz_test.c - the reader harness (reader_test.c) on gzip input: every input is
 * compressed, in two members, before the reader sees it, so the text grammar is explored
 * through the inflate path too. Corpus: tests/fuzz/corpus/reader_gz. */
#define FUZZ_NAME "reader_gz"
#define FUZZ_GZIP 1
#include "reader_test.c"
