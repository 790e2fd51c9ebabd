// SPDX-License-Identifier: GPL-2.0-only
/*
 * More pending interrupts than list registers (selftests/vgic_lr_overflow.c):
 * guest_arg(1) SPIs from INTID 32 (and, in GUEST_PENDING, the 16 SGIs too)
 * are made pending while IRQs are masked, then taken; each must be taken
 * exactly once, in priority order.  The scenario is guest_arg(0).
 */
#include "test.h"

#define GUEST_PENDING	0	/* GICD_ISPENDR and self-SGIs */
#define HOST_EDGE	1	/* the test raises edge SPIs */
#define HOST_LEVEL	2	/* the test raises level SPIs, lowers each in the handler */
#define SAME_PRIORITY	3	/* all at one priority: order unspecified */

#define MAX_INTIDS	128

static u32 count[MAX_INTIDS], order[MAX_INTIDS], nr_taken;
static u32 scenario, nr_spis;

/*
 * Priorities in an order unrelated to the INTIDs': distinct for the SGIs and
 * the first 15 SPIs, then repeating.  5 priority bits make 32 levels, but
 * 0xf8 is masked by the open priority mask (ICC_PMR_EL1 0xff reads 0xf8).
 */
static u8 priority(u32 intid)
{
	u32 k = intid < 32 ? intid : intid - 16;

	if (scenario == SAME_PRIORITY)
		return 0x80;
	return ((k * 13) % 31) << 3;
}

void irq_handler(void)
{
	u32 intid = gic_ack();

	GUEST_ASSERT(intid < MAX_INTIDS);
	count[intid]++;
	order[nr_taken++] = intid;
	if (scenario == HOST_LEVEL)
		ucall(0x100 + intid);	/* the test lowers its line */
	gic_eoi(intid);
}

int main(void)
{
	u32 i, n = 0, first = 32;

	scenario = guest_arg(0);
	nr_spis = guest_arg(1);
	GUEST_ASSERT(nr_spis > 0 && nr_spis <= 64);
	gic_init();
	gic_cpu_init();
	if (scenario == GUEST_PENDING)
		first = 0;		/* the SGIs too */
	for (i = first; i < 32 + nr_spis; i++) {
		if (i >= 16 && i < 32)
			continue;
		gic_set_priority(i, priority(i));
		if (i >= 32) {
			gic_set_edge(i, scenario != HOST_LEVEL);
			gic_route(i, read_mpidr() & 0xff00ffffffUL);
		}
		gic_irq_enable(i);
		n++;
	}

	if (scenario == GUEST_PENDING) {
		for (i = 0; i < nr_spis; i += 32)
			writel(nr_spis - i >= 32 ? ~0U : (1U << (nr_spis - i)) - 1,
			       VIRT_GIC_DIST_BASE + GICD_ISPENDR + 4 + i / 8);
		for (i = 0; i < 16; i++)
			gic_send_sgi(i, read_mpidr());
	} else {
		ucall(1);		/* the test raises them */
	}
	for (i = first; i < 32 + nr_spis; i++)
		GUEST_ASSERT((i >= 16 && i < 32) || gic_is_pending(i));

	wait_for_irq(nr_taken == n);
	local_irq_disable();
	for (i = first; i < 32 + nr_spis; i++) {
		if (i >= 16 && i < 32)
			continue;
		GUEST_ASSERT_EQ(count[i], 1);
		GUEST_ASSERT(!gic_is_pending(i));
	}
	for (i = 1; i < n; i++) {
		if (priority(order[i - 1]) > priority(order[i]))
			printf("%u (priority 0x%x) taken before %u (0x%x)\n",
			       order[i - 1], priority(order[i - 1]), order[i],
			       priority(order[i]));
		GUEST_ASSERT(priority(order[i - 1]) <= priority(order[i]));
	}
	ucall(n);
	return 0;
}
