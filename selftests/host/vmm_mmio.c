// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's MMIO bus (userspace/vmm/mmio.c): devices by
 * range, refused overlaps, dispatch with offset and length, and unclaimed
 * addresses reading as zero and reported once each (stderr is captured).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mmio.h"

/* What a recording device saw last. */
struct rec {
	uint64_t offset, val;
	unsigned int len, reads, writes;
};

static uint64_t rec_read(struct mmio_device *dev, uint64_t offset, unsigned int len)
{
	struct rec *r = dev->priv;

	r->offset = offset;
	r->len = len;
	r->reads++;
	return 0x1122334455667788ULL ^ offset;
}

static void rec_write(struct mmio_device *dev, uint64_t offset, uint64_t val, unsigned int len)
{
	struct rec *r = dev->priv;

	r->offset = offset;
	r->val = val;
	r->len = len;
	r->writes++;
}

#define DEV(n, b, s, r) ((struct mmio_device){ .name = n, .base = b, .size = s,		\
					      .read = rec_read, .write = rec_write,	\
					      .priv = r })

FIXTURE(bus) {
	struct mmio_bus bus;
	struct mmio_device a, b;
	struct rec ra, rb;
};

/* stderr while it is captured: the file it goes to, and the real one. */
static FILE *captured;
static int saved_stderr = -1;

FIXTURE_SETUP(bus)
{
	memset(&self->ra, 0, sizeof(self->ra));
	memset(&self->rb, 0, sizeof(self->rb));
	self->a = DEV("a", 0x09000000, 0x1000, &self->ra);
	self->b = DEV("b", 0x0a000000, 0x200, &self->rb);
	mmio_bus_init(&self->bus);
	ASSERT_EQ(0, mmio_bus_add(&self->bus, &self->a));
	ASSERT_EQ(0, mmio_bus_add(&self->bus, &self->b));
}

static void restore_stderr(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
}

FIXTURE_TEARDOWN(bus)
{
	restore_stderr();
	if (captured)
		fclose(captured);
	captured = NULL;
}

/* Sends stderr to a file, for counting the bus's reports. */
static void capture_stderr(struct __test_metadata *_metadata)
{
	fflush(stderr);
	captured = tmpfile();
	ASSERT_NE(NULL, captured);
	saved_stderr = dup(STDERR_FILENO);
	ASSERT_LE(0, saved_stderr);
	ASSERT_EQ(STDERR_FILENO, dup2(fileno(captured), STDERR_FILENO));
}

/* Restores stderr; returns how many of the lines written to it hold @needle. */
static unsigned int captured_lines(const char *needle)
{
	unsigned int n = 0;
	char line[256];

	restore_stderr();
	rewind(captured);
	while (fgets(line, sizeof(line), captured))
		n += !needle || strstr(line, needle);
	return n;
}

TEST_F(bus, find)
{
	EXPECT_EQ(&self->a, mmio_bus_find(&self->bus, 0x09000000, 4));
	EXPECT_EQ(&self->a, mmio_bus_find(&self->bus, 0x09000ff8, 8));	/* last 8 bytes */
	EXPECT_EQ(&self->b, mmio_bus_find(&self->bus, 0x0a0001ff, 1));
	EXPECT_EQ(NULL, mmio_bus_find(&self->bus, 0x08fffffc, 4));
	EXPECT_EQ(NULL, mmio_bus_find(&self->bus, 0x09001000, 4));	/* just past */
	EXPECT_EQ(NULL, mmio_bus_find(&self->bus, 0x09000ffc, 8));	/* straddles the end */
	EXPECT_EQ(NULL, mmio_bus_find(&self->bus, 0x08ffffff, 2));	/* straddles the start */
	EXPECT_EQ(NULL, mmio_bus_find(&self->bus, ~0ULL, 8));
}

TEST_F(bus, overlap_refused)
{
	struct mmio_device same = DEV("same", 0x09000000, 0x1000, NULL);
	struct mmio_device head = DEV("head", 0x08fff000, 0x1001, NULL);
	struct mmio_device tail = DEV("tail", 0x09000fff, 0x10, NULL);
	struct mmio_device inside = DEV("inside", 0x09000100, 0x10, NULL);
	struct mmio_device around = DEV("around", 0x08000000, 0x4000000, NULL);
	struct mmio_device before = DEV("before", 0x08fff000, 0x1000, NULL);
	struct mmio_device after = DEV("after", 0x09001000, 0x1000, NULL);

	EXPECT_EQ(-EEXIST, mmio_bus_add(&self->bus, &same));
	EXPECT_EQ(-EEXIST, mmio_bus_add(&self->bus, &head));
	EXPECT_EQ(-EEXIST, mmio_bus_add(&self->bus, &tail));
	EXPECT_EQ(-EEXIST, mmio_bus_add(&self->bus, &inside));
	EXPECT_EQ(-EEXIST, mmio_bus_add(&self->bus, &around));
	EXPECT_EQ(2, self->bus.nr_dev);
	/* adjacent is fine */
	EXPECT_EQ(0, mmio_bus_add(&self->bus, &before));
	EXPECT_EQ(0, mmio_bus_add(&self->bus, &after));
	EXPECT_EQ(4, self->bus.nr_dev);
	EXPECT_EQ(&before, mmio_bus_find(&self->bus, 0x08ffffff, 1));
	EXPECT_EQ(&after, mmio_bus_find(&self->bus, 0x09001000, 1));
}

TEST_F(bus, bad_range_and_full)
{
	struct mmio_device empty = DEV("empty", 0x1000, 0, NULL);
	struct mmio_device wrap = DEV("wrap", ~0ULL - 0xff, 0x1000, NULL);
	struct mmio_device many[MMIO_MAX_DEVICES];
	unsigned int i;

	EXPECT_EQ(-EINVAL, mmio_bus_add(&self->bus, &empty));
	EXPECT_EQ(-EINVAL, mmio_bus_add(&self->bus, &wrap));
	for (i = 0; i < MMIO_MAX_DEVICES; i++)
		many[i] = DEV("many", 0x10000000 + i * 0x1000, 0x1000, NULL);
	for (i = 0; i < MMIO_MAX_DEVICES - 2; i++)
		ASSERT_EQ(0, mmio_bus_add(&self->bus, &many[i]));
	EXPECT_EQ(-ENOSPC, mmio_bus_add(&self->bus, &many[i]));
	EXPECT_EQ(MMIO_MAX_DEVICES, self->bus.nr_dev);
}

TEST_F(bus, dispatch)
{
	uint64_t data;

	ASSERT_TRUE(mmio_bus_access(&self->bus, 0x09000018, &data, 4, false));
	EXPECT_EQ(0x1122334455667788ULL ^ 0x18, data);
	EXPECT_EQ(0x18, self->ra.offset);
	EXPECT_EQ(4, self->ra.len);
	EXPECT_EQ(1, self->ra.reads);

	data = 0xdeadbeefcafef00dULL;
	ASSERT_TRUE(mmio_bus_access(&self->bus, 0x0a000100, &data, 8, true));
	EXPECT_EQ(0x100, self->rb.offset);
	EXPECT_EQ(0xdeadbeefcafef00dULL, self->rb.val);
	EXPECT_EQ(8, self->rb.len);
	EXPECT_EQ(1, self->rb.writes);
	EXPECT_EQ(0xdeadbeefcafef00dULL, data);		/* a write leaves it alone */

	data = 0x41;
	ASSERT_TRUE(mmio_bus_access(&self->bus, 0x09000000, &data, 1, true));
	EXPECT_EQ(0, self->ra.offset);
	EXPECT_EQ(1, self->ra.len);
	EXPECT_EQ(0x41, self->ra.val);
	ASSERT_TRUE(mmio_bus_access(&self->bus, 0x09000ffe, &data, 2, false));
	EXPECT_EQ(0xffe, self->ra.offset);
	EXPECT_EQ(2, self->ra.len);
	EXPECT_EQ(2, self->ra.reads);
	EXPECT_EQ(1, self->ra.writes);
	EXPECT_EQ(0, self->rb.reads);
	EXPECT_EQ(0, self->bus.unclaimed);
}

TEST_F(bus, unclaimed_reads_zero)
{
	uint64_t data = 0x5555;

	capture_stderr(_metadata);
	EXPECT_FALSE(mmio_bus_access(&self->bus, 0x0c000000, &data, 4, false));
	EXPECT_EQ(0, data);
	data = 0x5555;
	EXPECT_FALSE(mmio_bus_access(&self->bus, 0x0c000000, &data, 4, true));
	EXPECT_EQ(0x5555, data);
	/* an access straddling a device's end is nobody's */
	EXPECT_FALSE(mmio_bus_access(&self->bus, 0x09000ffc, &data, 8, false));
	EXPECT_EQ(0, data);
	EXPECT_EQ(0, self->ra.reads + self->ra.writes);
	EXPECT_EQ(3, self->bus.unclaimed);
	EXPECT_EQ(2, self->bus.logged.nr);
	EXPECT_EQ(2, captured_lines(NULL));
}

TEST_F(bus, unclaimed_logged_once)
{
	uint64_t data;
	unsigned int i;

	capture_stderr(_metadata);
	for (i = 0; i < 5; i++)
		mmio_bus_access(&self->bus, 0x0c000000, &data, 4, i & 1);
	for (i = 0; i < 3; i++)
		mmio_bus_access(&self->bus, 0x0c000008, &data, 8, false);
	EXPECT_EQ(8, self->bus.unclaimed);
	EXPECT_EQ(2, self->bus.logged.nr);
	EXPECT_EQ(0x0c000000, self->bus.logged.key[0]);
	EXPECT_EQ(0x0c000008, self->bus.logged.key[1]);
	EXPECT_EQ(2, captured_lines(NULL));
	EXPECT_EQ(1, captured_lines("0xc000008"));
}

/* Past MMIO_MAX_LOGGED distinct addresses: still counted, no longer reported. */
TEST_F(bus, unclaimed_log_is_bounded)
{
	uint64_t data;
	unsigned int i;

	capture_stderr(_metadata);
	for (i = 0; i < MMIO_MAX_LOGGED + 10; i++)
		mmio_bus_access(&self->bus, 0x20000000 + i * 8, &data, 4, false);
	for (i = 0; i < MMIO_MAX_LOGGED + 10; i++)
		mmio_bus_access(&self->bus, 0x20000000 + i * 8, &data, 4, false);
	EXPECT_EQ(2 * (MMIO_MAX_LOGGED + 10), self->bus.unclaimed);
	EXPECT_EQ(MMIO_MAX_LOGGED, self->bus.logged.nr);
	EXPECT_EQ(MMIO_MAX_LOGGED, captured_lines(NULL));
}

/*
 * The device lock: vCPU threads hammer one device whose write callback does
 * a read-modify-write with a yield in the middle; without mutual exclusion
 * increments are lost.
 */
#define RACERS		4
#define RACE_WRITES	20000

static uint64_t race_count;

static uint64_t race_read(struct mmio_device *dev, uint64_t offset, unsigned int len)
{
	return race_count;
}

static void race_write(struct mmio_device *dev, uint64_t offset, uint64_t val, unsigned int len)
{
	uint64_t c = race_count;

	if (!(c % 64))
		sched_yield();
	race_count = c + val;
}

static void *racer(void *arg)
{
	struct mmio_bus *bus = arg;
	uint64_t one = 1;
	int i;

	for (i = 0; i < RACE_WRITES; i++)
		mmio_bus_access(bus, 0x1000, &one, 4, true);
	return NULL;
}

TEST(device_lock_excludes)
{
	struct mmio_device dev = { .name = "race", .base = 0x1000, .size = 0x10,
				   .read = race_read, .write = race_write };
	struct mmio_bus bus;
	pthread_t t[RACERS];
	uint64_t val = 0;
	int i;

	mmio_bus_init(&bus);
	ASSERT_EQ(0, mmio_bus_add(&bus, &dev));
	for (i = 0; i < RACERS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, racer, &bus));
	for (i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	ASSERT_TRUE(mmio_bus_access(&bus, 0x1000, &val, 8, false));
	EXPECT_EQ(RACERS * RACE_WRITES, val);
	EXPECT_FALSE(dev.locked);
}

TEST_HARNESS_MAIN
