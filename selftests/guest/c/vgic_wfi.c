// SPDX-License-Identifier: GPL-2.0-only
/*
 * WFI and what ends it (selftests/vgic_wfi.c); the scenario is guest_arg(0).
 * Each WFI here is one instruction with IRQs masked: the module must not
 * end it before an interrupt is pending (or a signal stops the run).
 */
#include "test.h"

#define TIMER		0
#define SGI		1
#define SPI		2
#define SIGNAL		3
#define MASKED		4

#define PPI_VTIMER	27
#define PPI_PTIMER	30
#define SGI_WAKE	2
#define SPI_WAKE	40
#define SPI_MASKED	41	/* priority 0xc0, under a PMR of 0x80 */
#define TIMEOUT_S	20

static u32 got[2][64];
static u32 ready[2], done[2];

void irq_handler(void)
{
	u32 intid = gic_ack();

	GUEST_ASSERT(intid < 64);
	got[this_cpu()][intid]++;
	if (intid == PPI_VTIMER)
		write_sysreg_s(0, "cntv_ctl_el0");
	if (intid == PPI_PTIMER)
		write_sysreg_s(0, "cntp_ctl_el0");
	gic_eoi(intid);
}

static void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

/* One WFI with IRQs masked; returns once @intid is pending, then takes it. */
static void wfi_for(u32 intid)
{
	u32 cpu = this_cpu();

	wfi();
	GUEST_ASSERT_EQ(gic_hppir(), intid);
	local_irq_enable();
	while (!read_once(&got[cpu][intid]))
		;
	local_irq_disable();
}

static void timers(void)
{
	u64 ms = read_cntfrq() / 1000;

	gic_irq_enable(PPI_VTIMER);
	gic_irq_enable(PPI_PTIMER);
	write_sysreg_s(10 * ms, "cntv_tval_el0");
	write_sysreg_s(1, "cntv_ctl_el0");
	isb();
	wfi_for(PPI_VTIMER);
	write_sysreg_s(10 * ms, "cntp_tval_el0");
	write_sysreg_s(1, "cntp_ctl_el0");
	isb();
	wfi_for(PPI_PTIMER);
}

static void sgi(u32 cpu)
{
	gic_irq_enable(SGI_WAKE);
	flag_set(&ready[cpu]);
	if (cpu == 1) {
		wfi_for(SGI_WAKE);
		flag_set(&done[1]);
		return;
	}
	GUEST_ASSERT(flag_wait(&ready[1], TIMEOUT_S));
	ucall(1);		/* the test sees vCPU 1 asleep */
	gic_send_sgi(SGI_WAKE, 1);
	GUEST_ASSERT(flag_wait(&done[1], TIMEOUT_S));
}

int main(void)
{
	u32 scenario = guest_arg(0);

	gic_init();
	gic_cpu_init();
	gic_set_edge(SPI_WAKE, true);
	gic_set_edge(SPI_MASKED, true);
	switch (scenario) {
	case TIMER:
		timers();
		break;
	case SGI:
		sgi(0);
		break;
	case SPI:
		gic_irq_enable(SPI_WAKE);
		ucall(1);	/* the test raises the SPI once we sleep */
		wfi_for(SPI_WAKE);
		break;
	case SIGNAL:
		ucall(1);	/* the test signals the thread once we sleep */
		wfi();		/* nothing can end it: only the signal stops the run */
		ucall(2);
		break;
	case MASKED:
		gic_set_priority(SPI_WAKE, 0x40);
		gic_set_priority(SPI_MASKED, 0xc0);
		gic_irq_enable(SPI_MASKED);
		gic_set_pmr(0x80);
		ucall(1);	/* disabled or masked: neither ends the WFI */
		wfi_for(SPI_WAKE);	/* until the test enables SPI_WAKE */
		GUEST_ASSERT(gic_is_pending(SPI_MASKED));
		GUEST_ASSERT(!got[0][SPI_MASKED]);
		ucall(2);
		break;
	}
	return 0;
}

void secondary_main(u64 cpu)
{
	gic_cpu_init();
	sgi(cpu);
}
