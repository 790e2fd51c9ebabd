// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest of the guest fuzzer (selftests/guest_fuzz.c): a seeded
 * generator (the seed in x0) drives, phase after phase,
 *   (a) MRS and MSR at random encodings of the whole system-register space
 *       (op0 2 and 3, every op1, CRn, CRm, op2), MSR skipping the registers
 *       the fuzzer itself stands on (VBAR_EL1, SCTLR_EL1, SPSel, DAIF,
 *       MDSCR_EL1, SP_EL0) and the virtual timer's CVAL and TVAL (phase (e)
 *       writes those with values that cannot hang QEMU 7.2);
 *   (b) loads and stores of 1 to 8 bytes, pairs, signed, pre- and
 *       post-indexed, exclusives and atomics, at random addresses of the
 *       whole physical space (beyond the VM's IPA size too), near and across
 *       the edges of its slots, and in the vGIC's frames;
 *   (c) HVC and SMC with random function ids (but none that stops the vCPU),
 *       immediates and arguments;
 *   (d) WFI and WFE storms, woken by the virtual timer;
 *   (e) random virtual and physical timer programming;
 *   (f) random writes to the vGIC's frames and CPU-interface registers;
 *   (g) random instruction words, one at a time, at EL1 (on SP_EL0, EL1t)
 *       and at EL0, in a sandbox page between saved and restored registers,
 *       filtering out the words that would leave the sandbox (branches,
 *       ERET), stop the vCPU (HVC, SMC, WFI), zero memory by address
 *       (DC ZVA) or write the registers above.
 * Its own vectors count and skip every synchronous exception the fuzzing
 * causes (ELR + 4) and fail the test on any other.  What it did goes to the
 * test in one HVC (GF_REPORT); the test checks every exit on the way.
 */
#include "test.h"
#include "guest_fuzz.h"

#define SCRATCH		GF_SCRATCH_GPA
#define RO		GF_RO_GPA
#define HOLE		(GF_SCRATCH_GPA + GF_SCRATCH_SIZE)
#define UCALL_PAGE	(UCALL_GPA & ~0xfffUL)
#define TIMER_PPI_V	27
#define SVC_DONE	0xd4000001UL	/* svc #0: the sandbox's way back */

static u64 rng, counts[GF_NR_COUNTS], ipa_bits, nr_sync, verbose;
static u32 expect_fault;
static u64 nr_ec[64];

/* The sandbox and run_word()'s saved state (the asm at the end). */
u32 sandbox[1024] __aligned(4096);
u64 gf_saved_sp;
u64 gf_regs[32];		/* x0..x30, SP_EL0 for a sandboxed word */

static u64 rand64(void)
{
	return xorshift64s(&rng);
}

static u32 rand_below(u32 n)
{
	return (rand64() >> 32) % n;
}

/* Values worth writing: nothing, everything, a bit, small, random. */
static u64 rand_value(void)
{
	switch (rand_below(8)) {
	case 0:
		return 0;
	case 1:
		return ~0UL;
	case 2:
		return 1UL << rand_below(64);
	case 3:
		return rand_below(256);
	default:
		return rand64();
	}
}

/*
 * The vectors (top of this file, asm) call this for every synchronous
 * exception: a fault of a fuzzed instruction is counted and skipped; a
 * sandboxed word's ends the word (back to the SVC after it); the SVC after
 * the word returns 0: back to run_word()'s caller.  Anything else fails.
 */
u64 gf_sync(u64 esr, u64 elr, u64 far)
{
	u64 sb = (u64)sandbox;

	nr_ec[ESR_EC(esr)]++;
	if (elr == sb + 8 && ESR_EC(esr) == 0x15)
		return 0;
	if (elr == sb || elr == sb + 4) {
		counts[GF_N_FAULTS]++;
		return sb + 4;
	}
	if (!read_once(&expect_fault)) {
		printf("unexpected exception ESR 0x%lx ELR 0x%lx FAR 0x%lx\n",
		       (unsigned long)esr, (unsigned long)elr, (unsigned long)far);
		guest_fail(__LINE__);
	}
	counts[GF_N_FAULTS]++;
	nr_sync++;
	/* SVC, HVC and SMC return past themselves; everything else at itself. */
	switch (ESR_EC(esr)) {
	case 0x15:
	case 0x16:
	case 0x17:
		return elr;
	default:
		return elr + 4;
	}
}

/* An interrupt taken despite the masks (or at EL0): acknowledged, dropped. */
void gf_irq(void)
{
	u32 intid = gic_ack();

	if (intid < 1020)
		gic_eoi(intid);
}

/* Writes @insn then a return at the sandbox and makes them visible to fetches. */
static void sandbox_set(u32 insn0, u32 insn1)
{
	write_once(&sandbox[0], insn0);
	write_once(&sandbox[1], insn1);
	asm volatile("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb"
		     : : "r" (sandbox) : "memory");
}

/* Calls the sandbox as a function: x0 in and out. */
static u64 sandbox_call(u64 x0)
{
	register u64 r0 asm("x0") = x0;

	asm volatile("blr %1" : "+r" (r0) : "r" (sandbox)
		     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "x30", "cc", "memory");
	return r0;
}

/* ------------------------------------------------------------------ (a) */

#define SR(op0, op1, crn, crm, op2) \
	(((op0) << 19) | ((op1) << 16) | ((crn) << 12) | ((crm) << 8) | ((op2) << 5))

/* MSR encodings the fuzzer does not write: it stands on them. */
static bool sysreg_protected(u32 enc)
{
	static const u32 keep[] = {
		SR(3, 0, 1, 0, 0),	/* SCTLR_EL1 */
		SR(3, 0, 12, 0, 0),	/* VBAR_EL1 */
		SR(3, 0, 4, 1, 0),	/* SP_EL0 */
		SR(3, 0, 4, 2, 0),	/* SPSel */
		SR(3, 3, 4, 2, 1),	/* DAIF */
		SR(2, 0, 0, 2, 2),	/* MDSCR_EL1: no single-step, no debug exceptions */
		SR(3, 0, 4, 0, 1),	/* ELR_EL1 (rewritten by the vectors anyway) */
		SR(3, 0, 4, 0, 0),	/* SPSR_EL1 */
		/* The virtual timer's: phase (e) writes them, with values QEMU survives */
		SR(3, 3, 14, 3, 0),	/* CNTV_TVAL_EL0 */
		SR(3, 3, 14, 3, 2),	/* CNTV_CVAL_EL0 */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keep); i++)
		if ((enc & 0x1fffe0) == keep[i])
			return true;
	return false;
}

static void fuzz_sysreg(void)
{
	u32 enc = SR(2 + rand_below(2), rand_below(8), rand_below(16), rand_below(16),
		     rand_below(8));
	bool write = rand_below(2);
	u64 val = rand_value();

	if (write && sysreg_protected(enc))
		write = false;
	/* mrs/msr x0, <enc>; ret */
	sandbox_set((write ? 0xd5100000 : 0xd5300000) | enc, 0xd65f03c0);
	write_once(&expect_fault, 1);
	sandbox_call(val);
	write_once(&expect_fault, 0);
	counts[GF_N_ENCODINGS]++;
	counts[GF_N_INSNS]++;
}

/* ------------------------------------------------------------------ (b) */

/*
 * An address for a random access: anywhere but the guest's own RAM (it
 * would overwrite itself; reads are fine), the UART and the ucall page
 * (the test's console and messages).
 */
static u64 rand_addr(bool write, u32 size)
{
	u64 a;

	switch (rand_below(10)) {
	case 0:		/* the whole physical space, mostly beyond the IPA size */
		a = rand64() & ((1UL << 48) - 1);
		break;
	case 1:		/* the IPA space */
		a = rand64() & ((1UL << ipa_bits) - 1);
		break;
	case 2:		/* just below and at the IPA size's end */
		a = (1UL << ipa_bits) - 64 + rand_below(128);
		break;
	case 3:		/* the scratch slot and its edges */
		a = SCRATCH - 32 + rand_below(GF_SCRATCH_SIZE + 64);
		break;
	case 4:		/* the read-only slot and its edges */
		a = RO - 32 + rand_below(GF_RO_SIZE + 64);
		break;
	case 5:		/* the hole between them, and RAM's end */
		a = HOLE - 32 + rand_below(0x10000 + 64);
		if (rand_below(4) == 0)
			a = GF_RAM_GPA + GF_RAM_SIZE - 32 + rand_below(64);
		break;
	case 6:		/* the distributor */
		a = VIRT_GIC_DIST_BASE + rand_below(VIRT_GIC_DIST_SIZE + 64);
		break;
	case 7:		/* the redistributors, and beyond the last one */
		a = VIRT_GIC_REDIST_BASE + rand_below(3 * VIRT_GIC_REDIST_STRIDE);
		break;
	case 8:		/* RAM (reads) */
		a = GF_RAM_GPA + rand_below(GF_RAM_SIZE);
		break;
	default:	/* low memory, below RAM */
		a = rand64() & (GF_RAM_GPA - 1);
		break;
	}
	if (rand_below(8))
		a &= ~(u64)(size - 1);		/* mostly aligned */
	if (a + 2 * 8 > GF_RAM_GPA && a < GF_RAM_GPA + GF_RAM_SIZE && write)
		a = SCRATCH + (a & (GF_SCRATCH_SIZE - 32));
	if ((a & ~0xfffUL) == UCALL_PAGE || (a & ~0xfffUL) == VIRT_UART_BASE ||
	    ((a + 16) & ~0xfffUL) == UCALL_PAGE || ((a + 16) & ~0xfffUL) == VIRT_UART_BASE)
		a = HOLE + (a & 0xff8);
	return a;
}

/* A read of the read-only slot must find the test's pattern. */
static void check_ro(u64 addr, u32 len, u64 got)
{
	u32 i;

	for (i = 0; i < len; i++) {
		u64 off = addr + i - RO;

		if (off < GF_RO_SIZE)
			GUEST_ASSERT_EQ((got >> (8 * i)) & 0xff, gf_ro_byte(off));
	}
}

static void fuzz_access(void)
{
	u32 op = rand_below(24);
	bool write = op >= 12;
	u64 a, v = rand_value(), v2 = rand_value(), out = 0, out2 = 0, base, sync_before;

	a = rand_addr(write, 8);
	sync_before = nr_sync;
	write_once(&expect_fault, 1);
	switch (op) {
	case 0:
		asm volatile("ldrb %w0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 1:
		asm volatile("ldrh %w0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 2:
		asm volatile("ldr %w0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 3:
		asm volatile("ldr %x0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 4:
		asm volatile("ldrsb %x0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 5:
		asm volatile("ldrsh %w0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 6:
		asm volatile("ldrsw %x0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 7:
		asm volatile("ldp %x0, %x1, [%2]" : "=&r" (out), "=&r" (out2) : "r" (a) : "memory");
		break;
	case 8:
		asm volatile("ldp %w0, %w1, [%2]" : "=&r" (out), "=&r" (out2) : "r" (a) : "memory");
		break;
	case 9:		/* post-index: no syndrome, decoded */
		base = a;
		asm volatile("ldr %x0, [%1], #8" : "=&r" (out), "+r" (base) : : "memory");
		break;
	case 10:
		asm volatile("ldxr %x0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 11:
		asm volatile("ldar %w0, [%1]" : "=&r" (out) : "r" (a) : "memory");
		break;
	case 12:
		asm volatile("strb %w0, [%1]" : : "rZ" (v), "r" (a) : "memory");
		break;
	case 13:
		asm volatile("strh %w0, [%1]" : : "rZ" (v), "r" (a) : "memory");
		break;
	case 14:
		asm volatile("str %w0, [%1]" : : "rZ" (v), "r" (a) : "memory");
		break;
	case 15:
		asm volatile("str %x0, [%1]" : : "rZ" (v), "r" (a) : "memory");
		break;
	case 16:
		asm volatile("stp %x0, %x1, [%2]" : : "rZ" (v), "rZ" (v2), "r" (a) : "memory");
		break;
	case 17:
		asm volatile("stp %w0, %w1, [%2]" : : "rZ" (v), "rZ" (v2), "r" (a) : "memory");
		break;
	case 18:	/* pre-index pair */
		base = a - 16;
		asm volatile("stp %x1, %x2, [%0, #16]!" : "+r" (base) : "rZ" (v), "rZ" (v2)
			     : "memory");
		break;
	case 19:
		base = a;
		asm volatile("str %x1, [%0], #-8" : "+r" (base) : "rZ" (v) : "memory");
		break;
	case 20:
		asm volatile("ldxr %x0, [%2]; stxr %w1, %x3, [%2]" : "=&r" (out), "=&r" (out2)
			     : "r" (a), "r" (v) : "memory");
		break;
	case 21:
		asm volatile("stlr %x0, [%1]" : : "rZ" (v), "r" (a) : "memory");
		break;
	case 22:	/* an atomic, where the CPU has them */
		asm volatile(".arch_extension lse\n ldadd %x1, %x0, [%2]"
			     : "=&r" (out) : "r" (v), "r" (a) : "memory");
		break;
	default:
		asm volatile(".arch_extension lse\n cas %x0, %x1, [%2]"
			     : "+&r" (out) : "r" (v), "r" (a) : "memory");
		break;
	}
	write_once(&expect_fault, 0);
	/* A plain load that completed: the read-only slot's pattern, if there. */
	if (op <= 3 && nr_sync == sync_before)
		check_ro(a, 1U << op, out);
	/*
	 * A store pair or a post-indexed store (no syndrome: the module
	 * decodes it), aligned, wholly in the read-only slot or wholly in the
	 * hole: MMIO writes, never a fault.
	 */
	if (op >= 16 && op <= 19 && !(a & 7) &&
	    ((a >= RO && a + 16 <= RO + GF_RO_SIZE) || (a >= HOLE && a + 16 <= HOLE + 0x10000)))
		GUEST_ASSERT_EQ(nr_sync, sync_before);
	counts[GF_N_ACCESSES] += (op == 7 || op == 8 || op >= 16) && op < 19 ? 2 : 1;
	counts[GF_N_INSNS]++;
}

/* ------------------------------------------------------------------ (c) */

/* PSCI calls that would stop or suspend the vCPU (SMCCC: W0 is the id). */
static bool hcall_stops(u32 fn)
{
	switch (fn) {
	case PSCI_CPU_OFF:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case 0x84000012:	/* SYSTEM_RESET2 */
	case 0xc4000012:
	case 0x84000001:	/* CPU_SUSPEND: waits for an interrupt */
	case 0xc4000001:
	case 0x8400000e:	/* SYSTEM_SUSPEND */
	case 0xc400000e:
	case (u32)GF_REPORT:
		return true;
	default:
		return false;
	}
}

static u64 rand_fid(void)
{
	static const u32 hot[] = { 0x84000000, 0xc4000000, 0x80000000, 0x86000000,
				   0xc6000000, 0x82000000, 0xc5000000, 0xbf000000 };

	switch (rand_below(4)) {
	case 0:
		return rand64();
	case 1:
		return (rand64() & ~0xffffffffUL) | hot[rand_below(ARRAY_SIZE(hot))] |
		       rand_below(0x20);
	default:
		return hot[rand_below(ARRAY_SIZE(hot))] | rand_below(0x20);
	}
}

static void fuzz_hcall(void)
{
	u32 imm = rand_below(3) ? 0 : rand64() & 0xffff;
	bool smc = rand_below(2);
	u64 fid = rand_fid();

	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = rand_value();
	register u64 x2 asm("x2") = rand_value();
	register u64 x3 asm("x3") = rand_value();
	register u64 x4 asm("x4") = rand_value();
	register u64 x5 asm("x5") = rand_value();
	register u64 x6 asm("x6") = rand_value();
	register u64 x7 asm("x7") = rand_value();

	if (hcall_stops(fid))
		fid ^= 0x100;
	if (fid == GF_REPORT)
		fid = 0;
	x0 = fid;
	/* hvc/smc #imm; ret: through the sandbox, for the immediate */
	sandbox_set((smc ? 0xd4000003 : 0xd4000002) | imm << 5, 0xd65f03c0);
	write_once(&expect_fault, 1);
	asm volatile("blr %8"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4), "+r" (x5),
		       "+r" (x6), "+r" (x7)
		     : "r" (sandbox)
		     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "x30", "cc", "memory");
	write_once(&expect_fault, 0);
	counts[GF_N_HCALLS]++;
	counts[GF_N_INSNS]++;
}

/* ------------------------------------------------------------------ (d, e, f) */

/* The GIC and the virtual timer's PPI as a WFI needs them to wake. */
static void gic_ready(void)
{
	gic_init();
	gic_cpu_init();
	gic_set_pmr(0xff);
	gic_set_igrpen(true, true);
	gic_set_priority(TIMER_PPI_V, 0x80);
	gic_set_group(TIMER_PPI_V, true);
	gic_irq_enable(TIMER_PPI_V);
	writel(~0U, gic_redist(0) + GICR_SGI_BASE + GICD_ICACTIVER);
	write_sysreg_s(0, "S3_0_C12_C12_3");		/* ICC_BPR1_EL1 */
	write_sysreg_s(0, "S3_0_C12_C9_0");		/* ICC_AP1R0_EL1 */
	write_sysreg_s(0, "S3_0_C12_C8_4");		/* ICC_AP0R0_EL1 */
	isb();
}

/*
 * A WFI woken by the virtual timer in 0..1023 ticks (IRQs masked: a pending
 * interrupt ends WFI all the same), or a WFE; the interrupt then
 * acknowledged.
 */
static void fuzz_wfx(void)
{
	u32 intid;

	if (rand_below(4) == 0) {
		asm volatile("wfe" : : : "memory");
		counts[GF_N_INSNS]++;
		return;
	}
	write_sysreg_s(rand_below(1024), "cntv_tval_el0");
	write_sysreg_s(1, "cntv_ctl_el0");
	isb();
	asm volatile("wfi" : : : "memory");
	counts[GF_N_INSNS]++;
	/* Woken: the timer has fired, or will have fired by the time it is read. */
	while (!(read_sysreg_s("cntv_ctl_el0") & 4))
		;
	intid = gic_ack();		/* the timer's PPI, or another the fuzzing left pending */
	write_sysreg_s(0, "cntv_ctl_el0");
	if (intid < 1020)
		gic_eoi(intid);
}

static void fuzz_timer(void)
{
	u64 v = rand_value();
	u32 op = rand_below(8);

	if (verbose)
		printf("timer op %u value 0x%lx\n", op, (unsigned long)v);
	switch (op) {
	case 0:
		write_sysreg_s(v & 7, "cntv_ctl_el0");
		break;
	case 1:
		/*
		 * Below 2^63: QEMU 7.2 (Debian 12's) adds CNTVOFF to CVAL
		 * without an overflow check and re-arms its timer in the
		 * past forever, hanging the whole machine (fixed in QEMU 8.2,
		 * "target/arm: Add overflow check for gt_recalc_timer").
		 * Real CPUs compare CNTVCT with CVAL and have no such sum.
		 */
		write_sysreg_s(v >> 1, "cntv_cval_el0");
		break;
	case 2:
		/*
		 * Not negative: TVAL sets CVAL to CNTVCT + TVAL, near 2^64
		 * while CNTVCT < -TVAL (a young VM), and CNTVOFF (the counter
		 * at the VM's creation) added to that wraps into the past:
		 * the same hang, on a host whose counter is above -TVAL.
		 */
		write_sysreg_s(v & 0x7fffffff, "cntv_tval_el0");
		break;
	case 3:
		write_sysreg_s(v & 7, "cntp_ctl_el0");
		break;
	case 4:
		write_sysreg_s(v, "cntp_cval_el0");
		break;
	case 5:
		write_sysreg_s(v, "cntp_tval_el0");
		break;
	case 6:
		read_sysreg_s("cntpct_el0");
		read_sysreg_s("cntp_tval_el0");
		read_sysreg_s("cntp_ctl_el0");
		break;
	default:
		read_sysreg_s("cntvct_el0");
		read_sysreg_s("cntv_tval_el0");
		read_sysreg_s("cntv_ctl_el0");
		break;
	}
	counts[GF_N_INSNS]++;
}

static void fuzz_vgic(void)
{
	u32 len = 1U << rand_below(4);
	u64 a, v = rand_value();

	if (rand_below(2))
		a = VIRT_GIC_DIST_BASE + (rand_below(VIRT_GIC_DIST_SIZE) & ~(len - 1));
	else
		a = VIRT_GIC_REDIST_BASE + (rand_below(2 * VIRT_GIC_REDIST_STRIDE) & ~(len - 1));
	write_once(&expect_fault, 1);
	switch (rand_below(8)) {
	case 0:
		writeb(v, a);
		break;
	case 1:
		writew(v, a);
		break;
	case 2:
		writel(v, a);
		break;
	case 3:
		writeq(v, a);
		break;
	case 4:
		gic_write_sgi1r(v);
		break;
	case 5:
		gic_set_pmr(v);
		break;
	case 6:
		gic_ack();
		gic_eoi(v & 1023);
		gic_deactivate(rand_below(1024));
		break;
	default:
		a &= ~7UL;
		asm volatile("stp %x0, %x1, [%2]" : : "rZ" (v), "rZ" (~v), "r" (a) : "memory");
		counts[GF_N_ACCESSES]++;
		break;
	}
	write_once(&expect_fault, 0);
	counts[GF_N_ACCESSES]++;
	counts[GF_N_INSNS]++;
}

/* ------------------------------------------------------------------ (g) */

/* Would @w leave the sandbox, stop the vCPU or break the fuzzer? */
static bool word_refused(u32 w)
{
	if ((w & 0x7c000000) == 0x14000000 ||		/* B, BL */
	    (w & 0xff000000) == 0x54000000 ||		/* B.cond, BC.cond */
	    (w & 0x7e000000) == 0x34000000 ||		/* CBZ, CBNZ */
	    (w & 0x7e000000) == 0x36000000 ||		/* TBZ, TBNZ */
	    (w & 0xfe000000) == 0xd6000000)		/* BR, BLR, RET, ERET, ... */
		return true;
	if ((w & 0xffe0001e) == 0xd4000002)		/* HVC, SMC: phase (c) */
		return true;
	if (w == 0xd503207f || (w & 0xffffffe0) == 0xd5031020)	/* WFI, WFIT */
		return true;
	if ((w & 0xfff8f000) == 0xd5087000 && ((w >> 8) & 0xf) == 4)	/* DC ZVA, GVA, GZVA */
		return true;
	if ((w & 0xfff8f01f) == 0xd500401f) {		/* MSR (immediate) */
		u32 op1 = (w >> 16) & 7, op2 = (w >> 5) & 7;

		if ((op1 == 0 && op2 == 5) || (op1 == 3 && op2 >= 6))	/* SPSel, DAIFSet/Clr */
			return true;
	}
	if ((w & 0xfff00000) == 0xd5100000 && sysreg_protected(w))	/* MSR (register) */
		return true;
	if ((w & 0x3b200c00) == 0x19000400)		/* CPY*, SET*: memcpy, memset */
		return true;
	return false;
}

/*
 * A register value for a sandboxed word, such that no address a load or
 * store can form from two of them (base + index, extended, shifted by up
 * to 4, + an immediate) falls in the guest's RAM: small (below 64 KiB), in
 * the scratch slot (far above RAM), or large (2^48 up to 2^63, its low
 * word 0xffffxxxx: as a sign-extended index, a small negative number; zero-
 * extended, at least 4 GiB).
 */
static u64 rand_reg(void)
{
	switch (rand_below(4)) {
	case 0:
		return rand_below(0x10000);
	case 1:
		return SCRATCH + 0x1000 + rand_below(GF_SCRATCH_SIZE - 0x2000);
	default:
		return (rand64() & 0x7fff000000000000UL) | 1UL << 48 |
		       (rand64() & 0xffff00000000UL) | 0xffff0000UL | rand_below(0x10000);
	}
}

static void fuzz_word(void)
{
	u32 w = rand64();
	bool el0 = rand_below(2);
	unsigned int i;

	while (word_refused(w))
		w = rand64();
	if (verbose)
		printf("word 0x%08x at EL%u\n", w, el0 ? 0U : 1U);
	for (i = 0; i < 31; i++)
		gf_regs[i] = rand_reg();
	gf_regs[31] = SCRATCH + GF_SCRATCH_SIZE / 2;	/* SP_EL0 */
	sandbox_set(w, SVC_DONE);
	/* EL0t or EL1t, D, A, I and F masked */
	run_word(gf_regs, el0 ? 0x3c0 : 0x3c4);
	counts[GF_N_WORDS]++;
	counts[GF_N_INSNS] += 2;	/* the word and the way back */
}

/* ------------------------------------------------------------------ */

/* hvc #0: x0 = GF_REPORT, x1..x6 = counts[]; the test answers x0 = 0. */
static void report(void)
{
	u64 ret;

	asm volatile("mov x0, %1\n"
		     "ldp x1, x2, [%2]\n"
		     "ldp x3, x4, [%2, #16]\n"
		     "ldp x5, x6, [%2, #32]\n"
		     "hvc #0\n"
		     "mov %0, x0"
		     : "=r" (ret) : "r" (GF_REPORT), "r" (counts)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "memory");
	GUEST_ASSERT_EQ(ret, 0);
}

int main(void)
{
	u64 nr_sysregs = guest_arg(GF_ARG_SYSREGS), nr_acc = guest_arg(GF_ARG_ACCESSES);
	u64 nr_insns = guest_arg(GF_ARG_INSNS), phases = guest_arg(GF_ARG_PHASES), i;

	rng = boot_dtb * 2 + 1;
	ipa_bits = guest_arg(GF_ARG_IPA_BITS);
	verbose = guest_arg(GF_ARG_VERBOSE);
	write_sysreg_s((u64)gf_vectors, "vbar_el1");
	isb();
	gic_ready();

	if (phases & (1 << GF_SYSREG))
		for (i = 0; i < nr_sysregs; i++)
			fuzz_sysreg();
	if (phases & (1 << GF_ACCESS))
		for (i = 0; i < nr_acc; i++)
			fuzz_access();
	if (phases & (1 << GF_HCALL))
		for (i = 0; i < nr_acc / 16 + 1; i++)
			fuzz_hcall();
	gic_ready();
	if (phases & (1 << GF_WFX))
		for (i = 0; i < nr_acc / 64 + 1; i++)
			fuzz_wfx();
	if (phases & (1 << GF_TIMER))
		for (i = 0; i < nr_acc / 16 + 1; i++)
			fuzz_timer();
	write_sysreg_s(0, "cntv_ctl_el0");
	write_sysreg_s(0, "cntp_ctl_el0");
	if (phases & (1 << GF_VGIC))
		for (i = 0; i < nr_acc / 16 + 1; i++)
			fuzz_vgic();
	gic_ready();
	if (phases & (1 << GF_INSN))
		for (i = 0; i < nr_insns; i++)
			fuzz_word();
	printf("guest_fuzz: %lu faults skipped; by class:", (unsigned long)counts[GF_N_FAULTS]);
	for (i = 0; i < 64; i++)
		if (nr_ec[i])
			printf(" 0x%lx:%lu", (unsigned long)i, (unsigned long)nr_ec[i]);
	printf("\n");
	report();
	return 0;
}

/*
 * The vectors: every synchronous exception (at EL1 on SP_EL0 or SP_EL1,
 * from EL0) goes to gf_sync() with the caller-saved registers saved; a 0
 * back means the sandboxed word is done: run_word() returns.  Interrupts
 * and SErrors go to gf_irq() (they are masked: this is for a fuzzed word
 * that unmasked them at EL0, where it cannot).  AArch32 is unexpected.
 *
 * run_word(regs, spsr): x19-x30 and SP_EL1 saved, SP_EL0 = regs[31], every
 * GPR from regs[], then ERET to the sandbox at the EL/SP of @spsr.
 */
asm("	.pushsection .text.gf_vectors, \"ax\"\n"
"	.balign	2048\n"
"	.global	gf_vectors\n"
"gf_vectors:\n"
"	.irp	el, 0, 1, 2\n"
"	.balign	0x80\n"
"	b	gf_sync_entry\n"
"	.balign	0x80\n"
"	b	gf_async_entry\n"
"	.balign	0x80\n"
"	b	gf_async_entry\n"
"	.balign	0x80\n"
"	b	gf_async_entry\n"
"	.endr\n"
"	.rept	4\n"
"	.balign	0x80\n"
"	b	gf_bad_entry\n"
"	.endr\n"
"\n"
"	.macro	gf_save\n"
"	stp	x0, x1, [sp, #-192]!\n"
"	stp	x2, x3, [sp, #16]\n"
"	stp	x4, x5, [sp, #32]\n"
"	stp	x6, x7, [sp, #48]\n"
"	stp	x8, x9, [sp, #64]\n"
"	stp	x10, x11, [sp, #80]\n"
"	stp	x12, x13, [sp, #96]\n"
"	stp	x14, x15, [sp, #112]\n"
"	stp	x16, x17, [sp, #128]\n"
"	stp	x18, x29, [sp, #144]\n"
"	mrs	x0, elr_el1\n"
"	mrs	x1, spsr_el1\n"
"	stp	x0, x1, [sp, #160]\n"
"	str	x30, [sp, #176]\n"
"	mov	x29, #0\n"
"	.endm\n"
"	.macro	gf_restore\n"
"	ldp	x0, x1, [sp, #160]\n"
"	msr	elr_el1, x0\n"
"	msr	spsr_el1, x1\n"
"	ldr	x30, [sp, #176]\n"
"	ldp	x18, x29, [sp, #144]\n"
"	ldp	x16, x17, [sp, #128]\n"
"	ldp	x14, x15, [sp, #112]\n"
"	ldp	x12, x13, [sp, #96]\n"
"	ldp	x10, x11, [sp, #80]\n"
"	ldp	x8, x9, [sp, #64]\n"
"	ldp	x6, x7, [sp, #48]\n"
"	ldp	x4, x5, [sp, #32]\n"
"	ldp	x2, x3, [sp, #16]\n"
"	ldp	x0, x1, [sp], #192\n"
"	eret\n"
"	.endm\n"
"gf_sync_entry:\n"
"	gf_save\n"
"	mrs	x0, esr_el1\n"
"	ldr	x1, [sp, #160]\n"
"	mrs	x2, far_el1\n"
"	bl	gf_sync\n"
"	cbz	x0, gf_word_done\n"
"	str	x0, [sp, #160]\n"
"	gf_restore\n"
"gf_async_entry:\n"
"	gf_save\n"
"	bl	gf_irq\n"
"	gf_restore\n"
"gf_bad_entry:\n"
"	mrs	x0, esr_el1\n"
"	mrs	x1, elr_el1\n"
"	mrs	x2, far_el1\n"
"	bl	unexpected_exception\n"
"\n"
"	.global	run_word\n"
"run_word:\n"
"	stp	x29, x30, [sp, #-96]!\n"
"	stp	x19, x20, [sp, #16]\n"
"	stp	x21, x22, [sp, #32]\n"
"	stp	x23, x24, [sp, #48]\n"
"	stp	x25, x26, [sp, #64]\n"
"	stp	x27, x28, [sp, #80]\n"
"	adrp	x2, gf_saved_sp\n"
"	mov	x3, sp\n"
"	str	x3, [x2, :lo12:gf_saved_sp]\n"
"	ldr	x2, [x0, #248]\n"
"	msr	sp_el0, x2\n"
"	msr	spsr_el1, x1\n"
"	adrp	x2, sandbox\n"
"	add	x2, x2, :lo12:sandbox\n"
"	msr	elr_el1, x2\n"
"	ldp	x2, x3, [x0, #16]\n"
"	ldp	x4, x5, [x0, #32]\n"
"	ldp	x6, x7, [x0, #48]\n"
"	ldp	x8, x9, [x0, #64]\n"
"	ldp	x10, x11, [x0, #80]\n"
"	ldp	x12, x13, [x0, #96]\n"
"	ldp	x14, x15, [x0, #112]\n"
"	ldp	x16, x17, [x0, #128]\n"
"	ldp	x18, x19, [x0, #144]\n"
"	ldp	x20, x21, [x0, #160]\n"
"	ldp	x22, x23, [x0, #176]\n"
"	ldp	x24, x25, [x0, #192]\n"
"	ldp	x26, x27, [x0, #208]\n"
"	ldp	x28, x29, [x0, #224]\n"
"	ldr	x30, [x0, #240]\n"
"	ldp	x0, x1, [x0]\n"
"	eret\n"
"/* From gf_sync_entry, on SP_EL1 below run_word's frame: drop that context. */\n"
"gf_word_done:\n"
"	adrp	x2, gf_saved_sp\n"
"	ldr	x3, [x2, :lo12:gf_saved_sp]\n"
"	mov	sp, x3\n"
"	ldp	x19, x20, [sp, #16]\n"
"	ldp	x21, x22, [sp, #32]\n"
"	ldp	x23, x24, [sp, #48]\n"
"	ldp	x25, x26, [sp, #64]\n"
"	ldp	x27, x28, [sp, #80]\n"
"	ldp	x29, x30, [sp], #96\n"
"	ret\n"
"	.popsection\n"
);
