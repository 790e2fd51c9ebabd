// SPDX-License-Identifier: GPL-2.0-only
/*
 * SGIs between vCPUs (selftests/vgic_sgi.c), one scenario per run, chosen by
 * guest_arg(0); guest_arg(1) is the number of vCPUs.  Every vCPU counts the
 * SGIs its handler takes and, at the end, reports the set it took (a
 * bitmap) in a ucall, after asserting it took none twice.
 */
#include "test.h"

#define TARGET_LIST	0	/* SGIs by target list, self included */
#define IRM		1	/* "all but self" */
#define ABSENT		2	/* to affinities no vCPU has */
#define GROUP0		3	/* ICC_SGI0R_EL1, a group 0 SGI as a FIQ */

#define MAX_CPUS	4
#define TIMEOUT_S	20

static u32 got[MAX_CPUS][16];		/* IRQs: group 1 */
static u32 got_fiq[MAX_CPUS][16];	/* FIQs: group 0 */
static u32 ready[MAX_CPUS], done[MAX_CPUS], step[MAX_CPUS];

void irq_handler(void)
{
	u32 intid = gic_ack();

	GUEST_ASSERT(intid < 16);
	got[this_cpu()][intid]++;
	gic_eoi(intid);
}

void fiq_handler(void)
{
	u32 intid = gic_ack0();

	GUEST_ASSERT(intid < 16);
	got_fiq[this_cpu()][intid]++;
	gic_eoi0(intid);
}

/* Each vCPU: its redistributor, every SGI enabled at priority 0x80. */
static void setup(u32 cpu, u32 nr)
{
	u32 i;

	if (!cpu)
		gic_init();
	gic_cpu_init();
	gic_set_igrpen(true, true);
	for (i = 0; i < 16; i++) {
		gic_set_priority(i, 0x80);
		gic_irq_enable(i);
	}
	local_irq_enable();
	flag_set(&ready[cpu]);
	for (i = 0; i < nr; i++)
		GUEST_ASSERT(flag_wait(&ready[i], TIMEOUT_S));
}

/* The SGIs taken: IRQs in bits 15:0, FIQs in bits 31:16. */
static u32 taken(u32 cpu)
{
	u32 i, mask = 0;

	for (i = 0; i < 16; i++) {
		GUEST_ASSERT(got[cpu][i] <= 1);
		GUEST_ASSERT(got_fiq[cpu][i] <= 1);
		if (got[cpu][i])
			mask |= 1U << i;
		if (got_fiq[cpu][i])
			mask |= 1U << (16 + i);
	}
	return mask;
}

/* The SGIs this vCPU took, to the test; then the others may finish. */
static void finish(u32 cpu, u32 nr)
{
	u32 i;

	local_irq_disable();
	ucall(taken(cpu));
	flag_set(&done[cpu]);
	for (i = 0; i < nr; i++)
		GUEST_ASSERT(flag_wait(&done[i], TIMEOUT_S));
}

static void target_list(u32 cpu)
{
	if (cpu == 0) {
		gic_send_sgi(1, 1);			/* to vCPU 1 */
		wait_for_irq(got[0][2]);		/* its answer */
		/* vCPUs 0 and 1 by one target list: self included */
		gic_write_sgi1r(SGI1R_INTID(3) | 0x3);
		wait_for_irq(got[0][3]);
	} else if (cpu == 1) {
		wait_for_irq(got[1][1]);
		gic_send_sgi(2, 0);
		wait_for_irq(got[1][3]);
	}
}

static void irm(u32 cpu, u32 nr)
{
	u32 i;

	/* vCPU 0, then the last one, send to all but themselves. */
	if (cpu == 0)
		gic_send_sgi_others(4);
	else
		wait_for_irq(got[cpu][4]);
	flag_set(&step[cpu]);
	for (i = 0; i < nr; i++)
		GUEST_ASSERT(flag_wait(&step[i], TIMEOUT_S));
	if (cpu == nr - 1)
		gic_send_sgi_others(5);
	else
		wait_for_irq(got[cpu][5]);
	/* The sender is not a target: nothing pending for it either. */
	if (cpu == 0)
		GUEST_ASSERT(!gic_is_pending(4));
	if (cpu == nr - 1)
		GUEST_ASSERT(!gic_is_pending(5));
}

static void absent(u32 cpu)
{
	if (cpu == 0) {
		/* SGI 6 is more urgent than 7: delivered anywhere, it comes first. */
		gic_write_sgi1r(SGI1R_INTID(6) | 0xfffc);		/* Aff0 2..15 */
		gic_write_sgi1r(SGI1R_INTID(6) | SGI1R_AFF1(1) | 0xffff);
		gic_write_sgi1r(SGI1R_INTID(6) | SGI1R_AFF2(1) | 0x3);
		gic_write_sgi1r(SGI1R_INTID(6) | SGI1R_AFF3(1) | 0x3);
		gic_write_sgi1r(SGI1R_INTID(6) | SGI1R_RS(1) | 0xffff);	/* Aff0 16..31 */
		gic_write_sgi1r(SGI1R_INTID(6) | SGI1R_RS(15) | 0xffff);
		gic_write_sgi1r(SGI1R_INTID(6));			/* empty list */
		gic_send_sgi(7, 1);
		GUEST_ASSERT(!gic_is_pending(6));
	} else {
		wait_for_irq(got[1][7]);
		GUEST_ASSERT(!gic_is_pending(6));
	}
}

/*
 * vCPU 1 has SGI 8 in group 0 (a FIQ), SGIs 9 and 10 in group 1.
 * ICC_SGI0R_EL1 only generates group 0 SGIs: 8 arrives, 9 does not; SGI 10
 * (ICC_SGI1R_EL1) comes after both.
 */
static void group0(u32 cpu)
{
	if (cpu == 0) {
		GUEST_ASSERT(flag_wait(&step[1], TIMEOUT_S));
		dsb_sy();
		write_sysreg_s(SGI1R_INTID(9) | 0x2, "S3_0_C12_C11_7");	/* ICC_SGI0R_EL1 */
		write_sysreg_s(SGI1R_INTID(8) | 0x2, "S3_0_C12_C11_7");
		isb();
		gic_send_sgi(10, 1);
	} else {
		gic_set_group(8, false);
		flag_set(&step[1]);
		wait_for_irq(got_fiq[1][8] && got[1][10]);
		GUEST_ASSERT(!gic_is_pending(9));
	}
}

static void run(u32 cpu)
{
	u32 nr = guest_arg(1);

	GUEST_ASSERT(nr <= MAX_CPUS);
	setup(cpu, nr);
	switch (guest_arg(0)) {
	case TARGET_LIST:
		target_list(cpu);
		break;
	case IRM:
		irm(cpu, nr);
		break;
	case ABSENT:
		absent(cpu);
		break;
	case GROUP0:
		group0(cpu);
		break;
	}
	finish(cpu, nr);
}

int main(void)
{
	run(0);
	return 0;
}

void secondary_main(u64 cpu)
{
	run(cpu);
}
