// SPDX-License-Identifier: GPL-2.0-only
/*
 * liba64vcpu (a64vcpu.h): one function per ioctl, errors as -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "a64vcpu.h"

/* What A64VCPU_GET_VCPU_MMAP_SIZE said, for a64vcpu_unmap_run(). */
static size_t run_mmap_size;

static int ret(int r)
{
	return r < 0 ? -errno : r;
}

static bool is_vreg(uint64_t id)
{
	return id >= A64VCPU_REG_V(0) && id <= A64VCPU_REG_V(31);
}

int a64vcpu_open(void)
{
	return ret(open("/dev/a64vcpu", O_RDWR | O_CLOEXEC));
}

int a64vcpu_get_api_version(int sys_fd)
{
	return ret(ioctl(sys_fd, A64VCPU_GET_API_VERSION, 0));
}

int a64vcpu_check_extension(int sys_fd, unsigned long cap)
{
	return ret(ioctl(sys_fd, A64VCPU_CHECK_EXTENSION, cap));
}

int a64vcpu_create_vm(int sys_fd, unsigned int ipa_bits)
{
	struct a64vcpu_vm_config cfg = { .ipa_bits = ipa_bits };

	return ret(ioctl(sys_fd, A64VCPU_CREATE_VM, &cfg));
}

int a64vcpu_set_memory_slot(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
			    uint64_t size, void *host, uint32_t stage2)
{
	struct a64vcpu_memory_slot req = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa, .size = size,
		.userspace_addr = (uintptr_t)host, .stage2 = stage2,
	};

	return ret(ioctl(vm_fd, A64VCPU_SET_MEMORY_SLOT, &req));
}

int a64vcpu_create_vcpu(int vm_fd, uint64_t mpidr, uint64_t dtb_addr)
{
	struct a64vcpu_vcpu_config cfg = { .mpidr = mpidr, .dtb_addr = dtb_addr };

	return ret(ioctl(vm_fd, A64VCPU_CREATE_VCPU, &cfg));
}

int a64vcpu_irq_line(int vm_fd, uint32_t type, uint32_t vcpu, uint32_t irq, uint32_t level)
{
	struct a64vcpu_irq_level req = { .type = type, .vcpu = vcpu, .irq = irq, .level = level };

	return ret(ioctl(vm_fd, A64VCPU_IRQ_LINE, &req));
}

int a64vcpu_create_device(int vm_fd, uint32_t type)
{
	struct a64vcpu_create_device req = { .type = type };

	return ret(ioctl(vm_fd, A64VCPU_CREATE_DEVICE, &req));
}

static int device_attr(int dev_fd, unsigned long cmd, uint32_t group, uint64_t attr,
		       const void *val)
{
	struct a64vcpu_device_attr a = {
		.group = group, .attr = attr, .addr = (uintptr_t)val,
	};

	return ret(ioctl(dev_fd, cmd, &a));
}

int a64vcpu_set_device_attr(int dev_fd, uint32_t group, uint64_t attr, const void *val)
{
	return device_attr(dev_fd, A64VCPU_SET_DEVICE_ATTR, group, attr, val);
}

int a64vcpu_get_device_attr(int dev_fd, uint32_t group, uint64_t attr, void *val)
{
	return device_attr(dev_fd, A64VCPU_GET_DEVICE_ATTR, group, attr, val);
}

int a64vcpu_has_device_attr(int dev_fd, uint32_t group, uint64_t attr)
{
	return device_attr(dev_fd, A64VCPU_HAS_DEVICE_ATTR, group, attr, NULL);
}

int a64vcpu_get_counter_offset(int vm_fd, uint64_t *offset)
{
	return ret(ioctl(vm_fd, A64VCPU_GET_COUNTER_OFFSET, offset));
}

int a64vcpu_set_counter_offset(int vm_fd, uint64_t offset)
{
	return ret(ioctl(vm_fd, A64VCPU_SET_COUNTER_OFFSET, &offset));
}

int a64vcpu_doorbell(int vm_fd, uint64_t addr, uint32_t len, int fd, uint32_t flags,
		     uint64_t datamatch)
{
	struct a64vcpu_doorbell req = {
		.addr = addr, .datamatch = datamatch, .len = len, .fd = fd, .flags = flags,
	};

	return ret(ioctl(vm_fd, A64VCPU_DOORBELL, &req));
}

int a64vcpu_irqfd(int vm_fd, int fd, uint32_t intid, uint32_t flags, int resamplefd)
{
	struct a64vcpu_irqfd req = {
		.fd = fd, .intid = intid, .flags = flags, .resamplefd = resamplefd,
	};

	return ret(ioctl(vm_fd, A64VCPU_IRQFD, &req));
}

struct a64vcpu_run *a64vcpu_map_run(int sys_fd, int vcpu_fd)
{
	int size = ioctl(sys_fd, A64VCPU_GET_VCPU_MMAP_SIZE, 0);
	void *run;

	if (size < (int)sizeof(struct a64vcpu_run)) {
		if (size >= 0)
			errno = EINVAL;
		return NULL;
	}
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	if (run == MAP_FAILED)
		return NULL;
	__atomic_store_n(&run_mmap_size, size, __ATOMIC_RELAXED);
	return run;
}

void a64vcpu_unmap_run(struct a64vcpu_run *run)
{
	if (run)
		munmap(run, __atomic_load_n(&run_mmap_size, __ATOMIC_RELAXED));
}

int a64vcpu_set_entry(int vcpu_fd, uint64_t pc)
{
	return ret(ioctl(vcpu_fd, A64VCPU_SET_ENTRY, &pc));
}

int a64vcpu_get_reg(int vcpu_fd, uint64_t id, uint64_t *val)
{
	uint64_t v = 0;
	struct a64vcpu_reg reg = { .id = id, .addr = (uintptr_t)&v };
	int r = is_vreg(id) ? -EINVAL : ret(ioctl(vcpu_fd, A64VCPU_GET_REG, &reg));

	*val = r ? 0 : v;
	return r;
}

int a64vcpu_set_reg(int vcpu_fd, uint64_t id, uint64_t val)
{
	struct a64vcpu_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (is_vreg(id))
		return -EINVAL;
	return ret(ioctl(vcpu_fd, A64VCPU_SET_REG, &reg));
}

int a64vcpu_get_reg128(int vcpu_fd, uint64_t id, void *val)
{
	struct a64vcpu_reg reg = { .id = id, .addr = (uintptr_t)val };

	if (!is_vreg(id))
		return -EINVAL;
	return ret(ioctl(vcpu_fd, A64VCPU_GET_REG, &reg));
}

int a64vcpu_set_reg128(int vcpu_fd, uint64_t id, const void *val)
{
	struct a64vcpu_reg reg = { .id = id, .addr = (uintptr_t)val };

	if (!is_vreg(id))
		return -EINVAL;
	return ret(ioctl(vcpu_fd, A64VCPU_SET_REG, &reg));
}

int a64vcpu_run(int vcpu_fd)
{
	return ret(ioctl(vcpu_fd, A64VCPU_RUN, 0));
}

const char *a64vcpu_exit_name(uint32_t reason)
{
	static const char * const names[A64VCPU_EXIT_INTERNAL_ERROR + 1] = {
		"NONE", "MMIO", "HYPERCALL", "CPU_ON", "CPU_OFF", "SYSTEM_EVENT",
		"HALT", "SYSREG", "INTR", "FAULT", "UNHANDLED_ABORT", "INTERNAL_ERROR",
	};

	return reason < A64VCPU_EXIT_INTERNAL_ERROR + 1 ? names[reason] : "?";
}
