// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions the module makes a guest take, at its EL1, as the hardware
 * would have (ARM ARM D1.10, "Exception entry"): what a trap to EL2 means
 * when the architecture says the access is UNDEFINED, an external abort on
 * an instruction fetch outside memory, and what the VMM asks for
 * (A64VCPU_INJECT).
 */
#include <linux/uaccess.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

/*
 * Offsets in the vector table (VBAR_EL1) of a synchronous exception: only
 * KVM's own hyp code names them, no header.
 */
#define VECTOR_CURRENT_SP0	0x000
#define VECTOR_CURRENT_SPX	0x200
#define VECTOR_LOWER_A64	0x400
#define VECTOR_LOWER_A32	0x600

static bool from_el0(u64 pstate)
{
	return (pstate & PSR_MODE32_BIT) || (pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static void enter_el1_sync(struct a64_vcpu *vcpu, u64 esr)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;
	u64 pstate = ctx->pstate, sctlr = ctx->el1[A64_EL1_SCTLR], vector, new;

	if (pstate & PSR_MODE32_BIT)
		vector = VECTOR_LOWER_A32;
	else if (from_el0(pstate))
		vector = VECTOR_LOWER_A64;
	else if ((pstate & PSR_MODE_MASK) == PSR_MODE_EL1t)
		vector = VECTOR_CURRENT_SP0;
	else
		vector = VECTOR_CURRENT_SPX;

	ctx->el1[A64_EL1_ELR_EL1] = ctx->pc;
	ctx->el1[A64_EL1_SPSR_EL1] = pstate;
	ctx->el1[A64_EL1_ESR] = esr;
	ctx->pc = ctx->el1[A64_EL1_VBAR] + vector;

	/* EL1h, D A I F masked; PAN set unless SCTLR_EL1.SPAN; SSBS from DSSBS */
	new = PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT;
	new |= pstate & PSR_DIT_BIT;
	if (!(sctlr & SCTLR_EL1_SPAN))
		new |= PSR_PAN_BIT;
	else
		new |= pstate & PSR_PAN_BIT;
	if (sctlr & SCTLR_ELx_DSSBS)
		new |= PSR_SSBS_BIT;
	ctx->pstate = new;
}

/**
 * a64_inject_abort() - the guest takes a synchronous external abort
 * @vcpu: the vCPU, its PC on the instruction that faulted
 * @iabt: an instruction abort (else a data abort)
 * @addr: the faulting virtual address, for FAR_EL1
 */
void a64_inject_abort(struct a64_vcpu *vcpu, bool iabt, u64 addr)
{
	bool el0 = from_el0(vcpu->ctx->pstate);
	u64 ec;

	if (iabt)
		ec = el0 ? ESR_ELx_EC_IABT_LOW : ESR_ELx_EC_IABT_CUR;
	else
		ec = el0 ? ESR_ELx_EC_DABT_LOW : ESR_ELx_EC_DABT_CUR;
	enter_el1_sync(vcpu, ec << ESR_ELx_EC_SHIFT | ESR_ELx_IL | ESR_ELx_FSC_EXTABT);
	vcpu->ctx->el1[A64_EL1_FAR] = addr;
	vcpu->stat_aborts++;
}

/**
 * a64_inject_undef() - the guest takes an UNDEFINED exception
 * @vcpu: the vCPU, its PC on the instruction that trapped
 *
 * ESR_EL1.EC = 0 (unknown reason), IL as the trapped instruction's.
 */
void a64_inject_undef(struct a64_vcpu *vcpu)
{
	enter_el1_sync(vcpu, ESR_ELx_EC_UNKNOWN << ESR_ELx_EC_SHIFT |
			     (vcpu->ctx->esr & ESR_ELx_IL));
	vcpu->stat_undef++;
}

/**
 * a64_vcpu_inject() - A64VCPU_INJECT: an exception the VMM asks for
 * @vcpu: the vCPU, its ioctl lock held
 * @uarg: struct a64vcpu_inject
 *
 * A synchronous exception is taken at the instruction of the last MMIO or
 * SYSREG exit if that is what the VMM is answering (the module had moved
 * the PC past it; its completion is dropped), else at the PC.
 *
 * Return: 0, -EFAULT, or -EINVAL (unknown type, non-zero reserved fields,
 * an address for anything but DABT).
 */
int a64_vcpu_inject(struct a64_vcpu *vcpu, const void __user *uarg)
{
	struct a64vcpu_inject inj;

	if (copy_from_user(&inj, uarg, sizeof(inj)))
		return -EFAULT;
	if (inj.flags || inj.esr || inj.reserved[0] || inj.reserved[1] ||
	    inj.type > A64VCPU_INJECT_SERROR ||
	    (inj.addr && inj.type != A64VCPU_INJECT_DABT))
		return -EINVAL;
	if (inj.type == A64VCPU_INJECT_SERROR) {
		vcpu->ctx->el2[A64_EL2_HCR] |= HCR_VSE;	/* EL2 keeps it until taken */
		return 0;
	}
	if (vcpu->last_exit == A64VCPU_EXIT_MMIO || vcpu->last_exit == A64VCPU_EXIT_SYSREG) {
		vcpu->ctx->pc = vcpu->insn_pc;
		vcpu->pending = A64_PENDING_NONE;
		vcpu->last_exit = A64VCPU_EXIT_NONE;
	}
	if (inj.type == A64VCPU_INJECT_DABT)
		a64_inject_abort(vcpu, false, inj.addr);
	else
		a64_inject_undef(vcpu);
	return 0;
}
