/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writes just below and just above its RAM slot, where the host has
 * canaries next to the guest's memory: both must be MMIO exits.
 */
#include "guest.inc"

guest_begin isolation
	movz	x1, #0x4000, lsl #16		/* RAM at 0x40000000 */
	movz	x2, #0x5a5a
	str	x2, [x1, #-8]			/* last word below the slot */
	movz	x3, #0x10, lsl #16		/* RAM size 1 MiB */
	add	x3, x1, x3
	str	x2, [x3]			/* first word above the slot */
	str	x2, [x1, #0x800]		/* inside: plain memory */
	ldr	x4, [x1, #0x800]
	ucall_init
	ucall	x4
	b	.
guest_end isolation
