// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM accelerator: the same machine on /dev/kvm, our differential test
 * and our benchmark baseline.  KVM does PSCI itself (secondaries are
 * created powered off and started by CPU_ON inside KVM) and answers every
 * HVC; only MMIO and the system events reach the VMM.  The GICv3 and the
 * architected timers are KVM's (vGICv3): WFI waits in the kernel, and the
 * VMM's devices drive their SPIs with KVM_IRQ_LINE, and its virtio devices
 * take KVM_IOEVENTFD doorbells and KVM_IRQFD interrupt eventfds.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm.h"

#define KVM_CORE_REG(field)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
				 (offsetof(struct kvm_regs, field) / sizeof(__u32)))

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "a64vm: %s: %s\n", what, strerror(err));
	return -err;
}

static int kvm_vm_create(struct vm *vm)
{
	vm->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0)
		return fail("cannot open /dev/kvm (is the host booted with KVM?)");
	if (ioctl(vm->sys_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "a64vm: /dev/kvm: unexpected API version\n");
		return -EINVAL;
	}
	vm->fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);	/* 40-bit IPA */
	return vm->fd < 0 ? fail("KVM_CREATE_VM") : 0;
}

static int kvm_vm_add_ram(struct vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
			  void *host)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};
	int err;

	if (!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region))
		return 0;
	err = errno;
	fprintf(stderr, "a64vm: KVM_SET_USER_MEMORY_REGION (guest RAM slot %u: %llu MiB at 0x%llx): "
		"%s\n", slot, (unsigned long long)size >> 20, (unsigned long long)gpa,
		strerror(err));
	return -err;
}

static void kvm_vm_destroy(struct vm *vm)
{
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	close(vm->fd);
	close(vm->sys_fd);
}

static int kvm_vcpu_create(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct kvm_vcpu_init init;
	int size;

	/* KVM derives MPIDR from the id: Aff0 = id for the first 16 vCPUs, as platform.h wants. */
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, vcpu->index);
	if (vcpu->fd < 0)
		return fail("KVM_CREATE_VCPU");
	size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	vcpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vcpu->run = NULL;
		return fail("mmap of kvm_run");
	}
	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		return fail("KVM_ARM_PREFERRED_TARGET");
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (!vcpu->powered_on)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	return ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) ? fail("KVM_ARM_VCPU_INIT") : 0;
}

static int set_core_reg(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

/* KVM_ARM_VCPU_INIT left EL1h, masked, MMU off; KVM's PSCI starts secondaries itself. */
static int kvm_vcpu_reset(struct vcpu *vcpu, uint64_t pc, uint64_t x0)
{
	if (!vcpu->powered_on)
		return 0;
	if (set_core_reg(vcpu, KVM_CORE_REG(regs.pc), pc) ||
	    set_core_reg(vcpu, KVM_CORE_REG(regs.regs[0]), x0))
		return fail("KVM_SET_ONE_REG (entry state)");
	return 0;
}

static uint64_t get_pc(struct vcpu *vcpu)
{
	uint64_t pc = 0;
	struct kvm_one_reg reg = { .id = KVM_CORE_REG(regs.pc), .addr = (uintptr_t)&pc };

	ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
	return pc;
}

static void error_exit(struct vcpu *vcpu, struct vm_exit *exit, const char *what, uint64_t esr)
{
	exit->reason = VM_EXIT_ERROR;
	exit->error.what = what;
	exit->error.esr = esr;
	exit->error.addr = 0;
	exit->error.pc = get_pc(vcpu);
}

static int kvm_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct kvm_run *run = vcpu->run;

	if (exit->reason == VM_EXIT_MMIO && !exit->mmio.is_write)
		memcpy(run->mmio.data, &exit->mmio.data, exit->mmio.len);
	if (ioctl(vcpu->fd, KVM_RUN, 0)) {
		if (errno != EINTR && errno != EAGAIN)
			return fail("KVM_RUN");
		run->immediate_exit = 0;
		exit->reason = VM_EXIT_INTR;
		return 0;
	}

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		exit->reason = VM_EXIT_MMIO;
		exit->mmio.addr = run->mmio.phys_addr;
		exit->mmio.len = run->mmio.len;
		exit->mmio.is_write = run->mmio.is_write;
		exit->mmio.data = 0;
		if (run->mmio.is_write)
			memcpy(&exit->mmio.data, run->mmio.data, run->mmio.len);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		exit->reason = run->system_event.type == KVM_SYSTEM_EVENT_RESET ?
			       VM_EXIT_SYSTEM_RESET : VM_EXIT_SYSTEM_OFF;
		break;
	case KVM_EXIT_INTR:
		run->immediate_exit = 0;
		exit->reason = VM_EXIT_INTR;
		break;
	case KVM_EXIT_FAIL_ENTRY:
		error_exit(vcpu, exit, "KVM could not enter the guest",
			   run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		error_exit(vcpu, exit, "KVM internal error", run->internal.suberror);
		break;
	default:
		error_exit(vcpu, exit, "unexpected KVM exit", run->exit_reason);
		break;
	}
	return 0;
}

static void kvm_vcpu_kick(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	__atomic_store_n(&run->immediate_exit, 1, __ATOMIC_RELEASE);
}

static void kvm_vcpu_destroy(struct vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, sizeof(struct kvm_run));
	close(vcpu->fd);
}

static int set_gic_attr(struct vm *vm, uint32_t group, uint64_t attr, const void *val,
			const char *what)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a) ? fail(what) : 0;
}

/* KVM's in-kernel vGICv3: its redistributors' region grows with the vCPUs created. */
static int kvm_gic_create(struct vm *vm, const struct gic_config *cfg)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint32_t nr_irqs = cfg->nr_irqs;
	int ret;

	if (ioctl(vm->fd, KVM_CREATE_DEVICE, &dev))
		return fail("KVM_CREATE_DEVICE (vGICv3)");
	vm->gic_fd = dev.fd;
	ret = set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
			   &cfg->dist_base, "vGICv3 distributor address");
	ret = ret ?: set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST,
				  &cfg->redist_base, "vGICv3 redistributors' address");
	return ret ?: set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs,
				   "vGICv3 number of IRQs");
}

static int kvm_gic_finalise(struct vm *vm)
{
	return set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
			    "vGICv3 initialisation");
}

static int kvm_gic_set_spi(struct vm *vm, unsigned int spi, bool level)
{
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | (32 + spi),
		.level = level,
	};

	return ioctl(vm->fd, KVM_IRQ_LINE, &irq) ? -errno : 0;
}

static int kvm_doorbell(struct vm *vm, uint64_t gpa, uint32_t len, uint64_t data, int fd)
{
	struct kvm_ioeventfd ioeventfd = {
		.datamatch = data, .addr = gpa, .len = len, .fd = fd,
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH,
	};

	return ioctl(vm->fd, KVM_IOEVENTFD, &ioeventfd) ? -errno : 0;
}

/* KVM's default routing on arm64: GSI n is SPI n (INTID 32 + n). */
static int kvm_irq_eventfd(struct vm *vm, unsigned int spi, int fd)
{
	struct kvm_irqfd irqfd = { .fd = fd, .gsi = spi };

	return ioctl(vm->fd, KVM_IRQFD, &irqfd) ? -errno : 0;
}

const struct accel_ops accel_kvm_ops = {
	.name = "kvm",
	.psci_in_kernel = true,
	.vm_create = kvm_vm_create,
	.vm_add_ram = kvm_vm_add_ram,
	.vm_destroy = kvm_vm_destroy,
	.vcpu_create = kvm_vcpu_create,
	.vcpu_reset = kvm_vcpu_reset,
	.vcpu_run = kvm_vcpu_run,
	.vcpu_kick = kvm_vcpu_kick,
	.vcpu_destroy = kvm_vcpu_destroy,
	.gic_create = kvm_gic_create,
	.gic_finalise = kvm_gic_finalise,
	.gic_set_spi = kvm_gic_set_spi,
	.doorbell = kvm_doorbell,
	.irq_eventfd = kvm_irq_eventfd,
};
