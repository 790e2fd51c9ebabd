/* SPDX-License-Identifier: GPL-2.0-only */
/* MMIO stores of each width, loads with every extension, then exits. */
#include "guest.inc"

guest_begin mmio
	ucall_init
	movz	x1, #0x0a00, lsl #16		/* MMIO at 0x0a001000 */
	add	x1, x1, #0x1000
	movz	x2, #0x2211			/* x2 = 0x8877665544332211 */
	movk	x2, #0x4433, lsl #16
	movk	x2, #0x6655, lsl #32
	movk	x2, #0x8877, lsl #48
	strb	w2, [x1]
	strh	w2, [x1, #2]
	str	w2, [x1, #4]
	str	x2, [x1, #8]
	ldrb	w3, [x1]
	ucall	x3
	ldrsb	w3, [x1]
	ucall	x3
	ldrsb	x3, [x1]
	ucall	x3
	ldrh	w3, [x1, #2]
	ucall	x3
	ldrsh	w3, [x1, #2]
	ucall	x3
	ldrsh	x3, [x1, #2]
	ucall	x3
	ldr	w3, [x1, #4]
	ucall	x3
	ldrsw	x3, [x1, #4]
	ucall	x3
	ldr	x3, [x1, #8]
	ucall	x3
	ldr	xzr, [x1, #8]			/* a load into XZR is discarded */
	ucall	x3
	stp	x2, x2, [x1, #16]		/* no syndrome: unhandled abort */
	b	.
guest_end mmio

/* Loads and stores that fault without syndrome: pairs and writeback. */
guest_begin mmio_nosyndrome
	ucall_init
	mov	x0, #(3 << 20)			/* CPACR_EL1.FPEN: FP allowed */
	msr	cpacr_el1, x0
	isb
	movz	x1, #0x0a00, lsl #16		/* MMIO at 0x0a001000 */
	add	x1, x1, #0x1000
	mov	x2, #0x11
	mov	x3, #0x22
	stp	x2, x3, [x1, #16]
	ldp	w4, w5, [x1, #8]
	ucall	x4
	ucall	x5
	ldpsw	x4, x5, [x1]
	ucall	x4
	ucall	x5
	str	x2, [x1], #16			/* post-index: x1 += 16 */
	ucall	x1
	ldr	x6, [x1, #-8]!			/* pre-index: x1 -= 8 */
	ucall	x6
	ucall	x1
	ldrsh	w7, [x1], #4
	ucall	x7
	ucall	x1
	movz	x1, #0x0a00, lsl #16
	add	x1, x1, #0x1000
	stp	x2, x3, [x1, #16]!
	ucall	x1
	ldp	x8, x9, [x1], #-16
	ucall	x8
	ucall	x9
	ucall	x1
	str	q0, [x1]			/* SIMD: not decoded */
	b	.
guest_end mmio_nosyndrome

/*
 * A pair or pre/post-indexed pair at x1 (set by the test), the form picked
 * by x0: 0 ldp, 1 stp, 2 ldp pre-index +16, 3 ldp post-index -16.  Then it
 * reports x2, x3 and x1.  Placed across a slot's edge, such a pair must
 * not be emulated at addresses the guest did not use.
 */
guest_begin mmio_pair_edge
	ucall_init
	mov	x2, #0x11
	mov	x3, #0x22
	cmp	x0, #1
	b.eq	1f
	cmp	x0, #2
	b.eq	2f
	cmp	x0, #3
	b.eq	3f
	cmp	x0, #4
	b.eq	5f
	cmp	x0, #5
	b.eq	6f
	ldp	x2, x3, [x1]
	b	4f
1:	stp	x2, x3, [x1]
	b	4f
2:	ldp	x2, x3, [x1, #16]!
	b	4f
3:	ldp	x2, x3, [x1], #-16
	b	4f
5:	ldr	w2, [x1]			/* single accesses, unaligned */
	b	4f
6:	str	x2, [x1]
4:	ucall	x2
	ucall	x3
	ucall	x1
	b	.
guest_end mmio_pair_edge
