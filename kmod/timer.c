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
 * The physical interrupt of the virtual timer is not used.  Instead, an
 * hrtimer is armed at the earliest deadline of an enabled, unmasked timer
 * that has not fired yet.  It fires on the host's own timer: if the vCPU is
 * in the guest, the host interrupt makes it exit; if it waits in WFI, the
 * callback wakes it; the next entry raises the PPI.
 *
 * Nobody requests that physical interrupt when KVM is disabled, so it stays
 * masked at the GIC.  When KVM is enabled, KVM has requested and enabled
 * it: a guest whose timer condition is met would raise it as soon as it is
 * entered, and by the time the host looks it is gone again (EL2 has put the
 * host's timer back), so the guest would exit on every entry without
 * running an instruction.  While a guest runs, the interrupt is therefore
 * marked active on that CPU, which keeps it from being signalled
 * (a64_timer_hold_irq()).
 */
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/math64.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <clocksource/arm_arch_timer.h>
#include <asm/arch_timer.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

#define SYS_CNTPCT_EL0		sys_reg(3, 3, 14, 0, 1)	/* not in <asm/sysreg.h> (6.1) */
#define CTL_RW			(ARCH_TIMER_CTRL_ENABLE | ARCH_TIMER_CTRL_IT_MASK)
#define NO_DEADLINE		0
#define MAX_SLEEP_NS		(3600ULL * NSEC_PER_SEC)	/* re-armed when it fires */

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
	struct a64_vgic *vgic = vcpu->vm->vgic;

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
	if (vgic && smp_load_acquire(&vgic->ready)) {
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
			*val = t->ptimer_ctl |
			       (met(t->ptimer_ctl, t->ptimer_cval, now) ? ARCH_TIMER_CTRL_IT_STAT : 0);
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

/* The Linux IRQ of the virtual timer's PPI (the arch timer's third), or 0. */
static int vtimer_irq;

/**
 * a64_timer_hw_init() - find the physical interrupt of the virtual timer
 *
 * From the device tree, as the arch timer driver and KVM do; the mapping
 * is theirs, so it is not disposed of.  Without it (ACPI) nothing is held.
 */
void a64_timer_hw_init(void)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "arm,armv8-timer");
	int irq = np ? irq_of_parse_and_map(np, ARCH_TIMER_VIRT_PPI) : 0;

	of_node_put(np);
	vtimer_irq = irq > 0 ? irq : 0;
}

/**
 * a64_timer_hold_irq() - keep the virtual timer's physical interrupt quiet
 * while a guest runs on this CPU
 *
 * Interrupts off, before the entry.  Only needed (and done) when someone,
 * KVM, has enabled it on this CPU: then it is marked active.
 *
 * Return: true if it was; pass it to a64_timer_release_irq() after the exit.
 */
bool a64_timer_hold_irq(void)
{
	lockdep_assert_irqs_disabled();
	if (!vtimer_irq || !irq_percpu_is_enabled(vtimer_irq))
		return false;
	return !irq_set_irqchip_state(vtimer_irq, IRQCHIP_STATE_ACTIVE, true);
}

/**
 * a64_timer_release_irq() - undo a64_timer_hold_irq()
 * @held: what it returned
 *
 * Interrupts still off, after the exit: EL2 has switched the host's timer
 * back, so the interrupt is no longer asserted by the guest's.
 */
void a64_timer_release_irq(bool held)
{
	if (held)
		irq_set_irqchip_state(vtimer_irq, IRQCHIP_STATE_ACTIVE, false);
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
