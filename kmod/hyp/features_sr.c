// SPDX-License-Identifier: GPL-2.0-only
/*
 * Optional CPU features whose state must not cross between the host and a
 * guest, switched only on CPUs that have them (struct a64_hyp_cpu's
 * features, which switch.S tests before calling here):
 *
 * - the Statistical Profiling Extension: a host that profiles has its
 *   sampling stopped and its buffer drained before any of the guest's EL1
 *   state is loaded (the buffer is written through the host's EL1
 *   translation, and MDCR_EL2.E2PB changes with the guest's MDCR_EL2), and
 *   restarted once the host's state is back, as KVM's nVHE hyp does;
 * - RAS: VDISR_EL2, which a guest reads and writes as DISR_EL1 while
 *   HCR_EL2.AMO is set, is each vCPU's own;
 * - pseudo-NMI hosts (irqchip.gicv3_pseudo_nmi=1) mask interrupts by
 *   priority: the run loop's local_irq_disable() leaves ICC_PMR_EL1 at
 *   GIC_PRIO_IRQOFF, which would keep every host interrupt (the timer, a
 *   kick) away while the guest runs.  The guest runs with the mask open,
 *   as KVM's nVHE __kvm_vcpu_run() does; the host's comes back on exit.
 *   (The guest's own priority mask is ICV_PMR_EL1, untouched.)
 */
#include <linux/bits.h>
#include <asm/barrier.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

#include "hyp.h"

/**
 * hyp_features_enter() - before the guest's state goes in
 * @ctx: the guest's context
 * @cpu: this CPU's data, the host's EL1 and EL2 state still loaded
 */
void hyp_features_enter(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu)
{
	cpu->host_pmscr = 0;
	if ((cpu->features & A64_HYP_FEAT_SPE) &&
	    (read_sysreg_s(SYS_PMBLIMITR_EL1) & BIT(SYS_PMBLIMITR_EL1_E_SHIFT))) {
		cpu->host_pmscr = read_sysreg_s(SYS_PMSCR_EL1);
		write_sysreg_s(0, SYS_PMSCR_EL1);
		isb();
		psb_csync();	/* what was sampled goes to the buffer ... */
		dsb(nsh);	/* ... and the buffer's writes complete */
	}
	if (cpu->features & A64_HYP_FEAT_RAS)
		write_sysreg_s(ctx->vdisr, SYS_VDISR_EL2);
	if (cpu->features & A64_HYP_FEAT_PMR) {
		cpu->host_pmr = read_sysreg_s(SYS_ICC_PMR_EL1);
		write_sysreg_s(A64_HYP_PMR_GUEST, SYS_ICC_PMR_EL1);
		dsb(sy);	/* the new mask reaches the CPU interface */
	}
}

/**
 * hyp_features_exit() - once the host's state is back
 * @ctx: the guest's context
 * @cpu: this CPU's data
 */
void hyp_features_exit(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu)
{
	if (cpu->features & A64_HYP_FEAT_RAS)
		ctx->vdisr = read_sysreg_s(SYS_VDISR_EL2);
	if (cpu->features & A64_HYP_FEAT_PMR)
		write_sysreg_s(cpu->host_pmr, SYS_ICC_PMR_EL1);
	if (cpu->host_pmscr) {
		isb();		/* the host's translation in place first */
		write_sysreg_s(cpu->host_pmscr, SYS_PMSCR_EL1);
	}
}
