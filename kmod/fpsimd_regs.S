/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL1's half of the lazy FP/SIMD switch (kmod/fpsimd.c): the guest's
 * registers out of the CPU, the host's back in.  EL2's half, the other way
 * round, is kmod/hyp/fpsimd.S.
 */
#include <linux/linkage.h>
#include <asm/fpsimdmacros.h>
#include <shared/hyp_abi.h>

/*
 * a64_fp_put_regs - x0 = a vCPU's context: the CPU's FP/SIMD registers
 * (the guest's) to its fp, its host_fp into the CPU.  Clobbers x1, x2.
 */
SYM_FUNC_START(a64_fp_put_regs)
	add	x1, x0, #A64_CTX_FP
	fpsimd_save x1, 2
	add	x1, x0, #A64_CTX_HOST_FP
	fpsimd_restore x1, 2
	ret
SYM_FUNC_END(a64_fp_put_regs)
