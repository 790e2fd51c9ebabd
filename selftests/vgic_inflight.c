// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts a running vCPU holds in its list registers, changed by another
 * vCPU through the distributor: the change stands (guest/c/vgic_inflight.c).
 * Before the fix, vCPU 1's next exit brought back the active and pending
 * state its list registers had.  And a load pair across the edge of the
 * vGIC's frames is refused, not half made up.
 */
#include "kselftest_harness.h"
#include "vcpu_thread.h"

TEST(distributor_write_overrules_list_registers)
{
	struct test_vcpu *vcpus[2];
	struct vcpu_thread t[2] = {};
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_inflight), 2, 64, vcpus);
	unsigned int i;

	for (i = 0; i < 2; i++) {
		vcpus[i]->args[0] = 0;
		t[i].vcpu = vcpus[i];
		vcpu_thread_start(&t[i]);
	}
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t[1]));
	EXPECT_EQ(1, t[1].nr_ucalls);
	for (i = 0; i < 2; i++)
		vcpu_destroy(vcpus[i]);
	vm_destroy(vm);
}

TEST(pair_across_frame_edge_refused)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_inflight), 1, 64, &vcpu);

	vcpu->args[0] = 1;
	ASSERT_EQ(A64VCPU_EXIT_UNHANDLED_ABORT, vcpu_run_guest(vcpu));
	EXPECT_EQ(0x08010000 - 4, vcpu->run->fault.ipa);
	EXPECT_FALSE(vcpu->run->fault.is_write);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
