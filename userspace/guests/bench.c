// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark guest: the cost of each kind of trap, in virtual counter
 * ticks per round of ITERATIONS.  Each benchmark runs a warm-up round, then
 * ROUNDS timed rounds, and prints one line:
 *
 *   bench name=NAME iterations=1000 best=TICKS median=TICKS
 *
 * Every operation is a volatile inline asm statement (the HVCs through
 * smccc(), inline), so that the compiler can neither drop nor merge it.
 * Last, the cost of touching RAM for the first time, once (iterations =
 * pages).
 */
#include "guest.h"

#define ITERATIONS	1000
#define ROUNDS		5

#define UART_FR		(VIRT_UART_BASE + 0x18)
#define UART_ILPR	(VIRT_UART_BASE + 0x20)	/* IrDA low-power divisor: harmless */

/* Answered below userspace by both hypervisors. */
static void hvc_kernel(u64 i)
{
	smccc(SMCCC_VERSION, i, 0, 0);
}

/* Answered by a64vm in userspace; KVM answers NOT_SUPPORTED itself. */
static void hvc_user(u64 i)
{
	smccc(A64VM_HC_ECHO, i, 0, 0);
}

static void mmio_read(u64 i)
{
	(void)i;
	readl(UART_FR);
}

static void mmio_write(u64 i)
{
	(void)i;
	writel(0, UART_ILPR);
}

/* Trapped by both hypervisors (the EL1 physical timer belongs to the host). */
static void sysreg(u64 i)
{
	u64 val;

	(void)i;
	asm volatile("mrs %0, cntp_ctl_el0" : "=r" (val) : : "memory");
}

static const struct bench {
	const char *name;
	void (*op)(u64 i);
} benches[] = {
	{ "hvc_kernel", hvc_kernel },
	{ "hvc_user", hvc_user },
	{ "mmio_read", mmio_read },
	{ "mmio_write", mmio_write },
	{ "sysreg", sysreg },
};

/*
 * One store per 4 KiB page of 32 MiB the guest has not used yet: from 2 MiB
 * into RAM (past this image) up, below the DTB for any -m of 36 MiB or more.
 * a64vcpu mapped these pages when a64vm gave it its RAM; KVM maps each at
 * its first stage-2 fault.  Only once: a second pass finds them mapped.
 */
#define TOUCH_BASE	(VIRT_RAM_BASE + 0x200000)
#define TOUCH_PAGES	8192

static u64 first_touch(void)
{
	u64 start = read_cntvct();
	u64 p;

	for (p = 0; p < TOUCH_PAGES; p++)
		writel(0, TOUCH_BASE + p * 4096);
	return read_cntvct() - start;
}

static u64 time_round(const struct bench *b)
{
	u64 start = read_cntvct();
	u64 i;

	for (i = 0; i < ITERATIONS; i++)
		b->op(i);
	return read_cntvct() - start;
}

static void sort(u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		u64 x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int main(void)
{
	u64 ticks[ROUNDS];
	unsigned int b, r;

	for (b = 0; b < ARRAY_SIZE(benches); b++) {
		time_round(&benches[b]);	/* warm-up */
		for (r = 0; r < ROUNDS; r++)
			ticks[r] = time_round(&benches[b]);
		sort(ticks, ROUNDS);
		printf("bench name=%s iterations=%d best=%lu median=%lu\n", benches[b].name,
		       ITERATIONS, (unsigned long)ticks[0], (unsigned long)ticks[ROUNDS / 2]);
	}
	ticks[0] = first_touch();
	printf("bench name=first_touch_32mib iterations=%d best=%lu median=%lu\n", TOUCH_PAGES,
	       (unsigned long)ticks[0], (unsigned long)ticks[0]);
	printf("bench: done\n");
	return 0;
}
