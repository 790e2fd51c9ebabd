// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exceptions the module makes a guest take, at its EL1, as the hardware
 * would have (ARM ARM D1.10, "Exception entry"): what a trap to EL2 means
 * when the architecture says the access is UNDEFINED.
 */
#include <asm/esr.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

/* Offsets in the vector table (VBAR_EL1) of a synchronous exception. */
#define VECTOR_CURRENT_SP0	0x000
#define VECTOR_CURRENT_SPX	0x200
#define VECTOR_LOWER_A64	0x400
#define VECTOR_LOWER_A32	0x600

static void enter_el1_sync(struct a64_vcpu *vcpu, u64 esr)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;
	u64 pstate = ctx->pstate, sctlr = ctx->el1[A64_EL1_SCTLR], vector, new;

	if (pstate & PSR_MODE32_BIT)
		vector = VECTOR_LOWER_A32;
	else if ((pstate & PSR_MODE_MASK) == PSR_MODE_EL0t)
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
