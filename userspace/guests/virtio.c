// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small virtio-mmio driver that puts a64vm's devices through their paces,
 * honest requests and hostile ones.  Run as
 *
 *   a64vm run --bare -k virtio.elf -d disk.img -d ro.img,ro --rng
 *
 * with disk.img starting with a line of text: transport 0 is that disk,
 * 1 the same kind of disk read-only, 2 the entropy device.  Each check
 * prints one "virtio: ..." line (the test compares them with what it
 * expects); sector 1 of disk.img ends up holding WRITTEN, which the test
 * looks for in the file afterwards.  The driver negotiates
 * VIRTIO_RING_F_EVENT_IDX and asks for an interrupt after every request,
 * waits for it (the SPI, edge-triggered as the device tree says), and
 * acknowledges InterruptStatus in the handler.
 */
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "guest.h"

#define QSZ		8
#define NR_DEV		3
#define WRITTEN		"written by the guest"
#define SECTOR		512

struct dev {
	u64 base;
	struct vring_desc desc[QSZ] __aligned(16);
	struct vring_avail avail __aligned(4);
	u16 avail_ring[QSZ + 1];		/* + used_event */
	struct vring_used used __aligned(4);
	struct vring_used_elem used_ring[QSZ];
	u16 avail_event;
	u16 avail_idx, used_seen;
	struct vring_desc table[4] __aligned(16);	/* indirect */
};

static struct dev devs[NR_DEV];
static u32 irqs[NR_DEV], isr_seen[NR_DEV];
static struct virtio_blk_outhdr hdr;
static u8 data[2 * SECTOR] __aligned(16);
static u8 status;

static u32 rd(struct dev *d, u32 reg)
{
	return readl(d->base + reg);
}

static void wr(struct dev *d, u32 reg, u32 val)
{
	writel(val, d->base + reg);
}

void irq_handler(void)
{
	u32 intid = gic_ack(), n = intid - 32 - VIRT_VIRTIO_MMIO_SPI;

	if (n < NR_DEV) {
		u32 isr = rd(&devs[n], VIRTIO_MMIO_INTERRUPT_STATUS);

		wr(&devs[n], VIRTIO_MMIO_INTERRUPT_ACK, isr);
		write_once(&isr_seen[n], read_once(&isr_seen[n]) | isr);
		write_once(&irqs[n], read_once(&irqs[n]) + 1);
	}
	gic_eoi(intid);
}

static u64 features(struct dev *d)
{
	u64 f;

	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	f = (u64)rd(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	return f | rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
}

/* Status sequence up to FEATURES_OK with @want; returns whether the device took them. */
static bool negotiate(struct dev *d, u64 want)
{
	wr(d, VIRTIO_MMIO_STATUS, 0);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, want >> 32);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (u32)want);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	   VIRTIO_CONFIG_S_FEATURES_OK);
	return rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK;
}

static void set_addr(struct dev *d, u32 low, void *p)
{
	wr(d, low, (u64)p);
	wr(d, low + 4, (u64)p >> 32);
}

/* Queue 0 with QSZ entries, then DRIVER_OK; its interrupt enabled. */
static void start(struct dev *d, unsigned int n)
{
	u32 intid = 32 + VIRT_VIRTIO_MMIO_SPI + n;

	memset(d->desc, 0, sizeof(*d) - offsetof(struct dev, desc));
	wr(d, VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(d, VIRTIO_MMIO_QUEUE_NUM, QSZ);
	set_addr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, d->desc);
	set_addr(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, &d->avail);
	set_addr(d, VIRTIO_MMIO_QUEUE_USED_LOW, &d->used);
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	   VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	gic_set_edge(intid, true);
	gic_set_priority(intid, 0xa0);
	gic_route(intid, read_mpidr() & 0xff);
	gic_irq_enable(intid);
}

static void set_desc(struct vring_desc *t, unsigned int i, void *addr, u32 len, u16 flags)
{
	t[i].addr = (u64)addr;
	t[i].len = len;
	t[i].flags = flags;
	t[i].next = i + 1;
}

/*
 * Offers the chain at descriptor 0, asks for an interrupt when it is used
 * (used_event), notifies, waits; returns the used length.
 */
static u32 submit(struct dev *d, unsigned int n)
{
	u32 want = read_once(&irqs[n]) + 1, len;

	d->avail_ring[QSZ] = d->used_seen;	/* used_event: interrupt at this entry */
	d->avail_ring[d->avail_idx % QSZ] = 0;
	dmb_sy();
	d->avail.idx = ++d->avail_idx;
	dmb_sy();
	wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	wait_for_irq(read_once(&irqs[n]) == want);
	dmb_sy();
	if (d->used.idx != (u16)(d->used_seen + 1))
		printf("virtio: used index %u, expected %u\n", (u32)d->used.idx,
		       (u32)d->used_seen + 1);
	len = d->used_ring[d->used_seen % QSZ].len;
	d->used_seen++;
	return len;
}

/* A blk request's chain: header, @len bytes of data (device-writable if @in; none if 0), status. */
static void prep(struct dev *d, u32 type, u64 sector, void *buf, u32 len, bool in)
{
	unsigned int i = 0;

	hdr = (struct virtio_blk_outhdr){ .type = type, .sector = sector };
	status = 0xee;
	set_desc(d->desc, i++, &hdr, sizeof(hdr), VRING_DESC_F_NEXT);
	if (len)
		set_desc(d->desc, i++, buf, len, VRING_DESC_F_NEXT | (in ? VRING_DESC_F_WRITE : 0));
	set_desc(d->desc, i, &status, 1, VRING_DESC_F_WRITE);
}

static u8 blk(struct dev *d, unsigned int n, u32 type, u64 sector, void *buf, u32 len, bool in,
	      u32 *used)
{
	prep(d, type, sector, buf, len, in);
	*used = submit(d, n);
	return status;
}

static void check(const char *what, u32 got, u32 want)
{
	printf("virtio: %s: %s (%u)\n", what, got == want ? "ok" : "WRONG", got);
}

static void blk_tests(struct dev *d)
{
	u64 cap = rd(d, VIRTIO_MMIO_CONFIG) | (u64)rd(d, VIRTIO_MMIO_CONFIG + 4) << 32;
	u32 used, i;
	char line[32];

	printf("virtio: disk 0: %lu sectors\n", (unsigned long)cap);
	check("read sector 0", blk(d, 0, VIRTIO_BLK_T_IN, 0, data, SECTOR, true, &used),
	      VIRTIO_BLK_S_OK);
	check("read: used length", used, SECTOR + 1);
	for (i = 0; i < sizeof(line) - 1 && data[i] != '\n'; i++)
		line[i] = data[i];
	line[i] = '\0';
	printf("virtio: sector 0 reads \"%s\"\n", line);

	memset(data, 0x5a, SECTOR);
	memcpy(data, WRITTEN, sizeof(WRITTEN) - 1);
	check("write sector 1", blk(d, 0, VIRTIO_BLK_T_OUT, 1, data, SECTOR, false, &used),
	      VIRTIO_BLK_S_OK);
	check("write: used length", used, 1);
	check("flush", blk(d, 0, VIRTIO_BLK_T_FLUSH, 0, data, 0, true, &used), VIRTIO_BLK_S_OK);

	memset(data, 0, SECTOR);
	check("read it back", blk(d, 0, VIRTIO_BLK_T_IN, 1, data, SECTOR, true, &used),
	      VIRTIO_BLK_S_OK);
	check("same bytes", data[0] == 'w' && data[SECTOR - 1] == 0x5a, 1);

	/* An indirect table: header, data, status. */
	set_desc(d->table, 0, &hdr, sizeof(hdr), VRING_DESC_F_NEXT);
	set_desc(d->table, 1, data, SECTOR, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	set_desc(d->table, 2, &status, 1, VRING_DESC_F_WRITE);
	set_desc(d->desc, 0, d->table, 3 * sizeof(struct vring_desc), VRING_DESC_F_INDIRECT);
	hdr = (struct virtio_blk_outhdr){ .type = VIRTIO_BLK_T_IN, .sector = 0 };
	data[0] = 0;
	submit(d, 0);
	check("read through an indirect table", status == VIRTIO_BLK_S_OK && data[0] == line[0], 1);

	memset(data, 0, 32);
	check("get id", blk(d, 0, VIRTIO_BLK_T_GET_ID, 0, data, VIRTIO_BLK_ID_BYTES, true, &used),
	      VIRTIO_BLK_S_OK);
	printf("virtio: id \"%s\"\n", (char *)data);

	/* What a hostile driver gets: an error status, a64vm still running. */
	check("read past the end", blk(d, 0, VIRTIO_BLK_T_IN, cap, data, SECTOR, true, &used),
	      VIRTIO_BLK_S_IOERR);
	check("read across the end", blk(d, 0, VIRTIO_BLK_T_IN, cap - 1, data, 2 * SECTOR, true,
					 &used), VIRTIO_BLK_S_IOERR);
	check("sector number overflowing", blk(d, 0, VIRTIO_BLK_T_IN, ~0ULL, data, SECTOR, true,
					       &used), VIRTIO_BLK_S_IOERR);
	check("not whole sectors", blk(d, 0, VIRTIO_BLK_T_IN, 0, data, 100, true, &used),
	      VIRTIO_BLK_S_IOERR);
	check("unknown type", blk(d, 0, 99, 0, data, SECTOR, true, &used), VIRTIO_BLK_S_UNSUPP);
	check("data outside RAM", blk(d, 0, VIRTIO_BLK_T_IN, 0, (void *)0x1000, SECTOR, true,
				      &used), VIRTIO_BLK_S_IOERR);
	check("data across RAM's end", blk(d, 0, VIRTIO_BLK_T_IN, 0,
					   (void *)(VIRT_RAM_BASE + (64 << 20) - 256), SECTOR,
					   true, &used), VIRTIO_BLK_S_IOERR);
	prep(d, VIRTIO_BLK_T_IN, 0, data, SECTOR, true);
	d->desc[1].len = 0;
	submit(d, 0);
	check("zero-length data", status, VIRTIO_BLK_S_IOERR);
	prep(d, VIRTIO_BLK_T_IN, 0, data, SECTOR, true);
	d->desc[2].flags |= VRING_DESC_F_NEXT;	/* from the status back to the header */
	d->desc[2].next = 0;
	submit(d, 0);
	check("a looping chain", status, VIRTIO_BLK_S_IOERR);
	/* Indirect inside indirect. */
	set_desc(d->table, 0, &hdr, sizeof(hdr), VRING_DESC_F_NEXT);
	set_desc(d->table, 1, &status, 1, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	set_desc(d->table, 2, d->table, 2 * sizeof(struct vring_desc), VRING_DESC_F_INDIRECT);
	set_desc(d->desc, 0, d->table, 3 * sizeof(struct vring_desc), VRING_DESC_F_INDIRECT);
	status = 0xee;
	submit(d, 0);
	check("an indirect table inside one", status, VIRTIO_BLK_S_IOERR);
	/* No status byte at all: given back with nothing written. */
	set_desc(d->desc, 0, &hdr, sizeof(hdr), 0);
	check("no status byte: used length", submit(d, 0), 0);
	check("a64vm asked for the next notification (avail_event)", d->avail_event,
	      d->avail_idx);
	check("interrupt status seen", read_once(&isr_seen[0]), VIRTIO_MMIO_INT_VRING);
}

static void ro_tests(struct dev *d)
{
	u32 used;

	check("read-only disk: read", blk(d, 1, VIRTIO_BLK_T_IN, 0, data, SECTOR, true, &used),
	      VIRTIO_BLK_S_OK);
	check("read-only disk: write refused", blk(d, 1, VIRTIO_BLK_T_OUT, 1, data, SECTOR, false,
						   &used), VIRTIO_BLK_S_IOERR);
}

static void rng_tests(struct dev *d)
{
	u32 i, zero = 0, used;

	memset(data, 0, 64);
	set_desc(d->desc, 0, data, 64, VRING_DESC_F_WRITE);
	d->desc[0].flags = VRING_DESC_F_WRITE;
	used = submit(d, 2);
	for (i = 0; i < 64; i++)
		zero += !data[i];
	check("rng: 64 bytes", used, 64);
	check("rng: not all zero", zero < 16, 1);

	/* The avail index jumps past the queue: the device needs a reset. */
	d->avail.idx = d->avail_idx + QSZ + 1;
	dmb_sy();
	wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	wait_for_irq(read_once(&isr_seen[2]) & VIRTIO_MMIO_INT_CONFIG);
	check("rng: a bad avail index sets DEVICE_NEEDS_RESET",
	      !!(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET), 1);
	wr(d, VIRTIO_MMIO_STATUS, 0);
	check("rng: reset", rd(d, VIRTIO_MMIO_STATUS) | rd(d, VIRTIO_MMIO_QUEUE_READY), 0);
}

int main(void)
{
	static const u32 want_id[NR_DEV] = { VIRTIO_ID_BLOCK, VIRTIO_ID_BLOCK, VIRTIO_ID_RNG };
	const u64 ring = 1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_RING_F_EVENT_IDX |
			 1ULL << VIRTIO_RING_F_INDIRECT_DESC;
	unsigned int n;

	gic_init();
	gic_cpu_init();
	local_irq_enable();
	for (n = 0; n < NR_DEV; n++) {
		struct dev *d = &devs[n];
		u64 f;

		d->base = VIRT_VIRTIO_MMIO_BASE + n * VIRT_VIRTIO_MMIO_SIZE;
		printf("virtio: transport %u: magic %x version %u device %u\n", n,
		       rd(d, VIRTIO_MMIO_MAGIC_VALUE), rd(d, VIRTIO_MMIO_VERSION),
		       rd(d, VIRTIO_MMIO_DEVICE_ID));
		if (rd(d, VIRTIO_MMIO_DEVICE_ID) != want_id[n])
			return 1;
		f = features(d);
		check("ring features offered", (f & ring) == ring, 1);
		if (want_id[n] == VIRTIO_ID_BLOCK)
			printf("virtio: flush %u read-only %u\n",
			       !!(f & 1ULL << VIRTIO_BLK_F_FLUSH), !!(f & 1ULL << VIRTIO_BLK_F_RO));
		check("FEATURES_OK refused without VERSION_1",
		      negotiate(d, 1ULL << VIRTIO_RING_F_EVENT_IDX), 0);
		check("FEATURES_OK refused for a feature not offered",
		      negotiate(d, ring | 1ULL << 50), 0);
		check("FEATURES_OK", negotiate(d, ring | (f & 1ULL << VIRTIO_BLK_F_FLUSH)), 1);
		start(d, n);
	}
	blk_tests(&devs[0]);
	ro_tests(&devs[1]);
	rng_tests(&devs[2]);
	printf("virtio: done\n");
	return 0;
}
