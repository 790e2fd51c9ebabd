// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's virtio-mmio transport and virtio-blk
 * (userspace/vmm/devices/virtio_{mmio,queue,blk}.c), natively: a fake
 * guest RAM, the registers through the MMIO bus as a vCPU reaches them,
 * the device's real I/O thread, an image in a temporary file, and the
 * device's interrupt eventfd read.  The registers and the device tree node as the
 * virtio 1.x spec and QEMU virt have them; feature negotiation; rings
 * refused at QueueReady; reads, writes, flush, GET_ID against the file;
 * every malformed request ending in VIRTIO_BLK_S_IOERR with the file
 * untouched; a read-only disk; an interrupt edge per completion,
 * InterruptStatus cleared by InterruptACK and by a reset.  (Each test runs in its own
 * process: the harness forks.)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/virtio_blk.h>

#include "kselftest_harness.h"
#include "dtb.h"
#include "vm_stubs.h"
#include "vmm.h"

#define RAM_SIZE	(1ULL << 20)
#define QSZ		8
#define DESC_OFF	0x0000
#define AVAIL_OFF	0x1000
#define USED_OFF	0x2000
#define HDR_OFF		0x3000
#define STATUS_OFF	0x3100
#define DATA_OFF	0x4000
#define SECTORS		16
#define BASE		VIRT_VIRTIO_MMIO_BASE

FIXTURE(blk) {
	struct vm_config cfg;
	struct vm vm;
	char path[2][64];
	int fd[2];
};

/* The driver's view of queue 0 (each test runs in a process of its own). */
static uint16_t avail_idx, used_seen;

static uint32_t reg(struct vm *vm, uint64_t base, uint64_t off)
{
	uint64_t val = 0;

	mmio_bus_access(&vm->bus, base + off, &val, 4, false);
	return val;
}

static void set(struct vm *vm, uint64_t base, uint64_t off, uint32_t val)
{
	uint64_t v = val;

	mmio_bus_access(&vm->bus, base + off, &v, 4, true);
}

static void *ram(struct vm *vm, uint64_t off)
{
	return vm->ram.host + off;
}

FIXTURE_SETUP(blk)
{
	unsigned int i;

	self->vm.cfg = &self->cfg;
	self->vm.ram = (struct guest_ram){ .gpa = VIRT_RAM_BASE, .size = RAM_SIZE };
	self->vm.ram.host = aligned_alloc(4096, RAM_SIZE);
	ASSERT_NE(NULL, self->vm.ram.host);
	memset(self->vm.ram.host, 0, RAM_SIZE);
	mmio_bus_init(&self->vm.bus);
	for (i = 0; i < 2; i++) {
		strcpy(self->path[i], "/tmp/vmm_virtio_blk.XXXXXX");
		self->fd[i] = mkstemp(self->path[i]);
		ASSERT_LE(0, self->fd[i]);
		/* and a partial sector */
		ASSERT_EQ(0, ftruncate(self->fd[i], SECTORS * 512 + 100));
		self->cfg.disks[i] = (struct disk_config){ .path = self->path[i], .ro = i == 1 };
		ASSERT_EQ(0, virtio_blk_init(&self->vm, &self->cfg.disks[i]));
	}
}

FIXTURE_TEARDOWN(blk)
{
	unsigned int i;

	for (i = 0; i < self->vm.nr_virtio; i++)
		virtio_mmio_stop(self->vm.virtio[i]);
	for (i = 0; i < 2; i++)
		unlink(self->path[i]);
}

/* The driver's side up to DRIVER_OK with @features and queue 0 at the fixed rings. */
static uint32_t start(struct vm *vm, uint64_t base, uint64_t features)
{
	set(vm, base, VIRTIO_MMIO_STATUS, 0);
	set(vm, base, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	set(vm, base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	set(vm, base, VIRTIO_MMIO_DRIVER_FEATURES, features);
	set(vm, base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	set(vm, base, VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
	set(vm, base, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	    VIRTIO_CONFIG_S_FEATURES_OK);
	set(vm, base, VIRTIO_MMIO_QUEUE_SEL, 0);
	set(vm, base, VIRTIO_MMIO_QUEUE_NUM, QSZ);
	set(vm, base, VIRTIO_MMIO_QUEUE_DESC_LOW, VIRT_RAM_BASE + DESC_OFF);
	set(vm, base, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	set(vm, base, VIRTIO_MMIO_QUEUE_AVAIL_LOW, VIRT_RAM_BASE + AVAIL_OFF);
	set(vm, base, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
	set(vm, base, VIRTIO_MMIO_QUEUE_USED_LOW, VIRT_RAM_BASE + USED_OFF);
	set(vm, base, VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
	set(vm, base, VIRTIO_MMIO_QUEUE_READY, 1);
	set(vm, base, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	    VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	return reg(vm, base, VIRTIO_MMIO_STATUS);
}

static void desc(struct vm *vm, unsigned int i, uint64_t off, uint32_t len, uint16_t flags)
{
	struct vring_desc *d = ram(vm, DESC_OFF);

	d[i] = (struct vring_desc){ .addr = VIRT_RAM_BASE + off, .len = len, .flags = flags,
				    .next = i + 1 };
}

/* Header, @len bytes of data at DATA_OFF (device-writable if @in), status. */
static void chain(struct vm *vm, uint32_t type, uint64_t sector, uint32_t len, bool in)
{
	*(struct virtio_blk_outhdr *)ram(vm, HDR_OFF) =
		(struct virtio_blk_outhdr){ .type = type, .sector = sector };
	*(uint8_t *)ram(vm, STATUS_OFF) = 0xee;
	desc(vm, 0, HDR_OFF, sizeof(struct virtio_blk_outhdr), VRING_DESC_F_NEXT);
	desc(vm, 1, DATA_OFF, len, VRING_DESC_F_NEXT | (in ? VRING_DESC_F_WRITE : 0));
	desc(vm, 2, STATUS_OFF, 1, VRING_DESC_F_WRITE);
}

/*
 * Offers descriptor 0, rings the doorbell and waits (up to 10 s) for the
 * I/O thread to use it; returns the used length, or -1 if it never did.
 */
static int64_t submit(struct vm *vm, uint64_t base)
{
	struct vring_avail *avail = ram(vm, AVAIL_OFF);
	struct vring_used *used = ram(vm, USED_OFF);
	struct timespec delay = { .tv_nsec = 1000000 };
	unsigned int i;

	avail->ring[avail_idx % QSZ] = 0;
	__atomic_store_n(&avail->idx, ++avail_idx, __ATOMIC_RELEASE);
	set(vm, base, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	for (i = 0; i < 10000; i++) {
		if (__atomic_load_n(&used->idx, __ATOMIC_ACQUIRE) != used_seen)
			return used->ring[used_seen++ % QSZ].len;
		nanosleep(&delay, NULL);
	}
	return -1;
}

/*
 * The interrupt edges device @dev sent since the last call (the eventfd the
 * accelerator would turn into edges on its SPI): the I/O thread writes it
 * after it publishes the used buffer, so wait (10 s at most) for the first.
 */
static uint64_t edges(struct vm *vm, unsigned int dev)
{
	struct pollfd pfd = { .fd = vm->virtio[dev]->irq_fd, .events = POLLIN };
	uint64_t n = 0;

	if (poll(&pfd, 1, 10000) == 1 && read(pfd.fd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

static uint8_t status_byte(struct vm *vm)
{
	return *(uint8_t *)ram(vm, STATUS_OFF);
}

TEST_F(blk, registers)
{
	struct vm *vm = &self->vm;
	uint64_t val = 0x1234;

	EXPECT_EQ(0x74726976, reg(vm, BASE, VIRTIO_MMIO_MAGIC_VALUE));
	EXPECT_EQ(2, reg(vm, BASE, VIRTIO_MMIO_VERSION));
	EXPECT_EQ(VIRTIO_ID_BLOCK, reg(vm, BASE, VIRTIO_MMIO_DEVICE_ID));
	EXPECT_EQ(VIRTIO_MMIO_VENDOR, reg(vm, BASE, VIRTIO_MMIO_VENDOR_ID));
	EXPECT_EQ(VIRTIO_ID_BLOCK, reg(vm, BASE + VIRT_VIRTIO_MMIO_SIZE, VIRTIO_MMIO_DEVICE_ID));
	set(vm, BASE, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	EXPECT_EQ(1U << VIRTIO_BLK_F_FLUSH | 1U << VIRTIO_BLK_F_SEG_MAX |
		  1U << VIRTIO_RING_F_EVENT_IDX | 1U << VIRTIO_RING_F_INDIRECT_DESC,
		  reg(vm, BASE, VIRTIO_MMIO_DEVICE_FEATURES));
	set(vm, BASE, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	EXPECT_EQ(1, reg(vm, BASE, VIRTIO_MMIO_DEVICE_FEATURES));	/* VERSION_1 */
	set(vm, BASE, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_DEVICE_FEATURES));
	set(vm, BASE + VIRT_VIRTIO_MMIO_SIZE, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	EXPECT_TRUE(reg(vm, BASE + VIRT_VIRTIO_MMIO_SIZE, VIRTIO_MMIO_DEVICE_FEATURES) &
		    1U << VIRTIO_BLK_F_RO);
	EXPECT_EQ(VIRTQ_MAX_SIZE, reg(vm, BASE, VIRTIO_MMIO_QUEUE_NUM_MAX));
	set(vm, BASE, VIRTIO_MMIO_QUEUE_SEL, 1);				/* no queue 1 */
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_QUEUE_NUM_MAX));
	/* the configuration space: capacity in whole sectors, seg_max */
	EXPECT_EQ(SECTORS, reg(vm, BASE, VIRTIO_MMIO_CONFIG));
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_CONFIG + 4));
	EXPECT_EQ(VIRTQ_MAX_SIZE - 2, reg(vm, BASE, VIRTIO_MMIO_CONFIG +
					     offsetof(struct virtio_blk_config, seg_max)));
	mmio_bus_access(&vm->bus, BASE + VIRTIO_MMIO_CONFIG, &val, 1, false);
	EXPECT_EQ(SECTORS, val);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_CONFIG + sizeof(struct virtio_blk_config)));
	/* registers are 32-bit: other widths read as zero */
	mmio_bus_access(&vm->bus, BASE + VIRTIO_MMIO_MAGIC_VALUE, &val, 2, false);
	EXPECT_EQ(0, val);
	mmio_bus_access(&vm->bus, BASE + VIRTIO_MMIO_MAGIC_VALUE, &val, 8, false);
	EXPECT_EQ(0, val);
}

TEST_F(blk, device_tree)
{
	struct fdt_machine m = { .ram_base = VIRT_RAM_BASE, .ram_size = RAM_SIZE, .cpus = 1,
				 .gic = true };
	static const char *const want[] = { "virtio_mmio@a000000", "virtio_mmio@a000200" };
	void *fdt = malloc(65536);
	char err[128];
	const fdt32_t *irq;
	unsigned int i = 0;
	int node, len;

	ASSERT_NE(NULL, fdt);
	ASSERT_EQ(0, fdt_generate(fdt, 65536, &m, &self->vm.bus, err, sizeof(err)));
	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);

		if (strncmp(name, "virtio_mmio@", 12))
			continue;
		ASSERT_GT(ARRAY_SIZE(want), i);
		EXPECT_STREQ(want[i], name);		/* in address order: vda first */
		EXPECT_STREQ("virtio,mmio", fdt_getprop(fdt, node, "compatible", NULL));
		EXPECT_NE(NULL, fdt_getprop(fdt, node, "dma-coherent", &len));
		EXPECT_EQ(0, len);
		irq = fdt_getprop(fdt, node, "interrupts", &len);
		ASSERT_EQ(12, len);
		EXPECT_EQ(0, fdt32_to_cpu(irq[0]));			/* SPI */
		EXPECT_EQ(16 + i, fdt32_to_cpu(irq[1]));		/* 16 + n */
		EXPECT_EQ(1, fdt32_to_cpu(irq[2]));			/* rising edge */
		i++;
	}
	EXPECT_EQ(2, i);
	free(fdt);
}

TEST_F(blk, negotiation)
{
	struct vm *vm = &self->vm;
	const uint32_t drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

	/* not VERSION_1 (a legacy driver), or a feature not offered: no FEATURES_OK */
	EXPECT_FALSE(start(vm, BASE, 1ULL << VIRTIO_BLK_F_FLUSH) & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_FALSE(start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_BLK_F_RO) &
		     VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_EQ(drv | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK,
		  start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_BLK_F_FLUSH));
	EXPECT_EQ(1, reg(vm, BASE, VIRTIO_MMIO_QUEUE_READY));
	/* features are fixed once FEATURES_OK is set */
	set(vm, BASE, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	set(vm, BASE, VIRTIO_MMIO_DRIVER_FEATURES, 1U << VIRTIO_BLK_F_RO);
	EXPECT_EQ(1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_BLK_F_FLUSH,
		  self->vm.virtio[0]->driver_features);
	/* reset: everything back */
	set(vm, BASE, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_STATUS));
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_QUEUE_READY));
	EXPECT_EQ(0, self->vm.virtio[0]->driver_features);
}

TEST_F(blk, rings_refused)
{
	struct vm *vm = &self->vm;

	start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1);
	set(vm, BASE, VIRTIO_MMIO_QUEUE_READY, 0);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_QUEUE_READY));
	/* the used ring past RAM's end */
	set(vm, BASE, VIRTIO_MMIO_QUEUE_USED_LOW, VIRT_RAM_BASE + RAM_SIZE - 8);
	set(vm, BASE, VIRTIO_MMIO_QUEUE_READY, 1);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_QUEUE_READY));
	set(vm, BASE, VIRTIO_MMIO_QUEUE_USED_LOW, VIRT_RAM_BASE + USED_OFF);
	set(vm, BASE, VIRTIO_MMIO_QUEUE_NUM, 1000);	/* beyond QueueNumMax */
	set(vm, BASE, VIRTIO_MMIO_QUEUE_READY, 1);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_QUEUE_READY));
	set(vm, BASE, VIRTIO_MMIO_QUEUE_NUM, QSZ);
	set(vm, BASE, VIRTIO_MMIO_QUEUE_READY, 1);
	EXPECT_EQ(1, reg(vm, BASE, VIRTIO_MMIO_QUEUE_READY));
	/* no change to a ready queue */
	set(vm, BASE, VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
	EXPECT_EQ(VIRT_RAM_BASE + DESC_OFF, self->vm.virtio[0]->vq[0].desc_gpa);
}

TEST_F(blk, read_write_flush_id)
{
	struct vm *vm = &self->vm;
	uint8_t buf[512];

	ASSERT_TRUE(start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1) & VIRTIO_CONFIG_S_DRIVER_OK);
	memset(ram(&self->vm, DATA_OFF), 0xa5, 1024);
	chain(&self->vm, VIRTIO_BLK_T_OUT, 3, 1024, false);
	EXPECT_EQ(1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_OK, status_byte(&self->vm));
	ASSERT_EQ(512, pread(self->fd[0], buf, 512, 4 * 512));
	EXPECT_EQ(0xa5, buf[0]);
	EXPECT_EQ(0xa5, buf[511]);
	/* the interrupt: an edge on SPI 16, InterruptStatus 1 until the ACK */
	EXPECT_EQ(16, vm->virtio[0]->spi);
	EXPECT_EQ(1, edges(vm, 0));
	EXPECT_EQ(VIRTIO_MMIO_INT_VRING, reg(vm, BASE, VIRTIO_MMIO_INTERRUPT_STATUS));
	set(vm, BASE, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_INTERRUPT_STATUS));

	memset(ram(&self->vm, DATA_OFF), 0, 1024);
	chain(&self->vm, VIRTIO_BLK_T_IN, 4, 512, true);
	EXPECT_EQ(513, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_OK, status_byte(&self->vm));
	EXPECT_EQ(0xa5, *(uint8_t *)ram(&self->vm, DATA_OFF + 511));
	EXPECT_EQ(1, edges(vm, 0));	/* one per completion, acknowledged or not */

	chain(&self->vm, VIRTIO_BLK_T_FLUSH, 0, 0, false);
	desc(&self->vm, 1, STATUS_OFF, 1, VRING_DESC_F_WRITE);	/* no data */
	EXPECT_EQ(1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_OK, status_byte(&self->vm));

	chain(&self->vm, VIRTIO_BLK_T_GET_ID, 0, VIRTIO_BLK_ID_BYTES, true);
	EXPECT_EQ(VIRTIO_BLK_ID_BYTES + 1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_OK, status_byte(&self->vm));
	EXPECT_EQ(0, strncmp(ram(&self->vm, DATA_OFF), strrchr(self->path[0], '/') + 1,
			     VIRTIO_BLK_ID_BYTES));
	EXPECT_EQ(VIRTIO_MMIO_INT_VRING, reg(vm, BASE, VIRTIO_MMIO_INTERRUPT_STATUS));
}

TEST_F(blk, bad_requests)
{
	static const struct {
		const char *what;
		uint32_t type;
		uint64_t sector;
		uint32_t len;
		uint8_t status;
	} bad[] = {
		{ "past the end", VIRTIO_BLK_T_OUT, SECTORS, 512, VIRTIO_BLK_S_IOERR },
		{ "across the end", VIRTIO_BLK_T_OUT, SECTORS - 1, 1024, VIRTIO_BLK_S_IOERR },
		{ "the partial last sector", VIRTIO_BLK_T_IN, SECTORS, 512, VIRTIO_BLK_S_IOERR },
		{ "sector overflow", VIRTIO_BLK_T_OUT, ~0ULL >> 9, 1024, VIRTIO_BLK_S_IOERR },
		{ "sector * 512 overflow", VIRTIO_BLK_T_OUT, ~0ULL, 512, VIRTIO_BLK_S_IOERR },
		{ "not whole sectors", VIRTIO_BLK_T_OUT, 0, 100, VIRTIO_BLK_S_IOERR },
		{ "unknown type", 42, 0, 512, VIRTIO_BLK_S_UNSUPP },
	};
	uint8_t zero[SECTORS * 512 + 100] = { 0 }, file[sizeof(zero)];
	unsigned int i;

	ASSERT_TRUE(start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1) & VIRTIO_CONFIG_S_DRIVER_OK);
	memset(ram(&self->vm, DATA_OFF), 0xa5, 1024);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		chain(&self->vm, bad[i].type, bad[i].sector, bad[i].len,
		      bad[i].type == VIRTIO_BLK_T_IN);
		EXPECT_EQ(1, submit(&self->vm, BASE)) TH_LOG("%s", bad[i].what);
		EXPECT_EQ(bad[i].status, status_byte(&self->vm)) TH_LOG("%s", bad[i].what);
	}
	/* a header cut short */
	chain(&self->vm, VIRTIO_BLK_T_OUT, 0, 512, false);
	desc(&self->vm, 0, HDR_OFF, 8, VRING_DESC_F_NEXT);
	EXPECT_EQ(1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_IOERR, status_byte(&self->vm));
	/* data outside RAM, then a zero-length buffer */
	chain(&self->vm, VIRTIO_BLK_T_IN, 0, 512, true);
	((struct vring_desc *)ram(&self->vm, DESC_OFF))[1].addr = VIRT_RAM_BASE + RAM_SIZE - 256;
	EXPECT_EQ(1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_IOERR, status_byte(&self->vm));
	chain(&self->vm, VIRTIO_BLK_T_OUT, 0, 0, false);
	EXPECT_EQ(1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_IOERR, status_byte(&self->vm));
	/* a loop from the status back to the header */
	chain(&self->vm, VIRTIO_BLK_T_OUT, 0, 512, false);
	desc(&self->vm, 2, STATUS_OFF, 1, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT);
	((struct vring_desc *)ram(&self->vm, DESC_OFF))[2].next = 0;
	EXPECT_EQ(1, submit(&self->vm, BASE));
	EXPECT_EQ(VIRTIO_BLK_S_IOERR, status_byte(&self->vm));
	/* no status byte: given back with nothing written */
	desc(&self->vm, 0, HDR_OFF, sizeof(struct virtio_blk_outhdr), 0);
	EXPECT_EQ(0, submit(&self->vm, BASE));
	/* none of it reached the file */
	ASSERT_EQ(sizeof(file), pread(self->fd[0], file, sizeof(file), 0));
	EXPECT_EQ(0, memcmp(zero, file, sizeof(file)));
	EXPECT_TRUE(self->vm.virtio[0]->guest_error_reported);
}

TEST_F(blk, read_only)
{
	const uint64_t base = BASE + VIRT_VIRTIO_MMIO_SIZE;
	uint8_t file[512];

	ASSERT_TRUE(start(&self->vm, base, 1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_BLK_F_RO) &
		    VIRTIO_CONFIG_S_DRIVER_OK);
	memset(ram(&self->vm, DATA_OFF), 0xa5, 512);
	chain(&self->vm, VIRTIO_BLK_T_OUT, 0, 512, false);
	EXPECT_EQ(1, submit(&self->vm, base));
	EXPECT_EQ(VIRTIO_BLK_S_IOERR, status_byte(&self->vm));
	EXPECT_EQ(1, edges(&self->vm, 1));
	ASSERT_EQ(512, pread(self->fd[1], file, 512, 0));
	EXPECT_EQ(0, file[0]);
	chain(&self->vm, VIRTIO_BLK_T_IN, 0, 512, true);
	EXPECT_EQ(513, submit(&self->vm, base));
	EXPECT_EQ(VIRTIO_BLK_S_OK, status_byte(&self->vm));
	EXPECT_EQ(17, self->vm.virtio[1]->spi);
	EXPECT_EQ(1, edges(&self->vm, 1));
}

TEST_F(blk, reset_clears_the_interrupt)
{
	struct vm *vm = &self->vm;

	ASSERT_TRUE(start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1) & VIRTIO_CONFIG_S_DRIVER_OK);
	chain(&self->vm, VIRTIO_BLK_T_IN, 0, 512, true);
	EXPECT_EQ(513, submit(&self->vm, BASE));
	EXPECT_EQ(1, edges(vm, 0));
	EXPECT_EQ(VIRTIO_MMIO_INT_VRING, reg(vm, BASE, VIRTIO_MMIO_INTERRUPT_STATUS));
	set(vm, BASE, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0, reg(vm, BASE, VIRTIO_MMIO_INTERRUPT_STATUS));
	/* a doorbell on a reset device is ignored; a new start works */
	set(vm, BASE, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	memset(ram(&self->vm, USED_OFF), 0, 64);
	avail_idx = 0;
	used_seen = 0;
	memset(ram(&self->vm, AVAIL_OFF), 0, 64);
	ASSERT_TRUE(start(&self->vm, BASE, 1ULL << VIRTIO_F_VERSION_1) & VIRTIO_CONFIG_S_DRIVER_OK);
	chain(&self->vm, VIRTIO_BLK_T_IN, 0, 512, true);
	EXPECT_EQ(513, submit(&self->vm, BASE));
}

TEST_HARNESS_MAIN
