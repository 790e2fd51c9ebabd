// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest that programs its GIC with garbage (selftests/vgic_fuzz.c), from
 * a seeded generator: guest_arg(0) the seed, (1) the iterations, (2) the
 * number of INTIDs.
 *
 * vCPU 0 makes random accesses (1, 2, 4 or 8 bytes, aligned, read or write,
 * random values; and ldp/stp pairs, which carry no syndrome and which the
 * module decodes) anywhere in the distributor and in both redistributors,
 * writes random ICC_SGI1R/ASGI1R/SGI0R values and CPU-interface registers,
 * acknowledges and deactivates random INTIDs.  It keeps a model of what the
 * architecture (and the module's documented choices: vgic_mmio.c) says the
 * configuration registers hold, and checks every read it makes against it:
 * group, enable, priority (5 bits), configuration, routing, GICD_CTLR, the
 * ID registers, RAZ/WI for reserved offsets, unsupported sizes and INTIDs
 * that do not exist.  vCPU 1 meanwhile takes whatever interrupts come,
 * sends random SGIs and scrambles its own CPU interface; the test raises
 * random lines.  Then both clean up and check that the GIC still works.
 */
#include "test.h"

#define MAX_IRQS	1024
#define DIST		VIRT_GIC_DIST_BASE
#define PRIO_MASK	0xf8
#define ROUTE_MASK	0xff00ffffffUL
#define TIMEOUT_S	60

/* The configuration a read must find (vCPU 0 is the only writer). */
static struct {
	u8 prio[MAX_IRQS];
	u8 enabled[MAX_IRQS];
	u8 group1[MAX_IRQS];
	u8 edge[MAX_IRQS];
	u64 route[MAX_IRQS];
	u8 pprio[2][32];		/* SGIs and PPIs, per redistributor */
	u8 penabled[2][32];
	u8 pgroup1[2][32];
	u32 ctlr;			/* GICD_CTLR's group enables */
	u32 typer, iidr, pidr2;
} m;

static u32 nr_irqs, nr_reads, nr_writes, nr_checked, pmr_mask;
static u64 rng;
static u32 fuzzing = 1, ready[2], clean, sgi_done;
static u32 taken[2], got_sgi2;

static u64 rand64(void)
{
	return xorshift64s(&rng);
}

static u32 rand_below(u32 n)
{
	return (rand64() >> 32) % n;
}

void irq_handler(void)
{
	u32 intid = gic_ack();

	if (intid >= 1020)
		return;
	gic_eoi(intid);
	taken[this_cpu()]++;
	if (intid == 2 && this_cpu() == 1)
		got_sgi2 = 1;
}

void fiq_handler(void)
{
	u32 intid = gic_ack0();

	if (intid >= 1020)
		return;
	gic_eoi0(intid);
	taken[this_cpu()]++;
}

static u64 mmio_read(u64 addr, u32 len)
{
	switch (len) {
	case 1:
		return readb(addr);
	case 2:
		return readw(addr);
	case 4:
		return readl(addr);
	default:
		return readq(addr);
	}
}

static void mmio_write(u64 addr, u32 len, u64 val)
{
	switch (len) {
	case 1:
		writeb(val, addr);
		break;
	case 2:
		writew(val, addr);
		break;
	case 4:
		writel(val, addr);
		break;
	default:
		writeq(val, addr);
		break;
	}
}

enum family { NONE, GROUP, SENABLE, CENABLE, SPEND, CPEND, SACTIVE, CACTIVE, PRIO, CFG };

/* Which per-interrupt register family @off (frame offset) is in. */
static enum family family(u32 off, u32 *first, u32 *bits)
{
	static const struct { u32 off; u32 bits; enum family f; } regs[] = {
		{ GICD_IGROUPR, 1, GROUP }, { GICD_ISENABLER, 1, SENABLE },
		{ GICD_ICENABLER, 1, CENABLE }, { GICD_ISPENDR, 1, SPEND },
		{ GICD_ICPENDR, 1, CPEND }, { GICD_ISACTIVER, 1, SACTIVE },
		{ GICD_ICACTIVER, 1, CACTIVE }, { GICD_IPRIORITYR, 8, PRIO },
		{ GICD_ICFGR, 2, CFG },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		if (off >= regs[i].off && off < regs[i].off + MAX_IRQS * regs[i].bits / 8) {
			*first = (off - regs[i].off) * 8 / regs[i].bits;
			*bits = regs[i].bits;
			return regs[i].f;
		}
	}
	return NONE;
}

/* Does INTID @intid exist in this frame (@cpu: a redistributor, or -1)? */
static bool exists(int cpu, u32 intid)
{
	if (cpu >= 0)
		return intid < 32;
	return intid >= 32 && intid < nr_irqs && intid < 1020;
}

/* The model's value of field @f of @intid; pending and active: -1, unknown. */
static int model_field(int cpu, enum family f, u32 intid)
{
	switch (f) {
	case GROUP:
		return cpu >= 0 ? m.pgroup1[cpu][intid] : m.group1[intid];
	case SENABLE:
	case CENABLE:
		return cpu >= 0 ? m.penabled[cpu][intid] : m.enabled[intid];
	case PRIO:
		return cpu >= 0 ? m.pprio[cpu][intid] : m.prio[intid];
	case CFG:
		if (cpu >= 0)
			return intid < 16 ? 2 : 0;	/* SGIs edge, PPIs level: fixed */
		return m.edge[intid] ? 2 : 0;
	default:
		return -1;
	}
}

static void model_write_field(int cpu, enum family f, u32 intid, u32 v)
{
	switch (f) {
	case GROUP:
		if (cpu >= 0)
			m.pgroup1[cpu][intid] = v;
		else
			m.group1[intid] = v;
		break;
	case SENABLE:
	case CENABLE:
		if (!v)
			break;
		if (cpu >= 0)
			m.penabled[cpu][intid] = f == SENABLE;
		else
			m.enabled[intid] = f == SENABLE;
		break;
	case PRIO:
		if (cpu >= 0)
			m.pprio[cpu][intid] = v & PRIO_MASK;
		else
			m.prio[intid] = v & PRIO_MASK;
		break;
	case CFG:
		if (cpu < 0)
			m.edge[intid] = !!(v & 2);
		break;
	default:
		break;
	}
}

/*
 * The model's part of an access of @len bytes at @off of a frame (@cpu: a
 * redistributor's SGI frame, or -1: the distributor) to a per-interrupt
 * register: a write updates it, a read (@got) is checked against it.
 */
static void irq_reg(int cpu, u32 off, u32 len, bool write, u64 val, u64 got)
{
	u32 first = 0, bits = 1, i, nr, mask;
	enum family f = family(off, &first, &bits);

	/* Words everywhere, bytes for the priorities; anything else RAZ/WI. */
	if (f == NONE || (len != 4 && !(len == 1 && f == PRIO))) {
		if (!write)
			GUEST_ASSERT_EQ(got, 0);
		return;
	}
	nr = len * 8 / bits;
	mask = (1U << bits) - 1;
	for (i = 0; i < nr; i++) {
		u32 intid = first + i, field = (got >> (i * bits)) & mask;
		int want;

		if (write) {
			if (exists(cpu, intid))
				model_write_field(cpu, f, intid, (val >> (i * bits)) & mask);
			continue;
		}
		want = exists(cpu, intid) ? model_field(cpu, f, intid) : 0;
		if (want >= 0 && (u32)want != field)
			printf("frame %d offset 0x%x: INTID %u field %u, model %d\n",
			       cpu, off, intid, field, want);
		if (want >= 0)
			GUEST_ASSERT_EQ(field, want);
		nr_checked++;
	}
}

static void irouter(u32 off, u32 len, bool write, u64 val, u64 got)
{
	u32 intid = (off - GICD_IROUTER) / 8, shift = (off & 4) * 8;
	bool real = exists(-1, intid) && (len == 8 || len == 4);
	u64 mask = len == 8 ? ~0UL : 0xffffffffUL << shift;

	if (write) {
		if (real)
			m.route[intid] = (m.route[intid] & ~mask) | ((val << shift) & mask &
								    ROUTE_MASK);
		return;
	}
	GUEST_ASSERT_EQ(got, real ? (m.route[intid] & mask) >> shift : 0);
	nr_checked++;
}

static void dist_model(u32 off, u32 len, bool write, u64 val, u64 got)
{
	u32 first, bits;
	u64 want = 0;

	if (family(off, &first, &bits) != NONE) {
		irq_reg(-1, off, len, write, val, got);
		return;
	}
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * MAX_IRQS) {
		irouter(off, len, write, val, got);
		return;
	}
	if (write) {
		if (off == GICD_CTLR && len == 4)
			m.ctlr = val & (GICD_CTLR_GRP0 | GICD_CTLR_GRP1);
		return;
	}
	if (len == 4 && off == GICD_CTLR)
		want = GICD_CTLR_DS | GICD_CTLR_ARE | m.ctlr;
	else if (len == 4 && off == GICD_TYPER)
		want = m.typer;
	else if (len == 4 && off == GICD_IIDR)
		want = m.iidr;
	else if (len == 4 && off == GICD_PIDR2)
		want = m.pidr2;
	GUEST_ASSERT_EQ(got, want);
	nr_checked++;
}

static void redist_model(u32 cpu, u32 off, u32 len, bool write, u64 val, u64 got)
{
	u64 typer = (u64)cpu << 32 | cpu << 8 | (cpu ? GICR_TYPER_LAST : 0), want = 0;

	if (off >= GICR_SGI_BASE) {
		irq_reg(cpu, off - GICR_SGI_BASE, len, write, val, got);
		return;
	}
	if (write)
		return;		/* nothing writable here */
	if (off == GICR_TYPER && len == 8)
		want = typer;
	else if ((off == GICR_TYPER || off == GICR_TYPER + 4) && len == 4)
		want = (typer >> ((off - GICR_TYPER) * 8)) & 0xffffffff;
	else if (off == GICR_IIDR && len == 4)
		want = m.iidr;
	else if (off == GICR_PIDR2 && len == 4)
		want = m.pidr2;
	GUEST_ASSERT_EQ(got, want);
	nr_checked++;
}

/* The model's view of an access at @addr, in the distributor or a redistributor. */
static void model(u64 addr, u32 len, bool write, u64 val, u64 got)
{
	u64 rd = addr - VIRT_GIC_REDIST_BASE;

	if (addr - DIST < VIRT_GIC_DIST_SIZE)
		dist_model(addr - DIST, len, write, val, got);
	else
		redist_model(rd / VIRT_GIC_REDIST_STRIDE, rd % VIRT_GIC_REDIST_STRIDE, len, write,
			     val, got);
}

/* One load or store (ldr/str: a syndrome the module decodes from ESR). */
static void access(u64 addr, u32 len, bool write, u64 val)
{
	u64 got = 0;

	if (write)
		mmio_write(addr, len, val);
	else
		got = mmio_read(addr, len);
	model(addr, len, write, val, got);
}

/* A pair, ldp/stp of words or doublewords: no syndrome, the module decodes it. */
static void pair(u64 addr, u32 len, bool write, u64 v0, u64 v1)
{
	u64 g0 = 0, g1 = 0;

	if (write && len == 4)
		asm volatile("stp %w0, %w1, [%2]" : : "rZ" (v0), "rZ" (v1), "r" (addr) : "memory");
	else if (write)
		asm volatile("stp %x0, %x1, [%2]" : : "rZ" (v0), "rZ" (v1), "r" (addr) : "memory");
	else if (len == 4)
		asm volatile("ldp %w0, %w1, [%2]" : "=&r" (g0), "=&r" (g1) : "r" (addr) : "memory");
	else
		asm volatile("ldp %x0, %x1, [%2]" : "=&r" (g0), "=&r" (g1) : "r" (addr) : "memory");
	model(addr, len, write, v0, g0);
	model(addr + len, len, write, v1, g1);
}

/*
 * An address worth trying in a frame at @base of @size, for @n accesses of
 * @len bytes: often a register that exists; always aligned, inside.
 */
static u64 pick(u64 base, u32 size, u32 len, u32 n)
{
	static const u32 hot[] = { 0x0000, 0x0080, 0x0100, 0x0400, 0x0c00, 0x6000, 0x0008,
				   0xffe8 };
	u32 off;

	if (rand_below(4))
		off = hot[rand_below(ARRAY_SIZE(hot))] + rand_below(0x800) +
		      (size > 0x10000 && rand_below(2) ? GICR_SGI_BASE : 0);
	else
		off = rand_below(size);
	off = (off % (size - n * len + 1)) & ~(len - 1);
	return base + off;
}

/* Mostly values that mean something: all or nothing, one vCPU's affinity. */
static u64 rand_value(void)
{
	switch (rand_below(8)) {
	case 0:
		return 0;
	case 1:
		return ~0UL;
	case 2:
		return rand_below(2);		/* Aff0 0 or 1 */
	default:
		return rand64();
	}
}

/*
 * ICC_BPR1_EL1 gets only its BinaryPoint field: QEMU 7.2 clamps a write to
 * the minimum before it drops the RES0 bits, so a value such as 8 leaves
 * VBPR1 at 0 and the next priority check aborts QEMU (icv_gprio_mask():
 * "Assertion `bpr > 0' failed").  Hardware ignores RES0 bits; this keeps the
 * test about our vGIC, not about that emulator bug.
 */
static u64 bpr1_value(u64 val)
{
	return val & 7;
}

static u64 rand_frame(u32 *size)
{
	u32 k = rand_below(3);

	*size = k ? VIRT_GIC_REDIST_STRIDE : VIRT_GIC_DIST_SIZE;
	return k ? gic_redist(k - 1) : DIST;
}

/* One random thing vCPU 0 does to the GIC. */
static void fuzz_one(void)
{
	u32 len = 1U << rand_below(4), op = rand_below(16), size;
	bool write = rand_below(2);
	u64 val = rand_value(), base = rand_frame(&size);

	if (write)
		nr_writes++;
	else
		nr_reads++;
	if (op < 11) {
		access(pick(base, size, len, 1), len, write, val);
	} else if (op == 11) {
		len = rand_below(2) ? 4 : 8;
		pair(pick(base, size, len, 2), len, write, val, rand_value());
	} else if (op == 12) {
		switch (rand_below(3)) {
		case 0:
			gic_write_sgi1r(val);
			break;
		case 1:
			write_sysreg_s(val, "S3_0_C12_C11_6");	/* ICC_ASGI1R_EL1 */
			break;
		default:
			write_sysreg_s(val, "S3_0_C12_C11_7");	/* ICC_SGI0R_EL1 */
			break;
		}
	} else if (op == 13) {
		u32 pmr = rand64() & 0xff;

		gic_set_pmr(pmr);
		GUEST_ASSERT_EQ(read_sysreg_s("S3_0_C4_C6_0"), pmr & pmr_mask);
		write_sysreg_s(bpr1_value(val), "S3_0_C12_C12_3");	/* ICC_BPR1_EL1 */
		write_sysreg_s(val, "S3_0_C12_C8_3");		/* ICC_BPR0_EL1 */
		write_sysreg_s(val & 3, "S3_0_C12_C12_4");	/* ICC_CTLR_EL1 */
		gic_set_igrpen(val & 1, val & 2);
	} else if (op == 14) {
		u32 intid = gic_ack();		/* whatever is there, now active */

		if (rand_below(2) && intid < 1020)
			gic_eoi(intid);
		gic_deactivate(rand_below(1024));
		gic_eoi(rand_below(1024));
	} else {
		write_sysreg_s(rand_below(4) ? 0 : val, "S3_0_C12_C9_0");	/* ICC_AP1R0_EL1 */
		write_sysreg_s(rand_below(4) ? 0 : val, "S3_0_C12_C8_4");	/* ICC_AP0R0_EL1 */
		isb();
	}
}

/* Every interrupt of this vCPU and the distributor inactive, not pending, off. */
static void clean_up(u32 cpu)
{
	u64 sgi = gic_redist(cpu) + GICR_SGI_BASE;
	u32 i;

	writel(~0U, sgi + GICD_ICENABLER);
	writel(~0U, sgi + GICD_ICPENDR);
	writel(~0U, sgi + GICD_ICACTIVER);
	for (i = 32; i < nr_irqs; i += 32) {
		writel(~0U, DIST + GICD_ICENABLER + i / 8);
		writel(~0U, DIST + GICD_ICPENDR + i / 8);
		writel(~0U, DIST + GICD_ICACTIVER + i / 8);
	}
	write_sysreg_s(0, "S3_0_C12_C9_0");		/* ICC_AP1R0_EL1 */
	write_sysreg_s(0, "S3_0_C12_C8_4");		/* ICC_AP0R0_EL1 */
	write_sysreg_s(0, "S3_0_C12_C12_3");		/* BPR1: the minimum */
	write_sysreg_s(0, "S3_0_C12_C8_3");
	gic_set_eoimode(false);
	gic_set_pmr(0xff);
	gic_set_igrpen(true, true);
}

static void setup(u32 cpu)
{
	if (cpu == 0)
		gic_init();
	gic_cpu_init();
	gic_set_igrpen(true, true);
}

/* After the fuzzing: self-SGI, an SPI from the test, an SGI to vCPU 1. */
static void sanity(void)
{
	u32 n = taken[0];

	writel(GICD_CTLR_ARE | GICD_CTLR_GRP0 | GICD_CTLR_GRP1, DIST + GICD_CTLR);
	gic_set_priority(1, 0x80);
	gic_set_group(1, true);
	gic_irq_enable(1);
	gic_send_sgi(1, 0);
	wait_for_irq(taken[0] == n + 1);
	local_irq_disable();
	gic_set_priority(100, 0x80);
	gic_set_group(100, true);
	gic_set_edge(100, true);
	gic_route(100, 0);
	gic_irq_enable(100);
	ucall(2);				/* the test raises SPI 100 */
	wait_for_irq(taken[0] == n + 2);
	local_irq_disable();
	GUEST_ASSERT(!gic_is_pending(100) && !gic_is_active(100));
	gic_send_sgi(2, 1);
	GUEST_ASSERT(flag_wait(&sgi_done, TIMEOUT_S));
	GUEST_ASSERT_EQ(taken[0], n + 2);
}

int main(void)
{
	u32 i, iterations = guest_arg(1);

	rng = guest_arg(0) * 2 + 1;
	nr_irqs = guest_arg(2);
	setup(0);
	pmr_mask = (0xff00 >> (((read_sysreg_s("S3_0_C12_C12_4") >> 8) & 7) + 1)) & 0xff;
	m.ctlr = GICD_CTLR_GRP0 | GICD_CTLR_GRP1;
	m.typer = readl(DIST + GICD_TYPER);
	m.iidr = readl(DIST + GICD_IIDR);
	m.pidr2 = readl(DIST + GICD_PIDR2);
	GUEST_ASSERT_EQ(m.typer & 0x1f, nr_irqs / 32 - 1);
	for (i = 0; i < MAX_IRQS; i++)
		m.group1[i] = 1;
	for (i = 0; i < 32; i++) {
		m.pgroup1[0][i] = 1;
		m.pgroup1[1][i] = 1;
	}
	flag_set(&ready[0]);
	GUEST_ASSERT(flag_wait(&ready[1], TIMEOUT_S));

	for (i = 0; i < iterations; i++)
		fuzz_one();
	printf("%u reads (%u fields checked), %u writes; vCPU 1 took %u interrupts\n",
	       nr_reads, nr_checked, nr_writes, taken[1]);
	ucall(1);				/* the test stops its lines */
	write_once(&fuzzing, 0);
	GUEST_ASSERT(flag_wait(&clean, TIMEOUT_S));
	clean_up(0);
	sanity();
	return 0;
}

/* vCPU 1: interrupts taken as they come, random SGIs, its own CPU interface. */
void secondary_main(u64 cpu)
{
	rng = guest_arg(0) * 2 + 3;
	setup(cpu);
	local_irq_enable();
	flag_set(&ready[1]);
	while (read_once(&fuzzing)) {
		u64 val = rand_value();

		switch (rand_below(4)) {
		case 0:
			gic_write_sgi1r(val);
			break;
		case 1:
			gic_set_pmr(rand_below(4) ? 0xff : rand64());
			break;
		case 2:
			write_sysreg_s(bpr1_value(val), "S3_0_C12_C12_3");	/* ICC_BPR1_EL1 */
			break;
		default:
			readl(DIST + (rand_below(VIRT_GIC_DIST_SIZE) & ~3U));
			break;
		}
	}
	/* vCPU 0 stopped fuzzing: clean up, then its SGI 2 must arrive. */
	local_irq_disable();
	clean_up(1);
	got_sgi2 = 0;
	gic_set_priority(2, 0x80);
	gic_set_group(2, true);
	gic_irq_enable(2);
	flag_set(&clean);
	wait_for_irq(got_sgi2);
	flag_set(&sgi_done);
}
