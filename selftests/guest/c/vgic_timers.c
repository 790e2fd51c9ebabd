// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's timers (selftests/vgic_timers.c): the virtual timer (its own
 * registers, PPI 27) and the physical one (CNTP_* and CNTPCT_EL0 trapped and
 * emulated by the module, PPI 30), and the VM's counter offset.  The
 * scenario is guest_arg(0).
 *
 * No deadline here is far in the future or wraps with the counter offset
 * (QEMU 7.2 freezes on a virtual timer whose CVAL + offset overflows).
 */
#include "test.h"

#define VTIMER		0
#define PTIMER		1
#define OFFSET		2
#define OFFSET_WAIT	3

#define PPI_VTIMER	27
#define PPI_PTIMER	30
#define CTL_ENABLE	1
#define CTL_IMASK	2
#define CTL_ISTATUS	4
#define ROUND_END	(1UL << 63)	/* OFFSET: a ucall that ends a round */

/* One timer's registers, by name (they must be literal for mrs/msr). */
struct timer {
	u32 ppi;
	u64 (*count)(void);
	u64 (*ctl)(void);
	void (*set_ctl)(u64 v);
	u64 (*cval)(void);
	void (*set_cval)(u64 v);
	void (*set_tval)(u64 v);
};

static u64 vcount(void) { return read_cntvct(); }
static u64 vctl(void) { return read_sysreg_s("cntv_ctl_el0"); }
static void set_vctl(u64 v) { write_sysreg_s(v, "cntv_ctl_el0"); isb(); }
static u64 vcval(void) { return read_sysreg_s("cntv_cval_el0"); }
static void set_vcval(u64 v) { write_sysreg_s(v, "cntv_cval_el0"); isb(); }
static void set_vtval(u64 v) { write_sysreg_s(v, "cntv_tval_el0"); isb(); }
static u64 pcount(void) { isb(); return read_sysreg_s("cntpct_el0"); }
static u64 pctl(void) { return read_sysreg_s("cntp_ctl_el0"); }
static void set_pctl(u64 v) { write_sysreg_s(v, "cntp_ctl_el0"); isb(); }
static u64 pcval(void) { return read_sysreg_s("cntp_cval_el0"); }
static void set_pcval(u64 v) { write_sysreg_s(v, "cntp_cval_el0"); isb(); }
static void set_ptval(u64 v) { write_sysreg_s(v, "cntp_tval_el0"); isb(); }

static const struct timer timers[] = {
	[VTIMER] = { PPI_VTIMER, vcount, vctl, set_vctl, vcval, set_vcval, set_vtval },
	[PTIMER] = { PPI_PTIMER, pcount, pctl, set_pctl, pcval, set_pcval, set_ptval },
};

static const struct timer *t;
static u32 fired[2];
static u64 fired_at[2], fired_phys;
static u64 ms;			/* counter ticks per millisecond */

void irq_handler(void)
{
	u32 intid = gic_ack(), cpu = this_cpu();
	u64 now = t->count(), ctl = t->ctl();

	fired_phys = pcount();
	GUEST_ASSERT_EQ(intid, t->ppi);
	/* After its deadline, not before; its condition met, unmasked. */
	GUEST_ASSERT(now >= t->cval());
	GUEST_ASSERT_EQ(ctl, CTL_ENABLE | CTL_ISTATUS);
	fired_at[cpu] = now;
	fired[cpu]++;
	t->set_ctl(CTL_ENABLE | CTL_IMASK);	/* its line goes down */
	gic_eoi(intid);
}

/* Makes the module look at the timers again (an exit), then reads the PPI's state. */
static bool ppi_pending(void)
{
	gic_is_pending(t->ppi);
	return gic_is_pending(t->ppi);
}

static void fire_and_wait(u32 n)
{
	wait_for_irq(fired[0] == n);
	local_irq_disable();
	GUEST_ASSERT_EQ(fired[0], n);
	GUEST_ASSERT(!ppi_pending());
}

static void one_timer(void)
{
	u64 cval;

	/* Fires after its deadline. */
	cval = t->count() + ms;
	t->set_cval(cval);
	t->set_ctl(CTL_ENABLE);
	GUEST_ASSERT_EQ(t->cval(), cval);
	fire_and_wait(1);
	GUEST_ASSERT(fired_at[0] >= cval);

	/* Masked: its condition is met (ISTATUS) but nothing fires. */
	cval = t->count() + ms;
	t->set_cval(cval);
	t->set_ctl(CTL_ENABLE | CTL_IMASK);
	/*
	 * QEMU sets the virtual timer's ISTATUS from a host timer of its own,
	 * which may lag behind the counter: wait for both.
	 */
	while (t->count() < cval + ms || !(t->ctl() & CTL_ISTATUS))
		;
	GUEST_ASSERT_EQ(t->ctl(), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
	GUEST_ASSERT(!ppi_pending());
	local_irq_enable();
	isb();
	local_irq_disable();
	GUEST_ASSERT_EQ(fired[0], 1);
	/* Unmasked, its deadline long past: it fires at once. */
	t->set_ctl(CTL_ENABLE);
	GUEST_ASSERT(ppi_pending());
	fire_and_wait(2);

	/* Disabled: no condition, nothing pending, even with CVAL in the past. */
	t->set_ctl(0);
	t->set_cval(t->count() / 2);
	GUEST_ASSERT_EQ(t->ctl() & (CTL_ENABLE | CTL_IMASK), 0);
	GUEST_ASSERT(!ppi_pending());

	/* A deadline already past when enabled: pending at once, WFI ends. */
	t->set_ctl(CTL_ENABLE);
	asm volatile("wfi" : : : "memory");
	GUEST_ASSERT(ppi_pending());
	fire_and_wait(3);

	/* Re-armed, through TVAL this time: fires again, after the deadline. */
	cval = t->count() + ms;
	t->set_tval(ms);
	GUEST_ASSERT(t->cval() >= cval);
	cval = t->cval();
	t->set_ctl(CTL_ENABLE);
	fire_and_wait(4);
	GUEST_ASSERT(fired_at[0] >= cval);
	t->set_ctl(0);
}

/*
 * The offset as this vCPU sees it, CNTPCT - CNTVCT, is within [lo, hi]:
 * two ucalls, then the end of the round (the test may change the offset).
 */
static void report_offset(u32 round)
{
	u64 p0 = pcount(), v = read_cntvct(), p1 = pcount();

	ucall(p0 - v);
	ucall(p1 - v);
	ucall(ROUND_END | round);
}

static void offset(u32 cpu)
{
	u64 cval;

	gic_cpu_init();
	gic_irq_enable(PPI_VTIMER);
	report_offset(0);
	report_offset(1);		/* moved forward by the test */
	/* The virtual timer counts against the new offset. */
	cval = read_cntvct() + ms;
	set_vcval(cval);
	set_vctl(CTL_ENABLE);
	wait_for_irq(fired[cpu]);
	local_irq_disable();
	GUEST_ASSERT(fired_at[cpu] >= cval);
	set_vctl(0);
	report_offset(2);		/* back */
}

/*
 * The virtual timer armed for a deadline that is still the counter offset
 * away (guest_arg(1)); while this vCPU waits for it, the test sets the
 * offset to 0, which puts the deadline in the past: it fires then, not at
 * its old deadline.
 */
static void offset_wait(void)
{
	u64 off = guest_arg(1), cval = pcount();

	gic_irq_enable(PPI_VTIMER);
	GUEST_ASSERT(read_cntvct() < cval);
	set_vcval(cval);
	set_vctl(CTL_ENABLE);
	ucall(1);
	wait_for_irq(fired[0]);
	local_irq_disable();
	GUEST_ASSERT(fired_at[0] >= cval);
	GUEST_ASSERT(fired_phys < cval + off);	/* before the old deadline */
	ucall(fired_phys - cval);
	set_vctl(0);
}

int main(void)
{
	u32 scenario = guest_arg(0);

	ms = read_cntfrq() / 1000;
	t = &timers[scenario == PTIMER ? PTIMER : VTIMER];
	gic_init();
	if (scenario == OFFSET) {
		offset(0);
		return 0;
	}
	gic_cpu_init();
	gic_irq_enable(t->ppi);
	if (scenario == OFFSET_WAIT)
		offset_wait();
	else
		one_timer();
	return 0;
}

void secondary_main(u64 cpu)
{
	ms = read_cntfrq() / 1000;
	t = &timers[VTIMER];
	offset(cpu);
}
