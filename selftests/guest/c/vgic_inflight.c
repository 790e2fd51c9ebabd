// SPDX-License-Identifier: GPL-2.0-only
/*
 * What another vCPU does to interrupts a running vCPU holds in its list
 * registers (guest_arg(0) picks the scenario):
 *
 * 0: vCPU 1 has acknowledged SPI 40 (active) and has SPI 41 pending behind
 *    it, IRQs masked, spinning; vCPU 0 clears 40's active and 41's pending
 *    state in the distributor.  Both stay cleared after vCPU 1's next exit
 *    (which used to bring the list registers' view back).
 * 1: a load pair across the end of the distributor's frame: refused (an
 *    UNHANDLED_ABORT exit), no access made where it does not lie.
 */
#include "test.h"

#define SPI_A		40
#define SPI_B		41

static u32 vcpu1_ready, vcpu1_acked, vcpu1_exit, vcpu1_exited;

void secondary_main(u64 cpu)
{
	(void)cpu;
	gic_cpu_init();		/* IRQs stay masked */
	flag_set(&vcpu1_ready);
	while (gic_hppir() != SPI_A)
		;		/* both SPIs are in its list registers */
	GUEST_ASSERT_EQ(SPI_A, gic_ack());
	flag_set(&vcpu1_acked);
	GUEST_ASSERT(flag_wait(&vcpu1_exit, 60));
	ucall(1);		/* an exit: the list registers come back */
	flag_set(&vcpu1_exited);
}

static void overrule(void)
{
	gic_set_priority(SPI_A, 0x80);
	gic_set_priority(SPI_B, 0xa0);
	gic_route(SPI_A, 1);
	gic_route(SPI_B, 1);
	gic_irq_enable(SPI_A);
	gic_irq_enable(SPI_B);
	GUEST_ASSERT(flag_wait(&vcpu1_ready, 60));
	gic_set_pending(SPI_A);
	gic_set_pending(SPI_B);
	GUEST_ASSERT(flag_wait(&vcpu1_acked, 60));

	gic_clear_active(SPI_A);
	gic_clear_pending(SPI_B);
	GUEST_ASSERT(!gic_is_active(SPI_A));
	GUEST_ASSERT(!gic_is_pending(SPI_B));
	flag_set(&vcpu1_exit);
	GUEST_ASSERT(flag_wait(&vcpu1_exited, 60));
	GUEST_ASSERT(!gic_is_active(SPI_A));
	GUEST_ASSERT(!gic_is_pending(SPI_B));
}

/* ldp w0, w1, [x2] with x2 = the distributor's last word: then the gap. */
static void pair_across_edge(void)
{
	u64 addr = VIRT_GIC_DIST_BASE + 0x10000 - 4;
	u32 a, b;

	asm volatile("ldp %w0, %w1, [%2]" : "=&r" (a), "=&r" (b) : "r" (addr) : "memory");
	ucall(0xbad);		/* must not get here */
}

int main(void)
{
	gic_init();
	gic_cpu_init();
	if (guest_arg(0))
		pair_across_edge();
	else
		overrule();
	return 0;
}
