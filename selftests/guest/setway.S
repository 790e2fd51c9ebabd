/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set/way cache maintenance and the VM registers' writes it makes trap
 * (vm_caches.c).  x0 at entry picks the scenario:
 *
 * 0: the VM registers written and read back untrapped (the reference),
 *    DC ISW/CSW/CISW with the caches off, the same writes again (now
 *    trapped, read back and compared), the MMU and caches on through an
 *    identity map (SCTLR_EL1), a write that no longer traps, DC CISW with
 *    the caches on, caches off, caches on again, DC CISW and a write with
 *    the caches on: a ucall after each step.
 * 1: writes to VM registers and a ucall (another vCPU, another VM).
 *
 * A mismatch between a read-back and the reference is ucall 0xbad0 + the
 * register's number.
 */
#include "guest.inc"

#define TABLE_OFF	0x80000		/* the level-1 table, in guest RAM */
/* Attr0 Normal write-back, Attr1 Device-nGnRnE */
#define MAIR		0xff
/* T0SZ 32 (level-1 start, 4 GiB), non-cacheable walks, 4 KiB, EPD1 */
#define TCR		(32 | (1 << 23))
#define SCTLR_MCI	((1 << 0) | (1 << 2) | (1 << 12))

/* The ten registers other than SCTLR_EL1 that HCR_EL2.TVM traps writes to. */
.macro	write_vm_regs base
	add	x1, \base, #TABLE_OFF
	msr	ttbr0_el1, x1
	movz	x1, #0x2000
	msr	ttbr1_el1, x1
	movz	x1, #(TCR & 0xffff)
	movk	x1, #(TCR >> 16), lsl #16
	msr	tcr_el1, x1
	movz	x1, #0x5678
	msr	esr_el1, x1
	movz	x1, #0xbeef, lsl #16
	msr	far_el1, x1
	movz	x1, #0x55
	msr	afsr0_el1, x1
	movz	x1, #0xaa
	msr	afsr1_el1, x1
	movz	x1, #MAIR
	msr	mair_el1, x1
	movz	x1, #0x44
	msr	amair_el1, x1
	movz	x1, #0x1234
	msr	contextidr_el1, x1
.endm

guest_begin setway
	ucall_init
	adr	x20, guest_setway_start		/* = GUEST_RAM_GPA */
	cbnz	x0, other

	/* The identity map: 0-1 GiB device (the ucall page), 1-2 GiB RAM. */
	add	x2, x20, #TABLE_OFF
	movz	x1, #0x405			/* block, AF, Attr1 */
	str	x1, [x2]
	movz	x1, #0x0701			/* block, AF, inner shareable, Attr0 */
	movk	x1, #0x4000, lsl #16
	str	x1, [x2, #8]
	str	xzr, [x2, #16]
	str	xzr, [x2, #24]

	/* The reference: written and read back without traps. */
	write_vm_regs x20
	bl	read_regs_ref
	bl	zero_regs
	mov	x0, #1
	ucall	x0

	/* Set/way with the caches off: the first flushes, TVM on. */
	dc	isw, xzr
	dc	csw, xzr
	dc	cisw, xzr
	mov	x0, #2
	ucall	x0

	/* The same writes, trapped now: read back as before. */
	write_vm_regs x20
	bl	check_regs
	mov	x0, #3
	ucall	x0

	/* MMU and caches on: a toggle (flush), then TVM off. */
	mrs	x1, sctlr_el1
	movz	x2, #SCTLR_MCI
	orr	x1, x1, x2
	msr	sctlr_el1, x1
	isb
	mrs	x0, sctlr_el1
	ucall	x0				/* 4: SCTLR_EL1 as read back */

	movz	x1, #0x4321
	msr	contextidr_el1, x1		/* not trapped */
	mrs	x0, contextidr_el1
	ucall	x0				/* 5 */

	/* Set/way with the caches on: a flush, TVM on again. */
	dc	cisw, xzr
	mov	x0, #6
	ucall	x0

	/* Caches off: a flush, TVM stays on. */
	mrs	x1, sctlr_el1
	movz	x2, #SCTLR_MCI
	bic	x1, x1, x2
	msr	sctlr_el1, x1
	isb
	movz	x1, #0x2222
	msr	contextidr_el1, x1		/* trapped */
	mrs	x0, contextidr_el1
	ucall	x0				/* 7 */

	/* Caches on again: a flush, TVM off. */
	mrs	x1, sctlr_el1
	movz	x2, #SCTLR_MCI
	orr	x1, x1, x2
	msr	sctlr_el1, x1
	isb
	movz	x1, #0x3333
	msr	contextidr_el1, x1		/* not trapped */
	mrs	x0, contextidr_el1
	ucall	x0				/* 8 */

	/*
	 * Set/way with the caches on, then any trapped write that leaves
	 * them on ends the trapping (KVM's kvm_toggle_cache()).
	 */
	dc	cisw, xzr
	movz	x1, #0x4444
	msr	contextidr_el1, x1		/* trapped, TVM off */
	movz	x1, #0x5555
	msr	contextidr_el1, x1		/* not trapped */
	mrs	x0, contextidr_el1
	ucall	x0				/* 9 */
1:	b	1b

other:
	write_vm_regs x20
	mrs	x0, contextidr_el1
	ucall	x0
2:	b	2b

/* x10-x19 <- the ten registers */
read_regs_ref:
	mrs	x10, ttbr0_el1
	mrs	x11, ttbr1_el1
	mrs	x12, tcr_el1
	mrs	x13, esr_el1
	mrs	x14, far_el1
	mrs	x15, afsr0_el1
	mrs	x16, afsr1_el1
	mrs	x17, mair_el1
	mrs	x18, amair_el1
	mrs	x19, contextidr_el1
	ret

zero_regs:
	msr	ttbr0_el1, xzr
	msr	ttbr1_el1, xzr
	msr	tcr_el1, xzr
	msr	esr_el1, xzr
	msr	far_el1, xzr
	msr	afsr0_el1, xzr
	msr	afsr1_el1, xzr
	msr	mair_el1, xzr
	msr	amair_el1, xzr
	msr	contextidr_el1, xzr
	ret

.macro	check reg, ref, n
	mrs	x1, \reg
	cmp	x1, \ref
	movz	x0, #(0xbad0 + \n)
	b.ne	bad
.endm

/* Each register against x10-x19; a mismatch is ucall 0xbad0 + n. */
check_regs:
	check	ttbr0_el1, x10, 0
	check	ttbr1_el1, x11, 1
	check	tcr_el1, x12, 2
	check	esr_el1, x13, 3
	check	far_el1, x14, 4
	check	afsr0_el1, x15, 5
	check	afsr1_el1, x16, 6
	check	mair_el1, x17, 7
	check	amair_el1, x18, 8
	check	contextidr_el1, x19, 9
	ret
bad:
	ucall	x0
3:	b	3b
guest_end setway
