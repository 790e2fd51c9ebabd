/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * WFI (waits in the kernel until the test raises the IRQ line; IRQs stay
 * masked, so it only wakes), WFE (never an exit), the emulated physical
 * timer, a register the module leaves to the VMM (ACTLR_EL1, then the VMM
 * answers "undefined"), the virtual counter, then a jump out of memory (a
 * prefetch abort).  Exceptions the test injects.  AArch32 EL0.
 */
#include "guest.inc"

/*
 * Synchronous exceptions at EL1 (SPx): report ESR_EL1, FAR_EL1 and ELR_EL1,
 * then resume past the instruction.  SErrors: report ESR_EL1 and ELR_EL1,
 * resume there.
 */
.macro	report_vectors
	.balign	2048
9:	.skip	0x200
	mrs	x0, esr_el1
	ucall	x0
	mrs	x0, far_el1
	ucall	x0
	mrs	x0, elr_el1
	ucall	x0
	add	x0, x0, #4
	msr	elr_el1, x0
	eret
	.balign	0x80
	.skip	0x100
	mrs	x0, esr_el1
	ucall	x0
	mrs	x0, elr_el1
	ucall	x0
	eret
.endm

.macro	set_report_vectors
	adr	x0, 9f
	msr	vbar_el1, x0
	isb
.endm

guest_begin exits
	ucall_init
	set_report_vectors
	mov	x0, #1
	ucall	x0			/* the test raises the IRQ line later */
	wfi				/* woken by it (PSTATE.I masks the IRQ) */
	mov	x0, #1000
2:	wfe
	subs	x0, x0, #1
	b.ne	2b
	ucall	x0
	movz	x5, #0xbeef
	msr	cntp_cval_el0, x5	/* the physical timer: emulated */
	mrs	x0, cntp_cval_el0
	ucall	x0
	mrs	x0, cntp_ctl_el0	/* disabled: 0 */
	ucall	x0
	mrs	x0, actlr_el1		/* the VMM answers */
	ucall	x0
	movz	x5, #0xcafe
	msr	actlr_el1, x5
	mrs	x0, actlr_el1		/* the VMM says: undefined */
	mrs	x0, cntvct_el0		/* the virtual counter is the guest's */
	ucall	x0
	movz	x0, #0x5000, lsl #16	/* fetch from 0x50000000: not memory */
	br	x0
	report_vectors
guest_end exits

/* Exceptions the test injects (A64VCPU_INJECT) at each ucall and MMIO read. */
guest_begin inject
	ucall_init
	set_report_vectors
	mov	x0, #1
	ucall	x0			/* UNDEF injected: taken here */
	movz	x1, #0x0a00, lsl #16
	add	x1, x1, #0x2000
	ldr	x2, [x1]		/* DABT injected: taken here */
	mov	x0, #2
	ucall	x0			/* SERROR injected, pending... */
	msr	daifclr, #4		/* ... taken once PSTATE.A is clear */
	mov	x0, #3
	ucall	x0
	b	.
	report_vectors
guest_end inject

/*
 * EL1 returns to AArch32 EL0 (A32, User mode), which the vCPU's ID
 * registers do not offer, and loads from MMIO there (a stage-2 fault: the
 * vCPU exits while in AArch32 state).
 */
guest_begin aarch32_el0
	ucall_init
	adr	x0, 1f
	msr	elr_el1, x0
	mov	x0, #0x10			/* SPSR: AArch32, User, A32 */
	msr	spsr_el1, x0
	movz	x1, #0x0a00, lsl #16		/* r1: MMIO at 0x0a003000 */
	add	x1, x1, #0x3000
	eret
	.balign	4
1:	.word	0xe5910000			/* A32: ldr r0, [r1] */
	.word	0xeafffffe			/* A32: b . */
guest_end aarch32_el0

/* DISR_EL1 (VDISR_EL2 on a RAS CPU): reports it, writes x0 there, then reports it forever. */
guest_begin disr
	ucall_init
	mrs	x1, S3_0_C12_C1_1		/* DISR_EL1 */
	ucall	x1
	msr	S3_0_C12_C1_1, x0
1:	mrs	x1, S3_0_C12_C1_1
	ucall	x1
	b	1b
guest_end disr
