/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks over vm.h that several tests make, with the kselftest harness's
 * assertions (a failure fails the calling test).
 */
#ifndef A64_SELFTEST_EXPECT_H
#define A64_SELFTEST_EXPECT_H

#include "kselftest_harness.h"
#include "vm.h"

/* The next exit (HALT aside) is an MMIO store of @len bytes of @data at @addr. */
static inline void expect_mmio_write(struct __test_metadata *_metadata, struct test_vcpu *vcpu,
				     uint64_t addr, uint32_t len, uint64_t data)
{
	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_TRUE(vcpu->run->mmio.is_write);
	EXPECT_EQ(addr, vcpu->run->mmio.phys_addr);
	EXPECT_EQ(len, vcpu->run->mmio.len);
	EXPECT_EQ(data, vcpu->run->mmio.data);
}

#endif
