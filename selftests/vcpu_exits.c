// SPDX-License-Identifier: GPL-2.0-only
/*
 * A WFI waits in the kernel until an interrupt line rises (no HALT exit, no
 * busy loop: the vCPU's thread sleeps), WFE never exits, the physical timer
 * is emulated in the kernel, a trapped register the module does not know
 * is a SYSREG exit (read completed by the test, write carrying its value),
 * the guest's own virtual counter, and an instruction fetch outside memory
 * is a FAULT exit.  A guest that enters AArch32 EL0 is stopped.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

struct waker {
	struct test_vm *vm;
	pid_t tid;		/* the vCPU's thread */
	long ticks;		/* CPU time it used while waiting, clock ticks */
	long wall;		/* out of this many */
	int ret;
};

/*
 * Waits until the vCPU's thread sleeps, checks that it stays asleep (its
 * CPU time does not grow over half a second), then raises the IRQ line.
 */
static void *raise_irq_when_asleep(void *arg)
{
	struct waker *w = arg;
	struct a64vcpu_irq_level req = {
		.type = A64VCPU_IRQ_TYPE_CPU, .vcpu = 0, .irq = A64VCPU_IRQ_LINE_IRQ, .level = 1,
	};
	long t0 = 0, t1 = 0;

	while (thread_stat(w->tid, &t0) != 'S')
		usleep(1000);
	usleep(500000);
	thread_stat(w->tid, &t1);
	w->ticks = t1 - t0;
	w->wall = sysconf(_SC_CLK_TCK) / 2;
	w->ret = ioctl(w->vm->fd, A64VCPU_IRQ_LINE, &req);
	return NULL;
}

TEST(wfi_sysreg_fault)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(exits));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct a64vcpu_run *run = vcpu->run;
	struct waker w = { .vm = vm, .tid = gettid() };
	pthread_t thread;
	uint64_t cnt;

	ASSERT_EQ(1, vcpu_ucall(vcpu));
	ASSERT_EQ(0, pthread_create(&thread, NULL, raise_irq_when_asleep, &w));
	/* WFI: the next exit only comes once the other thread raised the line. */
	ASSERT_EQ(0, vcpu_run(vcpu));
	pthread_join(thread, NULL);
	ASSERT_EQ(0, w.ret);
	TH_LOG("WFI: the vCPU thread used %ld of %ld clock ticks asleep", w.ticks, w.wall);
	EXPECT_GT(w.wall / 2, w.ticks);		/* asleep, not polling */
	ASSERT_EQ(A64VCPU_EXIT_MMIO, run->exit_reason);
	EXPECT_EQ(0, run->mmio.data);		/* after 1000 WFEs, no exit */

	EXPECT_EQ(0xbeef, vcpu_ucall(vcpu));	/* CNTP_CVAL_EL0 kept */
	EXPECT_EQ(0, vcpu_ucall(vcpu));		/* CNTP_CTL_EL0: off */

	/* mrs x0, actlr_el1: op0 3, op1 0, CRn 1, CRm 0, op2 1 */
	ASSERT_EQ(A64VCPU_EXIT_SYSREG, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0, run->sysreg.is_write);
	EXPECT_EQ(3, run->sysreg.op0);
	EXPECT_EQ(0, run->sysreg.op1);
	EXPECT_EQ(1, run->sysreg.crn);
	EXPECT_EQ(0, run->sysreg.crm);
	EXPECT_EQ(1, run->sysreg.op2);
	run->sysreg.value = 0x5;
	EXPECT_EQ(0x5, vcpu_ucall(vcpu));

	/* msr actlr_el1, x5 */
	ASSERT_EQ(A64VCPU_EXIT_SYSREG, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(1, run->sysreg.is_write);
	EXPECT_EQ(1, run->sysreg.op2);
	EXPECT_EQ(0xcafe, run->sysreg.value);

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

/*
 * A guest that enters AArch32 EL0 (hidden from it, not run by a64vcpu):
 * INTERNAL_ERROR, then A64VCPU_RUN refuses the vCPU (EINVAL) until
 * userspace gives it an AArch64 PSTATE; an AArch32 PSTATE from userspace
 * is refused too.  Where the CPU has no AArch32 EL0 the guest's ERET is
 * an illegal exception return instead, and nothing is left to test.
 */
TEST(aarch32_el0_refused)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(aarch32_el0));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);

	/* The kernel refuses PER_LINUX32 without AArch32 EL0 on every CPU. */
	if (personality(PER_LINUX32) == -1)
		SKIP(goto out, "the CPUs have no AArch32 EL0");
	personality(PER_LINUX);
	ASSERT_EQ(A64VCPU_EXIT_INTERNAL_ERROR, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0x10, vcpu_get(vcpu, A64VCPU_REG_PSTATE) & 0x1f);
	EXPECT_EQ(-1, vcpu_run(vcpu));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_PSTATE, 0x10));
	vcpu_set(vcpu, A64VCPU_REG_PSTATE, 0x3c5);	/* EL1h again: runs */
	vcpu_set(vcpu, A64VCPU_REG_PC, GUEST_RAM_GPA);
	ASSERT_EQ(A64VCPU_EXIT_INTERNAL_ERROR, vcpu_run_to_exit(vcpu));
out:
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
