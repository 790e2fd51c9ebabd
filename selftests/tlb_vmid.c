// SPDX-License-Identifier: GPL-2.0-only
/*
 * TLB and VMID discipline (Documentation/design.rst): EL2 changing hands
 * invalidates every VMID on the CPU (counted by EL2 itself); a freed VMID
 * is invalidated before it is reused, and the guest of the new space sees
 * its own memory; a CPU that runs another vCPU of a stage-2 space than last
 * time, or a vCPU back from another space, invalidates its EL1 TLB for the
 * space's VMID first (KVM's last_vcpu_ran), and only then.
 *
 * QEMU's TLB cannot keep a stale entry across these events (it flushes on
 * every VTTBR_EL2 change), so the tests assert the invalidations through
 * debugfs counters, and that each guest sees its own memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "vm.h"

#define WHOAMI_OFFSET	0x800	/* the word the whoami guest reports */

static void set_whoami(void *ram, uint64_t val)
{
	*(uint64_t *)((char *)ram + WHOAMI_OFFSET) = val;
}

/* Reads a debugfs file to its end; returns 0 or -errno. */
static int read_all(const char *path)
{
	char buf[512];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -errno : 0;
}

static long tlbi_local(struct test_vm *vm, int vcpu)
{
	return vcpu_stat(vm, vcpu, "tlbi_local");
}

/* bench gives this CPU's EL2 back to the stub and takes it again: two ALLE1s. */
TEST(handover_invalidates_every_vmid)
{
	SKIP_UNLESS_DEBUGFS(return, "the TLB maintenance counters");
	struct el2_tlb before, after;
	int cpu, tested = 0;

	for (cpu = 0; cpu < possible_cpus() && cpu < EL2_TLB_MAX_CPUS; cpu++) {
		if (!cpu_is_online(cpu))
			continue;
		ASSERT_EQ(0, pin_to_cpu(cpu));
		ASSERT_EQ(0, read_all(A64_DEBUGFS "/ping"));	/* ours, before */
		ASSERT_EQ(0, el2_tlb(&before));
		ASSERT_EQ(0, read_all(A64_DEBUGFS "/ping"));
		ASSERT_EQ(0, el2_tlb(&after));
		EXPECT_EQ(before.handover_alle1[cpu], after.handover_alle1[cpu])
			TH_LOG("cpu%d: no hand-over, no ALLE1", cpu);
		ASSERT_EQ(0, read_all(A64_DEBUGFS "/bench"));
		ASSERT_EQ(0, el2_tlb(&after));
		EXPECT_EQ(before.handover_alle1[cpu] + 2, after.handover_alle1[cpu])
			TH_LOG("cpu%d: give-back and take", cpu);
		EXPECT_LT(0, after.handover_alle1[cpu]);	/* the take at load */
		tested++;
	}
	EXPECT_LT(0, tested);
}

TEST(hotplug_invalidates_every_vmid)
{
	SKIP_UNLESS_DEBUGFS(return, "the TLB maintenance counters");
	struct el2_tlb before, after;

	if (possible_cpus() < 2 || access("/sys/devices/system/cpu/cpu1/online", W_OK) ||
	    !cpu_is_online(1))
		SKIP(return, "CPU1 is not hotpluggable here");
	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(0, el2_tlb(&before));
	ASSERT_EQ(0, set_cpu_online(1, false));
	ASSERT_EQ(0, set_cpu_online(1, true));
	ASSERT_EQ(0, el2_tlb(&after));
	EXPECT_EQ(before.handover_alle1[1] + 2, after.handover_alle1[1]);
	EXPECT_EQ(before.handover_alle1[0], after.handover_alle1[0]);
}

/*
 * A VM's VMID is invalidated (slot unmap, space freed) before a new VM gets
 * it again, and the new VM's guest sees its own memory at the same IPA.
 */
TEST(vmid_reuse_sees_own_memory)
{
	SKIP_UNLESS_DEBUGFS(return, "the TLB maintenance counters");
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct el2_tlb t0, t1, t2;
	int round;

	ASSERT_EQ(0, pin_to_cpu(0));
	set_whoami(vm->ram, 0xaaaa);
	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, el2_tlb(&t0));
		vcpu_destroy(vcpu);
		vm_destroy(vm);
		ASSERT_EQ(0, el2_tlb(&t1));
		EXPECT_LE(t0.vmid_tlbi + 2, t1.vmid_tlbi);	/* slot unmap, space freed */
		EXPECT_EQ(t0.vmid_reused, t1.vmid_reused);

		vm = vm_create_with_program(GUEST_PROGRAM(whoami));
		ASSERT_EQ(0, el2_tlb(&t2));
		EXPECT_EQ(t1.vmid_reused + 1, t2.vmid_reused);	/* the VMID just freed */
		vcpu = vcpu_add(vm, 0);
		set_whoami(vm->ram, 0xb000 + round);
		EXPECT_EQ(0xb000 + round, vcpu_ucall(vcpu));
	}
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* Two vCPUs of one space alternate on one CPU: each switch invalidates. */
TEST(other_vcpu_same_cpu_invalidates)
{
	SKIP_UNLESS_DEBUGFS(return, "the TLB maintenance counters");
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	struct test_vcpu *v0 = vcpu_add(vm, 0), *v1 = vcpu_add(vm, 1);
	struct el2_tlb t0, t1;

	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(0, el2_tlb(&t0));
	EXPECT_EQ(1, vcpu_ucall(v0));
	EXPECT_EQ(1, tlbi_local(vm, 0));	/* nobody ran this space here yet */
	EXPECT_EQ(2, vcpu_ucall(v0));
	EXPECT_EQ(3, vcpu_ucall(v0));
	EXPECT_EQ(1, tlbi_local(vm, 0));	/* the same vCPU again: none */
	EXPECT_EQ(1, vcpu_ucall(v1));
	EXPECT_EQ(1, tlbi_local(vm, 1));
	EXPECT_EQ(4, vcpu_ucall(v0));
	EXPECT_EQ(2, tlbi_local(vm, 0));
	EXPECT_EQ(2, vcpu_ucall(v1));
	EXPECT_EQ(2, tlbi_local(vm, 1));
	EXPECT_EQ(3, vcpu_ucall(v1));
	EXPECT_EQ(2, tlbi_local(vm, 1));
	ASSERT_EQ(0, el2_tlb(&t1));
	EXPECT_EQ(t0.vcpu_local_tlbi + 4, t1.vcpu_local_tlbi);
	vcpu_destroy(v0);
	vcpu_destroy(v1);
	vm_destroy(vm);
}

/*
 * A vCPU moving to a CPU where another vCPU of its space (or none) ran last
 * invalidates there; back on a CPU where it was the last, it needs none.
 */
TEST(migration_invalidates)
{
	SKIP_UNLESS_DEBUGFS(return, "the TLB maintenance counters");
	struct test_vm *vm;
	struct test_vcpu *v0, *v1;

	if (possible_cpus() < 2 || !cpu_is_online(1))
		SKIP(return, "one CPU online");
	vm = vm_create_with_program(GUEST_PROGRAM(loop));
	v0 = vcpu_add(vm, 0);
	v1 = vcpu_add(vm, 1);
	ASSERT_EQ(0, pin_to_cpu(0));
	EXPECT_EQ(1, vcpu_ucall(v0));
	EXPECT_EQ(1, tlbi_local(vm, 0));
	ASSERT_EQ(0, pin_to_cpu(1));
	EXPECT_EQ(2, vcpu_ucall(v0));
	EXPECT_EQ(2, tlbi_local(vm, 0));	/* new CPU for the space */
	ASSERT_EQ(0, pin_to_cpu(0));
	EXPECT_EQ(3, vcpu_ucall(v0));
	EXPECT_EQ(2, tlbi_local(vm, 0));	/* it ran here last */
	ASSERT_EQ(0, pin_to_cpu(1));
	EXPECT_EQ(1, vcpu_ucall(v1));
	EXPECT_EQ(1, tlbi_local(vm, 1));
	ASSERT_EQ(0, pin_to_cpu(0));
	EXPECT_EQ(2, vcpu_ucall(v1));		/* v0 ran here last */
	EXPECT_EQ(2, tlbi_local(vm, 1));
	ASSERT_EQ(0, pin_to_cpu(1));
	EXPECT_EQ(4, vcpu_ucall(v0));		/* v1 ran here last */
	EXPECT_EQ(3, tlbi_local(vm, 0));
	vcpu_destroy(v0);
	vcpu_destroy(v1);
	vm_destroy(vm);
}

/*
 * A vCPU switched to another space and back: its guest's invalidations in
 * between went to the other VMID, so coming back invalidates, even on the
 * CPU where it was the last of the space to run.
 */
TEST(stage2_switch_invalidates)
{
	SKIP_UNLESS_DEBUGFS(return, "the TLB maintenance counters");
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	char *other = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t space, zero = 0;

	ASSERT_NE(MAP_FAILED, other);
	ASSERT_EQ(0, pin_to_cpu(0));
	memcpy(other, vm->ram, GUEST_RAM_SIZE);
	set_whoami(vm->ram, 0xaaaa);
	set_whoami(other, 0xbbbb);
	space = ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 0);
	ASSERT_LT(0, (int)space);
	ASSERT_EQ(0, vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, GUEST_RAM_SIZE, other, space));

	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	EXPECT_EQ(1, tlbi_local(vm, 0));
	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	EXPECT_EQ(1, tlbi_local(vm, 0));
	ASSERT_EQ(0, ioctl(vcpu->fd, A64VCPU_SET_STAGE2, &space));
	EXPECT_EQ(0xbbbb, vcpu_ucall(vcpu));
	EXPECT_EQ(2, tlbi_local(vm, 0));
	ASSERT_EQ(0, ioctl(vcpu->fd, A64VCPU_SET_STAGE2, &zero));
	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	EXPECT_EQ(3, tlbi_local(vm, 0));	/* back to space 0, same CPU */
	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	EXPECT_EQ(3, tlbi_local(vm, 0));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(other, GUEST_RAM_SIZE);
}

TEST_HARNESS_MAIN
