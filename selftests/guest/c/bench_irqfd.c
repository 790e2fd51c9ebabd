// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt-eventfd round trip of make bench (selftests/bench_eventfd.c,
 * the same program on a64vcpu and on KVM): the guest stores at DB_GPA, a
 * doorbell whose eventfd a thread of the benchmark sleeps on; the thread
 * writes an interrupt eventfd bound to SPI, and the guest, spinning with
 * interrupts unmasked, waits for its handler to take the SPI.  ITERATIONS
 * round trips timed with CNTVCT, reported by a ucall, again and again (the
 * benchmark stops running it).  It touches no other MMIO: on KVM the
 * benchmark answers only ucalls.
 */
#include "test.h"

#define DB_GPA		0x0b000000UL
#define SPI		40
#define ITERATIONS	1000	/* bench_eventfd.c's IRQFD_ROUND_TRIPS */

static u32 taken;

void irq_handler(void)
{
	u32 intid = gic_ack();

	if (intid == GIC_SPURIOUS)
		return;
	if (intid == SPI)
		write_once(&taken, read_once(&taken) + 1);
	gic_eoi(intid);
}

int main(void)
{
	gic_init();
	gic_set_edge(SPI, true);
	gic_set_priority(SPI, 0x80);
	gic_route(SPI, read_mpidr() & 0xff00ffffffUL);
	gic_irq_enable(SPI);
	gic_cpu_init();
	local_irq_enable();
	for (;;) {
		u64 start = read_cntvct();
		u32 i;

		for (i = 0; i < ITERATIONS; i++) {
			u32 want = read_once(&taken) + 1;

			writel(1, DB_GPA);
			while (read_once(&taken) != want)
				;
		}
		ucall(read_cntvct() - start);
	}
	return 0;
}
