// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's device tree (dtb.h), with libfdt's read-write API.  The nodes
 * and properties are those QEMU's virt machine generates for the same
 * devices, so that a guest sees the same machine under either.  Every libfdt
 * call goes through FDT(), which keeps the first error; the sections after
 * a failure are skipped and the error is reported once, at the end.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "dtb.h"
#include "mmio.h"
#include "platform.h"

#define GIC_FDT_IRQ_TYPE_SPI		0
#define GIC_FDT_IRQ_TYPE_PPI		1
#define IRQ_TYPE_EDGE_RISING		1
#define IRQ_TYPE_LEVEL_HIGH		4

/* SMCCC function ids of PSCI 0.2 (SMC64 where there is one) */
#define PSCI_0_2_FN64_CPU_SUSPEND	0xc4000001
#define PSCI_0_2_FN_CPU_OFF		0x84000002
#define PSCI_0_2_FN64_CPU_ON		0xc4000003
#define PSCI_0_2_FN64_MIGRATE		0xc4000005

struct fdt_gen {
	void *fdt;
	int err;		/* the first libfdt error, or 0 */
	const char *what;	/* the call (or device) it came from */
};

static int fdt_check(struct fdt_gen *g, int ret, const char *what)
{
	if (ret < 0 && !g->err) {
		g->err = ret;
		g->what = what;
	}
	return ret;
}

/* Every libfdt call: returns its result, records the first failure. */
#define FDT(g, call)	fdt_check(g, (call), #call)

static void fdt_reg64(struct fdt_gen *g, int node, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	FDT(g, fdt_setprop(g->fdt, node, "reg", reg, sizeof(reg)));
}

static void add_chosen_props(struct fdt_gen *g, int node, const struct fdt_machine *m)
{
	if (m->bootargs)
		FDT(g, fdt_setprop_string(g->fdt, node, "bootargs", m->bootargs));
	if (m->initrd_size) {
		FDT(g, fdt_setprop_u64(g->fdt, node, "linux,initrd-start", m->initrd_start));
		FDT(g, fdt_setprop_u64(g->fdt, node, "linux,initrd-end",
				       m->initrd_start + m->initrd_size));
	}
}

static void add_chosen(struct fdt_gen *g, const struct fdt_machine *m)
{
	add_chosen_props(g, FDT(g, fdt_add_subnode(g->fdt, 0, "chosen")), m);
}

/*
 * Each device's hook, from the last on the bus to the first, so that their
 * nodes read in bus order: Linux probes the virtio-mmio transports in
 * address order, and the first -d disk is vda (QEMU's nodes read in address
 * order too).
 */
static void add_devices(struct fdt_gen *g, struct mmio_bus *bus)
{
	unsigned int i;

	for (i = bus ? bus->nr_dev : 0; i-- > 0 && !g->err; ) {
		struct mmio_device *dev = bus->dev[i];

		if (dev->fdt_node)
			fdt_check(g, dev->fdt_node(dev, g->fdt), dev->name);
	}
}

static void add_apb_pclk(struct fdt_gen *g)
{
	int node = FDT(g, fdt_add_subnode(g->fdt, 0, "apb-pclk"));

	FDT(g, fdt_setprop_string(g->fdt, node, "compatible", "fixed-clock"));
	FDT(g, fdt_setprop_u32(g->fdt, node, "#clock-cells", 0));
	FDT(g, fdt_setprop_u32(g->fdt, node, "clock-frequency", 24000000));
	FDT(g, fdt_setprop_string(g->fdt, node, "clock-output-names", "clk24mhz"));
	FDT(g, fdt_setprop_u32(g->fdt, node, "phandle", FDT_PHANDLE_APB_PCLK));
}

static void add_gic(struct fdt_gen *g, const struct fdt_machine *m)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(VIRT_GIC_DIST_BASE), cpu_to_fdt64(VIRT_GIC_DIST_SIZE),
		cpu_to_fdt64(VIRT_GIC_REDIST_BASE),
		cpu_to_fdt64(VIRT_GIC_REDIST_STRIDE * m->cpus),
	};
	const fdt32_t maint[] = { cpu_to_fdt32(GIC_FDT_IRQ_TYPE_PPI),
				  cpu_to_fdt32(VIRT_GIC_MAINT_PPI),
				  cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH) };
	char name[32];
	int node;

	snprintf(name, sizeof(name), "intc@%llx", VIRT_GIC_DIST_BASE);
	node = FDT(g, fdt_add_subnode(g->fdt, 0, name));
	FDT(g, fdt_setprop_string(g->fdt, node, "compatible", "arm,gic-v3"));
	FDT(g, fdt_setprop_u32(g->fdt, node, "#interrupt-cells", 3));
	FDT(g, fdt_setprop_empty(g->fdt, node, "interrupt-controller"));
	FDT(g, fdt_setprop_u32(g->fdt, node, "#address-cells", 2));
	FDT(g, fdt_setprop_u32(g->fdt, node, "#size-cells", 2));
	FDT(g, fdt_setprop_empty(g->fdt, node, "ranges"));
	FDT(g, fdt_setprop_u32(g->fdt, node, "#redistributor-regions", 1));
	FDT(g, fdt_setprop(g->fdt, node, "reg", reg, sizeof(reg)));
	FDT(g, fdt_setprop(g->fdt, node, "interrupts", maint, sizeof(maint)));
	FDT(g, fdt_setprop_u32(g->fdt, node, "phandle", FDT_PHANDLE_GIC));
}

/* Its PPIs only with a GIC: without one, nothing can take them. */
static void add_timer(struct fdt_gen *g, const struct fdt_machine *m)
{
	static const unsigned int ppi[] = {
		VIRT_TIMER_PPI_SEC_PHYS, VIRT_TIMER_PPI_PHYS,
		VIRT_TIMER_PPI_VIRT, VIRT_TIMER_PPI_HYP,
	};
	fdt32_t irqs[3 * 4];
	unsigned int i;
	int node;

	for (i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_FDT_IRQ_TYPE_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(ppi[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
	}
	node = FDT(g, fdt_add_subnode(g->fdt, 0, "timer"));
	FDT(g, fdt_setprop_string(g->fdt, node, "compatible", "arm,armv8-timer"));
	FDT(g, fdt_setprop_empty(g->fdt, node, "always-on"));
	if (m->gic)
		FDT(g, fdt_setprop(g->fdt, node, "interrupts", irqs, sizeof(irqs)));
}

static void add_psci(struct fdt_gen *g)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int node = FDT(g, fdt_add_subnode(g->fdt, 0, "psci"));

	FDT(g, fdt_setprop(g->fdt, node, "compatible", compat, sizeof(compat)));
	FDT(g, fdt_setprop_string(g->fdt, node, "method", "hvc"));
	FDT(g, fdt_setprop_u32(g->fdt, node, "cpu_suspend", PSCI_0_2_FN64_CPU_SUSPEND));
	FDT(g, fdt_setprop_u32(g->fdt, node, "cpu_off", PSCI_0_2_FN_CPU_OFF));
	FDT(g, fdt_setprop_u32(g->fdt, node, "cpu_on", PSCI_0_2_FN64_CPU_ON));
	FDT(g, fdt_setprop_u32(g->fdt, node, "migrate", PSCI_0_2_FN64_MIGRATE));
}

/* cpu@0 first: Linux numbers the secondaries in the order of their nodes. */
static void add_cpus(struct fdt_gen *g, const struct fdt_machine *m)
{
	int cpus = FDT(g, fdt_add_subnode(g->fdt, 0, "cpus"));
	unsigned int i;

	FDT(g, fdt_setprop_u32(g->fdt, cpus, "#address-cells", 1));
	FDT(g, fdt_setprop_u32(g->fdt, cpus, "#size-cells", 0));
	for (i = m->cpus; i-- > 0; ) {
		char name[16];
		int node;

		snprintf(name, sizeof(name), "cpu@%x", i);
		node = FDT(g, fdt_add_subnode(g->fdt, cpus, name));
		FDT(g, fdt_setprop_string(g->fdt, node, "device_type", "cpu"));
		FDT(g, fdt_setprop_string(g->fdt, node, "compatible", "arm,arm-v8"));
		FDT(g, fdt_setprop_u32(g->fdt, node, "reg", i));
		FDT(g, fdt_setprop_string(g->fdt, node, "enable-method", "psci"));
	}
}

static void add_memory(struct fdt_gen *g, const struct fdt_machine *m)
{
	char name[32];
	int node;

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)m->ram_base);
	node = FDT(g, fdt_add_subnode(g->fdt, 0, name));
	FDT(g, fdt_setprop_string(g->fdt, node, "device_type", "memory"));
	fdt_reg64(g, node, m->ram_base, m->ram_size);
}

static void add_root(struct fdt_gen *g)
{
	FDT(g, fdt_setprop_string(g->fdt, 0, "compatible", "linux,dummy-virt"));
	FDT(g, fdt_setprop_u32(g->fdt, 0, "#address-cells", 2));
	FDT(g, fdt_setprop_u32(g->fdt, 0, "#size-cells", 2));
}

int fdt_setprop_spi(void *fdt, int node, unsigned int spi, bool edge)
{
	const fdt32_t irq[] = { cpu_to_fdt32(GIC_FDT_IRQ_TYPE_SPI), cpu_to_fdt32(spi),
				cpu_to_fdt32(edge ? IRQ_TYPE_EDGE_RISING : IRQ_TYPE_LEVEL_HIGH) };

	if (!fdt_getprop(fdt, 0, "interrupt-parent", NULL))
		return 0;
	return fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq));
}

/**
 * fdt_generate() - build the guest's DTB
 * @buf: where
 * @size: its size; the blob is packed, so it may end up smaller
 * @m: the machine
 * @bus: the MMIO bus, whose devices add their own nodes (may be NULL)
 * @err: for the message
 * @errlen: its size
 *
 * libfdt adds a node before its siblings, so the nodes are created from the
 * last to the first: the blob reads memory, cpus, psci, timer, intc (with
 * @m->gic), apb-pclk, the devices' nodes (in bus order), chosen.  /chosen,
 * and with a GIC the root's interrupt-parent (fdt_setprop_spi()), exist
 * before the devices' hooks run, from the last device on the bus to the
 * first.  Without a GIC there is no
 * interrupts property anywhere.
 *
 * Return: 0, or -1 with one line in @err.
 */
int fdt_generate(void *buf, size_t size, const struct fdt_machine *m, struct mmio_bus *bus,
		 char *err, size_t errlen)
{
	struct fdt_gen g = { .fdt = buf };

	if (!m->cpus || VIRT_GIC_REDIST_STRIDE * m->cpus > VIRT_GIC_REDIST_LIMIT) {
		snprintf(err, errlen, "DTB: %u vCPUs: not 1 to %llu", m->cpus,
			 VIRT_GIC_REDIST_LIMIT / VIRT_GIC_REDIST_STRIDE);
		return -1;
	}

	FDT(&g, fdt_create_empty_tree(buf, size > INT_MAX ? INT_MAX : (int)size));
	if (!g.err && m->gic)
		FDT(&g, fdt_setprop_u32(buf, 0, "interrupt-parent", FDT_PHANDLE_GIC));
	if (!g.err)
		add_chosen(&g, m);
	if (!g.err)
		add_devices(&g, bus);
	if (!g.err) {
		add_apb_pclk(&g);
		if (m->gic)
			add_gic(&g, m);
		add_timer(&g, m);
		add_psci(&g);
		add_cpus(&g, m);
		add_memory(&g, m);
		add_root(&g);
		FDT(&g, fdt_pack(buf));
	}

	if (g.err == -FDT_ERR_NOSPACE)
		snprintf(err, errlen, "DTB: does not fit in %zu bytes", size);
	else if (g.err)
		snprintf(err, errlen, "DTB: %s: %s", g.what, fdt_strerror(g.err));
	return g.err ? -1 : 0;
}

/**
 * fdt_patch_chosen() - the user's DTB, with the command line's bootargs and initrd
 * @buf: where
 * @size: its size
 * @in: the user's DTB, header checked
 * @m: the machine: bootargs (if not NULL) and the initrd (if any)
 * @err: for the message
 * @errlen: its size
 *
 * Return: 0, or -1 with one line in @err.
 */
int fdt_patch_chosen(void *buf, size_t size, const void *in, const struct fdt_machine *m,
		     char *err, size_t errlen)
{
	struct fdt_gen g = { .fdt = buf };
	int chosen;

	FDT(&g, fdt_open_into(in, buf, size > INT_MAX ? INT_MAX : (int)size));
	if (!g.err) {
		chosen = fdt_path_offset(buf, "/chosen");
		if (chosen == -FDT_ERR_NOTFOUND)
			chosen = FDT(&g, fdt_add_subnode(buf, 0, "chosen"));
		else
			FDT(&g, chosen);
	}
	if (!g.err)
		add_chosen_props(&g, chosen, m);
	if (!g.err)
		FDT(&g, fdt_pack(buf));

	if (g.err == -FDT_ERR_NOSPACE)
		snprintf(err, errlen, "DTB: does not fit in %zu bytes with /chosen's additions",
			 size);
	else if (g.err)
		snprintf(err, errlen, "DTB: %s: %s", g.what, fdt_strerror(g.err));
	return g.err ? -1 : 0;
}
