/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Leak counters for the stress tests: a snapshot before a phase, compared
 * after it.  What is counted:
 *   pages        the module's pages (debugfs a64vcpu/pages, kmod/pages.c)
 *   pins         pages pinned and not yet unpinned, system-wide
 *                (/proc/vmstat nr_foll_pin_acquired - nr_foll_pin_released)
 *   mlocked_kb   /proc/meminfo Mlocked
 *   unevictable_kb /proc/meminfo Unevictable
 *   vmlck_kb     this process's VmLck (/proc/self/status)
 * and, on a kernel with kmemleak (the debug kernel), a scan's count of
 * unreferenced objects allocated by a64vcpu.
 */
#ifndef A64_SELFTEST_LEAKS_H
#define A64_SELFTEST_LEAKS_H

#include <stdbool.h>

struct leaks {
	long pages;
	long pins;
	long mlocked_kb;
	long unevictable_kb;
	long vmlck_kb;
};

/* The module's pages (debugfs a64vcpu/pages), or -1. */
long leaks_module_pages(void);
/* Takes the counters now (vmstat's per-CPU counts folded in first). */
void leaks_snapshot(struct leaks *l);
/*
 * Compares the counters with @base (taken before phase @phase); if they
 * differ, drains the CPUs' LRU caches (Mlocked and Unevictable are
 * counted as pages leave them) and compares once more.  Prints one line
 * per counter that still differs.  Returns true if none does.
 */
bool leaks_none(const struct leaks *base, const char *phase);
/*
 * kmemleak: a scan (objects older than 5 s are judged), then the
 * unreferenced objects it reports with a64vcpu in their allocation
 * backtrace, counted (and printed).  -1 if this kernel has no kmemleak.
 */
int leaks_kmemleak(void);

#endif
