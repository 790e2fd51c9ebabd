// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's FP/SIMD registers, switched lazily (Documentation/design.rst,
 * "FP/SIMD").  A guest runs with CPTR_EL2.TFP set until it first touches
 * FP/SIMD; EL2 answers that trap itself (kmod/hyp/fpsimd.S): the CPU's
 * registers go to the context's host_fp, the guest's come in, TFP is
 * cleared.  From then on the guest's registers are "live" (TFP clear in its
 * context) and stay in the CPU across exits, until they are put back here,
 * when the vCPU thread leaves the CPU or returns to userspace.
 *
 * The kernel tracks whose FP/SIMD state the CPU holds; a module can neither
 * hand it the guest's (fpsimd_bind_state_to_cpu(), as KVM does, is not
 * exported) nor use its registers without giving up the task's state
 * (kernel_neon_begin()).  So the guest's registers stay in the CPU while the
 * kernel believes they are the vCPU thread's own user state, which it does
 * when TIF_FOREIGN_FPSTATE is clear: whoever takes the registers then (a
 * kernel_neon_begin() in a softirq, a context switch) first saves them as
 * that thread's user state and sets the flag.  That is where they are found
 * again (reclaim), and the thread's real state, from host_fp, goes back in
 * its place.  With TIF_FOREIGN_FPSTATE set the kernel would not save them,
 * so registers loaded then are put back before interrupts are enabled.
 * The look at the flag and the act on the registers happen with interrupts
 * off, so that neither changes in between.
 */
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <asm/cpufeature.h>
#include <asm/kvm_arm.h>
#include <asm/neon.h>
#include <asm/processor.h>

#include "a64vcpu.h"

void a64_fp_put_regs(struct a64_vcpu_ctx *ctx);	/* fpsimd_regs.S */

/* Are the guest's registers in the CPU (trapped in, not put back)? */
static bool guest_fp_live(const struct a64_vcpu_ctx *ctx)
{
	return !(ctx->el2[A64_EL2_CPTR] & CPTR_EL2_TFP);
}

/* The kernel saved the live registers as the thread's user state (see above). */
static void fp_reclaim(struct a64_vcpu *vcpu)
{
	struct user_fpsimd_state *user = &current->thread.uw.fpsimd_state;
	struct a64_vcpu_ctx *ctx = vcpu->ctx;

	/* TIF_SVE is clear in a syscall (fp_user_discard()): a plain save. */
	WARN_ON_ONCE(current->thread.fp_type != FP_STATE_FPSIMD);
	ctx->fp = *user;
	*user = ctx->host_fp;
	ctx->el2[A64_EL2_CPTR] |= CPTR_EL2_TFP;
	vcpu->stat_fp_reclaimed++;
}

static void fp_put_cpu(struct a64_vcpu_ctx *ctx)
{
	a64_fp_put_regs(ctx);
	ctx->el2[A64_EL2_CPTR] |= CPTR_EL2_TFP;
}

/* The guest's registers back to its context, wherever they are. */
static void fp_put(struct a64_vcpu *vcpu)
{
	lockdep_assert_irqs_disabled();
	if (!guest_fp_live(vcpu->ctx))
		return;
	if (test_thread_flag(TIF_FOREIGN_FPSTATE))
		fp_reclaim(vcpu);
	else
		fp_put_cpu(vcpu->ctx);
}

/*
 * With TIF_FOREIGN_FPSTATE set, the CPU's registers may still be another
 * task's, which the kernel lets it find there when it comes back to this
 * CPU with nobody else's loaded meanwhile.  host_fp gives back V0-V31,
 * FPSR and FPCR bit for bit, but on a CPU with SVE a write to a V register
 * zeroes the rest of its Z register, and SME's SMSTOP is for the kernel to
 * issue: there the kernel is first told to forget whose the registers are
 * (kernel_neon_begin(), which needs interrupts on), once until the thread
 * next leaves the CPU (fp_sched_out()): no task can bind its state to the
 * CPU while this one runs on it.  Preemption stays off until interrupts
 * are off again.
 */
static void fp_forget_cpu(struct a64_vcpu *vcpu)
{
	if (vcpu->fp_cpu_forgotten || !(system_supports_sve() || system_supports_sme()))
		return;
	preempt_disable();
	local_irq_enable();
	kernel_neon_begin();
	kernel_neon_end();
	local_irq_disable();
	preempt_enable();	/* no reschedule: interrupts are off */
	vcpu->fp_cpu_forgotten = true;
	vcpu->stat_fp_cpu_forgotten++;
}

/**
 * a64_fp_enter() - before a guest entry, interrupts off
 * @vcpu: the vCPU
 *
 * Reclaims the guest's registers if the kernel took them since the last
 * exit.  Interrupts may be enabled for a moment, the thread not preempted.
 *
 * Return: true if the kernel does not track the CPU's FP/SIMD registers for
 * the vCPU thread (TIF_FOREIGN_FPSTATE): for a64_fp_exit().
 */
bool a64_fp_enter(struct a64_vcpu *vcpu)
{
	if (!test_thread_flag(TIF_FOREIGN_FPSTATE))
		return false;
	fp_put(vcpu);
	fp_forget_cpu(vcpu);
	return true;
}

/**
 * a64_fp_exit() - after the guest exit, interrupts still off
 * @vcpu: the vCPU
 * @untracked: what a64_fp_enter() said
 *
 * Registers the guest trapped in while the kernel did not track the CPU's
 * for this thread go back now: nothing would save them for us.
 */
void a64_fp_exit(struct a64_vcpu *vcpu, bool untracked)
{
	if (untracked && guest_fp_live(vcpu->ctx)) {
		fp_put_cpu(vcpu->ctx);
		vcpu->stat_fp_untracked++;
	}
}

static void fp_sched_in(struct preempt_notifier *pn, int cpu)
{
}

/* Before the context switch saves (or discards) the CPU's registers. */
static void fp_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct a64_vcpu *vcpu = container_of(pn, struct a64_vcpu, fp_notifier);

	if (guest_fp_live(vcpu->ctx))
		vcpu->stat_fp_sched_out++;
	fp_put(vcpu);
	vcpu->fp_cpu_forgotten = false;
}

static struct preempt_ops fp_preempt_ops = {
	.sched_in = fp_sched_in,
	.sched_out = fp_sched_out,
};

/**
 * a64_fp_vcpu_init() - a new vCPU (its CPTR_EL2 has TFP set: vcpu.c)
 * @vcpu: the vCPU
 */
void a64_fp_vcpu_init(struct a64_vcpu *vcpu)
{
	preempt_notifier_init(&vcpu->fp_notifier, &fp_preempt_ops);
	preempt_notifier_inc();
}

/**
 * a64_fp_vcpu_destroy() - undo a64_fp_vcpu_init()
 * @vcpu: the vCPU
 */
void a64_fp_vcpu_destroy(struct a64_vcpu *vcpu)
{
	preempt_notifier_dec();
}

/**
 * a64_fp_run_start() - A64VCPU_RUN begins: watch the thread's context switches
 * @vcpu: the vCPU, run by current
 */
void a64_fp_run_start(struct a64_vcpu *vcpu)
{
	preempt_disable();
	preempt_notifier_register(&vcpu->fp_notifier);
	vcpu->fp_cpu_forgotten = false;
	preempt_enable();
}

/**
 * a64_fp_run_stop() - A64VCPU_RUN ends: the guest's registers back to its
 * context (where A64VCPU_GET_REG reads them), the thread's in place
 * @vcpu: the vCPU, run by current
 */
void a64_fp_run_stop(struct a64_vcpu *vcpu)
{
	local_irq_disable();
	fp_put(vcpu);
	preempt_notifier_unregister(&vcpu->fp_notifier);
	local_irq_enable();
}
