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

#include <linux/bits.h>

#define A64_HC_BASE		0xa640

/* x0 <- A64_HYP_MAGIC.  Proves our vectors own EL2 on this CPU. */
#define A64_HC_PING		(A64_HC_BASE + 0)
/*
 * Fills this CPU's struct a64_hyp_cpu.report with the EL2 registers that
 * show which world answered (VBAR_EL2, SCTLR_EL2, TTBR0_EL2, ...); x0 <- 0.
 */
#define A64_HC_REPORT		(A64_HC_BASE + 1)
/*
 * x1 = PA of a struct a64_vcpu_ctx: world switch into that guest until an
 * exit EL2 does not answer itself.  x0 <- A64_EXIT_* (small numbers: the
 * stub's HVC_STUB_ERR or KVM's -1 mean EL2 is not ours).
 */
#define A64_HC_RUN		(A64_HC_BASE + 2)
/* x1 = a VTTBR_EL2 value: invalidate all stage-1&2 TLB entries of its VMID. */
#define A64_HC_TLBI_VMID	(A64_HC_BASE + 3)
/* Invalidate EL2's own TLB entries on every CPU (after an EL2 unmap). */
#define A64_HC_TLBI_EL2		(A64_HC_BASE + 4)
#define A64_HC_NR		5

/* Optional features and errata of a CPU that EL2 acts on. */
#define A64_HYP_FEAT_SPE	BIT(0)		/* the host may profile: drained */
#define A64_HYP_FEAT_RAS_BIT	1
#define A64_HYP_FEAT_RAS	BIT(A64_HYP_FEAT_RAS_BIT)	/* VDISR_EL2, ESB/DISR_EL1 */
#define A64_HYP_FEAT_PMR	BIT(2)		/* the host masks IRQs by priority */
/* ICC_PMR_EL1 while a guest runs there: open (asm/ptrace.h's GIC_PRIO_*) */
#define A64_HYP_PMR_GUEST	(GIC_PRIO_IRQON | GIC_PRIO_PSR_I_SET)
#define A64_HYP_FEAT_SPEC_AT	BIT(3)		/* speculative-AT errata (switch.S) */
#define A64_HYP_FEAT_REPEAT_TLBI_BIT	4
/* Broadcast TLBI completion needs one more TLBI and DSB (macros.S tlbi_sync_ish). */
#define A64_HYP_FEAT_REPEAT_TLBI	BIT(A64_HYP_FEAT_REPEAT_TLBI_BIT)
/* Those with state for kmod/hyp/features_sr.c to switch. */
#define A64_HYP_FEATS_SWITCHED	(A64_HYP_FEAT_SPE | A64_HYP_FEAT_RAS | A64_HYP_FEAT_PMR)

/* Why A64_HC_RUN came back: the guest exception that ended the run. */
#define A64_EXIT_SYNC		0
#define A64_EXIT_IRQ		1
#define A64_EXIT_FIQ		2
#define A64_EXIT_SERROR		3

/* "a64 hyp!" in ASCII, returned by A64_HC_PING. */
#define A64_HYP_MAGIC		0x6134362068797021

/*
 * Per-CPU data page, identity-mapped at EL2 and pointed to by TPIDR_EL2.
 * Offsets are used by assembly; checked against the struct at the end.
 */
#define A64_HYP_CPU_STUB_VBAR		0x00	/* the hyp stub's VBAR_EL2 */
#define A64_HYP_CPU_STUB_SCTLR		0x08	/* SCTLR_EL2 as the stub had it */
#define A64_HYP_CPU_VCPU_CTX		0x10	/* running guest's context, or 0 */
#define A64_HYP_CPU_GICV3		0x18	/* GICv3 system registers at EL2 */
#define A64_HYP_CPU_PANIC_FN		0x20	/* EL1 VA of a64_el2_panic() */
#define A64_HYP_CPU_GUEST_VECTORS	0x28	/* guest vectors: the mitigation */
#define A64_HYP_CPU_BP_ARG		0x30	/* BHB loop count, or SMCCC id */
#define A64_HYP_CPU_FAULT_INJECT	0x38	/* A64_FAULT_INJECT_*, test builds */
#define A64_HYP_CPU_REPORT		0x40	/* struct a64_hyp_report, 16 slots */
#define A64_HYP_CPU_HOST_X18		0xc0	/* host x18-x30, 13 slots */
#define A64_HYP_CPU_HOST_ELR		0x128	/* host ELR_EL2, SPSR_EL2 */
#define A64_HYP_CPU_HOST_EL1		0x138	/* host EL1 state, A64_EL1_NR slots */
#define A64_HYP_CPU_HOST_EL2		0x208	/* host EL2 settings, A64_EL2_NR slots */
#define A64_HYP_CPU_PANIC		0x280	/* struct a64_hyp_panic */
#define A64_HYP_CPU_HANDOVER_TLBI	0x2c0	/* TLBI ALLE1s at take and give-back */
#define A64_HYP_CPU_FEATURES		0x2c8	/* A64_HYP_FEAT_*, switched around guests */
#define A64_HYP_CPU_FIXUP_X0		0x2d0	/* x0-x2 while EL2 looks up a fixup */
#define A64_HYP_CPU_HOST_PMR		0x2f0	/* the host's ICC_PMR_EL1 (A64_HYP_FEAT_PMR) */

/*
 * Guest vector variants (kmod/hyp/switch.S), one per way of hardening the
 * branch predictor on the way from a guest to EL2; EL1 picks one per CPU
 * (kmod/spectre.c) and stores its address in A64_HYP_CPU_GUEST_VECTORS.
 */
#define A64_BP_NONE		0	/* not affected, or not mitigated */
#define A64_BP_BHB_LOOP		1	/* branchy loop, BP_ARG times */
#define A64_BP_CLEARBHB		2	/* the ClearBHB instruction */
#define A64_BP_SMC		3	/* firmware: SMCCC id BP_ARG (WA1/WA3) */
#define A64_BP_NR		4

/*
 * Deliberate EL2 faults, only in builds with A64VCPU_FAULT_INJECT (debugfs
 * el2_fault_inject): the next A64_HC_REPORT, the next guest exit, or the
 * next AT at EL2 (kmod/hyp/fast.c, where the fault is fixed up) loads from
 * A64_FAULT_INJECT_ADDR, which EL2 never maps.
 */
#define A64_FAULT_INJECT_HOST	1
#define A64_FAULT_INJECT_GUEST	2
#define A64_FAULT_INJECT_AT	3
#define A64_FAULT_INJECT_ADDR	0xa64dead00000

/*
 * EL1 state switched between host and guest, in save/load order.  Slots
 * 0..20 are the uapi's A64VCPU_SYS_* numbers.
 */
#define A64_EL1_SCTLR		0
#define A64_EL1_TTBR0		1
#define A64_EL1_TTBR1		2
#define A64_EL1_TCR		3
#define A64_EL1_MAIR		4
#define A64_EL1_AMAIR		5
#define A64_EL1_VBAR		6
#define A64_EL1_CONTEXTIDR	7
#define A64_EL1_CPACR		8
#define A64_EL1_ESR		9
#define A64_EL1_FAR		10
#define A64_EL1_AFSR0		11
#define A64_EL1_AFSR1		12
#define A64_EL1_PAR		13
#define A64_EL1_CNTKCTL		14
#define A64_EL1_TPIDR_EL1	15
#define A64_EL1_TPIDR_EL0	16
#define A64_EL1_TPIDRRO		17
#define A64_EL1_CSSELR		18
#define A64_EL1_CNTV_CTL	19
#define A64_EL1_CNTV_CVAL	20
#define A64_EL1_SP_EL0		21
#define A64_EL1_SP_EL1		22
#define A64_EL1_ELR_EL1		23
#define A64_EL1_SPSR_EL1	24
#define A64_EL1_MDSCR		25	/* after SPSR_EL1: one ldp/stp (macros.S) */
#define A64_EL1_NR		26

/* EL2 settings: the guest's are loaded on entry, the host's put back on exit. */
#define A64_EL2_HCR		0
#define A64_EL2_VTTBR		1
#define A64_EL2_VTCR		2
#define A64_EL2_CPTR		3
#define A64_EL2_CNTHCTL		4
#define A64_EL2_CNTVOFF		5
#define A64_EL2_MDCR		6	/* guest: trap bits only, HPMN is the host's */
#define A64_EL2_VPIDR		7
#define A64_EL2_VMPIDR		8
#define A64_EL2_NR		10

/* struct a64_vcpu_ctx: one page per vCPU, identity-mapped at EL2. */
#define A64_CTX_X		0x000	/* x0-x30 */
#define A64_CTX_PC		0x0f8	/* ELR_EL2 */
#define A64_CTX_PSTATE		0x100	/* SPSR_EL2 */
#define A64_CTX_EL1		0x108	/* A64_EL1_NR slots */
#define A64_CTX_EL2		0x1d8	/* A64_EL2_NR slots */
#define A64_CTX_EXIT_CODE	0x228	/* A64_EXIT_* */
#define A64_CTX_ESR		0x230	/* ESR_EL2, FAR_EL2, HPFAR_EL2 at exit */
#define A64_CTX_FAR		0x238
#define A64_CTX_HPFAR		0x240
#define A64_CTX_FAST_EXITS	0x248	/* exits EL2 answered itself */
#define A64_CTX_INSN_IPA	0x250	/* data abort without syndrome: see below */
#define A64_CTX_ENTRY_FLAGS	0x258	/* A64_ENTRY_*: work for hyp_run, then cleared */
#define A64_CTX_FP		0x260	/* struct user_fpsimd_state: the guest's */
#define A64_CTX_GIC		0x470	/* struct a64_gic_cpu_if: C only */
#define A64_CTX_DEBUG		0x548	/* struct a64_debug_ctx, flags first */
#define A64_CTX_DISR		0x768	/* an SError the guest caused: see below */
#define A64_CTX_FP_TRAPS	0x770	/* the guest's first FP/SIMD accesses */
#define A64_CTX_HOST_FP		0x780	/* struct user_fpsimd_state: the host's */
#define A64_IPA_NONE		(~0ULL)
/* HPFAR as EL2 leaves it when it could not resolve the faulting IPA: retry. */
#define A64_HPFAR_RETRY		(~0ULL)

/*
 * entry_flags: set by EL1 before A64_HC_RUN, done and cleared by EL2 once the
 * guest's VTTBR_EL2 is loaded.  TLBI_LOCAL: this CPU's EL1&0 TLB entries of
 * the guest's VMID (and its I-cache) are invalidated, because another vCPU
 * of the stage-2 space ran here last, or none did (KVM's last_vcpu_ran).
 */
#define A64_ENTRY_TLBI_LOCAL	BIT(0)

/* struct a64_debug_ctx.flags */
#define A64_DEBUG_DIRTY_BIT	0	/* the guest's registers are loaded */
/* The most breakpoints and watchpoints of the architecture (BRPs, WRPs + 1). */
#define A64_DEBUG_SLOTS		16

/* The most list registers and active-priority registers the switch moves. */
#define A64_GIC_MAX_LRS		16
#define A64_GIC_MAX_APRS	4

#ifndef __ASSEMBLY__
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/ptrace.h>

#define A64_DEBUG_DIRTY		BIT(A64_DEBUG_DIRTY_BIT)

/* ICH_VTR_EL2 fields that <asm/sysreg.h> (6.1) does not define. */
#define A64_ICH_VTR_LIST_REGS		GENMASK(4, 0)
#define A64_ICH_VTR_PRE_BITS_SHIFT	26

/*
 * Active-priority registers of each group: 5, 6 or 7 preemption bits
 * (ICH_VTR_EL2.PREbits) give 32, 64 or 128 levels, 32 per register.
 */
static inline unsigned int a64_ich_nr_aprs(u64 vtr)
{
	return 1U << (((vtr >> A64_ICH_VTR_PRE_BITS_SHIFT) & 7) + 1 - 5);
}

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
	u64 ich_vtr_el2;	/* 0 without a GICv3 system-register interface */
	u64 reserved[7];
};

/**
 * struct a64_hyp_panic - what EL2 records of an exception it did not
 * expect, before it hands the CPU to a64_el2_panic() at EL1 (which gets the
 * same values as arguments)
 * @code:	the vector: bits 3:0 its slot in the table (0-3 current EL
 *		with SP_EL0, 4-7 with SP_EL2, 8-11 lower EL AArch64, 12-15
 *		AArch32; sync, IRQ, FIQ, SError in each), bit 4 set for the
 *		guest vectors
 * @esr:	ESR_EL2
 * @elr:	ELR_EL2
 * @far:	FAR_EL2
 * @spsr:	SPSR_EL2
 * @par:	PAR_EL1
 * @vcpu_ctx:	the guest context that was loaded, or 0
 */
struct a64_hyp_panic {
	u64 code;
	u64 esr;
	u64 elr;
	u64 far;
	u64 spsr;
	u64 par;
	u64 vcpu_ctx;
	u64 pad;
};

/**
 * struct a64_gic_cpu_if - a vCPU's GICv3 virtual CPU interface, as EL2
 * loads it on entry and saves it on exit (kmod/hyp/vgic_sr.c).
 * @hcr:	ICH_HCR_EL2 while the guest runs (En, UIE); 0 without a vGIC
 * @vmcr:	ICH_VMCR_EL2: the guest's PMR, BPRs, EOImode, group enables
 * @misr:	ICH_MISR_EL2 at the last exit (why a maintenance interrupt)
 * @ap0r:	ICH_AP0R<n>_EL2, active priorities of group 0
 * @ap1r:	ICH_AP1R<n>_EL2, active priorities of group 1
 * @lr:		ICH_LR<n>_EL2, the first @used_lrs loaded, then saved back
 * @used_lrs:	list registers EL1 filled for this entry
 */
struct a64_gic_cpu_if {
	u64 hcr;
	u64 vmcr;
	u64 misr;
	u32 ap0r[A64_GIC_MAX_APRS];
	u32 ap1r[A64_GIC_MAX_APRS];
	u64 lr[A64_GIC_MAX_LRS];
	u32 used_lrs;
	u32 pad;
};

/**
 * struct a64_debug_hw - breakpoint and watchpoint registers as the hardware
 * holds them, the first BRPs + 1 and WRPs + 1 of them (ID_AA64DFR0_EL1).
 * @bvr:	DBGBVR<n>_EL1
 * @bcr:	DBGBCR<n>_EL1
 * @wvr:	DBGWVR<n>_EL1
 * @wcr:	DBGWCR<n>_EL1
 * @mdccint:	MDCCINT_EL1 (reachable by the guest with MDCR_EL2.TDA clear)
 */
struct a64_debug_hw {
	u64 bvr[A64_DEBUG_SLOTS];
	u64 bcr[A64_DEBUG_SLOTS];
	u64 wvr[A64_DEBUG_SLOTS];
	u64 wcr[A64_DEBUG_SLOTS];
	u64 mdccint;
};

/**
 * struct a64_debug_ctx - a vCPU's debug registers (kmod/hyp/debug_sr.c).
 * @flags:	A64_DEBUG_DIRTY: EL2 loads @regs on entry, saves them on exit
 *		and puts the host's back; EL1 sets it (with MDCR_EL2.TDA
 *		clear) when the guest uses its debug registers, EL2 clears it
 *		(and sets TDA) at an exit with MDSCR_EL1.MDE and KDE both 0.
 * @regs:	the guest's values: the truth while the vCPU is not running
 *
 * The guest's MDSCR_EL1 is switched on every entry and exit, in
 * el1[A64_EL1_MDSCR]: its own value, with MDE and SS cleared while its OS
 * lock is set (EL1 keeps the value it wrote meanwhile).
 */
struct a64_debug_ctx {
	u64 flags;
	struct a64_debug_hw regs;
};

/**
 * struct a64_hyp_cpu - one CPU's data shared by EL1 and EL2.
 * @stub_vbar:	VBAR_EL2 of the kernel's hyp stub, restored on give-back.
 * @stub_sctlr:	SCTLR_EL2 as the stub left it, restored on give-back.
 * @vcpu_ctx:	the running guest's context, 0 while the host runs.
 * @gicv3:	non-zero if this CPU has the GICv3 system-register interface
 *		(ICH_* at EL2): written by EL1 before the CPU is taken.
 * @panic_fn:	kernel VA of a64_el2_panic(), where EL2 sends the CPU after
 *		an exception it did not expect: written by EL1 at load.
 * @guest_vectors: EL2 address of the guest vectors this CPU runs guests
 *		with (A64_BP_*: how it hardens the branch predictor on the way
 *		from a guest to EL2), and @bp_arg their argument: written by EL1
 *		before the CPU is taken (kmod/spectre.c).
 * @fault_inject: A64_FAULT_INJECT_*, or 0 (builds with A64VCPU_FAULT_INJECT).
 * @report:	written by A64_HC_REPORT.
 * @host_ich_vmcr: the host's ICH_VMCR_EL2 while a guest runs, and below
 *		its active-priority registers (kmod/hyp/vgic_sr.c).
 * @panic:	written by EL2 on an exception it did not expect.
 * @handover_tlbi: how many times EL2 invalidated every VMID's EL1&0 TLB
 *		entries on this CPU because it changed hands (hyp_init and
 *		give-back, entry.S); EL2 counts, EL1 reads (debugfs).
 * @features:	A64_HYP_FEAT_* of this CPU (kmod/hyp/features_sr.c): written
 *		by EL1 before the CPU is taken.
 * @fixup_x0:	x0-x2 of EL2 code that took an exception, while the vector
 *		looks up the exception table (kmod/hyp/entry.S hyp_el2_fixup).
 * @host_pmscr:	the host's PMSCR_EL1 while a guest runs, 0 if it was not
 *		profiling (kmod/hyp/features_sr.c).
 * @host_pmr:	the host's ICC_PMR_EL1 while a guest runs (pseudo-NMI hosts).
 * @host_debug:	the host's breakpoints and watchpoints while a guest's are
 *		loaded (kmod/hyp/debug_sr.c).
 */
struct a64_hyp_cpu {
	u64 stub_vbar;
	u64 stub_sctlr;
	u64 vcpu_ctx;
	u64 gicv3;
	u64 panic_fn;
	u64 guest_vectors;
	u64 bp_arg;
	u64 fault_inject;
	struct a64_hyp_report report;
	u64 host_x18[13];
	u64 host_elr, host_spsr;
	u64 host_el1[A64_EL1_NR];
	u64 host_el2[A64_EL2_NR];
	u64 host_ich_vmcr;
	u32 host_ich_ap0r[A64_GIC_MAX_APRS];
	u32 host_ich_ap1r[A64_GIC_MAX_APRS];
	struct a64_hyp_panic panic;
	u64 handover_tlbi;
	u64 features;
	u64 fixup_x0[3];
	u64 host_pmscr;
	u64 host_pmr;
	struct a64_debug_hw host_debug;
};

/**
 * struct a64_vcpu_ctx - a vCPU's state, shared by EL1 and EL2.
 * @x:		general-purpose registers
 * @pc:		where the guest resumes (ELR_EL2)
 * @pstate:	its PSTATE (SPSR_EL2)
 * @el1:	EL1 system registers, A64_EL1_* slots
 * @el2:	EL2 settings for this guest, A64_EL2_* slots
 * @exit_code:	A64_EXIT_* of the last exit
 * @esr:	ESR_EL2 of the last exit
 * @far:	FAR_EL2 of the last exit
 * @hpfar:	HPFAR_EL2 of the last exit
 * @fast_exits:	exits answered at EL2 without a switch to the host
 * @insn_ipa:	for a data abort without instruction syndrome, where the
 *		faulting instruction is (guest PC through the guest's stage 1,
 *		translated at EL2 while it was loaded), or A64_IPA_NONE
 * @entry_flags: A64_ENTRY_*, set by EL1 for the next entry, cleared by EL2
 * @fp:		the guest's FP/SIMD registers, FPSR and FPCR, in the kernel's
 *		layout (the macros of <asm/fpsimdmacros.h>): the truth while
 *		CPTR_EL2.TFP is set in @el2, else a copy from before the
 *		guest's first access since then (kmod/fpsimd.c)
 * @gic:	the GICv3 virtual CPU interface
 * @smccc_wa:	SMCCC_ARCH_FEATURES answers for ARCH_WORKAROUND_1..3
 *		(index 0..2), as EL2 gives them to the guest
 * @debug:	breakpoints and watchpoints, switched lazily
 * @hpfar_unreliable: non-zero if HPFAR_EL2 may be wrong for any stage-2
 *		fault (erratum 834220): EL2 then resolves every fault's IPA
 *		from FAR_EL2 (kmod/hyp/fast.c)
 * @vdisr:	VDISR_EL2, what the guest reads as DISR_EL1 (RAS CPUs)
 * @disr:	a physical SError the guest caused, synchronised at its exit:
 *		DISR_EL1 as the ESB of the guest vectors left it (RAS CPUs),
 *		or DISR_EL1.A alone when the exit's SError window took one;
 *		EL2 writes it only then, EL1 clears it once handled
 * @fp_traps:	FP/SIMD traps EL2 answered (kmod/hyp/fpsimd.S)
 * @pad:	@host_fp 16-byte aligned whatever the tool (sparse aligns
 *		__uint128_t to 8)
 * @host_fp:	the CPU's FP/SIMD registers as they were when the guest's
 *		came in (EL2 saves them there), until EL1 puts them back
 */
struct a64_vcpu_ctx {
	u64 x[31];
	u64 pc;
	u64 pstate;
	u64 el1[A64_EL1_NR];
	u64 el2[A64_EL2_NR];
	u64 exit_code;
	u64 esr;
	u64 far;
	u64 hpfar;
	u64 fast_exits;
	u64 insn_ipa;
	u64 entry_flags;
	struct user_fpsimd_state fp;
	struct a64_gic_cpu_if gic;
	s64 smccc_wa[3];
	struct a64_debug_ctx debug;
	u64 hpfar_unreliable;
	u64 vdisr;
	u64 disr;
	u64 fp_traps;
	u64 pad;
	struct user_fpsimd_state host_fp;
};

/*
 * The offsets above against the structs: one check for every A64_HYP_CPU_*
 * and A64_CTX_* offset (`make lint` fails on an offset without one), and for
 * every field the assembly reaches as a neighbour (ldp/stp, or an offset
 * added to one of them).
 */
#define A64_ABI_OFFSET(type, field, off) \
	static_assert(offsetof(type, field) == (off), #off)

A64_ABI_OFFSET(struct a64_hyp_cpu, stub_vbar, A64_HYP_CPU_STUB_VBAR);
A64_ABI_OFFSET(struct a64_hyp_cpu, stub_sctlr, A64_HYP_CPU_STUB_SCTLR);
A64_ABI_OFFSET(struct a64_hyp_cpu, vcpu_ctx, A64_HYP_CPU_VCPU_CTX);
A64_ABI_OFFSET(struct a64_hyp_cpu, gicv3, A64_HYP_CPU_GICV3);
A64_ABI_OFFSET(struct a64_hyp_cpu, panic_fn, A64_HYP_CPU_PANIC_FN);
A64_ABI_OFFSET(struct a64_hyp_cpu, guest_vectors, A64_HYP_CPU_GUEST_VECTORS);
A64_ABI_OFFSET(struct a64_hyp_cpu, bp_arg, A64_HYP_CPU_BP_ARG);
A64_ABI_OFFSET(struct a64_hyp_cpu, fault_inject, A64_HYP_CPU_FAULT_INJECT);
A64_ABI_OFFSET(struct a64_hyp_cpu, report, A64_HYP_CPU_REPORT);
A64_ABI_OFFSET(struct a64_hyp_cpu, host_x18, A64_HYP_CPU_HOST_X18);
A64_ABI_OFFSET(struct a64_hyp_cpu, host_elr, A64_HYP_CPU_HOST_ELR);
A64_ABI_OFFSET(struct a64_hyp_cpu, host_spsr, A64_HYP_CPU_HOST_ELR + 8);
A64_ABI_OFFSET(struct a64_hyp_cpu, host_el1, A64_HYP_CPU_HOST_EL1);
A64_ABI_OFFSET(struct a64_hyp_cpu, host_el2, A64_HYP_CPU_HOST_EL2);
A64_ABI_OFFSET(struct a64_hyp_cpu, panic, A64_HYP_CPU_PANIC);
A64_ABI_OFFSET(struct a64_hyp_cpu, handover_tlbi, A64_HYP_CPU_HANDOVER_TLBI);
A64_ABI_OFFSET(struct a64_hyp_cpu, features, A64_HYP_CPU_FEATURES);
A64_ABI_OFFSET(struct a64_hyp_cpu, fixup_x0, A64_HYP_CPU_FIXUP_X0);
A64_ABI_OFFSET(struct a64_hyp_cpu, host_pmr, A64_HYP_CPU_HOST_PMR);
static_assert(sizeof_field(struct a64_hyp_cpu, host_x18) == 13 * 8);

/* panic.S stores the record in this order. */
static_assert(sizeof(struct a64_hyp_panic) == 8 * 8);
A64_ABI_OFFSET(struct a64_hyp_panic, code, 8 * 0);
A64_ABI_OFFSET(struct a64_hyp_panic, esr, 8 * 1);
A64_ABI_OFFSET(struct a64_hyp_panic, elr, 8 * 2);
A64_ABI_OFFSET(struct a64_hyp_panic, far, 8 * 3);
A64_ABI_OFFSET(struct a64_hyp_panic, spsr, 8 * 4);
A64_ABI_OFFSET(struct a64_hyp_panic, par, 8 * 5);
A64_ABI_OFFSET(struct a64_hyp_panic, vcpu_ctx, 8 * 6);

A64_ABI_OFFSET(struct a64_vcpu_ctx, x, A64_CTX_X);
A64_ABI_OFFSET(struct a64_vcpu_ctx, pc, A64_CTX_PC);
A64_ABI_OFFSET(struct a64_vcpu_ctx, pstate, A64_CTX_PSTATE);
A64_ABI_OFFSET(struct a64_vcpu_ctx, pstate, A64_CTX_PC + 8);	/* one ldp/stp */
A64_ABI_OFFSET(struct a64_vcpu_ctx, el1, A64_CTX_EL1);
A64_ABI_OFFSET(struct a64_vcpu_ctx, el2, A64_CTX_EL2);
A64_ABI_OFFSET(struct a64_vcpu_ctx, exit_code, A64_CTX_EXIT_CODE);
A64_ABI_OFFSET(struct a64_vcpu_ctx, esr, A64_CTX_ESR);
A64_ABI_OFFSET(struct a64_vcpu_ctx, far, A64_CTX_FAR);
A64_ABI_OFFSET(struct a64_vcpu_ctx, hpfar, A64_CTX_HPFAR);
A64_ABI_OFFSET(struct a64_vcpu_ctx, esr, A64_CTX_EXIT_CODE + 8);	/* two stp */
A64_ABI_OFFSET(struct a64_vcpu_ctx, far, A64_CTX_EXIT_CODE + 16);
A64_ABI_OFFSET(struct a64_vcpu_ctx, hpfar, A64_CTX_EXIT_CODE + 24);
A64_ABI_OFFSET(struct a64_vcpu_ctx, fast_exits, A64_CTX_FAST_EXITS);
A64_ABI_OFFSET(struct a64_vcpu_ctx, insn_ipa, A64_CTX_INSN_IPA);
A64_ABI_OFFSET(struct a64_vcpu_ctx, entry_flags, A64_CTX_ENTRY_FLAGS);
A64_ABI_OFFSET(struct a64_vcpu_ctx, fp, A64_CTX_FP);
A64_ABI_OFFSET(struct a64_vcpu_ctx, gic, A64_CTX_GIC);
A64_ABI_OFFSET(struct a64_vcpu_ctx, debug.flags, A64_CTX_DEBUG);
A64_ABI_OFFSET(struct a64_vcpu_ctx, disr, A64_CTX_DISR);
A64_ABI_OFFSET(struct a64_vcpu_ctx, fp_traps, A64_CTX_FP_TRAPS);
A64_ABI_OFFSET(struct a64_vcpu_ctx, host_fp, A64_CTX_HOST_FP);
#endif /* __ASSEMBLY__ */

#endif /* A64_SHARED_HYP_ABI_H */
