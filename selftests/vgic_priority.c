// SPDX-License-Identifier: GPL-2.0-only
/*
 * Priorities, masking and the active state on one vCPU
 * (guest/c/vgic_priority.c, which asserts each step):
 * - order: of four pending interrupts the most urgent is acknowledged
 *   first, and so on;
 * - preemption: a more urgent interrupt preempts a handler, a less urgent
 *   one waits for its EOI (ICC_RPR_EL1 follows);
 * - masking by ICC_PMR_EL1, by GICD_ICENABLER and GICR_ICENABLER0, by
 *   GICD_CTLR's group enables and ICC_IGRPEN1_EL1; group 0 is a FIQ;
 * - EOImode 0: a second instance of an active SGI is taken after the EOI;
 *   EOImode 1: ICC_EOIR1_EL1 only drops the priority, the second instance
 *   waits for ICC_DIR_EL1; a level SPI that is still high fires again after
 *   each deactivation, in both modes.
 */
#include "kselftest_harness.h"
#include "vm.h"

#define ORDER		0
#define PREEMPT		1
#define PMR		2
#define ENABLE		3
#define GROUPS		4
#define EOIMODE0	5
#define EOIMODE1	6

#define SPI_LEVEL	43

static void run_scenario(struct __test_metadata *_metadata, int scenario)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_priority), 1, 64, &vcpu);

	vcpu->args[0] = scenario;
	if (scenario == EOIMODE0 || scenario == EOIMODE1) {
		ASSERT_EQ(50, vcpu_ucall(vcpu));
		ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_LEVEL, 1));
		ASSERT_EQ(52, vcpu_ucall(vcpu));	/* taken twice */
		ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_LEVEL, 0));
	}
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(order)
{
	run_scenario(_metadata, ORDER);
}

TEST(preemption)
{
	run_scenario(_metadata, PREEMPT);
}

TEST(pmr_mask)
{
	run_scenario(_metadata, PMR);
}

TEST(enable_mask)
{
	run_scenario(_metadata, ENABLE);
}

TEST(group_enables)
{
	run_scenario(_metadata, GROUPS);
}

TEST(eoimode0)
{
	run_scenario(_metadata, EOIMODE0);
}

TEST(eoimode1)
{
	run_scenario(_metadata, EOIMODE1);
}

TEST_HARNESS_MAIN
