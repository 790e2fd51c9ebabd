// SPDX-License-Identifier: GPL-2.0-only
/*
 * SGIs between vCPUs, each vCPU on its own thread (guest/c/vgic_sgi.c):
 * by target list (self included), by IRM ("all but self"), to affinities
 * no vCPU has (delivered nowhere), and ICC_SGI0R_EL1 (group 0 only, as a
 * FIQ).  Each vCPU reports the SGIs it took; the guest also asserts that
 * none was taken twice and that none is left pending where it must not be.
 */
#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define TARGET_LIST	0
#define IRM		1
#define ABSENT		2
#define GROUP0		3
#define FIQ(sgi)	(1U << (16 + (sgi)))

/* Runs scenario @scenario on @nr vCPUs; @want[i]: the SGIs vCPU i must take. */
static void run_sgis(struct __test_metadata *_metadata, int scenario, unsigned int nr,
		     const uint32_t *want)
{
	struct test_vcpu *vcpus[4];
	struct vcpu_thread t[4] = {};
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_sgi), nr, 0, vcpus);
	unsigned int i;

	for (i = 0; i < nr; i++) {
		vcpus[i]->args[0] = scenario;
		vcpus[i]->args[1] = nr;
		t[i].vcpu = vcpus[i];
		vcpu_thread_start(&t[i]);
	}
	for (i = 0; i < nr; i++) {
		uint32_t reason = vcpu_thread_join(&t[i]);

		EXPECT_EQ(i ? A64VCPU_EXIT_CPU_OFF : A64VCPU_EXIT_SYSTEM_EVENT, reason)
			TH_LOG("vCPU %u stopped with %s", i, exit_name(reason));
		ASSERT_EQ(1, t[i].nr_ucalls);
		EXPECT_EQ(want[i], t[i].ucalls[0])
			TH_LOG("vCPU %u took SGIs %#llx", i, (unsigned long long)t[i].ucalls[0]);
	}
	for (i = 0; i < nr; i++)
		vcpu_destroy(vcpus[i]);
	vm_destroy(vm);
}

/* 0 -> 1, 1 -> 0, then one target list naming both (the sender too). */
TEST(target_list)
{
	static const uint32_t want[] = { 1 << 2 | 1 << 3, 1 << 1 | 1 << 3 };

	run_sgis(_metadata, TARGET_LIST, 2, want);
}

/* vCPU 0, then vCPU 2, to all but self, on three vCPUs. */
TEST(irm_all_but_self)
{
	static const uint32_t want[] = { 1 << 5, 1 << 4 | 1 << 5, 1 << 4 };

	run_sgis(_metadata, IRM, 3, want);
}

/* Aff0 2..31, Aff1/2/3 = 1, an empty list: nobody; then SGI 7 to vCPU 1. */
TEST(absent_affinity)
{
	static const uint32_t want[] = { 0, 1 << 7 };

	run_sgis(_metadata, ABSENT, 2, want);
}

/* SGI0R: SGI 8 (group 0 at vCPU 1) as a FIQ, not SGI 9 (group 1). */
TEST(sgi0r_group0)
{
	static const uint32_t want[] = { 0, FIQ(8) | 1 << 10 };

	run_sgis(_metadata, GROUP0, 2, want);
}

TEST_HARNESS_MAIN
