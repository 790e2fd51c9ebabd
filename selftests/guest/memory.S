/* SPDX-License-Identifier: GPL-2.0-only */
#include "guest.inc"

/* Reports the word at RAM + 0x800, forever: which memory is behind the IPA. */
guest_begin whoami
	ucall_init
1:	movz	x1, #0x4000, lsl #16
	ldr	x0, [x1, #0x800]
	ucall	x0
	b	1b
guest_end whoami

/* Reads, writes, reads again the first word of a read-only slot at 0x40200000. */
guest_begin readonly
	ucall_init
	movz	x1, #0x4020, lsl #16
	ldr	x0, [x1]
	ucall	x0
	movz	x2, #0x7777
	str	x2, [x1]
	ldr	x0, [x1]
	ucall	x0
	b	.
guest_end readonly
