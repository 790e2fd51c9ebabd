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
 * The interrupt benchmarks time a round themselves: the GIC's distributor
 * read in the kernel, acknowledge + EOI of a pending SGI, an IPI to vCPU 1
 * (spinning in the guest on the other host CPU: the hypervisor has to kick
 * it out) until its handler runs, and the virtual timer's interrupt latency
 * past its deadline (the guest spinning, or in WFI).
 * Last, the cost of touching RAM for the first time, once (iterations =
 * pages).  Run it with two vCPUs and a GIC (a64vm -c 2).  With -p bench.touch
 * it only times the first touch of 2 MiB ranges, with -p bench.touch4k that
 * of 4 KiB pages (one vCPU is enough).  With -p bench.loop=NAME it runs
 * benchmark NAME for ever, untimed, or with bench.loop=touch touches 256 MiB
 * (-m 300 or more) a 4 KiB page at a time (scripts/profile-exit).
 */
#include "guest.h"

#define ITERATIONS	1000
#define ROUNDS		5

#define UART_FR		(VIRT_UART_BASE + 0x18)
#define UART_ILPR	(VIRT_UART_BASE + 0x20)	/* IrDA low-power divisor: harmless */

#define IPI_SGI		1		/* vCPU 0 -> vCPU 1 */
#define EOI_SGI		2		/* vCPU 0 -> itself, acknowledged by hand */
#define VTIMER_PPI	27
#define TIMER_DELTA	1000		/* ticks from arming to the deadline */

static u32 ipi_count;			/* vCPU 1's handler counts the IPIs */
static u32 vcpu1_up;
static u32 vcpu1_spin;			/* vCPU 0 -> 1: spin (else wait in WFI) */
static u32 vcpu1_spinning;		/* vCPU 1 -> 0: it does */
static u32 timer_fired;
static u64 timer_cval, timer_latency;	/* handler: ticks past the deadline */

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

/* Emulated in the kernel by both hypervisors. */
static void vgic_read(u64 i)
{
	(void)i;
	readl(VIRT_GIC_DIST_BASE + GICD_TYPER);
}

void irq_handler(void)
{
	u32 intid = gic_ack();

	if (intid == VTIMER_PPI) {
		timer_latency += read_cntvct() - timer_cval;
		write_sysreg_s(3, "cntv_ctl_el0");	/* masked: the line goes down */
		write_once(&timer_fired, 1);
	} else if (intid == IPI_SGI) {
		write_once(&ipi_count, read_once(&ipi_count) + 1);
	}
	gic_eoi(intid);
}

/* Acknowledge and EOI of an SGI already pending (sent with IRQs masked). */
static u64 eoi_round(void)
{
	u64 ticks = 0, t0;
	unsigned int i;

	local_irq_disable();
	for (i = 0; i < ITERATIONS; i++) {
		gic_send_sgi(EOI_SGI, read_mpidr());
		t0 = read_cntvct();
		gic_eoi(gic_ack());
		ticks += read_cntvct() - t0;
	}
	local_irq_enable();
	return ticks;
}

/* One SGI to vCPU 1, and wait until its handler has counted it. */
static void ipi(void)
{
	u32 want = read_once(&ipi_count) + 1;

	gic_send_sgi(IPI_SGI, 1);
	while (read_once(&ipi_count) != want)
		;
}

/*
 * SGIs to vCPU 1, spinning in the guest (so on the other host CPU, out of
 * the scheduler's way), each until its handler has counted it.
 */
static u64 ipi_round(void)
{
	unsigned int i;
	u64 start;

	write_once(&vcpu1_spin, 1);
	ipi();				/* out of its WFI, into its spin */
	while (!read_once(&vcpu1_spinning))
		;
	start = read_cntvct();
	for (i = 0; i < ITERATIONS; i++)
		ipi();
	start = read_cntvct() - start;
	write_once(&vcpu1_spin, 0);
	return start;
}

/* The virtual timer armed TIMER_DELTA ahead; ticks past the deadline, summed. */
static u64 timer_round(bool wfi)
{
	unsigned int i;

	timer_latency = 0;
	for (i = 0; i < ITERATIONS; i++) {
		write_once(&timer_fired, 0);
		timer_cval = read_cntvct() + TIMER_DELTA;
		write_sysreg_s(timer_cval, "cntv_cval_el0");
		write_sysreg_s(1, "cntv_ctl_el0");
		isb();
		if (wfi)
			wait_for_irq(read_once(&timer_fired));
		else
			while (!read_once(&timer_fired))
				;
	}
	return timer_latency;
}

static u64 vtimer_spin_round(void)
{
	return timer_round(false);
}

static u64 vtimer_wfi_round(void)
{
	return timer_round(true);
}

static const struct bench {
	const char *name;
	void (*op)(u64 i);		/* timed ITERATIONS times, or */
	u64 (*round)(void);		/* times a round itself */
} benches[] = {
	{ .name = "hvc_kernel", .op = hvc_kernel },
	{ .name = "hvc_user", .op = hvc_user },
	{ .name = "mmio_read", .op = mmio_read },
	{ .name = "mmio_write", .op = mmio_write },
	{ .name = "sysreg", .op = sysreg },
	{ .name = "vgic_read", .op = vgic_read },
	{ .name = "eoi", .round = eoi_round },
	{ .name = "ipi", .round = ipi_round },
	{ .name = "vtimer_latency", .round = vtimer_spin_round },
	{ .name = "vtimer_latency_wfi", .round = vtimer_wfi_round },
};

/*
 * One store every @stride bytes of 32 MiB the guest has not used yet: from
 * 2 MiB into RAM (past this image) up, 2 MiB aligned, below the DTB for any
 * -m of 36 MiB or more.  A pinned slot was mapped when a64vm gave it; else
 * each page (4 KiB, or a 2 MiB range the host backs with a huge page) is
 * mapped at its first stage-2 fault.  Only once: a second pass finds them
 * mapped.
 */
#define TOUCH_BASE	(VIRT_RAM_BASE + 0x200000)
#define TOUCH_SIZE	0x2000000
#define SZ_4K		0x1000
#define SZ_2M		0x200000

static u64 first_touch(u64 stride)
{
	u64 start = read_cntvct();
	u64 off;

	for (off = 0; off < TOUCH_SIZE; off += stride)
		writel(0, TOUCH_BASE + off);
	return read_cntvct() - start;
}

/* A benchmark timed once: @iterations pages (ranges) in @ticks. */
static void print_once(const char *name, u64 iterations, u64 ticks)
{
	printf("bench name=%s iterations=%lu best=%lu median=%lu\n", name,
	       (unsigned long)iterations, (unsigned long)ticks, (unsigned long)ticks);
}

/*
 * -p bench.touch: one store per 2 MiB range (RAM backed by transparent
 * huge pages: one fault per range), then one per 4 KiB page, untimed, so
 * that all 32 MiB are touched whatever backs them (make bench also reads
 * a64vm's resident memory after this run).
 */
static int touch_main(void)
{
	u64 ticks = first_touch(SZ_2M);

	first_touch(SZ_4K);
	print_once("first_touch_thp_2m", TOUCH_SIZE / SZ_2M, ticks);
	printf("bench: done\n");
	return 0;
}

/* -p bench.touch4k: only the first touch of each 4 KiB page (RAM under --no-thp). */
static int touch4k_main(void)
{
	print_once("first_touch_4k", TOUCH_SIZE / SZ_4K, first_touch(SZ_4K));
	printf("bench: done\n");
	return 0;
}

/*
 * Is @word in the DTB's blob (in /chosen/bootargs: a64vm -p)?  A plain
 * search of the whole blob, enough for the benchmark's own switches.
 * Return: the byte after it in the blob (a NUL or a space ends a word of
 * the command line), NULL if it is not there.
 */
static const u8 *boot_arg(const char *word)
{
	const u8 *dtb = (const u8 *)boot_dtb;
	u64 size, i, j;

	if (!dtb)
		return NULL;
	size = (u64)dtb[4] << 24 | dtb[5] << 16 | dtb[6] << 8 | dtb[7];	/* totalsize */
	for (i = 0; i < size; i++) {
		for (j = 0; word[j] && i + j < size && dtb[i + j] == (u8)word[j]; j++)
			;
		if (!word[j])
			return &dtb[i + j];
	}
	return NULL;
}

#define LOOP_TOUCH_SIZE	0x10000000U

/*
 * -p bench.loop=NAME: benchmark NAME's operation (or round) for ever; with
 * NAME touch, one store per 4 KiB page of LOOP_TOUCH_SIZE, then done.
 * scripts/profile-exit looks at a window of it.
 */
static int loop_main(void)
{
	char arg[40] = "bench.loop=";
	unsigned int b;
	const u8 *end;
	u64 i;

	for (b = 0; b < ARRAY_SIZE(benches); b++) {
		const char *c = benches[b].name;
		unsigned int k = 11;	/* strlen("bench.loop=") */

		while (*c && k < sizeof(arg) - 1)
			arg[k++] = *c++;
		arg[k] = '\0';
		end = boot_arg(arg);
		if (!end || (*end && *end != ' '))	/* the whole name */
			continue;
		printf("bench: looping %s\n", benches[b].name);
		for (i = 0;; i++)
			if (benches[b].round)
				benches[b].round();
			else
				benches[b].op(i);
	}
	printf("bench: touching %u MiB\n", LOOP_TOUCH_SIZE >> 20);
	for (i = 0; i < LOOP_TOUCH_SIZE; i += SZ_4K)
		writel(0, TOUCH_BASE + i);
	printf("bench: done\n");
	return 0;
}

static u64 time_round(const struct bench *b)
{
	u64 start = read_cntvct();
	u64 i;

	if (b->round)
		return b->round();
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

/* vCPU 1: takes the IPIs, in WFI but while vCPU 0 asks it to spin. */
void secondary_main(u64 cpu)
{
	(void)cpu;
	gic_cpu_init();
	gic_irq_enable(IPI_SGI);
	local_irq_enable();
	flag_set(&vcpu1_up);
	for (;;) {
		wait_for_irq(read_once(&vcpu1_spin));
		write_once(&vcpu1_spinning, 1);
		while (read_once(&vcpu1_spin))
			;
		write_once(&vcpu1_spinning, 0);
	}
}

int main(void)
{
	u64 ticks[ROUNDS];
	unsigned int b, r;

	if (boot_arg("bench.loop="))
		return loop_main();
	if (boot_arg("bench.touch4k"))
		return touch4k_main();
	if (boot_arg("bench.touch"))
		return touch_main();
	gic_init();
	gic_cpu_init();
	gic_irq_enable(EOI_SGI);
	gic_irq_enable(VTIMER_PPI);
	local_irq_enable();
	if (psci_cpu_on(1, (u64)secondary_entry, 1) != PSCI_SUCCESS || !flag_wait(&vcpu1_up, 10)) {
		printf("bench: vCPU 1 did not start: run with -c 2\n");
		return 1;
	}

	for (b = 0; b < ARRAY_SIZE(benches); b++) {
		/*
		 * Under -icount QEMU runs its CPUs round-robin: an IPI to a
		 * spinning vCPU waits for the end of a 100 ms time slice, so
		 * make bench leaves it out there (-p bench.noipi).
		 */
		if (benches[b].round == ipi_round && boot_arg("bench.noipi")) {
			printf("bench name=ipi skipped (bench.noipi)\n");
			continue;
		}
		time_round(&benches[b]);	/* warm-up */
		for (r = 0; r < ROUNDS; r++)
			ticks[r] = time_round(&benches[b]);
		sort(ticks, ROUNDS);
		printf("bench name=%s iterations=%d best=%lu median=%lu\n", benches[b].name,
		       ITERATIONS, (unsigned long)ticks[0], (unsigned long)ticks[ROUNDS / 2]);
	}
	/* make bench runs this with RAM under a64vm --no-thp: 4 KiB pages. */
	print_once("first_touch_4k", TOUCH_SIZE / SZ_4K, first_touch(SZ_4K));
	printf("bench: done\n");
	return 0;
}
