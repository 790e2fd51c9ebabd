// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's EL1 timers (Documentation/vgic.rst, "Timers").
 *
 * The virtual timer is the guest's own: CNTV_CTL_EL0/CNTV_CVAL_EL0 are
 * switched with the vCPU and count CNTVCT = CNTPCT - the VM's offset.  The
 * EL1 physical timer belongs to the host kernel (nVHE), so the guest's
 * CNTP_* accesses trap and are emulated here against the physical counter.
 * Each timer's output is a level-sensitive PPI of the vCPU (27 virtual, 30
 * physical), computed from its registers and the counter before every entry.
 *
 * The guest's virtual timer fires in the hardware while the guest runs:
 * its physical PPI (27) must reach the host then, so that the guest exits
 * and the next entry raises the virtual PPI.  Without KVM the module
 * requests and enables that PPI itself (host_ppi.c); with KVM, KVM has.  As
 * for KVM's own vCPUs, the PPI must not be signalled while the guest's
 * timer asserts its output (the guest has not masked or re-armed it yet):
 * every entry would end at once, and the host would never even see the
 * interrupt, since the exit puts back the host's CNTV_CTL_EL0 and so lowers
 * the line.  So the entry makes the PPI active on its CPU exactly while the
 * guest's timer asserts (a64_timer_enter()).
 *
 * While the vCPU waits in WFI (or the timer is the emulated physical one),
 * an hrtimer armed at the earliest deadline of an enabled, unmasked timer
 * that has not fired yet wakes it (a64_vcpu_kick()); the next entry raises
 * the PPI.
 */
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <clocksource/arm_arch_timer.h>
#include <asm/arch_timer.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

#define SYS_CNTPCT_EL0		sys_reg(3, 3, 14, 0, 1)	/* not in <asm/sysreg.h> (6.1) */
#define CTL_RW			(ARCH_TIMER_CTRL_ENABLE | ARCH_TIMER_CTRL_IT_MASK)
#define NO_DEADLINE		0
#define MAX_SLEEP_NS		(3600ULL * NSEC_PER_SEC)	/* re-armed when it fires */

/* The virtual timer's PPI: the third interrupt of the timer's node. */
static struct a64_host_ppi vtimer = { .name = "a64vcpu-vtimer" };

/*
 * Per CPU: the PPI's active state as we last set it, or VTIMER_UNKNOWN once
 * EL2 changed hands (KVM sets it as its vCPUs need, and leaves it so).
 */
#define VTIMER_UNKNOWN		-1
static DEFINE_PER_CPU(int, vtimer_active);

static u64 counter(void)
{
	return __arch_counter_get_cntpct();
}

static bool met(u64 ctl, u64 cval, u64 now)
{
	return (ctl & ARCH_TIMER_CTRL_ENABLE) && now >= cval;
}

/* The timer's output line: enabled, unmasked, its condition met. */
static bool asserted(u64 ctl, u64 cval, u64 now)
{
	return met(ctl, cval, now) && !(ctl & ARCH_TIMER_CTRL_IT_MASK);
}

/* The physical-counter value at which a timer will assert, or NO_DEADLINE. */
static u64 deadline(u64 ctl, u64 cval, u64 offset, u64 now_phys)
{
	u64 when;

	if ((ctl & CTL_RW) != ARCH_TIMER_CTRL_ENABLE || check_add_overflow(cval, offset, &when))
		return NO_DEADLINE;
	return when > now_phys ? when : NO_DEADLINE;
}

static enum hrtimer_restart timer_expired(struct hrtimer *t)
{
	struct a64_vcpu *vcpu = container_of(t, struct a64_vcpu, timer.hrtimer);

	WRITE_ONCE(vcpu->timer.armed, NO_DEADLINE);
	a64_vcpu_kick(vcpu);
	return HRTIMER_NORESTART;
}

static void arm(struct a64_vcpu *vcpu, u64 when, u64 now)
{
	struct a64_timer *t = &vcpu->timer;
	u64 ns;

	if (when == READ_ONCE(t->armed))
		return;
	WRITE_ONCE(t->armed, when);
	if (when == NO_DEADLINE) {
		hrtimer_try_to_cancel(&t->hrtimer);
		return;
	}
	/* Rounded up: firing early only costs a re-arm, late costs latency. */
	ns = mul_u64_u32_div(min(when - now, (u64)arch_timer_get_cntfrq() * 3600),
			     NSEC_PER_SEC, arch_timer_get_cntfrq()) + 1;
	hrtimer_start(&t->hrtimer, ktime_add_ns(ktime_get(), min(ns, MAX_SLEEP_NS)),
		      HRTIMER_MODE_ABS_HARD);
}

/**
 * a64_timer_sync() - the timers' lines and wake-up, before an entry or a wait
 * @vcpu: the vCPU, outside the guest
 *
 * Loads the VM's counter offset into the context, raises or lowers PPIs 27
 * and 30 (with a vGIC) and arms the hrtimer for the next deadline.  Cheap
 * when nothing changed.
 */
void a64_timer_sync(struct a64_vcpu *vcpu)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;
	u64 vctl = ctx->el1[A64_EL1_CNTV_CTL], vcval = ctx->el1[A64_EL1_CNTV_CVAL];
	u64 pctl = vcpu->timer.ptimer_ctl, pcval = vcpu->timer.ptimer_cval;
	u64 off = READ_ONCE(vcpu->vm->cntvoff), now, dv, dp;

	/*
	 * The VM's offset now, for the next entry and for the deadline: a
	 * vCPU waiting in WFI sees a new one when A64VCPU_SET_COUNTER_OFFSET
	 * kicks it.
	 */
	ctx->el2[A64_EL2_CNTVOFF] = off;

	if (!((vctl | pctl) & ARCH_TIMER_CTRL_ENABLE) && !vcpu->timer.lines &&
	    READ_ONCE(vcpu->timer.armed) == NO_DEADLINE)
		return;		/* both off, nothing to undo: the common case */
	now = counter();
	vcpu->timer.lines = asserted(vctl, vcval, now - off) |
			    asserted(pctl, pcval, now) << 1;
	if (a64_vm_vgic(vcpu->vm)) {
		a64_vgic_set_line(vcpu, A64_PPI_VTIMER, vcpu->timer.lines & 1);
		a64_vgic_set_line(vcpu, A64_PPI_PTIMER, vcpu->timer.lines & 2);
	}
	dv = deadline(vctl, vcval, off, now);
	dp = deadline(pctl, pcval, 0, now);
	arm(vcpu, dv && dp ? min(dv, dp) : dv | dp, now);
}

/**
 * a64_timer_asserted() - does a timer assert its interrupt?
 * @vcpu: the vCPU, after a64_timer_sync()
 *
 * For a VM without a vGIC, where the lines lead nowhere, WFI still ends
 * when a timer fires.
 *
 * Return: true if so.
 */
bool a64_timer_asserted(struct a64_vcpu *vcpu)
{
	return vcpu->timer.lines;
}

/**
 * a64_timer_sysreg() - a trapped access to the physical timer or counter
 * @vcpu: the vCPU
 * @reg: the register, as sys_reg() encodes it
 * @write: an MSR (*@val holds the value) or an MRS (the value goes to *@val)
 * @val: the value
 *
 * Return: A64_SR_DONE, or A64_SR_USER if @reg is not a physical-timer one.
 */
enum a64_sysreg_ret a64_timer_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val)
{
	struct a64_timer *t = &vcpu->timer;
	u64 now = counter();

	switch (reg) {
	case SYS_CNTP_CTL_EL0:
		if (write)
			t->ptimer_ctl = *val & CTL_RW;
		else
			*val = t->ptimer_ctl | (met(t->ptimer_ctl, t->ptimer_cval, now) ?
						ARCH_TIMER_CTRL_IT_STAT : 0);
		break;
	case SYS_CNTP_CVAL_EL0:
		if (write)
			t->ptimer_cval = *val;
		else
			*val = t->ptimer_cval;
		break;
	case SYS_CNTP_TVAL_EL0:
		/* TVAL is CVAL - count, as a signed 32-bit value */
		if (write)
			t->ptimer_cval = now + (s64)(s32)*val;
		else
			*val = (u32)(t->ptimer_cval - now);
		break;
	case SYS_CNTPCT_EL0:
		if (write)
			return A64_SR_UNDEF;
		*val = now;
		break;
	default:
		return A64_SR_USER;
	}
	return A64_SR_DONE;
}

/**
 * a64_timer_enter() - the host's virtual-timer PPI for this entry
 * @vcpu: the vCPU, about to enter on this CPU with interrupts off
 *
 * Active exactly while the guest's virtual timer asserts its output, so
 * that it neither ends every entry at once nor misses the timer firing
 * while the guest runs.  The GIC is written only when that changes.
 */
void a64_timer_enter(struct a64_vcpu *vcpu)
{
	int want = vcpu->timer.lines & 1;

	if (want == __this_cpu_read(vtimer_active) || !vtimer.irq)
		return;
	irq_set_irqchip_state(vtimer.irq, IRQCHIP_STATE_ACTIVE, want);
	__this_cpu_write(vtimer_active, want);
}

/**
 * a64_timer_cpu_taken() - EL2 on this CPU was taken (again)
 *
 * Whoever had it before may have left the virtual timer's PPI active or
 * not: the next entry sets it as it needs, whatever that is.  (Assuming it
 * active let a guest whose timer already asserted enter with the PPI
 * inactive after KVM had the CPU: the PPI fired at once on every entry,
 * and the vCPU never ran again; stress_kvm.)  Interrupts off.
 */
void a64_timer_cpu_taken(void)
{
	__this_cpu_write(vtimer_active, VTIMER_UNKNOWN);
}

/**
 * a64_timer_hw_init() - find the virtual timer's PPI and make sure it reaches the host
 */
void a64_timer_hw_init(void)
{
	a64_host_ppi_find(&vtimer, "arm,armv8-timer", 2);	/* secure, physical, virtual */
	a64_host_ppi_take(&vtimer);
}

/**
 * a64_timer_hw_exit() - give the virtual timer's PPI back
 */
void a64_timer_hw_exit(void)
{
	a64_host_ppi_release(&vtimer);
}

/**
 * a64_timer_init() - a vCPU's timers at creation: off
 * @vcpu: the vCPU
 */
void a64_timer_init(struct a64_vcpu *vcpu)
{
	hrtimer_init(&vcpu->timer.hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	vcpu->timer.hrtimer.function = timer_expired;
}

/**
 * a64_timer_destroy() - stop a vCPU's hrtimer before the vCPU is freed
 * @vcpu: the vCPU
 */
void a64_timer_destroy(struct a64_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->timer.hrtimer);
}
