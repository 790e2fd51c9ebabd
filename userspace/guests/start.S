/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points and the exception vectors of every guest.
 *
 * _start: the primary vCPU, as a64vm (or QEMU's -kernel) starts it: EL1h,
 * MMU and caches off, x0 = the DTB address (kept in boot_dtb).  It takes the
 * stack of its MPIDR_EL1.Aff0, installs the vectors, zeroes bss and calls main();
 * if main() returns, the machine is switched off.
 *
 * secondary_entry: where PSCI CPU_ON starts the others, x0 = the context id,
 * which the guests use as the vCPU index.  Same set-up minus bss (it waits
 * until the primary has cleared it: selftests start every vCPU at once),
 * then secondary_main(index); if that returns, the vCPU switches itself off.
 *
 * Scratch registers: x19 = vCPU index (kept across the calls), x1-x3 temporaries.
 */
#include "guest.h"

/* sp = the top of vCPU \idx's stack; \tmp is clobbered. */
.macro set_stack idx, tmp
	adrp	\tmp, guest_stacks
	add	\tmp, \tmp, :lo12:guest_stacks
	add	\tmp, \tmp, \idx, lsl #GUEST_STACK_SHIFT
	add	sp, \tmp, #GUEST_STACK_SIZE
.endm

.macro set_vbar tmp
	adrp	\tmp, vectors
	add	\tmp, \tmp, :lo12:vectors
	msr	vbar_el1, \tmp
	isb
.endm

	.section .text.start, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff			// Aff0
	cbz	x19, 1f
	mov	x0, x19				// started here directly (selftests):
	b	secondary_entry			// a secondary, index Aff0
1:	set_stack x19, x1
	set_vbar x1

	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8			// bss is 16-byte aligned at both ends
	b	1b
2:	adrp	x2, boot_dtb
	str	x0, [x2, :lo12:boot_dtb]
	dmb	sy				// bss is zero before the flag says so
	mov	w1, #1
	adrp	x2, bss_ready
	str	w1, [x2, :lo12:bss_ready]
	bl	main
	bl	psci_system_off			// does not return

	.text
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0				// vCPU index = context id
	cmp	x19, #GUEST_NR_CPUS
	b.hs	cpu_off_nostack
	adrp	x2, bss_ready			// started with the primary (selftests):
1:	ldr	w1, [x2, :lo12:bss_ready]	// its bss clearing must not undo our
	cbz	w1, 1b				// first writes
	dmb	sy
	set_stack x19, x1
	set_vbar x1
	mov	x0, x19
	bl	secondary_main
	bl	psci_cpu_off			// returns only if refused
	b	park

/* An index with no stack: switch off without touching memory. */
cpu_off_nostack:
	movz	x0, #(PSCI_CPU_OFF >> 16), lsl #16
	movk	x0, #(PSCI_CPU_OFF & 0xffff)
	hvc	#0
park:
	wfi
	b	park

/* Guests without secondaries (bench, probe, crash) get this one. */
	.weak	secondary_main
secondary_main:
	ret

/*
 * IRQs, FIQs and synchronous exceptions taken at EL1 (SP_EL1) call
 * irq_handler(), fiq_handler() and sync_handler() with the interrupted
 * context saved; every other exception is unexpected: read the syndrome and
 * report it (exception.c), on whatever stack the vCPU was using.
 */
	.balign	0x800
vectors:
	.rept	4
	.balign	0x80
	b	vector_common
	.endr
	.balign	0x80				// 0x200: synchronous, current EL, SP_ELx
	b	sync_entry
	.balign	0x80				// 0x280: IRQ
	b	irq_entry
	.balign	0x80				// 0x300: FIQ
	b	fiq_entry
	.rept	9
	.balign	0x80
	b	vector_common
	.endr

vector_common:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	unexpected_exception		// does not return
	b	park

/* The caller-saved registers, ELR and SPSR, around a C handler. */
.macro	save_context
	stp	x0, x1, [sp, #-192]!
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #160]
	str	x30, [sp, #176]
.endm

.macro	restore_context
	ldp	x0, x1, [sp, #160]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldr	x30, [sp, #176]
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #192
	eret
.endm

irq_entry:
	save_context
	bl	irq_handler
	restore_context
fiq_entry:
	save_context
	bl	fiq_handler
	restore_context
/* sync_handler(esr, elr, far) returns the address to resume at: the new ELR. */
sync_entry:
	save_context
	mrs	x0, esr_el1
	ldr	x1, [sp, #160]
	mrs	x2, far_el1
	bl	sync_handler
	str	x0, [sp, #160]
	restore_context

	.weak	irq_handler
	.weak	fiq_handler
irq_handler:
fiq_handler:
	b	vector_common

/* Set by the primary once bss is zero: in .data, so not cleared with it. */
	.data
	.balign	4
bss_ready:
	.word	0
	.balign	8
	.global	boot_dtb
boot_dtb:
	.quad	0

	.section .stacks, "aw", %nobits
	.balign	16
guest_stacks:
	.space	GUEST_NR_CPUS * GUEST_STACK_SIZE
