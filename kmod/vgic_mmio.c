// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3's distributor (GICD_*) and redistributors (GICR_*) as the guest
 * sees them: emulated in the kernel on a data abort in their frames, never
 * an exit to userspace.  The same accessors serve the device attributes
 * (A64VCPU_VGIC_GRP_DIST_REGS / REDIST_REGS).
 *
 * What is implemented (GICv3 architecture, IHI 0069): affinity routing
 * always on (GICD_CTLR.ARE RAO/WI), one security state (DS RAO/WI: group 0
 * is a virtual FIQ, group 1 an IRQ), no LPIs, no ITS, no 1-of-N SPI routing
 * (GICD_TYPER.No1N), 10-bit INTIDs, 5 priority bits.  Registers that
 * affinity routing or this configuration makes reserved read as zero and
 * ignore writes; so do accesses of a size the register does not allow.
 */
#include <linux/bitfield.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/cputype.h>

#include "a64vcpu.h"

#define PRIORITY_MASK		GENMASK(7, 3)	/* 5 priority bits */
#define IIDR_VALUE		(0x43b | (0xa6 << GICD_IIDR_PRODUCT_ID_SHIFT))
#define PIDR2_VALUE		(GIC_PIDR2_ARCH_GICv3 | 0xb)
/* GICD_TYPER.IDbits and No1N: the kernel's header has only GICD_TYPER_ID_BITS() to read one. */
#define TYPER_IDBITS		(9 << 19)	/* 10-bit INTIDs */
#define TYPER_NO1N		BIT(25)
#define IROUTER_AFF_MASK	MPIDR_HWID_BITMASK	/* MPIDR's Aff3, Aff2-0 */

enum irq_field {
	F_GROUP, F_SET_ENABLE, F_CLEAR_ENABLE, F_SET_PENDING, F_CLEAR_PENDING,
	F_SET_ACTIVE, F_CLEAR_ACTIVE, F_PRIORITY, F_CONFIG,
};

/* Registers with a field per interrupt, at the same offsets in both frames. */
static const struct irq_reg {
	u32 offset;
	u8 bits;
	enum irq_field field;
} irq_regs[] = {
	{ GICD_IGROUPR,		1, F_GROUP },
	{ GICD_ISENABLER,	1, F_SET_ENABLE },
	{ GICD_ICENABLER,	1, F_CLEAR_ENABLE },
	{ GICD_ISPENDR,		1, F_SET_PENDING },
	{ GICD_ICPENDR,		1, F_CLEAR_PENDING },
	{ GICD_ISACTIVER,	1, F_SET_ACTIVE },
	{ GICD_ICACTIVER,	1, F_CLEAR_ACTIVE },
	{ GICD_IPRIORITYR,	8, F_PRIORITY },
	{ GICD_ICFGR,		2, F_CONFIG },
};

static u32 field_read(const struct a64_vgic_irq *irq, enum irq_field f)
{
	switch (f) {
	case F_GROUP:
		return irq->group1;
	case F_SET_ENABLE:
	case F_CLEAR_ENABLE:
		return irq->enabled;
	case F_SET_PENDING:
	case F_CLEAR_PENDING:
		return irq->latch || (irq->level && irq->line);
	case F_SET_ACTIVE:
	case F_CLEAR_ACTIVE:
		return irq->active;
	case F_PRIORITY:
		return irq->priority;
	case F_CONFIG:
		return irq->level ? 0 : 2;
	}
	return 0;
}

static void field_write(struct a64_vgic_irq *irq, enum irq_field f, u32 v)
{
	switch (f) {
	case F_GROUP:
		irq->group1 = v;
		break;
	case F_SET_ENABLE:
		irq->enabled |= v;
		break;
	case F_CLEAR_ENABLE:
		irq->enabled &= !v;
		break;
	case F_SET_PENDING:
		irq->latch |= v;
		break;
	case F_CLEAR_PENDING:
		irq->latch &= !v;
		break;
	case F_SET_ACTIVE:
		irq->active |= v;
		break;
	case F_CLEAR_ACTIVE:
		irq->active &= !v;
		break;
	case F_PRIORITY:
		irq->priority = v & PRIORITY_MASK;
		break;
	case F_CONFIG:
		/* SGIs are edge and PPIs level, fixed (as KVM: the timers need it) */
		if (irq->intid >= A64_VGIC_NR_PRIVATE)
			irq->level = !(v & 2);
		break;
	}
}

/*
 * A write changed the pending or active state of an interrupt that a
 * running vCPU holds in its list registers: the write wins over what that
 * vCPU's next exit brings back, and the kick brings that exit about now.
 */
static void overrule(struct a64_vgic_irq *irq)
{
	irq->overruled = true;
	a64_vcpu_kick(irq->in_lr);
}

/*
 * A per-interrupt register: @vcpu's SGIs and PPIs (redistributor) or the
 * SPIs (distributor, @vcpu NULL).  Interrupts of the other kind in the range
 * read as zero and ignore writes.  Returns false if @offset is not one.
 */
static bool irq_reg_access(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 offset,
			   unsigned int len, bool write, u64 *val)
{
	const struct irq_reg *r = NULL;
	unsigned int i, nr;
	u32 first, mask;
	u64 out = 0;

	for (i = 0; i < ARRAY_SIZE(irq_regs); i++) {
		u32 size = A64_VGIC_MAX_IRQS * irq_regs[i].bits / 8;

		if (offset >= irq_regs[i].offset && offset < irq_regs[i].offset + size) {
			r = &irq_regs[i];
			break;
		}
	}
	if (!r)
		return false;
	/* Word accesses everywhere; bytes too for the priorities. */
	if (len != 4 && !(len == 1 && r->field == F_PRIORITY))
		goto raz_wi;
	first = (offset - r->offset) * 8 / r->bits;
	nr = len * 8 / r->bits;
	mask = r->bits == 32 ? ~0U : BIT(r->bits) - 1;
	for (i = 0; i < nr; i++) {
		u32 intid = first + i;
		struct a64_vgic_irq *irq;

		if (vcpu ? intid >= A64_VGIC_NR_PRIVATE : intid < A64_VGIC_NR_PRIVATE)
			continue;
		irq = a64_vgic_irq_locked(vgic, vcpu, intid);
		if (!irq)
			break;
		if (write) {
			field_write(irq, r->field, (*val >> (i * r->bits)) & mask);
			if (irq->in_lr && r->field >= F_SET_PENDING && r->field <= F_CLEAR_ACTIVE)
				overrule(irq);
			a64_vgic_update_locked(vgic, irq);
		} else {
			out |= (u64)field_read(irq, r->field) << (i * r->bits);
		}
	}
	if (!write)
		*val = out;
	return true;

raz_wi:
	if (!write)
		*val = 0;
	return true;
}

/* Every vCPU re-evaluates its candidates (a group was enabled). */
static void kick_all_locked(struct a64_vgic *vgic)
{
	unsigned int i;

	for (i = 0; i < vgic->nr_vcpus; i++)
		if (vgic->vcpus[i])
			a64_vcpu_kick(vgic->vcpus[i]);
}

static void dist_ctlr_write(struct a64_vgic *vgic, u32 v)
{
	bool grp0 = v & GICD_CTLR_ENABLE_SS_G0, grp1 = v & GICD_CTLR_ENABLE_SS_G1;
	bool enabling = (grp0 && !vgic->grp0_en) || (grp1 && !vgic->grp1_en);

	vgic->grp0_en = grp0;
	vgic->grp1_en = grp1;
	if (enabling)
		kick_all_locked(vgic);
}

static void irouter_write(struct a64_vgic *vgic, struct a64_vgic_irq *irq, u64 route)
{
	irq->route = route & IROUTER_AFF_MASK;
	irq->target = a64_vgic_route_locked(vgic, irq->route);
	a64_vgic_update_locked(vgic, irq);
}

/* GICD_IROUTER<n>: 64-bit, or either 32-bit half. */
static void irouter_access(struct a64_vgic *vgic, u32 offset, unsigned int len, bool write,
			   u64 *val)
{
	u32 intid = (offset - GICD_IROUTER) / 8;
	unsigned int shift = (offset & 4) * 8;
	struct a64_vgic_irq *irq = NULL;
	u64 mask;

	if (intid >= A64_VGIC_NR_PRIVATE && (len == 8 || (len == 4 && !(offset & 3))))
		irq = a64_vgic_irq_locked(vgic, NULL, intid);
	if (!irq || (len == 8 && (offset & 7))) {
		if (!write)
			*val = 0;
		return;
	}
	mask = len == 8 ? ~0ULL : GENMASK_ULL(31, 0) << shift;
	if (write)
		irouter_write(vgic, irq, (irq->route & ~mask) | ((*val << shift) & mask));
	else
		*val = (irq->route & mask) >> shift;
}

static void dist_access(struct a64_vgic *vgic, u32 offset, unsigned int len, bool write,
			u64 *val)
{
	u64 v = 0;

	if (irq_reg_access(vgic, NULL, offset, len, write, val))
		return;
	if (offset >= GICD_IROUTER && offset < GICD_IROUTER + 8 * A64_VGIC_MAX_IRQS) {
		irouter_access(vgic, offset, len, write, val);
		return;
	}
	if (len == 4) {
		switch (offset) {
		case GICD_CTLR:
			if (write)
				dist_ctlr_write(vgic, *val);
			v = GICD_CTLR_DS | GICD_CTLR_ARE_NS |
			    (vgic->grp0_en ? GICD_CTLR_ENABLE_SS_G0 : 0) |
			    (vgic->grp1_en ? GICD_CTLR_ENABLE_SS_G1 : 0);
			break;
		case GICD_TYPER:
			v = TYPER_NO1N | TYPER_IDBITS | (vgic->nr_irqs / 32 - 1);
			break;
		case GICD_IIDR:
			v = IIDR_VALUE;
			break;
		case GICD_PIDR2:
			v = PIDR2_VALUE;
			break;
		}
	}
	if (!write)
		*val = v;
}

/* GICR_TYPER of the redistributor of @vcpu. */
static u64 redist_typer(struct a64_vgic *vgic, struct a64_vcpu *vcpu)
{
	u64 aff = a64_vcpu_affinity(vcpu);
	u64 aff32 = (aff & 0xffffff) | ((aff >> 32) << 24);

	return (aff32 << 32) | ((u64)vcpu->idx << 8) |
	       (vcpu->idx == vgic->nr_vcpus - 1 ? GICR_TYPER_LAST : 0);
}

static void redist_access(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 offset,
			  unsigned int len, bool write, u64 *val)
{
	u64 v = 0;

	if (offset >= A64_VGIC_SGI_BASE) {
		if (!vcpu || !irq_reg_access(vgic, vcpu, offset - A64_VGIC_SGI_BASE, len, write,
					     val))
			goto raz_wi;
		return;
	}
	if (!vcpu)
		goto raz_wi;
	if (offset == GICR_TYPER && len == 8)
		v = redist_typer(vgic, vcpu);
	else if ((offset == GICR_TYPER || offset == GICR_TYPER + 4) && len == 4)
		v = redist_typer(vgic, vcpu) >> ((offset - GICR_TYPER) * 8);
	else if (offset == GICR_IIDR && len == 4)
		v = IIDR_VALUE;
	else if (offset == GICR_PIDR2 && len == 4)
		v = PIDR2_VALUE;
	/* GICR_CTLR, GICR_WAKER (never asleep), LPI registers: RAZ/WI */
	if (!write)
		*val = v & (len == 8 ? ~0ULL : GENMASK_ULL(31, 0));
	return;

raz_wi:
	if (!write)
		*val = 0;
}

/**
 * a64_vgic_covers() - is a guest-physical address in the vGIC's frames?
 * @vcpu: a vCPU of the VM
 * @ipa: the address
 *
 * Return: true if a64_vgic_mmio() would take an access there.
 */
bool a64_vgic_covers(struct a64_vcpu *vcpu, u64 ipa)
{
	struct a64_vgic *vgic = a64_vm_vgic(vcpu->vm);

	return vgic && (ipa - vgic->dist_base < A64_VGIC_DIST_SIZE ||
			ipa - vgic->redist_base < (u64)vgic->nr_vcpus * A64_VGIC_REDIST_SIZE);
}

/**
 * a64_vgic_mmio() - a guest access to the distributor or a redistributor
 * @vcpu: the vCPU that made it
 * @ipa: the address
 * @len: 1, 2, 4 or 8 bytes
 * @write: a store (*@val holds it) or a load (the value goes to *@val)
 * @val: the value
 *
 * Return: true if @ipa is in one of the vGIC's frames (the access is done),
 * false if not.
 */
bool a64_vgic_mmio(struct a64_vcpu *vcpu, u64 ipa, unsigned int len, bool write, u64 *val)
{
	struct a64_vgic *vgic = a64_vm_vgic(vcpu->vm);
	struct a64_vcpu *target = NULL;
	unsigned long flags;
	u64 off;

	if (!vgic)
		return false;
	if (ipa - vgic->dist_base < A64_VGIC_DIST_SIZE) {
		spin_lock_irqsave(&vgic->lock, flags);
		dist_access(vgic, ipa - vgic->dist_base, len, write, val);
		spin_unlock_irqrestore(&vgic->lock, flags);
		vcpu->stat_vgic_mmio++;
		return true;
	}
	off = ipa - vgic->redist_base;
	if (off >= (u64)vgic->nr_vcpus * A64_VGIC_REDIST_SIZE)
		return false;
	spin_lock_irqsave(&vgic->lock, flags);
	target = vgic->vcpus[off / A64_VGIC_REDIST_SIZE];
	redist_access(vgic, target, off % A64_VGIC_REDIST_SIZE, len, write, val);
	spin_unlock_irqrestore(&vgic->lock, flags);
	vcpu->stat_vgic_mmio++;
	return true;
}

/**
 * a64_vgic_dist_access() - a distributor register for userspace (attributes)
 * @vgic: an initialised vGIC
 * @offset: the register's offset, 4-byte aligned
 * @write: set it from *@val, or read it into *@val
 * @val: the value
 *
 * Return: 0, or -EINVAL for an offset outside the frame or not aligned.
 */
int a64_vgic_dist_access(struct a64_vgic *vgic, u32 offset, bool write, u32 *val)
{
	unsigned long flags;
	u64 v = *val;

	if (offset >= A64_VGIC_DIST_SIZE || (offset & 3))
		return -EINVAL;
	spin_lock_irqsave(&vgic->lock, flags);
	dist_access(vgic, offset, 4, write, &v);
	spin_unlock_irqrestore(&vgic->lock, flags);
	*val = v;
	return 0;
}

/**
 * a64_vgic_redist_access() - a redistributor register for userspace
 * @vgic: an initialised vGIC
 * @vcpu: the redistributor's vCPU
 * @offset: the register's offset in its 128 KiB frame, 4-byte aligned
 * @write: set it from *@val, or read it into *@val
 * @val: the value
 *
 * Return: 0, or -EINVAL for an offset outside the frame or not aligned.
 */
int a64_vgic_redist_access(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 offset,
			   bool write, u32 *val)
{
	unsigned long flags;
	u64 v = *val;

	if (offset >= A64_VGIC_REDIST_SIZE || (offset & 3))
		return -EINVAL;
	spin_lock_irqsave(&vgic->lock, flags);
	redist_access(vgic, vcpu, offset, 4, write, &v);
	spin_unlock_irqrestore(&vgic->lock, flags);
	*val = v;
	return 0;
}
