/* emit.c - the raw files as delivered, and the faults of --dirty.
 *
 * R1-R3 come out ordered by date (R1 by aanvraagdatum, R2 by ontvangstdatum, R3 by
 * ingangsdatum; rows of one day in generation order), as an extract of a registry would,
 * not grouped by person. Persons are generated one at a time, so the order is made by a
 * counting sort on disk: rows go to a temporary file tagged with their day, counted per
 * day; at the end each day's byte offset in the final file is known and a second pass puts
 * every row in place (pwrite through a small buffer per day). Memory: a few counters and a
 * 4 KiB buffer per day of the date range, whatever N is. R4 and the waves are written as
 * persons are drawn (respnr order).
 *
 * --dirty RATE: after a clean row, with probability RATE (a stream of its own), an EXTRA
 * row follows: a corrupted copy of that row with exactly one fault, kinds taken in turn from
 * the file's list so every kind occurs. The clean rows and the truth never change. Rows in
 * R4 and the waves that are not duplicates get a respnr of their own (990000000 + k), so a
 * row never carries two faults (a bad date and a duplicate key, say).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "datecalc.h"
#include "diag.h"
#include "synth.h"

enum { K_NONE, K_WFC, K_ENC, K_QUOTE, K_DATE, K_NUMBER, K_BSN, K_CODE, K_RANGE, K_MISSING,
       K_ROUTING, K_DUP, N_KINDS };
const char *const dirty_kinds[N_KINDS] = {
	"", "wrong_field_count", "bad_encoding", "stray_quote", "bad_date", "bad_number", "bad_bsn",
	"unknown_code", "out_of_range", "missing_required", "routing", "duplicate_key"
};

enum { F_R1, F_R2, F_R3, F_R4, F_G1, F_G2, F_G3, N_FILES };
static const char *const file_names[N_FILES] = {
	"cwi_aanvragen.csv", "uwv_overdracht.csv", "uitkeringen.csv", "steekproef.csv",
	"golf1.csv", "golf2.csv", "golf3.csv"
};
static const char *const headers[N_FILES] = {
	"bsn;geboortedatum;geslacht;herkomst;opleiding;aanvraagdatum;uitkering;fase;beslissing;beslisdatum;overdracht_datum;vestiging",
	"bsn;ontvangstdatum;fase_uwv",
	"bsn;uitkering;ingangsdatum;einddatum;einde_reden;peildatum",
	"respnr;bsn;stratum;trekkingskans",
	"respnr;invuldatum;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk;huishouden",
	"respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;contacten_werk",
	"respnr;invuldatum;uitkering_nu;einde_maand;werk;zoekt;zoekuren;sollicitaties;hulp_gevraagd;sollicitatieplicht;gezondheid;prob_gezondheid;prob_verslaving;prob_schulden;prob_zorg;prob_huisvesting;advies_vacatures;hulp_solliciteren;hulp_eigen_bedrijf;traject;training;hulp_problemen;begeleiding_werk",
};
/* the faults each file can carry (in turn) */
static const int file_kinds[N_FILES][10] = {
	{ K_WFC, K_QUOTE, K_DATE, K_BSN, K_CODE, K_MISSING, 0 },
	{ K_WFC, K_DATE, K_BSN, 0 },
	{ K_WFC, K_DATE, K_BSN, K_CODE, K_MISSING, 0 },
	{ K_WFC, K_ENC, K_QUOTE, K_BSN, K_NUMBER, K_RANGE, K_MISSING, K_DUP, 0 },
	{ K_WFC, K_ENC, K_QUOTE, K_DATE, K_NUMBER, K_RANGE, K_MISSING, K_ROUTING, K_DUP, 0 },
	{ K_WFC, K_ENC, K_QUOTE, K_DATE, K_NUMBER, K_RANGE, K_MISSING, K_ROUTING, K_DUP, 0 },
	{ K_WFC, K_ENC, K_QUOTE, K_DATE, K_NUMBER, K_RANGE, K_MISSING, K_ROUTING, K_DUP, 0 },
};
/* wave columns after respnr;invuldatum */
static const int wave_items[3][24] = {
	{ I_WERK, I_ZOEKT, I_ZOEKUREN, I_SOLL, I_HULP_GEVR, I_PLICHT, I_GEZOND, I_PROB0, I_PROB1,
	  I_PROB2, I_PROB3, I_PROB4, I_ADVIES, I_HULP_SOLL, I_EIGEN_BEDRIJF, I_TRAJECT, I_TRAINING,
	  I_HULP_PROBL, I_CONTACTEN, I_HUISHOUDEN, -1 },
	{ I_UITK_NU, I_EINDE_MAAND, I_WERK, I_ZOEKT, I_ZOEKUREN, I_SOLL, I_HULP_GEVR, I_PLICHT,
	  I_GEZOND, I_PROB0, I_PROB1, I_PROB2, I_PROB3, I_PROB4, I_ADVIES, I_HULP_SOLL,
	  I_EIGEN_BEDRIJF, I_TRAJECT, I_TRAINING, I_HULP_PROBL, I_CONTACTEN, -1 },
	{ I_UITK_NU, I_EINDE_MAAND, I_WERK, I_ZOEKT, I_ZOEKUREN, I_SOLL, I_HULP_GEVR, I_PLICHT,
	  I_GEZOND, I_PROB0, I_PROB1, I_PROB2, I_PROB3, I_PROB4, I_ADVIES, I_HULP_SOLL,
	  I_EIGEN_BEDRIJF, I_TRAJECT, I_TRAINING, I_HULP_PROBL, I_BEGELEIDING, -1 },
};

#define MAXF 24
struct row {
	int nf;
	char f[MAXF][48];
};

/* ---------- counting sort by day ---------- */
#define DS_BUF 4096
struct daysort {
	FILE *tmp;
	char path[4096], tmppath[4096];
	int day0, ndays;
	long *cnt;
	long long *bytes;
};

static struct daysort ds[3];
static FILE *out[N_FILES];
static long line_no[N_FILES];
static long fault_no[N_FILES];
static long dirty_respnr;
static FILE *dirty_fp;
static double dirty_rate;
static double drop_r2, drop_r3;

/* ---------- what the extract shows ---------- */
int extract_has_app(const struct world *w, const struct app *a)
{
	return !w->span || a->date <= w->peildatum;
}

int extract_granted(const struct world *w, const struct app *a)
{
	return extract_has_app(w, a) && a->decision == 'T' && a->decision_date <= w->peildatum;
}

int extract_ho_date(const struct world *w, const struct app *a)
{
	return a->ho_date != DATE_NONE && a->ho_date <= w->peildatum ? a->ho_date : DATE_NONE;
}

int extract_has_spell(const struct world *w, const struct spell *s)
{
	return !w->span || s->start <= w->peildatum;
}

int extract_spell_end(const struct world *w, const struct spell *s)
{
	return s->end != DATE_NONE && s->end <= w->peildatum ? s->end : DATE_NONE;
}

int extract_has_uwv(const struct world *w, const struct uwv *u)
{
	return !w->span || u->date <= w->peildatum;
}

void extract_day_range(const struct world *w, int *first, int *last)
{
	if (w->span) {   /* refused applications up to 120 days before the span's first */
		*first = w->span_start - 366;
		*last = w->peildatum;
	} else {
		*first = date_from_ymd(2004, 1, 1);
		*last = date_from_ymd(2009, 12, 31);
	}
}

static void ds_open(struct daysort *d, const struct world *w, int f)
{
	int last;

	extract_day_range(w, &d->day0, &last);
	d->ndays = last - d->day0 + 1;
	d->cnt = xcalloc((size_t)d->ndays, sizeof *d->cnt);
	d->bytes = xcalloc((size_t)d->ndays, sizeof *d->bytes);
	snprintf(d->path, sizeof d->path, "%s/%s", w->outdir, file_names[f]);
	snprintf(d->tmppath, sizeof d->tmppath, "%s/.%s.tmp", w->outdir, file_names[f]);
	d->tmp = fopen(d->tmppath, "w+");
	if (!d->tmp)
		die(EXIT_DATA, d->tmppath, 0, NULL, "cannot create: %s", strerror(errno));
}

static void ds_add(struct daysort *d, int day, int kind, const char *buf, size_t len)
{
	int k = day - d->day0;
	unsigned char head[5];

	if (k < 0)
		k = 0;
	if (k >= d->ndays)
		k = d->ndays - 1;
	head[0] = (unsigned char)(k & 0xff);
	head[1] = (unsigned char)(k >> 8);
	head[2] = (unsigned char)(len & 0xff);
	head[3] = (unsigned char)(len >> 8);
	head[4] = (unsigned char)kind;
	fwrite(head, 1, 5, d->tmp);
	fwrite(buf, 1, len, d->tmp);
	d->cnt[k]++;
	d->bytes[k] += (long long)len;
}

static void ds_finish(struct daysort *d, int f)
{
	int fd = open(d->path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long long *off = xcalloc((size_t)d->ndays, sizeof *off);
	long *line = xcalloc((size_t)d->ndays, sizeof *line);
	char **buf = xcalloc((size_t)d->ndays, sizeof *buf);
	size_t *fill = xcalloc((size_t)d->ndays, sizeof *fill);
	char hdr[512], rowbuf[70000];
	long long pos;
	long ln = 2;
	size_t hl;
	unsigned char head[5];

	if (fd < 0)
		die(EXIT_DATA, d->path, 0, NULL, "cannot create: %s", strerror(errno));
	hl = (size_t)snprintf(hdr, sizeof hdr, "%s\r\n", headers[f]);
	if (write(fd, hdr, hl) != (ssize_t)hl)
		die(EXIT_DATA, d->path, 0, NULL, "write failed: %s", strerror(errno));
	pos = (long long)hl;
	for (int k = 0; k < d->ndays; k++) {
		off[k] = pos;
		line[k] = ln;
		pos += d->bytes[k];
		ln += d->cnt[k];
	}
	if (fflush(d->tmp) != 0 || fseek(d->tmp, 0, SEEK_SET) != 0)
		die(EXIT_DATA, d->tmppath, 0, NULL, "cannot reread: %s", strerror(errno));
	while (fread(head, 1, 5, d->tmp) == 5) {
		int k = head[0] | head[1] << 8;
		size_t len = (size_t)(head[2] | head[3] << 8);

		if (fread(rowbuf, 1, len, d->tmp) != len)
			die(EXIT_DATA, d->tmppath, 0, NULL, "short read");
		if (head[4])
			fprintf(dirty_fp, "%s,%ld,%s\n", file_names[f], line[k], dirty_kinds[head[4]]);
		line[k]++;
		if (!buf[k])
			buf[k] = xmalloc(DS_BUF);
		if (fill[k] + len > DS_BUF) {
			if (pwrite(fd, buf[k], fill[k], (off_t)off[k]) != (ssize_t)fill[k])
				die(EXIT_DATA, d->path, 0, NULL, "write failed: %s", strerror(errno));
			off[k] += (long long)fill[k];
			fill[k] = 0;
		}
		memcpy(buf[k] + fill[k], rowbuf, len);
		fill[k] += len;
	}
	for (int k = 0; k < d->ndays; k++) {
		if (fill[k] && pwrite(fd, buf[k], fill[k], (off_t)off[k]) != (ssize_t)fill[k])
			die(EXIT_DATA, d->path, 0, NULL, "write failed: %s", strerror(errno));
		free(buf[k]);
	}
	if (close(fd) != 0)
		die(EXIT_DATA, d->path, 0, NULL, "close failed: %s", strerror(errno));
	fclose(d->tmp);
	unlink(d->tmppath);
	free(off);
	free(line);
	free(buf);
	free(fill);
	free(d->cnt);
	free(d->bytes);
}

/* ---------- rows ---------- */
static size_t row_join(const struct row *r, char *buf, size_t cap, int crlf)
{
	size_t n = 0;

	for (int i = 0; i < r->nf; i++) {
		size_t l = strlen(r->f[i]);

		if (n + l + 3 >= cap)
			BUG("row too long");
		if (i)
			buf[n++] = ';';
		memcpy(buf + n, r->f[i], l);
		n += l;
	}
	if (crlf)
		buf[n++] = '\r';
	buf[n++] = '\n';
	return n;
}

static void set(struct row *r, int i, const char *s)
{
	snprintf(r->f[i], sizeof r->f[i], "%s", s);
}

static void set_int(struct row *r, int i, int v)
{
	if (v < 0)
		r->f[i][0] = '\0';
	else
		snprintf(r->f[i], sizeof r->f[i], "%d", v);
}

static void set_date(struct row *r, int i, int day)
{
	if (day == DATE_NONE)
		r->f[i][0] = '\0';
	else
		fmt_dmy(day, r->f[i]);
}

/* BSN as a system writes it: some systems store it as a number and lose a leading 0
 * (decided by a hash, so no random stream is touched) */
static void set_bsn(struct row *r, int i, const char *bsn, int file, long k, double p_drop)
{
	unsigned long h = strtoul(bsn, NULL, 10) * 2654435761UL + (unsigned long)file * 40503UL + (unsigned long)k;

	h ^= h >> 13;
	if (bsn[0] == '0' && (double)(h % 1000) < p_drop * 1000)
		set(r, i, bsn + 1);
	else
		set(r, i, bsn);
}

/* ---------- faults ---------- */
static int bsn_field(int f)
{
	return f == F_R4 ? 1 : 0;
}

static void corrupt(int f, struct row *r, int kind, long nfault, gsl_rng *rd)
{
	int wave = f - F_G1;
	int zoekt = wave == 0 ? 3 : 5, zoekuren = zoekt + 1, soll = zoekt + 2;
	char tmp[48];

	if (f >= F_R4 && kind != K_DUP)
		snprintf(r->f[0], sizeof r->f[0], "%ld", 990000000L + dirty_respnr++);
	switch (kind) {
	case K_WFC:
		if (nfault % 2 == 0)
			r->nf--;
		else
			set(r, r->nf++, "1");
		break;
	case K_ENC:
		if (f == F_R4) {
			char *c = r->f[2];
			size_t i = 0;

			while (c[i] && !((unsigned char)c[i] & 0x80))
				i++;
			if (c[i])
				c[i] = (char)0x81;         /* undefined in Windows-1252 */
			else
				strcat(c, "\x81");
		} else {
			strcat(r->f[zoekt], "\xe9");       /* a Latin-1 byte: not UTF-8 */
		}
		break;
	case K_QUOTE: {
		int i = f == F_R1 ? 11 : f == F_R4 ? 2 : soll;

		snprintf(tmp, sizeof tmp, "%.1s\"%s", r->f[i], r->f[i][0] ? r->f[i] + 1 : "");
		set(r, i, tmp);
		break;
	}
	case K_DATE: {
		int i = f == F_R1 ? 1 : f == F_R2 ? 1 : f == F_R3 ? 2 : 1;

		memcpy(r->f[i], "31-04", 5);               /* April has 30 days */
		break;
	}
	case K_NUMBER:
		if (f == F_R4)
			set(r, 3, "0,O125");
		else
			set(r, soll, "1O");
		break;
	case K_BSN: {
		char *b = r->f[bsn_field(f)];
		size_t l = strlen(b);
		int d = b[l - 3] - '0';

		b[l - 3] = (char)('0' + (d + 1 + (int)gsl_rng_uniform_int(rd, 9)) % 10);
		break;
	}
	case K_CODE:
		if (f == F_R3)
			set(r, 1, "WAO");
		else if (nfault % 3 == 0)
			set(r, 2, "X");
		else if (nfault % 3 == 1)
			set(r, 3, "B");
		else
			set(r, 6, "WAO");
		break;
	case K_RANGE:
		if (f == F_R4) {
			set(r, 3, "1,5");
		} else {
			set(r, zoekt, "1");
			set(r, zoekuren, "150");
		}
		break;
	case K_MISSING:
		set(r, f == F_R1 ? 2 : f == F_R3 ? 2 : f == F_R4 ? 3 : 0, "");
		break;
	case K_ROUTING:
		set(r, zoekt, "2");
		set(r, zoekuren, "6");
		break;
	case K_DUP:
		if (f != F_R4) {
			int werk = wave == 0 ? 2 : 4;

			set(r, werk, strcmp(r->f[werk], "1") == 0 ? "3" : "1");
		}
		break;
	default:
		BUG("fault kind %d", kind);
	}
}

static int pick_fault(int f, gsl_rng *rd, long *nfault)
{
	int nk = 0;

	if (dirty_rate <= 0 || gsl_rng_uniform(rd) >= dirty_rate)
		return 0;
	while (file_kinds[f][nk])
		nk++;
	*nfault = fault_no[f]++;
	return file_kinds[f][*nfault % nk];
}

/* a registry row (R1-R3): into the day sort, with a possible faulty copy after it */
static void put_sorted(int f, int day, const struct row *r, gsl_rng *rd)
{
	char buf[2048];
	size_t n = row_join(r, buf, sizeof buf, 1);
	long nfault;
	int kind;

	ds_add(&ds[f], day, 0, buf, n);
	kind = pick_fault(f, rd, &nfault);
	if (kind) {
		struct row bad = *r;

		corrupt(f, &bad, kind, nfault, rd);
		n = row_join(&bad, buf, sizeof buf, 1);
		ds_add(&ds[f], day, kind, buf, n);
	}
}

static void put_stream(int f, const struct row *r, gsl_rng *rd)
{
	char buf[2048];
	int crlf = f <= F_R4;
	size_t n = row_join(r, buf, sizeof buf, crlf);
	long nfault;
	int kind;

	fwrite(buf, 1, n, out[f]);
	line_no[f]++;
	kind = pick_fault(f, rd, &nfault);
	if (kind) {
		struct row bad = *r;

		corrupt(f, &bad, kind, nfault, rd);
		n = row_join(&bad, buf, sizeof buf, crlf);
		fwrite(buf, 1, n, out[f]);
		line_no[f]++;
		fprintf(dirty_fp, "%s,%ld,%s\n", file_names[f], line_no[f], dirty_kinds[kind]);
	}
}

int emit_open(const struct world *w)
{
	char path[4096];

	dirty_rate = w->dirty;
	drop_r2 = P("bsn.drop_zero.r2");
	drop_r3 = P("bsn.drop_zero.r3");
	dirty_respnr = 0;
	for (int f = 0; f < 3; f++)
		ds_open(&ds[f], w, f);
	for (int f = F_R4; f < N_FILES && !w->span; f++) {   /* --span: no survey */
		snprintf(path, sizeof path, "%s/%s", w->outdir, file_names[f]);
		out[f] = fopen(path, "w");
		if (!out[f])
			die(EXIT_DATA, path, 0, NULL, "cannot create: %s", strerror(errno));
		if (f == F_G2)
			fputs("\xef\xbb\xbf", out[f]);   /* golf2 comes with a BOM */
		fprintf(out[f], "%s%s", headers[f], f == F_R4 ? "\r\n" : "\n");
		line_no[f] = 1;
		fault_no[f] = 0;
	}
	fault_no[F_R1] = fault_no[F_R2] = fault_no[F_R3] = 0;
	snprintf(path, sizeof path, "%s/dirty.csv", w->outdir);
	dirty_fp = fopen(path, "w");
	if (!dirty_fp)
		die(EXIT_DATA, path, 0, NULL, "cannot create: %s", strerror(errno));
	fputs("file,line,kind\n", dirty_fp);
	return 0;
}

void emit_person(const struct world *w, const struct person *p, gsl_rng *rd)
{
	static const char *const herkomst = "AWN";
	struct row r;
	long k = 0;

	for (int i = 0; i < p->n_apps; i++) {
		const struct app *a = &p->apps_rows[i];
		int decided = a->decision && a->decision_date <= w->peildatum;
		char dec[2] = { decided ? (char)a->decision : '\0', '\0' };

		if (!extract_has_app(w, a))
			continue;
		r.nf = 12;
		set(&r, 0, p->bsn);
		set_date(&r, 1, p->birth);
		set(&r, 2, p->male ? "M" : "V");
		snprintf(r.f[3], sizeof r.f[3], "%c", herkomst[p->origin]);
		set_int(&r, 4, a->educ);
		set_date(&r, 5, a->date);
		set(&r, 6, a->benefit == WW ? "WW" : "WWB");
		set_int(&r, 7, a->phase);
		set(&r, 8, dec);
		set_date(&r, 9, decided ? a->decision_date : DATE_NONE);
		set_date(&r, 10, extract_ho_date(w, a));
		set_int(&r, 11, a->office);
		put_sorted(F_R1, a->date, &r, rd);
	}
	for (int i = 0; i < p->n_uwv; i++) {
		if (!extract_has_uwv(w, &p->uwv[i])) {
			k++;     /* the row keeps its BSN spelling in a later extract */
			continue;
		}
		r.nf = 3;
		set_bsn(&r, 0, p->bsn, F_R2, k++, drop_r2);
		set_date(&r, 1, p->uwv[i].date);
		set_int(&r, 2, p->uwv[i].fase > 0 ? p->uwv[i].fase : -1);
		put_sorted(F_R2, p->uwv[i].date, &r, rd);
	}
	for (int i = 0; i < p->n_spells; i++) {
		const struct spell *s = &p->spells[i];
		int end = extract_spell_end(w, s);

		if (!extract_has_spell(w, s)) {
			k++;
			continue;
		}
		r.nf = 6;
		set_bsn(&r, 0, p->bsn, F_R3, k++, drop_r3);
		set(&r, 1, s->benefit == WW ? "WW" : "WWB");
		set_date(&r, 2, s->start);
		set_date(&r, 3, end);
		set_int(&r, 4, end != DATE_NONE ? s->reason : -1);
		set_date(&r, 5, w->peildatum);
		put_sorted(F_R3, s->start, &r, rd);
	}
	if (!p->sampled)
		return;
	r.nf = 4;
	snprintf(r.f[0], sizeof r.f[0], "%ld", p->respnr);
	set(&r, 1, p->bsn);
	set(&r, 2, stratum_names[p->stratum]);
	set(&r, 3, p->incl_str);
	put_stream(F_R4, &r, rd);
	for (int wv = 0; wv < 3; wv++) {
		const struct wave *x = &p->w[wv];

		if (!x->present)
			continue;
		r.nf = 2;
		snprintf(r.f[0], sizeof r.f[0], "%ld", p->respnr);
		set_date(&r, 1, x->fill_date);
		for (int i = 0; wave_items[wv][i] >= 0; i++)
			set_int(&r, r.nf++, x->v[wave_items[wv][i]]);
		put_stream(F_G1 + wv, &r, rd);
	}
}

int emit_close(const struct world *w)
{
	int rc = 0;

	(void)w;
	for (int f = F_R4; f < N_FILES; f++)
		if (out[f] && fclose(out[f]) != 0)
			rc = -1;
	for (int f = 0; f < 3; f++)
		ds_finish(&ds[f], f);
	if (fclose(dirty_fp) != 0)
		rc = -1;
	return rc;
}
