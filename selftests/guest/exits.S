/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * WFI (waits in the kernel until the test raises the IRQ line; IRQs stay
 * masked, so it only wakes), WFE (never an exit), the emulated physical
 * timer, a register the module leaves to the VMM (ACTLR_EL1), the virtual
 * counter, then a jump out of memory.
 */
#include "guest.inc"

guest_begin exits
	ucall_init
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
	mrs	x0, cntvct_el0		/* the virtual counter is the guest's */
	ucall	x0
	movz	x0, #0x5000, lsl #16	/* fetch from 0x50000000: not memory */
	br	x0
guest_end exits

/*
 * EL1 returns to AArch32 EL0 (A32, User mode), which the vCPU's ID
 * registers do not offer, and runs a WFI there (trapped: the vCPU exits
 * while in AArch32 state).
 */
guest_begin aarch32_el0
	ucall_init
	adr	x0, 1f
	msr	elr_el1, x0
	mov	x0, #0x10			/* SPSR: AArch32, User, A32 */
	msr	spsr_el1, x0
	eret
	.balign	4
1:	.word	0xe320f003			/* A32: wfi */
	.word	0xeafffffe			/* A32: b . */
guest_end aarch32_el0
