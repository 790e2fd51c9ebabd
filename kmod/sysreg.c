// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trapped MRS/MSR (ESR_EL2.EC 0x18) that the module answers itself, so that
 * a Linux guest's boot does not cost an exit to userspace per access:
 *
 * - the feature ID registers (HCR_EL2.TID3): the host's sanitised values,
 *   reduced to what a guest can use here (sanitised_id() below);
 * - the debug registers (MDCR_EL2.TDA/TDOSA/TDRA): kept per vCPU until the
 *   guest uses them, then loaded by EL2 and no longer trapped (TDA) while
 *   it does (kmod/hyp/debug_sr.c), the OS lock emulated;
 * - the PMU registers (MDCR_EL2.TPM/TPMCR): there is no PMU
 *   (ID_AA64DFR0_EL1.PMUVer = 0), so they are UNDEFINED, as the
 *   architecture says; so are those of the other features the ID registers
 *   hide and the traps catch: LORegions (HCR_EL2.TLOR), RAS error records
 *   (TERR), activity monitors (CPTR_EL2.TAM), statistical profiling
 *   (MDCR_EL2.TPMS, E2PB) and the trace filter (TTRF);
 * - set/way cache maintenance (HCR_EL2.TSW) and, while it needs them, the
 *   VM registers' writes (HCR_EL2.TVM): cache.c;
 * - the physical timer and counter (timer.c) and the GIC's trapping
 *   registers (vgic_cpuif.c).
 *
 * Everything else goes to the VMM as an A64VCPU_EXIT_SYSREG.
 */
#include <asm/cpufeature.h>
#include <asm/debug-monitors.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

#define FIELD(reg, f)	(reg##_##f##_MASK)

/* Fields passed through from the host's sanitised value; the rest read 0. */
static const struct id_reg {
	u32 reg;
	u64 keep;
} id_regs[] = {
	/* no SVE, AMU, RAS, MPAM, secure EL2, RME; EL2/EL1/EL0 set below */
	{ SYS_ID_AA64PFR0_EL1, FIELD(ID_AA64PFR0_EL1, CSV3) | FIELD(ID_AA64PFR0_EL1, CSV2) |
			       FIELD(ID_AA64PFR0_EL1, DIT) | FIELD(ID_AA64PFR0_EL1, AdvSIMD) |
			       FIELD(ID_AA64PFR0_EL1, FP) | FIELD(ID_AA64PFR0_EL1, EL3) },
	/* BTI and SSBS work at EL1 unchanged; no MTE, SME, RAS, NMI */
	{ SYS_ID_AA64PFR1_EL1, FIELD(ID_AA64PFR1_EL1, BT) | FIELD(ID_AA64PFR1_EL1, SSBS) },
	{ SYS_ID_AA64ZFR0_EL1, 0 },
	{ SYS_ID_AA64SMFR0_EL1, 0 },
	/* debug as the host has it, no PMU, SPE, trace, BRBE */
	{ SYS_ID_AA64DFR0_EL1, FIELD(ID_AA64DFR0_EL1, DebugVer) | FIELD(ID_AA64DFR0_EL1, BRPs) |
			       FIELD(ID_AA64DFR0_EL1, WRPs) | FIELD(ID_AA64DFR0_EL1, CTX_CMPs) |
			       FIELD(ID_AA64DFR0_EL1, DoubleLock) },
	{ SYS_ID_AA64DFR1_EL1, 0 },
	{ SYS_ID_AA64AFR0_EL1, 0 },
	{ SYS_ID_AA64AFR1_EL1, 0 },
	/* instructions, except transactional memory */
	{ SYS_ID_AA64ISAR0_EL1, ~FIELD(ID_AA64ISAR0_EL1, TME) },
	/* no pointer authentication (not switched), no LS64 */
	{ SYS_ID_AA64ISAR1_EL1, ~(FIELD(ID_AA64ISAR1_EL1, APA) | FIELD(ID_AA64ISAR1_EL1, API) |
				  FIELD(ID_AA64ISAR1_EL1, GPA) | FIELD(ID_AA64ISAR1_EL1, GPI) |
				  FIELD(ID_AA64ISAR1_EL1, LS64)) },
	/* no pointer authentication, WFxT (trapped, not emulated), MOPS (HCRX_EL2) */
	{ SYS_ID_AA64ISAR2_EL1, FIELD(ID_AA64ISAR2_EL1, RPRES) | FIELD(ID_AA64ISAR2_EL1, BC) |
				FIELD(ID_AA64ISAR2_EL1, CLRBHB) },
	/* no ECV, FGT (EL2 features); PARange set below */
	{ SYS_ID_AA64MMFR0_EL1, ~(FIELD(ID_AA64MMFR0_EL1, ECV) | FIELD(ID_AA64MMFR0_EL1, FGT) |
				  FIELD(ID_AA64MMFR0_EL1, PARANGE)) },
	/* no VHE, LORegions, HCRX, TWED, TIDCP1: EL2 features or not switched */
	{ SYS_ID_AA64MMFR1_EL1, ~(FIELD(ID_AA64MMFR1_EL1, VH) | FIELD(ID_AA64MMFR1_EL1, LO) |
				  FIELD(ID_AA64MMFR1_EL1, HCX) | FIELD(ID_AA64MMFR1_EL1, TWED) |
				  FIELD(ID_AA64MMFR1_EL1, TIDCP1)) },
	/* no nested virtualisation, FWB, EVT */
	{ SYS_ID_AA64MMFR2_EL1, ~(FIELD(ID_AA64MMFR2_EL1, NV) | FIELD(ID_AA64MMFR2_EL1, FWB) |
				  FIELD(ID_AA64MMFR2_EL1, EVT)) },
};

/* ID_AA64MMFR0_EL1.PARange for an IPA size (D19.2.64). */
static u64 parange(unsigned int ipa_bits)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bits) - 1 && bits[i] < ipa_bits; i++)
		;
	return i;
}

/*
 * The value a guest reads from ID register @reg.  Registers of the ID space
 * (op0 3, op1 0, CRn 0, CRm 1..7) that are not in id_regs[] read as zero:
 * the AArch32 ones (AArch32 is not offered) and the unallocated ones.
 */
static u64 sanitised_id(struct a64_vcpu *vcpu, u32 reg)
{
	const struct id_reg *r = NULL;
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(id_regs); i++)
		if (id_regs[i].reg == reg)
			r = &id_regs[i];
	if (!r)
		return 0;
	/*
	 * Only registers with a field to pass through are looked up: the
	 * kernel does not keep every one (6.1 has no ID_AA64AFR0/1_EL1, and
	 * read_sanitised_ftr_reg() WARNs on those).
	 */
	val = r->keep ? read_sanitised_ftr_reg(reg) & r->keep : 0;
	switch (reg) {
	case SYS_ID_AA64PFR0_EL1:
		/* AArch64 only at EL0 and EL1, no EL2 for the guest */
		val |= FIELD_PREP(FIELD(ID_AA64PFR0_EL1, EL0), ID_AA64PFR0_EL1_EL0_IMP) |
		       FIELD_PREP(FIELD(ID_AA64PFR0_EL1, EL1), ID_AA64PFR0_EL1_EL1_IMP);
		if (a64_vm_vgic(vcpu->vm))
			val |= FIELD_PREP(FIELD(ID_AA64PFR0_EL1, GIC), ID_AA64PFR0_EL1_GIC_IMP);
		break;
	case SYS_ID_AA64MMFR0_EL1:
		val |= FIELD_PREP(FIELD(ID_AA64MMFR0_EL1, PARANGE), parange(vcpu->vm->ipa_bits));
		break;
	}
	return val;
}

static bool is_id_reg(u32 reg)
{
	return sys_reg_Op0(reg) == 3 && sys_reg_Op1(reg) == 0 && sys_reg_CRn(reg) == 0 &&
	       sys_reg_CRm(reg) >= 1 && sys_reg_CRm(reg) <= 7;
}

/* What the guest's OS lock takes from the MDSCR_EL1 loaded for it. */
#define MDSCR_OS_LOCKED	(DBG_MDSCR_MDE | DBG_MDSCR_SS)

/* The guest's MDSCR_EL1 as it reads it: the loaded one, unless its OS lock is set. */
static u64 *guest_mdscr(struct a64_vcpu *vcpu)
{
	return vcpu->debug.oslk ? &vcpu->debug.mdscr : &vcpu->ctx->el1[A64_EL1_MDSCR];
}

/*
 * After a guest's debug state changed: @used if it wrote a breakpoint or
 * watchpoint register.  Its registers are loaded (A64_DEBUG_DIRTY) from its
 * first write to one, or from enabling debug (MDSCR_EL1.MDE or KDE), until
 * an exit finds MDE and KDE clear again (kmod/hyp/debug_sr.c); while they
 * are, its accesses no longer trap (MDCR_EL2.TDA clear).  The OS lock
 * blocks every debug exception but BRK (ARM ARM D2.5): the hardware's lock
 * is the host's, so the guest's is emulated by loading its MDSCR_EL1
 * without MDE and SS, trapping every access meanwhile so that it reads
 * back what it wrote.
 */
static void debug_update(struct a64_vcpu *vcpu, bool used)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;
	u64 mdscr = *guest_mdscr(vcpu);

	if (used || (mdscr & (DBG_MDSCR_MDE | DBG_MDSCR_KDE)))
		ctx->debug.flags |= A64_DEBUG_DIRTY;
	if (vcpu->debug.oslk)
		ctx->el1[A64_EL1_MDSCR] = mdscr & ~MDSCR_OS_LOCKED;
	if ((ctx->debug.flags & A64_DEBUG_DIRTY) && !vcpu->debug.oslk)
		ctx->el2[A64_EL2_MDCR] &= ~MDCR_EL2_TDA;
	else
		ctx->el2[A64_EL2_MDCR] |= MDCR_EL2_TDA;
}

/* OSLAR_EL1: the guest's OS lock, set or cleared. */
static void os_lock(struct a64_vcpu *vcpu, bool lock)
{
	struct a64_debug_regs *d = &vcpu->debug;

	if (lock && !d->oslk)
		d->mdscr = vcpu->ctx->el1[A64_EL1_MDSCR];
	else if (!lock && d->oslk)
		vcpu->ctx->el1[A64_EL1_MDSCR] = d->mdscr;
	d->oslk = lock;
	debug_update(vcpu, false);
}

/*
 * Debug registers (op0 2): breakpoints, watchpoints and MDCCINT_EL1 in the
 * context page (EL2 loads them), MDSCR_EL1, the OS lock; the rest RAZ/WI.
 */
static enum a64_sysreg_ret debug_reg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val)
{
	struct a64_debug_hw *hw = &vcpu->ctx->debug.regs;
	struct a64_debug_regs *d = &vcpu->debug;
	unsigned int n = sys_reg_CRm(reg);
	bool used = write;
	u64 *slot = NULL;

	if (sys_reg_Op1(reg) != 0 && sys_reg_Op1(reg) != 3)
		return A64_SR_UNDEF;	/* trace (op1 1): not offered */
	if (sys_reg_Op1(reg) == 0 && sys_reg_CRn(reg) == 0 && n < A64_DEBUG_SLOTS) {
		switch (sys_reg_Op2(reg)) {
		case 4:
			slot = &hw->bvr[n];
			break;
		case 5:
			slot = &hw->bcr[n];
			break;
		case 6:
			slot = &hw->wvr[n];
			break;
		case 7:
			slot = &hw->wcr[n];
			break;
		}
	}
	switch (reg) {
	case SYS_MDSCR_EL1:
		slot = guest_mdscr(vcpu);
		used = false;		/* only if it enables debug */
		break;
	case SYS_MDCCINT_EL1:
		slot = &hw->mdccint;
		break;
	case SYS_OSDLR_EL1:
		slot = &d->osdlr;
		used = false;
		break;
	case SYS_DBGPRCR_EL1:
		slot = &d->dbgprcr;
		used = false;
		break;
	case SYS_OSLAR_EL1:
		if (!write)
			return A64_SR_UNDEF;
		os_lock(vcpu, *val & SYS_OSLAR_OSLK);
		return A64_SR_DONE;
	case SYS_OSLSR_EL1:
		if (write)
			return A64_SR_UNDEF;
		*val = SYS_OSLSR_OSLM_IMPLEMENTED | (d->oslk ? SYS_OSLSR_OSLK : 0);
		return A64_SR_DONE;
	}
	if (!slot) {
		if (!write)
			*val = 0;
	} else if (write) {
		*slot = *val;
		if (used || reg == SYS_MDSCR_EL1)
			debug_update(vcpu, used);
	} else {
		*val = *slot;
	}
	return A64_SR_DONE;
}

/* The PMU's registers: op0 3, CRn 9 (CRm 12-14) and CRn 14 (CRm 8-15). */
static bool is_pmu_reg(u32 reg)
{
	unsigned int crn = sys_reg_CRn(reg), crm = sys_reg_CRm(reg);

	if (sys_reg_Op0(reg) != 3)
		return false;
	if (crn == 9 && crm >= 12 && crm <= 14)
		return sys_reg_Op1(reg) == 3 || (sys_reg_Op1(reg) == 0 && crm == 14);
	return crn == 14 && crm >= 8 && sys_reg_Op1(reg) == 3;
}

/* Registers of features a guest is not offered (the ID registers say so). */
static bool is_absent_feature_reg(u32 reg)
{
	unsigned int op1 = sys_reg_Op1(reg), crn = sys_reg_CRn(reg), crm = sys_reg_CRm(reg);

	if (sys_reg_Op0(reg) != 3)
		return false;
	if (op1 == 0)
		return (crn == 10 && crm == 4) ||		/* LORegions */
		       (crn == 5 && crm >= 3 && crm <= 5) ||	/* RAS error records */
		       (crn == 9 && (crm == 9 || crm == 10)) ||	/* SPE, its buffer */
		       reg == SYS_TRFCR_EL1;			/* trace filter */
	return op1 == 3 && crn == 13 && crm >= 2 && crm <= 7;	/* activity monitors */
}

/**
 * a64_sysreg_emulate() - answer a trapped MRS/MSR in the kernel if possible
 * @vcpu: the vCPU
 * @reg: the register, as sys_reg() encodes it (esr_sys64_to_sysreg())
 * @write: an MSR (*@val holds the value) or an MRS (the value goes to *@val)
 * @val: the value
 *
 * Return: A64_SR_DONE (emulated), A64_SR_UNDEF (inject an UNDEFINED
 * exception) or A64_SR_USER (exit to the VMM).
 */
enum a64_sysreg_ret a64_sysreg_emulate(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val)
{
	enum a64_sysreg_ret ret;

	if (is_id_reg(reg)) {
		if (write)
			return A64_SR_UNDEF;
		*val = sanitised_id(vcpu, reg);
		return A64_SR_DONE;
	}
	if (sys_reg_Op0(reg) == 2)
		return debug_reg(vcpu, reg, write, val);
	if (is_pmu_reg(reg) || is_absent_feature_reg(reg))
		return A64_SR_UNDEF;
	ret = a64_cache_sysreg(vcpu, reg, write, val);
	if (ret != A64_SR_USER)
		return ret;
	ret = a64_cache_id_sysreg(vcpu, reg, write, val);
	if (ret != A64_SR_USER)
		return ret;
	ret = a64_timer_sysreg(vcpu, reg, write, val);
	if (ret == A64_SR_USER)
		ret = a64_vgic_sysreg(vcpu, reg, write, val);
	return ret;
}
