/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A KVM VM of one vCPU running a guest program of selftests/guest/ at
 * GUEST_RAM_GPA, for tests and benchmarks that compare with KVM or share
 * EL2 with it.  Needs /dev/kvm (scripts/hostrun --kvm).
 */
#ifndef A64_SELFTEST_KVM_VM_H
#define A64_SELFTEST_KVM_VM_H

#include <stdint.h>
#include <linux/kvm.h>

#include "vm.h"

struct kvm_vm {
	int kvm, vm, vcpu, run_size;
	int gic;			/* kvm_vm_vgic()'s device fd, or -1 */
	struct kvm_run *run;
	void *mem;			/* GUEST_RAM_SIZE bytes at GUEST_RAM_GPA */
};

/* The core register KVM_{GET,SET}_ONE_REG names x@n (0..30), or the PC (n 32). */
#define KVM_REG_X(n)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (KVM_REG_ARM_CORE_REG(regs.regs[0]) + 2 * (n)))
#define KVM_REG_PC_ID	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(regs.pc))

/*
 * Creates the VM with @code loaded and its vCPU at the program's start,
 * the run structure mapped; it has not run.  KVM holds EL2 until
 * kvm_vm_close() (it hands EL2 to the hyp stub when its last VM is gone).
 * Returns 0, or -1 with errno (then kvm_vm_close() still undoes it).
 */
int kvm_vm_open(struct kvm_vm *k, struct guest_code code);
void kvm_vm_close(struct kvm_vm *k);
/*
 * KVM's vGICv3 at QEMU virt's addresses (VGIC_DIST_GPA, VGIC_REDIST_GPA),
 * @nr_irqs INTIDs, initialised for the vCPU (KVM_IRQFD's GSI n is then
 * INTID 32 + n).  Returns 0, or -1 with errno.
 */
int kvm_vm_vgic(struct kvm_vm *k, uint32_t nr_irqs);
int kvm_vm_set_reg(struct kvm_vm *k, uint64_t id, uint64_t val);
/*
 * KVM_RUN to the guest's next ucall (an 8-byte MMIO write at UCALL_GPA):
 * returns its value, or 0 with errno (EPROTO: another exit).
 */
uint64_t kvm_vm_ucall(struct kvm_vm *k);

#endif
