/* shim.c - fault injection for tests/fault/faults.t: an LD_PRELOAD library that counts
 * the process's allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc) and
 * its write(2) calls to any descriptor but stderr, and makes the Nth of them fail.
 *
 *   FAULT_ALLOC=N    the Nth allocation returns NULL (ENOMEM)
 *   FAULT_WRITE=N    the Nth write to a descriptor other than 2 fails with ENOSPC
 *   FAULT_COUNT=FILE at exit, write "ALLOCS WRITES SITEFAILS" (how many calls there were,
 *                    and how many allocations FAULT_SITE failed) to FILE
 *   FAULT_SPARE=NAME allocations made by a library whose file name contains NAME are
 *                    neither counted nor failed (OpenSSL 3's lazy initialisation
 *                    dereferences a lock it failed to allocate: its crash, not ours)
 *
 * Call sites (FAULT_SITES, FAULT_SITE): an allocation's site is where it was asked for,
 * as the chain of its FAULT_DEPTH (default 2) innermost callers outside the C library and
 * the shim - frames found with backtrace(3), each named by its object's file name and its
 * offset in that object (dladdr), so a site has the same name in every run whatever ASLR
 * does. Two callers deep, a wrapper (xmalloc, or fopen inside the C library) is told apart
 * by who called it; a function called from two places counts as two sites.
 *   FAULT_SITES=FILE at exit, every site this run allocated from, one a line, in order of
 *                    first use: "SITE<TAB>ALLOCATIONS", SITE = "obj+0xoff;obj+0xoff"
 *   FAULT_SITE=SITE  the first allocation from SITE fails (FAULT_SITE_N=N: the first N)
 *
 * Counting starts when the shim's constructor runs (after the C library's own start-up,
 * before the program's main), so N walks the program's call sites and its libraries'
 * (libcsv, zlib, ISA-L, stdio), in turn. Writes to stderr are left alone: the message
 * about the failure must get out. Allocations go to glibc's __libc_* functions, writes
 * to the system call, so the shim itself neither allocates nor recurses.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static long alloc_fail, write_fail;    /* 0 = never */
static long allocs, writes;
static int armed;
static const char *spare;

#define MAX_DEPTH 4
#define MAX_SITES 8192
#define SITE_LEN 512

struct site {
	const void *pc[MAX_DEPTH];   /* return addresses (this run's: ASLR moves them) */
	long uses;
};

static struct {
	int depth;                   /* FAULT_DEPTH */
	const char *list;            /* FAULT_SITES: where to write the sites */
	const char *fail;            /* FAULT_SITE: the site whose allocations fail */
	long fail_n, failed;         /* FAULT_SITE_N, and how many have failed */
	struct site sites[MAX_SITES];
	int nsites, overflow;
} cs;

static __thread int busy;        /* inside backtrace or dladdr: allocations pass through */

static long env_number(const char *name)
{
	const char *s = getenv(name);

	return s && *s ? atol(s) : 0;
}

/* The name of PC: the file name of its object (without folders), '+', the offset in it. */
static int pc_name(const void *pc, char *buf, size_t bufsz)
{
	Dl_info info;
	const char *slash;

	if (!dladdr(pc, &info) || !info.dli_fname)
		return snprintf(buf, bufsz, "?+%p", pc);
	slash = strrchr(info.dli_fname, '/');
	return snprintf(buf, bufsz, "%s+%#lx", slash ? slash + 1 : info.dli_fname,
			(unsigned long)((uintptr_t)pc - (uintptr_t)info.dli_fbase));
}

static void site_name(const struct site *st, char *buf, size_t bufsz)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < cs.depth && st->pc[i] && n < bufsz; i++) {
		if (i)
			buf[n++] = ';';
		n += (size_t)pc_name(st->pc[i], buf + n, bufsz - n);
	}
}

/* Whether PC lies in the C library or this shim (not a site of the program's). */
static int passed_over(const void *pc)
{
	static const void *libc_base, *shim_base;
	Dl_info info;

	if (!dladdr(pc, &info))
		return 0;
	if (!shim_base) {
		Dl_info self, libc;

		if (dladdr((void *)pc_name, &self))
			shim_base = self.dli_fbase;
		if (dladdr((void *)fopen, &libc))
			libc_base = libc.dli_fbase;
	}
	return info.dli_fbase == shim_base || info.dli_fbase == libc_base;
}

/* The site of the allocation being made (the caller's frames), in ST. */
static void site_here(struct site *st)
{
	void *frames[32];
	int n, k = 0;

	memset(st, 0, sizeof *st);
	busy = 1;
	n = backtrace(frames, 32);
	for (int i = 1; i < n && k < cs.depth; i++)
		if (!passed_over(frames[i]))
			st->pc[k++] = frames[i];
	busy = 0;
}

/* 1 when this allocation is one FAULT_SITE names (and still to fail); with FAULT_SITES,
 * count it under its site. */
static int site_fails(void)
{
	struct site st;
	char name[SITE_LEN];
	int i;

	site_here(&st);
	if (cs.list) {
		for (i = 0; i < cs.nsites && memcmp(cs.sites[i].pc, st.pc, sizeof st.pc); i++)
			;
		if (i < cs.nsites)
			cs.sites[i].uses++;
		else if (cs.nsites < MAX_SITES)
			cs.sites[cs.nsites] = st, cs.sites[cs.nsites++].uses = 1;
		else
			cs.overflow = 1;
	}
	if (!cs.fail || cs.failed >= cs.fail_n)
		return 0;
	busy = 1;
	site_name(&st, name, sizeof name);
	busy = 0;
	if (strcmp(name, cs.fail) != 0)
		return 0;
	cs.failed++;
	return 1;
}

static void report_sites(void)
{
	char name[SITE_LEN];
	FILE *fp;

	if (!cs.list || (fp = fopen(cs.list, "w")) == NULL)
		return;
	for (int i = 0; i < cs.nsites; i++) {
		site_name(&cs.sites[i], name, sizeof name);
		fprintf(fp, "%s\t%ld\n", name, cs.sites[i].uses);
	}
	if (cs.overflow)
		fprintf(fp, "# more than %d sites: the rest not listed\n", MAX_SITES);
	fclose(fp);
}

static void report(void)
{
	const char *path = getenv("FAULT_COUNT");
	char buf[64];
	int n;
	FILE *fp;

	armed = 0;
	report_sites();
	if (!path || !*path)
		return;
	n = snprintf(buf, sizeof buf, "%ld %ld %ld\n", allocs, writes, cs.failed);
	if ((fp = fopen(path, "w")) != NULL) {
		fwrite(buf, 1, (size_t)n, fp);
		fclose(fp);
	}
}

static void __attribute__((constructor)) start(void)
{
	alloc_fail = env_number("FAULT_ALLOC");
	write_fail = env_number("FAULT_WRITE");
	spare = getenv("FAULT_SPARE");
	if (spare && !*spare)
		spare = NULL;
	cs.list = getenv("FAULT_SITES");
	cs.fail = getenv("FAULT_SITE");
	cs.list = cs.list && *cs.list ? cs.list : NULL;
	cs.fail = cs.fail && *cs.fail ? cs.fail : NULL;
	cs.fail_n = env_number("FAULT_SITE_N") > 0 ? env_number("FAULT_SITE_N") : 1;
	cs.depth = (int)env_number("FAULT_DEPTH");
	if (cs.depth < 1 || cs.depth > MAX_DEPTH)
		cs.depth = 2;
	if (cs.list || cs.fail) {
		void *frame[2];

		busy = 1;
		backtrace(frame, 2);   /* the first call loads libgcc's unwinder (and allocates) */
		busy = 0;
	}
	atexit(report);
	armed = 1;
}

/* Whether the allocation called from CALLER is spared (FAULT_SPARE). */
static int spared(const void *caller)
{
	Dl_info info;

	return spare && dladdr(caller, &info) && info.dli_fname && strstr(info.dli_fname, spare);
}

/* 1 when this allocation is the one to fail: the Nth (FAULT_ALLOC), or one of its site's
 * first (FAULT_SITE). */
#define alloc_fails()                                                                            \
	(armed && !busy && !spared(__builtin_return_address(0)) &&                               \
	 ((++allocs == alloc_fail) | ((cs.list || cs.fail) && site_fails())))

void *malloc(size_t n)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t k)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, k);
}

void *realloc(void *p, size_t n)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

int posix_memalign(void **p, size_t align, size_t n)
{
	if (alloc_fails())
		return ENOMEM;
	*p = __libc_memalign(align, n);
	return *p ? 0 : ENOMEM;
}

void *aligned_alloc(size_t align, size_t n)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_memalign(align, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (armed && fd != 2 && ++writes == write_fail) {
		errno = ENOSPC;
		return -1;
	}
	return syscall(SYS_write, fd, buf, n);
}
