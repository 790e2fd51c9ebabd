// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's own debug hardware (selftests/vcpu_debug.c): a breakpoint, a
 * watchpoint, single step, the OS lock, two vCPUs with breakpoints of their
 * own, and the host's breakpoints, which must never fire in here.  The
 * scenario is guest_arg(0).  Debug exceptions come to sync_handler(), which
 * records them and disarms what fired, so that the access is retried and
 * completes.
 */
#include "test.h"

#define BREAKPOINT	0
#define WATCHPOINT	1
#define STEP		2
#define OS_LOCK		3
#define TWO_VCPUS	4
#define HOST		5

/* ESR_EL1.EC (ARM ARM D17.2.37) */
#define EC_SVC64	0x15
#define EC_BKPT_LOW	0x30	/* breakpoint, from a lower EL */
#define EC_BKPT_CUR	0x31	/* breakpoint, from EL1 itself */
#define EC_SSTEP_CUR	0x33	/* software step, EL1 */
#define EC_WATCH_CUR	0x35	/* watchpoint, EL1 */
#define ESR_WNR		(1UL << 6)

#define MDSCR_SS	(1UL << 0)
#define MDSCR_KDE	(1UL << 13)
#define MDSCR_MDE	(1UL << 15)

/* DBGBCR: enabled, all four bytes (BAS), at EL1 only (PMC 0b01) */
#define BCR_EL1		((0xfUL << 5) | (1UL << 1) | 1)
/* DBGWCR: enabled, eight bytes (BAS), stores (LSC 0b10), at EL1 only (PAC 0b01) */
#define WCR_EL1_STORE	((0xffUL << 5) | (2UL << 3) | (1UL << 1) | 1)

/* What each vCPU's sync_handler() saw: exceptions, debug ones by kind, the last one. */
struct record {
	u32 sync, bkpt, watch, step;
	u64 esr, elr, far;
};

static struct record records[GUEST_NR_CPUS];

static struct record *me(void)
{
	return &records[this_cpu()];
}

u64 sync_handler(u64 esr, u64 elr, u64 far)
{
	struct record *r = me();

	r->sync++;
	r->esr = esr;
	r->elr = elr;
	r->far = far;
	switch (ESR_EC(esr)) {
	case EC_BKPT_CUR:		/* disarm, run the instruction */
		r->bkpt++;
		write_sysreg_s(0, "dbgbcr0_el1");
		isb();
		return elr;
	case EC_WATCH_CUR:		/* disarm, retry the access */
		r->watch++;
		write_sysreg_s(0, "dbgwcr0_el1");
		isb();
		return elr;
	case EC_SSTEP_CUR:		/* one step is all we asked for */
		r->step++;
		write_sysreg_s(read_sysreg_s("mdscr_el1") & ~MDSCR_SS, "mdscr_el1");
		isb();
		return elr;
	}
	return elr + 4;
}

/*
 * Targets: neither inlined nor cloned (noipa), so that every call runs the
 * instructions at their address.
 */
__attribute((noipa)) u64 target0(u64 x)
{
	asm volatile("" : "+r" (x));
	return x + 1;
}

__attribute((noipa)) u64 target1(u64 x)
{
	asm volatile("" : "+r" (x));
	return x + 2;
}

static u64 watched[2] __attribute((aligned(16)));

/* The address of an assembly label below. */
#define LABEL(sym) ({							\
	u64 __a;							\
	asm("adr %0, " #sym : "=r" (__a));				\
	__a;								\
})

/*
 * Single-step targets: one instruction, then ret.  step_mrs is trapped
 * (TID3) and answered by the module, step_hvc answered at EL2, step_smc
 * trapped (TSC) and answered at EL2, step_mmio an MMIO exit to the test.
 * el0_store runs at EL0: stores x1 at x0, then back to EL1.  el0_vectors,
 * while run_el0() runs: the ESR in x0, back to it.
 */
asm(".pushsection .text\n"
	"step_add:\n"
	"	add	x0, x0, #1\n"
	"	ret\n"
	"step_mrs:\n"
	"	mrs	x0, S3_0_C0_C7_0\n"
	"	ret\n"
	"step_hvc:\n"
	"	hvc	#0\n"
	"	ret\n"
	"step_smc:\n"
	"	smc	#0\n"
	"	ret\n"
	"step_mmio:\n"
	"	str	x1, [x2]\n"
	"	ret\n"
	"el0_store:\n"
	"	str	x1, [x0]\n"
	"	svc	#0\n"
	"	.balign	0x800\n"
	"el0_vectors:\n"
	"	.rept	16\n"
	"	.balign	0x80\n"
	"	mrs	x0, esr_el1\n"
	"	ret\n"
	"	.endr\n"
	".popsection\n");

/*
 * Erets to @fn with x0-x2 = @a, @b, @c, SPSR.SS set and debug exceptions
 * unmasked (EL1h, A I F masked): with MDSCR_EL1.SS and KDE set, one
 * instruction of @fn runs, then a software step exception; @fn's ret comes
 * back here.  Returns x0.
 */
static u64 step_one(u64 fn, u64 a, u64 b, u64 c)
{
	register u64 x0 asm("x0") = a;
	register u64 x1 asm("x1") = b;
	register u64 x2 asm("x2") = c;

	asm volatile("msr	elr_el1, %[fn]\n"
		     "mov	x9, #0x1c5\n"			/* EL1h, A I F */
		     "orr	x9, x9, #(1 << 21)\n"		/* SS */
		     "msr	spsr_el1, x9\n"
		     "adr	x30, 1f\n"
		     "eret\n"
		     "1:"
		     : "+r" (x0), "+r" (x1), "+r" (x2)
		     : [fn] "r" (fn)
		     : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "x30", "memory");
	return x0;
}

/*
 * Runs @pc at EL0 with x0 = @a, x1 = @b and SP_EL0 = @sp, until its first
 * exception (taken to el0_vectors, in place meanwhile); returns its ESR.
 */
static u64 run_el0(u64 pc, u64 a, u64 b, u64 sp)
{
	register u64 x0 asm("x0") = a;
	register u64 x1 asm("x1") = b;

	asm volatile("mrs	x9, vbar_el1\n"
		     "adr	x10, el0_vectors\n"
		     "msr	vbar_el1, x10\n"
		     "msr	sp_el0, %[sp]\n"
		     "msr	elr_el1, %[pc]\n"
		     "mov	x10, #0x3c0\n"			/* EL0t, D A I F */
		     "msr	spsr_el1, x10\n"
		     "adr	x30, 1f\n"
		     "isb\n"
		     "eret\n"
		     "1:	msr	vbar_el1, x9\n"
		     "isb"
		     : "+r" (x0), "+r" (x1)
		     : [pc] "r" (pc), [sp] "r" (sp)
		     : "x9", "x10", "x30", "memory");
	return x0;
}

static u64 el0_stack[64] __attribute((aligned(16)));

static void debug_on(u64 mdscr)
{
	write_sysreg_s(mdscr, "mdscr_el1");
	isb();
	asm volatile("msr daifclr, #8" : : : "memory");	/* PSTATE.D = 0 */
}

/* (1) A breakpoint on target0: an exception at its first instruction, again after exits. */
static void breakpoint(void)
{
	u32 i;

	write_sysreg_s((u64)target0, "dbgbvr0_el1");
	write_sysreg_s(BCR_EL1, "dbgbcr0_el1");
	debug_on(MDSCR_KDE | MDSCR_MDE);
	for (i = 1; i <= 3; i++) {
		ucall(i);				/* a full exit: still armed */
		GUEST_ASSERT_EQ(target1(1), 3);		/* not that one */
		GUEST_ASSERT_EQ(me()->sync, i - 1);
		GUEST_ASSERT_EQ(target0(1), 2);
		GUEST_ASSERT_EQ(me()->sync, i);
		GUEST_ASSERT_EQ(me()->bkpt, i);
		GUEST_ASSERT_EQ(me()->elr, (u64)target0);
		GUEST_ASSERT(me()->esr & (1UL << 25));	/* IL */
		GUEST_ASSERT_EQ(read_sysreg_s("dbgbcr0_el1"), 0);	/* disarmed */
		write_sysreg_s(BCR_EL1, "dbgbcr0_el1");
		isb();
	}
	/* Without MDE, nothing fires. */
	debug_on(MDSCR_KDE);
	target0(1);
	GUEST_ASSERT_EQ(me()->sync, 3);
}

/* (2) A watchpoint on stores to watched[0]: FAR is its address; loads pass. */
static void watchpoint(void)
{
	u64 addr = (u64)&watched[0];

	write_sysreg_s(addr, "dbgwvr0_el1");
	write_sysreg_s(WCR_EL1_STORE, "dbgwcr0_el1");
	debug_on(MDSCR_KDE | MDSCR_MDE);
	ucall(1);
	GUEST_ASSERT_EQ(readq(addr), 0);		/* a load: not watched */
	writeq(5, addr + 8);				/* next to it: not watched */
	GUEST_ASSERT_EQ(me()->sync, 0);
	writeq(0x1234, addr);
	GUEST_ASSERT_EQ(me()->sync, 1);
	GUEST_ASSERT_EQ(me()->watch, 1);
	GUEST_ASSERT_EQ(me()->far, addr);
	GUEST_ASSERT(me()->esr & ESR_WNR);
	GUEST_ASSERT_EQ(readq(addr), 0x1234);		/* retried, done */
}

/*
 * (3) Single step: each step_* target runs exactly one instruction, also
 * when that instruction traps to EL2 or the VMM and is completed there.
 */
static void step_check(u64 fn, u32 n)
{
	GUEST_ASSERT_EQ(me()->step, n);
	GUEST_ASSERT_EQ(me()->sync, n);
	GUEST_ASSERT_EQ(me()->elr, fn + 4);
	GUEST_ASSERT_EQ(read_sysreg_s("mdscr_el1") & MDSCR_SS, 0);
}

/*
 * MDSCR_EL1.SS with PSTATE.D masked: unmasked, PSTATE.SS 0 would mean a
 * step exception at once (active-pending); step_one() unmasks with SS 1.
 */
static void step_arm(void)
{
	asm volatile("msr daifset, #8" : : : "memory");
	write_sysreg_s(MDSCR_KDE | MDSCR_SS, "mdscr_el1");
	isb();
}

static void step(void)
{
	u64 r;

	step_arm();
	r = step_one(LABEL(step_add), 41, 0, 0);
	GUEST_ASSERT_EQ(r, 42);
	step_check(LABEL(step_add), 1);

	step_arm();
	r = step_one(LABEL(step_mrs), 0, 0, 0);
	GUEST_ASSERT_EQ(r, read_sysreg_s("S3_0_C0_C7_0"));
	step_check(LABEL(step_mrs), 2);

	step_arm();
	r = step_one(LABEL(step_hvc), SMCCC_VERSION, 0, 0);
	GUEST_ASSERT_EQ(r, 0x10001);
	step_check(LABEL(step_hvc), 3);

	step_arm();
	r = step_one(LABEL(step_smc), SMCCC_VERSION, 0, 0);
	GUEST_ASSERT_EQ(r, 0x10001);
	step_check(LABEL(step_smc), 4);

	step_arm();
	step_one(LABEL(step_mmio), 0, 0x5157, UCALL_GPA);	/* the test sees the ucall */
	step_check(LABEL(step_mmio), 5);
}

/* (4) With the OS lock set, nothing of (1)-(3) fires; unlocked, it does again. */
static void os_lock(void)
{
	u64 addr = (u64)&watched[0];

	write_sysreg_s((u64)target0, "dbgbvr0_el1");
	write_sysreg_s(BCR_EL1, "dbgbcr0_el1");
	write_sysreg_s(addr, "dbgwvr0_el1");
	write_sysreg_s(WCR_EL1_STORE, "dbgwcr0_el1");
	write_sysreg_s(1, "oslar_el1");
	isb();
	GUEST_ASSERT_EQ(read_sysreg_s("oslsr_el1"), 0xa);
	debug_on(MDSCR_KDE | MDSCR_MDE | MDSCR_SS);
	/* The guest reads back what it wrote, whatever is in force. */
	GUEST_ASSERT_EQ(read_sysreg_s("mdscr_el1"), MDSCR_KDE | MDSCR_MDE | MDSCR_SS);
	ucall(1);
	GUEST_ASSERT_EQ(target0(1), 2);
	writeq(7, addr);
	asm volatile("msr daifset, #8" : : : "memory");
	GUEST_ASSERT_EQ(step_one(LABEL(step_add), 1, 0, 0), 2);
	GUEST_ASSERT_EQ(readq(addr), 7);
	GUEST_ASSERT_EQ(me()->sync, 0);

	/* Unlocked: the same registers fire. */
	debug_on(MDSCR_KDE | MDSCR_MDE);
	write_sysreg_s(0, "oslar_el1");
	isb();
	GUEST_ASSERT_EQ(read_sysreg_s("oslsr_el1"), 0x8);
	GUEST_ASSERT_EQ(target0(1), 2);
	GUEST_ASSERT_EQ(me()->bkpt, 1);
	writeq(8, addr);
	GUEST_ASSERT_EQ(me()->watch, 1);
	GUEST_ASSERT_EQ(me()->sync, 2);
}

/*
 * (5) vCPU n breaks on target<n> only; the test runs both vCPUs in turn on
 * one thread, so that each entry follows the other vCPU's exit on the same
 * physical CPU.
 */
static void two_vcpus(u32 cpu)
{
	u64 (*mine)(u64) = cpu ? target1 : target0;
	u64 (*other)(u64) = cpu ? target0 : target1;
	u32 i;

	write_sysreg_s((u64)mine, "dbgbvr0_el1");
	debug_on(MDSCR_KDE | MDSCR_MDE);
	for (i = 1; i <= 4; i++) {
		write_sysreg_s(BCR_EL1, "dbgbcr0_el1");
		isb();
		ucall(i);			/* the other vCPU runs */
		other(0);
		if (me()->sync != i - 1)
			printf("vCPU %u: ESR 0x%lx ELR 0x%lx, breakpoint at 0x%lx\n", cpu,
			       (unsigned long)me()->esr, (unsigned long)me()->elr,
			       (unsigned long)mine);
		GUEST_ASSERT_EQ(me()->sync, i - 1);
		mine(0);
		GUEST_ASSERT_EQ(me()->bkpt, i);
		GUEST_ASSERT_EQ(me()->elr, (u64)mine);
	}
	GUEST_ASSERT_EQ(me()->sync, 4);
}

/*
 * (6) The host's breakpoint at guest_arg(1) and watchpoint at guest_arg(2)
 * (EL0 ones, of the test's thread) stay silent at this guest's EL0: before
 * and after this guest uses its own debug registers.
 */
static void el0_runs(u64 bp, u64 wp)
{
	u64 sp = (u64)&el0_stack[ARRAY_SIZE(el0_stack)];

	GUEST_ASSERT_EQ(ESR_EC(run_el0(bp, 0, 0, sp)), EC_SVC64);
	GUEST_ASSERT_EQ(ESR_EC(run_el0(LABEL(el0_store), wp, 0xabcd, sp)), EC_SVC64);
}

static void host(void)
{
	u64 bp = guest_arg(1), wp = guest_arg(2);

	el0_runs(bp, wp);
	ucall(1);
	/* Now with this guest's own breakpoint in use (and MDE set). */
	write_sysreg_s((u64)target0, "dbgbvr0_el1");
	write_sysreg_s(BCR_EL1, "dbgbcr0_el1");
	debug_on(MDSCR_KDE | MDSCR_MDE);
	target0(0);
	GUEST_ASSERT_EQ(me()->bkpt, 1);
	el0_runs(bp, wp);
	GUEST_ASSERT_EQ(me()->sync, 1);
	ucall(2);
}

int main(void)
{
	switch (guest_arg(0)) {
	case BREAKPOINT:
		breakpoint();
		break;
	case WATCHPOINT:
		watchpoint();
		break;
	case STEP:
		step();
		break;
	case OS_LOCK:
		os_lock();
		break;
	case TWO_VCPUS:
		two_vcpus(0);
		break;
	case HOST:
		host();
		break;
	}
	return 0;
}

void secondary_main(u64 cpu)
{
	two_vcpus(cpu);
}
