// SPDX-License-Identifier: GPL-2.0-only
/*
 * Priorities, masking and the active state on one vCPU
 * (selftests/vgic_priority.c); the scenario is guest_arg(0).  Interrupts
 * are made pending by the guest itself (GICD_ISPENDR, self-SGIs), so each
 * is in the list registers when the guest looks.  ICC_IAR1_EL1 returning
 * 1023 (spurious) is how a masked interrupt shows; ICC_HPPIR1_EL1 names the
 * most urgent pending one without acknowledging it.
 */
#include "test.h"

#define ORDER		0
#define PREEMPT		1
#define PMR		2
#define ENABLE		3
#define GROUPS		4
#define EOIMODE0	5
#define EOIMODE1	6

#define SGI		5
#define PPI		20
#define SPI_A		40	/* priority 0xa0 */
#define SPI_B		41	/* 0x80 */
#define SPI_C		42	/* 0xc0 */
#define SPI_LEVEL	43	/* the test's line */
#define SPI_G0		44	/* group 0: a FIQ */

static u32 count[64], fiqs[64], order[16], nr_order;
static u32 scenario;

static void record(u32 intid)
{
	GUEST_ASSERT(intid < 64);
	count[intid]++;
	if (nr_order < ARRAY_SIZE(order))
		order[nr_order] = intid;
	nr_order++;
}

/* Nested interrupts while SPI_A's handler runs with IRQs unmasked. */
static void preempt_in_a(void)
{
	GUEST_ASSERT_EQ(gic_rpr(), 0xa0);
	gic_set_pending(SPI_C);		/* less urgent: waits */
	gic_set_pending(SPI_B);		/* more urgent: preempts */
	wait_for_irq(count[SPI_B]);
	local_irq_disable();
	GUEST_ASSERT_EQ(count[SPI_C], 0);
	GUEST_ASSERT_EQ(gic_rpr(), 0xa0);
	record(0x3f);			/* "SPI_A's handler ends" */
}

/* The second instance of an active SGI: not a candidate until deactivated. */
static void active_sgi(bool split)
{
	gic_send_sgi(SGI, read_mpidr());
	GUEST_ASSERT(gic_is_active(SGI));
	GUEST_ASSERT(gic_is_pending(SGI));
	GUEST_ASSERT_EQ(gic_hppir(), GIC_SPURIOUS);
	if (!split)
		return;
	gic_eoi(SGI);			/* priority drop only */
	GUEST_ASSERT_EQ(gic_rpr(), 0xff);
	GUEST_ASSERT(gic_is_active(SGI));
	GUEST_ASSERT_EQ(gic_hppir(), GIC_SPURIOUS);
	local_irq_enable();		/* nothing can be taken: it is active */
	isb();
	GUEST_ASSERT_EQ(gic_ack(), GIC_SPURIOUS);
	local_irq_disable();
	GUEST_ASSERT_EQ(count[SGI], 1);
	gic_deactivate(SGI);
	GUEST_ASSERT(!gic_is_active(SGI));
	GUEST_ASSERT_EQ(gic_hppir(), SGI);
	wait_for_irq(count[SGI] == 2);	/* nested: the second instance */
	local_irq_disable();
}

void irq_handler(void)
{
	u32 intid = gic_ack(), n;
	bool split = scenario == EOIMODE1;

	record(intid);
	n = count[intid];
	if (intid == SPI_A && scenario == PREEMPT)
		preempt_in_a();
	if (intid == SGI && n == 1 && (scenario == EOIMODE0 || split))
		active_sgi(split);
	if (intid == SPI_LEVEL) {
		/* Still high: after the deactivation it fires again. */
		GUEST_ASSERT(gic_is_pending(SPI_LEVEL));
		if (n == 2)
			ucall(52);	/* the test lowers the line */
	}
	if (intid == SGI && split && n == 1)
		return;		/* dropped and deactivated in active_sgi() */
	gic_eoi(intid);
	if (split) {
		GUEST_ASSERT(gic_is_active(intid));
		gic_deactivate(intid);
	}
	if (intid == SGI && scenario == EOIMODE0 && n == 1) {
		/* Deactivated: the second instance is a candidate now. */
		GUEST_ASSERT(!gic_is_active(SGI));
		GUEST_ASSERT_EQ(gic_hppir(), SGI);
	}
}

void fiq_handler(void)
{
	u32 intid = gic_ack0();

	GUEST_ASSERT(intid < 64);
	fiqs[intid]++;
	gic_eoi0(intid);
}

static void take_all(void)
{
	wait_for_irq(!gic_is_pending(SPI_A) && !gic_is_pending(SPI_B) &&
		     !gic_is_pending(SPI_C) && !gic_is_pending(SGI));
	local_irq_disable();
}

static void order_test(void)
{
	gic_set_pending(SPI_A);
	gic_set_pending(SPI_C);
	gic_set_pending(SPI_B);
	gic_send_sgi(SGI, read_mpidr());	/* 0x90 */
	GUEST_ASSERT_EQ(gic_hppir(), SPI_B);
	take_all();
	GUEST_ASSERT_EQ(nr_order, 4);
	GUEST_ASSERT_EQ(order[0], SPI_B);
	GUEST_ASSERT_EQ(order[1], SGI);
	GUEST_ASSERT_EQ(order[2], SPI_A);
	GUEST_ASSERT_EQ(order[3], SPI_C);
}

static void preempt_test(void)
{
	gic_set_pending(SPI_A);
	wait_for_irq(count[SPI_C]);
	local_irq_disable();
	GUEST_ASSERT_EQ(nr_order, 4);
	GUEST_ASSERT_EQ(order[0], SPI_A);
	GUEST_ASSERT_EQ(order[1], SPI_B);	/* nested in SPI_A's handler */
	GUEST_ASSERT_EQ(order[2], 0x3f);	/* SPI_A's handler returns */
	GUEST_ASSERT_EQ(order[3], SPI_C);
	GUEST_ASSERT_EQ(gic_rpr(), 0xff);
}

/* @intid is pending and enabled, but masked: the CPU interface says spurious. */
static void assert_masked(u32 intid)
{
	GUEST_ASSERT(gic_is_pending(intid));
	local_irq_enable();
	isb();
	GUEST_ASSERT_EQ(gic_ack(), GIC_SPURIOUS);
	local_irq_disable();
	GUEST_ASSERT_EQ(count[intid], 0);
}

static void pmr_test(void)
{
	gic_set_pmr(0x80);
	gic_set_pending(SPI_B);			/* 0x80: not above the mask */
	assert_masked(SPI_B);
	gic_set_pmr(0x88);
	wait_for_irq(count[SPI_B]);
	local_irq_disable();
	gic_set_pmr(0);				/* masks everything */
	gic_send_sgi(SGI, read_mpidr());
	assert_masked(SGI);
	gic_set_pmr(0xff);
	wait_for_irq(count[SGI]);
}

static void enable_test(void)
{
	gic_irq_disable(SPI_A);
	gic_irq_disable(SGI);
	gic_irq_disable(PPI);
	GUEST_ASSERT(!gic_is_enabled(SPI_A) && !gic_is_enabled(SGI) && !gic_is_enabled(PPI));
	gic_set_pending(SPI_A);
	gic_send_sgi(SGI, read_mpidr());
	gic_set_pending(PPI);
	assert_masked(SPI_A);
	assert_masked(SGI);
	assert_masked(PPI);
	GUEST_ASSERT_EQ(gic_hppir(), GIC_SPURIOUS);	/* not forwarded at all */
	gic_irq_enable(SPI_A);
	wait_for_irq(count[SPI_A]);
	local_irq_disable();
	assert_masked(SGI);
	gic_irq_enable(SGI);
	gic_irq_enable(PPI);
	wait_for_irq(count[SGI] && count[PPI]);
}

static void groups_test(void)
{
	u64 ctlr = VIRT_GIC_DIST_BASE + GICD_CTLR;

	/* The distributor's group enables. */
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP0, ctlr);
	GUEST_ASSERT_EQ(readl(ctlr), GICD_CTLR_ARE | GICD_CTLR_DS | GICD_CTLR_GRP0);
	gic_set_pending(SPI_A);
	gic_send_sgi(SGI, read_mpidr());
	assert_masked(SPI_A);
	assert_masked(SGI);
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP0 | GICD_CTLR_GRP1, ctlr);
	wait_for_irq(count[SPI_A] && count[SGI]);
	local_irq_disable();

	/* The CPU interface's: ICC_IGRPEN1_EL1. */
	gic_set_igrpen(true, false);
	gic_set_pending(SPI_B);
	assert_masked(SPI_B);
	gic_set_igrpen(true, true);
	wait_for_irq(count[SPI_B]);
	local_irq_disable();

	/* Group 0 is a FIQ, behind GICD_CTLR.EnableGrp0 and ICC_IGRPEN0_EL1. */
	gic_set_group(SPI_G0, false);
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP1, ctlr);
	gic_set_pending(SPI_G0);
	local_irq_enable();
	isb();
	GUEST_ASSERT_EQ(gic_ack0(), GIC_SPURIOUS);
	local_irq_disable();
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP0 | GICD_CTLR_GRP1, ctlr);
	wait_for_irq(fiqs[SPI_G0]);
	local_irq_disable();
	GUEST_ASSERT_EQ(count[SPI_G0], 0);
}

static void eoimode_test(bool split)
{
	gic_set_eoimode(split);
	GUEST_ASSERT_EQ(read_sysreg_s("S3_0_C12_C12_4") & 2, split ? 2 : 0);
	gic_send_sgi(SGI, read_mpidr());
	wait_for_irq(count[SGI] == 2);
	local_irq_disable();
	GUEST_ASSERT(!gic_is_active(SGI) && !gic_is_pending(SGI));
	GUEST_ASSERT_EQ(gic_rpr(), 0xff);

	/* A level SPI the test raises: taken again after each deactivation. */
	ucall(50);
	wait_for_irq(count[SPI_LEVEL] == 2);
	local_irq_disable();
	GUEST_ASSERT(!gic_is_pending(SPI_LEVEL) && !gic_is_active(SPI_LEVEL));
}

int main(void)
{
	static const u8 prio[][2] = {
		{ SGI, 0x90 }, { PPI, 0x90 }, { SPI_A, 0xa0 }, { SPI_B, 0x80 },
		{ SPI_C, 0xc0 }, { SPI_LEVEL, 0x80 }, { SPI_G0, 0x80 },
	};
	u32 i;

	scenario = guest_arg(0);
	gic_init();
	gic_cpu_init();
	gic_set_igrpen(true, true);
	for (i = 0; i < ARRAY_SIZE(prio); i++) {
		u32 intid = prio[i][0];

		gic_set_priority(intid, prio[i][1]);
		GUEST_ASSERT_EQ(gic_get_priority(intid), prio[i][1]);
		if (intid >= 32) {
			gic_set_edge(intid, intid != SPI_LEVEL);
			gic_route(intid, read_mpidr() & 0xff00ffffffUL);
		}
		gic_irq_enable(intid);
	}
	switch (scenario) {
	case ORDER:
		order_test();
		break;
	case PREEMPT:
		preempt_test();
		break;
	case PMR:
		pmr_test();
		break;
	case ENABLE:
		enable_test();
		break;
	case GROUPS:
		groups_test();
		break;
	case EOIMODE0:
	case EOIMODE1:
		eoimode_test(scenario == EOIMODE1);
		break;
	}
	return 0;
}
