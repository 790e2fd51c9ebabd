// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC device API and what it refuses: A64VCPU_CREATE_DEVICE, the
 * configuration attributes before and after INIT, INIT's preconditions,
 * vCPUs and RUN around INIT, A64VCPU_IRQ_LINE's checks, the state
 * attributes' checks; distributor, redistributor and CPU-interface state
 * set through attributes and read by the guest, and the other way round
 * (guest/c/vgic_device.c), LEVEL_INFO; teardown in every order, with state
 * left behind (the debug kernel's kmemleak and KASAN judge it).
 */
#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define READ_BACK	0
#define WRITE		1
#define LEAVE_STATE	2
#define SURVIVOR	3

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define SGI_BASE	0x10000
#define REDIST(vcpu, off)	((uint64_t)(vcpu) << 32 | (off))
#define DIST_REGS	A64VCPU_VGIC_GRP_DIST_REGS
#define REDIST_REGS	A64VCPU_VGIC_GRP_REDIST_REGS
#define CPU_SYSREGS	A64VCPU_VGIC_GRP_CPU_SYSREGS
#define LEVEL_INFO	A64VCPU_VGIC_GRP_LEVEL_INFO
#define TYPER_64	(1U << 25 | 9 << 19 | 1)	/* 64 INTIDs, 10 ID bits, No1N */
#define PMR		A64VCPU_VGIC_SYSREG(3, 0, 4, 6, 0)
#define CTLR		A64VCPU_VGIC_SYSREG(3, 0, 12, 12, 4)
#define IGRPEN1		A64VCPU_VGIC_SYSREG(3, 0, 12, 12, 7)

/* The errno of a call that returned -1, or 0 if it did not fail. */
static int err_of(int ret)
{
	return ret == -1 ? errno : 0;
}

/* The call fails with @err. */
#define EXPECT_ERRNO(err, call)	EXPECT_EQ(err, err_of(call))

static int new_device(struct test_vm *vm, uint32_t type, uint32_t flags, uint32_t pad,
		      uint64_t reserved, uint32_t *fd)
{
	struct a64vcpu_create_device d = {
		.type = type, .flags = flags, .pad = pad, .reserved = { 0, reserved },
	};
	int ret = ioctl(vm->fd, A64VCPU_CREATE_DEVICE, &d);

	if (fd)
		*fd = d.fd;
	return ret;
}

static int has_attr(int gic, uint32_t group, uint64_t attr)
{
	struct a64vcpu_device_attr a = { .group = group, .attr = attr };

	return ioctl(gic, A64VCPU_HAS_DEVICE_ATTR, &a);
}

static uint32_t get32(struct __test_metadata *_metadata, int gic, uint32_t group, uint64_t attr)
{
	uint32_t val = 0xdeadbeef;

	EXPECT_EQ(0, vgic_attr(gic, false, group, attr, &val))
		TH_LOG("group %u attr %#llx: %s", group, (unsigned long long)attr,
		       strerror(errno));
	return val;
}

static void set32(struct __test_metadata *_metadata, int gic, uint32_t group, uint64_t attr,
		  uint32_t val)
{
	EXPECT_EQ(0, vgic_attr(gic, true, group, attr, &val))
		TH_LOG("group %u attr %#llx: %s", group, (unsigned long long)attr,
		       strerror(errno));
}

static uint64_t get_sysreg(struct __test_metadata *_metadata, int gic, uint32_t vcpu,
			   uint64_t reg)
{
	uint64_t val = ~0ULL;

	EXPECT_EQ(0, vgic_attr(gic, false, CPU_SYSREGS, REDIST(vcpu, reg), &val));
	return val;
}

static int set_sysreg(int gic, uint32_t vcpu, uint64_t reg, uint64_t val)
{
	return vgic_attr(gic, true, CPU_SYSREGS, REDIST(vcpu, reg), &val);
}

static int set_addr(int gic, uint64_t attr, uint64_t addr)
{
	return vgic_attr(gic, true, A64VCPU_VGIC_GRP_ADDR, attr, &addr);
}

static int init(int gic, uint64_t addr)
{
	struct a64vcpu_device_attr a = { .group = A64VCPU_VGIC_GRP_CTRL,
					 .attr = A64VCPU_VGIC_CTRL_INIT, .addr = addr };

	return ioctl(gic, A64VCPU_SET_DEVICE_ATTR, &a);
}

static int line(struct test_vm *vm, uint32_t type, uint32_t vcpu, uint32_t irq, uint32_t level,
		uint64_t reserved)
{
	struct a64vcpu_irq_level req = { .type = type, .vcpu = vcpu, .irq = irq, .level = level,
					 .reserved = reserved };

	return ioctl(vm->fd, A64VCPU_IRQ_LINE, &req);
}

TEST(create_device_and_has_attr)
{
	static const uint32_t bad_types[] = { 0, 2, 0xffffffff };
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE), *vm2 = vm_create(GUEST_RAM_SIZE);
	struct a64vcpu_device_attr a = { .group = A64VCPU_VGIC_GRP_NR_IRQS };
	struct test_vcpu *vcpu;
	unsigned int i;
	uint32_t fd;
	int gic;

	for (i = 0; i < 3; i++)
		EXPECT_ERRNO(ENODEV, new_device(vm, bad_types[i], 0, 0, 0, NULL));
	EXPECT_ERRNO(EINVAL, new_device(vm, A64VCPU_DEV_VGIC_V3, 1, 0, 0, NULL));
	EXPECT_ERRNO(EINVAL, new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 1, 0, NULL));
	EXPECT_ERRNO(EINVAL, new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 0, 1, NULL));
	gic = new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 0, 0, &fd);
	ASSERT_LE(0, gic);
	EXPECT_EQ(gic, fd);
	vm->gic = gic;
	EXPECT_ERRNO(EEXIST, new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 0, 0, NULL));
	/* One per VM: another VM has its own. */
	vm2->gic = new_device(vm2, A64VCPU_DEV_VGIC_V3, 0, 0, 0, NULL);
	EXPECT_LE(0, vm2->gic);
	vcpu = vcpu_add(vm, 0);		/* for the per-vCPU groups */

	EXPECT_EQ(0, has_attr(gic, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_DIST));
	EXPECT_EQ(0, has_attr(gic, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_REDIST));
	EXPECT_EQ(0, has_attr(gic, A64VCPU_VGIC_GRP_NR_IRQS, 0));
	EXPECT_EQ(0, has_attr(gic, A64VCPU_VGIC_GRP_CTRL, A64VCPU_VGIC_CTRL_INIT));
	EXPECT_EQ(0, has_attr(gic, DIST_REGS, GICD_TYPER));
	EXPECT_EQ(0, has_attr(gic, REDIST_REGS, REDIST(0, SGI_BASE)));
	EXPECT_EQ(0, has_attr(gic, CPU_SYSREGS, REDIST(0, PMR)));
	EXPECT_EQ(0, has_attr(gic, LEVEL_INFO, 32));
	EXPECT_ERRNO(ENXIO, has_attr(gic, A64VCPU_VGIC_GRP_ADDR, 2));
	EXPECT_ERRNO(ENXIO, has_attr(gic, A64VCPU_VGIC_GRP_NR_IRQS, 1));
	EXPECT_ERRNO(ENXIO, has_attr(gic, A64VCPU_VGIC_GRP_CTRL, 1));
	EXPECT_ERRNO(ENXIO, has_attr(gic, DIST_REGS, 0x101));
	EXPECT_ERRNO(ENXIO, has_attr(gic, DIST_REGS, 0x10000));
	EXPECT_ERRNO(ENXIO, has_attr(gic, REDIST_REGS, REDIST(64, 0)));
	EXPECT_ERRNO(ENXIO, has_attr(gic, REDIST_REGS, REDIST(0, 0x20000)));
	EXPECT_ERRNO(ENXIO, has_attr(gic, 7, 0));
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, true, 7, 0, &i));
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, false, 7, 0, &i));
	a.flags = 1;
	EXPECT_ERRNO(EINVAL, ioctl(gic, A64VCPU_GET_DEVICE_ATTR, &a));
	a.flags = 0;
	a.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(gic, A64VCPU_GET_DEVICE_ATTR, &a));
	EXPECT_ERRNO(ENOTTY, ioctl(gic, A64VCPU_RUN, 0));
	EXPECT_ERRNO(EFAULT, ioctl(gic, A64VCPU_GET_DEVICE_ATTR, NULL));
	vcpu_destroy(vcpu);
	vm_destroy(vm2);
	vm_destroy(vm);
}

/* A fresh device on a fresh VM: INIT needs both addresses, not overlapping. */
static void init_needs_addresses(struct __test_metadata *_metadata)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	int gic = vm->gic = new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 0, 0, NULL);

	ASSERT_LE(0, gic);
	EXPECT_ERRNO(ENXIO, init(gic, 0));
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, VGIC_DIST_GPA));
	EXPECT_ERRNO(ENXIO, init(gic, 0));
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, VGIC_DIST_GPA));
	EXPECT_ERRNO(E2BIG, init(gic, 0));		/* the same frame */
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, VGIC_DIST_GPA - 0x10000));
	EXPECT_ERRNO(E2BIG, init(gic, 0));		/* reaching into the distributor */
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, VGIC_DIST_GPA - 0x20000));
	EXPECT_EQ(0, init(gic, 0));			/* just below it */
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(config_attributes_and_init)
{
	static uint32_t bad_nr[] = { 0, 32, 63, 65, 100, 1025, 1056, 0xffffffff };
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vgic_device));
	struct a64vcpu_vcpu_config cfg = { .mpidr = 1 };
	struct a64vcpu_irq_line cpu_line = { .line = A64VCPU_IRQ_LINE_IRQ, .level = 1 };
	struct test_vcpu *vcpu;
	uint64_t addr;
	uint32_t nr, i;
	int gic;

	gic = new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 0, 0, NULL);
	ASSERT_LE(0, gic);
	vm->gic = gic;
	/* Addresses: unset (~0), 64 KiB aligned, inside the IPA space. */
	EXPECT_EQ(0, vgic_attr(gic, false, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_DIST, &addr));
	EXPECT_EQ(~0ULL, addr);
	EXPECT_EQ(0, vgic_attr(gic, false, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_REDIST, &addr));
	EXPECT_EQ(~0ULL, addr);
	EXPECT_ERRNO(EINVAL, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, 0x08001000));
	EXPECT_ERRNO(EINVAL, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, 0x080a0004));
	EXPECT_ERRNO(EINVAL, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, 1ULL << 40));
	EXPECT_ERRNO(EINVAL, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, ~0ULL << 16));
	EXPECT_ERRNO(ENXIO, set_addr(gic, 2, 0x08000000));
	/* NR_IRQS: 64..1024, a multiple of 32; 256 by default. */
	EXPECT_EQ(256, get32(_metadata, gic, A64VCPU_VGIC_GRP_NR_IRQS, 0));
	for (i = 0; i < ARRAY_SIZE(bad_nr); i++)
		EXPECT_ERRNO(EINVAL, vgic_attr(gic, true, A64VCPU_VGIC_GRP_NR_IRQS, 0, &bad_nr[i]));
	nr = 1024;
	EXPECT_EQ(0, vgic_attr(gic, true, A64VCPU_VGIC_GRP_NR_IRQS, 0, &nr));
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, true, A64VCPU_VGIC_GRP_NR_IRQS, 1, &nr));
	/* State attributes need INIT. */
	EXPECT_ERRNO(EBUSY, vgic_attr(gic, false, DIST_REGS, GICD_TYPER, &nr));
	EXPECT_ERRNO(EBUSY, vgic_attr(gic, false, REDIST_REGS, 0, &nr));
	EXPECT_ERRNO(EBUSY, vgic_attr(gic, false, CPU_SYSREGS, PMR, &addr));
	EXPECT_ERRNO(EBUSY, vgic_attr(gic, false, LEVEL_INFO, 32, &nr));

	/* INIT needs a vCPU ... */
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, VGIC_DIST_GPA));
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, VGIC_REDIST_GPA));
	EXPECT_ERRNO(ENODEV, init(gic, 0));
	vcpu = vcpu_add(vm, 0);
	/* ... and both addresses, not overlapping. */
	EXPECT_ERRNO(EINVAL, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, ~0ULL));	/* not "unset" */
	init_needs_addresses(_metadata);
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, VGIC_REDIST_GPA));

	/* Not usable yet: RUN, lines. */
	EXPECT_ERRNO(EBUSY, vcpu_run(vcpu));
	EXPECT_ERRNO(ENXIO, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 32, 1));
	EXPECT_ERRNO(ENXIO, irq_line(vm, A64VCPU_IRQ_TYPE_PPI, 0, 20, 1));
	/* The vGIC drives the vCPUs' interrupt inputs, not these. */
	EXPECT_ERRNO(ENXIO, irq_line(vm, A64VCPU_IRQ_TYPE_CPU, 0, A64VCPU_IRQ_LINE_IRQ, 1));
	EXPECT_ERRNO(ENXIO, ioctl(vcpu->fd, A64VCPU_SET_IRQ_LINE, &cpu_line));

	EXPECT_ERRNO(EINVAL, init(gic, (uintptr_t)&nr));	/* no value */
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, true, A64VCPU_VGIC_GRP_CTRL, 1, NULL));
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, false, A64VCPU_VGIC_GRP_CTRL, A64VCPU_VGIC_CTRL_INIT,
				      NULL));
	ASSERT_EQ(0, init(gic, 0));

	/* Initialised: configuration fixed, readable; no more vCPUs. */
	EXPECT_ERRNO(EBUSY, init(gic, 0));
	EXPECT_ERRNO(EBUSY, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, 0x09000000));
	nr = 64;
	EXPECT_ERRNO(EBUSY, vgic_attr(gic, true, A64VCPU_VGIC_GRP_NR_IRQS, 0, &nr));
	EXPECT_EQ(1024, get32(_metadata, gic, A64VCPU_VGIC_GRP_NR_IRQS, 0));
	EXPECT_EQ(0, vgic_attr(gic, false, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_DIST, &addr));
	EXPECT_EQ(VGIC_DIST_GPA, addr);
	EXPECT_EQ(0, vgic_attr(gic, false, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_REDIST, &addr));
	EXPECT_EQ(VGIC_REDIST_GPA, addr);
	EXPECT_ERRNO(EBUSY, ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg));
	/* GICD_TYPER: 1024 INTIDs (ITLinesNumber 31), 10 ID bits, No1N. */
	EXPECT_EQ(1U << 25 | 9 << 19 | 31, get32(_metadata, gic, DIST_REGS,
						 GICD_TYPER));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* INIT: the redistributors (128 KiB per vCPU) inside the IPA space. */
TEST(init_redistributors_beyond_ipa)
{
	struct test_vm *vm = vm_create_ipa(GUEST_RAM_SIZE, 32);
	struct test_vcpu *v0 = vcpu_add(vm, 0), *v1 = vcpu_add(vm, 1);
	int gic = vm->gic = new_device(vm, A64VCPU_DEV_VGIC_V3, 0, 0, 0, NULL);

	ASSERT_LE(0, gic);
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_DIST, VGIC_DIST_GPA));
	EXPECT_ERRNO(EINVAL, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, 1ULL << 32));
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, (1ULL << 32) - 0x30000));
	EXPECT_ERRNO(E2BIG, init(gic, 0));		/* two frames need 0x40000 */
	ASSERT_EQ(0, set_addr(gic, A64VCPU_VGIC_ADDR_REDIST, (1ULL << 32) - 0x40000));
	EXPECT_EQ(0, init(gic, 0));
	vcpu_destroy(v1);
	vcpu_destroy(v0);
	vm_destroy(vm);
}

TEST(irq_line_bad_input)
{
	static const uint32_t bad_spis[] = { 0, 16, 31, 1020, 1021, 1022, 1023, 1024, 2000,
					     0xffffffff };
	static const uint32_t bad_ppis[] = { 0, 15, 32, 1000 };
	static const uint32_t bad_vcpus[] = { 1, 63, 64, 0xffffffff };
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_device), 1, 1024, &vcpu);
	unsigned int i;

	EXPECT_ERRNO(EINVAL, line(vm, 3, 0, 32, 1, 0));
	EXPECT_ERRNO(EINVAL, line(vm, 0xffffffff, 0, 32, 1, 0));
	EXPECT_ERRNO(EINVAL, line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 32, 2, 0));
	EXPECT_ERRNO(EINVAL, line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 32, 1, 1));
	EXPECT_ERRNO(EINVAL, line(vm, A64VCPU_IRQ_TYPE_SPI, 1, 32, 1, 0));
	EXPECT_ERRNO(EFAULT, ioctl(vm->fd, A64VCPU_IRQ_LINE, NULL));
	/* SPIs are 32..1019 (1020..1023 are special INTIDs, never interrupts). */
	for (i = 0; i < ARRAY_SIZE(bad_spis); i++) {
		uint32_t n = bad_spis[i];

		EXPECT_ERRNO(EINVAL, line(vm, A64VCPU_IRQ_TYPE_SPI, 0, n, 1, 0))
			TH_LOG("SPI %u", n);
	}
	EXPECT_EQ(0, line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 32, 1, 0));
	EXPECT_EQ(0, line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 1019, 1, 0));
	EXPECT_EQ(0, line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 1019, 0, 0));
	/* PPIs are 16..31 of an existing vCPU. */
	for (i = 0; i < ARRAY_SIZE(bad_ppis); i++) {
		uint32_t n = bad_ppis[i];

		EXPECT_ERRNO(EINVAL, line(vm, A64VCPU_IRQ_TYPE_PPI, 0, n, 1, 0))
			TH_LOG("PPI %u", n);
	}
	for (i = 0; i < ARRAY_SIZE(bad_vcpus); i++) {
		uint32_t n = bad_vcpus[i];

		EXPECT_ERRNO(EINVAL, line(vm, A64VCPU_IRQ_TYPE_PPI, n, 20, 1, 0))
			TH_LOG("vCPU %u", n);
	}
	EXPECT_EQ(0, line(vm, A64VCPU_IRQ_TYPE_PPI, 0, 16, 1, 0));
	EXPECT_EQ(0, line(vm, A64VCPU_IRQ_TYPE_PPI, 0, 31, 1, 0));
	/* The guest's distributor agrees: 1020..1023 do not exist (RAZ/WI). */
	set32(_metadata, vm->gic, DIST_REGS, GICD_ISENABLER + 4 * 31, ~0U);
	EXPECT_EQ(0x0fffffff, get32(_metadata, vm->gic, DIST_REGS,
				    GICD_ISENABLER + 4 * 31));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(state_attributes_bad_input)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_device), 2, 64, vcpus);
	int gic = vm->gic;
	uint64_t v64;
	uint32_t v;

	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, DIST_REGS, 0x101, &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, true, DIST_REGS, 0x10000, &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, DIST_REGS, 1ULL << 32, &v));
	EXPECT_ERRNO(EFAULT, vgic_attr(gic, false, DIST_REGS, GICD_TYPER, NULL));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, REDIST_REGS, REDIST(2, 0), &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, REDIST_REGS, REDIST(64, 0), &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, REDIST_REGS,
				       REDIST(0, 0x20000), &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, true, REDIST_REGS, REDIST(1, 0x102),
				       &v));
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, false, CPU_SYSREGS,
				      A64VCPU_VGIC_SYSREG(3, 0, 4, 6, 1), &v64));
	EXPECT_ERRNO(ENXIO, vgic_attr(gic, false, CPU_SYSREGS,
				      A64VCPU_VGIC_SYSREG(3, 0, 12, 12, 0), &v64));	/* IAR1 */
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, CPU_SYSREGS, REDIST(2, PMR),
				       &v64));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, LEVEL_INFO, 33, &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, LEVEL_INFO, 64, &v));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, LEVEL_INFO, REDIST(5, 0), &v));
	EXPECT_ERRNO(EINVAL, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 64, 1));	/* NR_IRQS 64 */
	EXPECT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 63, 0));
	/* Reserved registers and INTIDs beyond NR_IRQS: RAZ/WI. */
	set32(_metadata, gic, DIST_REGS, GICD_ISENABLER + 8, ~0U);
	EXPECT_EQ(0, get32(_metadata, gic, DIST_REGS, GICD_ISENABLER + 8));
	set32(_metadata, gic, DIST_REGS, 0x8000, ~0U);
	EXPECT_EQ(0, get32(_metadata, gic, DIST_REGS, 0x8000));
	set32(_metadata, gic, DIST_REGS, GICD_IPRIORITYR, ~0U);	/* SGIs: not here */
	EXPECT_EQ(0, get32(_metadata, gic, DIST_REGS, GICD_IPRIORITYR));
	set32(_metadata, gic, REDIST_REGS, REDIST(0, SGI_BASE + GICD_ISENABLER + 4),
	      ~0U);
	EXPECT_EQ(0, get32(_metadata, gic, REDIST_REGS,
			   REDIST(0, SGI_BASE + GICD_ISENABLER + 4)));
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

/* Set through attributes, read by the guest (READ_BACK, in this order). */
TEST(state_from_attributes_to_guest)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_device), 2, 64, vcpus);
	uint64_t want[] = {
		TYPER_64,			/* GICD_TYPER */
		0x50a0,				/* priorities of 40, 41: 5 bits */
		1U << 8,			/* 40 enabled */
		2U << 18,			/* 41 edge, bit 0 of its field RES0 */
		1,				/* 40 routed to vCPU 1 */
		0x30U << 24,			/* SGI 3's priority */
		1U << 20,			/* PPI 20 enabled */
		1U << 4,			/* SGI 4 pending */
		0xf0, 1, 2,			/* PMR, IGRPEN1, EOImode */
		0,				/* GICR_TYPER: vCPU 0, Aff 0 */
		1ULL << 32 | 1 << 8 | 1 << 4,	/* vCPU 1, Aff 1, Last */
		0x52,				/* GICD_CTLR: DS, ARE, EnableGrp1 */
	};
	int gic = vm->gic;
	unsigned int i;

	set32(_metadata, gic, DIST_REGS, GICD_CTLR, 0x2);
	set32(_metadata, gic, DIST_REGS, GICD_IPRIORITYR + 40, 0x57a7);
	set32(_metadata, gic, DIST_REGS, GICD_ISENABLER + 4, 1U << 8);
	set32(_metadata, gic, DIST_REGS, GICD_ICFGR + 8, 3U << 18);
	set32(_metadata, gic, DIST_REGS, GICD_IROUTER + 8 * 40, 1);
	set32(_metadata, gic, DIST_REGS, GICD_IROUTER + 8 * 40 + 4, 0);
	set32(_metadata, gic, REDIST_REGS, REDIST(0, SGI_BASE + GICD_IPRIORITYR),
	      0x30U << 24);
	set32(_metadata, gic, REDIST_REGS, REDIST(0, SGI_BASE + GICD_ISENABLER),
	      1U << 20);
	set32(_metadata, gic, REDIST_REGS, REDIST(0, SGI_BASE + GICD_ISPENDR),
	      1U << 4);
	EXPECT_EQ(0, set_sysreg(gic, 0, PMR, 0xf0));
	EXPECT_EQ(0, set_sysreg(gic, 0, IGRPEN1, 1));
	EXPECT_EQ(0, set_sysreg(gic, 0, CTLR, 2));
	/* The attributes read back what they set (as the architecture keeps it). */
	EXPECT_EQ(0x50a0, get32(_metadata, gic, DIST_REGS, GICD_IPRIORITYR + 40));
	EXPECT_EQ(2U << 18, get32(_metadata, gic, DIST_REGS, GICD_ICFGR + 8));
	EXPECT_EQ(0xf0, get_sysreg(_metadata, gic, 0, PMR));
	EXPECT_EQ(2, get_sysreg(_metadata, gic, 0, CTLR) & 2);

	vcpus[0]->args[0] = READ_BACK;
	for (i = 0; i < ARRAY_SIZE(want); i++)
		EXPECT_EQ(want[i], vcpu_ucall(vcpus[0])) TH_LOG("value %u", i);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpus[0]));
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

/* Set by the guest (WRITE), read and changed through attributes. */
TEST(state_from_guest_to_attributes)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_device), 1, 64, &vcpu);
	int gic = vm->gic;
	uint32_t a = DIST_REGS, r = REDIST_REGS;

	vcpu->args[0] = WRITE;
	ASSERT_EQ(1, vcpu_ucall(vcpu));
	EXPECT_EQ(0x52, get32(_metadata, gic, a, GICD_CTLR));
	EXPECT_EQ(0x68U << 16, get32(_metadata, gic, a, GICD_IPRIORITYR + 40));
	EXPECT_EQ(1U << 10, get32(_metadata, gic, a, GICD_ISENABLER + 4));
	EXPECT_EQ(2U << 22, get32(_metadata, gic, a, GICD_ICFGR + 8));
	EXPECT_EQ(~(1U << 12), get32(_metadata, gic, a, GICD_IGROUPR + 4));
	EXPECT_EQ(0x100, get32(_metadata, gic, a, GICD_IROUTER + 8 * 42));
	EXPECT_EQ(0x7, get32(_metadata, gic, a, GICD_IROUTER + 8 * 42 + 4));
	EXPECT_EQ(1U << 13, get32(_metadata, gic, a, GICD_ISPENDR + 4));
	EXPECT_EQ(0x88U << 8, get32(_metadata, gic, r, REDIST(0, SGI_BASE + GICD_IPRIORITYR + 4)));
	EXPECT_EQ(1U << 5, get32(_metadata, gic, r, REDIST(0, SGI_BASE + GICD_ISENABLER)));
	EXPECT_EQ(0xd0, get_sysreg(_metadata, gic, 0, PMR));
	EXPECT_EQ(2, get_sysreg(_metadata, gic, 0, CTLR) & 2);
	EXPECT_EQ(1, get_sysreg(_metadata, gic, 0, IGRPEN1));

	/* The test's changes, which the guest checks. */
	set32(_metadata, gic, a, GICD_ICPENDR + 4, 1U << 13);
	set32(_metadata, gic, a, GICD_IPRIORITYR + 44, 0x38U << 16);
	EXPECT_EQ(0, set_sysreg(gic, 0, PMR, 0x70));
	/* LEVEL_INFO: the lines of level-sensitive SPIs, both ways. */
	EXPECT_EQ(0, get32(_metadata, gic, LEVEL_INFO, 32));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 46, 1));
	EXPECT_EQ(1U << 14, get32(_metadata, gic, LEVEL_INFO, 32));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 46, 0));
	set32(_metadata, gic, LEVEL_INFO, 32, 1U << 15 | 1U << 11);	/* 43: edge */
	EXPECT_EQ(1U << 15, get32(_metadata, gic, LEVEL_INFO, 32));
	EXPECT_EQ(1U << 15, get32(_metadata, gic, a, GICD_ISPENDR + 4));
	ASSERT_EQ(2, vcpu_ucall(vcpu));
	set32(_metadata, gic, LEVEL_INFO, 32, 0);
	EXPECT_EQ(0, get32(_metadata, gic, a, GICD_ISPENDR + 4));
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* A running vCPU's own state is refused (EBUSY); the distributor's is not. */
TEST(vcpu_state_while_running)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_wfi), 1, 64, &vcpu);
	struct vcpu_thread t = { .vcpu = vcpu };
	uint64_t v64;
	uint32_t v;
	pid_t tid;

	vcpu->args[0] = 2;		/* vgic_wfi's SPI: waits in WFI for SPI 40 */
	vcpu_thread_start(&t);
	tid = vcpu_thread_tid(&t);
	while (!__atomic_load_n(&t.nr_ucalls, __ATOMIC_RELAXED))
		usleep(1000);
	thread_wait_asleep(tid);
	EXPECT_ERRNO(EBUSY, vgic_attr(vm->gic, false, REDIST_REGS, 0, &v));
	EXPECT_ERRNO(EBUSY, vgic_attr(vm->gic, false, CPU_SYSREGS, PMR, &v64));
	EXPECT_ERRNO(EBUSY, vgic_attr(vm->gic, false, LEVEL_INFO, 32, &v));
	EXPECT_EQ(TYPER_64, get32(_metadata, vm->gic, DIST_REGS, GICD_TYPER));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 40, 1));
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* A VM whose guest left both timers armed, SGIs and SPIs pending, one active. */
static struct test_vm *vm_with_state(struct __test_metadata *_metadata, struct test_vcpu **vcpu)
{
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_device), 1, 64, vcpu);

	(*vcpu)->args[0] = LEAVE_STATE;
	EXPECT_EQ(1, vcpu_ucall(*vcpu));
	return vm;
}

TEST(teardown_device_fd_first)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_with_state(_metadata, &vcpu);

	close(vm->gic);
	vm->gic = -1;
	/* The vGIC lives as long as its VM. */
	EXPECT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, 42, 1));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(teardown_device_fd_last)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_with_state(_metadata, &vcpu);
	int gic = vm->gic;

	vm->gic = -1;
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	/* The device fd keeps the VM: its state is still there. */
	EXPECT_EQ(TYPER_64, get32(_metadata, gic, DIST_REGS, GICD_TYPER));
	EXPECT_EQ(0x3 << 8, get32(_metadata, gic, DIST_REGS, GICD_ISPENDR + 4));
	EXPECT_ERRNO(EINVAL, vgic_attr(gic, false, REDIST_REGS, 0, &gic));
	close(gic);
}

TEST(teardown_vm_fd_then_vcpu_then_device)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_with_state(_metadata, &vcpu);
	int gic = vm->gic;

	vm->gic = -1;
	close(vm->fd);
	vm->fd = -1;
	vcpu_destroy(vcpu);
	close(gic);
	vm_destroy(vm);
}

TEST(teardown_never_initialised)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *v0 = vcpu_add(vm, 0), *v1;

	ASSERT_LE(0, vgic_create(vm, 128));
	v1 = vcpu_add(vm, 1);
	vcpu_destroy(v0);
	close(vm->gic);
	vm->gic = -1;
	vcpu_destroy(v1);
	vm_destroy(vm);
}

/* vCPU 1 closed after INIT: vCPU 0 runs on (guest: SURVIVOR). */
TEST(vcpu_closed_after_init)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_device), 2, 64, vcpus);
	uint32_t v;

	vcpu_destroy(vcpus[1]);
	EXPECT_ERRNO(EINVAL, irq_line(vm, A64VCPU_IRQ_TYPE_PPI, 1, 20, 1));
	EXPECT_ERRNO(EINVAL, vgic_attr(vm->gic, false, REDIST_REGS,
				       REDIST(1, 0), &v));
	vcpus[0]->args[0] = SURVIVOR;
	EXPECT_EQ(3, vcpu_ucall(vcpus[0]));
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpus[0]));
	vcpu_destroy(vcpus[0]);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
