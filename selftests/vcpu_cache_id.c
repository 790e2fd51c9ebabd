// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cache geometry a guest reads (kmod/cache_id.c).  QEMU's CPUs agree
 * on CTR_EL0, so the registers are not trapped unless the module parameter
 * trap_cache_id asks for it; trapped (HCR_EL2.TID2), a guest must read what
 * it reads untrapped: CLIDR_EL1, the CCSIDR_EL1 of the caches CSSELR_EL1
 * selects, CSSELR_EL1 as written; and CTR_EL0 the kernel's system-wide
 * value (what this process reads), which is the CPU's with IDC set where
 * CLIDR_EL1 makes the clean to the PoU unnecessary (LoC 0, or LoUU and LoUIS
 * 0: the kernel's "effective" CTR, as KVM's guests see it; QEMU's -cpu max
 * is such a CPU).  The vCPU's
 * cache_id_trapped counter shows which way it went.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm.h"

#define PARAM		"/sys/module/a64vcpu/parameters/trap_cache_id"
#define NR_VALUES	5	/* x1..x5 of guest/cacheid.S */
/* Trapped: CTR, CLIDR, two CSSELR writes, two CCSIDR reads, a CSSELR read. */
#define NR_TRAPS	7

static int set_trap(bool on)
{
	int fd = open(PARAM, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, on ? "Y" : "N", 1) == 1 ? 0 : -1;
	close(fd);
	return ret;
}

#define CTR_IDC		(1ULL << 28)

/* CTR_EL0 as the kernel reports it system-wide: IDC where CLIDR_EL1 implies it. */
static uint64_t effective_ctr(uint64_t ctr, uint64_t clidr)
{
	unsigned int louis = (clidr >> 21) & 7, loc = (clidr >> 24) & 7, louu = (clidr >> 27) & 7;

	return ctr | (loc == 0 || (louis == 0 && louu == 0) ? CTR_IDC : 0);
}

/* The guest's readings in @v, the vCPU's trapped count returned. */
static long run_cacheid(struct __test_metadata *_metadata, bool trap, uint64_t *v)
{
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	long trapped;
	int i;

	ASSERT_EQ(0, set_trap(trap));
	vm = vm_create_with_program(GUEST_PROGRAM(cacheid));
	vcpu = vcpu_add(vm, 0);
	EXPECT_EQ(1, vcpu_ucall(vcpu));
	for (i = 0; i < NR_VALUES; i++)
		v[i] = vcpu_get(vcpu, A64VCPU_REG_X(i + 1));
	trapped = vcpu_stat(vm, 0, "cache_id_trapped");
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	return trapped;
}

FIXTURE(cache_id) {
	int unused;
};

FIXTURE_SETUP(cache_id)
{
}

FIXTURE_TEARDOWN(cache_id)
{
	set_trap(false);
}

TEST_F(cache_id, trapped_reads_as_untrapped)
{
	uint64_t plain[NR_VALUES], trapped[NR_VALUES], ctr;
	int i;

	/* (In the body: a skip in the set-up would not stop it.) */
	if (access(PARAM, W_OK))
		SKIP(return, "no writable %s (uid %d)", PARAM, (int)geteuid());
	SKIP_UNLESS_DEBUGFS(return, "the trapped-read counter");
	asm volatile("mrs %0, ctr_el0" : "=r" (ctr));
	EXPECT_EQ(0, run_cacheid(_metadata, false, plain));
	EXPECT_EQ(NR_TRAPS, run_cacheid(_metadata, true, trapped));
	/*
	 * This process reads the system-wide value (the kernel emulates EL0
	 * reads where it differs from the CPU's); so does a trapped guest.  An
	 * untrapped one reads the CPU's own, IDC perhaps not set.
	 */
	EXPECT_EQ(ctr, trapped[0]);
	EXPECT_EQ(ctr, effective_ctr(plain[0], plain[1]));
	EXPECT_EQ(1, trapped[4]);		/* CSSELR_EL1 as last written */
	for (i = 1; i < NR_VALUES; i++) {
		TH_LOG("x%d: untrapped %#llx, trapped %#llx", i + 1,
		       (unsigned long long)plain[i], (unsigned long long)trapped[i]);
		EXPECT_EQ(plain[i], trapped[i]);
	}
	/*
	 * CSSELR_EL1's choice reached the trapped CCSIDR_EL1 reads: QEMU's
	 * level-1 data and instruction caches differ in geometry.
	 */
	EXPECT_NE(trapped[2], trapped[3]);
}

TEST_HARNESS_MAIN
