// SPDX-License-Identifier: GPL-2.0-only
/*
 * One vCPU, its GIC programmed the way Linux does it: a self-SGI, an SPI
 * the test raises while the vCPU waits in WFI, and the virtual timer's
 * PPI 27 after its deadline.  Each handler reports the INTID it took.
 */
#include "test.h"

#define SGI		3
#define SPI		40
#define VTIMER		27

static u32 last;	/* the handler's last INTID (read_once/write_once) */

void irq_handler(void)
{
	u32 intid = gic_ack();

	if (intid == VTIMER)	/* mask the timer: its line goes down */
		write_sysreg_s(3, "cntv_ctl_el0");
	write_once(&last, intid);
	ucall(intid);
	gic_eoi(intid);
}

int main(void)
{
	gic_init();
	gic_cpu_init();
	gic_irq_enable(SGI);
	gic_irq_enable(SPI);
	gic_irq_enable(VTIMER);
	gic_route(SPI, read_mpidr() & 0xff00ffffffUL);
	local_irq_enable();

	gic_send_sgi(SGI, read_mpidr());
	while (read_once(&last) != SGI)
		;
	ucall(1);		/* the test raises the SPI now */
	wait_for_irq(read_once(&last) == SPI);
	write_sysreg_s(read_cntfrq() / 1000, "cntv_tval_el0");	/* 1 ms */
	write_sysreg_s(1, "cntv_ctl_el0");
	isb();
	wait_for_irq(read_once(&last) == VTIMER);
	ucall(2);
	return 0;
}
