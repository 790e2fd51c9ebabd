// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run loop (A64VCPU_RUN), kicks and waits.
 *
 * Each pass enters the guest with host interrupts off, after the timers'
 * lines, the vGIC's list registers (or, without a vGIC, the IRQ/FIQ lines)
 * and the VM's counter offset are in the context; it returns with the list
 * registers folded back and interrupts on, so a host interrupt that ended
 * the run is taken right there.
 *
 * Kicks (Documentation/vgic.rst, "WFI and kicks"): whoever makes an
 * interrupt deliverable to a vCPU first updates the interrupt's state, then
 * calls a64_vcpu_kick(), which reads vcpu->mode after a full barrier.  The
 * run loop writes vcpu->mode = A64_IN_GUEST with a full barrier before it
 * reads the state (a64_vgic_flush()).  So either the entry sees the new
 * state, or the kick sees A64_IN_GUEST and sends the vCPU's CPU an IPI,
 * which stays pending while interrupts are off and makes the guest exit as
 * soon as it is entered.  A vCPU waiting in WFI is on vcpu->wq, which the
 * kick wakes.
 */
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <asm/kvm_arm.h>

#include "a64vcpu.h"
#include "trace.h"

/*
 * How long a WFI polls for an interrupt before its thread sleeps: waking a
 * sleeping thread costs a few thousand instructions of scheduler, more than
 * an interrupt that comes soon (a timer due in microseconds, an IPI
 * answered at once) takes to arrive (make bench: vtimer_latency_wfi, ipi).
 * 0: never poll.
 */
static unsigned int halt_poll_ns = 50000;
module_param(halt_poll_ns, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns, "ns a WFI polls for an interrupt before sleeping (0: none)");

/**
 * a64_vcpu_kick() - make a vCPU look at its interrupts now
 * @vcpu: the vCPU, whose interrupt state the caller has just changed
 *
 * Out of the guest with an IPI if it is in it on another CPU; woken if it
 * waits in WFI.  Any context, also hard interrupts (the timer's hrtimer).
 */
void a64_vcpu_kick(struct a64_vcpu *vcpu)
{
	struct task_struct *task;

	WRITE_ONCE(vcpu->kicks, vcpu->kicks + 1);	/* for a polling WFI */
	smp_mb();	/* the new state, then the mode (pairs with vcpu_enter()) */
	if (READ_ONCE(vcpu->mode) == A64_IN_GUEST) {
		rcu_read_lock();
		task = READ_ONCE(vcpu->task);
		if (task) {
			kick_process(task);
			WRITE_ONCE(vcpu->stat_kicks, vcpu->stat_kicks + 1);
		}
		rcu_read_unlock();
	}
	if (wq_has_sleeper(&vcpu->wq))
		wake_up_interruptible(&vcpu->wq);
}

/**
 * a64_vcpu_set_irq_line() - drive a vCPU's IRQ or FIQ input (no vGIC)
 * @vcpu: the vCPU
 * @line: A64VCPU_IRQ_LINE_IRQ or A64VCPU_IRQ_LINE_FIQ
 * @level: asserted or not
 *
 * Any thread: the next entry sets HCR_EL2.VI/VF from it.
 */
void a64_vcpu_set_irq_line(struct a64_vcpu *vcpu, unsigned int line, bool level)
{
	if (level)
		set_bit(line, &vcpu->irq_lines);
	else
		clear_bit(line, &vcpu->irq_lines);
	a64_vcpu_kick(vcpu);
}

/* Would an interrupt end a WFI now? */
static bool interrupt_pending(struct a64_vcpu *vcpu)
{
	if (a64_vm_vgic(vcpu->vm))
		return a64_vgic_pending(vcpu);
	return READ_ONCE(vcpu->irq_lines) || a64_timer_asserted(vcpu);
}

/*
 * Up to halt_poll_ns: the timers, and whatever a kick announces, checked
 * until an interrupt is pending.  The vGIC's lock is only taken when
 * something changed (a kick, which the timers' lines also cause).
 */
static bool poll_interrupt(struct a64_vcpu *vcpu)
{
	u64 end = ktime_get_ns() + READ_ONCE(halt_poll_ns);
	unsigned int seen = READ_ONCE(vcpu->kicks) - 1;

	do {
		a64_timer_sync(vcpu);
		if (READ_ONCE(vcpu->kicks) != seen) {
			seen = READ_ONCE(vcpu->kicks);
			smp_rmb();	/* the kick, then the state it announces */
			if (interrupt_pending(vcpu))
				return true;
		}
		cpu_relax();
	} while (ktime_get_ns() < end && !need_resched() && !signal_pending(current));
	return false;
}

/**
 * a64_vcpu_wait() - a WFI: wait until an interrupt is pending or a signal
 * @vcpu: the vCPU, its PC past the WFI
 *
 * Polls for halt_poll_ns first; then sleeps until the timers' hrtimer, an
 * A64VCPU_IRQ_LINE, an SGI or a distributor write wakes it
 * (a64_vcpu_kick()).
 *
 * Return: 1 (re-enter; the run loop stops first if a signal is pending).
 */
int a64_vcpu_wait(struct a64_vcpu *vcpu)
{
	DEFINE_WAIT(wait);

	vcpu->stat_wfi++;
	if (poll_interrupt(vcpu)) {
		vcpu->stat_wfi_polled++;
		return 1;
	}
	for (;;) {
		prepare_to_wait(&vcpu->wq, &wait, TASK_INTERRUPTIBLE);
		a64_timer_sync(vcpu);
		if (interrupt_pending(vcpu) || signal_pending(current))
			break;
		schedule();
	}
	finish_wait(&vcpu->wq, &wait);
	return 1;
}

/**
 * a64_vcpu_yield() - a WFE: let a preempted vCPU of the same VM run
 * @vcpu: the vCPU, its PC past the WFE
 *
 * A guest waits with WFE for another vCPU to release a lock; if a sibling
 * is runnable but not running, yield the CPU to it, as KVM does.
 */
void a64_vcpu_yield(struct a64_vcpu *vcpu)
{
	struct a64_vm *vm = vcpu->vm;
	struct task_struct *task = NULL;
	unsigned int i;

	vcpu->stat_wfe++;
	mutex_lock(&vm->lock);
	for (i = 0; i < A64_MAX_VCPUS && !task; i++) {
		struct a64_vcpu *other = vm->vcpus[i];

		if (!other || other == vcpu)
			continue;
		rcu_read_lock();
		task = READ_ONCE(other->task);
		if (task && (READ_ONCE(task->__state) != TASK_RUNNING || READ_ONCE(task->on_cpu)))
			task = NULL;	/* waiting, or running already */
		if (task)
			get_task_struct(task);
		rcu_read_unlock();
	}
	mutex_unlock(&vm->lock);
	if (task) {
		yield_to(task, true);
		put_task_struct(task);
	}
}

/* The run ends for a signal or immediate_exit: -EINTR, as KVM_RUN. */
static int exit_interrupted(struct a64_vcpu *vcpu)
{
	a64_exit_to_user(vcpu, A64VCPU_EXIT_INTR);
	return -EINTR;
}

/* One guest entry and exit.  Returns A64_EXIT_* or a negative errno. */
static int vcpu_enter(struct a64_vcpu *vcpu, bool vgic)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;
	bool fp_untracked;
	u64 tlbi_local;
	int code;

	a64_timer_sync(vcpu);		/* the counter offset too */
	if (!vgic) {
		unsigned long lines = READ_ONCE(vcpu->irq_lines);

		ctx->el2[A64_EL2_HCR] &= ~(HCR_VI | HCR_VF);
		ctx->el2[A64_EL2_HCR] |= (lines & BIT(A64VCPU_IRQ_LINE_IRQ) ? HCR_VI : 0) |
					 (lines & BIT(A64VCPU_IRQ_LINE_FIQ) ? HCR_VF : 0);
	}

	trace_a64vcpu_entry(vcpu->idx, ctx->pc);
	local_irq_disable();
	fp_untracked = a64_fp_enter(vcpu);
	smp_store_mb(vcpu->mode, A64_IN_GUEST);	/* then look at the state */
	if (vgic)
		a64_vgic_flush(vcpu);
	a64_timer_enter(vcpu);
	/* Stale EL1 TLB entries of the space on this CPU? (stage2.c) */
	if (a64_stage2_enter_this_cpu(vcpu->s2, vcpu->s2_token))
		ctx->entry_flags |= A64_ENTRY_TLBI_LOCAL;
	tlbi_local = ctx->entry_flags & A64_ENTRY_TLBI_LOCAL;
	code = a64_el2_run(ctx);
	a64_fp_exit(vcpu, fp_untracked);
	/* EL2 clears the flag once done; a failed run leaves it for the next. */
	if (tlbi_local && !(ctx->entry_flags & A64_ENTRY_TLBI_LOCAL))
		vcpu->stat_tlbi_local++;
	WRITE_ONCE(vcpu->mode, A64_OUTSIDE_GUEST);
	if (vgic)
		a64_vgic_fold(vcpu);
	local_irq_enable();	/* a host interrupt that ended the run is taken here */
	trace_a64vcpu_exit(vcpu->idx, ctx->exit_code, ctx->esr, ctx->pc);

	if (code < 0)
		pr_err_ratelimited(A64_NAME ": cannot enter a guest on CPU%d: EL2 is held by another hypervisor (a KVM VM?)\n",
				   raw_smp_processor_id());
	return code;
}

/**
 * a64_vcpu_run() - A64VCPU_RUN: enter, handle exits in the kernel while
 * a64_handle_exit() says so (> 0), stop for userspace (0) or on an error
 * @vcpu: the vCPU, its ioctl lock held
 *
 * Return: 0 with run->exit_reason set, -EINTR (signal, immediate_exit),
 * -EBUSY (EL2 held by another hypervisor, or a vGIC not initialised).
 */
int a64_vcpu_run(struct a64_vcpu *vcpu)
{
	bool with_vgic = a64_vm_vgic(vcpu->vm);
	int ret;

	/* Pairs with the release that publishes it (a64_vgic_create_device()). */
	if (smp_load_acquire(&vcpu->vm->vgic) && !with_vgic) {
		pr_info_ratelimited(A64_NAME ": the VM has a vGIC that is not initialised (A64VCPU_VGIC_CTRL_INIT)\n");
		return -EBUSY;
	}
	if (vcpu->ctx->pstate & PSR_MODE32_BIT) {
		pr_info_ratelimited(A64_NAME ": vCPU %u is in AArch32 state, which a64vcpu does not run: set an AArch64 PSTATE first\n",
				    vcpu->idx);
		return -EINVAL;
	}
	vcpu->run->exit_reason = A64VCPU_EXIT_NONE;
	if (a64_complete_pending(vcpu))
		return 0;
	a64_run_clear(vcpu->run);
	if (READ_ONCE(vcpu->run->immediate_exit))
		return exit_interrupted(vcpu);

	a64_cache_first_entry(vcpu->vm);
	WRITE_ONCE(vcpu->task, current);
	a64_fp_run_start(vcpu);
	for (;;) {
		if (signal_pending(current)) {
			ret = exit_interrupted(vcpu);
			break;
		}
		cond_resched();
		ret = vcpu_enter(vcpu, with_vgic);
		if (ret < 0)
			break;
		ret = a64_handle_exit(vcpu);
		if (ret <= 0)
			break;
	}
	a64_fp_run_stop(vcpu);
	WRITE_ONCE(vcpu->task, NULL);
	return ret;
}
