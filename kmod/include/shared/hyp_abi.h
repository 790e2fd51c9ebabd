/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contract between the EL1 half of a64vcpu (kmod/) and its EL2 half
 * (kmod/hyp/): host-call numbers, their register conventions and the layout of
 * the per-CPU data both halves read.  Included from C and from assembly.
 *
 * Host calls are "hvc #0" from EL1 with x0 = call id and arguments in x1-x3.
 * Results come back in x0-x3; x4-x17 may be clobbered, everything else is
 * preserved.  Ids below HVC_STUB_HCALL_NR (4) are the kernel hyp-stub ABI
 * (Documentation/virt/kvm/arm/hyp-abi.rst), which our vectors honour; ours
 * start at A64_HC_BASE so that the stub (answers HVC_STUB_ERR) and KVM's nVHE
 * hyp (answers SMCCC_RET_NOT_SUPPORTED, -1) both reject them harmlessly.
 */
#ifndef A64_SHARED_HYP_ABI_H
#define A64_SHARED_HYP_ABI_H

#define A64_HC_BASE		0xa640

/* x0 <- A64_HYP_MAGIC.  Proves our vectors own EL2 on this CPU. */
#define A64_HC_PING		(A64_HC_BASE + 0)
/*
 * Fills this CPU's struct a64_hyp_cpu.report with the EL2 registers that
 * show which world answered (VBAR_EL2, SCTLR_EL2, TTBR0_EL2, ...); x0 <- 0.
 */
#define A64_HC_REPORT		(A64_HC_BASE + 1)
#define A64_HC_NR		2

/* "a64 hyp!" in ASCII, returned by A64_HC_PING. */
#define A64_HYP_MAGIC		0x6134362068797021

/*
 * Per-CPU data page, identity-mapped at EL2 and pointed to by TPIDR_EL2.
 * Offsets are used by assembly; hyp_abi_check.c asserts them.
 */
#define A64_HYP_CPU_STUB_VBAR		0x00	/* the hyp stub's VBAR_EL2 */
#define A64_HYP_CPU_STUB_SCTLR		0x08	/* SCTLR_EL2 as the stub had it */
#define A64_HYP_CPU_REPORT		0x40	/* struct a64_hyp_report */

#ifndef __ASSEMBLY__
#include <linux/types.h>

/** struct a64_hyp_report - EL2 registers as seen from EL2 (A64_HC_REPORT). */
struct a64_hyp_report {
	u64 current_el;
	u64 vbar_el2;
	u64 sctlr_el2;
	u64 ttbr0_el2;
	u64 tcr_el2;
	u64 mair_el2;
	u64 sp_el2;
	u64 tpidr_el2;
};

/**
 * struct a64_hyp_cpu - one CPU's data shared by EL1 and EL2.
 * @stub_vbar:	VBAR_EL2 of the kernel's hyp stub, restored on give-back.
 * @stub_sctlr:	SCTLR_EL2 as the stub left it, restored on give-back.
 * @report:	written by A64_HC_REPORT.
 */
struct a64_hyp_cpu {
	u64 stub_vbar;
	u64 stub_sctlr;
	u64 pad[6];
	struct a64_hyp_report report;
};
#endif /* __ASSEMBLY__ */

#endif /* A64_SHARED_HYP_ABI_H */
