// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory: a read-only slot turns writes into MMIO exits (also with
 * the guest's MMU on, the exit naming the IPA, and an AT at EL2 that
 * faults fixed up); a guest
 * writing just outside its slot exits instead of reaching the host memory
 * around it; two stage-2 spaces switched between runs; slot replacement
 * and deletion; a file-backed slot; pinned pages counted against
 * RLIMIT_MEMLOCK without CAP_IPC_LOCK; and every malformed slot request
 * refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "el2.h"
#include "kselftest_harness.h"
#include "vm.h"

#define RO_GPA		0x40200000ULL
#define PAGE		4096UL

/* Every stage-2 geometry: level-2 start with 4 concatenated tables (32
 * bits), level 1 (36), level 1 with 2 concatenated (40), level 0 (44+).
 */
TEST(every_ipa_size_runs)
{
	int sys = a64_open(), max = ioctl(sys, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_IPA_SIZE);
	unsigned int bits[] = { 32, 36, 40, 42, 44, 48 }, i;
	uint64_t n;

	for (i = 0; i < ARRAY_SIZE(bits) && bits[i] <= (unsigned int)max; i++) {
		struct test_vm *vm = vm_create_ipa(GUEST_RAM_SIZE, bits[i]);
		struct test_vcpu *vcpu;

		vm_load(vm, 0, GUEST_PROGRAM(loop));
		vcpu = vcpu_add(vm, 0);
		for (n = 1; n <= 10; n++)
			EXPECT_EQ(n, vcpu_ucall(vcpu)) TH_LOG("ipa_bits %u", bits[i]);
		vcpu_destroy(vcpu);
		vm_destroy(vm);
	}
	EXPECT_LE(4, i);	/* QEMU's cortex-a57 has 44 bits: four geometries */
	close(sys);
}

/*
 * Guest @code reads, writes and reads again the first word of a read-only
 * slot at RO_GPA: the write is an MMIO exit naming the IPA, the slot keeps
 * its value; @retries of its stage-2 faults are retried unresolved.
 */
static void readonly_write(struct __test_metadata *_metadata, struct guest_code code,
			   long retries)
{
	struct test_vm *vm = vm_create_with_program(code);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t *ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, ro);
	ro[0] = 0x1234;
	ASSERT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_READONLY, RO_GPA, PAGE, ro, 0));
	EXPECT_EQ(0x1234, vcpu_ucall(vcpu));
	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_TRUE(vcpu->run->mmio.is_write);
	EXPECT_EQ(RO_GPA, vcpu->run->mmio.phys_addr);
	EXPECT_EQ(0x7777, vcpu->run->mmio.data);
	EXPECT_EQ(0x1234, vcpu_ucall(vcpu));
	EXPECT_EQ(0x1234, ro[0]);
	STAT_CHECK(EXPECT_EQ(retries, vcpu_stat(vm, 0, "fault_retries")));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(ro, PAGE);
}

TEST(readonly_slot)
{
	readonly_write(_metadata, GUEST_PROGRAM(readonly), 0);
}

/*
 * The same with the guest's MMU on and the slot at another VA: the exit
 * names the IPA (resolved through AT at EL2 where HPFAR_EL2 is not to be
 * trusted), not the VA.
 */
TEST(readonly_slot_through_stage1)
{
	readonly_write(_metadata, GUEST_PROGRAM(readonly_mmu), 0);
}

/*
 * An AT at EL2 whose walk takes an exception is fixed up: the translation
 * has failed and the guest retries its access.  The module's
 * fault-injection build makes the next AT on this CPU fault instead (an
 * unmapped load registered with the AT's fixup; QEMU's walks never abort):
 * the guest above still gets its exits, one fault retried (on cortex-a57,
 * where erratum 834220 sends every stage-2 fault through AT, its first
 * ucall's; on -cpu max the read-only write's).
 */
TEST(at_fault_fixed_up)
{
	int fd = open(A64_DEBUGFS "/el2_fault_inject", O_WRONLY);

	if (fd < 0)
		SKIP(return, "not a fault-injection build of the module");
	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(2, write(fd, "at", 2));
	close(fd);
	readonly_write(_metadata, GUEST_PROGRAM(readonly_mmu), 1);
}

TEST(isolation_canaries)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu;
	/* canary page | guest RAM | canary page, contiguous in the host */
	char *area = mmap(NULL, GUEST_RAM_SIZE + 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ram = area + PAGE;
	unsigned int i, touched = 0;

	ASSERT_NE(MAP_FAILED, area);
	memset(area, 0xc5, PAGE);
	memset(ram + GUEST_RAM_SIZE, 0xc5, PAGE);
	ASSERT_EQ(0, vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, GUEST_RAM_SIZE, ram, 0));
	memcpy(ram, GUEST_PROGRAM(isolation).start,
	       (char *)GUEST_PROGRAM(isolation).end - (char *)GUEST_PROGRAM(isolation).start);
	__builtin___clear_cache(ram, ram + PAGE);
	vcpu = vcpu_add(vm, 0);

	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(GUEST_RAM_GPA - 8, vcpu->run->mmio.phys_addr);
	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(GUEST_RAM_GPA + GUEST_RAM_SIZE, vcpu->run->mmio.phys_addr);
	EXPECT_EQ(0x5a5a, vcpu_ucall(vcpu));		/* inside: memory */
	EXPECT_EQ(0x5a5a, *(uint64_t *)(ram + 0x800));
	for (i = 0; i < PAGE; i++)
		touched += area[i] != (char)0xc5 || ram[GUEST_RAM_SIZE + i] != (char)0xc5;
	EXPECT_EQ(0, touched);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(area, GUEST_RAM_SIZE + 2 * PAGE);
}

TEST(two_stage2_spaces)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	char *other = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t space, bad = 99;

	ASSERT_NE(MAP_FAILED, other);
	memcpy(other, vm->ram, GUEST_RAM_SIZE);
	*(uint64_t *)((char *)vm->ram + 0x800) = 0xaaaa;
	*(uint64_t *)(other + 0x800) = 0xbbbb;
	space = ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 0);
	ASSERT_LT(0, (int)space);
	ASSERT_EQ(0, vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, GUEST_RAM_SIZE, other, space));

	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	ASSERT_EQ(0, ioctl(vcpu->fd, A64VCPU_SET_STAGE2, &space));
	EXPECT_EQ(0xbbbb, vcpu_ucall(vcpu));
	space = 0;
	ASSERT_EQ(0, ioctl(vcpu->fd, A64VCPU_SET_STAGE2, &space));
	EXPECT_EQ(0xaaaa, vcpu_ucall(vcpu));
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_SET_STAGE2, &bad));
	EXPECT_EQ(EINVAL, errno);

	/* Replace the default slot while the vCPU exists: the next run sees it. */
	*(uint64_t *)(other + 0x800) = 0xcccc;
	ASSERT_EQ(0, vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, GUEST_RAM_SIZE, other, 0));
	EXPECT_EQ(0xcccc, vcpu_ucall(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(other, GUEST_RAM_SIZE);
}

struct swapper {
	struct test_vm *vm;
	char *bufs[2];
	int stop;		/* __atomic */
	int swaps;
	int errors;
};

static void *swap_slots(void *arg)
{
	struct swapper *sw = arg;

	while (!__atomic_load_n(&sw->stop, __ATOMIC_RELAXED)) {
		if (vm_set_slot(sw->vm, 0, 0, GUEST_RAM_GPA, GUEST_RAM_SIZE,
				sw->bufs[sw->swaps & 1], 0))
			sw->errors++;
		sw->swaps++;
	}
	return NULL;
}

TEST(replace_slot_while_running)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct swapper sw = { .vm = vm };
	unsigned int i, seen[2] = { 0, 0 }, other = 0;
	pthread_t thread;
	uint64_t v;

	for (i = 0; i < 2; i++) {
		sw.bufs[i] = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, sw.bufs[i]);
		memcpy(sw.bufs[i], vm->ram, GUEST_RAM_SIZE);
		*(uint64_t *)(sw.bufs[i] + 0x800) = 0x1000 + i;
	}
	ASSERT_EQ(0, pthread_create(&thread, NULL, swap_slots, &sw));
	for (i = 0; i < 3000; i++) {
		v = vcpu_ucall(vcpu);
		if (v == 0x1000 || v == 0x1001)
			seen[v & 1]++;
		else if (v != 0)	/* 0: the original RAM, before the first swap */
			other++;
	}
	__atomic_store_n(&sw.stop, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	TH_LOG("%d slot replacements under a running guest; saw %u/%u", sw.swaps,
	       seen[0], seen[1]);
	EXPECT_EQ(0, sw.errors);
	EXPECT_EQ(0, other);
	EXPECT_LT(1, sw.swaps);
	EXPECT_LT(0, seen[0] + seen[1]);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(sw.bufs[0], GUEST_RAM_SIZE);
	munmap(sw.bufs[1], GUEST_RAM_SIZE);
}

TEST(file_backed_slot)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(readonly));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	char path[] = "/tmp/a64vcpu-slot-XXXXXX";
	int fd = mkstemp(path);
	uint64_t *mem;

	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, ftruncate(fd, PAGE));
	mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mem[0] = 0x4242;
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, RO_GPA, PAGE, mem, 0));
	EXPECT_EQ(0x4242, vcpu_ucall(vcpu));
	/* writable this time: the guest's store lands in the file */
	EXPECT_EQ(0x7777, vcpu_ucall(vcpu));
	EXPECT_EQ(0x7777, mem[0]);
	EXPECT_EQ(sizeof(uint64_t), pread(fd, mem + 1, sizeof(uint64_t), 0));
	EXPECT_EQ(0x7777, mem[1]);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, PAGE);
	close(fd);
}

TEST(delete_slot_then_mmio)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(readonly));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t *ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, RO_GPA, PAGE, ro, 0));
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, RO_GPA, 0, NULL, 0));	/* delete */
	EXPECT_EQ(-1, vm_set_slot(vm, 1, 0, RO_GPA, 0, NULL, 0));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_to_exit(vcpu));
	EXPECT_EQ(RO_GPA, vcpu->run->mmio.phys_addr);
	EXPECT_FALSE(vcpu->run->mmio.is_write);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(ro, PAGE);
}

TEST(bad_slot_requests)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	char *buf = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct a64vcpu_memory_slot req = {
		.slot = 1, .guest_phys_addr = 0x80000000, .size = PAGE,
		.userspace_addr = (uintptr_t)buf,
	};
	struct a64vcpu_memory_slot r;

#define EXPECT_SLOT_ERR(err, field, value) do {				\
		r = req;						\
		r.field = value;					\
		EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_SET_MEMORY_SLOT, &r));	\
		EXPECT_EQ(err, errno) TH_LOG(#field " = " #value);	\
	} while (0)

	ASSERT_NE(MAP_FAILED, buf);
	EXPECT_SLOT_ERR(EINVAL, flags, 4);
	EXPECT_SLOT_ERR(EINVAL, pad, 1);
	EXPECT_SLOT_ERR(EINVAL, reserved[1], 1);
	EXPECT_SLOT_ERR(EINVAL, slot, 32);
	EXPECT_SLOT_ERR(EINVAL, stage2, 5);
	EXPECT_SLOT_ERR(EINVAL, guest_phys_addr, 0x80000010);
	EXPECT_SLOT_ERR(EINVAL, size, 100);
	EXPECT_SLOT_ERR(EINVAL, userspace_addr, (uintptr_t)buf + 8);
	EXPECT_SLOT_ERR(EINVAL, guest_phys_addr, 0xfffffffffffff000ULL);	/* wraps */
	EXPECT_SLOT_ERR(EINVAL, guest_phys_addr, 1ULL << 40);	/* beyond the IPA size */
	EXPECT_SLOT_ERR(EINVAL, size, 1ULL << 40);		/* oversize */
	EXPECT_SLOT_ERR(EFAULT, userspace_addr, 0xffff800000000000ULL);	/* kernel */
	/* Nothing there: a pinned slot fails now, one mapped on demand at first use. */
	req.flags = A64VCPU_MEM_PINNED;
	EXPECT_SLOT_ERR(EFAULT, userspace_addr, 0x1000);
	req.flags = 0;
	EXPECT_SLOT_ERR(EEXIST, guest_phys_addr, GUEST_RAM_GPA + PAGE);	/* overlaps slot 0 */
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_SET_MEMORY_SLOT, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* The good request, after all that, works. */
	EXPECT_EQ(0, ioctl(vm->fd, A64VCPU_SET_MEMORY_SLOT, &req));
	vm_destroy(vm);
	munmap(buf, 4 * PAGE);
}

/* VmLck of this process (its mm->locked_vm), in bytes, or -1. */
static long locked_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib < 0 ? -1 : kib * 1024;
}

static int drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	return syscall(SYS_capset, &hdr, data);
}

/*
 * Pinned slots count against RLIMIT_MEMLOCK (mm->locked_vm): with room for
 * one more slot, the second is refused with ENOMEM and counts nothing, a
 * deleted slot gives its room back, and so does the VM's end.  Slots mapped
 * on demand pin nothing: neither the guest's RAM (slot 0) nor a slot larger
 * than the limit counts.
 */
TEST(pinned_pages_count_against_memlock)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	size_t size = 64 * PAGE;
	char *mem = mmap(NULL, 4 * size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t gpa1 = GUEST_RAM_GPA + 0x1000000, gpa2 = GUEST_RAM_GPA + 0x2000000;
	uint64_t gpa3 = GUEST_RAM_GPA + 0x3000000;
	long base = locked_bytes();
	struct rlimit rl;

	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, base);
	ASSERT_EQ(0, drop_cap_ipc_lock());
	rl.rlim_cur = size;
	rl.rlim_max = rl.rlim_cur;
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));

	ASSERT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_PINNED, gpa1, size, mem, 0));
	EXPECT_EQ((long)size, locked_bytes());
	EXPECT_EQ(-1, vm_set_slot(vm, 2, A64VCPU_MEM_PINNED, gpa2, size, mem + size, 0));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ((long)size, locked_bytes());
	EXPECT_EQ(0, vm_set_slot(vm, 3, 0, gpa3, 2 * size, mem + 2 * size, 0));
	EXPECT_EQ((long)size, locked_bytes());
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, gpa1, 0, mem, 0));
	EXPECT_EQ(0, locked_bytes());
	EXPECT_EQ(0, vm_set_slot(vm, 2, A64VCPU_MEM_PINNED, gpa2, size, mem + size, 0));
	EXPECT_EQ((long)size, locked_bytes());
	vm_destroy(vm);
	EXPECT_EQ(0, locked_bytes());
	munmap(mem, 4 * size);
}

TEST_HARNESS_MAIN
