/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The world switch: A64_HC_RUN enters a guest, the guest vectors bring it
 * back.  EL2 answers what it can itself (hyp_handle_fast(), fast.c) and
 * re-enters the guest without touching the host's state; anything else
 * switches back to the host, which returns from its A64_HC_RUN call.
 * FP/SIMD registers are not switched here: the guest traps its first access
 * (CPTR_EL2.TFP, fpsimd.S) and keeps them until EL1 puts them back.
 *
 * Register use:
 *   TPIDR_EL2	this CPU's struct a64_hyp_cpu; its vcpu_ctx field is the
 *		running guest's struct a64_vcpu_ctx (0 while the host runs)
 *   SP_EL2	this CPU's EL2 stack: empty while a guest runs
 *   VBAR_EL2	hyp_vectors while the host runs, one of the
 *		hyp_guest_vectors tables while a guest runs (as KVM's nVHE hyp
 *		switches its vectors)
 */
#include <linux/linkage.h>
#include <asm/kvm_arm.h>
#include <shared/hyp_abi.h>
#include "macros.S"

/* Not in the kernel's headers (KVM's entry.S writes them as numbers). */
#define ISR_EL1_A_BIT	8		/* a physical SError is pending */
#define DISR_EL1_A	(1 << 31)	/* an SError was deferred (ESB) */

/* Guest x2-x30 to/from \ctx. */
.macro	save_guest_x2_x30 ctx
	stp	x2, x3, [\ctx, #A64_CTX_X + 8 * 2]
	stp	x4, x5, [\ctx, #A64_CTX_X + 8 * 4]
	stp	x6, x7, [\ctx, #A64_CTX_X + 8 * 6]
	stp	x8, x9, [\ctx, #A64_CTX_X + 8 * 8]
	stp	x10, x11, [\ctx, #A64_CTX_X + 8 * 10]
	stp	x12, x13, [\ctx, #A64_CTX_X + 8 * 12]
	stp	x14, x15, [\ctx, #A64_CTX_X + 8 * 14]
	stp	x16, x17, [\ctx, #A64_CTX_X + 8 * 16]
	stp	x18, x19, [\ctx, #A64_CTX_X + 8 * 18]
	stp	x20, x21, [\ctx, #A64_CTX_X + 8 * 20]
	stp	x22, x23, [\ctx, #A64_CTX_X + 8 * 22]
	stp	x24, x25, [\ctx, #A64_CTX_X + 8 * 24]
	stp	x26, x27, [\ctx, #A64_CTX_X + 8 * 26]
	stp	x28, x29, [\ctx, #A64_CTX_X + 8 * 28]
	str	x30, [\ctx, #A64_CTX_X + 8 * 30]
.endm

/* Loads all guest GPRs from x1 = ctx, x1 last, and enters the guest. */
.macro	load_guest_x_and_eret
	ldp	x2, x3, [x1, #A64_CTX_X + 8 * 2]
	ldp	x4, x5, [x1, #A64_CTX_X + 8 * 4]
	ldp	x6, x7, [x1, #A64_CTX_X + 8 * 6]
	ldp	x8, x9, [x1, #A64_CTX_X + 8 * 8]
	ldp	x10, x11, [x1, #A64_CTX_X + 8 * 10]
	ldp	x12, x13, [x1, #A64_CTX_X + 8 * 12]
	ldp	x14, x15, [x1, #A64_CTX_X + 8 * 14]
	ldp	x16, x17, [x1, #A64_CTX_X + 8 * 16]
	ldp	x18, x19, [x1, #A64_CTX_X + 8 * 18]
	ldp	x20, x21, [x1, #A64_CTX_X + 8 * 20]
	ldp	x22, x23, [x1, #A64_CTX_X + 8 * 22]
	ldp	x24, x25, [x1, #A64_CTX_X + 8 * 24]
	ldp	x26, x27, [x1, #A64_CTX_X + 8 * 26]
	ldp	x28, x29, [x1, #A64_CTX_X + 8 * 28]
	ldr	x30, [x1, #A64_CTX_X + 8 * 30]
	ldp	x0, x1, [x1, #A64_CTX_X]
	eret_sb			/* context synchronising: no isb needed before */
.endm

/*
 * hyp_run - A64_HC_RUN, from the host-call table.  x1 = guest context.
 * Returns to the host (through guest_exit) with x0 = A64_EXIT_*.
 */
SYM_CODE_START(hyp_run)
	mrs	x2, tpidr_el2
	/*
	 * An SError (or interrupt) pending now is the host's: entering would
	 * make the guest take it (HCR_EL2.AMO/IMO), charged to the guest.
	 * Return at once with an IRQ exit instead, and the host takes it when
	 * it unmasks, as KVM's __guest_enter.  On RAS CPUs the host's stores
	 * first complete, and their errors become pending, before the check
	 * (without RAS any SError is fatal anyway, and the HVC synchronised).
	 */
	ldr	x6, [x2, #A64_HYP_CPU_FEATURES]
	tbz	x6, #A64_HYP_FEAT_RAS_BIT, 1f
	dsb	nshst
	isb
1:	mrs	x3, isr_el1
	cbnz	x3, run_refused
	add	x3, x2, #A64_HYP_CPU_HOST_X18
	stp	x18, x19, [x3, #8 * 0]
	stp	x20, x21, [x3, #8 * 2]
	stp	x22, x23, [x3, #8 * 4]
	stp	x24, x25, [x3, #8 * 6]
	stp	x26, x27, [x3, #8 * 8]
	stp	x28, x29, [x3, #8 * 10]
	str	x30, [x3, #8 * 12]
	mrs	x4, elr_el2
	mrs	x5, spsr_el2
	stp	x4, x5, [x2, #A64_HYP_CPU_HOST_ELR]
	add	x3, x2, #A64_HYP_CPU_HOST_EL1
	save_el1 x3, x4, x5
	add	x3, x2, #A64_HYP_CPU_HOST_EL2
	save_el2 x3, x4, x5
	str	x1, [x2, #A64_HYP_CPU_VCPU_CTX]
	and	x20, x6, #A64_HYP_FEAT_SPEC_AT	/* kept across the C calls */
	and	x3, x6, #A64_HYP_FEATS_SWITCHED
	cbz	x3, 1f
	mov	x19, x1			/* the host's x19 is saved already */
	mov	x0, x1
	mov	x1, x2
	bl	hyp_features_enter	/* SPE drained before the guest's EL1 goes in */
	mov	x1, x19
	mrs	x2, tpidr_el2
1:	el1_walks_off x20, x4
	add	x3, x1, #A64_CTX_EL1
	load_el1 x3, x4, x5
	mrs	x6, mdcr_el2
	and	x6, x6, #MDCR_EL2_HPMN_MASK
	add	x3, x1, #A64_CTX_EL2
	load_el2 x3, x4, x5, x6
	ldr	x4, [x1, #A64_CTX_ENTRY_FLAGS]
	cbnz	x4, hyp_entry_flags	/* rare: out of line, and back */
.Lentry_flags_done:
	add	x3, x1, #A64_CTX_EL1	/* stage 2 is the guest's: its MMU now */
	load_el1_mmu x3, x4, x20
	mov	x19, x1			/* the host's x19 is saved already */
	mov	x0, x1
	mov	x1, x2
	bl	hyp_vgic_restore
	debug_switch x19, hyp_debug_restore
	mov	x1, x19
	ldp	x3, x4, [x1, #A64_CTX_PC]
	msr	elr_el2, x3
	msr	spsr_el2, x4
	mrs	x3, tpidr_el2		/* this CPU's hyp_guest_vectors variant */
	ldr	x3, [x3, #A64_HYP_CPU_GUEST_VECTORS]
	msr	vbar_el2, x3
	load_guest_x_and_eret

run_refused:			/* nothing changed yet: the host's state is in place */
	mov	x0, #A64_EXIT_IRQ
	str	x0, [x1, #A64_CTX_EXIT_CODE]
	eret_sb
SYM_CODE_END(hyp_run)

/*
 * hyp_entry_flags - the A64_ENTRY_* work EL1 asked for, from hyp_run once
 * the guest's EL2 settings (VTTBR_EL2: its VMID) are written.  x1 = the
 * context, x4 = its entry_flags (non-zero), free to clobber.
 *
 * A64_ENTRY_TLBI_LOCAL, as KVM's __kvm_flush_cpu_context: another vCPU of
 * this stage-2 space (or another space assignment of this vCPU) may have
 * left EL1&0 entries under this VMID on this CPU, which this vCPU's guest
 * never invalidated: drop them, and this CPU's I-cache (VMID-tagged on some
 * CPUs).  TLBI VMALLE1 at EL2 acts on the VMID in VTTBR_EL2, so the write
 * must be synchronised first (isb); local TLBI and IC complete with DSB NSH.
 */
hyp_entry_flags:
	tbz	x4, #0, 2f		/* A64_ENTRY_TLBI_LOCAL */
	isb				/* VTTBR_EL2's new VMID, for the TLBI */
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
2:	str	xzr, [x1, #A64_CTX_ENTRY_FLAGS]	/* done: EL1 sees it cleared */
	b	.Lentry_flags_done
.if A64_ENTRY_TLBI_LOCAL != (1 << 0)
	.error "hyp_entry_flags tests bit 0 for A64_ENTRY_TLBI_LOCAL"
.endif

/*
 * A lower-EL exception while a guest runs: guest x0/x1 go on the EL2
 * stack, the branch predictor is hardened the way \bp says (A64_BP_*), x0 =
 * why, then guest_exit.  The hardening comes first, before any indirect
 * branch (guest_exit's C calls have them, and their returns), and without a
 * conditional branch a guest could train to skip it: one vector table per
 * way, EL1 picks one per CPU (kmod/spectre.c), as KVM's __bp_harden_hyp_vecs.
 *   A64_BP_BHB_LOOP  Spectre-BHB: as many taken branches as the CPU's
 *                    history holds (A64_HYP_CPU_BP_ARG, the kernel's k),
 *                    then a speculation barrier
 *   A64_BP_CLEARBHB  Spectre-BHB: ClearBHB (a hint: a NOP where absent)
 *   A64_BP_SMC       Spectre-v2 (and BHB): the firmware's
 *                    SMCCC_ARCH_WORKAROUND_1 or _3 (A64_HYP_CPU_BP_ARG),
 *                    which may clobber x0-x3
 */
.macro	guest_vector code, bp
	.align	7
.Lentry\@:
	hint	#16			/* esb: see guest_exit */
	stp	x0, x1, [sp, #-16]!
	.if \bp == A64_BP_BHB_LOOP
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #A64_HYP_CPU_BP_ARG]
.Lbhb_loop\@:
	b	. + 4
	subs	x0, x0, #1
	b.ne	.Lbhb_loop\@
	dsb	nsh			/* sb */
	isb
	.elseif \bp == A64_BP_CLEARBHB
	hint	#22			/* clearbhb */
	isb
	.elseif \bp == A64_BP_SMC
	stp	x2, x3, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	w0, [x0, #A64_HYP_CPU_BP_ARG]
	smc	#0
	ldp	x2, x3, [sp], #16
	.endif
	mov	x0, #\code
	b	guest_exit
	.if (. - .Lentry\@) > 0x80
	.error "guest vector entry larger than its 0x80 slot"
	.endif
.endm

/* One 2 KiB table; hyp_guest_vectors + A64_BP_* * 2 KiB. */
.macro	guest_vectors bp
	.align	11
	unexpected_vector 0x10	/* current EL, SP_EL0 */
	unexpected_vector 0x11
	unexpected_vector 0x12
	unexpected_vector 0x13
	el2_vector 0x14		/* current EL, SP_ELx: fixups (hyp_extable) */
	unexpected_vector 0x15
	unexpected_vector 0x16
	el2_vector 0x17
	guest_vector A64_EXIT_SYNC, \bp	/* lower EL, AArch64 */
	guest_vector A64_EXIT_IRQ, \bp
	guest_vector A64_EXIT_FIQ, \bp
	guest_vector A64_EXIT_SERROR, \bp
	guest_vector A64_EXIT_SYNC, \bp	/* lower EL, AArch32: only guest EL0 */
	guest_vector A64_EXIT_IRQ, \bp	/* can be AArch32 (HCR_EL2.RW = 1); */
	guest_vector A64_EXIT_FIQ, \bp	/* the syndrome tells EL1 which */
	guest_vector A64_EXIT_SERROR, \bp
	.align	7
.endm

	.align	11
SYM_CODE_START(hyp_guest_vectors)
	guest_vectors A64_BP_NONE
	guest_vectors A64_BP_BHB_LOOP
	guest_vectors A64_BP_CLEARBHB
	guest_vectors A64_BP_SMC
1:	.org	hyp_guest_vectors + A64_BP_NR * 0x800	/* one table per A64_BP_* */
	.org	1b
SYM_CODE_END(hyp_guest_vectors)

/* x0 = A64_EXIT_*, guest x0/x1 on the EL2 stack, everything else the guest's. */
guest_exit:
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #A64_HYP_CPU_VCPU_CTX]
	save_guest_x2_x30 x1
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x1, #A64_CTX_X]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x1, #A64_CTX_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	mrs	x4, hpfar_el2
	add	x5, x1, #A64_CTX_EXIT_CODE	/* then ESR, FAR, HPFAR */
	stp	x0, x2, [x5]
	stp	x3, x4, [x5, #16]
	fault_inject_point A64_FAULT_INJECT_GUEST, x2, x3

	/* Calls EL2 answers on the spot (SMCCC, PSCI queries). */
	cbnz	x0, 1f
	mov	x19, x1
	mov	x0, x1
	bl	hyp_handle_fast
	mov	x1, x19
	cbz	x0, 1f
	ldr	x2, [x1, #A64_CTX_FAST_EXITS]
	add	x2, x2, #1
	str	x2, [x1, #A64_CTX_FAST_EXITS]
	ldp	x2, x3, [x1, #A64_CTX_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	load_guest_x_and_eret

1:	/*
	 * Back to the host.  First a physical SError the guest caused: it is
	 * the guest's, and must be taken before the host's state is back, with
	 * the guest's HCR_EL2 (AMO) still in place (KVM's __guest_exit).  On
	 * RAS CPUs the ESB at the guest vectors' entry deferred it into
	 * DISR_EL1 (PSTATE.A is masked there); elsewhere it is still pending
	 * (ISR_EL1.A), once the guest's accesses complete, and is taken in a
	 * window with SErrors unmasked, which the EL2 SError vector
	 * (el2_vector 0x17) recognises by its ELR and fixes up.  Either way
	 * the context's disr tells EL1 (kmod/exit.c).
	 */
	mrs	x2, tpidr_el2
	ldr	x3, [x2, #A64_HYP_CPU_FEATURES]
	tbz	x3, #A64_HYP_FEAT_RAS_BIT, 2f
	mrs_s	x4, SYS_DISR_EL1
	cbz	x4, 4f
	msr_s	SYS_DISR_EL1, xzr
	b	3f
2:	dsb	sy			/* the guest's loads and stores complete */
	isb				/* before ISR_EL1 is read */
	mrs	x4, isr_el1
	tbz	x4, #ISR_EL1_A_BIT, 4f
	msr	daifclr, #4
serror_window:				/* taken here at the earliest ... */
	isb
serror_window_end:			/* ... and here at the latest */
	msr	daifset, #4
	b	4f			/* not taken after all */
	hyp_extable serror_window, serror_taken
	hyp_extable serror_window_end, serror_taken
serror_taken:
	msr	daifset, #4
	mov	x4, #DISR_EL1_A		/* no syndrome: not a RAS CPU */
3:	str	x4, [x1, #A64_CTX_DISR]
4:	/* HCR_EL2 too: the CPU clears VSE when a virtual SError is taken. */
	mrs	x4, hcr_el2
	str	x4, [x1, #A64_CTX_EL2 + 8 * A64_EL2_HCR]
	add	x3, x1, #A64_CTX_EL1
	save_el1 x3, x4, x5
	mov	x19, x1			/* the guest's x19 is saved already */
	mov	x0, x1
	mrs	x1, tpidr_el2
	bl	hyp_vgic_save
	debug_switch x19, hyp_debug_save
	mov	x1, x19
	ldr	x0, [x1, #A64_CTX_EXIT_CODE]

	mrs	x2, tpidr_el2
	ldr	x3, [x2, #A64_HYP_CPU_FEATURES]
	and	x20, x3, #A64_HYP_FEAT_SPEC_AT	/* the guest's x20 is saved already */
	el1_walks_off x20, x4
	add	x3, x2, #A64_HYP_CPU_HOST_EL2
	load_el2 x3, x4, x5, xzr
	add	x3, x2, #A64_HYP_CPU_HOST_EL1
	load_el1 x3, x4, x5
	load_el1_mmu x3, x4, x20
	ldr	x3, [x2, #A64_HYP_CPU_FEATURES]
	and	x3, x3, #A64_HYP_FEATS_SWITCHED
	cbz	x3, 2f
	mov	x19, x0			/* the host's x19 is restored below */
	mov	x0, x1
	mov	x1, x2
	bl	hyp_features_exit
	mov	x0, x19
	mrs	x2, tpidr_el2
2:	str	xzr, [x2, #A64_HYP_CPU_VCPU_CTX]	/* after: see hyp_panic */
	ldp	x4, x5, [x2, #A64_HYP_CPU_HOST_ELR]
	msr	elr_el2, x4
	msr	spsr_el2, x5
	adr	x4, hyp_vectors
	msr	vbar_el2, x4
	add	x3, x2, #A64_HYP_CPU_HOST_X18
	load_host_x18_x29 x3
	ldr	x30, [x3, #8 * 12]
	eret_sb

/* A64_HC_TLBI_VMID: x1 = a VTTBR_EL2 value. */
SYM_CODE_START(hyp_tlbi_vmid)
	/*
	 * On a speculative-AT CPU no host EL1&0 walk may happen while another
	 * VMID is in VTTBR_EL2: it would fill entries under that VMID.
	 */
	mrs	x3, tpidr_el2
	ldr	x3, [x3, #A64_HYP_CPU_FEATURES]
	and	x3, x3, #A64_HYP_FEAT_SPEC_AT
	mrs	x4, tcr_el1
	cbz	x3, 1f
	orr	x5, x4, #TCR_EPD0_MASK
	orr	x5, x5, #TCR_EPD1_MASK
	msr	tcr_el1, x5
	isb
1:	mrs	x2, vttbr_el2
	msr	vttbr_el2, x1
	isb				/* the TLBI below uses the new VMID */
	dsb	ishst			/* table updates visible before the TLBI */
	tlbi	vmalls12e1is
	tlbi_sync_ish x5
	isb
	msr	vttbr_el2, x2
	isb
	msr	tcr_el1, x4
	isb
	mov	x0, xzr
	eret_sb
SYM_CODE_END(hyp_tlbi_vmid)

/* A64_HC_TLBI_EL2: EL2 unmapped a page; drop it from every CPU's TLB. */
SYM_CODE_START(hyp_tlbi_el2)
	dsb	ishst
	tlbi	alle2is
	tlbi_sync_ish x5
	isb
	mov	x0, xzr
	eret_sb
SYM_CODE_END(hyp_tlbi_el2)
