// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest exits EL2 answers itself, without switching to the host: SMCCC and
 * PSCI version and feature queries, the guest's first FP/SIMD access.  They
 * cost a few dozen instructions instead of a full world switch and a trip
 * through the host kernel.
 * Also what only EL2 can find out, while the guest's stage 1 is still
 * loaded: the IPA of a stage-2 fault where HPFAR_EL2 cannot be trusted,
 * and where the instruction of a data abort without syndrome is.
 */
#include <linux/arm-smccc.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include <asm/debug-monitors.h>
#include <asm/esr.h>
#include <asm/sysreg.h>
#include <uapi/linux/psci.h>

#include "hyp.h"

/* PAR_EL1.PA, 48-bit PAs: <asm/sysreg.h> (6.1) has no mask for it. */
#define PAR_PA_MASK	GENMASK_ULL(47, 12)

static bool psci_feature(u32 fn)
{
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_1_FN_SYSTEM_RESET2:
	case PSCI_1_1_FN64_SYSTEM_RESET2:
	case PSCI_1_0_FN_PSCI_FEATURES:
	case ARM_SMCCC_VERSION_FUNC_ID:
		return true;
	default:
		return false;
	}
}

static bool answer(struct a64_vcpu_ctx *ctx, u64 ret)
{
	ctx->x[0] = ret;
	return true;
}

/* Index of an SMCCC_ARCH_WORKAROUND_n in ctx->smccc_wa, or -1. */
static int workaround(u32 fn)
{
	switch (fn) {
	case ARM_SMCCC_ARCH_WORKAROUND_1:
		return 0;
	case ARM_SMCCC_ARCH_WORKAROUND_2:
		return 1;
	case ARM_SMCCC_ARCH_WORKAROUND_3:
		return 2;
	default:
		return -1;
	}
}

static bool smccc_call(struct a64_vcpu_ctx *ctx)
{
	u32 fn = ctx->x[0];
	int wa;

	switch (fn) {
	case ARM_SMCCC_VERSION_FUNC_ID:
		return answer(ctx, ARM_SMCCC_VERSION_1_1);
	case ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		/* What EL1 found out about the host (psci.c); else not supported. */
		wa = workaround(ctx->x[1]);
		return answer(ctx, wa < 0 ? (u64)(s64)PSCI_RET_NOT_SUPPORTED :
				   (u64)ctx->smccc_wa[wa]);
	case ARM_SMCCC_ARCH_WORKAROUND_1:
	case ARM_SMCCC_ARCH_WORKAROUND_2:
	case ARM_SMCCC_ARCH_WORKAROUND_3:
		/*
		 * Offered where no CPU is affected, or where the exit that
		 * brought the call here went through the hardened vectors
		 * (kmod/spectre.c): nothing left to do.  Otherwise the call
		 * is not supported (SMCCC 1.1).
		 */
		wa = workaround(fn);
		return answer(ctx, ctx->smccc_wa[wa] < 0 ?
				   (u64)(s64)PSCI_RET_NOT_SUPPORTED : 0);
	case PSCI_0_2_FN_PSCI_VERSION:
		return answer(ctx, PSCI_VERSION(1, 1));
	case PSCI_1_0_FN_PSCI_FEATURES:
		return answer(ctx, psci_feature(ctx->x[1]) ? PSCI_RET_SUCCESS :
				   (u64)(s64)PSCI_RET_NOT_SUPPORTED);
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		return answer(ctx, PSCI_0_2_TOS_MP);
	default:
		return false;
	}
}

#ifdef A64VCPU_FAULT_INJECT
/*
 * Test builds, armed with A64_FAULT_INJECT_AT (debugfs el2_fault_inject
 * "at"): the next AT faults as if its walk had, by a load EL2 never maps
 * that is registered with the AT's fixup.
 */
#define AT_FAULT_INJECT							\
	"	cbz	%x[inject], 1f\n"					\
	"0:	ldr	xzr, [%x[inject]]\n"				\
	HYP_EXTABLE(0b, 2f)

static u64 at_fault_inject(void)
{
	struct a64_hyp_cpu *cpu = (struct a64_hyp_cpu *)read_sysreg(tpidr_el2);

	if (READ_ONCE(cpu->fault_inject) != A64_FAULT_INJECT_AT)
		return 0;
	WRITE_ONCE(cpu->fault_inject, 0);
	return A64_FAULT_INJECT_ADDR;
}
#else
#define AT_FAULT_INJECT	""
static u64 at_fault_inject(void)
{
	return 0;
}
#endif

/*
 * A guest virtual address through the guest's stage 1 (and stage 2: EL2
 * runs with HCR_EL2.VM set), by AT S1E1R.  Returns the IPA of its page, or
 * A64_IPA_NONE if the translation fails: PAR_EL1.F, or an exception taken
 * by the AT itself.  Its walk can take a synchronous external abort (a
 * guest that lets the hardware update its access flags in memory that is
 * not write-back, say), which the EL2 vectors fix up (hyp_extable): then
 * the AT resumes past the "ok" below, as KVM's __kvm_at().  The guest's
 * PAR_EL1 is put back (it is saved with the rest of its EL1 state
 * afterwards).  The DMBs around the read of PAR_EL1 are erratum 1508412's
 * workaround (a load can pass it on Cortex-A77), unconditional: this path
 * is rare.
 */
static u64 guest_va_to_ipa_page(u64 va)
{
	u64 guest_par = read_sysreg(par_el1), par, ok = 0;

	asm volatile(AT_FAULT_INJECT
		     "1:	at	s1e1r, %x[va]\n"
		     "	mov	%x[ok], #1\n"
		     "2:\n"
		     HYP_EXTABLE(1b, 2b)
		     : [ok] "+r" (ok)
		     : [va] "r" (va), [inject] "rZ" (at_fault_inject())
		     : "memory");
	isb();
	dmb(sy);
	par = read_sysreg(par_el1);
	dmb(sy);
	write_sysreg(guest_par, par_el1);
	if (!ok || (par & SYS_PAR_EL1_F))
		return A64_IPA_NONE;
	return par & PAR_PA_MASK;
}

/*
 * A data abort without syndrome goes to the host, which may decode the
 * instruction: find it while the guest's stage 1 is still loaded.
 */
static void locate_instruction(struct a64_vcpu_ctx *ctx)
{
	u64 page = guest_va_to_ipa_page(ctx->pc);

	ctx->insn_ipa = page == A64_IPA_NONE ? page : page | (ctx->pc & 0xfff);
}

/*
 * HPFAR_EL2 is UNKNOWN on a stage-2 permission fault (a write to a
 * read-only slot), and on Cortex-A57/A72 with erratum 834220 it may be
 * wrong for any stage-2 fault that is not on a stage-1 table walk: then the
 * IPA comes from FAR_EL2 through AT, in HPFAR_EL2's format.  If the guest's
 * stage 1 changed since the fault and AT fails, the host is told to retry
 * the access (A64_HPFAR_RETRY) rather than act on a wrong address.
 */
static void resolve_fault_ipa(struct a64_vcpu_ctx *ctx)
{
	u64 page;

	if (ctx->esr & ESR_ELx_S1PTW)
		return;
	if ((ctx->esr & ESR_ELx_FSC_TYPE) != ESR_ELx_FSC_PERM && !ctx->hpfar_unreliable)
		return;
	page = guest_va_to_ipa_page(ctx->far);
	ctx->hpfar = page == A64_IPA_NONE ? A64_HPFAR_RETRY : page >> 8;
}

/**
 * hyp_handle_fast() - answer a synchronous guest exit at EL2 if possible
 * @ctx: the guest's context, its GPRs, PC and syndrome saved
 *
 * Return: true if answered (the guest resumes with @ctx's GPRs and PC),
 * false to switch to the host.
 */
bool hyp_handle_fast(struct a64_vcpu_ctx *ctx)
{
	u32 ec = ESR_ELx_EC(ctx->esr);

	if (ec == ESR_ELx_EC_FP_ASIMD) {	/* CPTR_EL2.TFP: fpsimd.S */
		hyp_fp_trap(ctx);
		return true;
	}
	if (ec == ESR_ELx_EC_DABT_LOW || ec == ESR_ELx_EC_IABT_LOW) {
		resolve_fault_ipa(ctx);
		if (ec == ESR_ELx_EC_DABT_LOW && !(ctx->esr & ESR_ELx_ISV))
			locate_instruction(ctx);
		return false;
	}
	if (ctx->esr & ESR_ELx_xVC_IMM_MASK)	/* SMCCC calls use immediate 0 */
		return false;
	if (ec == ESR_ELx_EC_HVC64)	/* ELR_EL2 is past the HVC already */
		return smccc_call(ctx);
	if (ec == ESR_ELx_EC_SMC64 && smccc_call(ctx)) {
		ctx->pc += 4;		/* a trapped SMC leaves ELR_EL2 on it */
		ctx->pstate &= ~DBG_SPSR_SS;	/* stepped: as exit.c */
		return true;
	}
	return false;
}
