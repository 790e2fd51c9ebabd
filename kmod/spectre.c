// SPDX-License-Identifier: GPL-2.0-only
/*
 * Speculation: how EL2 hardens the branch predictor on the way from a guest
 * to EL2 (which of the hyp_guest_vectors tables a CPU runs guests with,
 * kmod/hyp/switch.S), and what SMCCC_ARCH_FEATURES tells guests of
 * ARCH_WORKAROUND_1/2/3 (answered at EL2 from the vCPU's context, fast.c).
 *
 * The rule, KVM's: EL2 performs exactly the mitigations the host kernel
 * performs (arch/arm64/kernel/proton-pack.c), and a guest is offered a
 * workaround exactly when the host is not affected or mitigates it.  A
 * guest's ARCH_WORKAROUND_1/3 call then has nothing left to do: its exit to
 * EL2 went through the hardened vectors (KVM answers them at once too).
 *
 * The kernel keeps its mitigation states to itself (arm64_get_spectre_*_state()
 * are not exported), so they are derived again here from what a module sees,
 * the way proton-pack.c derives them: the cpucaps (this_cpu_has_cap() runs the
 * kernel's own per-CPU test), the CPU's ID registers and MIDR, the firmware's
 * SMCCC_ARCH_FEATURES answers, mitigations=off.  nospectre_v2, nospectre_bhb
 * and ssbd= are not visible to modules (Documentation/design.rst).
 */
#include <linux/arm-smccc.h>
#include <linux/cpu.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>

#include "a64vcpu.h"

static struct {
	bool v2_fw;		/* firmware has ARCH_WORKAROUND_1 */
	bool v4_fw;		/* firmware has ARCH_WORKAROUND_2 */
	bool bhb_fw;		/* firmware has ARCH_WORKAROUND_3 */
	bool bhb_unmitigated;	/* a CPU affected by Spectre-BHB has no way */
} spectre;

/* What each CPU was given, for debugfs. */
static DEFINE_PER_CPU(const char *, bp_harden_name);

/* Exceptions clear the branch history (FEAT_ECBHB): nothing to do. */
static bool supports_ecbhb_here(u64 mmfr1)
{
	return cpuid_feature_extract_unsigned_field(mmfr1, ID_AA64MMFR1_EL1_ECBHB_SHIFT);
}

static bool firmware_has(u32 workaround)
{
	struct arm_smccc_res res;

	/*
	 * SMC only: an HVC would come to our own EL2.  No SMCCC 1.1, no
	 * workaround (what the kernel concludes too).
	 */
	if (arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_SMC)
		return false;
	arm_smccc_1_1_smc(ARM_SMCCC_ARCH_FEATURES_FUNC_ID, workaround, &res);
	return (int)res.a0 == SMCCC_RET_SUCCESS;
}

/* The host leaves Spectre v2 unmitigated (and then BHB too: proton-pack.c). */
static bool v2_vulnerable(void)
{
	return cpus_have_cap(ARM64_SPECTRE_V2) &&
	       (!spectre.v2_fw || cpu_mitigations_off());
}

/* The kernel's spectre_bhb_loop_affected(): the loop count k of this CPU. */
static u8 bhb_loop_k(void)
{
	static const struct midr_range k132[] = {
		MIDR_ALL_VERSIONS(MIDR_CORTEX_X3),
		MIDR_ALL_VERSIONS(MIDR_NEOVERSE_V2),
		{},
	};
	static const struct midr_range k38[] = {
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A715),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A720),
		{},
	};
	static const struct midr_range k32[] = {
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A78),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A78AE),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A78C),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_X1),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_X1C),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A710),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_X2),
		MIDR_ALL_VERSIONS(MIDR_NEOVERSE_N2),
		MIDR_ALL_VERSIONS(MIDR_NEOVERSE_V1),
		MIDR_ALL_VERSIONS(MIDR_HISI_TSV110),
		{},
	};
	static const struct midr_range k24[] = {
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A76),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A76AE),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A77),
		MIDR_ALL_VERSIONS(MIDR_NEOVERSE_N1),
		MIDR_ALL_VERSIONS(MIDR_QCOM_KRYO_4XX_GOLD),
		MIDR_ALL_VERSIONS(MIDR_HISI_HIP09),
		{},
	};
	static const struct midr_range k11[] = {
		MIDR_ALL_VERSIONS(MIDR_AMPERE1),
		{},
	};
	static const struct midr_range k8[] = {
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A72),
		MIDR_ALL_VERSIONS(MIDR_CORTEX_A57),
		{},
	};
	u32 midr = read_cpuid_id();

	if (is_midr_in_range_list(midr, k132))
		return 132;
	if (is_midr_in_range_list(midr, k38))
		return 38;
	if (is_midr_in_range_list(midr, k32))
		return 32;
	if (is_midr_in_range_list(midr, k24))
		return 24;
	if (is_midr_in_range_list(midr, k11))
		return 11;
	if (is_midr_in_range_list(midr, k8))
		return 8;
	return 0;
}

/*
 * This CPU's way, in proton-pack.c's order of preference; *name for debugfs.
 * Spectre v2 first: where the CPU needs the firmware call, that call is
 * all (KVM's "spectre" hyp vector slots; WA3 if it is the BHB way too).
 */
static unsigned int select_this_cpu(u64 *arg, const char **name)
{
	bool bhb = this_cpu_has_cap(ARM64_SPECTRE_BHB);
	u64 mmfr1 = read_sysreg_s(SYS_ID_AA64MMFR1_EL1);
	u8 k;

	*arg = 0;
	if (cpu_mitigations_off()) {
		*name = "none:mitigations-off";
		return A64_BP_NONE;
	}
	if (this_cpu_has_cap(ARM64_SPECTRE_V2)) {
		if (!spectre.v2_fw) {
			*name = "none:v2-vulnerable";
			return A64_BP_NONE;
		}
		bhb = bhb && !supports_ecbhb_here(mmfr1) &&
		      !supports_clearbhb(SCOPE_LOCAL_CPU) && !bhb_loop_k() &&
		      spectre.bhb_fw;
		*arg = bhb ? ARM_SMCCC_ARCH_WORKAROUND_3 : ARM_SMCCC_ARCH_WORKAROUND_1;
		*name = bhb ? "smc_wa3" : "smc_wa1";
		return A64_BP_SMC;
	}
	if (!bhb) {
		*name = "none:not-affected";
		return A64_BP_NONE;
	}
	if (v2_vulnerable() || !IS_ENABLED(CONFIG_MITIGATE_SPECTRE_BRANCH_HISTORY)) {
		*name = "none:bhb-unmitigated";
		spectre.bhb_unmitigated = true;
		return A64_BP_NONE;
	}
	if (supports_ecbhb_here(mmfr1)) {
		*name = "none:ecbhb";
		return A64_BP_NONE;
	}
	if (supports_clearbhb(SCOPE_LOCAL_CPU)) {
		*name = "clearbhb";
		return A64_BP_CLEARBHB;
	}
	k = bhb_loop_k();
	if (k) {
		*arg = k;
		*name = "bhb_loop";
		return A64_BP_BHB_LOOP;
	}
	if (spectre.bhb_fw) {
		*arg = ARM_SMCCC_ARCH_WORKAROUND_3;
		*name = "smc_wa3";
		return A64_BP_SMC;
	}
	*name = "none:bhb-no-way";
	spectre.bhb_unmitigated = true;
	return A64_BP_NONE;
}

/**
 * a64_spectre_cpu_init() - pick this CPU's guest vectors (A64_BP_*)
 * @hyp: this CPU's data page, before EL2 is taken with it
 * @guest_vectors: EL2 address of hyp_guest_vectors, the A64_BP_NONE table
 *
 * Call on the CPU, with preemption disabled, after a64_spectre_init().
 */
void a64_spectre_cpu_init(struct a64_hyp_cpu *hyp, phys_addr_t guest_vectors)
{
	const char *name;
	unsigned int bp = select_this_cpu(&hyp->bp_arg, &name);

	hyp->guest_vectors = guest_vectors + bp * SZ_2K;
	this_cpu_write(bp_harden_name, name);
}

/**
 * a64_spectre_init() - what the firmware offers, asked once at load
 */
void a64_spectre_init(void)
{
	spectre.v2_fw = firmware_has(ARM_SMCCC_ARCH_WORKAROUND_1);
	spectre.v4_fw = firmware_has(ARM_SMCCC_ARCH_WORKAROUND_2);
	spectre.bhb_fw = firmware_has(ARM_SMCCC_ARCH_WORKAROUND_3);
}

/**
 * a64_spectre_guest_answer() - SMCCC_ARCH_FEATURES of a workaround, for guests
 * @n: 1, 2 or 3 (ARCH_WORKAROUND_n)
 *
 * As KVM's kvm_smccc_call_handler() answers from the host's states:
 * 1 and 3: UNAFFECTED when no CPU is affected, SUCCESS when the host
 * mitigates (EL2 then does it on every guest exit), else NOT_SUPPORTED.
 * 2 (Spectre v4): NOT_REQUIRED when no CPU is affected or the firmware's
 * mitigation is on for the host (and so for its guests); NOT_SUPPORTED
 * where the CPUs have SSBS, which the guest sees and uses itself, or
 * nothing mitigates it.
 *
 * Return: the answer.
 */
s64 a64_spectre_guest_answer(unsigned int n)
{
	bool off = cpu_mitigations_off();

	switch (n) {
	case 1:
		if (!cpus_have_cap(ARM64_SPECTRE_V2))
			return SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED;
		return v2_vulnerable() ? SMCCC_RET_NOT_SUPPORTED : SMCCC_RET_SUCCESS;
	case 2:
		if (!cpus_have_cap(ARM64_SPECTRE_V4))
			return SMCCC_RET_NOT_REQUIRED;
		if (cpus_have_cap(ARM64_SSBS) || !spectre.v4_fw || off)
			return SMCCC_RET_NOT_SUPPORTED;
		return SMCCC_RET_NOT_REQUIRED;
	case 3:
		if (!cpus_have_cap(ARM64_SPECTRE_BHB))
			return SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED;
		if (off || v2_vulnerable() || spectre.bhb_unmitigated ||
		    !IS_ENABLED(CONFIG_MITIGATE_SPECTRE_BRANCH_HISTORY))
			return SMCCC_RET_NOT_SUPPORTED;
		return SMCCC_RET_SUCCESS;
	default:
		return SMCCC_RET_NOT_SUPPORTED;
	}
}

/**
 * a64_spectre_show() - debugfs "speculation": each CPU's way, guests' answers
 * @m: the seq_file
 *
 * Return: 0.
 */
int a64_spectre_show(struct seq_file *m)
{
	unsigned int cpu, n;

	seq_printf(m, "firmware wa1=%d wa2=%d wa3=%d\n", spectre.v2_fw,
		   spectre.v4_fw, spectre.bhb_fw);
	for (n = 1; n <= 3; n++)
		seq_printf(m, "guest ARCH_WORKAROUND_%u=%lld\n", n,
			   a64_spectre_guest_answer(n));
	for_each_possible_cpu(cpu) {
		const struct a64_hyp_cpu *hyp = a64_el2_hyp_cpu(cpu);
		const char *name = per_cpu(bp_harden_name, cpu);

		if (!name)
			continue;
		seq_printf(m, "cpu%u guest_exit=%s", cpu, name);
		if (hyp->bp_arg && hyp->bp_arg < 256)
			seq_printf(m, " k=%llu", hyp->bp_arg);
		seq_puts(m, "\n");
	}
	return 0;
}
