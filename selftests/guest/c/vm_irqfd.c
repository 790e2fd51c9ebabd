// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPIs raised by interrupt eventfds (selftests/vm_irqfd.c).  guest_arg(0)
 * is the scenario, guest_arg(1) the rounds.  Each vCPU takes two SPIs
 * routed to it; its handler acknowledges each interrupt with a 4-byte
 * store of the INTID at ACK_GPA (a doorbell per INTID: the test's writer
 * thread waits for it before the next write), then EOIs it.  Every write
 * is one interrupt: each SPI is taken exactly as many times as there are
 * rounds, while the vCPU spins with interrupts unmasked (BUSY) or sleeps
 * in WFI (WFI).  LEVEL: vCPU 0's first SPI level-sensitive, its line high
 * (pending while active) until the EOI, low after the last.  PENDING: the
 * test asks (ucall) whether SPI_FIRST is pending, edge-triggered, or
 * level-sensitive if guest_arg(1) is 1; the answer is a ucall.
 */
#include "test.h"

#define BUSY		0
#define WFI		1
#define LEVEL		2
#define PENDING		3

#define READY		1
#define SPI_FIRST	40	/* vCPU n: SPI_FIRST + 2n and the next */
#define ACK_GPA		0x0b000000UL
#define TIMEOUT_S	20

static u32 count[2][64];
static u32 ready;
static u32 scenario;	/* guest_arg(0), read once: the handler makes no exit for it */

void irq_handler(void)
{
	u32 intid = gic_ack(), cpu = this_cpu();

	GUEST_ASSERT(intid >= SPI_FIRST + 2 * cpu && intid < SPI_FIRST + 2 * cpu + 2);
	if (scenario == LEVEL && intid == SPI_FIRST)
		GUEST_ASSERT(gic_is_pending(intid));	/* the line stays high ... */
	count[cpu][intid]++;
	writel(intid, ACK_GPA);
	gic_eoi(intid);					/* ... until this */
}

/*
 * Every SPI's trigger and priority, by vCPU 0 before the others start:
 * GICD_ICFGR and GICD_IPRIORITYR are read, modified and written, several
 * INTIDs a register, so two vCPUs setting theirs at once could undo each
 * other's (an SPI left level-sensitive takes no edge).
 */
static void spis_trigger(void)
{
	u32 intid;

	for (intid = SPI_FIRST; intid < SPI_FIRST + 4; intid++) {
		gic_set_edge(intid, !(scenario == LEVEL && intid == SPI_FIRST));
		gic_set_priority(intid, 0x80);
	}
}

/* This vCPU's two SPIs: routed to it, enabled. */
static void spis_setup(u32 cpu)
{
	u32 i;

	for (i = 0; i < 2; i++) {
		u32 intid = SPI_FIRST + 2 * cpu + i;

		gic_route(intid, read_mpidr() & 0xff00ffffffUL);
		gic_irq_enable(intid);
	}
}

static bool done(u32 cpu, u32 rounds)
{
	return read_once(&count[cpu][SPI_FIRST + 2 * cpu]) >= rounds &&
	       read_once(&count[cpu][SPI_FIRST + 2 * cpu + 1]) >= rounds;
}

static void rounds(u32 cpu)
{
	u32 n = guest_arg(1);

	scenario = guest_arg(0);
	if (cpu == 0) {
		gic_init();
		spis_trigger();
		flag_set(&ready);
	}
	GUEST_ASSERT(flag_wait(&ready, TIMEOUT_S));
	gic_cpu_init();
	spis_setup(cpu);
	ucall(READY);
	if (scenario == WFI) {
		wait_for_irq(done(cpu, n));
	} else {
		local_irq_enable();
		while (!done(cpu, n))
			;
	}
	local_irq_disable();
	GUEST_ASSERT_EQ(count[cpu][SPI_FIRST + 2 * cpu], n);
	GUEST_ASSERT_EQ(count[cpu][SPI_FIRST + 2 * cpu + 1], n);
	if (scenario == LEVEL && cpu == 0)
		GUEST_ASSERT(!gic_is_pending(SPI_FIRST));	/* lowered at the last EOI */
}

/* Answers the test's questions with IRQs masked: is SPI_FIRST pending? */
static void pending(void)
{
	scenario = guest_arg(1) ? LEVEL : PENDING;
	gic_init();
	spis_trigger();
	gic_cpu_init();
	spis_setup(0);
	for (;;)
		ucall(gic_is_pending(SPI_FIRST));
}

int main(void)
{
	if (guest_arg(0) == PENDING)
		pending();
	rounds(0);
	return 0;
}

void secondary_main(u64 cpu)
{
	rounds(cpu);
}
