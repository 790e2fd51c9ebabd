// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU 1 spins in the guest with interrupts on; vCPU 0 sends it SGIs, one
 * at a time, each once the last was taken.  Each must force vCPU 1 out of
 * the guest (a kick) to be delivered: the previous one finished in its
 * list registers without an exit.
 */
#include "test.h"

#define SGI		1
#define NR_SGIS		100

static u32 vcpu1_up, taken;

void irq_handler(void)
{
	u32 intid = gic_ack();

	GUEST_ASSERT(intid == SGI);
	write_once(&taken, read_once(&taken) + 1);
	gic_eoi(intid);
}

void secondary_main(u64 cpu)
{
	(void)cpu;
	gic_cpu_init();
	gic_irq_enable(SGI);
	local_irq_enable();
	flag_set(&vcpu1_up);
	for (;;)
		;
}

int main(void)
{
	unsigned int i;

	gic_init();
	gic_cpu_init();
	ucall(0);		/* the test starts vCPU 1 */
	GUEST_ASSERT(flag_wait(&vcpu1_up, 60));
	for (i = 1; i <= NR_SGIS; i++) {
		gic_send_sgi(SGI, 1);
		while (read_once(&taken) != i)
			;
	}
	ucall(NR_SGIS);
	return 0;
}
