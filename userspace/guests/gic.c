// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small GICv3 driver for the guests: the distributor at
 * VIRT_GIC_DIST_BASE, vCPU n's redistributor at VIRT_GIC_REDIST_BASE +
 * n * 128 KiB (n = MPIDR_EL1.Aff0, as a64vm numbers them), the CPU interface
 * through its system registers.  Group 1 throughout (one security state).
 */
#include "guest.h"

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_CTLR_ARE		(1 << 4)
#define GICD_CTLR_GRP1		(1 << 1)
#define GICD_CTLR_GRP0		(1 << 0)
#define GICR_WAKER		0x0014
#define GICR_SGI_BASE		0x10000
#define ICC_SRE_SRE		1

/* The frame that holds @intid's registers: the distributor, or our SGI frame. */
static u64 frame(u32 intid)
{
	if (intid >= 32)
		return VIRT_GIC_DIST_BASE;
	return VIRT_GIC_REDIST_BASE + (read_mpidr() & 0xff) * VIRT_GIC_REDIST_STRIDE +
	       GICR_SGI_BASE;
}

static u64 bit_reg(u32 intid, u32 reg)
{
	return frame(intid) + reg + intid / 32 * 4;
}

/**
 * gic_init() - the distributor: affinity routing, both groups on, every
 * SPI in group 1.  Once, by the primary vCPU.
 */
void gic_init(void)
{
	u32 nr = ((readl(VIRT_GIC_DIST_BASE + GICD_TYPER) & 0x1f) + 1) * 32, i;

	writel(0, VIRT_GIC_DIST_BASE + GICD_CTLR);
	for (i = 32; i < nr; i += 32)
		writel(~0U, VIRT_GIC_DIST_BASE + GICD_IGROUPR + i / 8);
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0, VIRT_GIC_DIST_BASE + GICD_CTLR);
}

/**
 * gic_cpu_init() - this vCPU's redistributor and CPU interface: SGIs and
 * PPIs in group 1, the priority mask open, group 1 enabled, EOImode 0.
 */
void gic_cpu_init(void)
{
	u64 rd = VIRT_GIC_REDIST_BASE + (read_mpidr() & 0xff) * VIRT_GIC_REDIST_STRIDE;

	writel(0, rd + GICR_WAKER);
	writel(~0U, rd + GICR_SGI_BASE + GICD_IGROUPR);
	write_sysreg_s(ICC_SRE_SRE, "S3_0_C12_C12_5");		/* ICC_SRE_EL1 */
	gic_set_pmr(0xff);
	write_sysreg_s(0, "S3_0_C12_C12_4");			/* ICC_CTLR_EL1 */
	write_sysreg_s(1, "S3_0_C12_C12_7");			/* ICC_IGRPEN1_EL1 */
	isb();
}

void gic_irq_enable(u32 intid)
{
	writel(1U << (intid % 32), bit_reg(intid, GICD_ISENABLER));
}

void gic_irq_disable(u32 intid)
{
	writel(1U << (intid % 32), bit_reg(intid, GICD_ICENABLER));
}

void gic_set_pending(u32 intid)
{
	writel(1U << (intid % 32), bit_reg(intid, GICD_ISPENDR));
}

void gic_clear_pending(u32 intid)
{
	writel(1U << (intid % 32), bit_reg(intid, GICD_ICPENDR));
}

bool gic_is_pending(u32 intid)
{
	return readl(bit_reg(intid, GICD_ISPENDR)) & (1U << (intid % 32));
}

bool gic_is_active(u32 intid)
{
	return readl(bit_reg(intid, GICD_ISACTIVER)) & (1U << (intid % 32));
}

void gic_clear_active(u32 intid)
{
	writel(1U << (intid % 32), bit_reg(intid, GICD_ICACTIVER));
}

/* Group 1 (an IRQ) or group 0 (a FIQ, with one security state). */
void gic_set_group(u32 intid, bool group1)
{
	u64 reg = bit_reg(intid, GICD_IGROUPR);
	u32 val = readl(reg) & ~(1U << (intid % 32));

	writel(val | ((u32)group1 << (intid % 32)), reg);
}

/* Priorities are byte registers: four per word. */
void gic_set_priority(u32 intid, u8 prio)
{
	u64 reg = frame(intid) + GICD_IPRIORITYR + (intid & ~3U);
	unsigned int shift = (intid % 4) * 8;

	writel((readl(reg) & ~(0xffU << shift)) | ((u32)prio << shift), reg);
}

/* SPIs only: edge-triggered or level-sensitive. */
void gic_set_edge(u32 intid, bool edge)
{
	u64 reg = VIRT_GIC_DIST_BASE + GICD_ICFGR + intid / 16 * 4;
	unsigned int shift = (intid % 16) * 2 + 1;

	writel((readl(reg) & ~(1U << shift)) | ((u32)edge << shift), reg);
}

/* An SPI to the vCPU with affinity @mpidr (Aff3 in bits 39:32, as MPIDR). */
void gic_route(u32 intid, u64 mpidr)
{
	u64 reg = VIRT_GIC_DIST_BASE + GICD_IROUTER + intid * 8;

	writel(mpidr & 0xffffff, reg);
	writel((mpidr >> 32) & 0xff, reg + 4);
}

void gic_set_pmr(u8 pmr)
{
	write_sysreg_s(pmr, "S3_0_C4_C6_0");			/* ICC_PMR_EL1 */
	isb();
}

/* EOImode 1: ICC_EOIR1_EL1 only drops the priority, ICC_DIR_EL1 deactivates. */
void gic_set_eoimode(bool split)
{
	write_sysreg_s(split ? 2 : 0, "S3_0_C12_C12_4");	/* ICC_CTLR_EL1 */
	isb();
}

/* The highest-priority pending interrupt, now active; 1023 if none. */
u32 gic_ack(void)
{
	u32 intid = read_sysreg_s("S3_0_C12_C12_0");		/* ICC_IAR1_EL1 */

	dsb_sy();
	return intid;
}

void gic_eoi(u32 intid)
{
	write_sysreg_s(intid, "S3_0_C12_C12_1");		/* ICC_EOIR1_EL1 */
	isb();
}

void gic_deactivate(u32 intid)
{
	write_sysreg_s(intid, "S3_0_C12_C11_1");		/* ICC_DIR_EL1 */
	isb();
}

/* SGI @sgi to the vCPU with affinity @mpidr (Aff0 < 16). */
void gic_send_sgi(u32 sgi, u64 mpidr)
{
	u64 val = ((u64)sgi << 24) | (1UL << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
		  (((mpidr >> 16) & 0xff) << 32) | (((mpidr >> 32) & 0xff) << 48);

	dsb_sy();
	write_sysreg_s(val, "S3_0_C12_C11_5");			/* ICC_SGI1R_EL1 */
	isb();
}

/* SGI @sgi to every vCPU but this one (Interrupt Routing Mode 1). */
void gic_send_sgi_others(u32 sgi)
{
	dsb_sy();
	write_sysreg_s(((u64)sgi << 24) | (1UL << 40), "S3_0_C12_C11_5");
	isb();
}
