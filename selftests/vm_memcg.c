// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a VM takes from the kernel is charged to its owner's memory cgroup
 * (GFP_KERNEL_ACCOUNT: the VM, its vCPUs and their pages, stage-2 spaces
 * and page tables, slots' page arrays, doorbells, interrupt eventfds), so
 * that memory.max bounds it (Documentation/api.rst, "Who may use the
 * device"):
 * - charged: in a child group, 4 VMs of 8 stage-2 spaces and 64 vCPUs
 *   raise its memory.current by at least their vCPUs' two pages each, and
 *   closing them gives it back;
 * - bounded: with memory.max 1 MiB above what the group uses and no task
 *   the OOM killer may take (oom_score_adj -1000), creating VMs and vCPUs
 *   fails with ENOMEM after no more vCPUs than 1 MiB holds at two pages
 *   each, and memory.peak stays within memory.max;
 * - bounded, the default: the VMM is OOM-killed in its group
 *   (memory.events oom_kill), nothing outside it, and the module's pages
 *   come back (debugfs, root).
 * Memory cgroups are root's: unprivileged, it skips.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "vm.h"

#define CGROUP		"/sys/fs/cgroup"
#define GROUP		CGROUP "/a64vcpu-memcg"
#define MAX_VMS		32
#define VCPUS_PER_VM	64
#define STAGE2_PER_VM	8
#define PAGE		4096L

static long module_pages(void)
{
	return read_long(A64_DEBUGFS "/pages");
}

/* The VMs and vCPUs one process made, and how their making ended. */
struct vms {
	int sys, vm[MAX_VMS], vcpu[MAX_VMS][VCPUS_PER_VM];
	int nr_vms, nr_vcpus, err;	/* err: the first failure's errno, 0 if none */
};

/*
 * Up to @nr_vms VMs, each with every stage-2 space and vCPU it may have,
 * until the first failure (its errno in v->err).
 */
static void vms_make(struct vms *v, int nr_vms)
{
	int i, j, fd;

	memset(v, 0, sizeof(*v));
	v->sys = a64_open();
	for (i = 0; i < nr_vms && !v->err; i++) {
		fd = a64vcpu_create_vm(v->sys, 0);
		if (fd < 0) {
			v->err = -fd;
			break;
		}
		v->vm[v->nr_vms++] = fd;
		for (j = 1; j < STAGE2_PER_VM && !v->err; j++)
			if (ioctl(fd, A64VCPU_CREATE_STAGE2, 0) < 0)
				v->err = errno;
		for (j = 0; j < VCPUS_PER_VM && !v->err; j++) {
			v->vcpu[i][j] = a64vcpu_create_vcpu(fd, j, 0);
			if (v->vcpu[i][j] < 0)
				v->err = -v->vcpu[i][j];
			else
				v->nr_vcpus++;
		}
	}
}

/* Every fd closed (the counts stay, for the log). */
static void vms_close(struct vms *v)
{
	int i, j;

	for (i = 0; i < v->nr_vms; i++) {
		for (j = 0; j < VCPUS_PER_VM; j++)
			if (v->vcpu[i][j] > 0)
				close(v->vcpu[i][j]);
		close(v->vm[i]);
	}
	close(v->sys);
}

FIXTURE(memcg) {
	bool made;
};

FIXTURE_SETUP(memcg)
{
	self->made = false;
	if (geteuid())
		return;		/* the tests skip: memory cgroups are root's */
	ASSERT_EQ(0, memcg_make(GROUP)) TH_LOG("%s: %s", GROUP, strerror(errno));
	self->made = true;
	ASSERT_EQ(0, write_str(GROUP "/memory.max", "max"));
	write_str(GROUP "/memory.swap.max", "0");	/* absent without swap accounting */
}

FIXTURE_TEARDOWN(memcg)
{
	if (!self->made)
		return;
	write_long(CGROUP "/cgroup.procs", getpid());
	rmdir(GROUP);
}

TEST_F(memcg, charged_to_the_owner)
{
	long before, made, after, vcpu_pages;
	struct vms v;

	SKIP_UNLESS_ROOT(return, "memory cgroups");
	ASSERT_EQ(0, write_long(GROUP "/cgroup.procs", getpid()));
	before = read_long(GROUP "/memory.current");
	vms_make(&v, 4);
	made = read_long(GROUP "/memory.current");
	ASSERT_EQ(0, v.err) TH_LOG("%s after %d vCPUs", strerror(v.err), v.nr_vcpus);
	ASSERT_EQ(4 * VCPUS_PER_VM, v.nr_vcpus);
	vms_close(&v);
	after = read_long(GROUP "/memory.current");
	write_long(CGROUP "/cgroup.procs", getpid());
	vcpu_pages = 2L * v.nr_vcpus;	/* each vCPU's context and run structure */
	TH_LOG("memory.current %ld -> %ld (+%ld KiB for 4 VMs, %d vCPUs) -> %ld", before, made,
	       (made - before) / 1024, v.nr_vcpus, after);
	ASSERT_LE(0, before);
	EXPECT_LE(vcpu_pages * PAGE, made - before);
	/* Given back, but for what stays shared (EL2's own page tables). */
	EXPECT_GT((made - before) / 4, after - before);
}

TEST_F(memcg, enomem_at_memory_max)
{
	const long room = 1024 * 1024;
	long current, max, peak, events_before, events_after;
	struct vms v;

	SKIP_UNLESS_ROOT(return, "memory cgroups");
	ASSERT_EQ(0, write_long(GROUP "/cgroup.procs", getpid()));
	/* This process only: no task the group's OOM killer may take. */
	ASSERT_EQ(0, write_str("/proc/self/oom_score_adj", "-1000"));
	current = read_long(GROUP "/memory.current");
	ASSERT_LT(0, current);
	max = current + room;
	ASSERT_EQ(0, write_long(GROUP "/memory.max", max));
	events_before = file_stat(GROUP "/memory.events", "max");

	vms_make(&v, MAX_VMS);
	vms_close(&v);
	/* (Read once the fds are closed: at memory.max even fopen() fails.) */
	peak = read_long(GROUP "/memory.peak");
	ASSERT_EQ(0, write_str(GROUP "/memory.max", "max"));
	write_long(CGROUP "/cgroup.procs", getpid());
	events_after = file_stat(GROUP "/memory.events", "max");

	TH_LOG("%d VMs, %d vCPUs, then %s; memory.peak %ld of memory.max %ld",
	       v.nr_vms, v.nr_vcpus, strerror(v.err), peak, max);
	EXPECT_EQ(ENOMEM, v.err);
	EXPECT_LT(0, v.nr_vcpus);
	/* Each vCPU's two pages were charged: no more vCPUs fit in the room. */
	EXPECT_GE(room / (2 * PAGE), v.nr_vcpus);
	EXPECT_LT(0, peak);
	EXPECT_GE(max, peak);
	EXPECT_LT(events_before, events_after);
}

TEST_F(memcg, oom_killed_in_its_group)
{
	long pages = module_pages(), max;
	int status, pipefd[2];
	struct vms v;
	pid_t pid;
	char c;

	SKIP_UNLESS_ROOT(return, "memory cgroups");
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		if (write_long(GROUP "/cgroup.procs", getpid()))
			_exit(2);
		max = read_long(GROUP "/memory.current") + 1024 * 1024;
		if (write_long(GROUP "/memory.max", max) || write(pipefd[1], "", 1) != 1)
			_exit(2);
		vms_make(&v, MAX_VMS);
		_exit(1);	/* not killed: a failure */
	}
	close(pipefd[1]);
	EXPECT_EQ(1, read(pipefd[0], &c, 1));	/* its limit set */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(pipefd[0]);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("status %#x", status);
	EXPECT_LE(1, file_stat(GROUP "/memory.events", "oom_kill"));
	/* Its VMs are gone with its fds. */
	STAT_CHECK(EXPECT_EQ(pages, module_pages()));
}

TEST_HARNESS_MAIN
