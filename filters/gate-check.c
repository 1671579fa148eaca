/* gate-check - the quality gates a run must pass before it is published.
 *
 * The last step of pipelines/eerste-jaar/run, after every stage has exited 0 and before
 * the report is moved into place: it compares the new run (its inputs.csv and tables.csv)
 * with the last published one and checks what the gate spec (gates.spec, see
 * filters/gate-check/spec.h) names - rows per raw kind, reject rate per file, cells that
 * lost their value, headline figures whose n collapsed, an extract date that went back,
 * raw files that changed while the run read them. A run that fails a gate is not
 * published; --accept GATE lets one known change through, and the report says so.
 *
 * Shape: parse options, load the spec and both runs (a missing previous run skips the
 * comparisons, it does not fail them), check, write the report, end stderr with the first
 * failure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rec.h"

#include "gates.h"
#include "runs.h"
#include "spec.h"

struct options {
	const char *spec, *inputs, *tables, *previous, *before, *after, *report, *get;
	double max_reject_rate;     /* --max-reject-rate, < 0 when not given */
	unsigned accepted;
	int registry_only;
	char **absent;
	size_t nabsent;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	"usage: gate-check --spec F --inputs F --tables F [--previous DIR] [--before F --after F]\n"
	"                  [--accept GATE]... [--registry-only] [--absent KIND]...\n"
	"                  [--max-reject-rate R] [--report F]\n"
	"       gate-check --spec F --get reject-rate\n"
	"\n"
	"Check a run against the quality gates of the gate spec (pipelines/eerste-jaar/gates.spec)\n"
	"before it is published. Reads the run's inputs.csv (kind,file,rows,rejected,sha256,\n"
	"peildatum: one row per raw file) and its tables (the table/1 stream tables.rec.gz), and\n"
	"those of the last published run in --previous DIR (DIR/inputs.csv, DIR/tables.rec.gz -\n"
	"or DIR/tables.csv, a table/1 stream in reports made before tables.csv became plain CSV;\n"
	"absent files skip the comparisons that need them). Gates (the spec gives the limits):\n"
	"  rows          rows per raw kind against the last published run (default spec: a kind\n"
	"                may shrink by 20%% and grow by 50%%)\n"
	"  reject-rate   share of each file's rows ingest refused (default 0.05)\n"
	"  cells         every cell with a value in the last published run still has one,\n"
	"                unless it is now suppressed\n"
	"  headline-n    no headline figure's n drops by more than the limit (default half)\n"
	"  peildatum     R3's extract date never goes back\n"
	"  extracts      the raw files did not change while the run read them: --before and\n"
	"                --after are snapshots, a line per file 'NAME SHA256 INODE SIZE MTIME'\n"
	"\n"
	"Writes the report (--report F, plain CSV: gate,subject,previous,current,limit,verdict,\n"
	"detail; verdict pass, fail, accepted or skipped), one line per gate on stdout (passed,\n"
	"FAILED, ACCEPTED or skipped) and one line per failure on stderr,\n"
	"'gate-check: GATE: SUBJECT: DETAIL'; the last line is the first failure.\n"
	"\n"
	"  --spec F          the gate spec (required)\n"
	"  --inputs F        the run's inputs.csv; --tables F its tables.rec.gz (required)\n"
	"  --previous DIR    the last published run (default: none, comparisons skipped)\n"
	"  --before F, --after F   snapshots of the raw files before and after the run\n"
	"  --accept GATE     let failures of GATE through (repeat for more); they are reported\n"
	"                    as accepted\n"
	"  --registry-only   the run had no survey files: the cells gate looks only at the\n"
	"                    spec's registry cells\n"
	"  --absent KIND     KIND is absent by the run's switch: rows does not count it missing\n"
	"  --report F        write the report to F (default: none)\n"
	"  --max-reject-rate R   the reject-rate limit for this run instead of the spec's (the\n"
	"                    gate is checked even when the spec has no reject-rate line)\n"
	"  --get reject-rate print the spec's reject-rate limit (1 when the gate is off) and exit\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 every gate passed (or was accepted or skipped), 1 a gate failed or an\n"
	"input cannot be read, 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  gate-check --spec pipelines/eerste-jaar/gates.spec --inputs new/inputs.csv \\\n"
	"    --tables new/tables.rec.gz --previous reports/current --report new/gates.csv\n");
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"spec", required_argument, NULL, 's'}, {"inputs", required_argument, NULL, 'i'},
		{"tables", required_argument, NULL, 't'}, {"previous", required_argument, NULL, 'p'},
		{"before", required_argument, NULL, 'b'}, {"after", required_argument, NULL, 'a'},
		{"accept", required_argument, NULL, 'A'}, {"registry-only", no_argument, NULL, 'R'},
		{"absent", required_argument, NULL, 'x'}, {"report", required_argument, NULL, 'r'},
		{"get", required_argument, NULL, 'g'}, {"max-reject-rate", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	int c, g;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->spec = optarg; break;
		case 'i': o->inputs = optarg; break;
		case 't': o->tables = optarg; break;
		case 'p': o->previous = optarg; break;
		case 'b': o->before = optarg; break;
		case 'a': o->after = optarg; break;
		case 'r': o->report = optarg; break;
		case 'g': o->get = optarg; break;
		case 'm':
			if (rec_parse_num(optarg, &o->max_reject_rate) < 0 || !(o->max_reject_rate >= 0 && o->max_reject_rate <= 1))
				diag_usage("--max-reject-rate: not a share between 0 and 1: '%s'", optarg);
			break;
		case 'R': o->registry_only = 1; break;
		case 'x':
			o->absent = xrealloc(o->absent, (o->nabsent + 1) * sizeof *o->absent);
			o->absent[o->nabsent++] = optarg;
			break;
		case 'A':
			if ((g = gate_by_name(optarg)) < 0)
				diag_usage("--accept: no gate '%s' (rows, reject-rate, cells, headline-n, peildatum, extracts)", optarg);
			o->accepted |= 1u << g;
			break;
		case 'h': usage(stdout); exit(diag_close_stdout(0));
		case 'V': puts("gate-check ketenmonitor 0.1"); exit(diag_close_stdout(0));
		default: diag_usage("unknown option");
		}
	}
	if (optind < argc)
		diag_usage("unexpected argument '%s'", argv[optind]);
	if (o->spec == NULL)
		diag_usage("--spec is required");
	if (o->get != NULL && strcmp(o->get, "reject-rate") != 0)
		diag_usage("--get: only reject-rate can be asked for");
	if (o->get == NULL && (o->inputs == NULL || o->tables == NULL))
		diag_usage("--inputs and --tables are required");
	if ((o->before == NULL) != (o->after == NULL))
		diag_usage("--before and --after go together");
}

/* DIR/NAME when it exists, else NULL (the caller frees). */
static char *in_previous(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(n);
	FILE *fp;

	snprintf(path, n, "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) != NULL) {
		fclose(fp);
		return path;
	}
	free(path);
	return NULL;
}

/* Everything gate-check reads, loaded; dies (exit 1) naming what cannot be read. */
struct loaded {
	struct gate_spec spec;
	struct inputs now, prev;
	struct cells tnow, tprev;
	struct snapshot before, after;
	int have_prev_inputs, have_prev_tables, have_snapshots;
};

static void load_all(const struct options *o, struct loaded *L)
{
	char err[512], *p;

	if (inputs_load(&L->now, o->inputs, err, sizeof err) < 0 || cells_load(&L->tnow, o->tables, err, sizeof err) < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", err);
	if (o->previous && (p = in_previous(o->previous, "inputs.csv")) != NULL) {
		if (inputs_load(&L->prev, p, err, sizeof err) < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", err);
		L->have_prev_inputs = 1;
		free(p);
	}
	/* tables.rec.gz; a report made before tables.csv became plain CSV has its stream there */
	if (o->previous && ((p = in_previous(o->previous, "tables.rec.gz")) != NULL ||
			    (p = in_previous(o->previous, "tables.csv")) != NULL)) {
		if (cells_load(&L->tprev, p, err, sizeof err) < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", err);
		L->have_prev_tables = 1;
		free(p);
	}
	if (o->before) {
		if (snapshot_load(&L->before, o->before, err, sizeof err) < 0 ||
		    snapshot_load(&L->after, o->after, err, sizeof err) < 0)
			die(EXIT_DATA, NULL, 0, NULL, "%s", err);
		L->have_snapshots = 1;
	}
}

static void release_all(struct loaded *L)
{
	gate_spec_release(&L->spec);
	inputs_release(&L->now);
	inputs_release(&L->prev);
	cells_release(&L->tnow);
	cells_release(&L->tprev);
	snapshot_release(&L->before);
	snapshot_release(&L->after);
}

int main(int argc, char **argv)
{
	struct options o = { .max_reject_rate = -1 };
	struct loaded L = { 0 };
	struct gate_run g = { 0 };
	char err[512];

	diag_init(argv[0]);
	parse_options(argc, argv, &o);
	if (gate_spec_load(&L.spec, o.spec, err, sizeof err) < 0)
		die(EXIT_DATA, NULL, 0, NULL, "%s", err);
	if (o.get) {
		printf("%g\n", L.spec.on[G_REJECT_RATE] ? L.spec.reject_rate : 1.0);
		gate_spec_release(&L.spec);
		return diag_close_stdout(0);
	}
	load_all(&o, &L);
	if (o.max_reject_rate >= 0) {
		L.spec.on[G_REJECT_RATE] = 1;
		L.spec.reject_rate = o.max_reject_rate;
	}
	g = (struct gate_run){
		.spec = &L.spec, .now = &L.now, .prev = L.have_prev_inputs ? &L.prev : NULL,
		.tnow = &L.tnow, .tprev = L.have_prev_tables ? &L.tprev : NULL,
		.before = L.have_snapshots ? &L.before : NULL, .after = L.have_snapshots ? &L.after : NULL,
		.accepted = o.accepted, .registry_only = o.registry_only, .absent = o.absent, .nabsent = o.nabsent,
	};
	if (o.report && (g.report = fopen(o.report, "w")) == NULL)
		die(EXIT_DATA, o.report, 0, NULL, "cannot create: %s", strerror(errno));
	gates_check_all(&g);
	gates_print_summary(&g, stdout);
	if (g.report && (ferror(g.report) | (fclose(g.report) != 0)))
		die(EXIT_DATA, o.report, 0, NULL, "write error: %s", strerror(errno));
	if (g.nfailed > 1)   /* the last line is the first failure */
		diag_warn(NULL, 0, NULL, "%s (the first of %d failures)", g.first, g.nfailed);
	release_all(&L);
	free(o.absent);
	return diag_close_stdout(g.nfailed ? EXIT_DATA : 0);
}
