/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lazy FP/SIMD (vcpu_fpsimd.c).  In a loop: fill v0-v31, FPCR and FPSR
 * from the test's seed (x20: vN.d[0] = seed + N, vN.d[1] = ~(seed + N);
 * x21 FPCR, x24 FPSR), report (ucall seed), report again without touching
 * FP, take x22 exits the kernel answers (CNTP_CTL_EL0 reads, each after an
 * FP read of d0 if x23 is non-zero), then check all of it against the seed
 * (which the test may have changed, with the registers, meanwhile) and
 * report the number of registers that differ.
 */
#include "guest.inc"

.macro	fill n
	add	x1, x20, #\n
	mvn	x2, x1
	fmov	d\n, x1
	mov	v\n\().d[1], x2
.endm

/* x0 += 1 for each half of v\n that is not the pattern. */
.macro	check n
	add	x1, x20, #\n
	mvn	x2, x1
	fmov	x3, d\n
	cmp	x3, x1
	cinc	x0, x0, ne
	mov	x3, v\n\().d[1]
	cmp	x3, x2
	cinc	x0, x0, ne
.endm

guest_begin lazyfp
	ucall_init
	mov	x0, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps at EL1 */
	msr	cpacr_el1, x0
	isb
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fill	\n
	.endr
	msr	fpcr, x21
	msr	fpsr, x24
	ucall	x20				/* FP touched in this run */
	ucall	x20				/* not touched in this one */
	mov	x5, x22
2:	cbz	x5, 4f
	cbz	x23, 3f
	fmov	x1, d0
3:	mrs	x1, cntp_ctl_el0		/* answered in the kernel */
	sub	x5, x5, #1
	b	2b
4:	mov	x0, #0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	check	\n
	.endr
	mrs	x3, fpcr
	cmp	x3, x21
	cinc	x0, x0, ne
	mrs	x3, fpsr
	cmp	x3, x24
	cinc	x0, x0, ne
	ucall	x0
	b	1b
guest_end lazyfp
