/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FP/SIMD: reports the V registers the test set, fills v7 and v31 with a
 * pattern, exits (the test uses FP meanwhile), and reports them again.
 */
#include "guest.inc"

guest_begin fpsimd
	ucall_init
	mov	x0, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps at EL1 */
	msr	cpacr_el1, x0
	isb
	fmov	x0, d0
	ucall	x0
	mov	x0, v31.d[1]
	ucall	x0
	movz	x1, #0x1234
	movk	x1, #0xcafe, lsl #48
	fmov	d7, x1
	mov	v7.d[1], x1
	mov	v31.d[0], x1
	ucall	x1				/* the test uses FP now */
	fmov	x0, d7
	ucall	x0
	mov	x0, v7.d[1]
	ucall	x0
	mov	x0, v31.d[0]
	ucall	x0
	b	.
guest_end fpsimd
