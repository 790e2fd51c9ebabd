// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small GICv3 driver for the guests: the distributor at
 * VIRT_GIC_DIST_BASE, vCPU n's redistributor at VIRT_GIC_REDIST_BASE +
 * n * 128 KiB (n = MPIDR_EL1.Aff0, as a64vm numbers them), the CPU interface
 * through its system registers.  One security state: group 1 interrupts are
 * IRQs (gic_ack()), group 0 ones FIQs (gic_ack0()); everything starts in
 * group 1.
 */
#include "guest.h"

#define ICC_SRE_SRE		1

/**
 * gic_redist() - the RD_base frame of a vCPU's redistributor
 * @cpu: the vCPU's MPIDR_EL1.Aff0
 *
 * Return: its guest-physical address.
 */
u64 gic_redist(u32 cpu)
{
	return VIRT_GIC_REDIST_BASE + cpu * VIRT_GIC_REDIST_STRIDE;
}

/* The frame that holds @intid's registers: the distributor, or our SGI frame. */
static u64 frame(u32 intid)
{
	if (intid >= 32)
		return VIRT_GIC_DIST_BASE;
	return gic_redist(read_mpidr() & 0xff) + GICR_SGI_BASE;
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
	u64 rd = gic_redist(read_mpidr() & 0xff);

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

bool gic_is_enabled(u32 intid)
{
	return readl(bit_reg(intid, GICD_ISENABLER)) & (1U << (intid % 32));
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

u8 gic_get_priority(u32 intid)
{
	return readl(frame(intid) + GICD_IPRIORITYR + (intid & ~3U)) >> ((intid % 4) * 8);
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

/* ICC_IGRPEN0_EL1 and ICC_IGRPEN1_EL1: which groups this vCPU takes. */
void gic_set_igrpen(bool grp0, bool grp1)
{
	write_sysreg_s(grp0, "S3_0_C12_C12_6");			/* ICC_IGRPEN0_EL1 */
	write_sysreg_s(grp1, "S3_0_C12_C12_7");			/* ICC_IGRPEN1_EL1 */
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

/* Group 0 (FIQs): ICC_IAR0_EL1 and ICC_EOIR0_EL1. */
u32 gic_ack0(void)
{
	u32 intid = read_sysreg_s("S3_0_C12_C8_0");		/* ICC_IAR0_EL1 */

	dsb_sy();
	return intid;
}

void gic_eoi0(u32 intid)
{
	write_sysreg_s(intid, "S3_0_C12_C8_1");			/* ICC_EOIR0_EL1 */
	isb();
}

void gic_deactivate(u32 intid)
{
	write_sysreg_s(intid, "S3_0_C12_C11_1");		/* ICC_DIR_EL1 */
	isb();
}

/* The highest-priority pending group 1 interrupt, not acknowledged; 1023 if none. */
u32 gic_hppir(void)
{
	return read_sysreg_s("S3_0_C12_C12_2");			/* ICC_HPPIR1_EL1 */
}

/* The running priority: that of the most urgent active interrupt, 0xff if none. */
u32 gic_rpr(void)
{
	return read_sysreg_s("S3_0_C12_C11_3");			/* ICC_RPR_EL1 */
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
	write_sysreg_s(SGI1R_INTID(sgi) | SGI1R_IRM, "S3_0_C12_C11_5");
	isb();
}

/* ICC_SGI1R_EL1 written as is (SGI1R_* fields), whatever it says. */
void gic_write_sgi1r(u64 val)
{
	dsb_sy();
	write_sysreg_s(val, "S3_0_C12_C11_5");			/* ICC_SGI1R_EL1 */
	isb();
}
