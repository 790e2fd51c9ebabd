// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cache geometry a guest reads (CTR_EL0, CLIDR_EL1, CCSIDR_EL1,
 * CCSIDR2_EL1 through CSSELR_EL1), trapped by HCR_EL2.TID2 where the CPUs
 * disagree on CTR_EL0 (ARM64_MISMATCHED_CACHE_TYPE: big.LITTLE systems
 * whose cores have different line sizes, ARM ARM D13.2.34).  Untrapped, a
 * guest reads the register of whichever CPU it happens to run on and keeps
 * using that line size after the host moved it: a cache maintenance loop
 * stepping by a larger line than the CPU's own skips lines.  Trapped, it
 * gets the system-wide safe CTR_EL0 (the smallest line sizes), as the
 * host's own userspace does and as KVM does; the other registers are the
 * CPU's, read with the guest's CSSELR_EL1 selection.
 *
 * The module parameter trap_cache_id traps them on any system, for tests:
 * QEMU has no mismatched CPUs.  A vCPU reads it when it is created or reset.
 */
#include <linux/irqflags.h>
#include <linux/moduleparam.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

static bool trap_cache_id;
module_param(trap_cache_id, bool, 0644);
MODULE_PARM_DESC(trap_cache_id, "Trap the guests' cache geometry registers (HCR_EL2.TID2) even where all CPUs agree");

/* Linux 6.1 does not name CCSIDR2_EL1 (FEAT_CCIDX). */
#define SYS_CCSIDR2_EL1		sys_reg(3, 1, 0, 0, 2)

/* CSSELR_EL1: InD (bit 0), Level (bits 3:1); TnD (bit 4) only with MTE, not offered. */
#define CSSELR_GUEST_MASK	GENMASK(3, 0)

/**
 * a64_cache_id_trapped() - do new vCPUs trap the cache geometry registers?
 *
 * Return: true where the CPUs' CTR_EL0 differ, or when trap_cache_id is set.
 */
bool a64_cache_id_trapped(void)
{
	return READ_ONCE(trap_cache_id) || cpus_have_final_cap(ARM64_MISMATCHED_CACHE_TYPE);
}

/* FEAT_CCIDX, which the guest's ID_AA64MMFR2_EL1 shows as the host's. */
static bool has_ccidx(void)
{
	u64 mmfr2 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR2_EL1);

	return cpuid_feature_extract_unsigned_field(mmfr2, ID_AA64MMFR2_EL1_CCIDX_SHIFT);
}

/* CCSIDR_EL1 (or CCSIDR2_EL1) of the cache @csselr selects, on this CPU. */
static u64 ccsidr(u64 csselr, bool ccsidr2)
{
	unsigned long flags;
	u64 val;

	/* The host's CSSELR_EL1 is its own scratch: nothing to restore. */
	local_irq_save(flags);
	write_sysreg(csselr, csselr_el1);
	isb();
	val = ccsidr2 ? read_sysreg_s(SYS_CCSIDR2_EL1) : read_sysreg(ccsidr_el1);
	local_irq_restore(flags);
	return val;
}

/**
 * a64_cache_id_sysreg() - a cache geometry register trapped by HCR_EL2.TID2
 * @vcpu: the vCPU
 * @reg: the register, as sys_reg() encodes it
 * @write: an MSR (*@val holds the value) or an MRS (the value goes to *@val)
 * @val: the value
 *
 * Return: A64_SR_DONE, A64_SR_UNDEF (a write to a read-only one, or
 * CCSIDR2_EL1 where the guest is not offered FEAT_CCIDX) or A64_SR_USER
 * (not one of these).
 */
enum a64_sysreg_ret a64_cache_id_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val)
{
	u64 *csselr = &vcpu->ctx->el1[A64_EL1_CSSELR];

	switch (reg) {
	case SYS_CSSELR_EL1:
		if (write)
			*csselr = *val & CSSELR_GUEST_MASK;
		else
			*val = *csselr;
		break;
	case SYS_CTR_EL0:
		if (write)
			return A64_SR_UNDEF;
		*val = read_sanitised_ftr_reg(SYS_CTR_EL0);
		break;
	case SYS_CLIDR_EL1:
		if (write)
			return A64_SR_UNDEF;
		*val = read_sysreg(clidr_el1);
		break;
	case SYS_CCSIDR_EL1:
	case SYS_CCSIDR2_EL1:
		if (write || (reg == SYS_CCSIDR2_EL1 && !has_ccidx()))
			return A64_SR_UNDEF;
		*val = ccsidr(*csselr, reg == SYS_CCSIDR2_EL1);
		break;
	default:
		return A64_SR_USER;
	}
	vcpu->stat_cache_id++;
	return A64_SR_DONE;
}
