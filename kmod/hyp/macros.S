/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Assembly macros of the EL2 image, included by entry.S, switch.S and
 * panic.S (never built on its own): constants, the vector for exceptions
 * EL2 never expects, and the save/load of the state the world switch moves:
 * the host's callee-saved registers, EL1 system registers (A64_EL1_* slots,
 * MDSCR_EL1 among them), EL2 settings (A64_EL2_* slots), each with a base
 * register and two scratch ones; the guest's debug registers when in use
 * (debug_switch).  FP/SIMD is not switched here: fpsimd.S.
 */
#ifndef A64_HYP_MACROS_S
#define A64_HYP_MACROS_S

#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <shared/hyp_abi.h>

.macro	mov_q64 reg, val
	movz	\reg, #((\val) & 0xffff)
	movk	\reg, #(((\val) >> 16) & 0xffff), lsl #16
	movk	\reg, #(((\val) >> 32) & 0xffff), lsl #32
	movk	\reg, #(((\val) >> 48) & 0xffff), lsl #48
.endm

/*
 * An exception EL2 did not expect (taken from EL2 itself, or one the host
 * mode never routes here).  It is a bug in kmod/hyp, or a hardware error:
 * hyp_panic (panic.S) records it and hands the CPU to the host kernel, which
 * panics with ESR, ELR and FAR.  x0 = \code, the vector; no stack needed.
 */
.macro	unexpected_vector code
	.align	7
	mov	x0, #\code
	b	hyp_panic
.endm

/*
 * An exception taken from EL2 itself while the guest vectors are installed
 * (hyp_run's last instructions to the end of guest_exit): an instruction
 * registered with hyp_extable resumes at its fixup, anything else ends in
 * hyp_panic (hyp_el2_fixup, panic.S).  x18 is free there (the guest's is
 * saved, EL2's C code is built with -ffixed-x18): it addresses this CPU's
 * page, where x0-x2 wait.  Never in the host's table: a host call keeps the
 * host's x18.
 */
.macro	el2_vector code
	.align	7
	mrs	x18, tpidr_el2
	add	x18, x18, #A64_HYP_CPU_FIXUP_X0
	stp	x0, x1, [x18]
	str	x2, [x18, #16]
	mov	x0, #\code
	b	hyp_el2_fixup
.endm

/*
 * Registers \insn: if it takes an exception, EL2 resumes at \fixup with
 * every register as it was but x18, and ELR_EL2, SPSR_EL2, ESR_EL2 and
 * FAR_EL2 the exception's (only code that has saved the guest's may
 * register).  HYP_EXTABLE in hyp.h is the same for C.  Entries are
 * PC-relative (the image runs where it is copied): .hyp_extable, hyp.lds.
 */
.macro	hyp_extable insn, fixup
	.pushsection .hyp_extable, "a"
	.balign	4
	.long	(\insn - .), (\fixup - .)
	.popsection
.endm

/*
 * Completes broadcast TLB maintenance (after the TLBI ...IS): DSB ISH, and
 * on CPUs with a broken broadcast TLBI completion (A64_HYP_FEAT_REPEAT_TLBI:
 * Falkor E1009, Cortex-A76 1286807, Cortex-A55 2441007) one more TLBI and
 * DSB ISH, as the kernel's __tlbi_sync_s1ish_hyp(): the second TLBI's
 * completion is what guarantees the first's.  \t: scratch.
 */
.macro	tlbi_sync_ish t
	dsb	ish
	mrs	\t, tpidr_el2
	ldr	\t, [\t, #A64_HYP_CPU_FEATURES]
	tbz	\t, #A64_HYP_FEAT_REPEAT_TLBI_BIT, .Ltlbi_done\@
	tlbi	vale2is, xzr
	dsb	ish
.Ltlbi_done\@:
.endm

/*
 * ERET, then a speculation barrier: a CPU may speculate past an ERET into
 * the instructions behind it (straight-line speculation), which never run.
 * SB needs FEAT_SB, so DSB NSH; ISB as the kernel's "sb" does without it
 * (KVM's hyp code puts one after every ERET).  Costs nothing executed.
 */
.macro	eret_sb
	eret
	dsb	nsh
	isb
.endm

/*
 * Builds with A64VCPU_FAULT_INJECT only (debugfs el2_fault_inject): if this
 * CPU is armed with \mode, load from an address EL2 never maps.
 */
.macro	fault_inject_point mode, t1, t2
#ifdef A64VCPU_FAULT_INJECT
	mrs	\t1, tpidr_el2
	ldr	\t2, [\t1, #A64_HYP_CPU_FAULT_INJECT]
	cmp	\t2, #\mode
	b.ne	.Lno_fault\@
	str	xzr, [\t1, #A64_HYP_CPU_FAULT_INJECT]
	mov_q64	\t1, A64_FAULT_INJECT_ADDR
	ldr	\t1, [\t1]
.Lno_fault\@:
#endif
.endm

/*
 * The host's x18-x29 from \base = its A64_HYP_CPU_HOST_X18 slots, where
 * hyp_run saved x18-x30.  x30 is the caller's to load: the saved one on a
 * guest exit, where the A64_HC_RUN call returns in hyp_panic.
 */
.macro	load_host_x18_x29 base
	ldp	x18, x19, [\base, #8 * 0]
	ldp	x20, x21, [\base, #8 * 2]
	ldp	x22, x23, [\base, #8 * 4]
	ldp	x24, x25, [\base, #8 * 6]
	ldp	x26, x27, [\base, #8 * 8]
	ldp	x28, x29, [\base, #8 * 10]
.endm

.macro	save_el1 base, t1, t2
	mrs	\t1, sctlr_el1
	mrs	\t2, ttbr0_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_SCTLR]
	mrs	\t1, ttbr1_el1
	mrs	\t2, tcr_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_TTBR1]
	mrs	\t1, mair_el1
	mrs	\t2, amair_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_MAIR]
	mrs	\t1, vbar_el1
	mrs	\t2, contextidr_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_VBAR]
	mrs	\t1, cpacr_el1
	mrs	\t2, esr_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_CPACR]
	mrs	\t1, far_el1
	mrs	\t2, afsr0_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_FAR]
	mrs	\t1, afsr1_el1
	mrs	\t2, par_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_AFSR1]
	mrs	\t1, cntkctl_el1
	mrs	\t2, tpidr_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_CNTKCTL]
	mrs	\t1, tpidr_el0
	mrs	\t2, tpidrro_el0
	stp	\t1, \t2, [\base, #8 * A64_EL1_TPIDR_EL0]
	mrs	\t1, csselr_el1
	mrs	\t2, cntv_ctl_el0
	stp	\t1, \t2, [\base, #8 * A64_EL1_CSSELR]
	mrs	\t1, cntv_cval_el0
	mrs	\t2, sp_el0
	stp	\t1, \t2, [\base, #8 * A64_EL1_CNTV_CVAL]
	mrs	\t1, sp_el1
	mrs	\t2, elr_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_SP_EL1]
	mrs	\t1, spsr_el1
	mrs	\t2, mdscr_el1
	stp	\t1, \t2, [\base, #8 * A64_EL1_SPSR_EL1]
.endm

/*
 * Load EL1 state, all but SCTLR_EL1 and TCR_EL1: load_el1_mmu writes those
 * last, once the stage 2 that goes with them is in place.
 */
.macro	load_el1 base, t1, t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_SCTLR]
	msr	ttbr0_el1, \t2
	ldr	\t1, [\base, #8 * A64_EL1_TTBR1]
	msr	ttbr1_el1, \t1
	ldp	\t1, \t2, [\base, #8 * A64_EL1_MAIR]
	msr	mair_el1, \t1
	msr	amair_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_VBAR]
	msr	vbar_el1, \t1
	msr	contextidr_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_CPACR]
	msr	cpacr_el1, \t1
	msr	esr_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_FAR]
	msr	far_el1, \t1
	msr	afsr0_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_AFSR1]
	msr	afsr1_el1, \t1
	msr	par_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_CNTKCTL]
	msr	cntkctl_el1, \t1
	msr	tpidr_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_TPIDR_EL0]
	msr	tpidr_el0, \t1
	msr	tpidrro_el0, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_CSSELR]
	msr	csselr_el1, \t1
	msr	cntv_ctl_el0, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_CNTV_CVAL]
	msr	cntv_cval_el0, \t1
	msr	sp_el0, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_SP_EL1]
	msr	sp_el1, \t1
	msr	elr_el1, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL1_SPSR_EL1]
	msr	spsr_el1, \t1
	msr	mdscr_el1, \t2
.endm

/*
 * The breakpoint and watchpoint registers, switched only while the guest
 * uses its own (A64_DEBUG_DIRTY, kmod/hyp/debug_sr.c): \fn(\ctx, this
 * CPU's data) if so.  \ctx must be callee-saved; x0-x17 are clobbered.
 */
.macro	debug_switch ctx, fn
	ldr	x0, [\ctx, #A64_CTX_DEBUG]
	tbz	x0, #A64_DEBUG_DIRTY_BIT, .Ldebug_clean\@
	mov	x0, \ctx
	mrs	x1, tpidr_el2
	bl	\fn
.Ldebug_clean\@:
.endm

/*
 * The speculative-AT errata (Cortex-A57/A72 1319367, A55 1530923): the CPU
 * may speculate an AT, and so an EL1&0 table walk, at EL2 with whatever
 * EL1 registers and stage 2 are loaded at that moment.  On such a CPU
 * (\spec non-zero) a switch first stops EL1&0 walks, TCR_EL1.EPD0/EPD1 with
 * the MMU on, and only after stage 2 has changed writes SCTLR_EL1 and then
 * TCR_EL1, each behind an ISB (KVM's __activate_traps/__deactivate_traps).
 */
.macro	el1_walks_off spec, t1
	cbz	\spec, .Lwalks_on\@
	mrs	\t1, tcr_el1
	orr	\t1, \t1, #TCR_EPD0_MASK
	orr	\t1, \t1, #TCR_EPD1_MASK
	msr	tcr_el1, \t1
	isb
	mrs	\t1, sctlr_el1
	orr	\t1, \t1, #SCTLR_ELx_M
	msr	sctlr_el1, \t1
	isb
.Lwalks_on\@:
.endm

/* SCTLR_EL1, then TCR_EL1, from \base's A64_EL1_* slots (see above). */
.macro	load_el1_mmu base, t1, spec
	cbz	\spec, .Lsctlr\@
	isb
.Lsctlr\@:
	ldr	\t1, [\base, #8 * A64_EL1_SCTLR]
	msr	sctlr_el1, \t1
	cbz	\spec, .Ltcr\@
	isb
.Ltcr\@:
	ldr	\t1, [\base, #8 * A64_EL1_TCR]
	msr	tcr_el1, \t1
.endm

/* The host's EL2 settings, all of A64_EL2_* (VTCR too: harmless with VM=0). */
.macro	save_el2 base, t1, t2
	mrs	\t1, hcr_el2
	mrs	\t2, vttbr_el2
	stp	\t1, \t2, [\base, #8 * A64_EL2_HCR]
	mrs	\t1, vtcr_el2
	mrs	\t2, cptr_el2
	stp	\t1, \t2, [\base, #8 * A64_EL2_VTCR]
	mrs	\t1, cnthctl_el2
	mrs	\t2, cntvoff_el2
	stp	\t1, \t2, [\base, #8 * A64_EL2_CNTHCTL]
	mrs	\t1, mdcr_el2
	mrs	\t2, vpidr_el2
	stp	\t1, \t2, [\base, #8 * A64_EL2_MDCR]
	mrs	\t1, vmpidr_el2
	str	\t1, [\base, #8 * A64_EL2_VMPIDR]
.endm

/*
 * Load EL2 settings.  \hpmn: a register holding the host's MDCR_EL2.HPMN,
 * or xzr to take the MDCR value as it is (the host's own).
 */
.macro	load_el2 base, t1, t2, hpmn
	ldp	\t1, \t2, [\base, #8 * A64_EL2_HCR]
	msr	hcr_el2, \t1
	msr	vttbr_el2, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL2_VTCR]
	msr	vtcr_el2, \t1
	msr	cptr_el2, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL2_CNTHCTL]
	msr	cnthctl_el2, \t1
	msr	cntvoff_el2, \t2
	ldp	\t1, \t2, [\base, #8 * A64_EL2_MDCR]
	orr	\t1, \t1, \hpmn
	msr	mdcr_el2, \t1
	msr	vpidr_el2, \t2
	ldr	\t1, [\base, #8 * A64_EL2_VMPIDR]
	msr	vmpidr_el2, \t1
.endm

#endif /* A64_HYP_MACROS_S */
