// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of uapi/linux/a64vcpu.h: it compiles alone, as the first
 * include of a userspace program, and its numbers are the frozen ABI.
 */
#include <linux/a64vcpu.h>

#include <assert.h>
#include "kselftest_harness.h"

/* The ioctl numbers are ABI: they may never change. */
static_assert(A64VCPUIO == 0xA6, "ioctl type");
static_assert(A64VCPU_GET_API_VERSION == 0xA600, "GET_API_VERSION");
static_assert(A64VCPU_CHECK_EXTENSION == 0xA601, "CHECK_EXTENSION");
static_assert(A64VCPU_API_VERSION == 1, "API version");
static_assert(A64VCPU_CAP_MAX_IPA_SIZE == 1, "CAP_MAX_IPA_SIZE");

TEST(system_ioctls_have_no_payload)
{
	EXPECT_EQ(0, _IOC_SIZE(A64VCPU_GET_API_VERSION));
	EXPECT_EQ(_IOC_NONE, _IOC_DIR(A64VCPU_GET_API_VERSION));
	EXPECT_EQ(0, _IOC_SIZE(A64VCPU_CHECK_EXTENSION));
	EXPECT_EQ(_IOC_NONE, _IOC_DIR(A64VCPU_CHECK_EXTENSION));
}

TEST(system_ioctls_in_system_range)
{
	EXPECT_GT(0x40, _IOC_NR(A64VCPU_GET_API_VERSION));
	EXPECT_GT(0x40, _IOC_NR(A64VCPU_CHECK_EXTENSION));
	EXPECT_NE(_IOC_NR(A64VCPU_GET_API_VERSION), _IOC_NR(A64VCPU_CHECK_EXTENSION));
}

TEST_HARNESS_MAIN
