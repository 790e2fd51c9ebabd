// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's split virtqueues (userspace/vmm/devices/
 * virtio_queue.c) against a hostile driver: a fake guest RAM holds the
 * rings, the test writes descriptors as a guest would and checks what
 * virtq_pop() makes of them.  Every bad chain -- buffers outside RAM or
 * straddling its end, address + length overflowing, zero lengths, loops,
 * chains longer than the queue, indirect tables nested, chained, of a bad
 * size, outside RAM or not negotiated, bad next indices, readable after
 * writable -- gives its exact error and no buffer outside RAM (a loop:
 * the buffers of one turn); a bad avail
 * index breaks the queue.  Also the rings' checks at QueueReady, the used
 * ring, event-index suppression and the iovec helpers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "virtio.h"

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	(1ULL << 20)
#define QSZ		8
#define DESC_OFF	0x0000
#define AVAIL_OFF	0x1000
#define USED_OFF	0x2000
#define TABLE_OFF	0x3000		/* indirect tables */
#define BUF_OFF		0x10000		/* data buffers */

FIXTURE(virtq) {
	struct guest_ram ram;
	struct virtq vq;
	struct virtq_req req;
	uint16_t avail_idx;
};

static struct vring_desc *desc(struct guest_ram *ram, uint64_t off, unsigned int i)
{
	return (struct vring_desc *)(ram->host + off) + i;
}

static void set_desc(struct guest_ram *ram, uint64_t off, unsigned int i, uint64_t addr,
		     uint32_t len, uint16_t flags, uint16_t next)
{
	*desc(ram, off, i) = (struct vring_desc){
		.addr = addr, .len = len, .flags = flags, .next = next,
	};
}

/* Makes head @head available, as a driver does. */
static void offer(struct guest_ram *ram, uint16_t *avail_idx, uint16_t head)
{
	struct vring_avail *avail = (struct vring_avail *)(ram->host + AVAIL_OFF);

	avail->ring[*avail_idx % QSZ] = head;
	avail->idx = ++*avail_idx;
}

/* Every buffer of a request lies inside the fake RAM. */
static bool inside_ram(const struct guest_ram *ram, const struct virtq_req *req)
{
	unsigned int i;

	for (i = 0; i < req->nr_out + req->nr_in; i++) {
		uint8_t *p = req->iov[i].iov_base;

		if (p < ram->host || p + req->iov[i].iov_len > ram->host + ram->size)
			return false;
	}
	return true;
}

FIXTURE_SETUP(virtq)
{
	self->ram = (struct guest_ram){ .gpa = RAM_GPA, .size = RAM_SIZE };
	self->ram.host = aligned_alloc(4096, RAM_SIZE);
	ASSERT_NE(NULL, self->ram.host);
	memset(self->ram.host, 0, RAM_SIZE);
	memset(&self->vq, 0, sizeof(self->vq));
	self->vq.num = QSZ;
	self->vq.desc_gpa = RAM_GPA + DESC_OFF;
	self->vq.avail_gpa = RAM_GPA + AVAIL_OFF;
	self->vq.used_gpa = RAM_GPA + USED_OFF;
	self->avail_idx = 0;
	ASSERT_EQ(0, virtq_enable(&self->vq, &self->ram, 256, false, true));
}

FIXTURE_TEARDOWN(virtq)
{
	free(self->ram.host);
}

/* Pops the one request offered; returns its err, checks its buffers are in RAM. */
#define POP_ERR() ({							\
	ASSERT_EQ(1, virtq_pop(&self->vq, &self->req));			\
	EXPECT_TRUE(inside_ram(&self->ram, &self->req));			\
	self->req.err;								\
})

TEST_F(virtq, good_chain)
{
	set_desc(&self->ram, DESC_OFF, 3, RAM_GPA + BUF_OFF, 16, VRING_DESC_F_NEXT, 5);
	set_desc(&self->ram, DESC_OFF, 5, RAM_GPA + BUF_OFF + 0x100, 512,
		 VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + RAM_SIZE - 1, 1, VRING_DESC_F_WRITE, 0);
	EXPECT_EQ(0, virtq_pop(&self->vq, &self->req));		/* nothing offered yet */
	offer(&self->ram, &self->avail_idx, 3);
	EXPECT_EQ(0, POP_ERR());
	EXPECT_EQ(3, self->req.head);
	EXPECT_EQ(1, self->req.nr_out);
	EXPECT_EQ(2, self->req.nr_in);
	EXPECT_EQ(16, self->req.out_len);
	EXPECT_EQ(513, self->req.in_len);
	EXPECT_EQ(self->ram.host + BUF_OFF, self->req.iov[0].iov_base);
	EXPECT_EQ(self->ram.host + BUF_OFF + 0x100, self->req.iov[1].iov_base);
	EXPECT_EQ(self->ram.host + RAM_SIZE - 1, self->req.iov[2].iov_base);
	EXPECT_EQ(0, virtq_pop(&self->vq, &self->req));
}

TEST_F(virtq, address_outside_ram)
{
	static const uint64_t bad[][2] = {
		{ 0, 16 },				/* below RAM */
		{ RAM_GPA - 8, 16 },			/* across its start */
		{ RAM_GPA + RAM_SIZE, 1 },		/* just past its end */
		{ RAM_GPA + RAM_SIZE - 8, 16 },		/* across its end */
		{ ~0ULL - 7, 16 },			/* address + length overflows */
		{ RAM_GPA + 0x100, 0xffffffff },	/* longer than RAM */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		set_desc(&self->ram, DESC_OFF, 0, bad[i][0], bad[i][1], 0, 0);
		offer(&self->ram, &self->avail_idx, 0);
		EXPECT_EQ(-EFAULT, POP_ERR()) TH_LOG("buffer %u", i);
		EXPECT_EQ(0, self->req.nr_out + self->req.nr_in);
	}
}

/* A bad buffer is left out; the walk goes on to the status byte. */
TEST_F(virtq, bad_buffer_then_status)
{
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 16, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, DESC_OFF, 1, 0x1000, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	set_desc(&self->ram, DESC_OFF, 2, RAM_GPA + BUF_OFF + 0x200, 1, VRING_DESC_F_WRITE, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-EFAULT, POP_ERR());
	EXPECT_EQ(1, self->req.nr_out);
	EXPECT_EQ(1, self->req.nr_in);
	EXPECT_EQ(self->ram.host + BUF_OFF + 0x200, self->req.iov[1].iov_base);
}

TEST_F(virtq, zero_length)
{
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 0, 0, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-EINVAL, POP_ERR());
	EXPECT_EQ(0, self->req.nr_out + self->req.nr_in);
}

TEST_F(virtq, readable_after_writable)
{
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 8,
		 VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	set_desc(&self->ram, DESC_OFF, 1, RAM_GPA + BUF_OFF, 8, 0, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-EINVAL, POP_ERR());
	EXPECT_EQ(0, self->req.nr_out);
	EXPECT_EQ(1, self->req.nr_in);
}

TEST_F(virtq, loop)
{
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 8, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, DESC_OFF, 1, RAM_GPA + BUF_OFF, 8, VRING_DESC_F_NEXT, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-ELOOP, POP_ERR());
	EXPECT_EQ(2, self->req.nr_out);		/* one turn */
	/* a descriptor that names itself */
	set_desc(&self->ram, DESC_OFF, 2, RAM_GPA + BUF_OFF, 8,
		 VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	offer(&self->ram, &self->avail_idx, 2);
	EXPECT_EQ(-ELOOP, POP_ERR());
	EXPECT_EQ(1, self->req.nr_in);
}

TEST_F(virtq, bad_index)
{
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 8, VRING_DESC_F_NEXT, QSZ);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-EINVAL, POP_ERR());		/* next beyond the table */
	EXPECT_EQ(1, self->req.nr_out);
	offer(&self->ram, &self->avail_idx, QSZ + 3);
	EXPECT_EQ(-EINVAL, POP_ERR());		/* head beyond the table */
	EXPECT_EQ(QSZ + 3, self->req.head);		/* given back under its own id */
	EXPECT_EQ(0, self->req.nr_out + self->req.nr_in);
}

TEST_F(virtq, indirect)
{
	uint64_t table = RAM_GPA + TABLE_OFF;

	set_desc(&self->ram, TABLE_OFF, 0, RAM_GPA + BUF_OFF, 16, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, TABLE_OFF, 1, RAM_GPA + BUF_OFF + 16, 1, VRING_DESC_F_WRITE, 0);
	/* a direct buffer, then the table */
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF + 64, 4, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, DESC_OFF, 1, table, 2 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(0, POP_ERR());
	EXPECT_EQ(2, self->req.nr_out);
	EXPECT_EQ(1, self->req.nr_in);
	EXPECT_EQ(20, self->req.out_len);
	EXPECT_EQ(self->ram.host + BUF_OFF + 16, self->req.iov[2].iov_base);
}

TEST_F(virtq, indirect_refused)
{
	uint64_t table = RAM_GPA + TABLE_OFF;
	static const struct {
		uint64_t addr;
		uint32_t len;
		uint16_t flags;
		int err;
	} bad[] = {
		{ RAM_GPA + TABLE_OFF, 0, VRING_DESC_F_INDIRECT, -EINVAL },	/* empty */
		{ RAM_GPA + TABLE_OFF, 24, VRING_DESC_F_INDIRECT, -EINVAL },	/* not x16 */
		{ RAM_GPA + TABLE_OFF, (QSZ + 1) * 16, VRING_DESC_F_INDIRECT, -EINVAL },
		{ RAM_GPA + TABLE_OFF, 32, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, -EINVAL },
		{ RAM_GPA + RAM_SIZE - 16, 32, VRING_DESC_F_INDIRECT, -EFAULT },
		{ ~0ULL - 15, 32, VRING_DESC_F_INDIRECT, -EFAULT },		/* overflows */
	};
	unsigned int i;

	set_desc(&self->ram, TABLE_OFF, 0, RAM_GPA + BUF_OFF, 16, 0, 0);
	set_desc(&self->ram, TABLE_OFF, 1, RAM_GPA + BUF_OFF, 16, 0, 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		set_desc(&self->ram, DESC_OFF, 0, bad[i].addr, bad[i].len, bad[i].flags, 1);
		offer(&self->ram, &self->avail_idx, 0);
		EXPECT_EQ(bad[i].err, POP_ERR()) TH_LOG("table %u", i);
		EXPECT_EQ(0, self->req.nr_out + self->req.nr_in);
	}
	/* an indirect descriptor inside the table */
	set_desc(&self->ram, TABLE_OFF, 0, RAM_GPA + BUF_OFF, 16, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, TABLE_OFF, 1, table, 32, VRING_DESC_F_INDIRECT, 0);
	set_desc(&self->ram, DESC_OFF, 0, table, 32, VRING_DESC_F_INDIRECT, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-EINVAL, POP_ERR());
	EXPECT_EQ(1, self->req.nr_out);
	/* a loop inside the table */
	set_desc(&self->ram, TABLE_OFF, 1, RAM_GPA + BUF_OFF, 16, VRING_DESC_F_NEXT, 0);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-ELOOP, POP_ERR());
	EXPECT_EQ(2, self->req.nr_out);
	/* and indirect descriptors when the driver did not negotiate them */
	set_desc(&self->ram, TABLE_OFF, 1, RAM_GPA + BUF_OFF, 16, 0, 0);
	self->vq.indirect = false;
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-EINVAL, POP_ERR());
}

/* More buffers than the queue size: direct ones and a full indirect table. */
TEST_F(virtq, too_long)
{
	unsigned int i;

	for (i = 0; i < QSZ; i++)
		set_desc(&self->ram, TABLE_OFF, i, RAM_GPA + BUF_OFF, 4,
			 i < QSZ - 1 ? VRING_DESC_F_NEXT : 0, i + 1);
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 4, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, DESC_OFF, 1, RAM_GPA + TABLE_OFF, QSZ * 16, VRING_DESC_F_INDIRECT, 0);
	offer(&self->ram, &self->avail_idx, 1);
	EXPECT_EQ(0, POP_ERR());			/* exactly the queue size */
	EXPECT_EQ(QSZ, self->req.nr_out);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(-ELOOP, POP_ERR());		/* one more */
	EXPECT_EQ(QSZ, self->req.nr_out);
}

TEST_F(virtq, avail_index_beyond_queue)
{
	struct vring_avail *avail = (struct vring_avail *)(self->ram.host + AVAIL_OFF);

	avail->idx = QSZ + 1;
	EXPECT_EQ(-EIO, virtq_pop(&self->vq, &self->req));
	EXPECT_TRUE(self->vq.broken);
	avail->idx = 1;					/* broken until enabled again */
	EXPECT_EQ(-EIO, virtq_pop(&self->vq, &self->req));
	ASSERT_EQ(0, virtq_enable(&self->vq, &self->ram, 256, false, true));
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 4, 0, 0);
	EXPECT_EQ(1, virtq_pop(&self->vq, &self->req));
}

TEST_F(virtq, rings_checked_at_ready)
{
	struct virtq vq = self->vq;

	virtq_disable(&vq);
	EXPECT_FALSE(vq.ready);
	vq.num = 6;				/* not a power of two */
	EXPECT_EQ(-EINVAL, virtq_enable(&vq, &self->ram, 256, false, false));
	vq.num = 512;				/* beyond QueueNumMax */
	EXPECT_EQ(-EINVAL, virtq_enable(&vq, &self->ram, 256, false, false));
	vq.num = 0;
	EXPECT_EQ(-EINVAL, virtq_enable(&vq, &self->ram, 256, false, false));
	vq.num = QSZ;
	vq.desc_gpa = RAM_GPA + 8;		/* descriptors 16-byte aligned */
	EXPECT_EQ(-EINVAL, virtq_enable(&vq, &self->ram, 256, false, false));
	vq.desc_gpa = RAM_GPA;
	vq.used_gpa = RAM_GPA + USED_OFF + 2;	/* used ring 4-byte aligned */
	EXPECT_EQ(-EINVAL, virtq_enable(&vq, &self->ram, 256, false, false));
	/* the used ring (6 + 8 * 8 bytes, with avail_event) must end inside RAM */
	vq.used_gpa = RAM_GPA + RAM_SIZE - 68;
	EXPECT_EQ(-EFAULT, virtq_enable(&vq, &self->ram, 256, false, false));
	vq.used_gpa = RAM_GPA + RAM_SIZE - 72;
	EXPECT_EQ(0, virtq_enable(&vq, &self->ram, 256, false, false));
	virtq_disable(&vq);
	vq.avail_gpa = ~0ULL - 1;
	EXPECT_EQ(-EFAULT, virtq_enable(&vq, &self->ram, 256, false, false));
	EXPECT_FALSE(vq.ready);
}

TEST_F(virtq, used_ring)
{
	struct vring_used *used = (struct vring_used *)(self->ram.host + USED_OFF);

	set_desc(&self->ram, DESC_OFF, 4, RAM_GPA + BUF_OFF, 4, VRING_DESC_F_WRITE, 0);
	offer(&self->ram, &self->avail_idx, 4);
	EXPECT_EQ(0, POP_ERR());
	virtq_push(&self->vq, &self->req, 3);
	EXPECT_EQ(1, used->idx);
	EXPECT_EQ(4, used->ring[0].id);
	EXPECT_EQ(3, used->ring[0].len);
	/* without event indices: an interrupt unless VRING_AVAIL_F_NO_INTERRUPT */
	EXPECT_TRUE(virtq_needs_interrupt(&self->vq));
	EXPECT_FALSE(virtq_needs_interrupt(&self->vq));		/* nothing new */
	((struct vring_avail *)(self->ram.host + AVAIL_OFF))->flags = VRING_AVAIL_F_NO_INTERRUPT;
	virtq_push(&self->vq, &self->req, 3);
	EXPECT_FALSE(virtq_needs_interrupt(&self->vq));
}

TEST_F(virtq, event_idx)
{
	struct vring_avail *avail = (struct vring_avail *)(self->ram.host + AVAIL_OFF);
	struct vring_used *used = (struct vring_used *)(self->ram.host + USED_OFF);
	uint16_t *used_event = &avail->ring[QSZ], *avail_event = (uint16_t *)&used->ring[QSZ];
	unsigned int i;

	self->vq.event_idx = true;
	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 4, VRING_DESC_F_WRITE, 0);
	*avail_event = 0xffff;
	EXPECT_EQ(0, virtq_pop(&self->vq, &self->req));
	EXPECT_EQ(0, *avail_event);		/* notify me at entry 0 */
	for (i = 0; i < 3; i++) {
		offer(&self->ram, &self->avail_idx, 0);
		EXPECT_EQ(1, virtq_pop(&self->vq, &self->req));
	}
	EXPECT_EQ(0, virtq_pop(&self->vq, &self->req));
	EXPECT_EQ(3, *avail_event);
	/* the driver wants an interrupt once used entry 1 is there */
	*used_event = 1;
	virtq_push(&self->vq, &self->req, 4);
	EXPECT_FALSE(virtq_needs_interrupt(&self->vq));		/* entry 0 */
	virtq_push(&self->vq, &self->req, 4);
	EXPECT_TRUE(virtq_needs_interrupt(&self->vq));		/* entry 1 */
	virtq_push(&self->vq, &self->req, 4);
	EXPECT_FALSE(virtq_needs_interrupt(&self->vq));		/* entry 2: not asked for */
}

TEST_F(virtq, iov_helpers)
{
	uint8_t *a = self->ram.host + BUF_OFF, *b = self->ram.host + BUF_OFF + 0x100;
	struct iovec slice[4];
	unsigned int n;
	uint8_t buf[8];

	set_desc(&self->ram, DESC_OFF, 0, RAM_GPA + BUF_OFF, 3, VRING_DESC_F_NEXT, 1);
	set_desc(&self->ram, DESC_OFF, 1, RAM_GPA + BUF_OFF + 0x100, 5, VRING_DESC_F_NEXT, 2);
	set_desc(&self->ram, DESC_OFF, 2, RAM_GPA + BUF_OFF + 0x200, 2, VRING_DESC_F_WRITE, 0);
	memcpy(a, "abc", 3);
	memcpy(b, "defgh", 5);
	offer(&self->ram, &self->avail_idx, 0);
	EXPECT_EQ(0, POP_ERR());
	EXPECT_EQ(4, iov_slice(self->req.iov, 2, 2, 4, slice, &n));
	EXPECT_EQ(2, n);
	EXPECT_EQ(a + 2, slice[0].iov_base);
	EXPECT_EQ(1, slice[0].iov_len);
	EXPECT_EQ(b, slice[1].iov_base);
	EXPECT_EQ(3, slice[1].iov_len);
	EXPECT_EQ(6, virtq_read_out(&self->req, 2, buf, sizeof(buf)));	/* only 6 left */
	EXPECT_EQ(0, memcmp(buf, "cdefgh", 6));
	EXPECT_EQ(2, virtq_write_in(&self->req, 0, "xyz", 3));		/* only 2 fit */
	EXPECT_EQ(0, memcmp(self->ram.host + BUF_OFF + 0x200, "xy", 2));
	EXPECT_EQ(0, virtq_write_in(&self->req, 2, "z", 1));
}

TEST_HARNESS_MAIN
