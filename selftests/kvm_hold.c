// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_hold READY_FILE: creates a KVM VM, runs a one-instruction guest to an
 * MMIO exit (proof that KVM's EL2 works), creates READY_FILE and holds the
 * VM open until killed.  Used by kvm_coexist.sh.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#define GUEST_IPA	0x40000000ULL
#define MMIO_IPA	0x1000ULL
#define REG_PC		(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(regs.pc))

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	/* mov x1, #0x1000; mov x2, #42; str x2, [x1]; b . */
	static const uint32_t code[] = { 0xd2820001, 0xd2800542, 0xf9000022, 0x14000000 };
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_one_reg reg;
	struct kvm_vcpu_init init;
	struct kvm_run *run;
	uint64_t pc = GUEST_IPA, data = 0;
	int kvm, vm, vcpu, size, fd;
	void *mem;

	if (argc != 2) {
		fprintf(stderr, "usage: kvm_hold READY_FILE\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("open /dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	memcpy(mem, code, sizeof(code));
	region.guest_phys_addr = GUEST_IPA;
	region.memory_size = 0x10000;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		return fail("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) || ioctl(vcpu, KVM_ARM_VCPU_INIT, &init))
		return fail("KVM_ARM_VCPU_INIT");
	reg.id = REG_PC;
	reg.addr = (uintptr_t)&pc;
	if (ioctl(vcpu, KVM_SET_ONE_REG, &reg))
		return fail("KVM_SET_ONE_REG");
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap kvm_run");
	if (ioctl(vcpu, KVM_RUN, 0))
		return fail("KVM_RUN");
	memcpy(&data, run->mmio.data, sizeof(data));
	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != MMIO_IPA ||
	    !run->mmio.is_write || data != 42) {
		fprintf(stderr, "kvm_hold: unexpected exit %u\n", run->exit_reason);
		return 1;
	}
	printf("kvm_hold: KVM guest ran to its MMIO write (%#llx <- %llu)\n",
	       (unsigned long long)run->mmio.phys_addr, (unsigned long long)data);
	fflush(stdout);
	fd = open(argv[1], O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		return fail(argv[1]);
	close(fd);
	for (;;)
		pause();
}
