// SPDX-License-Identifier: GPL-2.0-only
/*
 * WFI and WFE as HALT exits, trapped physical-timer registers as SYSREG
 * exits (read completed by the test, write carrying its value), the
 * guest's own virtual counter, and an instruction fetch outside memory as
 * a FAULT exit.
 */
#include "kselftest_harness.h"
#include "vm.h"

TEST(halt_sysreg_fault)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(exits));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct a64vcpu_run *run = vcpu->run;
	unsigned int wfi = 0, wfe = 0;
	uint64_t cnt;

	/*
	 * WFI and WFE trap (HCR_EL2.TWI/TWE) only when they would wait: the
	 * architecture lets them complete at once instead.  Count the halts
	 * of 1000 WFIs and 1000 WFEs.
	 */
	for (;;) {
		ASSERT_EQ(0, vcpu_run(vcpu));
		if (run->exit_reason != A64VCPU_EXIT_HALT)
			break;
		if (run->halt.is_wfe)
			wfe++;
		else
			wfi++;
		EXPECT_EQ(0, wfe && !run->halt.is_wfe);	/* in program order */
	}
	ASSERT_EQ(A64VCPU_EXIT_MMIO, run->exit_reason);
	EXPECT_EQ(0, run->mmio.data);
	TH_LOG("1000 WFI: %u halt exits, 1000 WFE: %u halt exits", wfi, wfe);
	EXPECT_LE(1, wfi);

	/* mrs x0, cntp_ctl_el0: op0 3, op1 3, CRn 14, CRm 2, op2 1 */
	ASSERT_EQ(A64VCPU_EXIT_SYSREG, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0, run->sysreg.is_write);
	EXPECT_EQ(3, run->sysreg.op0);
	EXPECT_EQ(3, run->sysreg.op1);
	EXPECT_EQ(14, run->sysreg.crn);
	EXPECT_EQ(2, run->sysreg.crm);
	EXPECT_EQ(1, run->sysreg.op2);
	run->sysreg.value = 0x5;
	EXPECT_EQ(0x5, vcpu_ucall(vcpu));

	/* msr cntp_cval_el0, x5: op2 2 */
	ASSERT_EQ(A64VCPU_EXIT_SYSREG, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(1, run->sysreg.is_write);
	EXPECT_EQ(2, run->sysreg.crm);
	EXPECT_EQ(2, run->sysreg.op2);
	EXPECT_EQ(0xbeef, run->sysreg.value);

	/* CNTVCT: CNTPCT minus the VM's offset, so it starts near zero. */
	cnt = vcpu_ucall(vcpu);
	EXPECT_LT(0, cnt);
	EXPECT_GT(1ULL << 40, cnt);

	ASSERT_EQ(A64VCPU_EXIT_FAULT, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0x50000000, run->fault.ipa);
	EXPECT_TRUE(run->fault.is_exec);
	EXPECT_EQ(0x20, run->fault.esr >> 26);
	EXPECT_EQ(0x50000000, vcpu_get(vcpu, A64VCPU_REG_PC));

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
