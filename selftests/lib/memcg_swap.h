/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory pressure for a test: swap on zram (the stock kernel's zram and
 * zsmalloc from scripts/hostrun's /modules, built into the debug kernel)
 * and a memory cgroup (cgroup2) that holds the calling process to a limit.
 */
#ifndef A64_SELFTEST_MEMCG_SWAP_H
#define A64_SELFTEST_MEMCG_SWAP_H

#include <stdbool.h>

struct memcg_swap {
	const char *cgroup;	/* its folder under /sys/fs/cgroup */
	bool swap_on;
	bool in_cgroup;
};

/*
 * Swap of @swap_size ("256M") on /dev/zram0, then cgroup @ms->cgroup
 * limited to @max ("16M"), with this process in it.  Returns NULL, or
 * what failed (errno says why); memcg_swap_end() undoes either way.
 */
const char *memcg_swap_begin(struct memcg_swap *ms, const char *swap_size, const char *max);
void memcg_swap_end(struct memcg_swap *ms);

#endif
