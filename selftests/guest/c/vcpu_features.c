// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the CPU looks like from inside (selftests/vcpu_features.c): the ID
 * registers, PMU registers and those of other hidden features (UNDEFINED),
 * the debug registers, PSCI and the
 * SMCCC workaround queries.  The scenario is guest_arg(0).  Synchronous
 * exceptions are expected here: sync_handler() records them and skips the
 * instruction.
 */
#include "test.h"

#define ID_REGS		0
#define PMU		1
#define DEBUG		2
#define PSCI		3
#define SMCCC		4
#define ABSENT		5

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND_32	0x84000001
#define PSCI_AFFINITY_INFO_32	0x84000004
#define PSCI_MIGRATE		0x84000005
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_FEATURES		0x8400000a
#define PSCI_SYSTEM_RESET2_32	0x84000012
#define PSCI_CPU_SUSPEND_64	0xc4000001
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_SYSTEM_RESET2_64	0xc4000012
#define SMCCC_ARCH_FEATURES	0x80000001
#define SMCCC_WORKAROUND_1	0x80008000
#define SMCCC_WORKAROUND_2	0x80007fff
#define SMCCC_WORKAROUND_3	0x80003fff
#define PPI_VTIMER		27
#define TIMEOUT_S		20

static u32 nr_sync;
static u64 last_esr, last_elr;

u64 sync_handler(u64 esr, u64 elr, u64 far)
{
	(void)far;
	nr_sync++;
	last_esr = esr;
	last_elr = elr;
	return elr + 4;
}

/*
 * read_id(n) reads register n of the ID space, op0 3, op1 0, CRn 0, CRm 1..7
 * (n = (CRm - 1) * 8 + op2): a jump into a table of mrs/ret pairs.
 */
u64 read_id(u64 n);
asm(".pushsection .text\n"
	"read_id:\n"
	"	adr	x1, 1f\n"
	"	add	x1, x1, x0, lsl #3\n"
	"	br	x1\n"
	"1:\n"
	".irp crm, 1, 2, 3, 4, 5, 6, 7\n"
	".irp op2, 0, 1, 2, 3, 4, 5, 6, 7\n"
	"	mrs	x0, S3_0_C0_C\\crm\\()_\\op2\n"
	"	ret\n"
	".endr\n"
	".endr\n"
	".popsection\n");

static void id_regs(void)
{
	u32 n;

	for (n = 0; n < 56; n++) {
		u64 val = read_id(n);

		GUEST_ASSERT_EQ(nr_sync, 0);	/* all of them RAZ or a value */
		ucall(val);
	}
	/* ID registers are read-only: a write is UNDEFINED. */
	write_sysreg_s(0, "S3_0_C0_C4_0");		/* ID_AA64PFR0_EL1 */
	GUEST_ASSERT_EQ(nr_sync, 1);
	GUEST_ASSERT_EQ(ESR_EC(last_esr), ESR_EC_UNKNOWN);
}

/* An instruction that must take an UNDEFINED exception, and only that. */
#define EXPECT_UNDEF(insn) do {						\
	u64 __pc, __x = 0;						\
	u32 __n = nr_sync;						\
	asm volatile("adr %0, 1f\n1:\t" insn				\
		     : "=&r" (__pc), "+r" (__x) : : "memory");		\
	if (nr_sync != __n + 1 || last_elr != __pc ||			\
	    ESR_EC(last_esr) != ESR_EC_UNKNOWN || !(last_esr & (1 << 25)))	\
		printf("%s: %u exceptions, ESR 0x%lx ELR 0x%lx (at 0x%lx)\n", \
		       #insn, nr_sync - __n, (unsigned long)last_esr,	\
		       (unsigned long)last_elr, (unsigned long)__pc);	\
	GUEST_ASSERT_EQ(nr_sync, __n + 1);				\
	GUEST_ASSERT_EQ(last_elr, __pc);				\
	GUEST_ASSERT_EQ(ESR_EC(last_esr), ESR_EC_UNKNOWN);		\
	GUEST_ASSERT(last_esr & (1 << 25));	/* IL: 32-bit */	\
	GUEST_ASSERT_EQ(__x, 0);	/* the destination untouched */	\
} while (0)

static void pmu(void)
{
	/* PMUVer is 0: there is no PMU, its registers are UNDEFINED. */
	GUEST_ASSERT_EQ((read_sysreg_s("S3_0_C0_C5_0") >> 8) & 0xf, 0);
	EXPECT_UNDEF("mrs %1, S3_3_C9_C12_0");		/* PMCR_EL0 */
	EXPECT_UNDEF("msr S3_3_C9_C12_0, %1");
	EXPECT_UNDEF("mrs %1, S3_3_C9_C12_1");		/* PMCNTENSET_EL0 */
	EXPECT_UNDEF("msr S3_3_C9_C12_5, %1");		/* PMSELR_EL0 */
	EXPECT_UNDEF("mrs %1, S3_3_C9_C12_6");		/* PMCEID0_EL0 */
	EXPECT_UNDEF("mrs %1, S3_3_C9_C13_0");		/* PMCCNTR_EL0 */
	EXPECT_UNDEF("msr S3_3_C9_C13_0, %1");
	EXPECT_UNDEF("mrs %1, S3_3_C9_C14_0");		/* PMUSERENR_EL0 */
	EXPECT_UNDEF("mrs %1, S3_0_C9_C14_1");		/* PMINTENSET_EL1 */
	EXPECT_UNDEF("msr S3_0_C9_C14_2, %1");		/* PMINTENCLR_EL1 */
	EXPECT_UNDEF("mrs %1, S3_3_C14_C8_0");		/* PMEVCNTR0_EL0 */
	EXPECT_UNDEF("msr S3_3_C14_C12_0, %1");		/* PMEVTYPER0_EL0 */
	EXPECT_UNDEF("mrs %1, S3_3_C14_C15_7");		/* PMCCFILTR_EL0 */
	/* Not every trapped register is: the debug state is there. */
	read_sysreg_s("mdscr_el1");
	GUEST_ASSERT_EQ(nr_sync, 13);
}

/*
 * Registers of features the ID registers hide: UNDEFINED, whether the CPU
 * lacks them (cortex-a57) or has them and EL2 traps them (-cpu max).
 */
static void absent(void)
{
	EXPECT_UNDEF("mrs %1, S3_0_C10_C4_7");		/* LORID_EL1 */
	EXPECT_UNDEF("msr S3_0_C10_C4_3, %1");		/* LORC_EL1 */
	EXPECT_UNDEF("mrs %1, S3_0_C5_C3_0");		/* ERRIDR_EL1 */
	EXPECT_UNDEF("mrs %1, S3_0_C5_C4_0");		/* ERXFR_EL1 */
	EXPECT_UNDEF("msr S3_0_C5_C3_1, %1");		/* ERRSELR_EL1 */
	EXPECT_UNDEF("mrs %1, S3_0_C9_C9_7");		/* PMSIDR_EL1 */
	EXPECT_UNDEF("mrs %1, S3_0_C9_C10_7");		/* PMBIDR_EL1 */
	EXPECT_UNDEF("msr S3_0_C1_C2_1, %1");		/* TRFCR_EL1 */
	EXPECT_UNDEF("mrs %1, S3_3_C13_C2_0");		/* AMCR_EL0 */
	EXPECT_UNDEF("mrs %1, S3_3_C13_C4_0");		/* AMEVCNTR00_EL0 */
	GUEST_ASSERT_EQ(nr_sync, 10);
}

/* Debug registers: the values each vCPU writes are the ones it reads back. */
#define DBG(n) do {							\
	u64 __i = (n);							\
	write_sysreg_s(bvr + __i * 16, "dbgbvr" #n "_el1");		\
	write_sysreg_s(0x1e6 | (cpu << 14), "dbgbcr" #n "_el1");	\
	write_sysreg_s(wvr + __i * 8, "dbgwvr" #n "_el1");		\
	write_sysreg_s(0x1ff6 | (cpu << 14), "dbgwcr" #n "_el1");	\
} while (0)
#define CHECK_DBG(n, brps, wrps) do {					\
	u64 __i = (n);							\
	if (__i < (brps)) {						\
		GUEST_ASSERT_EQ(read_sysreg_s("dbgbvr" #n "_el1"), bvr + __i * 16); \
		GUEST_ASSERT_EQ(read_sysreg_s("dbgbcr" #n "_el1"), 0x1e6 | (cpu << 14)); \
	}								\
	if (__i < (wrps)) {						\
		GUEST_ASSERT_EQ(read_sysreg_s("dbgwvr" #n "_el1"), wvr + __i * 8); \
		GUEST_ASSERT_EQ(read_sysreg_s("dbgwcr" #n "_el1"), 0x1ff6 | (cpu << 14)); \
	}								\
} while (0)

/* MDSCR_EL1.TDCC and INTdis, per vCPU: no debug event could come of it. */
#define MDSCR(cpu)	(0x1000 | ((cpu) + 1) << 22)

static u32 ready[2], checked[2];

static void debug(u32 cpu)
{
	u64 dfr0 = read_sysreg_s("S3_0_C0_C5_0");
	u32 brps = ((dfr0 >> 12) & 0xf) + 1, wrps = ((dfr0 >> 20) & 0xf) + 1;
	u64 bvr = 0x40001000 + cpu * 0x100000, wvr = 0x40800000 + cpu * 0x100000;
	u32 nr = guest_arg(1), i;

	GUEST_ASSERT(brps >= 2 && wrps >= 2);
	DBG(0);
	DBG(1);
	write_sysreg_s(MDSCR(cpu), "mdscr_el1");
	write_sysreg_s(1, "oslar_el1");
	isb();
	flag_set(&ready[cpu]);
	for (i = 0; i < nr; i++)		/* every vCPU wrote its own */
		GUEST_ASSERT(flag_wait(&ready[i], TIMEOUT_S));
	CHECK_DBG(0, brps, wrps);
	CHECK_DBG(1, brps, wrps);
	GUEST_ASSERT_EQ(read_sysreg_s("mdscr_el1"), MDSCR(cpu));
	/* The OS lock: implemented (OSLM 0b10), locked, then not. */
	GUEST_ASSERT_EQ(read_sysreg_s("oslsr_el1"), 0xa);
	write_sysreg_s(0, "oslar_el1");
	isb();
	GUEST_ASSERT_EQ(read_sysreg_s("oslsr_el1"), 0x8);
	GUEST_ASSERT_EQ(nr_sync, 0);
	flag_set(&checked[cpu]);
	for (i = 0; i < nr; i++)
		GUEST_ASSERT(flag_wait(&checked[i], TIMEOUT_S));
}

static s64 smc_call(u64 fid, u64 a1)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1) : :
		     "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		     "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

static s32 psci(u64 fid, u64 a1, u64 a2, u64 a3)
{
	return smccc(fid, a1, a2, a3).x0;
}

static void psci_test(void)
{
	static const u32 supported[] = {
		PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF,
		PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64,
		PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
		PSCI_SYSTEM_RESET2_32, PSCI_SYSTEM_RESET2_64, PSCI_FEATURES, SMCCC_VERSION,
	};
	static const u32 unsupported[] = {
		PSCI_MIGRATE, SMCCC_ARCH_FEATURES, 0x8400000b, 0x84000020, 0x12345678,
	};
	u64 ms = read_cntfrq() / 1000;
	u32 i;

	GUEST_ASSERT_EQ(psci(PSCI_VERSION, 0, 0, 0), 0x10001);
	GUEST_ASSERT_EQ(smc_call(PSCI_VERSION, 0), 0x10001);	/* SMC conduit too */
	GUEST_ASSERT_EQ(psci(SMCCC_VERSION, 0, 0, 0), 0x10001);
	for (i = 0; i < ARRAY_SIZE(supported); i++)
		GUEST_ASSERT_EQ(psci(PSCI_FEATURES, supported[i], 0, 0), PSCI_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(unsupported); i++)
		GUEST_ASSERT_EQ(psci(PSCI_FEATURES, unsupported[i], 0, 0), PSCI_NOT_SUPPORTED);
	GUEST_ASSERT_EQ(psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);	/* no Trusted OS */

	/* CPU_SUSPEND returns (SUCCESS) once an interrupt is pending: the timer. */
	gic_init();
	gic_cpu_init();
	gic_irq_enable(PPI_VTIMER);
	write_sysreg_s(5 * ms, "cntv_tval_el0");
	write_sysreg_s(1, "cntv_ctl_el0");
	isb();
	GUEST_ASSERT_EQ(psci(PSCI_CPU_SUSPEND_64, 0, 0, 0), PSCI_SUCCESS);
	GUEST_ASSERT_EQ(gic_hppir(), PPI_VTIMER);
	GUEST_ASSERT_EQ(gic_ack(), PPI_VTIMER);
	write_sysreg_s(5 * ms, "cntv_tval_el0");	/* again, 32-bit call */
	gic_eoi(PPI_VTIMER);
	isb();
	GUEST_ASSERT_EQ(psci(PSCI_CPU_SUSPEND_32, 0, 0, 0), PSCI_SUCCESS);
	GUEST_ASSERT_EQ(gic_hppir(), PPI_VTIMER);
	write_sysreg_s(0, "cntv_ctl_el0");

	/* AFFINITY_INFO is the VMM's to answer (here: the test's). */
	GUEST_ASSERT_EQ(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), 1);
	/* SYSTEM_RESET2 is a reset: the test sees it and stops. */
	psci(PSCI_SYSTEM_RESET2_64, 0, 0, 0);
	GUEST_ASSERT(0);
}

static void smccc_test(void)
{
	u64 wa[] = { SMCCC_WORKAROUND_1, SMCCC_WORKAROUND_2, SMCCC_WORKAROUND_3 };
	u32 i;

	ucall(read_sysreg_s("S3_0_C0_C4_1"));		/* ID_AA64PFR1_EL1: SSBS */
	for (i = 0; i < ARRAY_SIZE(wa); i++) {
		s64 ret = smccc(SMCCC_ARCH_FEATURES, wa[i], 0, 0).x0;

		ucall(ret);
		/* Both conduits answer alike. */
		GUEST_ASSERT_EQ(smc_call(SMCCC_ARCH_FEATURES, wa[i]), ret);
		/* Offered (1: not needed): calling it does nothing and returns. */
		if (ret == 1)
			GUEST_ASSERT_EQ(smccc(wa[i], 1, 0, 0).x0, 0);
	}
	GUEST_ASSERT_EQ(smccc(SMCCC_ARCH_FEATURES, 0x80001234, 0, 0).x0, (u64)-1);
}

int main(void)
{
	switch (guest_arg(0)) {
	case ID_REGS:
		id_regs();
		break;
	case PMU:
		pmu();
		break;
	case DEBUG:
		debug(0);
		break;
	case PSCI:
		psci_test();
		break;
	case SMCCC:
		smccc_test();
		break;
	case ABSENT:
		absent();
		break;
	}
	return 0;
}

void secondary_main(u64 cpu)
{
	debug(cpu);
}
