/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for guest programs (selftests/guest/): each program sits
 * between guest_<name>_start and guest_<name>_end, is position independent
 * and is loaded at GUEST_RAM_GPA (0x40000000) with the MMU off, EL1h.
 */
#ifndef A64_GUEST_H
#define A64_GUEST_H

#define UCALL_GPA	0x0a000000

.macro	guest_begin name
	.section .rodata.guest, "a"
	.balign	4096
	.globl	guest_\name\()_start
guest_\name\()_start:
.endm

.macro	guest_end name
	.globl	guest_\name\()_end
guest_\name\()_end:
.endm

/* x28 <- UCALL_GPA (set once), then "ucall xN" reports xN to the test. */
.macro	ucall_init
	movz	x28, #(UCALL_GPA >> 16), lsl #16
.endm

.macro	ucall reg
	str	\reg, [x28]
.endm

#endif
