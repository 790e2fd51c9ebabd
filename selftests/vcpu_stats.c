// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exit counters (debugfs a64vcpu/<pid>-<fd>-<serial>/vcpu<N>) and the tracepoints
 * of the run loop (events/a64vcpu) see the exits a guest made.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm.h"

#define TRACEFS	"/sys/kernel/debug/tracing"

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(s, f) < 0 ? -1 : 0;
	return fclose(f) ? -1 : ret;
}

TEST(exit_counters)
{
	SKIP_UNLESS_DEBUGFS(return, "the statistics");
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(hypercalls));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	int i;

	EXPECT_EQ(0, vcpu_stat(vm, 0, "mmio"));
	/* 4 queries answered at EL2, each reported by a ucall (MMIO). */
	for (i = 0; i < 4; i++)
		vcpu_ucall(vcpu);
	EXPECT_EQ(4, vcpu_stat(vm, 0, "mmio"));
	EXPECT_EQ(4, vcpu_stat(vm, 0, "el2_answered"));
	EXPECT_EQ(0, vcpu_stat(vm, 0, "hypercall"));
	ASSERT_EQ(A64VCPU_EXIT_HYPERCALL, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(1, vcpu_stat(vm, 0, "hypercall"));
	EXPECT_LE(0, vcpu_stat(vm, 0, "host_irq"));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/*
 * A VM outlives its fd while a vCPU holds it; the next VM given that fd
 * number gets a debugfs folder of its own.  (With folders named <pid>-<fd>
 * it got none: debugfs refused the name, and its counters were read from
 * the first VM's folder.)
 */
TEST(vm_outliving_its_fd_has_its_own_folder)
{
	SKIP_UNLESS_DEBUGFS(return, "the statistics");
	struct test_vm *a = vm_create_with_program(GUEST_PROGRAM(hypercalls)), *b;
	struct test_vcpu *va = vcpu_add(a, 0), *vb;
	int fd = a->fd;

	ASSERT_NE('\0', a->debugfs[0]);
	close(a->fd);			/* the VM lives on: va holds it */
	close(a->sys_fd);
	a->fd = -1;
	a->sys_fd = -1;
	b = vm_create_with_program(GUEST_PROGRAM(hypercalls));
	ASSERT_EQ(fd, b->fd);		/* the case at hand: the same number */
	EXPECT_STRNE(a->debugfs, b->debugfs);
	vb = vcpu_add(b, 0);
	vcpu_ucall(vb);
	EXPECT_EQ(1, vcpu_stat(b, 0, "mmio"));
	EXPECT_EQ(0, vcpu_stat(a, 0, "mmio"));
	vcpu_destroy(vb);
	vm_destroy(b);
	vcpu_destroy(va);
	vm_destroy(a);
}

TEST(tracepoints)
{
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	char line[256];
	int entries = 0, exits = 0;
	uint64_t i;
	FILE *f;

	if (access(TRACEFS "/events/a64vcpu/enable", W_OK))
		SKIP(return, "this kernel has no tracing (tracefs events/a64vcpu)");
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, write_file(TRACEFS "/events/a64vcpu/enable", "1"));
	vm = vm_create_with_program(GUEST_PROGRAM(loop));
	vcpu = vcpu_add(vm, 0);
	for (i = 1; i <= 10; i++)
		ASSERT_EQ(i, vcpu_ucall(vcpu));
	ASSERT_EQ(0, write_file(TRACEFS "/events/a64vcpu/enable", "0"));
	f = fopen(TRACEFS "/trace", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		entries += !!strstr(line, "a64vcpu_entry: vcpu 0");
		/* ucall: a data abort (EC 0x24) at EL1 */
		exits += strstr(line, "a64vcpu_exit: vcpu 0 code 0 esr") &&
			 strstr(line, "ec 0x24");
	}
	fclose(f);
	EXPECT_LE(10, entries);
	EXPECT_LE(10, exits);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
