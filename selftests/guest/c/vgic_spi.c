// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPIs the test raises with A64VCPU_IRQ_LINE (selftests/vgic_spi.c).  The
 * scenario is guest_arg(0); each ucall tells the test what to do next
 * (the numbers are the protocol: see the test).
 */
#include "test.h"

#define LEVEL		0
#define EDGE		1
#define ROUTE		2

#define SPI_LEVEL	40
#define SPI_EDGE	41
#define SPI_ROUTED	42
#define SPI_NOWHERE	43
#define SGI_MARK	1
#define TIMEOUT_S	20

static u32 count[2][64];
static u32 ready[2], step[2];

void irq_handler(void)
{
	u32 intid = gic_ack(), cpu = this_cpu();

	GUEST_ASSERT(intid < 64);
	count[cpu][intid]++;
	if (intid == SPI_LEVEL) {
		/* Active, and still pending: the line is high. */
		GUEST_ASSERT(gic_is_active(SPI_LEVEL));
		GUEST_ASSERT(gic_is_pending(SPI_LEVEL));
		GUEST_ASSERT_EQ(gic_hppir(), GIC_SPURIOUS);
		/* The first time, leave the line high: it fires again after the EOI. */
		if (count[cpu][intid] % 2 == 0)
			ucall(100 + count[cpu][intid]);	/* the test lowers it */
	}
	gic_eoi(intid);
}

static void spi_setup(u32 intid, bool edge)
{
	gic_set_edge(intid, edge);
	gic_set_priority(intid, 0x80);
	gic_route(intid, read_mpidr() & 0xff00ffffffUL);
	gic_irq_enable(intid);
}

static void level(void)
{
	u32 *n = &count[0][SPI_LEVEL];

	spi_setup(SPI_LEVEL, false);

	/* Pending while the line is high, whatever GICD_ICPENDR says. */
	ucall(1);				/* raised */
	GUEST_ASSERT(gic_is_pending(SPI_LEVEL));
	GUEST_ASSERT_EQ(gic_hppir(), SPI_LEVEL);
	gic_clear_pending(SPI_LEVEL);
	GUEST_ASSERT(gic_is_pending(SPI_LEVEL));
	ucall(2);				/* lowered */
	GUEST_ASSERT(!gic_is_pending(SPI_LEVEL));
	GUEST_ASSERT_EQ(*n, 0);

	/* Raised by another thread while this vCPU is busy: taken twice. */
	ucall(3);
	local_irq_enable();
	while (read_once(n) < 2)
		;
	local_irq_disable();
	GUEST_ASSERT(!gic_is_pending(SPI_LEVEL));
	GUEST_ASSERT(!gic_is_active(SPI_LEVEL));

	/* Raised once this vCPU's thread sleeps in WFI: taken twice again. */
	ucall(4);
	wait_for_irq(*n >= 4);
	local_irq_disable();
	GUEST_ASSERT(!gic_is_pending(SPI_LEVEL));
	GUEST_ASSERT_EQ(*n, 4);
}

static void edge(void)
{
	u32 *n = &count[0][SPI_EDGE];
	u32 i;

	spi_setup(SPI_EDGE, true);

	/* Three edges while masked: one pending interrupt, taken once. */
	ucall(10);
	GUEST_ASSERT(gic_is_pending(SPI_EDGE));
	local_irq_enable();
	while (read_once(n) < 1)
		;
	local_irq_disable();
	GUEST_ASSERT(!gic_is_pending(SPI_EDGE));
	GUEST_ASSERT_EQ(*n, 1);

	/* One interrupt per rising edge, raised by another thread. */
	for (i = 1; i <= 5; i++) {
		ucall(10 + i);
		local_irq_enable();
		while (read_once(n) < 1 + i)
			;
		local_irq_disable();
		GUEST_ASSERT(!gic_is_pending(SPI_EDGE));
		GUEST_ASSERT_EQ(*n, 1 + i);
	}
	/* A pending edge is cleared by GICD_ICPENDR. */
	ucall(16);
	GUEST_ASSERT(gic_is_pending(SPI_EDGE));
	gic_clear_pending(SPI_EDGE);
	GUEST_ASSERT(!gic_is_pending(SPI_EDGE));
	local_irq_enable();
	isb();
	local_irq_disable();
	GUEST_ASSERT_EQ(*n, 6);
}

/*
 * vCPU 0 routes SPI_ROUTED to vCPU 1 and SPI_NOWHERE to an affinity no vCPU
 * has; the test raises both.  Only vCPU 1 takes SPI_ROUTED; nobody takes
 * SPI_NOWHERE (more urgent than the SGI vCPU 1 waits for next), until
 * vCPU 0 routes it to itself.
 */
static void route(u32 cpu)
{
	u32 i;

	if (cpu == 0)
		gic_init();
	gic_cpu_init();
	gic_set_priority(SGI_MARK, 0x80);
	gic_irq_enable(SGI_MARK);
	local_irq_enable();
	flag_set(&ready[cpu]);
	for (i = 0; i < 2; i++)
		GUEST_ASSERT(flag_wait(&ready[i], TIMEOUT_S));
	if (cpu == 1) {
		wait_for_irq(count[1][SPI_ROUTED] && count[1][SGI_MARK]);
		GUEST_ASSERT_EQ(count[1][SPI_NOWHERE], 0);
		flag_set(&step[1]);
		return;
	}
	gic_set_edge(SPI_ROUTED, true);
	gic_set_edge(SPI_NOWHERE, true);
	gic_set_priority(SPI_ROUTED, 0x80);
	gic_set_priority(SPI_NOWHERE, 0x40);
	gic_route(SPI_ROUTED, 1);
	gic_route(SPI_NOWHERE, 7);
	gic_irq_enable(SPI_ROUTED);
	gic_irq_enable(SPI_NOWHERE);
	GUEST_ASSERT_EQ(readl(VIRT_GIC_DIST_BASE + GICD_IROUTER + 8 * SPI_ROUTED), 1);
	GUEST_ASSERT_EQ(readl(VIRT_GIC_DIST_BASE + GICD_IROUTER + 8 * SPI_NOWHERE), 7);
	ucall(30);				/* both raised */
	GUEST_ASSERT(gic_is_pending(SPI_NOWHERE));
	gic_send_sgi(SGI_MARK, 1);
	GUEST_ASSERT(flag_wait(&step[1], TIMEOUT_S));
	GUEST_ASSERT(gic_is_pending(SPI_NOWHERE));
	GUEST_ASSERT_EQ(count[0][SPI_ROUTED] + count[0][SPI_NOWHERE], 0);
	gic_route(SPI_NOWHERE, 0);
	wait_for_irq(count[0][SPI_NOWHERE]);
	GUEST_ASSERT_EQ(count[1][SPI_NOWHERE], 0);
	GUEST_ASSERT_EQ(count[0][SPI_ROUTED], 0);
	GUEST_ASSERT_EQ(count[1][SPI_ROUTED], 1);
}

int main(void)
{
	switch (guest_arg(0)) {
	case LEVEL:
	case EDGE:
		gic_init();
		gic_cpu_init();
		if (guest_arg(0) == LEVEL)
			level();
		else
			edge();
		break;
	case ROUTE:
		route(0);
		break;
	}
	return 0;
}

void secondary_main(u64 cpu)
{
	route(cpu);
}
