// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap on zram and a memory cgroup (see memcg_swap.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "memcg_swap.h"
#include "vm.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define ZRAM_DEV	"/dev/zram0"
#define ZRAM_SYSFS	"/sys/block/zram0"

static int put(const char *dir, const char *file, const char *val)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return write_str(path, val);
}

/* insmod of @ko; already loaded is fine. */
static int insmod(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret && errno != EEXIST ? -1 : 0;
}

const char *memcg_swap_begin(struct memcg_swap *ms, const char *swap_size, const char *max)
{
	char dir[256], pid[16];

	ms->swap_on = false;
	ms->in_cgroup = false;
	if (access(ZRAM_SYSFS, F_OK) &&
	    (insmod("/modules/zsmalloc.ko") || insmod("/modules/zram.ko")))
		return "loading zram";
	put(ZRAM_SYSFS, "reset", "1");		/* an earlier test's disk */
	if (put(ZRAM_SYSFS, "disksize", swap_size))
		return "zram disksize";
	if (system("mkswap " ZRAM_DEV " > /dev/null"))
		return "mkswap";
	if (swapon(ZRAM_DEV, 0))
		return "swapon";
	ms->swap_on = true;

	snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s", ms->cgroup);
	if (memcg_make(dir))
		return "making the memory cgroup";
	ms->in_cgroup = true;
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (put(dir, "memory.max", max) || put(dir, "cgroup.procs", pid))
		return "joining the cgroup";
	return NULL;
}

void memcg_swap_end(struct memcg_swap *ms)
{
	char dir[256], pid[16];

	if (ms->in_cgroup) {
		snprintf(pid, sizeof(pid), "%d", getpid());
		put(CGROUP_ROOT, "cgroup.procs", pid);
		snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s", ms->cgroup);
		rmdir(dir);
	}
	if (ms->swap_on) {
		swapoff(ZRAM_DEV);
		put(ZRAM_SYSFS, "reset", "1");
	}
}
