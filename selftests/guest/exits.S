/* SPDX-License-Identifier: GPL-2.0-only */
/* WFI, WFE, trapped system registers, then a jump out of memory. */
#include "guest.inc"

guest_begin exits
	ucall_init
	mov	x0, #1000			/* WFI may complete at once: try 1000 */
1:	wfi
	subs	x0, x0, #1
	b.ne	1b
	mov	x0, #1000
2:	wfe
	subs	x0, x0, #1
	b.ne	2b
	ucall	x0
	mrs	x0, cntp_ctl_el0		/* the physical timer is the host's */
	ucall	x0
	movz	x5, #0xbeef
	msr	cntp_cval_el0, x5
	mrs	x0, cntvct_el0			/* the virtual counter is the guest's */
	ucall	x0
	movz	x0, #0x5000, lsl #16		/* fetch from 0x50000000: not memory */
	br	x0
guest_end exits
