// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMCCC calls (HVC or trapped SMC) that EL2 did not answer on its fast path
 * (kmod/hyp/fast.c): PSCI power calls become exits the VMM acts on, except
 * CPU_SUSPEND, which waits in the kernel like WFI; everything else
 * (AFFINITY_INFO among them: the VMM knows which vCPUs it started) is a
 * HYPERCALL exit whose results the VMM provides.  A guest SMC never reaches
 * the firmware.
 */
#include <uapi/linux/psci.h>

#include "a64vcpu.h"

/**
 * a64_smccc_vcpu_init() - what SMCCC_ARCH_FEATURES tells this vCPU about the
 * Spectre workarounds, answered at EL2 from its context
 * @vcpu: the vCPU
 *
 * The host's truth (kmod/spectre.c, as KVM answers): a workaround is "not
 * needed" (UNAFFECTED; NOT_REQUIRED for workaround 2) where no CPU needs
 * it, SUCCESS where the host mitigates it (EL2 performs it on every guest
 * exit, so the call itself has nothing left to do), and NOT_SUPPORTED
 * otherwise: the guest then reports itself vulnerable, as it is.
 */
void a64_smccc_vcpu_init(struct a64_vcpu *vcpu)
{
	s64 *wa = vcpu->ctx->smccc_wa;
	unsigned int n;

	for (n = 0; n < 3; n++)
		wa[n] = a64_spectre_guest_answer(n + 1);
}

/**
 * a64_handle_smccc() - an HVC or SMC from the guest, PC already past it
 * @vcpu: the vCPU
 * @smc: true for SMC, false for HVC
 * @imm: the instruction's immediate
 *
 * Return: 0 (exit to userspace), or 1 (CPU_SUSPEND: re-enter).
 */
int a64_handle_smccc(struct a64_vcpu *vcpu, bool smc, u16 imm)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;
	struct a64vcpu_run *run = vcpu->run;
	u32 fn = ctx->x[0];
	int i;

	if (!imm) {
		switch (fn) {
		case PSCI_0_2_FN_CPU_ON:
		case PSCI_0_2_FN64_CPU_ON:
			run->cpu_on.target_mpidr = ctx->x[1];
			run->cpu_on.entry = ctx->x[2];
			run->cpu_on.context_id = ctx->x[3];
			if (fn == PSCI_0_2_FN_CPU_ON) {	/* SMC32: W1-W3 (SMCCC) */
				run->cpu_on.target_mpidr &= U32_MAX;
				run->cpu_on.entry &= U32_MAX;
				run->cpu_on.context_id &= U32_MAX;
			}
			ctx->x[0] = PSCI_RET_SUCCESS;
			return a64_exit_to_user(vcpu, A64VCPU_EXIT_CPU_ON);
		case PSCI_0_2_FN_CPU_OFF:
			return a64_exit_to_user(vcpu, A64VCPU_EXIT_CPU_OFF);
		case PSCI_0_2_FN_SYSTEM_OFF:
			run->system_event.type = A64VCPU_SYSTEM_OFF;
			return a64_exit_to_user(vcpu, A64VCPU_EXIT_SYSTEM_EVENT);
		case PSCI_0_2_FN_SYSTEM_RESET:
		case PSCI_1_1_FN_SYSTEM_RESET2:
		case PSCI_1_1_FN64_SYSTEM_RESET2:
			run->system_event.type = A64VCPU_SYSTEM_RESET;
			return a64_exit_to_user(vcpu, A64VCPU_EXIT_SYSTEM_EVENT);
		case PSCI_0_2_FN_CPU_SUSPEND:
		case PSCI_0_2_FN64_CPU_SUSPEND:
			/*
			 * Standby or power-down, both as a WFI (as KVM): the
			 * caller wakes with SUCCESS when an interrupt is pending.
			 */
			ctx->x[0] = PSCI_RET_SUCCESS;
			return a64_vcpu_wait(vcpu);
		}
	}

	run->hypercall.function_id = ctx->x[0];
	for (i = 0; i < 6; i++)
		run->hypercall.args[i] = ctx->x[i + 1];
	/* Unless the VMM says otherwise: NOT_SUPPORTED, x1-x3 unchanged. */
	run->hypercall.ret[0] = (u64)(s64)PSCI_RET_NOT_SUPPORTED;
	for (i = 1; i < 4; i++)
		run->hypercall.ret[i] = ctx->x[i];
	run->hypercall.conduit = smc ? A64VCPU_HCALL_SMC : A64VCPU_HCALL_HVC;
	run->hypercall.imm = imm;
	vcpu->pending = A64_PENDING_HYPERCALL;
	return a64_exit_to_user(vcpu, A64VCPU_EXIT_HYPERCALL);
}
