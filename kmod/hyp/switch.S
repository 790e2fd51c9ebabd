/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The world switch: A64_HC_RUN enters a guest, the guest vectors bring it
 * back.  EL2 answers what it can itself (hyp_handle_fast(), fast.c) and
 * re-enters the guest without touching the host's state; anything else
 * switches back to the host, which returns from its A64_HC_RUN call.
 *
 * Register use:
 *   TPIDR_EL2	this CPU's struct a64_hyp_cpu; its vcpu_ctx field is the
 *		running guest's struct a64_vcpu_ctx (0 while the host runs)
 *   SP_EL2	this CPU's EL2 stack: empty while a guest runs
 *   VBAR_EL2	hyp_vectors while the host runs, hyp_guest_vectors while a
 *		guest runs (as KVM's nVHE hyp switches its vectors)
 */
#include <linux/linkage.h>
#include <shared/hyp_abi.h>
#include "macros.S"

#define MDCR_EL2_HPMN_MASK	0x1f

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
	eret			/* context synchronising: no isb needed before */
.endm

/*
 * hyp_run - A64_HC_RUN, from the host-call table.  x1 = guest context.
 * Returns to the host (through guest_exit) with x0 = A64_EXIT_*.
 */
SYM_CODE_START(hyp_run)
	mrs	x2, tpidr_el2
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

	/*
	 * The host kernel gave up its FP/SIMD registers (kernel_neon_begin)
	 * before calling: load the guest's, with the host's CPTR_EL2 (TFP 0).
	 */
	add	x3, x1, #A64_CTX_FP
	load_fp	x3, x4, x5
	add	x3, x1, #A64_CTX_EL1
	load_el1 x3, x4, x5
	mrs	x6, mdcr_el2
	and	x6, x6, #MDCR_EL2_HPMN_MASK
	add	x3, x1, #A64_CTX_EL2
	load_el2 x3, x4, x5, x6
	mov	x19, x1			/* the host's x19 is saved already */
	mov	x0, x1
	mov	x1, x2
	bl	hyp_vgic_restore
	debug_switch x19, hyp_debug_restore
	mov	x1, x19
	ldp	x3, x4, [x1, #A64_CTX_PC]
	msr	elr_el2, x3
	msr	spsr_el2, x4
	adr	x3, hyp_guest_vectors
	msr	vbar_el2, x3
	load_guest_x_and_eret
SYM_CODE_END(hyp_run)

/*
 * A lower-EL exception while a guest runs: guest x0/x1 go on the EL2
 * stack, x0 = why, then guest_exit.
 */
.macro	guest_vector code
	.align	7
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\code
	b	guest_exit
.endm

	.align	11
SYM_CODE_START(hyp_guest_vectors)
	unexpected_vector 0x10	/* current EL, SP_EL0 */
	unexpected_vector 0x11
	unexpected_vector 0x12
	unexpected_vector 0x13
	unexpected_vector 0x14	/* current EL, SP_ELx */
	unexpected_vector 0x15
	unexpected_vector 0x16
	unexpected_vector 0x17
	guest_vector A64_EXIT_SYNC	/* lower EL, AArch64 */
	guest_vector A64_EXIT_IRQ
	guest_vector A64_EXIT_FIQ
	guest_vector A64_EXIT_SERROR
	guest_vector A64_EXIT_SYNC	/* lower EL, AArch32: only guest EL0 */
	guest_vector A64_EXIT_IRQ	/* can be AArch32 (HCR_EL2.RW = 1); */
	guest_vector A64_EXIT_FIQ	/* the syndrome tells EL1 which */
	guest_vector A64_EXIT_SERROR
	.align	7
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

1:	/* Back to the host. */
	add	x3, x1, #A64_CTX_EL1
	save_el1 x3, x4, x5
	add	x3, x1, #A64_CTX_FP
	save_fp	x3, x4, x5
	mov	x19, x1			/* the guest's x19 is saved already */
	mov	x0, x1
	mrs	x1, tpidr_el2
	bl	hyp_vgic_save
	debug_switch x19, hyp_debug_save
	mov	x1, x19
	ldr	x0, [x1, #A64_CTX_EXIT_CODE]

	mrs	x2, tpidr_el2
	str	xzr, [x2, #A64_HYP_CPU_VCPU_CTX]
	add	x3, x2, #A64_HYP_CPU_HOST_EL2
	load_el2 x3, x4, x5, xzr
	add	x3, x2, #A64_HYP_CPU_HOST_EL1
	load_el1 x3, x4, x5
	ldp	x4, x5, [x2, #A64_HYP_CPU_HOST_ELR]
	msr	elr_el2, x4
	msr	spsr_el2, x5
	adr	x4, hyp_vectors
	msr	vbar_el2, x4
	add	x3, x2, #A64_HYP_CPU_HOST_X18
	ldp	x18, x19, [x3, #8 * 0]
	ldp	x20, x21, [x3, #8 * 2]
	ldp	x22, x23, [x3, #8 * 4]
	ldp	x24, x25, [x3, #8 * 6]
	ldp	x26, x27, [x3, #8 * 8]
	ldp	x28, x29, [x3, #8 * 10]
	ldr	x30, [x3, #8 * 12]
	eret

/* A64_HC_TLBI_VMID: x1 = a VTTBR_EL2 value. */
SYM_CODE_START(hyp_tlbi_vmid)
	mrs	x2, vttbr_el2
	msr	vttbr_el2, x1
	isb				/* the TLBI below uses the new VMID */
	dsb	ishst			/* table updates visible before the TLBI */
	tlbi	vmalls12e1is
	dsb	ish
	isb
	msr	vttbr_el2, x2
	isb
	mov	x0, xzr
	eret
SYM_CODE_END(hyp_tlbi_vmid)

/* A64_HC_TLBI_EL2: EL2 unmapped a page; drop it from every CPU's TLB. */
SYM_CODE_START(hyp_tlbi_el2)
	dsb	ishst
	tlbi	alle2is
	dsb	ish
	isb
	mov	x0, xzr
	eret
SYM_CODE_END(hyp_tlbi_el2)
