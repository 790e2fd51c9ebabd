// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's DTB (userspace/vmm/dtb.c): generated for two
 * vCPUs, 128 MiB, a GICv3, a command line, an initrd and fake devices on
 * the MMIO bus, then read back with libfdt, node by node and value by
 * value; the same machine without a GIC; a user's DTB with /chosen patched.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dtb.h"
#include "mmio.h"
#include "platform.h"

#define DTB_SIZE	0x10000
#define FAKE_BASE	VIRT_VIRTIO_MMIO_BASE
#define FAKE_SPI	16

static int fake_fdt_node(struct mmio_device *dev, void *fdt)
{
	const fdt64_t reg[] = { cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size) };
	char name[32];
	int node, chosen, err;

	snprintf(name, sizeof(name), "%s@%llx", dev->name, (unsigned long long)dev->base);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	err = fdt_setprop_string(fdt, node, "compatible", "a64vm,fake");
	if (err)
		return err;
	err = fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
	if (err)
		return err;
	err = fdt_setprop_spi(fdt, node, FAKE_SPI, false);
	if (err)
		return err;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return chosen;
	snprintf(name, sizeof(name), "/%s@%llx", dev->name, (unsigned long long)dev->base);
	return fdt_setprop_string(fdt, chosen, "stdout-path", name);
}

static int broken_fdt_node(struct mmio_device *dev, void *fdt)
{
	return -FDT_ERR_BADVALUE;
}

FIXTURE(dtb) {
	struct fdt_machine m;
	struct mmio_bus bus;
	struct mmio_device fake, other, quiet;
	char err[128];
	uint8_t *buf;
};

FIXTURE_SETUP(dtb)
{
	self->m = (struct fdt_machine){
		.ram_base = VIRT_RAM_BASE, .ram_size = 128 << 20, .cpus = 2, .gic = true,
		.bootargs = "console=ttyAMA0 earlycon",
		.initrd_start = 0x47c00000, .initrd_size = 0x123456,
	};
	/* the bus by hand: this test is about fdt.c, not mmio.c */
	self->fake = (struct mmio_device){ .name = "fake", .base = FAKE_BASE, .size = 0x200,
					   .fdt_node = fake_fdt_node };
	self->quiet = (struct mmio_device){ .name = "quiet", .base = FAKE_BASE + 0x1000,
					    .size = 0x200 };
	self->other = (struct mmio_device){ .name = "other", .base = FAKE_BASE + 0x2000,
					    .size = 0x200, .fdt_node = fake_fdt_node };
	memset(&self->bus, 0, sizeof(self->bus));
	self->bus.dev[0] = &self->fake;
	self->bus.dev[1] = &self->quiet;
	self->bus.nr_dev = 2;
	self->err[0] = '\0';
	self->buf = calloc(1, DTB_SIZE);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(dtb)
{
	free(self->buf);
}

/* Property @name of node @path: its length in *@len; the test stops if it is missing. */
static const void *get_prop(struct __test_metadata *_metadata, const void *fdt,
			    const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);
	const void *p;

	ASSERT_LE(0, node) TH_LOG("no node %s", path);
	p = fdt_getprop(fdt, node, name, len);
	ASSERT_NE(NULL, p) TH_LOG("no %s in %s", name, path);
	return p;
}

static void expect_str(struct __test_metadata *_metadata, const void *fdt, const char *path,
		       const char *name, const char *str)
{
	int len;
	const char *s = get_prop(_metadata, fdt, path, name, &len);

	EXPECT_EQ(strlen(str) + 1, len) TH_LOG("%s:%s", path, name);
	EXPECT_STREQ(str, s) TH_LOG("%s:%s", path, name);
}

static void expect_u32(struct __test_metadata *_metadata, const void *fdt, const char *path,
		       const char *name, uint32_t val)
{
	int len;
	const fdt32_t *v = get_prop(_metadata, fdt, path, name, &len);

	EXPECT_EQ(4, len) TH_LOG("%s:%s", path, name);
	EXPECT_EQ(val, fdt32_ld(v)) TH_LOG("%s:%s", path, name);
}

static void expect_empty(struct __test_metadata *_metadata, const void *fdt, const char *path,
			 const char *name)
{
	int len;

	get_prop(_metadata, fdt, path, name, &len);
	EXPECT_EQ(0, len) TH_LOG("%s:%s", path, name);
}

/* A property of @n 64-bit cells, checked against @want. */
static void expect_u64s(struct __test_metadata *_metadata, const void *fdt, const char *path,
			const char *name, int n, const uint64_t *want)
{
	const fdt64_t *v;
	int len, i;

	v = get_prop(_metadata, fdt, path, name, &len);
	ASSERT_EQ(8 * n, len) TH_LOG("%s:%s", path, name);
	for (i = 0; i < n; i++)
		EXPECT_EQ(want[i], fdt64_ld(&v[i])) TH_LOG("%s:%s[%d]", path, name, i);
}

/* A property of @n 32-bit cells, checked against @want. */
static void expect_u32s(struct __test_metadata *_metadata, const void *fdt, const char *path,
			const char *name, int n, const uint32_t *want)
{
	const fdt32_t *v;
	int len, i;

	v = get_prop(_metadata, fdt, path, name, &len);
	ASSERT_EQ(4 * n, len) TH_LOG("%s:%s", path, name);
	for (i = 0; i < n; i++)
		EXPECT_EQ(want[i], fdt32_ld(&v[i])) TH_LOG("%s:%s[%d]", path, name, i);
}

#define EXPECT_STR_PROP(path, name, str) expect_str(_metadata, self->buf, path, name, str)
#define EXPECT_U32_PROP(path, name, val) expect_u32(_metadata, self->buf, path, name, val)
#define EXPECT_EMPTY_PROP(path, name)	expect_empty(_metadata, self->buf, path, name)
#define EXPECT_U32_CELLS(path, name, n, ...) \
	expect_u32s(_metadata, self->buf, path, name, n, (const uint32_t []){ __VA_ARGS__ })
#define EXPECT_U64_CELLS(path, name, n, ...) \
	expect_u64s(_metadata, self->buf, path, name, n, (const uint64_t []){ __VA_ARGS__ })
#define PROP(path, name, len)		get_prop(_metadata, self->buf, path, name, len)
#define EXPECT_NO_NODE(path)		EXPECT_GT(0, fdt_path_offset(self->buf, path))

TEST_F(dtb, header_and_root)
{
	int node;

	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(0, fdt_check_header(self->buf));
	EXPECT_GT(DTB_SIZE / 4, fdt_totalsize(self->buf));	/* packed */
	EXPECT_STR_PROP("/", "compatible", "linux,dummy-virt");
	EXPECT_U32_PROP("/", "#address-cells", 2);
	EXPECT_U32_PROP("/", "#size-cells", 2);
	EXPECT_U32_PROP("/", "interrupt-parent", FDT_PHANDLE_GIC);
	node = fdt_path_offset(self->buf, "/intc@8000000");
	EXPECT_EQ(FDT_PHANDLE_GIC, fdt_get_phandle(self->buf, node));
	node = fdt_path_offset(self->buf, "/apb-pclk");
	EXPECT_EQ(FDT_PHANDLE_APB_PCLK, fdt_get_phandle(self->buf, node));
}

TEST_F(dtb, memory)
{
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_STR_PROP("/memory@40000000", "device_type", "memory");
	EXPECT_U64_CELLS("/memory@40000000", "reg", 2, VIRT_RAM_BASE, 128 << 20);
}

TEST_F(dtb, cpus)
{
	int cpus, node;

	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_U32_PROP("/cpus", "#address-cells", 1);
	EXPECT_U32_PROP("/cpus", "#size-cells", 0);
	EXPECT_STR_PROP("/cpus/cpu@0", "device_type", "cpu");
	EXPECT_STR_PROP("/cpus/cpu@0", "compatible", "arm,arm-v8");
	EXPECT_U32_PROP("/cpus/cpu@0", "reg", 0);
	EXPECT_STR_PROP("/cpus/cpu@0", "enable-method", "psci");
	EXPECT_STR_PROP("/cpus/cpu@1", "device_type", "cpu");
	EXPECT_STR_PROP("/cpus/cpu@1", "compatible", "arm,arm-v8");
	EXPECT_U32_PROP("/cpus/cpu@1", "reg", 1);
	EXPECT_STR_PROP("/cpus/cpu@1", "enable-method", "psci");
	EXPECT_NO_NODE("/cpus/cpu@2");
	/* in MPIDR order: Linux numbers the secondaries by their place */
	cpus = fdt_path_offset(self->buf, "/cpus");
	node = fdt_first_subnode(self->buf, cpus);
	EXPECT_STREQ("cpu@0", fdt_get_name(self->buf, node, NULL));
	node = fdt_next_subnode(self->buf, node);
	EXPECT_STREQ("cpu@1", fdt_get_name(self->buf, node, NULL));
	EXPECT_GT(0, fdt_next_subnode(self->buf, node));
}

TEST_F(dtb, psci)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	const char *p;
	int len;

	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	p = PROP("/psci", "compatible", &len);
	EXPECT_EQ(sizeof(compat), len);
	EXPECT_EQ(0, memcmp(compat, p, sizeof(compat)));
	EXPECT_EQ(0, fdt_node_check_compatible(self->buf, fdt_path_offset(self->buf, "/psci"),
					       "arm,psci-0.2"));
	EXPECT_STR_PROP("/psci", "method", "hvc");
	EXPECT_U32_PROP("/psci", "cpu_on", 0xc4000003);
	EXPECT_U32_PROP("/psci", "cpu_off", 0x84000002);
	EXPECT_U32_PROP("/psci", "migrate", 0xc4000005);
	EXPECT_U32_PROP("/psci", "cpu_suspend", 0xc4000001);
}

TEST_F(dtb, timer)
{
	static const uint32_t want[] = {
		1, VIRT_TIMER_PPI_SEC_PHYS, 4, 1, VIRT_TIMER_PPI_PHYS, 4,
		1, VIRT_TIMER_PPI_VIRT, 4, 1, VIRT_TIMER_PPI_HYP, 4,
	};
	const fdt32_t *irqs;
	int len, i;

	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_STR_PROP("/timer", "compatible", "arm,armv8-timer");
	EXPECT_EMPTY_PROP("/timer", "always-on");
	irqs = PROP("/timer", "interrupts", &len);
	ASSERT_EQ(sizeof(want), len);
	for (i = 0; i < 12; i++)
		EXPECT_EQ(want[i], fdt32_ld(&irqs[i])) TH_LOG("interrupts[%d]", i);
	EXPECT_EQ(13, want[1]);
	EXPECT_EQ(10, want[10]);
}

TEST_F(dtb, gic)
{
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_STR_PROP("/intc@8000000", "compatible", "arm,gic-v3");
	EXPECT_U32_PROP("/intc@8000000", "#interrupt-cells", 3);
	EXPECT_EMPTY_PROP("/intc@8000000", "interrupt-controller");
	EXPECT_U32_PROP("/intc@8000000", "#address-cells", 2);
	EXPECT_U32_PROP("/intc@8000000", "#size-cells", 2);
	EXPECT_EMPTY_PROP("/intc@8000000", "ranges");
	EXPECT_U64_CELLS("/intc@8000000", "reg", 4, 0x08000000, 0x10000, 0x080a0000,
			 2 * 0x20000);
	EXPECT_U32_PROP("/intc@8000000", "#redistributor-regions", 1);
	EXPECT_U32_PROP("/intc@8000000", "phandle", FDT_PHANDLE_GIC);
	/* the maintenance interrupt: PPI 9 (INTID 25), level high */
	EXPECT_U32_CELLS("/intc@8000000", "interrupts", 3, 1, 9, 4);
}

/* The devices' interrupts: SPI, number, level high, parent the GIC (from the root). */
TEST_F(dtb, device_interrupts)
{
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_U32_CELLS("/fake@a000000", "interrupts", 3, 0, FAKE_SPI, 4);
	EXPECT_U32_PROP("/", "interrupt-parent", FDT_PHANDLE_GIC);
}

/*
 * Without a GIC (an accelerator that has none): no intc node, no
 * interrupt-parent and no interrupts property anywhere; the rest as before.
 */
TEST_F(dtb, no_gic)
{
	static const char *const want[] = {
		"memory@40000000", "cpus", "psci", "timer", "apb-pclk", "fake@a000000", "chosen",
	};
	unsigned int i = 0;
	int node, len;

	self->m.gic = false;
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_NO_NODE("/intc@8000000");
	EXPECT_EQ(NULL, fdt_getprop(self->buf, 0, "interrupt-parent", &len));
	EXPECT_STR_PROP("/timer", "compatible", "arm,armv8-timer");
	EXPECT_STR_PROP("/fake@a000000", "compatible", "a64vm,fake");
	fdt_for_each_subnode(node, self->buf, 0) {
		EXPECT_EQ(NULL, fdt_getprop(self->buf, node, "interrupts", &len))
			TH_LOG("%s", fdt_get_name(self->buf, node, NULL));
		ASSERT_GT(ARRAY_SIZE(want), i);
		EXPECT_STREQ(want[i], fdt_get_name(self->buf, node, NULL));
		i++;
	}
	EXPECT_EQ(ARRAY_SIZE(want), i);
	EXPECT_STR_PROP("/chosen", "bootargs", "console=ttyAMA0 earlycon");
}

TEST_F(dtb, apb_pclk)
{
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_STR_PROP("/apb-pclk", "compatible", "fixed-clock");
	EXPECT_U32_PROP("/apb-pclk", "#clock-cells", 0);
	EXPECT_U32_PROP("/apb-pclk", "clock-frequency", 24000000);
	EXPECT_STR_PROP("/apb-pclk", "clock-output-names", "clk24mhz");
	EXPECT_U32_PROP("/apb-pclk", "phandle", FDT_PHANDLE_APB_PCLK);
}

TEST_F(dtb, chosen)
{
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_STR_PROP("/chosen", "bootargs", "console=ttyAMA0 earlycon");
	EXPECT_U64_CELLS("/chosen", "linux,initrd-start", 1, 0x47c00000);
	EXPECT_U64_CELLS("/chosen", "linux,initrd-end", 1, 0x47c00000 + 0x123456);
}

TEST_F(dtb, chosen_without_bootargs_or_initrd)
{
	int chosen;

	self->m.bootargs = NULL;
	self->m.initrd_size = 0;
	self->bus.nr_dev = 0;
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	chosen = fdt_path_offset(self->buf, "/chosen");
	ASSERT_LE(0, chosen);
	EXPECT_GT(0, fdt_first_property_offset(self->buf, chosen));	/* empty */
	/* no bus at all */
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, NULL, self->err,
				  sizeof(self->err)));
	EXPECT_LE(0, fdt_path_offset(self->buf, "/psci"));
}

/* Devices add their node and may set /chosen properties; those without a hook add none. */
TEST_F(dtb, device_hooks)
{
	self->bus.dev[2] = &self->other;
	self->bus.nr_dev = 3;
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_STR_PROP("/fake@a000000", "compatible", "a64vm,fake");
	EXPECT_U64_CELLS("/fake@a000000", "reg", 2, FAKE_BASE, 0x200);
	EXPECT_STR_PROP("/other@a002000", "compatible", "a64vm,fake");
	EXPECT_NO_NODE("/quiet@a001000");
	/* the hooks ran from the last on the bus to the first: the first one's stdout-path stays */
	EXPECT_STR_PROP("/chosen", "stdout-path", "/fake@a000000");
	EXPECT_STR_PROP("/chosen", "bootargs", "console=ttyAMA0 earlycon");
}

/*
 * The blob reads in a fixed order: the machine's nodes, the devices' in bus
 * order (added from the last: libfdt's rw API adds a node before its
 * siblings), chosen.
 */
TEST_F(dtb, node_order)
{
	static const char *const want[] = {
		"memory@40000000", "cpus", "psci", "timer", "intc@8000000", "apb-pclk",
		"fake@a000000", "other@a002000", "chosen",
	};
	unsigned int i = 0;
	int node;

	self->bus.dev[2] = &self->other;
	self->bus.nr_dev = 3;
	ASSERT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	fdt_for_each_subnode(node, self->buf, 0) {
		ASSERT_GT(ARRAY_SIZE(want), i);
		EXPECT_STREQ(want[i], fdt_get_name(self->buf, node, NULL));
		i++;
	}
	EXPECT_EQ(ARRAY_SIZE(want), i);
}

TEST_F(dtb, too_small)
{
	size_t sizes[] = { 0, 16, 64, 512, 1024 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		self->err[0] = '\0';
		memset(self->buf, 0x5a, DTB_SIZE);
		EXPECT_EQ(-1, fdt_generate(self->buf, sizes[i], &self->m, &self->bus, self->err,
					   sizeof(self->err)));
		EXPECT_NE(0, self->err[0]) TH_LOG("size %zu", sizes[i]);
		EXPECT_EQ(NULL, strchr(self->err, '\n'));
		/* nothing written past the buffer */
		EXPECT_EQ(0x5a, self->buf[sizes[i]]) TH_LOG("size %zu", sizes[i]);
	}
	EXPECT_STREQ("DTB: does not fit in 1024 bytes", self->err);
	/* and it fits once there is room */
	EXPECT_EQ(0, fdt_generate(self->buf, 4096, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
}

TEST_F(dtb, device_hook_error)
{
	self->quiet.fdt_node = broken_fdt_node;
	EXPECT_EQ(-1, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				   sizeof(self->err)));
	EXPECT_STREQ("DTB: quiet: FDT_ERR_BADVALUE", self->err);
}

TEST_F(dtb, bad_cpus)
{
	self->m.cpus = 0;
	EXPECT_EQ(-1, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				   sizeof(self->err)));
	EXPECT_NE(0, self->err[0]);
	self->m.cpus = 124;	/* past VIRT_GIC_REDIST_LIMIT */
	EXPECT_EQ(-1, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				   sizeof(self->err)));
	self->m.cpus = VIRT_MAX_CPUS;
	EXPECT_EQ(0, fdt_generate(self->buf, DTB_SIZE, &self->m, &self->bus, self->err,
				  sizeof(self->err)));
	EXPECT_LE(0, fdt_path_offset(self->buf, "/cpus/cpu@7"));
	EXPECT_U64_CELLS("/intc@8000000", "reg", 4, 0x08000000, 0x10000, 0x080a0000,
			 VIRT_MAX_CPUS * 0x20000);
}

/*
 * --dtb FILE: the user's tree keeps everything but gets -p and -i in
 * /chosen, as QEMU's -dtb does (here a tree a64vm generated without them).
 */
TEST_F(dtb, user_dtb_gets_bootargs_and_initrd)
{
	struct fdt_machine none = self->m;
	uint8_t *in = calloc(1, DTB_SIZE);

	ASSERT_NE(NULL, in);
	none.bootargs = NULL;
	none.initrd_size = 0;
	ASSERT_EQ(0, fdt_generate(in, DTB_SIZE, &none, &self->bus, self->err, sizeof(self->err)));
	ASSERT_EQ(NULL, fdt_getprop(in, fdt_path_offset(in, "/chosen"), "bootargs", NULL));
	/* no room to spare in the input: fdt_generate() packs it */
	ASSERT_EQ(0, fdt_patch_chosen(self->buf, DTB_SIZE, in, &self->m, self->err,
				      sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(0, fdt_check_header(self->buf));
	EXPECT_GT(DTB_SIZE / 4, fdt_totalsize(self->buf));	/* packed */
	EXPECT_STR_PROP("/chosen", "bootargs", "console=ttyAMA0 earlycon");
	EXPECT_U64_CELLS("/chosen", "linux,initrd-start", 1, 0x47c00000);
	EXPECT_U64_CELLS("/chosen", "linux,initrd-end", 1, 0x47c00000 + 0x123456);
	/* the rest is the user's */
	EXPECT_STR_PROP("/chosen", "stdout-path", "/fake@a000000");
	EXPECT_STR_PROP("/", "compatible", "linux,dummy-virt");
	EXPECT_U32_PROP("/cpus/cpu@1", "reg", 1);
	/* and an earlier bootargs is replaced; without -p the user's stays */
	memcpy(in, self->buf, fdt_totalsize(self->buf));
	self->m.bootargs = "quiet";
	ASSERT_EQ(0, fdt_patch_chosen(self->buf, DTB_SIZE, in, &self->m, self->err,
				      sizeof(self->err)));
	EXPECT_STR_PROP("/chosen", "bootargs", "quiet");
	self->m.bootargs = NULL;
	self->m.initrd_size = 0;
	ASSERT_EQ(0, fdt_patch_chosen(self->buf, DTB_SIZE, in, &self->m, self->err,
				      sizeof(self->err)));
	EXPECT_STR_PROP("/chosen", "bootargs", "console=ttyAMA0 earlycon");
	free(in);
}

/* A user's tree without /chosen gets one; one that cannot grow is refused. */
TEST_F(dtb, user_dtb_without_chosen)
{
	uint8_t in[256];

	ASSERT_EQ(0, fdt_create_empty_tree(in, sizeof(in)));
	ASSERT_LE(0, fdt_add_subnode(in, 0, "memory"));
	ASSERT_EQ(0, fdt_pack(in));
	ASSERT_EQ(0, fdt_patch_chosen(self->buf, DTB_SIZE, in, &self->m, self->err,
				      sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_STR_PROP("/chosen", "bootargs", "console=ttyAMA0 earlycon");
	EXPECT_U64_CELLS("/chosen", "linux,initrd-end", 1, 0x47c00000 + 0x123456);
	EXPECT_LE(0, fdt_path_offset(self->buf, "/memory"));

	EXPECT_EQ(-1, fdt_patch_chosen(self->buf, fdt_totalsize(in) + 8, in, &self->m,
				       self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "does not fit")) TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strchr(self->err, '\n'));
}

TEST_HARNESS_MAIN
