// SPDX-License-Identifier: GPL-2.0-only
/*
 * liba64vcpu (userspace/lib/a64vcpu.c), natively, against a fake module:
 * this file's ioctl() answers in place of /dev/a64vcpu, with a run
 * structure larger than a page, so that a64vcpu_unmap_run() must unmap
 * what a64vcpu_map_run() mapped, and with registers of 8 and 16 bytes
 * written exactly as the module writes them.  (selftests/vcpu_regs.c checks
 * the same register paths against the real module, in QEMU.)
 */
#define _GNU_SOURCE	/* memfd_create(), mincore() */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "a64vcpu.h"

#define FAKE_SYS_FD	1000
#define FAKE_VCPU_FD	1001
#define RUN_PAGES	3

static long page_size;
static unsigned int nr_ioctls;
static uint64_t fake_x[31];
static uint64_t fake_v[32][2];

/* One register as the module has it: its storage and its size (vcpu.c). */
static void *fake_reg(uint64_t id, size_t *size)
{
	*size = 8;
	if (id <= A64VCPU_REG_X(30))
		return &fake_x[id];
	*size = 16;
	if (id >= A64VCPU_REG_V(0) && id <= A64VCPU_REG_V(31))
		return fake_v[id - A64VCPU_REG_V(0)];
	return NULL;
}

/* The fake /dev/a64vcpu: what liba64vcpu's ioctls reach in this test. */
int ioctl(int fd, unsigned long request, ...)
{
	struct a64vcpu_reg *reg;
	size_t size;
	va_list ap;
	void *p;

	va_start(ap, request);
	reg = va_arg(ap, struct a64vcpu_reg *);
	va_end(ap);
	nr_ioctls++;
	if (fd == FAKE_SYS_FD && request == A64VCPU_GET_VCPU_MMAP_SIZE)
		return RUN_PAGES * page_size;
	if (fd != FAKE_VCPU_FD || (request != A64VCPU_GET_REG && request != A64VCPU_SET_REG)) {
		errno = ENOTTY;
		return -1;
	}
	p = fake_reg(reg->id, &size);
	if (!p) {
		errno = ENOENT;
		return -1;
	}
	if (request == A64VCPU_GET_REG)
		memcpy((void *)(uintptr_t)reg->addr, p, size);
	else
		memcpy(p, (void *)(uintptr_t)reg->addr, size);
	return 0;
}

static int page_mapped(void *addr)
{
	unsigned char vec;

	return !mincore(addr, page_size, &vec);
}

TEST(unmap_run_unmaps_the_mmap_size)
{
	int memfd = memfd_create("run", 0);
	struct a64vcpu_run *run;
	unsigned int i, mapped = 0;

	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, RUN_PAGES * page_size));
	ASSERT_LE(0, dup2(memfd, FAKE_VCPU_FD));
	run = a64vcpu_map_run(FAKE_SYS_FD, FAKE_VCPU_FD);
	ASSERT_NE(NULL, run);
	for (i = 0; i < RUN_PAGES; i++)
		mapped += page_mapped((char *)run + i * page_size);
	EXPECT_EQ(RUN_PAGES, mapped);
	a64vcpu_unmap_run(run);
	for (mapped = 0, i = 0; i < RUN_PAGES; i++)
		mapped += page_mapped((char *)run + i * page_size);
	EXPECT_EQ(0, mapped) TH_LOG("%u of %u pages of the run structure still mapped",
				    mapped, RUN_PAGES);
	close(FAKE_VCPU_FD);
	close(memfd);
}

TEST(v_registers_128_bits)
{
	uint64_t val[2] = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL }, back[2] = { 0 };

	ASSERT_EQ(0, a64vcpu_set_reg128(FAKE_VCPU_FD, A64VCPU_REG_V(5), val));
	EXPECT_EQ(val[0], fake_v[5][0]);
	EXPECT_EQ(val[1], fake_v[5][1]);
	fake_v[6][0] = 0x1111;
	fake_v[6][1] = 0x2222;
	ASSERT_EQ(0, a64vcpu_get_reg128(FAKE_VCPU_FD, A64VCPU_REG_V(6), back));
	EXPECT_EQ(0x1111, back[0]);
	EXPECT_EQ(0x2222, back[1]);
}

TEST(eight_byte_helpers_refuse_v_registers)
{
	uint64_t x = 7, buf[2] = { 0 };
	unsigned int before = nr_ioctls;

	fake_v[0][0] = 1;
	fake_v[0][1] = 2;
	EXPECT_EQ(-EINVAL, a64vcpu_get_reg(FAKE_VCPU_FD, A64VCPU_REG_V(0), &x));
	EXPECT_EQ(0, x);
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg(FAKE_VCPU_FD, A64VCPU_REG_V(0), 9));
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg(FAKE_VCPU_FD, A64VCPU_REG_V(31), 9));
	EXPECT_EQ(1, fake_v[0][0]);
	EXPECT_EQ(2, fake_v[0][1]);
	/* and the 16-byte ones refuse 8-byte registers */
	EXPECT_EQ(-EINVAL, a64vcpu_get_reg128(FAKE_VCPU_FD, A64VCPU_REG_X(0), buf));
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg128(FAKE_VCPU_FD, A64VCPU_REG_FPSR, buf));
	EXPECT_EQ(-EINVAL, a64vcpu_get_reg128(FAKE_VCPU_FD, A64VCPU_REG_V(31) + 1, buf));
	EXPECT_EQ(before, nr_ioctls);		/* refused before any ioctl */

	/* 8-byte registers still work, and a failed get leaves 0 */
	ASSERT_EQ(0, a64vcpu_set_reg(FAKE_VCPU_FD, A64VCPU_REG_X(2), 0x42));
	EXPECT_EQ(0x42, fake_x[2]);
	ASSERT_EQ(0, a64vcpu_get_reg(FAKE_VCPU_FD, A64VCPU_REG_X(2), &x));
	EXPECT_EQ(0x42, x);
	EXPECT_EQ(-ENOENT, a64vcpu_get_reg(FAKE_VCPU_FD, A64VCPU_REG_PC, &x));
	EXPECT_EQ(0, x);
}

TEST_HARNESS_MAIN
