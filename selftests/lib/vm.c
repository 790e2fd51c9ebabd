// SPDX-License-Identifier: GPL-2.0-only
/*
 * The selftest library over the a64vcpu ioctls (see vm.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vm.h"

static void die(const char *what)
{
	fprintf(stderr, "# test set-up failed: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* liba64vcpu's -errno as the ioctl's -1 and errno, which the tests check. */
static int as_ioctl(int r)
{
	if (r >= 0)
		return r;
	errno = -r;
	return -1;
}

int a64_open(void)
{
	int fd = as_ioctl(a64vcpu_open());

	if (fd < 0)
		die("open /dev/a64vcpu");
	return fd;
}

int vm_set_slot(struct test_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		uint64_t size, void *host, uint32_t stage2)
{
	return as_ioctl(a64vcpu_set_memory_slot(vm->fd, slot, flags, gpa, size, host, stage2));
}

struct test_vm *vm_create(size_t ram_size)
{
	return vm_create_ipa(ram_size, 0);
}

struct test_vm *vm_create_ipa(size_t ram_size, unsigned int ipa_bits)
{
	struct test_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		die("calloc");
	vm->sys_fd = a64_open();
	vm->fd = as_ioctl(a64vcpu_create_vm(vm->sys_fd, ipa_bits));
	if (vm->fd < 0)
		die("A64VCPU_CREATE_VM");
	vm->ram_size = ram_size;
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->ram == MAP_FAILED)
		die("mmap guest RAM");
	if (vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, ram_size, vm->ram, 0))
		die("A64VCPU_SET_MEMORY_SLOT");
	return vm;
}

void vm_load(struct test_vm *vm, uint64_t offset, struct guest_code code)
{
	size_t len = (const char *)code.end - (const char *)code.start;

	if (offset + len > vm->ram_size) {
		errno = E2BIG;
		die("guest program larger than RAM");
	}
	memcpy((char *)vm->ram + offset, code.start, len);
	/* The guest fetches it through its own (stage-2) mapping of these pages. */
	__builtin___clear_cache((char *)vm->ram + offset, (char *)vm->ram + offset + len);
}

struct test_vm *vm_create_with_program(struct guest_code code)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);

	vm_load(vm, 0, code);
	return vm;
}

void vm_destroy(struct test_vm *vm)
{
	close(vm->fd);
	close(vm->sys_fd);
	munmap(vm->ram, vm->ram_size);
	free(vm);
}

struct test_vcpu *vcpu_add(struct test_vm *vm, uint64_t mpidr)
{
	struct test_vcpu *vcpu = calloc(1, sizeof(*vcpu));

	if (!vcpu)
		die("calloc");
	vcpu->fd = as_ioctl(a64vcpu_create_vcpu(vm->fd, mpidr, 0));
	if (vcpu->fd < 0)
		die("A64VCPU_CREATE_VCPU");
	vcpu->run = a64vcpu_map_run(vm->sys_fd, vcpu->fd);
	if (!vcpu->run)
		die("mmap vcpu");
	if (as_ioctl(a64vcpu_set_entry(vcpu->fd, GUEST_RAM_GPA)))
		die("A64VCPU_SET_ENTRY");
	/* A stack at the top of RAM, for guest programs that want one. */
	vcpu_set(vcpu, A64VCPU_REG_SP_EL1, GUEST_RAM_GPA + vm->ram_size);
	return vcpu;
}

void vcpu_destroy(struct test_vcpu *vcpu)
{
	a64vcpu_unmap_run(vcpu->run);
	close(vcpu->fd);
	free(vcpu);
}

int vcpu_run(struct test_vcpu *vcpu)
{
	return as_ioctl(a64vcpu_run(vcpu->fd));
}

uint64_t vcpu_get(struct test_vcpu *vcpu, uint64_t id)
{
	uint64_t val;

	if (as_ioctl(a64vcpu_get_reg(vcpu->fd, id, &val)))
		die("A64VCPU_GET_REG");
	return val;
}

void vcpu_set(struct test_vcpu *vcpu, uint64_t id, uint64_t val)
{
	if (as_ioctl(a64vcpu_set_reg(vcpu->fd, id, val)))
		die("A64VCPU_SET_REG");
}

uint32_t vcpu_run_to_exit(struct test_vcpu *vcpu)
{
	do {
		if (vcpu_run(vcpu))
			die("A64VCPU_RUN");
	} while (vcpu->run->exit_reason == A64VCPU_EXIT_HALT);
	return vcpu->run->exit_reason;
}

uint64_t vcpu_ucall(struct test_vcpu *vcpu)
{
	uint32_t reason = vcpu_run_to_exit(vcpu);

	if (reason != A64VCPU_EXIT_MMIO || !vcpu->run->mmio.is_write ||
	    vcpu->run->mmio.phys_addr != UCALL_GPA || vcpu->run->mmio.len != 8) {
		fprintf(stderr, "# expected a ucall, got exit %s (mmio %#llx) pc %#llx\n",
			exit_name(reason), (unsigned long long)vcpu->run->mmio.phys_addr,
			(unsigned long long)vcpu_get(vcpu, A64VCPU_REG_PC));
		exit(1);
	}
	return vcpu->run->mmio.data;
}

const char *exit_name(uint32_t reason)
{
	return a64vcpu_exit_name(reason);
}
