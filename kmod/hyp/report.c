// SPDX-License-Identifier: GPL-2.0-only
/*
 * A64_HC_REPORT: EL2 describes itself, so that EL1 can verify that the world
 * which answers is the one it built (vectors, page tables, MMU on).
 */
#include <asm/sysreg.h>

#include "hyp.h"

/**
 * hyp_report() - fill @cpu->report with this CPU's EL2 registers
 * @cpu: this CPU's shared data page (TPIDR_EL2)
 *
 * Called from the host-call table at EL2, with the MMU on.
 */
void hyp_report(struct a64_hyp_cpu *cpu)
{
	struct a64_hyp_report *r = &cpu->report;
	u64 sp, el;

	asm volatile("mov %0, sp" : "=r" (sp));
	asm volatile("mrs %0, currentel" : "=r" (el));
	r->current_el = el >> 2;
	r->vbar_el2 = read_sysreg(vbar_el2);
	r->sctlr_el2 = read_sysreg(sctlr_el2);
	r->ttbr0_el2 = read_sysreg(ttbr0_el2);
	r->tcr_el2 = read_sysreg(tcr_el2);
	r->mair_el2 = read_sysreg(mair_el2);
	r->sp_el2 = sp;
	r->tpidr_el2 = read_sysreg(tpidr_el2);
	r->ich_vtr_el2 = cpu->gicv3 ? read_sysreg_s(SYS_ICH_VTR_EL2) : 0;
}
