/* shim.c - fault injection for tests/fault/faults.t: an LD_PRELOAD library that counts
 * the process's allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc) and
 * its write(2) calls to any descriptor but stderr, and makes the Nth of them fail.
 *
 *   FAULT_ALLOC=N    the Nth allocation returns NULL (ENOMEM)
 *   FAULT_WRITE=N    the Nth write to a descriptor other than 2 fails with ENOSPC
 *   FAULT_COUNT=FILE at exit, write "ALLOCS WRITES" (how many calls there were) to FILE
 *   FAULT_SPARE=NAME allocations made by a library whose file name contains NAME are
 *                    neither counted nor failed (OpenSSL 3's lazy initialisation
 *                    dereferences a lock it failed to allocate: its crash, not ours)
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

static long env_number(const char *name)
{
	const char *s = getenv(name);

	return s && *s ? atol(s) : 0;
}

static void report(void)
{
	const char *path = getenv("FAULT_COUNT");
	char buf[64];
	int n;
	FILE *fp;

	armed = 0;
	if (!path || !*path)
		return;
	n = snprintf(buf, sizeof buf, "%ld %ld\n", allocs, writes);
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
	atexit(report);
	armed = 1;
}

/* Whether the allocation called from CALLER is spared (FAULT_SPARE). */
static int spared(const void *caller)
{
	Dl_info info;

	return spare && dladdr(caller, &info) && info.dli_fname && strstr(info.dli_fname, spare);
}

/* 1 when this allocation is the one to fail. */
#define alloc_fails() (armed && !spared(__builtin_return_address(0)) && ++allocs == alloc_fail)

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
