// SPDX-License-Identifier: GPL-2.0-only
/*
 * HVC and SMC: SMCCC and PSCI queries answered at EL2 without an exit,
 * unknown calls as HYPERCALL exits with their arguments and the VMM's
 * results, PSCI CPU_ON (64- and 32-bit), CPU_OFF, SYSTEM_RESET and SYSTEM_OFF
 * as exits; an exit after a hypercall keeps none of its bytes.
 */
#include "kselftest_harness.h"
#include "vm.h"

#define SMCCC_VERSION_1_1	0x10001
#define PSCI_VERSION_1_1	0x10001
#define NOT_SUPPORTED		0xffffffffffffffffULL

TEST(hypercalls)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(hypercalls));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct a64vcpu_run *run = vcpu->run;
	int i;

	EXPECT_EQ(SMCCC_VERSION_1_1, vcpu_ucall(vcpu));
	EXPECT_EQ(PSCI_VERSION_1_1, vcpu_ucall(vcpu));
	EXPECT_EQ(0, vcpu_ucall(vcpu));			/* CPU_ON_64 exists */
	EXPECT_EQ(NOT_SUPPORTED, vcpu_ucall(vcpu));	/* MIGRATE does not */

	ASSERT_EQ(A64VCPU_EXIT_HYPERCALL, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0xc2000042, run->hypercall.function_id);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(i + 1, run->hypercall.args[i]);
	EXPECT_EQ(A64VCPU_HCALL_HVC, run->hypercall.conduit);
	EXPECT_EQ(0, run->hypercall.imm);
	EXPECT_EQ(NOT_SUPPORTED, run->hypercall.ret[0]);	/* the default */
	run->hypercall.ret[0] = 0x100;
	run->hypercall.ret[1] = 0x101;
	run->hypercall.ret[2] = 0x102;
	run->hypercall.ret[3] = 0x103;
	EXPECT_EQ(0x100, vcpu_ucall(vcpu));
	/*
	 * That ucall is an MMIO exit: its padding and the union's bytes past
	 * it are zero, not the hypercall's arguments and answers before it.
	 */
	EXPECT_EQ(A64VCPU_EXIT_MMIO, run->exit_reason);
	EXPECT_TRUE(all_zero(run->mmio.pad, sizeof(run->mmio.pad)));
	EXPECT_TRUE(all_zero(run->padding + sizeof(run->mmio),
			     sizeof(run->padding) - sizeof(run->mmio)));
	EXPECT_EQ(0x101, vcpu_ucall(vcpu));
	EXPECT_EQ(0x102, vcpu_ucall(vcpu));
	EXPECT_EQ(0x103, vcpu_ucall(vcpu));

	EXPECT_EQ(SMCCC_VERSION_1_1, vcpu_ucall(vcpu));	/* through SMC */

	ASSERT_EQ(A64VCPU_EXIT_HYPERCALL, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0x42, run->hypercall.function_id);
	EXPECT_EQ(A64VCPU_HCALL_SMC, run->hypercall.conduit);
	run->hypercall.ret[0] = 7;
	EXPECT_EQ(7, vcpu_ucall(vcpu));

	ASSERT_EQ(A64VCPU_EXIT_HYPERCALL, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0x80000000, run->hypercall.function_id);
	EXPECT_EQ(5, run->hypercall.imm);
	run->hypercall.ret[0] = 9;
	EXPECT_EQ(9, vcpu_ucall(vcpu));

	ASSERT_EQ(A64VCPU_EXIT_CPU_ON, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(1, run->cpu_on.target_mpidr);
	EXPECT_EQ(0x40000100, run->cpu_on.entry);
	EXPECT_EQ(0x77, run->cpu_on.context_id);
	EXPECT_EQ(0, vcpu_ucall(vcpu));			/* PSCI SUCCESS */

	/* The 32-bit CPU_ON: the upper halves of x1-x3 are not arguments. */
	ASSERT_EQ(A64VCPU_EXIT_CPU_ON, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(1, run->cpu_on.target_mpidr);
	EXPECT_EQ(0x40000100, run->cpu_on.entry);
	EXPECT_EQ(0x77, run->cpu_on.context_id);
	EXPECT_EQ(0, vcpu_ucall(vcpu));

	ASSERT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_run_to_exit(vcpu));
	ASSERT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(A64VCPU_SYSTEM_RESET, run->system_event.type);
	ASSERT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(A64VCPU_SYSTEM_OFF, run->system_event.type);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
