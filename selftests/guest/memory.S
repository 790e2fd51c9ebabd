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

/* Reads (reported), writes 0x7777, reads again (reported) at \hi << 16. */
.macro	read_write_read hi
	movz	x1, #\hi, lsl #16
	ldr	x0, [x1]
	ucall	x0
	movz	x2, #0x7777
	str	x2, [x1]
	ldr	x0, [x1]
	ucall	x0
	b	.
.endm

/* Reads, writes, reads again the first word of a read-only slot at 0x40200000. */
guest_begin readonly
	ucall_init
	read_write_read 0x4020
guest_end readonly

/*
 * The read-only slot's write again, with the MMU on and the slot seen at
 * another virtual address: VA 0x80200000 -> IPA 0x40200000 (1 GiB blocks:
 * VA 0 -> IPA 0 for the ucalls, VA 1 GiB -> IPA 1 GiB for this code and VA
 * 2 GiB -> IPA 1 GiB, the alias).  The exit must name the IPA, which EL2
 * resolves with AT where HPFAR_EL2 is not to be trusted (a permission
 * fault; every stage-2 fault on Cortex-A57, erratum 834220).
 */
guest_begin readonly_mmu
	ucall_init
	adr	x1, 9f				/* level 1 of a 39-bit VA space */
	mov	x2, #0x701			/* block, AF, inner shareable, attr 0 */
	str	x2, [x1]
	movz	x3, #0x4000, lsl #16
	orr	x3, x3, x2
	str	x3, [x1, #8]
	str	x3, [x1, #16]
	dsb	ish
	msr	ttbr0_el1, x1
	mov	x4, #0xff			/* attr 0: normal, write-back */
	msr	mair_el1, x4
	movz	x4, #0x3519			/* T0SZ 25, WBWA, inner shareable, 4K */
	movk	x4, #0x80, lsl #16		/* EPD1: no TTBR1 walks */
	msr	tcr_el1, x4
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x4, sctlr_el1
	orr	x4, x4, #1			/* M */
	orr	x4, x4, #4			/* C */
	orr	x4, x4, #0x1000			/* I */
	msr	sctlr_el1, x4
	isb
	read_write_read 0x8020
	.balign	4096
9:	.fill	512, 8, 0
guest_end readonly_mmu
