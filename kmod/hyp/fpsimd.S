/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's FP/SIMD registers, switched lazily (Documentation/design.rst,
 * "FP/SIMD"): a guest runs with CPTR_EL2.TFP set until it first touches
 * FP/SIMD; that trap (ESR_ELx_EC_FP_ASIMD) is answered here, without going
 * to EL1.  EL1 puts the registers back (kmod/fpsimd.c) and sets TFP again.
 */
#include <linux/linkage.h>
#include <asm/fpsimdmacros.h>
#include <asm/kvm_arm.h>
#include <shared/hyp_abi.h>

/*
 * hyp_fp_trap - from hyp_handle_fast(), C calling convention: x0 = the
 * guest's context.  Whatever the CPU's registers hold (the host's, which
 * EL1 may or may not track for the vCPU thread) goes to the context's
 * host_fp, the guest's come in, and TFP is cleared in the context's
 * CPTR_EL2, so that later entries do not trap until EL1 puts them back.
 * The guest resumes at the trapped instruction.
 */
SYM_FUNC_START(hyp_fp_trap)
	ldr	x1, [x0, #A64_CTX_EL2 + 8 * A64_EL2_CPTR]
	bic	x1, x1, #CPTR_EL2_TFP
	str	x1, [x0, #A64_CTX_EL2 + 8 * A64_EL2_CPTR]
	msr	cptr_el2, x1
	isb				/* TFP also traps EL2's own accesses */
	add	x2, x0, #A64_CTX_HOST_FP
	fpsimd_save x2, 3
	add	x2, x0, #A64_CTX_FP
	fpsimd_restore x2, 3
	ldr	x1, [x0, #A64_CTX_FP_TRAPS]
	add	x1, x1, #1
	str	x1, [x0, #A64_CTX_FP_TRAPS]
	ret
SYM_FUNC_END(hyp_fp_trap)
