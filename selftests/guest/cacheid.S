/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reads the cache geometry (vcpu_cache_id.c): x1 CTR_EL0, x2 CLIDR_EL1,
 * x3 CCSIDR_EL1 of the level-1 data (or unified) cache, x4 that of the
 * level-1 instruction cache, x5 CSSELR_EL1 read back; then ucall 1.
 */
#include "guest.inc"

guest_begin cacheid
	ucall_init
	mrs	x1, ctr_el0
	mrs	x2, clidr_el1
	msr	csselr_el1, xzr		/* level 1, data or unified */
	isb
	mrs	x3, ccsidr_el1
	mov	x4, #1			/* level 1, instruction */
	msr	csselr_el1, x4
	isb
	mrs	x4, ccsidr_el1
	mrs	x5, csselr_el1
	mov	x0, #1
	ucall	x0
	b	.
guest_end cacheid
