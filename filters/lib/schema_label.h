/* schema_label.h - the words people read beside the fields of a schema (library-internal:
 * schema.c calls it; programs read the results in struct schema_field, schema.h).
 *
 * Why in schemas/: a field's label, what its empty value means and the labels of its codes
 * are part of what the field is. Kept beside the field's type and range, in
 * schemas/NAME-VERSION.labels, they are in one place that the report, the SPSS/Stata
 * export and the codebook all read, and a field added without them fails the codebook's
 * test instead of reaching an analyst with a bare name. (A file of their own, not lines
 * in the .schema file: the schema files are read by other programs too - tests' own
 * parsers, stages in other languages - that expect nothing but fields there.) Built in
 * like the schemas, and loaded from REC_SCHEMA_PATH's folders too; a later labels file of
 * an id replaces an earlier one. The file:
 *
 *     labels NAME/VERSION          first: the schema these words are for
 *     stage PROG                   the program that writes this schema's own fields
 *     label.LANG FIELD TEXT        the field's label (LANG: nl or en)
 *     missing.LANG FIELD TEXT      what an empty value of the field means
 *     code.LANG FIELD=CODE TEXT    the label of one value of FIELD (an enum's code, 0 or 1
 *                                  of a bool, an int of its range)
 *     code.LANG CODE TEXT          the label of CODE in every enum and bool field of this
 *                                  schema and those that extend it that has none for it
 *
 * FIELD names a field of the schema, its own or one it extends (to give an inherited field
 * other words), or is a shell pattern (fnmatch: `w?_*`) over the fields the schema declares
 * itself; a declaration that finds no field, or a code an enum or bool does not have, is an
 * error (a value outside an int's range is passed over: an override through
 * REC_SCHEMA_PATH may narrow the range). Who wins: a line naming FIELD
 * exactly over a pattern, a schema over the one it extends, a later line over an earlier
 * one; a general code label only fills what nothing else set.
 */
#ifndef KETEN_SCHEMA_LABEL_H
#define KETEN_SCHEMA_LABEL_H

#include <stddef.h>
#include "schema.h"

enum label_kind { LD_LABEL, LD_MISSING, LD_CODE };

struct label_decl {
	enum label_kind kind;
	int lang;                   /* enum schema_lang */
	char *field;                /* a name or a pattern; NULL: a general code label */
	char *code;                 /* LD_CODE: the value */
	char *text;
	int line;                   /* in the schema file, for messages */
};

/* Every declaration of one schema file, and its stage. The list owns its strings. */
struct label_list {
	struct label_decl *v;
	size_t n;
	char *stage;
};

/* One line: its first word KEYWORD, its second NAME (NULL when there is none) and the
 * rest TEXT (trimmed, "" when empty). Returns 1 when it was a label declaration (added to
 * L), 0 when KEYWORD is not one of them, -1 with *why when it is one but malformed. */
int label_parse(struct label_list *l, const char *keyword, const char *name, const char *text, int line,
		const char **why);

/* Give FIELDS[0..n) their labels from L (the first n_inherited fields came from the
 * parent schema: their value lists are copied before anything changes, the parent's stay
 * as they were), and fill what is still missing from the general code labels of L and
 * then of each list in ANCESTORS (nearest first, NULL-terminated). Returns 0, or -1 with a
 * message in err ("LINE: ..."). */
int label_apply(const struct label_list *l, const struct label_list *const *ancestors,
		struct schema_field *fields, size_t n, size_t n_inherited, char *err, size_t errsz);

void label_list_release(struct label_list *l);

#endif
