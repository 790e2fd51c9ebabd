/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * a64vcpu EL2 entry code: the vector table, the bring-up routine the hyp
 * stub branches to, the hyp-stub ABI and the host-call table.
 *
 * This file is linked into the EL2 image (hyp.lds), which EL1 copies into
 * physically contiguous pages and identity-maps (VA == PA) in EL2's own
 * stage-1 tables.  Everything here is position independent: only PC-relative
 * addressing, no literal addresses (the build rejects absolute relocations).
 *
 * Register use, host mode (the only mode so far):
 *   TPIDR_EL2	PA == VA of this CPU's struct a64_hyp_cpu
 *   SP_EL2	top of this CPU's EL2 stack page
 * A host call arrives with x0 = id, x1-x3 = arguments; x4-x17 are ours to
 * clobber (kmod/hyp_call.h tells the compiler), everything else is preserved.
 * The dispatch itself only uses x16/x17: hyp-stub calls pass arguments in
 * x1-x4 (HVC_SOFT_RESTART), which must reach stub_abi intact.
 */
#include <linux/linkage.h>
#include <asm/kvm_arm.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <asm/virt.h>
#include <shared/hyp_abi.h>
#include "macros.S"

/*
 * SCTLR_EL2 bits set on top of the stub's value: stage-1 MMU, data and
 * instruction cacheability, writable implies execute-never.
 */
#define SCTLR_EL2_ON	(SCTLR_ELx_M | SCTLR_ELx_C | SCTLR_ELx_I | SCTLR_ELx_WXN)

/*
 * TCR_EL2 (E2H = 0): 48-bit VA (walk starts at level 0), write-back
 * write-allocate inner shareable walks, 4K granule.  PS is filled in from
 * ID_AA64MMFR0_EL1.PARange.
 */
#define TCR_EL2_BASE	(TCR_EL2_RES1 | TCR_T0SZ(48) | TCR_IRGN0_WBWA | \
			 TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K)

/* MAIR_EL2: the kernel's Normal index, inner/outer write-back non-transient. */
#define MAIR_EL2_VALUE	MAIR_ATTRIDX(MAIR_ATTR_NORMAL, MT_NORMAL)

	.text
	.align	11
SYM_CODE_START(hyp_vectors)
	unexpected_vector 0x0	/* current EL, SP_EL0: sync */
	unexpected_vector 0x1	/*   irq */
	unexpected_vector 0x2	/*   fiq */
	unexpected_vector 0x3	/*   serror */
	unexpected_vector 0x4	/* current EL, SP_ELx: sync */
	unexpected_vector 0x5	/*   irq */
	unexpected_vector 0x6	/*   fiq */
	unexpected_vector 0x7	/*   serror */

	.align	7		/* lower EL, AArch64: sync */
	/*
	 * With the host's HCR_EL2 (no traps enabled) the only synchronous
	 * exception EL1 can take to EL2 is an HVC, so the syndrome is not
	 * read on this path.  Our calls are dispatched through a branch table.
	 */
	mov	x16, #A64_HC_BASE
	sub	x16, x0, x16
	cmp	x16, #A64_HC_NR
	b.hs	stub_abi
	adr	x17, host_call_table
	add	x17, x17, x16, lsl #2
	br	x17

	unexpected_vector 0x9	/* lower EL, AArch64: irq */
	unexpected_vector 0xa	/*   fiq */
	unexpected_vector 0xb	/*   serror */
	unexpected_vector 0xc	/* lower EL, AArch32 */
	unexpected_vector 0xd
	unexpected_vector 0xe
	unexpected_vector 0xf
	.align	7
SYM_CODE_END(hyp_vectors)

/* One branch per host call, in A64_HC_* order. */
host_call_table:
	b	hc_ping
	b	hc_report
	b	hyp_run
	b	hyp_tlbi_vmid
	b	hyp_tlbi_el2
.if (. - host_call_table) != (A64_HC_NR * 4)
	.error "host_call_table does not match A64_HC_NR"
.endif

hc_ping:
	mov_q64	x0, A64_HYP_MAGIC
	eret_sb

hc_report:
	fault_inject_point A64_FAULT_INJECT_HOST, x0, x1
	stp	x29, x30, [sp, #-16]!
	mrs	x0, tpidr_el2
	bl	hyp_report
	ldp	x29, x30, [sp], #16
	mov	x0, xzr
	eret_sb

/*
 * Give EL2 back to the kernel's hyp stub state: MMU and caches off as the
 * stub had them, then x6 into VBAR_EL2.  Clobbers x5 and x7 (a stub call
 * may clobber x0-x18: Documentation/virt/kvm/arm/hyp-abi.rst).
 *
 * We run identity-mapped, so execution continues at the same address once
 * the MMU is off.  Dirty lines EL2 wrote stay in the (coherent) data cache
 * where EL1 reads them.  Stale EL2 TLB entries are dropped here so whoever
 * takes EL2 next starts clean, and so are the EL1&0 entries of every VMID
 * (TLBI ALLE1, this CPU only: every CPU gives back by itself): whoever
 * comes next numbers its VMIDs from 1 as we do (KVM), and must neither hit
 * our guests' translations nor let us free a page this CPU still caches.
 * Local TLBIs, complete with DSB NSH (the repeat-TLBI errata concern
 * broadcast maintenance: tlbi_sync_ish).
 */
.macro	give_back_el2
	mrs	x5, tpidr_el2
	ldr	x7, [x5, #A64_HYP_CPU_HANDOVER_TLBI]
	add	x7, x7, #1
	str	x7, [x5, #A64_HYP_CPU_HANDOVER_TLBI]
	ldr	x5, [x5, #A64_HYP_CPU_STUB_SCTLR]
	msr	sctlr_el2, x5
	isb
	tlbi	alle2
	tlbi	alle1
	dsb	nsh			/* both complete on this CPU before it goes */
	msr	vbar_el2, x6
	isb
.endm

/*
 * The hyp-stub ABI (arch/arm64/kernel/hyp-stub.S), honoured so that kexec,
 * reboot and KVM behave as if the stub were still installed.  Every call that
 * changes EL2 first gives it back: whoever comes next expects the stub's
 * MMU-off state, exactly as KVM's __kvm_handle_stub_hvc does.
 */
stub_abi:
	cmp	x0, #HVC_SET_VECTORS
	b.ne	1f
	mov	x6, x1			/* somebody takes EL2 (KVM, or our unload) */
	give_back_el2
	mov	x0, xzr
	eret_sb

1:	cmp	x0, #HVC_SOFT_RESTART
	b.ne	2f
	mrs	x6, tpidr_el2
	ldr	x6, [x6, #A64_HYP_CPU_STUB_VBAR]
	give_back_el2
	mov	x5, x1			/* branch at EL2, MMU off, ELR/SPSR as they are */
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	br	x5

2:	cmp	x0, #HVC_RESET_VECTORS
	b.ne	3f
	mrs	x6, tpidr_el2
	ldr	x6, [x6, #A64_HYP_CPU_STUB_VBAR]
	give_back_el2
	mov	x0, xzr
	eret_sb

3:	mov_q64	x0, HVC_STUB_ERR	/* HVC_FINALISE_EL2, unknown ids: as the stub */
	eret_sb

/*
 * hyp_init - bring EL2 up in our world.  The kernel's hyp stub branches here
 * through HVC_SOFT_RESTART, at EL2 with the MMU off, ELR_EL2/SPSR_EL2 still
 * pointing back at the caller.
 *   x0 = PA of this CPU's struct a64_hyp_cpu
 *   x1 = PA of the top of this CPU's EL2 stack
 *   x2 = PA of the EL2 stage-1 level-0 table
 * Returns x0 = 0 to the caller, at EL1, with our vectors, page tables, MMU
 * and caches on.  Runs its first instructions MMU-off: EL1 cleaned this image
 * to the point of coherency before the call.
 */
SYM_CODE_START(hyp_init)
	mrs	x3, vbar_el2		/* the stub's, kept for give-back */
	mrs	x4, sctlr_el2

	mov	x5, #MAIR_EL2_VALUE
	msr	mair_el2, x5
	mrs	x5, id_aa64mmfr0_el1
	and	x5, x5, #ID_AA64MMFR0_EL1_PARANGE_MASK
	cmp	x5, #ID_AA64MMFR0_EL1_PARANGE_48
	mov	x6, #ID_AA64MMFR0_EL1_PARANGE_48
	csel	x5, x5, x6, ls		/* no 52-bit PAs with a 4K granule */
	mov_q64	x6, TCR_EL2_BASE
	orr	x6, x6, x5, lsl #TCR_EL2_PS_SHIFT
	msr	tcr_el2, x6
	msr	ttbr0_el2, x2
	msr	vttbr_el2, xzr		/* the host's EL1&0 entries: VMID 0 */
	isb
	/*
	 * Nothing left from a previous owner: neither its EL2 entries nor the
	 * EL1&0 entries of any VMID (its VMIDs are numbered as ours are).
	 */
	tlbi	alle2
	tlbi	alle1
	dsb	nsh
	mov_q64	x6, SCTLR_EL2_ON
	orr	x6, x4, x6
	msr	sctlr_el2, x6
	isb
	ic	iallu			/* no stale lines from an earlier image here */
	dsb	nsh
	isb

	/* MMU on: the per-CPU page is now written through the cache, coherently with EL1. */
	mov	sp, x1
	msr	tpidr_el2, x0
	str	x3, [x0, #A64_HYP_CPU_STUB_VBAR]
	str	x4, [x0, #A64_HYP_CPU_STUB_SCTLR]
	ldr	x5, [x0, #A64_HYP_CPU_HANDOVER_TLBI]	/* the TLBI ALLE1 above */
	add	x5, x5, #1
	str	x5, [x0, #A64_HYP_CPU_HANDOVER_TLBI]
	adr	x5, hyp_vectors
	msr	vbar_el2, x5
	isb
	mov	x0, xzr
	eret_sb
SYM_CODE_END(hyp_init)
