// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO exits: stores of 1, 2, 4 and 8 bytes with their data; loads
 * completed from the run structure with zero and sign extension to 32 and
 * 64 bits; a load into XZR; a store pair (no syndrome) as UNHANDLED_ABORT.
 */
#include "kselftest_harness.h"
#include "vm.h"

#define MMIO_GPA	0x0a001000ULL
#define READ_DATA	0xf0f1f2f3f4f5f6f7ULL

static void expect_write(struct __test_metadata *_metadata, struct test_vcpu *vcpu,
			 uint64_t addr, uint32_t len, uint64_t data)
{
	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_TRUE(vcpu->run->mmio.is_write);
	EXPECT_EQ(addr, vcpu->run->mmio.phys_addr);
	EXPECT_EQ(len, vcpu->run->mmio.len);
	EXPECT_EQ(data, vcpu->run->mmio.data);
}

/* A load exits; the test answers READ_DATA; the guest reports the register. */
static uint64_t answer_read(struct __test_metadata *_metadata, struct test_vcpu *vcpu,
			    uint64_t addr, uint32_t len)
{
	EXPECT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_FALSE(vcpu->run->mmio.is_write);
	EXPECT_EQ(addr, vcpu->run->mmio.phys_addr);
	EXPECT_EQ(len, vcpu->run->mmio.len);
	vcpu->run->mmio.data = READ_DATA;
	return vcpu_ucall(vcpu);
}

TEST(widths_and_extension)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(mmio));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t x3;

	expect_write(_metadata, vcpu, MMIO_GPA, 1, 0x11);
	expect_write(_metadata, vcpu, MMIO_GPA + 2, 2, 0x2211);
	expect_write(_metadata, vcpu, MMIO_GPA + 4, 4, 0x44332211);
	expect_write(_metadata, vcpu, MMIO_GPA + 8, 8, 0x8877665544332211ULL);

	EXPECT_EQ(0xf7, answer_read(_metadata, vcpu, MMIO_GPA, 1));			/* ldrb w */
	EXPECT_EQ(0xfffffff7, answer_read(_metadata, vcpu, MMIO_GPA, 1));	/* ldrsb w, x */
	EXPECT_EQ(0xfffffffffffffff7ULL, answer_read(_metadata, vcpu, MMIO_GPA, 1));
	EXPECT_EQ(0xf6f7, answer_read(_metadata, vcpu, MMIO_GPA + 2, 2));		/* ldrh w */
	EXPECT_EQ(0xfffff6f7, answer_read(_metadata, vcpu, MMIO_GPA + 2, 2));	/* ldrsh w */
	EXPECT_EQ(0xfffffffffffff6f7ULL, answer_read(_metadata, vcpu, MMIO_GPA + 2, 2));
	EXPECT_EQ(0xf4f5f6f7, answer_read(_metadata, vcpu, MMIO_GPA + 4, 4));	/* ldr w */
	EXPECT_EQ(0xfffffffff4f5f6f7ULL, answer_read(_metadata, vcpu, MMIO_GPA + 4, 4));
	x3 = answer_read(_metadata, vcpu, MMIO_GPA + 8, 8);				/* ldr x */
	EXPECT_EQ(READ_DATA, x3);
	/* ldr xzr: exits, and x3 keeps its value. */
	EXPECT_EQ(READ_DATA, answer_read(_metadata, vcpu, MMIO_GPA + 8, 8));

	ASSERT_EQ(A64VCPU_EXIT_UNHANDLED_ABORT, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(MMIO_GPA + 16, vcpu->run->fault.ipa);
	EXPECT_TRUE(vcpu->run->fault.is_write);
	EXPECT_EQ(0x24, vcpu->run->fault.esr >> 26);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
