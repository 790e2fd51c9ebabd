// SPDX-License-Identifier: GPL-2.0-only
/*
 * A KVM VM for a guest program (see kvm_vm.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_vm.h"

int kvm_vm_set_reg(struct kvm_vm *k, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(k->vcpu, KVM_SET_ONE_REG, &reg);
}

int kvm_vm_open(struct kvm_vm *k, struct guest_code code)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_vcpu_init init;
	size_t size = (const char *)code.end - (const char *)code.start;

	k->kvm = -1;
	k->vm = -1;
	k->vcpu = -1;
	k->gic = -1;
	k->run = MAP_FAILED;
	k->mem = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (k->mem == MAP_FAILED)
		return -1;
	memcpy(k->mem, code.start, size);
	__builtin___clear_cache((char *)k->mem, (char *)k->mem + size);

	k->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->kvm < 0)
		return -1;
	k->vm = ioctl(k->kvm, KVM_CREATE_VM, 0);
	if (k->vm < 0)
		return -1;
	region.guest_phys_addr = GUEST_RAM_GPA;
	region.memory_size = GUEST_RAM_SIZE;
	region.userspace_addr = (uintptr_t)k->mem;
	if (ioctl(k->vm, KVM_SET_USER_MEMORY_REGION, &region))
		return -1;
	k->vcpu = ioctl(k->vm, KVM_CREATE_VCPU, 0);
	if (k->vcpu < 0)
		return -1;
	if (ioctl(k->vm, KVM_ARM_PREFERRED_TARGET, &init) ||
	    ioctl(k->vcpu, KVM_ARM_VCPU_INIT, &init) ||
	    kvm_vm_set_reg(k, KVM_REG_PC_ID, GUEST_RAM_GPA))
		return -1;
	k->run_size = ioctl(k->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	k->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, k->vcpu, 0);
	return k->run == MAP_FAILED ? -1 : 0;
}

static int vgic_attr_set(struct kvm_vm *k, uint32_t group, uint64_t attr, const void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(k->gic, KVM_SET_DEVICE_ATTR, &a);
}

int kvm_vm_vgic(struct kvm_vm *k, uint32_t nr_irqs)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = VGIC_DIST_GPA, redist = VGIC_REDIST_GPA;

	if (ioctl(k->vm, KVM_CREATE_DEVICE, &dev))
		return -1;
	k->gic = dev.fd;
	if (vgic_attr_set(k, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ||
	    vgic_attr_set(k, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist) ||
	    vgic_attr_set(k, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs))
		return -1;
	return vgic_attr_set(k, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

uint64_t kvm_vm_ucall(struct kvm_vm *k)
{
	uint64_t val = 0;

	if (ioctl(k->vcpu, KVM_RUN, 0))
		return 0;
	if (k->run->exit_reason == KVM_EXIT_MMIO && k->run->mmio.is_write &&
	    k->run->mmio.phys_addr == UCALL_GPA && k->run->mmio.len == 8)
		memcpy(&val, k->run->mmio.data, sizeof(val));
	else
		errno = EPROTO;
	return val;
}

void kvm_vm_close(struct kvm_vm *k)
{
	if (k->run != MAP_FAILED)
		munmap(k->run, k->run_size);
	if (k->gic >= 0)
		close(k->gic);
	if (k->vcpu >= 0)
		close(k->vcpu);
	if (k->vm >= 0)
		close(k->vm);
	if (k->kvm >= 0)
		close(k->kvm);
	if (k->mem != MAP_FAILED)
		munmap(k->mem, GUEST_RAM_SIZE);
}
