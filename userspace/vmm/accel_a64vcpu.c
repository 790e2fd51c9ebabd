// SPDX-License-Identifier: GPL-2.0-only
/*
 * The a64vcpu accelerator: /dev/a64vcpu through liba64vcpu.  PSCI CPU_ON,
 * CPU_OFF and the system events come to the VMM as exits; SMCCC and PSCI
 * queries are answered by the module at EL2.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "a64vcpu.h"
#include "module_check.h"
#include "vmm.h"

#define PSTATE_EL1H_MASKED	0x3c5		/* D, A, I, F masked; EL1h */
#define SCTLR_EL1_RESET		0x30d00800ULL	/* MMU and caches off, RES1 bits */

static int fail(const char *what, int err)
{
	fprintf(stderr, "a64vm: %s: %s\n", what, strerror(-err));
	return err;
}

/* The host's MemAvailable in bytes, 0 if /proc/meminfo does not say. */
static uint64_t host_available(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib << 10;
}

static int a64_vm_create(struct vm *vm)
{
	const struct module_needs needs = {
		.vcpus = vm->nr_vcpus, .ram_end = vm->ram.gpa + vm->ram.size,
		.ram_slots = ram_nr_slots(vm->ram.size),
		.ram_pinned = vm->cfg->pin ? vm->ram.size : 0,
		.host_available = host_available(),
	};
	char err[512];
	int fd = a64vcpu_open();

	if (fd < 0) {
		fprintf(stderr, "a64vm: cannot open /dev/a64vcpu: %s%s\n", strerror(-fd),
			fd == -ENOENT ? " (is a64vcpu.ko loaded?)" : "");
		return fd;
	}
	vm->sys_fd = fd;
	if (module_check(fd, a64vcpu_get_api_version(fd), a64vcpu_check_extension, &needs,
			 err, sizeof(err))) {
		fprintf(stderr, "a64vm: %s\n", err);
		return -EINVAL;
	}
	vm->fd = a64vcpu_create_vm(fd, 0);	/* the default IPA size, VIRT_IPA_BITS */
	return vm->fd < 0 ? fail("A64VCPU_CREATE_VM", vm->fd) : 0;
}

static int a64_vm_add_ram(struct vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
			  void *host)
{
	bool pin = vm->cfg->pin;
	int ret = a64vcpu_set_memory_slot(vm->fd, slot, pin ? A64VCPU_MEM_PINNED : 0, gpa, size,
					  host, 0);

	if (!ret)
		return 0;
	/*
	 * The pin fails ENOMEM beyond RLIMIT_MEMLOCK or the host's memory, or
	 * EFAULT for a page it could not fault in.
	 */
	fprintf(stderr, "a64vm: A64VCPU_SET_MEMORY_SLOT (guest RAM slot %u: %llu MiB at 0x%llx%s): "
		"%s%s\n", slot, (unsigned long long)size >> 20, (unsigned long long)gpa,
		pin ? ", pinned" : "", strerror(-ret), pin && (ret == -ENOMEM || ret == -EFAULT) ?
		": --pin pins all of guest RAM, and the host (or RLIMIT_MEMLOCK) could not give "
		"that much: use a smaller -m, or leave out --pin" : "");
	return ret;
}

static void a64_vm_destroy(struct vm *vm)
{
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	close(vm->fd);
	close(vm->sys_fd);
}

static int a64_vcpu_create(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	vcpu->fd = a64vcpu_create_vcpu(vm->fd, vcpu->mpidr, 0);
	if (vcpu->fd < 0)
		return fail("A64VCPU_CREATE_VCPU", vcpu->fd);
	vcpu->run = a64vcpu_map_run(vm->sys_fd, vcpu->fd);
	return vcpu->run ? 0 : fail("mmap of the vCPU's run structure", -errno);
}

/* Also a vCPU that ran before (CPU_OFF, then CPU_ON): from its reset state. */
static int a64_vcpu_reset(struct vcpu *vcpu, uint64_t pc, uint64_t x0)
{
	int ret = a64vcpu_set_entry(vcpu->fd, pc);

	ret = ret ?: a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_X(0), x0);
	ret = ret ?: a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_PSTATE, PSTATE_EL1H_MASKED);
	ret = ret ?: a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_SYS(A64VCPU_SYS_SCTLR_EL1),
				     SCTLR_EL1_RESET);
	return ret ? fail("setting a vCPU's entry state", ret) : 0;
}

/* The VMM's answer to the previous exit, into the run structure. */
static int complete_exit(struct vcpu *vcpu, struct a64vcpu_run *run, const struct vm_exit *exit)
{
	switch (exit->reason) {
	case VM_EXIT_MMIO:
		if (!exit->mmio.is_write)
			run->mmio.data = exit->mmio.data;
		break;
	case VM_EXIT_HYPERCALL:
		memcpy(run->hypercall.ret, exit->hcall.ret, sizeof(run->hypercall.ret));
		break;
	case VM_EXIT_SYSREG:
		if (!exit->sysreg.is_write)
			run->sysreg.value = exit->sysreg.value;
		run->sysreg.undefined = exit->sysreg.undefined;
		break;
	case VM_EXIT_CPU_ON:	/* the module answered SUCCESS; the VMM knows better */
		if (exit->cpu_on.ret)
			return a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_X(0), exit->cpu_on.ret);
		break;
	default:
		break;
	}
	return 0;
}

static void error_exit(struct vcpu *vcpu, struct vm_exit *exit, const char *what, uint64_t esr,
		       uint64_t addr)
{
	exit->reason = VM_EXIT_ERROR;
	exit->error.what = what;
	exit->error.esr = esr;
	exit->error.addr = addr;
	a64vcpu_get_reg(vcpu->fd, A64VCPU_REG_PC, &exit->error.pc);
}

static int a64_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct a64vcpu_run *run = vcpu->run;
	int ret = complete_exit(vcpu, run, exit);

	ret = ret ?: a64vcpu_run(vcpu->fd);
	if (ret == -EINTR) {
		run->immediate_exit = 0;
		exit->reason = VM_EXIT_INTR;
		return 0;
	}
	if (ret)
		return fail("A64VCPU_RUN", ret);

	switch (run->exit_reason) {
	case A64VCPU_EXIT_MMIO:
		exit->reason = VM_EXIT_MMIO;
		exit->mmio.addr = run->mmio.phys_addr;
		exit->mmio.data = run->mmio.data;
		exit->mmio.len = run->mmio.len;
		exit->mmio.is_write = run->mmio.is_write;
		break;
	case A64VCPU_EXIT_HYPERCALL:
		exit->reason = VM_EXIT_HYPERCALL;
		exit->hcall.fid = run->hypercall.function_id;
		memcpy(exit->hcall.args, run->hypercall.args, sizeof(exit->hcall.args));
		break;
	case A64VCPU_EXIT_CPU_ON:
		exit->reason = VM_EXIT_CPU_ON;
		exit->cpu_on.mpidr = run->cpu_on.target_mpidr;
		exit->cpu_on.entry = run->cpu_on.entry;
		exit->cpu_on.context = run->cpu_on.context_id;
		exit->cpu_on.ret = 0;
		break;
	case A64VCPU_EXIT_CPU_OFF:
		exit->reason = VM_EXIT_CPU_OFF;
		break;
	case A64VCPU_EXIT_SYSTEM_EVENT:
		exit->reason = run->system_event.type == A64VCPU_SYSTEM_RESET ?
			       VM_EXIT_SYSTEM_RESET : VM_EXIT_SYSTEM_OFF;
		break;
	case A64VCPU_EXIT_HALT:
		exit->reason = VM_EXIT_HALT;
		break;
	case A64VCPU_EXIT_SYSREG:
		exit->reason = VM_EXIT_SYSREG;
		exit->sysreg.value = run->sysreg.value;
		exit->sysreg.op0 = run->sysreg.op0;
		exit->sysreg.op1 = run->sysreg.op1;
		exit->sysreg.crn = run->sysreg.crn;
		exit->sysreg.crm = run->sysreg.crm;
		exit->sysreg.op2 = run->sysreg.op2;
		exit->sysreg.is_write = run->sysreg.is_write;
		exit->sysreg.undefined = false;
		break;
	case A64VCPU_EXIT_INTR:
		run->immediate_exit = 0;
		exit->reason = VM_EXIT_INTR;
		break;
	case A64VCPU_EXIT_FAULT:
		error_exit(vcpu, exit, run->fault.is_exec ?
			   "instruction fetch from outside guest memory" :
			   "stage-2 fault the VMM cannot emulate", run->fault.esr, run->fault.ipa);
		break;
	case A64VCPU_EXIT_UNHANDLED_ABORT:
		error_exit(vcpu, exit, "MMIO access that cannot be decoded", run->fault.esr,
			   run->fault.ipa);
		break;
	case A64VCPU_EXIT_INTERNAL_ERROR:
		error_exit(vcpu, exit, "internal error", run->internal.esr, 0);
		exit->error.pc = run->internal.pc;
		break;
	default:
		error_exit(vcpu, exit, "unknown a64vcpu exit", run->exit_reason, 0);
		break;
	}
	return 0;
}

static void a64_vcpu_kick(struct vcpu *vcpu)
{
	struct a64vcpu_run *run = vcpu->run;

	__atomic_store_n(&run->immediate_exit, 1, __ATOMIC_RELEASE);
}

static void a64_vcpu_destroy(struct vcpu *vcpu)
{
	a64vcpu_unmap_run(vcpu->run);
	close(vcpu->fd);
}

/*
 * The module's vGICv3 (Documentation/vgic.rst): a device on the VM fd, its
 * frames placed and sized, initialised once the vCPUs exist.  A module
 * without one (A64VCPU_CAP_VGIC_V3 0: no GICv3 on the host) leaves the
 * machine without an interrupt controller.
 */
static int a64_gic_create(struct vm *vm, const struct gic_config *cfg)
{
	uint32_t nr_irqs = cfg->nr_irqs;
	int fd, ret;

	if (a64vcpu_check_extension(vm->sys_fd, A64VCPU_CAP_VGIC_V3) <= 0)
		return -EOPNOTSUPP;
	fd = a64vcpu_create_device(vm->fd, A64VCPU_DEV_VGIC_V3);
	if (fd < 0)
		return fail("A64VCPU_CREATE_DEVICE (vGICv3)", fd);
	vm->gic_fd = fd;
	ret = a64vcpu_set_device_attr(fd, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_DIST,
				      &cfg->dist_base);
	ret = ret ?: a64vcpu_set_device_attr(fd, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_REDIST,
					     &cfg->redist_base);
	ret = ret ?: a64vcpu_set_device_attr(fd, A64VCPU_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	return ret ? fail("configuring the vGIC", ret) : 0;
}

static int a64_gic_finalise(struct vm *vm)
{
	int ret = a64vcpu_set_device_attr(vm->gic_fd, A64VCPU_VGIC_GRP_CTRL,
					  A64VCPU_VGIC_CTRL_INIT, NULL);

	return ret ? fail("A64VCPU_VGIC_CTRL_INIT", ret) : 0;
}

/* Any thread, quick: the module takes no vCPU's lock for an SPI. */
static int a64_gic_set_spi(struct vm *vm, unsigned int spi, bool level)
{
	return a64vcpu_irq_line(vm->fd, A64VCPU_IRQ_TYPE_SPI, 0, 32 + spi, level);
}

static int a64_doorbell(struct vm *vm, uint64_t gpa, uint32_t len, uint64_t data, int fd)
{
	return a64vcpu_doorbell(vm->fd, gpa, len, fd, A64VCPU_DOORBELL_DATAMATCH, data);
}

static int a64_irq_eventfd(struct vm *vm, unsigned int spi, int fd)
{
	return a64vcpu_irqfd(vm->fd, fd, 32 + spi, 0, 0);
}

const struct accel_ops accel_a64vcpu_ops = {
	.name = "a64vcpu",
	.psci_in_kernel = false,
	.vm_create = a64_vm_create,
	.vm_add_ram = a64_vm_add_ram,
	.vm_destroy = a64_vm_destroy,
	.vcpu_create = a64_vcpu_create,
	.vcpu_reset = a64_vcpu_reset,
	.vcpu_run = a64_vcpu_run,
	.vcpu_kick = a64_vcpu_kick,
	.vcpu_destroy = a64_vcpu_destroy,
	.gic_create = a64_gic_create,
	.gic_finalise = a64_gic_finalise,
	.gic_set_spi = a64_gic_set_spi,
	.doorbell = a64_doorbell,
	.irq_eventfd = a64_irq_eventfd,
};
