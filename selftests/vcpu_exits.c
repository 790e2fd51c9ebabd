// SPDX-License-Identifier: GPL-2.0-only
/*
 * A WFI waits in the kernel until an interrupt line rises (no HALT exit, no
 * busy loop: the vCPU's thread sleeps), WFE never exits, the physical timer
 * is emulated in the kernel, a trapped register the module does not know
 * is a SYSREG exit (read completed by the test, write carrying its value;
 * answered "undefined", an UNDEFINED exception in the guest), the guest's
 * own virtual counter, and an instruction fetch outside memory is a prefetch abort in the
 * guest.  Exceptions injected by A64VCPU_INJECT.  A guest that enters
 * AArch32 EL0 is stopped.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
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
	uint64_t cnt, mrs_pc;

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

	/* mrs x0, actlr_el1 again, answered "undefined": UNDEFINED at the MRS */
	ASSERT_EQ(A64VCPU_EXIT_SYSREG, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(0, run->sysreg.undefined);
	mrs_pc = vcpu_get(vcpu, A64VCPU_REG_PC) - 4;
	run->sysreg.undefined = 1;
	EXPECT_EQ(1ULL << 25, vcpu_ucall(vcpu));	/* ESR_EL1: EC 0, IL */
	vcpu_ucall(vcpu);				/* FAR_EL1: UNKNOWN */
	EXPECT_EQ(mrs_pc, vcpu_ucall(vcpu));		/* ELR_EL1 */

	/* CNTVCT: CNTPCT minus the VM's offset, so it starts near zero. */
	cnt = vcpu_ucall(vcpu);
	EXPECT_LT(0, cnt);
	EXPECT_GT(1ULL << 40, cnt);

	/* A fetch outside memory: a prefetch abort (external) in the guest. */
	EXPECT_EQ(0x21ULL << 26 | 1 << 25 | 0x10, vcpu_ucall(vcpu));
	EXPECT_EQ(0x50000000, vcpu_ucall(vcpu));	/* FAR_EL1 */
	EXPECT_EQ(0x50000000, vcpu_ucall(vcpu));	/* ELR_EL1 */
	STAT_CHECK(EXPECT_EQ(1, vcpu_stat(vm, 0, "abort_injected")));

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static int inject_one(struct test_vcpu *vcpu, uint32_t type, uint64_t addr)
{
	struct a64vcpu_inject inj = { .type = type, .addr = addr };

	return ioctl(vcpu->fd, A64VCPU_INJECT, &inj);
}

/*
 * A64VCPU_INJECT: UNDEF and DABT taken at the instruction of the MMIO exit
 * being answered (its completion dropped), an SError pending until the
 * guest unmasks PSTATE.A; malformed requests refused.
 */
TEST(vmm_injects)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(inject));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct a64vcpu_inject bad[] = {
		{ .type = 3 },
		{ .type = A64VCPU_INJECT_UNDEF, .flags = 1 },
		{ .type = A64VCPU_INJECT_UNDEF, .addr = 0x1000 },
		{ .type = A64VCPU_INJECT_SERROR, .esr = 1 },
		{ .type = A64VCPU_INJECT_DABT, .reserved = { 0, 1 } },
	};
	uint64_t pc;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_INJECT, &bad[i])) TH_LOG("case %u", i);
		EXPECT_EQ(EINVAL, errno);
	}

	EXPECT_EQ(1, vcpu_ucall(vcpu));
	pc = vcpu_get(vcpu, A64VCPU_REG_PC) - 4;		/* the ucall's STR */
	ASSERT_EQ(0, inject_one(vcpu, A64VCPU_INJECT_UNDEF, 0));
	EXPECT_EQ(1ULL << 25, vcpu_ucall(vcpu));		/* ESR_EL1: EC 0, IL */
	vcpu_ucall(vcpu);
	EXPECT_EQ(pc, vcpu_ucall(vcpu));			/* ELR_EL1 */

	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));	/* ldr x2, [x1] */
	EXPECT_FALSE(vcpu->run->mmio.is_write);
	EXPECT_EQ(0x0a002000, vcpu->run->mmio.phys_addr);
	pc = vcpu_get(vcpu, A64VCPU_REG_PC) - 4;
	ASSERT_EQ(0, inject_one(vcpu, A64VCPU_INJECT_DABT, 0x0a002000));
	EXPECT_EQ(0x25ULL << 26 | 1 << 25 | 0x10, vcpu_ucall(vcpu));	/* DABT_CUR, ext */
	EXPECT_EQ(0x0a002000, vcpu_ucall(vcpu));		/* FAR_EL1 */
	EXPECT_EQ(pc, vcpu_ucall(vcpu));			/* ELR_EL1 */

	EXPECT_EQ(2, vcpu_ucall(vcpu));
	pc = vcpu_get(vcpu, A64VCPU_REG_PC);			/* the MSR DAIFCLR */
	ASSERT_EQ(0, inject_one(vcpu, A64VCPU_INJECT_SERROR, 0));
	EXPECT_EQ(0x2f, vcpu_ucall(vcpu) >> 26);		/* ESR_EL1: SError */
	EXPECT_EQ(pc + 4, vcpu_ucall(vcpu));			/* ELR_EL1: after it */
	EXPECT_EQ(3, vcpu_ucall(vcpu));				/* taken once only */
	STAT_CHECK(EXPECT_EQ(1, vcpu_stat(vm, 0, "abort_injected")));
	STAT_CHECK(EXPECT_EQ(1, vcpu_stat(vm, 0, "undef_injected")));
	STAT_CHECK(EXPECT_EQ(0, vcpu_stat(vm, 0, "serror_guest")));	/* none found at exits */
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/*
 * On a CPU with RAS, what a guest writes to DISR_EL1 (VDISR_EL2 while
 * HCR_EL2.AMO is set) is its own: another VM on the same CPU reads its own
 * (0), and the first one its value again after that.
 */
TEST(disr_per_vcpu)
{
	SKIP_UNLESS_DEBUGFS(return, "DISR_EL1 as EL2 saw it (debugfs ping)");
	const uint64_t val = 0x80000011;	/* A, DFSC: asynchronous SError */
	struct test_vm *vm[2];
	struct test_vcpu *vcpu[2];
	struct el2_ping p;

	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(0, el2_ping(&p));
	ASSERT_LE(0, p.switched_ras);
	if (!p.switched_ras)
		SKIP(return, "the CPU has no RAS: no DISR_EL1");
	vm[0] = vm_create_with_program(GUEST_PROGRAM(disr));
	vm[1] = vm_create_with_program(GUEST_PROGRAM(disr));
	vcpu[0] = vcpu_add(vm[0], 0);
	vcpu[1] = vcpu_add(vm[1], 0);
	vcpu_set(vcpu[0], A64VCPU_REG_X(0), val);
	EXPECT_EQ(0, vcpu_ucall(vcpu[0]));
	EXPECT_EQ(val, vcpu_ucall(vcpu[0]));
	EXPECT_EQ(0, vcpu_ucall(vcpu[1]));		/* not the other VM's */
	EXPECT_EQ(0, vcpu_ucall(vcpu[1]));
	EXPECT_EQ(val, vcpu_ucall(vcpu[0]));		/* its own, still */
	vcpu_destroy(vcpu[0]);
	vcpu_destroy(vcpu[1]);
	vm_destroy(vm[0]);
	vm_destroy(vm[1]);
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
