// SPDX-License-Identifier: GPL-2.0-only
/*
 * A64VCPU_SET_IRQ_LINE: the guest takes a virtual IRQ and a virtual FIQ
 * when it unmasks them, and not before, and not after the line is lowered.
 */
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "vm.h"

static int set_line(struct test_vcpu *vcpu, uint32_t line, uint32_t level)
{
	struct a64vcpu_irq_line req = { .line = line, .level = level };

	return ioctl(vcpu->fd, A64VCPU_SET_IRQ_LINE, &req);
}

TEST(virtual_irq_and_fiq)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(irq));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);

	ASSERT_EQ(1, vcpu_ucall(vcpu));
	ASSERT_EQ(0, set_line(vcpu, A64VCPU_IRQ_LINE_IRQ, 1));
	EXPECT_EQ(0x11, vcpu_ucall(vcpu));	/* taken once unmasked */
	ASSERT_EQ(0, set_line(vcpu, A64VCPU_IRQ_LINE_IRQ, 0));
	EXPECT_EQ(2, vcpu_ucall(vcpu));		/* and not again */
	ASSERT_EQ(0, set_line(vcpu, A64VCPU_IRQ_LINE_FIQ, 1));
	EXPECT_EQ(0x22, vcpu_ucall(vcpu));
	ASSERT_EQ(0, set_line(vcpu, A64VCPU_IRQ_LINE_FIQ, 0));
	EXPECT_EQ(3, vcpu_ucall(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
