// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stress tests' guest (selftests/stress_*.c, lib/stress.h), on any
 * number of vCPUs.  guest_arg(0) is the mode:
 *
 * STRESS_WORK: rounds (guest_arg(1) of them, read again each round; 0:
 *   until it is not 0) of a ucall of the round number (an exit to the
 *   test), a 4-byte store at STRESS_DOORBELL_GPA (a doorbell: completed in
 *   the kernel, no exit) and, if guest_arg(2) is not 0, a WFI until this
 *   vCPU's virtual timer, set guest_arg(2) counter ticks ahead, fires (the
 *   vCPU sleeps in the kernel).  STRESS_SPI, raised by the test through an interrupt eventfd,
 *   is taken whenever it comes and counted; vCPU 0 reports the count with
 *   its last ucall (STRESS_DONE | count).
 * STRESS_SLEEP: a ucall STRESS_ASLEEP, then WFI with every interrupt
 *   disabled, for ever: only a signal (or a kill) ends the run.
 */
#include "test.h"
#include "stress_guest.h"

#define PPI_VTIMER	27

static u32 timer_fired[8], spis;

void irq_handler(void)
{
	u32 intid = gic_ack();

	if (intid == PPI_VTIMER) {
		write_sysreg_s(0, "cntv_ctl_el0");
		write_once(&timer_fired[this_cpu() & 7], 1);
	} else if (intid == STRESS_SPI) {
		write_once(&spis, read_once(&spis) + 1);
	} else {
		GUEST_ASSERT_EQ(intid, STRESS_SPI);
	}
	gic_eoi(intid);
}

static void work(u32 cpu)
{
	u64 ticks = guest_arg(2), rounds, round;

	gic_irq_enable(PPI_VTIMER);
	local_irq_enable();
	for (round = 0; ; round++) {
		rounds = guest_arg(1);	/* each round: the test may end them */
		if (rounds && round >= rounds)
			break;
		ucall(round);
		writel(cpu, STRESS_DOORBELL_GPA);
		if (!ticks)
			continue;
		write_once(&timer_fired[cpu & 7], 0);
		write_sysreg_s(ticks, "cntv_tval_el0");
		write_sysreg_s(1, "cntv_ctl_el0");
		isb();
		wait_for_irq(read_once(&timer_fired[cpu & 7]));
	}
}

static void sleep_for_ever(void)
{
	local_irq_disable();
	ucall(STRESS_ASLEEP);
	for (;;)
		asm volatile("wfi" : : : "memory");
}

int main(void)
{
	gic_init();
	gic_cpu_init();
	if (guest_arg(0) == STRESS_SLEEP)
		sleep_for_ever();
	gic_set_edge(STRESS_SPI, true);
	gic_irq_enable(STRESS_SPI);
	work(0);
	ucall(STRESS_DONE | read_once(&spis));
	return 0;
}

void secondary_main(u64 cpu)
{
	gic_cpu_init();
	if (guest_arg(0) == STRESS_SLEEP)
		sleep_for_ever();
	work(cpu);
}
