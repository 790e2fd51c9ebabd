// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest side of the vGIC device's state attributes
 * (selftests/vgic_device.c): it reads what the test set through them, sets
 * what the test reads back, and leaves state behind for teardown.  The
 * scenario is guest_arg(0); no gic_init() here, which would overwrite it.
 */
#include "test.h"

#define READ_BACK	0	/* report what the test set */
#define WRITE		1	/* set state, then check what the test changed */
#define LEAVE_STATE	2	/* timers armed, interrupts pending, then stop */
#define SURVIVOR	3	/* vCPU 1 is gone: nothing reaches it */

#define DIST		VIRT_GIC_DIST_BASE
#define SGI_FRAME(cpu)	(gic_redist(cpu) + GICR_SGI_BASE)

static u32 count[64];

void irq_handler(void)
{
	u32 intid = gic_ack();

	GUEST_ASSERT(intid < 64);
	count[intid]++;
	gic_eoi(intid);
}

static void read_back(void)
{
	u32 cpu;

	ucall(readl(DIST + GICD_TYPER));
	ucall(readl(DIST + GICD_IPRIORITYR + 40));
	ucall(readl(DIST + GICD_ISENABLER + 4));
	ucall(readl(DIST + GICD_ICFGR + 8));
	ucall(readq(DIST + GICD_IROUTER + 8 * 40));
	ucall(readl(SGI_FRAME(0) + GICD_IPRIORITYR));
	ucall(readl(SGI_FRAME(0) + GICD_ISENABLER));
	ucall(readl(SGI_FRAME(0) + GICD_ISPENDR));
	ucall(read_sysreg_s("S3_0_C4_C6_0"));		/* ICC_PMR_EL1 */
	ucall(read_sysreg_s("S3_0_C12_C12_7"));		/* ICC_IGRPEN1_EL1 */
	ucall(read_sysreg_s("S3_0_C12_C12_4") & 2);	/* ICC_CTLR_EL1.EOImode */
	for (cpu = 0; cpu < 2; cpu++)
		ucall(readq(gic_redist(cpu) + GICR_TYPER));
	ucall(readl(DIST + GICD_CTLR));
}

static void write_then_check(void)
{
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP1, DIST + GICD_CTLR);
	writeb(0x68, DIST + GICD_IPRIORITYR + 42);
	writel(1U << (42 - 32), DIST + GICD_ISENABLER + 4);
	writel(2U << ((43 % 16) * 2), DIST + GICD_ICFGR + 8);	/* 43 edge */
	writel(~(1U << (44 - 32)), DIST + GICD_IGROUPR + 4);		/* 44 group 0 */
	writel(0x0100, DIST + GICD_IROUTER + 8 * 42);			/* Aff1 1 */
	writel(0x7, DIST + GICD_IROUTER + 8 * 42 + 4);			/* Aff3 7 */
	writeb(0x88, SGI_FRAME(0) + GICD_IPRIORITYR + 5);
	writel(1U << 5, SGI_FRAME(0) + GICD_ISENABLER);
	writel(1U << (45 - 32), DIST + GICD_ISPENDR + 4);
	write_sysreg_s(0xd0, "S3_0_C4_C6_0");			/* ICC_PMR_EL1 */
	write_sysreg_s(2, "S3_0_C12_C12_4");			/* EOImode 1 */
	write_sysreg_s(1, "S3_0_C12_C12_7");
	isb();
	ucall(1);		/* the test reads all that, changes some */
	/* It cleared 45's pending state, set 46's priority, raised 47's line. */
	GUEST_ASSERT(!(readl(DIST + GICD_ISPENDR + 4) & (1U << (45 - 32))));
	GUEST_ASSERT_EQ(readb(DIST + GICD_IPRIORITYR + 46), 0x38);
	GUEST_ASSERT(readl(DIST + GICD_ISPENDR + 4) & (1U << (47 - 32)));
	GUEST_ASSERT_EQ(read_sysreg_s("S3_0_C4_C6_0"), 0x70);
	ucall(2);
}

/* Both timers armed 10 s ahead, SGIs and SPIs pending, one active. */
static void leave_state(void)
{
	u64 s = read_cntfrq();

	gic_init();
	gic_cpu_init();
	gic_irq_enable(27);
	gic_irq_enable(30);
	gic_irq_enable(1);
	gic_irq_enable(40);
	write_sysreg_s(read_cntvct() + 10 * s, "cntv_cval_el0");
	write_sysreg_s(1, "cntv_ctl_el0");
	write_sysreg_s(10 * s, "cntp_tval_el0");
	write_sysreg_s(1, "cntp_ctl_el0");
	isb();
	gic_send_sgi(1, read_mpidr());
	gic_send_sgi(2, read_mpidr());
	gic_set_pending(40);
	gic_set_pending(41);
	GUEST_ASSERT_EQ(gic_ack(), 1);		/* active, never EOIed */
	ucall(1);
	for (;;)
		asm volatile("wfi");
}

/*
 * vCPU 1 was closed after INIT: its redistributor reads as zero, an SPI
 * routed to it and an SGI sent to it go nowhere; vCPU 0 still works.
 */
static void survivor(void)
{
	gic_init();
	gic_cpu_init();
	GUEST_ASSERT_EQ(readq(gic_redist(1) + GICR_TYPER), 0);
	writel(1U << 3, SGI_FRAME(1) + GICD_ISENABLER);
	GUEST_ASSERT_EQ(readl(SGI_FRAME(1) + GICD_ISENABLER), 0);
	gic_irq_enable(40);
	gic_irq_enable(2);
	gic_irq_enable(3);
	gic_set_edge(40, true);
	gic_route(40, 1);
	gic_set_pending(40);
	gic_write_sgi1r(SGI1R_INTID(3) | 0x2);	/* to vCPU 1 */
	gic_send_sgi(2, 0);
	wait_for_irq(count[2]);
	local_irq_disable();
	GUEST_ASSERT_EQ(count[40], 0);
	GUEST_ASSERT(gic_is_pending(40));
	gic_route(40, 0);
	wait_for_irq(count[40]);
	local_irq_disable();
	GUEST_ASSERT_EQ(count[3], 0);
	ucall(3);
}

int main(void)
{
	switch (guest_arg(0)) {
	case READ_BACK:
		read_back();
		break;
	case WRITE:
		write_then_check();
		break;
	case LEAVE_STATE:
		leave_state();
		break;
	case SURVIVOR:
		survivor();
		break;
	}
	return 0;
}
