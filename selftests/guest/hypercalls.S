/* SPDX-License-Identifier: GPL-2.0-only */
/* SMCCC and PSCI calls through HVC and SMC; results reported by ucall. */
#include "guest.inc"

guest_begin hypercalls
	ucall_init
	movz	w0, #0x8000, lsl #16	/* SMCCC_VERSION: answered at EL2 */
	hvc	#0
	ucall	x0
	movz	w0, #0x8400, lsl #16	/* PSCI_VERSION */
	hvc	#0
	ucall	x0
	movz	w0, #0x8400, lsl #16	/* PSCI_FEATURES(CPU_ON_64) */
	movk	w0, #0x000a
	movz	w1, #0xc400, lsl #16
	movk	w1, #0x0003
	hvc	#0
	ucall	x0
	movz	w0, #0x8400, lsl #16	/* PSCI_FEATURES(0x84000005): absent */
	movk	w0, #0x000a
	movz	w1, #0x8400, lsl #16
	movk	w1, #0x0005
	hvc	#0
	ucall	x0
	movz	x0, #0xc200, lsl #16	/* a call the module does not know */
	movk	x0, #0x0042
	mov	x1, #1
	mov	x2, #2
	mov	x3, #3
	mov	x4, #4
	mov	x5, #5
	mov	x6, #6
	hvc	#0
	ucall	x0
	ucall	x1
	ucall	x2
	ucall	x3
	movz	w0, #0x8000, lsl #16	/* SMCCC_VERSION through SMC */
	smc	#0
	ucall	x0
	mov	x0, #0x42		/* unknown, through SMC */
	smc	#0
	ucall	x0
	movz	w0, #0x8000, lsl #16	/* immediate 5: not SMCCC, to the VMM */
	hvc	#5
	ucall	x0
	movz	w0, #0xc400, lsl #16	/* PSCI CPU_ON(1, entry, 0x77) */
	movk	w0, #0x0003
	mov	x1, #1
	movz	x2, #0x4000, lsl #16
	add	x2, x2, #0x100
	mov	x3, #0x77
	hvc	#0
	ucall	x0
	movz	w0, #0x8400, lsl #16	/* PSCI CPU_ON (32-bit): W1-W3 only */
	movk	w0, #0x0003
	movz	x1, #0xdead, lsl #48
	orr	x1, x1, #1
	movz	x2, #0xffff, lsl #48
	movk	x2, #0x4000, lsl #16
	movk	x2, #0x0100
	movz	x3, #0x1234, lsl #32
	movk	x3, #0x0077
	hvc	#0
	ucall	x0
	movz	w0, #0x8400, lsl #16	/* PSCI CPU_OFF */
	movk	w0, #0x0002
	hvc	#0
	movz	w0, #0x8400, lsl #16	/* PSCI SYSTEM_RESET */
	movk	w0, #0x0009
	hvc	#0
	movz	w0, #0x8400, lsl #16	/* PSCI SYSTEM_OFF, through SMC */
	movk	w0, #0x0008
	smc	#0
	b	.
guest_end hypercalls
