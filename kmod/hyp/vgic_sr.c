// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GICv3 virtual CPU interface, switched at EL2 on every full guest entry
 * and exit (switch.S): ICH_HCR_EL2, ICH_VMCR_EL2, the active-priority
 * registers and the list registers EL1 filled (kmod/vgic.c).
 *
 * While the host runs, every list register is zero and ICH_HCR_EL2 is 0 (the
 * virtual interface off), and ICH_VMCR_EL2 and the active priorities hold
 * the host's values again: nothing a guest did to them can be seen by the
 * next guest, by KVM when it takes EL2, or by the host.  A guest runs with
 * ICC_SRE_EL2.Enable clear, so that it cannot reach ICC_SRE_EL1 (its
 * accesses trap; on CPUs where Enable is RAO/WI, as in QEMU, the
 * architecture fixes ICC_SRE_EL1.SRE anyway).
 */
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/sysreg.h>

#include "hyp.h"

static u64 read_lr(unsigned int i)
{
	switch (i) {
	case 0:
		return read_sysreg_s(SYS_ICH_LR0_EL2);
	case 1:
		return read_sysreg_s(SYS_ICH_LR1_EL2);
	case 2:
		return read_sysreg_s(SYS_ICH_LR2_EL2);
	case 3:
		return read_sysreg_s(SYS_ICH_LR3_EL2);
	case 4:
		return read_sysreg_s(SYS_ICH_LR4_EL2);
	case 5:
		return read_sysreg_s(SYS_ICH_LR5_EL2);
	case 6:
		return read_sysreg_s(SYS_ICH_LR6_EL2);
	case 7:
		return read_sysreg_s(SYS_ICH_LR7_EL2);
	case 8:
		return read_sysreg_s(SYS_ICH_LR8_EL2);
	case 9:
		return read_sysreg_s(SYS_ICH_LR9_EL2);
	case 10:
		return read_sysreg_s(SYS_ICH_LR10_EL2);
	case 11:
		return read_sysreg_s(SYS_ICH_LR11_EL2);
	case 12:
		return read_sysreg_s(SYS_ICH_LR12_EL2);
	case 13:
		return read_sysreg_s(SYS_ICH_LR13_EL2);
	case 14:
		return read_sysreg_s(SYS_ICH_LR14_EL2);
	default:
		return read_sysreg_s(SYS_ICH_LR15_EL2);
	}
}

static void write_lr(unsigned int i, u64 val)
{
	switch (i) {
	case 0:
		write_sysreg_s(val, SYS_ICH_LR0_EL2);
		break;
	case 1:
		write_sysreg_s(val, SYS_ICH_LR1_EL2);
		break;
	case 2:
		write_sysreg_s(val, SYS_ICH_LR2_EL2);
		break;
	case 3:
		write_sysreg_s(val, SYS_ICH_LR3_EL2);
		break;
	case 4:
		write_sysreg_s(val, SYS_ICH_LR4_EL2);
		break;
	case 5:
		write_sysreg_s(val, SYS_ICH_LR5_EL2);
		break;
	case 6:
		write_sysreg_s(val, SYS_ICH_LR6_EL2);
		break;
	case 7:
		write_sysreg_s(val, SYS_ICH_LR7_EL2);
		break;
	case 8:
		write_sysreg_s(val, SYS_ICH_LR8_EL2);
		break;
	case 9:
		write_sysreg_s(val, SYS_ICH_LR9_EL2);
		break;
	case 10:
		write_sysreg_s(val, SYS_ICH_LR10_EL2);
		break;
	case 11:
		write_sysreg_s(val, SYS_ICH_LR11_EL2);
		break;
	case 12:
		write_sysreg_s(val, SYS_ICH_LR12_EL2);
		break;
	case 13:
		write_sysreg_s(val, SYS_ICH_LR13_EL2);
		break;
	case 14:
		write_sysreg_s(val, SYS_ICH_LR14_EL2);
		break;
	default:
		write_sysreg_s(val, SYS_ICH_LR15_EL2);
		break;
	}
}

/* The active-priority registers: 1, 2 or 4 of each group (ICH_VTR_EL2.PREbits). */
static void read_aprs(unsigned int n, u32 *ap0r, u32 *ap1r)
{
	switch (n) {
	case 4:
		ap0r[3] = read_sysreg_s(SYS_ICH_AP0R3_EL2);
		ap1r[3] = read_sysreg_s(SYS_ICH_AP1R3_EL2);
		ap0r[2] = read_sysreg_s(SYS_ICH_AP0R2_EL2);
		ap1r[2] = read_sysreg_s(SYS_ICH_AP1R2_EL2);
		fallthrough;
	case 2:
		ap0r[1] = read_sysreg_s(SYS_ICH_AP0R1_EL2);
		ap1r[1] = read_sysreg_s(SYS_ICH_AP1R1_EL2);
		fallthrough;
	default:
		ap0r[0] = read_sysreg_s(SYS_ICH_AP0R0_EL2);
		ap1r[0] = read_sysreg_s(SYS_ICH_AP1R0_EL2);
	}
}

static void write_aprs(unsigned int n, const u32 *ap0r, const u32 *ap1r)
{
	switch (n) {
	case 4:
		write_sysreg_s(ap0r[3], SYS_ICH_AP0R3_EL2);
		write_sysreg_s(ap1r[3], SYS_ICH_AP1R3_EL2);
		write_sysreg_s(ap0r[2], SYS_ICH_AP0R2_EL2);
		write_sysreg_s(ap1r[2], SYS_ICH_AP1R2_EL2);
		fallthrough;
	case 2:
		write_sysreg_s(ap0r[1], SYS_ICH_AP0R1_EL2);
		write_sysreg_s(ap1r[1], SYS_ICH_AP1R1_EL2);
		fallthrough;
	default:
		write_sysreg_s(ap0r[0], SYS_ICH_AP0R0_EL2);
		write_sysreg_s(ap1r[0], SYS_ICH_AP1R0_EL2);
	}
}

static unsigned int nr_lrs(u64 vtr, u32 used)
{
	return min_t(u32, used, (vtr & A64_ICH_VTR_LIST_REGS) + 1);
}

/*
 * How many active-priority and list registers to move, from ICH_VTR_EL2;
 * false on a CPU without the GICv3 system-register interface (nothing to do).
 */
static bool geometry(const struct a64_hyp_cpu *cpu, const struct a64_gic_cpu_if *gic,
		     unsigned int *aprs, unsigned int *lrs)
{
	u64 vtr;

	if (!cpu->gicv3)
		return false;
	vtr = read_sysreg_s(SYS_ICH_VTR_EL2);
	*aprs = a64_ich_nr_aprs(vtr);
	*lrs = nr_lrs(vtr, gic->used_lrs);
	return true;
}

/**
 * hyp_vgic_restore() - load a guest's virtual CPU interface
 * @ctx: the guest's context
 * @cpu: this CPU's data, where the host's VMCR and active priorities go
 */
void hyp_vgic_restore(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu)
{
	struct a64_gic_cpu_if *gic = &ctx->gic;
	unsigned int i, aprs, lrs;

	if (!geometry(cpu, gic, &aprs, &lrs))
		return;
	cpu->host_ich_vmcr = read_sysreg_s(SYS_ICH_VMCR_EL2);
	read_aprs(aprs, cpu->host_ich_ap0r, cpu->host_ich_ap1r);
	sysreg_clear_set_s(SYS_ICC_SRE_EL2, ICC_SRE_EL2_ENABLE, 0);

	write_sysreg_s(gic->vmcr, SYS_ICH_VMCR_EL2);
	write_aprs(aprs, gic->ap0r, gic->ap1r);
	for (i = 0; i < lrs; i++)
		write_lr(i, gic->lr[i]);
	write_sysreg_s(gic->hcr, SYS_ICH_HCR_EL2);
}

/**
 * hyp_vgic_save() - save a guest's virtual CPU interface, give the host its own
 * @ctx: the guest's context
 * @cpu: this CPU's data, holding the host's values from hyp_vgic_restore()
 */
void hyp_vgic_save(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu)
{
	struct a64_gic_cpu_if *gic = &ctx->gic;
	unsigned int i, aprs, lrs;

	if (!geometry(cpu, gic, &aprs, &lrs))
		return;
	gic->misr = read_sysreg_s(SYS_ICH_MISR_EL2);
	write_sysreg_s(0, SYS_ICH_HCR_EL2);
	for (i = 0; i < lrs; i++) {
		gic->lr[i] = read_lr(i);
		write_lr(i, 0);
	}
	gic->vmcr = read_sysreg_s(SYS_ICH_VMCR_EL2);
	read_aprs(aprs, gic->ap0r, gic->ap1r);

	write_sysreg_s(cpu->host_ich_vmcr, SYS_ICH_VMCR_EL2);
	write_aprs(aprs, cpu->host_ich_ap0r, cpu->host_ich_ap1r);
	sysreg_clear_set_s(SYS_ICC_SRE_EL2, 0, ICC_SRE_EL2_ENABLE);
}
