/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2's C functions, called from the assembly of kmod/hyp/.  Nothing here
 * may be called from EL1.
 */
#ifndef A64_HYP_H
#define A64_HYP_H

#include <linux/stringify.h>
#include <linux/types.h>
#include <shared/hyp_abi.h>

/*
 * For inline assembly: if the instruction at label @insn takes an
 * exception, EL2 resumes at label @fixup (macros.S hyp_extable: x18 and
 * ELR/SPSR/ESR/FAR_EL2 are lost; only while a guest is loaded).
 */
#define HYP_EXTABLE(insn, fixup)					\
	"	.pushsection .hyp_extable, \"a\"\n"			\
	"	.balign	4\n"						\
	"	.long	(" __stringify(insn) " - .), (" __stringify(fixup) " - .)\n" \
	"	.popsection\n"

void hyp_report(struct a64_hyp_cpu *cpu);
bool hyp_handle_fast(struct a64_vcpu_ctx *ctx);
void hyp_fp_trap(struct a64_vcpu_ctx *ctx);
void hyp_vgic_restore(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu);
void hyp_vgic_save(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu);
void hyp_features_enter(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu);
void hyp_features_exit(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu);
void hyp_debug_restore(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu);
void hyp_debug_save(struct a64_vcpu_ctx *ctx, struct a64_hyp_cpu *cpu);

#endif /* A64_HYP_H */
