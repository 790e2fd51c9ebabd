/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual IRQ and FIQ: installs a vector table, unmasks IRQ, then FIQ; each
 * handler reports itself and returns.  Ucalls: 1, 0x11 (IRQ taken), 2,
 * 0x22 (FIQ taken), 3.
 */
#include "guest.inc"

guest_begin irq
	ucall_init
	adr	x0, irq_vectors
	msr	vbar_el1, x0
	isb
	mov	x5, #1
	ucall	x5			/* the test raises the IRQ line */
	msr	daifclr, #2
	mov	x5, #2
	ucall	x5			/* the test raises the FIQ line */
	msr	daifclr, #1
	mov	x5, #3
	ucall	x5
	b	.

	.balign	2048
irq_vectors:
	.skip	0x280			/* current EL with SP_ELx: IRQ at 0x280 */
	mov	x6, #0x11
	ucall	x6			/* the test lowers the line */
	eret
	.balign	0x80			/* FIQ at 0x300 */
	mov	x6, #0x22
	ucall	x6
	eret
	.balign	0x80
	.skip	0x480
guest_end irq
