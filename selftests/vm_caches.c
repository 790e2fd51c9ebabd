// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cache maintenance for guest memory (design.rst, "Cache maintenance").
 * QEMU models no caches, so what can be seen is what the module does: the
 * counters of debugfs a64vcpu/<pid>-<fd>-<serial>/caches and vcpu<N>, and the exits.
 *
 * - Pinned guest memory is cleaned to the PoC (without FWB) and the I-cache
 *   invalidated once, at the VM's first entry, after the test wrote the
 *   program (not when the slot was set, before); a pinned slot set after
 *   that is cleaned when it is set.  Memory mapped on demand is cleaned
 *   page by page as stage 2 maps it, and the I-cache invalidated for each
 *   page made executable.
 * - DC ISW/CSW/CISW never leave the kernel; the first cleans all guest
 *   memory and makes the VM registers' writes trap (HCR_EL2.TVM), a change
 *   of SCTLR_EL1.{M,C} cleans it again, a trapped write that leaves the
 *   caches on ends the trapping (KVM's policy); the
 *   guest reads back what it wrote to each trapped register.  With FWB
 *   (QEMU -cpu max) set/way operations are done without any of this.
 * - Another vCPU of the VM and another VM do not trap.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm.h"

#define RAM_PAGES	(GUEST_RAM_SIZE / 4096)
#define SCTLR_MCI	((1 << 0) | (1 << 2) | (1 << 12))

/* A line of a64vcpu/<pid>-<fd>-<serial>/caches, or -1. */
static long cache_stat(struct test_vm *vm, const char *name)
{
	return vm_stat(vm, "caches", name);
}

/* The test program in pinned RAM: slot 0 set again with the flag. */
static struct test_vm *vm_create_pinned(void)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(setway));

	if (vm_set_slot(vm, 0, A64VCPU_MEM_PINNED, GUEST_RAM_GPA, GUEST_RAM_SIZE, vm->ram, 0))
		return NULL;
	return vm;
}

/* A vCPU running setway.S's second scenario: VM-register writes, a ucall. */
static struct test_vcpu *add_writer(struct test_vm *vm, uint64_t mpidr)
{
	struct test_vcpu *vcpu = vcpu_add(vm, mpidr);

	vcpu_set(vcpu, A64VCPU_REG_X(0), 1);
	return vcpu;
}

TEST(first_entry_then_new_slots)
{
	SKIP_UNLESS_DEBUGFS(return, "the cache maintenance counters");
	struct test_vm *vm = vm_create_pinned();
	struct test_vcpu *vcpu0 = add_writer(vm, 0), *vcpu1 = add_writer(vm, 1);
	long fwb = cache_stat(vm, "stage2_fwb");
	size_t size = 16 * 4096;
	void *mem;

	ASSERT_LE(0, fwb);
	TH_LOG("stage 2 %s write-back (FEAT_S2FWB)", fwb ? "forces" : "does not force");
	/* The slot is set, the program written: nothing done yet. */
	EXPECT_EQ(0, cache_stat(vm, "dcache_pages"));
	EXPECT_EQ(0, cache_stat(vm, "icache_inval"));

	EXPECT_EQ(0x1234, vcpu_ucall(vcpu0));
	EXPECT_EQ(fwb ? 0 : RAM_PAGES, cache_stat(vm, "dcache_pages"));
	EXPECT_EQ(1, cache_stat(vm, "icache_inval"));
	/* Once per VM, not per vCPU. */
	EXPECT_EQ(0x1234, vcpu_ucall(vcpu1));
	EXPECT_EQ(fwb ? 0 : RAM_PAGES, cache_stat(vm, "dcache_pages"));
	EXPECT_EQ(1, cache_stat(vm, "icache_inval"));
	/* No set/way operation: nothing trapped. */
	EXPECT_EQ(0, vcpu_stat(vm, 0, "vm_reg_trapped"));
	EXPECT_EQ(0, vcpu_stat(vm, 1, "vm_reg_trapped"));

	/* A slot set while the VM runs is cleaned when it is set. */
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0x5a, size);
	ASSERT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_PINNED, GUEST_RAM_GPA + 0x200000, size,
				 mem, 0));
	EXPECT_EQ(fwb ? 0 : RAM_PAGES + 16, cache_stat(vm, "dcache_pages"));
	EXPECT_EQ(2, cache_stat(vm, "icache_inval"));
	/* Deleting it cleans nothing. */
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, GUEST_RAM_GPA + 0x200000, 0, mem, 0));
	EXPECT_EQ(fwb ? 0 : RAM_PAGES + 16, cache_stat(vm, "dcache_pages"));
	EXPECT_EQ(2, cache_stat(vm, "icache_inval"));
	vcpu_destroy(vcpu0);
	vcpu_destroy(vcpu1);
	vm_destroy(vm);
	munmap(mem, size);
}

TEST(setway_and_tvm)
{
	SKIP_UNLESS_DEBUGFS(return, "the cache maintenance counters");
	struct test_vm *vm = vm_create_pinned();
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	long fwb = cache_stat(vm, "stage2_fwb");
	/* Expected counters without FWB; with it nothing traps or flushes. */
	long traps = 0, flushes = 0;
	uint64_t sctlr;

#define EXPECT_COUNTERS(setway) do {						\
	EXPECT_EQ(setway, vcpu_stat(vm, 0, "setway_ops"));			\
	EXPECT_EQ(fwb ? 0 : traps, vcpu_stat(vm, 0, "vm_reg_trapped"));		\
	EXPECT_EQ(fwb ? 0 : flushes, vcpu_stat(vm, 0, "cache_flush"));		\
	EXPECT_EQ(fwb ? 0 : (flushes + 1) * RAM_PAGES, cache_stat(vm, "dcache_pages")); \
} while (0)

	ASSERT_LE(0, fwb);
	ASSERT_EQ(1, vcpu_ucall(vcpu));		/* the reference values */
	EXPECT_COUNTERS(0);

	/* DC ISW, CSW, CISW, caches off: the first flushes, TVM on */
	flushes = 1;
	ASSERT_EQ(2, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(3);

	/* ten VM registers written (trapped) and read back as without TVM */
	traps = 10;
	ASSERT_EQ(3, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(3);

	/* SCTLR_EL1.{M,C,I} on: trapped, a toggle (flush), TVM off */
	traps = 11;
	flushes = 2;
	sctlr = vcpu_ucall(vcpu);
	EXPECT_EQ(SCTLR_MCI, sctlr & SCTLR_MCI);
	EXPECT_COUNTERS(3);

	/* CONTEXTIDR_EL1 written, not trapped */
	EXPECT_EQ(0x4321, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(3);

	/* DC CISW, caches on: a flush, TVM on */
	flushes = 3;
	ASSERT_EQ(6, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(4);

	/* caches off: trapped, a flush, TVM stays; CONTEXTIDR_EL1 trapped, read back */
	traps = 13;
	flushes = 4;
	EXPECT_EQ(0x2222, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(4);

	/* caches on: trapped, a flush, TVM off; CONTEXTIDR_EL1 not trapped */
	traps = 14;
	flushes = 5;
	EXPECT_EQ(0x3333, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(4);

	/* DC CISW, caches on (a flush): the next write, caches still on, ends TVM */
	traps = 15;
	flushes = 6;
	EXPECT_EQ(0x5555, vcpu_ucall(vcpu));
	EXPECT_COUNTERS(5);

	/* Never an exit to userspace but the ucalls. */
	EXPECT_EQ(9, vcpu_stat(vm, 0, "mmio"));
	EXPECT_EQ(0, vcpu_stat(vm, 0, "sysreg"));
	EXPECT_EQ(0, vcpu_stat(vm, 0, "undef_injected"));
#undef EXPECT_COUNTERS
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(other_vcpus_and_vms)
{
	SKIP_UNLESS_DEBUGFS(return, "the cache maintenance counters");
	struct test_vm *vm = vm_create_pinned(), *other_vm = vm_create_pinned();
	struct test_vcpu *vcpu = vcpu_add(vm, 0), *sibling = add_writer(vm, 1);
	struct test_vcpu *other = add_writer(other_vm, 0);
	long fwb = cache_stat(vm, "stage2_fwb");

	ASSERT_LE(0, fwb);
	ASSERT_EQ(1, vcpu_ucall(vcpu));
	ASSERT_EQ(2, vcpu_ucall(vcpu));		/* TVM on for vCPU 0 (without FWB) */
	EXPECT_EQ(0x1234, vcpu_ucall(sibling));
	EXPECT_EQ(0, vcpu_stat(vm, 1, "vm_reg_trapped"));
	EXPECT_EQ(0x1234, vcpu_ucall(other));
	EXPECT_EQ(0, vcpu_stat(other_vm, 0, "vm_reg_trapped"));
	EXPECT_EQ(0, vcpu_stat(other_vm, 0, "cache_flush"));
	EXPECT_EQ(fwb ? 0 : RAM_PAGES, cache_stat(other_vm, "dcache_pages"));
	ASSERT_EQ(3, vcpu_ucall(vcpu));		/* vCPU 0 still traps */
	EXPECT_EQ(fwb ? 0 : 10, vcpu_stat(vm, 0, "vm_reg_trapped"));
	vcpu_destroy(vcpu);
	vcpu_destroy(sibling);
	vcpu_destroy(other);
	vm_destroy(other_vm);
	vm_destroy(vm);
}

/*
 * On demand, nothing is mapped at the first entry: each page is cleaned
 * when a fault maps it (exactly the pages mapped, nothing being unmapped
 * meanwhile), and each page the guest executes from gets an I-cache
 * invalidation (its code: at least one, at most one per page mapped).
 */
TEST(on_demand_cleaned_when_mapped)
{
	SKIP_UNLESS_DEBUGFS(return, "the cache maintenance counters");
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(setway));
	struct test_vcpu *vcpu = add_writer(vm, 0);
	long fwb = cache_stat(vm, "stage2_fwb"), mapped, icache;

	ASSERT_LE(0, fwb);
	EXPECT_EQ(0x1234, vcpu_ucall(vcpu));
	mapped = vm_stat(vm, "memory", "mapped_pages") +
		 512 * vm_stat(vm, "memory", "mapped_blocks_2m");
	icache = cache_stat(vm, "icache_inval");
	TH_LOG("%ld pages mapped, %ld I-cache invalidations", mapped, icache);
	EXPECT_LT(0, mapped);
	EXPECT_EQ(0, vm_stat(vm, "memory", "invalidations"));
	EXPECT_EQ(fwb ? 0 : mapped, cache_stat(vm, "dcache_pages"));
	EXPECT_LE(2, icache);		/* the first entry's, and the code's */
	EXPECT_GE(1 + mapped, icache);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
