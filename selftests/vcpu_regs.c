// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registers: every id in the list round-trips through SET/GET, the initial
 * state follows the Linux boot protocol, PSTATE cannot name EL2 or
 * AArch32, all 128 bits of the V registers go through liba64vcpu (whose
 * 8-byte helpers refuse them), the guest sees V registers the test set
 * through it, and its FP/SIMD state survives the host using FP between runs.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "vm.h"

static int reg_ioctl(struct test_vcpu *vcpu, unsigned long cmd, uint64_t id, void *val)
{
	struct a64vcpu_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vcpu->fd, cmd, &reg);
}

TEST(initial_state)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct a64vcpu_vcpu_config cfg = { .mpidr = 0x102, .dtb_addr = 0x48000000 };
	struct test_vcpu vcpu = { 0 };
	uint64_t val;

	vcpu.fd = ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg);
	ASSERT_LE(0, vcpu.fd);
	EXPECT_EQ(0x48000000, vcpu_get(&vcpu, A64VCPU_REG_X(0)));	/* x0 = DTB */
	EXPECT_EQ(0x3c5, vcpu_get(&vcpu, A64VCPU_REG_PSTATE));	/* EL1h, DAIF */
	val = vcpu_get(&vcpu, A64VCPU_REG_SYS(A64VCPU_SYS_SCTLR_EL1));
	EXPECT_EQ(0, val & 1);						/* MMU off */
	close(vcpu.fd);
	vm_destroy(vm);
}

TEST(list_and_round_trip)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct a64vcpu_reg_list *list;
	uint64_t n = 0, i, val[2], back[2];

	list = calloc(1, sizeof(*list));
	ASSERT_NE(NULL, list);
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_GET_REG_LIST, list));
	EXPECT_EQ(E2BIG, errno);
	n = list->n;
	ASSERT_LE(31 + 6 + 32 + 2 + A64VCPU_SYS_NR, n);
	list = realloc(list, sizeof(*list) + n * sizeof(list->reg[0]));
	ASSERT_NE(NULL, list);
	ASSERT_EQ(0, ioctl(vcpu->fd, A64VCPU_GET_REG_LIST, list));
	for (i = 0; i < n; i++) {
		uint64_t id = list->reg[i];

		val[0] = 0x1111111100000000ULL | (id << 4);
		val[1] = ~val[0];
		if (id == A64VCPU_REG_PSTATE)
			val[0] = 0x3c4;		/* EL1t, a legal mode */
		if (id == A64VCPU_REG_FPSR || id == A64VCPU_REG_FPCR)
			val[0] &= 0xffffffff;	/* 32 bits (vcpu_fpsimd) */
		ASSERT_EQ(0, reg_ioctl(vcpu, A64VCPU_SET_REG, id, val)) TH_LOG("id %#lx", id);
		back[0] = 0;
		back[1] = 0;
		ASSERT_EQ(0, reg_ioctl(vcpu, A64VCPU_GET_REG, id, back));
		EXPECT_EQ(val[0], back[0]) TH_LOG("id %#lx", id);
		if (id >= A64VCPU_REG_V(0) && id <= A64VCPU_REG_V(31))
			EXPECT_EQ(val[1], back[1]) TH_LOG("id %#lx", id);
	}
	EXPECT_EQ(-1, reg_ioctl(vcpu, A64VCPU_GET_REG, 0xffff, val));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, reg_ioctl(vcpu, A64VCPU_GET_REG, A64VCPU_REG_X(0), (void *)8));
	EXPECT_EQ(EFAULT, errno);
	free(list);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* liba64vcpu's 16-byte path: both halves, both ways, on every V register. */
TEST(v_registers_128_bits_through_library)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t val[2], back[2], x;
	unsigned int n;

	for (n = 0; n < 32; n++) {
		val[0] = 0x0123456789abcdefULL ^ n;
		val[1] = 0xfedcba9876543210ULL ^ ((uint64_t)n << 56);
		ASSERT_EQ(0, a64vcpu_set_reg128(vcpu->fd, A64VCPU_REG_V(n), val));
		memset(back, 0, sizeof(back));
		ASSERT_EQ(0, reg_ioctl(vcpu, A64VCPU_GET_REG, A64VCPU_REG_V(n), back));
		EXPECT_EQ(val[0], back[0]) TH_LOG("v%u low half", n);
		EXPECT_EQ(val[1], back[1]) TH_LOG("v%u high half", n);

		val[0] = ~val[0];
		val[1] = ~val[1];
		ASSERT_EQ(0, reg_ioctl(vcpu, A64VCPU_SET_REG, A64VCPU_REG_V(n), val));
		memset(back, 0, sizeof(back));
		ASSERT_EQ(0, a64vcpu_get_reg128(vcpu->fd, A64VCPU_REG_V(n), back));
		EXPECT_EQ(val[0], back[0]) TH_LOG("v%u low half", n);
		EXPECT_EQ(val[1], back[1]) TH_LOG("v%u high half", n);
	}

	/* The 8-byte helpers refuse V registers and leave them alone... */
	x = 1;
	EXPECT_EQ(-EINVAL, a64vcpu_get_reg(vcpu->fd, A64VCPU_REG_V(31), &x));
	EXPECT_EQ(0, x);
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_V(31), 0));
	ASSERT_EQ(0, a64vcpu_get_reg128(vcpu->fd, A64VCPU_REG_V(31), back));
	EXPECT_EQ(val[1], back[1]);		/* the high half was not zeroed */
	/* ...and the 16-byte ones every other register. */
	EXPECT_EQ(-EINVAL, a64vcpu_get_reg128(vcpu->fd, A64VCPU_REG_X(0), back));
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg128(vcpu->fd, A64VCPU_REG_FPSR, val));
	EXPECT_EQ(-EINVAL, a64vcpu_get_reg128(vcpu->fd, A64VCPU_REG_V(31) + 1, back));
	ASSERT_EQ(0, a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_X(3), 0x1234));
	ASSERT_EQ(0, a64vcpu_get_reg(vcpu->fd, A64VCPU_REG_X(3), &x));
	EXPECT_EQ(0x1234, x);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(pstate_never_el2_or_aarch32)
{
	static const uint64_t bad[] = { 0x3c8, 0x3c9, 0x3cd, 0x3c10, 0x3d3, 0x3c6 };
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = bad[i];

		EXPECT_EQ(-1, reg_ioctl(vcpu, A64VCPU_SET_REG, A64VCPU_REG_PSTATE, &v))
			TH_LOG("pstate %#lx", v);
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0x3c5, vcpu_get(vcpu, A64VCPU_REG_PSTATE));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* Keeps the host's FP/SIMD registers busy, so a missing switch shows. */
static double host_fp_work(void)
{
	double acc = 0;
	int i;

	for (i = 1; i < 200000; i++) {
		acc += sqrt((double)i) * 1.000001;
		asm volatile("" : "+w" (acc));	/* keep it in an FP register */
	}
	return acc;
}

TEST(fpsimd_switched)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(fpsimd));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t v[2] = { 0x3ff0000000000000ULL, 0 }, pattern;
	double before, after;

	/* Through liba64vcpu: the guest sees the high half it set. */
	ASSERT_EQ(0, a64vcpu_set_reg128(vcpu->fd, A64VCPU_REG_V(0), v));
	v[0] = 0;
	v[1] = 0xabcdef0123456789ULL;
	ASSERT_EQ(0, a64vcpu_set_reg128(vcpu->fd, A64VCPU_REG_V(31), v));
	EXPECT_EQ(0x3ff0000000000000ULL, vcpu_ucall(vcpu));	/* d0 = 1.0 */
	EXPECT_EQ(0xabcdef0123456789ULL, vcpu_ucall(vcpu));	/* v31.d[1] */
	pattern = vcpu_ucall(vcpu);

	before = host_fp_work();
	EXPECT_EQ(pattern, vcpu_ucall(vcpu));			/* d7 */
	after = host_fp_work();
	EXPECT_EQ(pattern, vcpu_ucall(vcpu));			/* v7.d[1] */
	EXPECT_EQ(pattern, vcpu_ucall(vcpu));			/* v31.d[0] */
	EXPECT_TRUE(before == after);	/* and the guest did not disturb the host */

	ASSERT_EQ(0, a64vcpu_get_reg128(vcpu->fd, A64VCPU_REG_V(7), v));
	EXPECT_EQ(pattern, v[0]);
	EXPECT_EQ(pattern, v[1]);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
