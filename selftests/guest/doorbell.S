/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stores for doorbells (selftests/vm_doorbell.c): x3 stores of x2 at x1,
 * of width x4 (1, 2, 4, 8 bytes; 9: an 8-byte store without syndrome, a
 * post-index form with offset 0), then a ucall of the CNTVCT ticks the
 * stores took; then PSCI SYSTEM_OFF if x7 is set, else the same again with
 * the registers the test set meanwhile.
 */
#include "guest.inc"

guest_begin doorbell
	ucall_init
0:	isb
	mrs	x6, cntvct_el0
1:	cbz	x3, 7f
	cmp	x4, #1
	b.ne	2f
	strb	w2, [x1]
	b	6f
2:	cmp	x4, #2
	b.ne	3f
	strh	w2, [x1]
	b	6f
3:	cmp	x4, #4
	b.ne	4f
	str	w2, [x1]
	b	6f
4:	cmp	x4, #8
	b.ne	5f
	str	x2, [x1]
	b	6f
5:	str	x2, [x1], #0
6:	sub	x3, x3, #1
	b	1b
7:	isb
	mrs	x5, cntvct_el0
	sub	x5, x5, x6
	ucall	x5
	cbz	x7, 0b
	movz	w0, #0x8400, lsl #16	/* PSCI SYSTEM_OFF */
	add	w0, w0, #8
	hvc	#0
	b	.
guest_end doorbell
