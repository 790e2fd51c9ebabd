// SPDX-License-Identifier: GPL-2.0-only
/*
 * More pending interrupts than list registers (QEMU's CPU has 4): all of
 * them are delivered, each once, most urgent first (guest/c/vgic_lr_overflow.c
 * asserts the order and the counts; here the test checks the total).
 * - 12 SPIs pended with one GICD_ISPENDR write plus the 16 SGIs;
 * - 12 and 60 edge SPIs raised by the test while the guest masks IRQs;
 * - 12 level SPIs, each lowered by the test when its handler asks;
 * - 20 SPIs of one priority.
 */
#include "kselftest_harness.h"
#include "vm.h"

#define GUEST_PENDING	0
#define HOST_EDGE	1
#define HOST_LEVEL	2
#define SAME_PRIORITY	3

static void run_overflow(struct __test_metadata *_metadata, int scenario, unsigned int nr_spis,
			 unsigned int want)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_lr_overflow), 1, 128, &vcpu);
	unsigned int i, lowered = 0;
	uint64_t val;

	vcpu->args[0] = scenario;
	vcpu->args[1] = nr_spis;
	if (scenario != GUEST_PENDING) {
		ASSERT_EQ(1, vcpu_ucall(vcpu));
		for (i = 32; i < 32 + nr_spis; i++) {
			ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, i, 1));
			if (scenario != HOST_LEVEL)
				ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, i, 0));
		}
	}
	while ((val = vcpu_ucall(vcpu)) >= 0x100) {
		ASSERT_EQ(HOST_LEVEL, scenario);
		ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, val - 0x100, 0));
		lowered++;
	}
	EXPECT_EQ(want, val);		/* interrupts taken */
	if (scenario == HOST_LEVEL)
		EXPECT_EQ(nr_spis, lowered);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(guest_pending_12_spis_16_sgis)
{
	run_overflow(_metadata, GUEST_PENDING, 12, 28);
}

TEST(host_edge_12)
{
	run_overflow(_metadata, HOST_EDGE, 12, 12);
}

TEST(host_edge_60)
{
	run_overflow(_metadata, HOST_EDGE, 60, 60);
}

TEST(host_level_12)
{
	run_overflow(_metadata, HOST_LEVEL, 12, 12);
}

TEST(same_priority_20)
{
	run_overflow(_metadata, SAME_PRIORITY, 20, 20);
}

TEST_HARNESS_MAIN
