/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a vCPU finds in its registers (vcpu_state_leak.c).  It stops at
 * once with an HVC, so the test sees the GPRs the guest was entered with,
 * then reports its EL1 system registers and FP/SIMD registers, 27 at a
 * time in x4-x30, each batch with an HVC whose x0 names it (the VMM's
 * answer lands in x0-x3).  Answered x1 = 1 at the first stop, it first fills
 * every one of them with a pattern, as a guest that leaves its state behind.
 */
#include "guest.inc"

#define PATTERN		0xa5a5

/* HVC #0 with x0 = 0x1000 + batch: an exit the module does not answer. */
.macro	report batch
	mov	x0, #(0x1000 + \batch)
	hvc	#0
.endm

/* xN <- a pattern naming register n: 0xa5a5_00nn_a5a5_00nn. */
.macro	pattern xn, n
	movz	\xn, #\n
	movk	\xn, #PATTERN, lsl #16
	movk	\xn, #\n, lsl #32
	movk	\xn, #PATTERN, lsl #48
.endm

.macro	sysregs op
	\op	x4, sctlr_el1
	\op	x5, ttbr0_el1
	\op	x6, ttbr1_el1
	\op	x7, tcr_el1
	\op	x8, mair_el1
	\op	x9, amair_el1
	\op	x10, vbar_el1
	\op	x11, contextidr_el1
	\op	x12, cpacr_el1
	\op	x13, esr_el1
	\op	x14, far_el1
	\op	x15, afsr0_el1
	\op	x16, afsr1_el1
	\op	x17, par_el1
	\op	x18, cntkctl_el1
	\op	x19, tpidr_el1
	\op	x20, tpidr_el0
	\op	x21, tpidrro_el0
	\op	x22, csselr_el1
	\op	x23, cntv_ctl_el0
	\op	x24, cntv_cval_el0
	\op	x25, sp_el0
	\op	x26, elr_el1
	\op	x27, spsr_el1
	\op	x28, mdscr_el1
.endm

.macro	mrs_ xn, reg
	mrs	\xn, \reg
.endm

.macro	msr_ xn, reg
	msr	\reg, \xn
.endm

/*
 * x4, x5, ... <- the low and high halves of v<first> .. v<first + count - 1>
 * (invoked under .altmacro, for the %() register numbers).
 */
.macro	vpair lo, hi, n
	fmov	x\lo, d\n
	mov	x\hi, v\n\().d[1]
.endm

.macro	vbatch first, count
	.set	vreg, 0
	.rept	\count
	vpair	%(4 + 2 * vreg), %(5 + 2 * vreg), %(\first + vreg)
	.set	vreg, vreg + 1
	.endr
.endm

guest_begin state_leak
	report	0				/* the GPRs as entered */
	cbz	x1, 1f

	/* Leave a pattern in everything (but SCTLR_EL1.M and friends). */
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
	pattern	x\n, \n
	.endr
	mrs	x4, sctlr_el1			/* EL0 cache and DC ZVA bits only */
	orr	x4, x4, #(1 << 26)		/* UCI */
	orr	x4, x4, #(3 << 14)		/* UCT, DZE */
	mov	x12, #(3 << 20)			/* CPACR_EL1.FPEN: FP/SIMD on */
	and	x10, x10, #~0x7ff		/* VBAR_EL1: 2 KiB aligned */
	mov	x22, #2				/* CSSELR_EL1: level 2 data */
	mov	x23, #3				/* CNTV_CTL_EL0: on, masked */
	mov	x28, #(1 << 12)			/* MDSCR_EL1.TDCC only */
	sysregs	msr_
	isb
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	pattern	x4, 0x40 + \n
	fmov	d\n, x4
	mov	v\n\().d[1], x4
	.endr
	mov	x4, #(3 << 22)			/* FPCR.RMode: towards zero */
	msr	fpcr, x4
	mov	x4, #(1 << 27)			/* FPSR.QC */
	msr	fpsr, x4
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	pattern	x\n, \n
	.endr
	report	1				/* the GPRs, filled */

1:	sysregs	mrs_
	report	2				/* the system registers */
	mov	x4, #(3 << 20)			/* CPACR_EL1.FPEN: FP/SIMD on */
	msr	cpacr_el1, x4
	isb
	.altmacro
	vbatch	0, 13
	.noaltmacro
	report	3				/* v0-v12 */
	.altmacro
	vbatch	13, 13
	.noaltmacro
	report	4				/* v13-v25 */
	.altmacro
	vbatch	26, 6
	.noaltmacro
	mrs	x16, fpcr
	mrs	x17, fpsr
	report	5				/* v26-v31, FPCR, FPSR */
	b	.
guest_end state_leak
