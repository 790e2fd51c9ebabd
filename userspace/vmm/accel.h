/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The accelerator interface: what the VMM needs from /dev/a64vcpu or
 * /dev/kvm.  One implementation per backend (accel_a64vcpu.c, accel_kvm.c);
 * the rest of the VMM never issues an ioctl.  Each backend translates its
 * exits into struct vm_exit and, on the next vcpu_run(), hands the VMM's
 * answer (MMIO read data, hypercall results, sysreg value) back to the guest.
 */
#ifndef A64VM_ACCEL_H
#define A64VM_ACCEL_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/*
 * The interrupt controller a VM may have: a GICv3 whose distributor and
 * redistributors the accelerator emulates (in the kernel, next to the
 * timers that feed its PPIs), at QEMU virt's addresses (platform.h).
 */
struct gic_config {
	uint64_t dist_base;	/* GICD: VIRT_GIC_DIST_SIZE (64 KiB) */
	uint64_t redist_base;	/* one 128 KiB RD_base + SGI_base frame per vCPU, in vCPU order */
	unsigned int nr_vcpus;	/* as many as vcpu_create() will be called for */
	unsigned int nr_irqs;	/* INTIDs, the 32 SGIs and PPIs included: 64..1024, x32 */
};

enum vm_exit_reason {
	VM_EXIT_MMIO,
	VM_EXIT_HYPERCALL,	/* an HVC/SMC the accelerator left to the VMM */
	VM_EXIT_CPU_ON,		/* PSCI CPU_ON to be carried out by the VMM */
	VM_EXIT_CPU_OFF,
	VM_EXIT_SYSTEM_OFF,
	VM_EXIT_SYSTEM_RESET,
	VM_EXIT_HALT,		/* WFI/WFE: nothing to wait for yet */
	VM_EXIT_SYSREG,
	VM_EXIT_INTR,		/* a signal interrupted the run */
	VM_EXIT_ERROR,		/* the guest cannot go on: see .error */
	VM_EXIT_NR
};

struct vm_exit {
	enum vm_exit_reason reason;
	union {
		struct {
			uint64_t addr;
			uint64_t data;		/* in for writes; the VMM fills it for reads */
			uint32_t len;
			bool is_write;
		} mmio;
		struct {
			uint64_t fid;		/* x0 */
			uint64_t args[6];	/* x1-x6 */
			uint64_t ret[4];	/* the VMM's answer, x0-x3 */
		} hcall;
		struct {
			uint64_t mpidr, entry, context;
			int64_t ret;		/* the VMM's PSCI answer to the caller */
		} cpu_on;
		struct {
			uint64_t value;		/* in for writes; the VMM fills it for reads */
			uint8_t op0, op1, crn, crm, op2;
			bool is_write;
			bool undefined;		/* the VMM's answer: no such register */
		} sysreg;
		struct {
			const char *what;	/* static text: the kind of exit */
			uint64_t esr, pc, addr;
		} error;
	};
};

struct accel_ops {
	const char *name;
	/*
	 * True if the accelerator starts secondary vCPUs itself on PSCI
	 * CPU_ON (KVM): the VMM then creates every vCPU powered off up front
	 * and runs each on its thread from the start.  False (a64vcpu): the
	 * VMM gets VM_EXIT_CPU_ON and starts the target's thread.
	 */
	bool psci_in_kernel;
	/* Each returns 0 or -errno, after printing what failed to stderr. */
	int (*vm_create)(struct vm *vm);
	/* Guest RAM [@gpa, @gpa + @size) as memory slot @slot, at most RAM_SLOT_MAX bytes. */
	int (*vm_add_ram)(struct vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host);
	void (*vm_destroy)(struct vm *vm);
	/* A vCPU with MPIDR vcpu->mpidr; powered off if !vcpu->powered_on (KVM). */
	int (*vcpu_create)(struct vcpu *vcpu);
	/* Entry state: PC = @pc, x0 = @x0, EL1h, interrupts masked, MMU off. */
	int (*vcpu_reset)(struct vcpu *vcpu, uint64_t pc, uint64_t x0);
	int (*vcpu_run)(struct vcpu *vcpu, struct vm_exit *exit);
	/* Makes a concurrent or the next vcpu_run() return VM_EXIT_INTR soon. */
	void (*vcpu_kick)(struct vcpu *vcpu);
	void (*vcpu_destroy)(struct vcpu *vcpu);

	/*
	 * The interrupt controller (optional for the accelerator, not for a
	 * Linux guest).  a64vm calls, in this order:
	 *
	 *   vm_create()
	 *   gic_create(vm, cfg)     before any vcpu_create(); -EOPNOTSUPP, silently,
	 *                           if the accelerator has none: the machine then
	 *                           has no interrupt controller (no GIC in the DTB,
	 *                           no gic_* call after this one)
	 *   vm_add_ram(), the DTB (which describes the GIC), vcpu_create() for each vCPU
	 *   gic_finalise(vm)        once every vCPU exists, before any runs
	 *   vcpu_run() ...          on the vCPU threads, while, on any thread:
	 *   gic_set_spi(vm, spi, level)
	 *   vcpu_destroy() ..., vm_destroy(), which also frees the GIC
	 *
	 * gic_set_spi() drives the input of SPI @spi (INTID 32 + @spi, the DTB's
	 * numbering) to @level: an emulated device's level-sensitive interrupt
	 * line, set to 1 while the device asserts it and to 0 when it stops.
	 * It is called from any thread (vCPU threads handling MMIO, device
	 * threads such as the PL011's stdin reader) while vCPUs run, with the
	 * device's spinlock held so that a device's level changes reach the GIC
	 * in order: it must be quick and never wait for a vCPU.  It returns 0
	 * or -errno and does not print (a64vm reports the first failure).
	 */
	int (*gic_create)(struct vm *vm, const struct gic_config *cfg);
	int (*gic_finalise)(struct vm *vm);
	int (*gic_set_spi)(struct vm *vm, unsigned int spi, bool level);

	/*
	 * Device I/O that never stops a vCPU (with a GIC, after
	 * gic_finalise(), before the vCPUs run; both last as long as the VM):
	 * doorbell() makes a guest store of @len bytes of value @data at
	 * guest-physical @gpa (outside RAM) add 1 to eventfd @fd, completed
	 * by the accelerator with no exit; irq_eventfd() makes each write to
	 * eventfd @fd a rising edge on SPI @spi.  Each returns 0 or -errno
	 * and does not print.
	 */
	int (*doorbell)(struct vm *vm, uint64_t gpa, uint32_t len, uint64_t data, int fd);
	int (*irq_eventfd)(struct vm *vm, unsigned int spi, int fd);
};

extern const struct accel_ops accel_a64vcpu_ops;
extern const struct accel_ops accel_kvm_ops;

const char *vm_exit_name(enum vm_exit_reason reason);

#endif
