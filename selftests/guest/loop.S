/* SPDX-License-Identifier: GPL-2.0-only */
/* Counts up and reports every value: one exit per iteration. */
#include "guest.inc"

guest_begin loop
	ucall_init
	mov	x0, #0
1:	add	x0, x0, #1
	ucall	x0
	b	1b
guest_end loop

/* Spins without ever exiting on its own. */
guest_begin spin
	b	.
guest_end spin
