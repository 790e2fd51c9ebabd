// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC end to end on one vCPU: a self-SGI, an SPI raised by the test
 * while the guest waits in WFI, the virtual timer's PPI after its deadline
 * (guest/c/vgic_smoke.c).
 */
#include "kselftest_harness.h"
#include "vm.h"

TEST(sgi_spi_vtimer)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vgic_smoke));
	int gic = vgic_create(vm, 64);
	struct test_vcpu *vcpu;

	ASSERT_LE(0, gic);
	vcpu = vcpu_add(vm, 0);
	vgic_init(gic);

	EXPECT_EQ(3, vcpu_ucall(vcpu));		/* the SGI */
	EXPECT_EQ(1, vcpu_ucall(vcpu));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 40, 1));
	EXPECT_EQ(40, vcpu_ucall(vcpu));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 40, 0));
	EXPECT_EQ(27, vcpu_ucall(vcpu));	/* the virtual timer */
	EXPECT_EQ(2, vcpu_ucall(vcpu));
	ASSERT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
