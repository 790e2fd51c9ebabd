// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's breakpoints and watchpoints, switched lazily (switch.S calls
 * these only while its context has A64_DEBUG_DIRTY): on entry the host's
 * DBGBVR/BCR/WVR/WCR<n>_EL1 and MDCCINT_EL1 go to this CPU's data page and
 * the guest's are loaded; on exit the guest's are saved and the host's put
 * back.  Only the registers this CPU implements move (ID_AA64DFR0_EL1.BRPs,
 * WRPs).
 *
 * A guest that never enabled debug runs with the host's registers in
 * place: its own MDSCR_EL1 (switched on every entry and exit, macros.S) has
 * MDE and KDE clear, so none of them can fire in it (ARM ARM D2.8, D2.9:
 * breakpoints and watchpoints need MDSCR_EL1.MDE with MDCR_EL2.TDE 0).
 * Nothing here can fire at EL2: the debug target is EL1 (MDCR_EL2.TDE 0),
 * and debug exceptions are never taken from an EL above it.  The writes
 * take effect at the eret that follows, a context synchronisation event.
 */
#include <linux/bitfield.h>
#include <asm/debug-monitors.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "hyp.h"

/*
 * Breakpoint n and watchpoint n between the hardware and regs, if this CPU
 * has them (brps, wrps): the register number is part of the instruction,
 * so one expansion per number, from save_regs() and load_regs().
 */
#define SAVE_SLOT(n)							\
	do {								\
		if (brps > n##U) {					\
			regs->bcr[n##U] = read_sysreg(dbgbcr##n##_el1);	\
			regs->bvr[n##U] = read_sysreg(dbgbvr##n##_el1);	\
		}							\
		if (wrps > n##U) {					\
			regs->wcr[n##U] = read_sysreg(dbgwcr##n##_el1);	\
			regs->wvr[n##U] = read_sysreg(dbgwvr##n##_el1);	\
		}							\
	} while (0)

#define LOAD_SLOT(n)							\
	do {								\
		if (brps > n##U) {					\
			write_sysreg(regs->bcr[n##U], dbgbcr##n##_el1);	\
			write_sysreg(regs->bvr[n##U], dbgbvr##n##_el1);	\
		}							\
		if (wrps > n##U) {					\
			write_sysreg(regs->wcr[n##U], dbgwcr##n##_el1);	\
			write_sysreg(regs->wvr[n##U], dbgwvr##n##_el1);	\
		}							\
	} while (0)

/* How many breakpoints and watchpoints this CPU has. */
static void counts(unsigned int *brps, unsigned int *wrps)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	*brps = FIELD_GET(ID_AA64DFR0_EL1_BRPs_MASK, dfr0) + 1;
	*wrps = FIELD_GET(ID_AA64DFR0_EL1_WRPs_MASK, dfr0) + 1;
}

static void save_regs(struct a64_debug_hw *regs)
{
	unsigned int brps, wrps;

	counts(&brps, &wrps);
	SAVE_SLOT(0);
	SAVE_SLOT(1);
	SAVE_SLOT(2);
	SAVE_SLOT(3);
	SAVE_SLOT(4);
	SAVE_SLOT(5);
	SAVE_SLOT(6);
	SAVE_SLOT(7);
	SAVE_SLOT(8);
	SAVE_SLOT(9);
	SAVE_SLOT(10);
	SAVE_SLOT(11);
	SAVE_SLOT(12);
	SAVE_SLOT(13);
	SAVE_SLOT(14);
	SAVE_SLOT(15);
	regs->mdccint = read_sysreg(mdccint_el1);
}

static void load_regs(const struct a64_debug_hw *regs)
{
	unsigned int brps, wrps;

	counts(&brps, &wrps);
	LOAD_SLOT(0);
	LOAD_SLOT(1);
	LOAD_SLOT(2);
	LOAD_SLOT(3);
	LOAD_SLOT(4);
	LOAD_SLOT(5);
	LOAD_SLOT(6);
	LOAD_SLOT(7);
	LOAD_SLOT(8);
	LOAD_SLOT(9);
	LOAD_SLOT(10);
	LOAD_SLOT(11);
	LOAD_SLOT(12);
	LOAD_SLOT(13);
	LOAD_SLOT(14);
	LOAD_SLOT(15);
	write_sysreg(regs->mdccint, mdccint_el1);
}

/**
 * hyp_debug_restore() - load a guest's breakpoints and watchpoints
 * @ctx: the guest's context (A64_DEBUG_DIRTY set)
 * @cpu: this CPU's data, where the host's go meanwhile
 */
void hyp_debug_restore(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu)
{
	save_regs(&cpu->host_debug);
	load_regs(&ctx->debug.regs);
}

/**
 * hyp_debug_save() - save a guest's breakpoints and watchpoints, give the
 * host its own
 * @ctx: the guest's context (A64_DEBUG_DIRTY set), its EL1 state saved
 * @cpu: this CPU's data, holding the host's from hyp_debug_restore()
 *
 * A guest whose MDSCR_EL1 has neither MDE nor KDE left uses no debug
 * exception that needs its registers: the next entry leaves the host's in
 * place, and its next access to a debug register traps again
 * (MDCR_EL2.TDA), as at the start.
 */
void hyp_debug_save(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu)
{
	save_regs(&ctx->debug.regs);
	load_regs(&cpu->host_debug);
	if (!(ctx->el1[A64_EL1_MDSCR] & (DBG_MDSCR_MDE | DBG_MDSCR_KDE))) {
		ctx->debug.flags &= ~A64_DEBUG_DIRTY;
		ctx->el2[A64_EL2_MDCR] |= MDCR_EL2_TDA;
	}
}
