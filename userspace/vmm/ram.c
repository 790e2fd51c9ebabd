// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RAM in a64vm's address space: anonymous memory or, with
 * --mem-path, a file created and unlinked in a directory (hugetlbfs for
 * huge pages), mapped shared.  Aligned to 2 MiB (or to the huge page, if
 * larger): RAM's guest-physical base is, so guest-physical and host-virtual
 * addresses are congruent modulo 2 MiB, and a 2 MiB range the host backs
 * with one huge page (transparent or hugetlbfs) can be one stage-2 block.
 * The same mapping for every accelerator.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "vmm.h"

#define RAM_ALIGN	(2ULL << 20)	/* a level-2 block with 4 KiB pages */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

/* @size bytes of address space aligned to @align, reserved PROT_NONE; NULL if none. */
static uint8_t *reserve_aligned(uint64_t size, uint64_t align)
{
	uint8_t *area = mmap(NULL, size + align, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *start;

	if (area == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)area + align - 1) & ~(uintptr_t)(align - 1));
	if (start > area)
		munmap(area, start - area);
	munmap(start + size, align - (start - area));
	return start;
}

/*
 * --mem-path @dir: a file of @size bytes created there and unlinked at
 * once; *@huge_page is the file system's huge page size on hugetlbfs, else
 * 0.  Return: its descriptor, or -1 after printing why.
 */
static int ram_file(const char *dir, uint64_t size, uint64_t *huge_page)
{
	char path[PATH_MAX];
	struct statfs fs;
	int fd;

	if (statfs(dir, &fs)) {
		fprintf(stderr, "a64vm: --mem-path %s: %s\n", dir, strerror(errno));
		return -1;
	}
	*huge_page = fs.f_type == HUGETLBFS_MAGIC ? (uint64_t)fs.f_bsize : 0;
	if (*huge_page && size % *huge_page) {
		fprintf(stderr, "a64vm: --mem-path %s: hugetlbfs of %" PRIu64 " MiB pages, and -m %"
			PRIu64 " is not a multiple of that\n", dir, *huge_page >> 20, size >> 20);
		return -1;
	}
	if (snprintf(path, sizeof(path), "%s/a64vm-ram-XXXXXX", dir) >= (int)sizeof(path)) {
		fprintf(stderr, "a64vm: --mem-path %s: path too long\n", dir);
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "a64vm: --mem-path %s: cannot create a file there: %s\n", dir,
			strerror(errno));
		return -1;
	}
	unlink(path);
	if (ftruncate(fd, size)) {
		fprintf(stderr, "a64vm: --mem-path %s: cannot make a file of %" PRIu64 " MiB: %s\n",
			dir, size >> 20, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * --mem-prealloc: fault all of @size bytes at @host in, writable, as QEMU's
 * -mem-prealloc does: MADV_POPULATE_WRITE, or on a kernel without it
 * (EINVAL) a write to each page (of @page bytes), which leaves its content
 * as it was (zero, or the file's).  Return: 0, or -1 after printing why.
 */
static int ram_prealloc(uint8_t *host, uint64_t size, uint64_t page)
{
	uint64_t off;

	if (!madvise(host, size, MADV_POPULATE_WRITE))
		return 0;
	if (errno != EINVAL) {
		fprintf(stderr, "a64vm: --mem-prealloc: cannot make %" PRIu64 " MiB of guest RAM "
			"resident: %s\n", size >> 20, strerror(errno));
		return -1;
	}
	for (off = 0; off < size; off += page)
		__atomic_fetch_or(&host[off], 0, __ATOMIC_RELAXED);	/* a write that keeps it */
	return 0;
}

/**
 * ram_map() - map guest RAM as @cfg asks (-m, --mem-path, --no-thp,
 *	--mem-prealloc)
 * @ram: its gpa and size; ram->host is set
 * @cfg: the command line
 *
 * Anonymous RAM is MAP_NORESERVE: the host gives pages as the guest touches
 * them.  It is advised MADV_HUGEPAGE (as QEMU does), or with --no-thp
 * MADV_NOHUGEPAGE; RAM on hugetlbfs is huge pages whatever madvise says,
 * and its pages are reserved by mmap() (which fails if the pool is short).
 * With --mem-prealloc all of it is faulted in before the guest starts.
 * Return: 0, or -1 after printing why.
 */
int ram_map(struct guest_ram *ram, const struct vm_config *cfg)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, fd = -1, err;
	uint64_t align = RAM_ALIGN, huge_page = 0;
	uint8_t *start, *host = MAP_FAILED;

	if (cfg->mem_path) {
		fd = ram_file(cfg->mem_path, ram->size, &huge_page);
		if (fd < 0)
			return -1;
		if (huge_page && cfg->no_thp) {
			fprintf(stderr, "a64vm: --no-thp: RAM on hugetlbfs (--mem-path %s) is huge "
				"pages whatever madvise says\n", cfg->mem_path);
			close(fd);
			return -1;
		}
		flags = MAP_SHARED;
		if (huge_page > align)
			align = huge_page;
	}
	start = reserve_aligned(ram->size, align);
	if (start)
		host = mmap(start, ram->size, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, 0);
	err = errno;
	if (fd >= 0)
		close(fd);
	if (host == MAP_FAILED) {
		if (start)
			munmap(start, ram->size);
		fprintf(stderr, "a64vm: cannot map %" PRIu64 " MiB of guest RAM%s%s: %s%s\n",
			ram->size >> 20, cfg->mem_path ? " from a file in " : "",
			cfg->mem_path ?: "", strerror(err), huge_page && err == ENOMEM ?
			" (not enough free huge pages: see HugePages_Free in /proc/meminfo, "
			"/proc/sys/vm/nr_hugepages)" : "");
		return -1;
	}
	/* A hint: EINVAL on a kernel without THP, where either wish holds anyway. */
	if (!huge_page)
		madvise(host, ram->size, cfg->no_thp ? MADV_NOHUGEPAGE : MADV_HUGEPAGE);
	if (cfg->mem_prealloc &&
	    ram_prealloc(host, ram->size, huge_page ?: (uint64_t)sysconf(_SC_PAGESIZE))) {
		munmap(host, ram->size);
		return -1;
	}
	ram->host = host;
	return 0;
}
