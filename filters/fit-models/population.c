/* population.c - population conditions compiled for the per-row loop (see population.h).
 *
 * The compiled form is a small DAG of interned nodes: comparisons (atoms), not, and n-ary
 * and/or (a chain `a and b and c` is one node with three operands, evaluated left to
 * right with the same short cut as cond_eval's nested pairs). Every node keeps its value
 * for the current row, so a comparison or subcondition shared by several models is worked
 * out once per row. Columns are slots: a field's text is fetched, and its number parsed,
 * at most once per row.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "population.h"

enum { N_ALL, N_ATOM, N_NOT, N_AND, N_OR };

struct slot {                  /* a column some condition reads */
	char *column;
	int field;                 /* in the current section; -1 absent */
	unsigned long row;         /* the row s and len belong to */
	const char *s;
	size_t len;
	unsigned long num_row;     /* the row x belongs to */
	double x;                  /* s as cond_eval reads a number: NaN when it is not one */
};

struct node {
	int kind;
	char *key;                 /* structural key, for interning */
	int can_fail;              /* an ordering comparison inside: may return -1 */
	/* N_ATOM */
	enum cond_op op;
	size_t slot;
	const char *column;        /* for *bad_column */
	char **values;             /* the literals (the cond's), with their lengths */
	size_t *vlen;
	double *numbers;           /* each literal as a number, NaN when it is not one */
	size_t n_values;
	/* N_NOT: kids[0]; N_AND, N_OR: the operands, in the order they are tried */
	size_t *kids;
	size_t n_kids;
	/* the value on row `row` (and the failing column when it is -1) */
	unsigned long row;
	int value;
	const char *bad;
	unsigned long n_eval, n_true;  /* how often worked out, and found true: selectivity */
};

struct pop_set {
	struct node *nodes;
	size_t n_nodes;
	struct slot *slots;
	size_t n_slots;
	size_t *ids;               /* per compiled condition (pop_compile's i): its node */
	size_t n_ids;
	size_t *roots;             /* distinct root nodes; pop ids index this */
	size_t n_roots;
	size_t *live;              /* roots of the conditions in use (pop_live) */
	size_t n_live, cap_live;
	size_t *gates;             /* distinct gate nodes of the live roots (see gate_of) */
	size_t n_gates;
	unsigned long row;         /* rows seen; 0 = none yet (memo rows start at 0) */
	const char *(*get)(void *ctx, int field, size_t *len);
	void *ctx;
};

/* Operands that cannot fail are re-sorted by the selectivity seen so far every this many
 * rows (a power of two), and at rows 256, 512, ... before that. */
#define POP_RESORT 16384UL

/* ---- compiling ---- */

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_add(b, tmp, (size_t)k);
}

/* A length-prefixed string, so that keys of different structures never coincide. */
static void buf_str(struct buf *b, const char *s)
{
	buf_printf(b, "%zu:", strlen(s));
	buf_add(b, s, strlen(s));
}

static size_t slot_of(struct pop_set *p, const char *column)
{
	for (size_t i = 0; i < p->n_slots; i++)
		if (!strcmp(p->slots[i].column, column))
			return i;
	p->slots = xrealloc(p->slots, (p->n_slots + 1) * sizeof *p->slots);
	struct slot *s = &p->slots[p->n_slots];
	memset(s, 0, sizeof *s);
	s->column = xstrdup(column);
	s->field = -1;
	return p->n_slots++;
}

/* The node with key b->s, made from proto when new (proto's arrays are then owned by the
 * set; otherwise freed). b's string is taken over or freed. */
static size_t intern(struct pop_set *p, struct buf *b, struct node *proto)
{
	for (size_t i = 0; i < p->n_nodes; i++)
		if (!strcmp(p->nodes[i].key, b->s)) {
			free(b->s);
			free(proto->kids);
			free(proto->vlen);
			return i;
		}
	p->nodes = xrealloc(p->nodes, (p->n_nodes + 1) * sizeof *p->nodes);
	proto->key = b->s;
	p->nodes[p->n_nodes] = *proto;
	return p->n_nodes++;
}

static size_t compile(struct pop_set *p, const struct cond *c);

/* The operands of a chain of op (C_AND or C_OR), left to right, each compiled; a nested
 * chain of the same op joins this one. (Recursion: as deep as the condition, which
 * cond_parse limits to COND_MAX_DEPTH.) */
static void gather(struct pop_set *p, const struct cond *c, enum cond_op op, struct node *n)
{
	if (c->op == op) {
		for (size_t i = 0; i < c->n_kids; i++)
			gather(p, c->kids[i], op, n);
		return;
	}
	size_t k = compile(p, c);
	n->kids = xrealloc(n->kids, (n->n_kids + 1) * sizeof *n->kids);
	n->kids[n->n_kids++] = k;
}

static size_t compile(struct pop_set *p, const struct cond *c)
{
	struct node n = { 0 };
	struct buf b = { 0 };
	if (!c || c->op == C_ALL) {
		n.kind = N_ALL;
		buf_add(&b, "*", 1);
		return intern(p, &b, &n);
	}
	switch (c->op) {
	case C_NOT:
		n.kind = N_NOT;
		n.kids = xmalloc(sizeof *n.kids);
		n.kids[0] = compile(p, c->kids[0]);
		n.n_kids = 1;
		n.can_fail = p->nodes[n.kids[0]].can_fail;
		buf_printf(&b, "!%zu", n.kids[0]);
		return intern(p, &b, &n);
	case C_AND:
	case C_OR:
		n.kind = c->op == C_AND ? N_AND : N_OR;
		gather(p, c, c->op, &n);
		buf_add(&b, c->op == C_AND ? "&" : "|", 1);
		for (size_t i = 0; i < n.n_kids; i++) {
			buf_printf(&b, "%zu,", n.kids[i]);
			n.can_fail |= p->nodes[n.kids[i]].can_fail;
		}
		return intern(p, &b, &n);
	default:
		break;
	}
	n.kind = N_ATOM;
	n.op = c->op;
	n.slot = slot_of(p, c->column);
	n.column = c->column;
	n.values = c->values;
	n.numbers = c->numbers;
	n.n_values = c->n_values;
	n.vlen = xmalloc((c->n_values ? c->n_values : 1) * sizeof *n.vlen);
	n.can_fail = c->op == C_LT || c->op == C_LE || c->op == C_GT || c->op == C_GE;
	buf_printf(&b, "a%d,", (int)c->op);
	buf_str(&b, c->column);
	for (size_t i = 0; i < c->n_values; i++) {
		n.vlen[i] = strlen(c->values[i]);
		buf_str(&b, c->values[i]);
	}
	return intern(p, &b, &n);
}

struct pop_set *pop_compile(struct cond *const *conds, size_t n)
{
	struct pop_set *p = xcalloc(1, sizeof *p);
	p->ids = xmalloc((n ? n : 1) * sizeof *p->ids);
	p->roots = xmalloc((n ? n : 1) * sizeof *p->roots);
	p->n_ids = n;
	for (size_t i = 0; i < n; i++) {
		size_t root = compile(p, conds[i]), k;
		for (k = 0; k < p->n_roots && p->roots[k] != root; k++)
			;
		if (k == p->n_roots)
			p->roots[p->n_roots++] = root;
		p->ids[i] = k;
	}
	return p;
}

void pop_free(struct pop_set *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_nodes; i++) {
		free(p->nodes[i].key);
		free(p->nodes[i].kids);
		free(p->nodes[i].vlen);
	}
	for (size_t i = 0; i < p->n_slots; i++)
		free(p->slots[i].column);
	free(p->nodes);
	free(p->slots);
	free(p->ids);
	free(p->roots);
	free(p->live);
	free(p->gates);
	free(p);
}

size_t pop_id(const struct pop_set *p, size_t i)
{
	return p->ids[i];
}

size_t pop_count(const struct pop_set *p)
{
	return p->n_roots;
}

void pop_section(struct pop_set *p, int (*lookup)(void *ctx, const char *name), void *ctx)
{
	for (size_t i = 0; i < p->n_slots; i++)
		p->slots[i].field = lookup(ctx, p->slots[i].column);
}

/* ---- evaluating ---- */

/* Selectivity of a node, smoothed: how often it was true when worked out. */
static double true_rate(const struct node *n)
{
	return (n->n_true + 1.0) / (n->n_eval + 2.0);
}

/* Try the operands of an and most-often-false first, of an or most-often-true first - but
 * only within runs of operands that cannot fail: an operand that may return -1 keeps its
 * place, so the first failure (and its column) is the one cond_eval meets. */
static void resort(struct pop_set *p)
{
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct node *n = &p->nodes[i];
		double sign = n->kind == N_AND ? 1 : -1;
		if (n->kind != N_AND && n->kind != N_OR)
			continue;
		for (size_t a = 0; a < n->n_kids; a++) {
			if (p->nodes[n->kids[a]].can_fail)
				continue;
			size_t e = a;
			while (e < n->n_kids && !p->nodes[n->kids[e]].can_fail)
				e++;
			/* insertion sort of kids[a..e) (stable: a handful of operands) */
			for (size_t j = a + 1; j < e; j++) {
				size_t k = n->kids[j], m = j;
				double r = sign * true_rate(&p->nodes[k]);
				while (m > a && sign * true_rate(&p->nodes[n->kids[m - 1]]) > r) {
					n->kids[m] = n->kids[m - 1];
					m--;
				}
				n->kids[m] = k;
			}
			a = e;
		}
	}
}

/* A node whose 0 settles the root's 0: an and's first operand (tried first: its 0 ends
 * the walk, and resort() makes it the operand most often false when it can be moved), else
 * the root itself. */
static size_t gate_of(const struct pop_set *p, size_t root)
{
	const struct node *n = &p->nodes[root];
	return n->kind == N_AND ? n->kids[0] : root;
}

static void set_gates(struct pop_set *p)
{
	p->n_gates = 0;
	for (size_t i = 0; i < p->n_live; i++) {
		size_t g = gate_of(p, p->live[i]), k;
		for (k = 0; k < p->n_gates && p->gates[k] != g; k++)
			;
		if (k == p->n_gates)
			p->gates[p->n_gates++] = g;
	}
}

void pop_live(struct pop_set *p, const size_t *ids, size_t n)
{
	if (n > p->cap_live) {     /* per section, not per row */
		p->cap_live = n;
		p->live = xrealloc(p->live, n * sizeof *p->live);
		p->gates = xrealloc(p->gates, n * sizeof *p->gates);
	}
	p->n_live = 0;
	for (size_t i = 0; i < n; i++)
		p->live[p->n_live++] = p->roots[ids[i]];
	set_gates(p);
}

void pop_row(struct pop_set *p, const char *(*get)(void *ctx, int field, size_t *len), void *ctx)
{
	p->get = get;
	p->ctx = ctx;
	++p->row;
	if ((p->row & (POP_RESORT - 1)) == 0 || (p->row < POP_RESORT && p->row >= 256 && !(p->row & (p->row - 1)))) {
		resort(p);
		set_gates(p);
	}
}

/* The field as cond_eval reads a number: strtod over the whole text, NaN when something
 * follows the number. Hot (once per row and numerically compared column): a plain integer
 * of up to 15 digits (exact in a double, so equal to strtod's value) skips strtod. */
static double to_number(const char *s)
{
	const char *q = s + (*s == '-'), *d = q;
	long long v = 0;
	char *end;
	double x;
	while (*q >= '0' && *q <= '9' && q - d < 16)
		v = v * 10 + (*q++ - '0');
	if (*q == '\0' && q > d && q - d <= 15)
		return *s == '-' ? -(double)v : (double)v;
	x = strtod(s, &end);
	return *end ? NAN : x;
}

static double slot_number(struct pop_set *p, struct slot *s)
{
	if (s->num_row != p->row) {
		s->x = to_number(s->s);
		s->num_row = p->row;
	}
	return s->x;
}

/* A comparison, as cond_eval: a missing value makes every comparison false (!= too). */
static int atom(struct pop_set *p, const struct node *n)
{
	struct slot *s = &p->slots[n->slot];
	double x;
	int eq = 0;
	if (s->row != p->row) {
		s->s = p->get(p->ctx, s->field, &s->len);
		s->row = p->row;
	}
	if (n->op == C_MISSING)
		return s->s[0] == '\0';
	if (s->s[0] == '\0')
		return 0;
	switch (n->op) {
	case C_EQ:
	case C_NE:
	case C_IN:
		for (size_t i = 0; i < n->n_values && !eq; i++) {
			if (!isnan(n->numbers[i]) && !isnan(x = slot_number(p, s)))
				eq = x == n->numbers[i];
			else    /* strcmp(s, value) == 0, with the length known (s ends in a NUL) */
				eq = s->len >= n->vlen[i] && memcmp(s->s, n->values[i], n->vlen[i] + 1) == 0;
		}
		return n->op == C_NE ? !eq : eq;
	default:
		break;
	}
	if (isnan(x = slot_number(p, s)))
		return -1;
	switch (n->op) {
	case C_LT: return x < n->numbers[0];
	case C_LE: return x <= n->numbers[0];
	case C_GT: return x > n->numbers[0];
	case C_GE: return x >= n->numbers[0];
	default: return 0;
	}
}

static int eval(struct pop_set *p, size_t id, const char **bad_column)
{
	struct node *n = &p->nodes[id];
	const char *bad = NULL;
	int v = 1;
	if (n->row == p->row) {
		if (n->value < 0)
			*bad_column = n->bad;
		return n->value;
	}
	switch (n->kind) {
	case N_ALL:
		break;
	case N_ATOM:
		if ((v = atom(p, n)) < 0)
			bad = n->column;
		break;
	case N_NOT:
		if ((v = eval(p, n->kids[0], &bad)) >= 0)
			v = !v;
		break;
	case N_AND:
		for (size_t i = 0; i < n->n_kids && v > 0; i++)
			v = eval(p, n->kids[i], &bad);
		break;
	case N_OR:
		v = 0;
		for (size_t i = 0; i < n->n_kids && v == 0; i++)
			v = eval(p, n->kids[i], &bad);
		break;
	}
	n->row = p->row;
	n->value = v;
	n->bad = bad;
	n->n_eval++;
	n->n_true += v > 0;
	if (v < 0)
		*bad_column = bad;
	return v;
}

int pop_eval(struct pop_set *p, size_t id, const char **bad_column)
{
	return eval(p, p->roots[id], bad_column);
}

/* Hot: once per input row. Most rows are in no population: one or two gate comparisons
 * (e.g. responded_w2 == 1, responded_w3 == 1) settle that for every live condition. */
int pop_any(struct pop_set *p)
{
	const char *bad = NULL;
	for (size_t i = 0; i < p->n_gates; i++)
		if (eval(p, p->gates[i], &bad) != 0)
			return 1;
	return 0;
}
