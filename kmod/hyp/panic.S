/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hyp_panic: where every exception EL2 does not expect ends (the
 * unexpected_vector entries of both vector tables, and the el2_vector
 * ones of the guest tables when no fixup is registered), as KVM's nVHE
 * __hyp_do_panic: record the syndrome in this CPU's struct a64_hyp_cpu, put
 * the host's EL1 and EL2 state back if a guest was loaded, and ERET to
 * a64_el2_panic() in the host kernel (kmod/el2_panic.c), at EL1h with DAIF
 * masked, which panics with the record.  On hardware, parking the CPU at
 * EL2 instead is a hard lockup without a word.
 *
 * Nothing here trusts the EL2 stack (it may be what faulted): only
 * TPIDR_EL2 and the per-CPU page.  A fault inside this code parks the CPU
 * (wfe) rather than recursing.
 *
 * Register use: x0 = the vector's code on entry; x0-x6 the record, then
 * a64_el2_panic()'s arguments; x7-x10 scratch.  The host's x18-x30 come
 * back from the world switch's save when a guest was loaded: the kernel's
 * x18 (shadow call stack) and a frame record for its unwinder, x29 = the
 * host's, x30 = where its A64_HC_RUN call returns.
 */
#include <linux/linkage.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <shared/hyp_abi.h>
#include "macros.S"

#define PANIC_SPSR	(PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT | PSR_MODE_EL1h)

	.text
/*
 * hyp_el2_fixup - from el2_vector (macros.S), an exception taken from EL2
 * while a guest is loaded: x0 = the vector's code, x0-x2 saved in this
 * CPU's fixup_x0.  If ELR_EL2 is an instruction registered in the
 * exception table (hyp_extable_start..end, entries of two PC-relative
 * words: the instruction, its fixup), resume at the fixup with x0-x2 back,
 * as KVM's __kvm_unexpected_el2_exception(); else hyp_panic.  A fault in
 * here goes to hyp_panic, which parks.  (The vector's own stores need this
 * CPU's page mapped at EL2, as hyp_panic does: it is, while EL2 is ours.)
 */
SYM_CODE_START(hyp_el2_fixup)
	mrs	x1, elr_el2
	adr	x2, hyp_el2_fixup
	cmp	x1, x2
	b.lo	1f
	adr	x2, hyp_panic_end
	cmp	x1, x2
	b.lo	hyp_panic			/* from in here: it parks */
1:	adr	x2, hyp_extable_start
2:	adr	x18, hyp_extable_end
	cmp	x2, x18
	b.hs	hyp_panic			/* not registered */
	ldrsw	x18, [x2]
	add	x18, x18, x2
	cmp	x18, x1
	b.eq	3f
	add	x2, x2, #8
	b	2b
3:	ldrsw	x18, [x2, #4]
	add	x18, x18, x2
	add	x18, x18, #4
	msr	elr_el2, x18
	mrs	x18, tpidr_el2
	add	x18, x18, #A64_HYP_CPU_FIXUP_X0
	ldp	x0, x1, [x18]
	ldr	x2, [x18, #16]
	eret_sb
SYM_CODE_END(hyp_el2_fixup)

SYM_CODE_START(hyp_panic)
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	mrs	x4, spsr_el2
	mrs	x5, par_el1

	/* Taken from inside this code: nothing more can be trusted. */
	adr	x7, hyp_el2_fixup
	adr	x8, hyp_panic_end
	cmp	x2, x7
	b.lo	1f
	cmp	x2, x8
	b.lo	park

1:	mrs	x7, tpidr_el2
	ldr	x6, [x7, #A64_HYP_CPU_VCPU_CTX]
	add	x8, x7, #A64_HYP_CPU_PANIC
	stp	x0, x1, [x8, #8 * 0]
	stp	x2, x3, [x8, #8 * 2]
	stp	x4, x5, [x8, #8 * 4]
	str	x6, [x8, #8 * 6]
	ldr	x9, [x7, #A64_HYP_CPU_PANIC_FN]
	cbz	x9, park

	cbz	x6, 2f
	/*
	 * A guest was loaded (from hyp_run's save until guest_exit's restore):
	 * the host's EL2 settings (HCR_EL2 first: no more stage 2, no traps
	 * of the host's SMC or system registers), its EL1 state, the GIC's
	 * virtual interface off, and its callee-saved registers.
	 */
	add	x8, x7, #A64_HYP_CPU_HOST_EL2
	load_el2 x8, x9, x10, xzr
	add	x8, x7, #A64_HYP_CPU_HOST_EL1
	load_el1 x8, x9, x10
	mov	x11, #1			/* in the speculative-AT order: ISBs */
	load_el1_mmu x8, x9, x11
	ldr	x9, [x7, #A64_HYP_CPU_GICV3]
	cbz	x9, 3f
	msr_s	SYS_ICH_HCR_EL2, xzr
	mrs_s	x9, SYS_ICC_SRE_EL2
	orr	x9, x9, #ICC_SRE_EL2_ENABLE
	msr_s	SYS_ICC_SRE_EL2, x9
	/*
	 * A pseudo-NMI host's interrupts masked by priority again as it had
	 * them, if the guest's open ICC_PMR_EL1 went in (hyp_features_enter):
	 * the kernel checks the mask it finds (CONFIG_ARM64_DEBUG_PRIORITY_MASKING).
	 */
3:	ldr	x9, [x7, #A64_HYP_CPU_FEATURES]
	tst	x9, #A64_HYP_FEAT_PMR
	b.eq	5f
	mrs_s	x9, SYS_ICC_PMR_EL1
	cmp	x9, #A64_HYP_PMR_GUEST
	b.ne	5f
	ldr	x9, [x7, #A64_HYP_CPU_HOST_PMR]
	msr_s	SYS_ICC_PMR_EL1, x9
5:	add	x8, x7, #A64_HYP_CPU_HOST_X18
	load_host_x18_x29 x8
	ldr	x30, [x7, #A64_HYP_CPU_HOST_ELR]
	str	xzr, [x7, #A64_HYP_CPU_VCPU_CTX]
	b	4f

	/*
	 * A host call: EL1's registers are as it made the call, but x29/x30
	 * may be EL2's by now, and where the call returns is lost.
	 */
2:	mov	x29, xzr
	mov	x30, xzr

4:	adr	x8, hyp_vectors
	msr	vbar_el2, x8
	ldr	x8, [x7, #A64_HYP_CPU_PANIC_FN]
	msr	elr_el2, x8
	mov	x8, #PANIC_SPSR
	msr	spsr_el2, x8
	eret_sb

park:	wfe
	b	park
hyp_panic_end:
SYM_CODE_END(hyp_panic)
