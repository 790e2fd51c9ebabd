// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of uapi/linux/a64vcpu.h: it compiles alone, as the first
 * include of a userspace program, and its numbers are the frozen ABI.
 */
#include <linux/a64vcpu.h>

#include <assert.h>
#include <stddef.h>
#include "kselftest_harness.h"

/* The ioctl numbers are ABI: they may never change. */
static_assert(A64VCPUIO == 0xA6, "ioctl type");
static_assert(A64VCPU_GET_API_VERSION == 0xA600, "GET_API_VERSION");
static_assert(A64VCPU_CHECK_EXTENSION == 0xA601, "CHECK_EXTENSION");
static_assert(A64VCPU_API_VERSION == 1, "API version");
static_assert(A64VCPU_CAP_MAX_IPA_SIZE == 1, "CAP_MAX_IPA_SIZE");
static_assert(A64VCPU_CAP_MAX_STAGE2 == 5, "CAP_MAX_STAGE2");

/* Structures: multiples of 8 bytes, no hidden holes, frozen sizes. */
static_assert(sizeof(struct a64vcpu_vm_config) == 32, "vm_config");
static_assert(sizeof(struct a64vcpu_memory_slot) == 56, "memory_slot");
static_assert(sizeof(struct a64vcpu_vcpu_config) == 56, "vcpu_config");
static_assert(sizeof(struct a64vcpu_setup_config) == 32, "setup_config");
static_assert(sizeof(struct a64vcpu_reg) == 16, "reg");
static_assert(sizeof(struct a64vcpu_reg_list) == 8, "reg_list");
static_assert(sizeof(struct a64vcpu_irq_line) == 16, "irq_line");
static_assert(sizeof(struct a64vcpu_doorbell) == 48, "doorbell");
static_assert(sizeof(struct a64vcpu_irqfd) == 32, "irqfd");
static_assert(sizeof(struct a64vcpu_run) == 320, "run");
static_assert(offsetof(struct a64vcpu_run, exit_reason) == 8, "run.exit_reason");
static_assert(offsetof(struct a64vcpu_run, mmio) == 64, "run union");
static_assert(sizeof(((struct a64vcpu_run *)0)->hypercall) <= 256, "hypercall");

/* Ioctl numbers by fd: system 0x00-0x3f, VM 0x40-0x7f, vCPU 0x80-0xbf. */
static_assert(A64VCPU_GET_VCPU_MMAP_SIZE == 0xA602, "GET_VCPU_MMAP_SIZE");
static_assert(_IOC_NR(A64VCPU_CREATE_VM) == 0x03, "CREATE_VM");
static_assert(_IOC_NR(A64VCPU_SET_MEMORY_SLOT) == 0x40, "SET_MEMORY_SLOT");
static_assert(_IOC_NR(A64VCPU_CREATE_STAGE2) == 0x41, "CREATE_STAGE2");
static_assert(_IOC_NR(A64VCPU_CREATE_VCPU) == 0x42, "CREATE_VCPU");
static_assert(_IOC_NR(A64VCPU_DOORBELL) == 0x47, "DOORBELL");
static_assert(_IOC_NR(A64VCPU_IRQFD) == 0x48, "IRQFD");
static_assert(_IOC_NR(A64VCPU_VCPU_SETUP) == 0x80, "VCPU_SETUP");
static_assert(_IOC_NR(A64VCPU_RUN) == 0x87, "RUN");
static_assert(_IOC_SIZE(A64VCPU_SET_MEMORY_SLOT) == sizeof(struct a64vcpu_memory_slot),
	      "SET_MEMORY_SLOT size");

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
