/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small library over the a64vcpu ioctls for selftests, in the manner of
 * KVM's kvm_util: a VM with guest memory and a vCPU running a guest program
 * in a few lines, on top of liba64vcpu (the VMM's ioctl library).  Failures
 * abort the test with a message (they are test set-up failures, not what a
 * test checks).
 */
#ifndef A64_SELFTEST_VM_H
#define A64_SELFTEST_VM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/a64vcpu.h>

#include "a64vcpu.h"	/* liba64vcpu: userspace/lib */

#define GUEST_RAM_GPA	0x40000000ULL	/* where guest programs are loaded */
#define GUEST_RAM_SIZE	0x100000ULL	/* 1 MiB by default */
#define UCALL_GPA	0x0a000000ULL	/* guest -> test messages (MMIO writes) */

struct test_vm {
	int sys_fd;
	int fd;
	void *ram;			/* host view of the default slot */
	size_t ram_size;
};

struct test_vcpu {
	int fd;
	struct a64vcpu_run *run;
};

/* A guest program: code between two labels of a selftests/guest/ file. */
struct guest_code {
	const void *start;
	const void *end;
};

#define GUEST_PROGRAM(name) ({						\
	extern const char guest_##name##_start[], guest_##name##_end[];	\
	(struct guest_code){ guest_##name##_start, guest_##name##_end };	\
})

int a64_open(void);
struct test_vm *vm_create(size_t ram_size);
struct test_vm *vm_create_ipa(size_t ram_size, unsigned int ipa_bits);
void vm_load(struct test_vm *vm, uint64_t offset, struct guest_code code);
struct test_vm *vm_create_with_program(struct guest_code code);
void vm_destroy(struct test_vm *vm);
int vm_set_slot(struct test_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		uint64_t size, void *host, uint32_t stage2);

struct test_vcpu *vcpu_add(struct test_vm *vm, uint64_t mpidr);
void vcpu_destroy(struct test_vcpu *vcpu);
/* A64VCPU_RUN; returns the ioctl's result (0 or -1 with errno). */
int vcpu_run(struct test_vcpu *vcpu);
uint64_t vcpu_get(struct test_vcpu *vcpu, uint64_t id);
void vcpu_set(struct test_vcpu *vcpu, uint64_t id, uint64_t val);
/* Runs until the next exit that is not HALT; returns its reason. */
uint32_t vcpu_run_to_exit(struct test_vcpu *vcpu);
/* Runs and expects a ucall (an 8-byte MMIO write at UCALL_GPA); returns its value. */
uint64_t vcpu_ucall(struct test_vcpu *vcpu);
const char *exit_name(uint32_t reason);

#endif
