// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory as Linux manages it: a slot is mapped at the guest's first
 * access to each page (a stage-2 fault the module resolves without an exit
 * to userspace) and follows the host's page tables through an MMU
 * notifier.  So the host can take pages away (MADV_DONTNEED, munmap, a
 * hole punched in a file) while the guest runs, swap them out to zram under
 * a memory cgroup, merge them with KSM, back them with transparent huge
 * pages or hugetlbfs (2 MiB stage-2 blocks), and share them with a file;
 * the guest always reads what the host has, and a fork()ed child's copy
 * is not the guest's.  A pinned slot is pinned and mapped at once, and
 * refused over a file that cannot be pinned safely.
 *
 * The counters are the VM's debugfs file a64vcpu/<pid>-<fd>-<serial>/memory:
 * faults, fault_races, invalidations, mapped_pages, mapped_blocks_2m,
 * pinned_pages.  The guest (guest/c/vm_ondemand.c) writes and checks a
 * pattern over ranges the test names, one operation per ucall.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"
#include "memcg_swap.h"
#include "vm.h"
#include "guest/c/vm_ondemand.h"

#define SLOT_GPA	ONDEMAND_SLOT_GPA
#define PAGE		4096UL
#define MIB		(1UL << 20)
#define BLOCK		(2 * MIB)
/* OP_SPIN's flag: a word of the guest's RAM (slot 0) above its image. */
#define FLAG_OFFSET	(GUEST_RAM_SIZE - PAGE)

#define KSM		"/sys/kernel/mm/ksm"
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
#define SWAP_CGROUP	"a64vcpu-ondemand"	/* the swap fixture's */
#define TEST_CGROUP	"/sys/fs/cgroup/" SWAP_CGROUP
/* Writing 48 MiB through swap, or KSM's scans, on the debug kernel under TCG. */
#define LONG_TIMEOUT	300

static long mem_stat(struct test_vm *vm, const char *name)
{
	return vm_stat(vm, "memory", name);
}

/* Exits to userspace so far: the sum of the vCPU's exit counters. */
static long user_exits(struct test_vm *vm)
{
	static const char * const names[] = {
		"mmio", "hypercall", "cpu_on", "cpu_off", "system_event", "halt",
		"sysreg", "intr", "fault", "unhandled_abort", "internal_error",
	};
	long sum = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		sum += vcpu_stat(vm, 0, names[i]);
	return sum;
}

/* Operation @op of vm_ondemand.h on [@gpa, @gpa + @size): the guest's answer. */
static uint64_t guest_op(struct test_vcpu *vcpu, uint64_t op, uint64_t gpa, uint64_t size,
			 uint64_t seed)
{
	vcpu->args[0] = op;
	vcpu->args[1] = gpa;
	vcpu->args[2] = size;
	vcpu->args[3] = seed;
	return vcpu_ucall(vcpu);
}

static struct test_vm *ondemand_vm(struct test_vcpu **vcpu)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vm_ondemand));

	*vcpu = vcpu_add(vm, 0);
	return vm;
}

/* @size bytes of anonymous memory with madvise() @advice (or none: -1). */
static char *anon(size_t size, int advice)
{
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED || (advice >= 0 && madvise(mem, size, advice)))
		return NULL;
	return mem;
}

/* The host's side of the pattern: @p holds guest-physical [@gpa, + @size). */
static void host_fill(void *p, uint64_t gpa, size_t size, uint64_t seed)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < size / 8; i++)
		w[i] = ondemand_pattern(seed, gpa + 8 * i);
}

/* The words of @p (guest-physical [@gpa, + @size)) that differ from the pattern. */
static size_t host_check(const void *p, uint64_t gpa, size_t size, uint64_t seed)
{
	const uint64_t *w = p;
	size_t i, bad = 0;

	for (i = 0; i < size / 8; i++)
		bad += w[i] != ondemand_pattern(seed, gpa + 8 * i);
	return bad;
}

/* Does this kernel know file system @type (/proc/filesystems)? */
static bool have_filesystem(const char *type)
{
	char line[128], name[64];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "nodev %63s", name) == 1 || sscanf(line, "%63s", name) == 1)
			found |= !strcmp(name, type);
	fclose(f);
	return found;
}

/*
 * The guest filled the whole slot of @size with seed 1; the host replaces
 * [@off, + @len) of it: MADV_DONTNEED (the guest then reads zero) or, with
 * @remap, munmap() and a MAP_FIXED mapping of a memfd the host filled with
 * seed 2.  Returns the seed the guest must read there.
 */
static uint64_t replace_part(struct __test_metadata *_metadata, char *mem, size_t off,
			     size_t len, bool remap)
{
	char *p;
	int fd;

	if (!remap) {
		ASSERT_EQ(0, madvise(mem + off, len, MADV_DONTNEED));
		return 0;
	}
	fd = memfd_create("a64vcpu-remap", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, len));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	host_fill(p, SLOT_GPA + off, len, 2);
	munmap(p, len);
	ASSERT_EQ(0, munmap(mem + off, len));
	ASSERT_EQ(mem + off, mmap(mem + off, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
				  fd, 0));
	close(fd);
	return 2;
}

/*
 * The first K pages the guest touches cost K faults resolved in the kernel
 * and map K pages, no more, without an exit to userspace; the host gives
 * it those pages and no others.
 */
TEST(pages_mapped_at_first_touch)
{
	const long k = 100;
	size_t size = 16 * MIB, i;
	struct test_vcpu *vcpu;
	struct test_vm *vm = ondemand_vm(&vcpu);
	char *mem = anon(size, MADV_NOHUGEPAGE);
	long mapped, faults, exits, resident = 0;
	unsigned char *vec = malloc(size / PAGE);

	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	/* Nothing mapped, in the whole VM: the guest has not run yet. */
	STAT_CHECK(ASSERT_EQ(0, mem_stat(vm, "mapped_pages")));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "mapped_blocks_2m")));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "pinned_pages")));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "faults")));

	/* The same operation first on page 0: its code and stack mapped now. */
	ASSERT_EQ(1, guest_op(vcpu, OP_TOUCH, SLOT_GPA, PAGE, PAGE));
	mapped = mem_stat(vm, "mapped_pages");
	faults = mem_stat(vm, "faults");
	exits = user_exits(vm);
	STAT_CHECK(EXPECT_LE(2, mapped));	/* the guest's code and slot 1's page 0 */
	STAT_CHECK(EXPECT_LE(mapped, faults));

	/* k pages, every third one. */
	ASSERT_EQ(k, guest_op(vcpu, OP_TOUCH, SLOT_GPA + PAGE, 3 * k * PAGE, 3 * PAGE));
	STAT_CHECK(EXPECT_EQ(mapped + k, mem_stat(vm, "mapped_pages")));
	STAT_CHECK(EXPECT_LE(faults + k, mem_stat(vm, "faults")));
	/* Exits to userspace: the operation's 4 arguments and its ucall only. */
	STAT_CHECK(EXPECT_EQ(exits + 5, user_exits(vm)));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "pinned_pages")));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "mapped_blocks_2m")));

	/* The host made those 1 + k pages present, not the slot's others. */
	ASSERT_EQ(0, mincore(mem, size, vec));
	for (i = 0; i < size / PAGE; i++)
		resident += vec[i] & 1;
	EXPECT_EQ(1 + k, resident);
	TH_LOG("%ld pages touched: faults %ld -> %ld, mapped_pages %ld -> %ld", k, faults,
	       mem_stat(vm, "faults"), mapped, mem_stat(vm, "mapped_pages"));
	free(vec);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

/*
 * Part of a slot the guest has written replaced between two runs: the
 * notifier unmaps its pages, and the guest reads the new content there and
 * its own everywhere else.
 */
static void replace_between_runs(struct __test_metadata *_metadata, bool remap)
{
	size_t size = 8 * MIB, off = MIB + 5 * PAGE, len = 64 * PAGE;
	struct test_vcpu *vcpu;
	struct test_vm *vm = ondemand_vm(&vcpu);
	char *mem = anon(size, MADV_NOHUGEPAGE);
	long inval, mapped;
	uint64_t seed;

	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 1));
	inval = mem_stat(vm, "invalidations");
	mapped = mem_stat(vm, "mapped_pages");
	ASSERT_LE(size / PAGE, mapped);

	seed = replace_part(_metadata, mem, off, len, remap);
	STAT_CHECK(EXPECT_LT(inval, mem_stat(vm, "invalidations")));
	/* At least those pages unmapped (more is slower, not wrong). */
	STAT_CHECK(EXPECT_GE(mapped - (long)(len / PAGE), mem_stat(vm, "mapped_pages")));
	TH_LOG("%zu pages replaced: mapped_pages %ld -> %ld", len / PAGE, mapped,
	       mem_stat(vm, "mapped_pages"));

	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + off, len, seed));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, off, 1));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + off + len, size - off - len, 1));
	EXPECT_EQ(0, host_check(mem, SLOT_GPA, off, 1));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

TEST(dontneed_between_runs)
{
	replace_between_runs(_metadata, false);
}

TEST(munmap_mmap_between_runs)
{
	replace_between_runs(_metadata, true);
}

/* OP_SPIN's ucalls: the first says it spins, after the second the guest stops. */
static void spin_ucall(struct vcpu_thread *t, uint64_t val)
{
	if (val == ONDEMAND_READY)
		sem_post(t->data);
	else
		t->vcpu->args[0] = OP_EXIT;
}

/*
 * The same while the guest runs on another thread and keeps reading a word
 * of the slot (for MADV_DONTNEED one of the pages taken away; for munmap,
 * whose hole must not be seen, one outside): the guest is told by a flag
 * in its RAM, set once the host is done, to check the whole slot.
 */
static void replace_while_running(struct __test_metadata *_metadata, bool remap)
{
	size_t size = 4 * MIB, off = 2 * MIB - 8 * PAGE, len = 16 * PAGE;
	struct test_vcpu *vcpu;
	struct test_vm *vm = ondemand_vm(&vcpu);
	char *mem = anon(size, MADV_NOHUGEPAGE);
	struct vcpu_thread t = { .vcpu = vcpu, .on_ucall = spin_ucall };
	sem_t ready;
	long inval;
	uint64_t seed = remap ? 2 : 0;

	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, sem_init(&ready, 0, 0));
	t.data = &ready;
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 1));
	/* The flag's page a page of the host's before the guest reads it. */
	*(uint64_t *)((char *)vm->ram + FLAG_OFFSET) = 0;
	vcpu->args[4] = SLOT_GPA + (remap ? off - PAGE : off + len / 2);
	vcpu->args[5] = GUEST_RAM_GPA + FLAG_OFFSET;
	vcpu->args[6] = size;
	vcpu->args[7] = 1;
	vcpu->args[0] = OP_SPIN;
	vcpu->args[1] = SLOT_GPA + off;
	vcpu->args[2] = len;
	vcpu->args[3] = seed;
	vcpu_thread_start(&t);
	ASSERT_EQ(0, sem_wait(&ready));

	inval = mem_stat(vm, "invalidations");
	ASSERT_EQ(seed, replace_part(_metadata, mem, off, len, remap));
	STAT_CHECK(EXPECT_LT(inval, mem_stat(vm, "invalidations")));
	__atomic_store_n((uint64_t *)((char *)vm->ram + FLAG_OFFSET), 1, __ATOMIC_RELEASE);

	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t));
	ASSERT_EQ(2, t.nr_ucalls);
	EXPECT_EQ(0, t.ucalls[1]);	/* words that differ, in the whole slot */
	TH_LOG("invalidations %ld, fault_races %ld", mem_stat(vm, "invalidations"),
	       mem_stat(vm, "fault_races"));
	sem_destroy(&ready);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

TEST(dontneed_while_running)
{
	replace_while_running(_metadata, false);
}

TEST(munmap_mmap_while_running)
{
	replace_while_running(_metadata, true);
}

/*
 * Swap: zram (the stock kernel's modules from hostrun's /modules, built
 * into the debug kernel) and a memory cgroup holding this process to
 * 24 MiB.  Swap is part of the project's own set-up: failing to set it up
 * fails the test.
 */
FIXTURE(swap) {
	struct memcg_swap ms;
};

FIXTURE_SETUP(swap)
{
	const char *failed;

	self->ms.cgroup = SWAP_CGROUP;
	if (geteuid())
		return;		/* the test skips: zram, swap and cgroups are root's */
	failed = memcg_swap_begin(&self->ms, "256M", "24M");
	ASSERT_EQ(NULL, failed) TH_LOG("%s: %s", failed, strerror(errno));
}

FIXTURE_TEARDOWN(swap)
{
	memcg_swap_end(&self->ms);
}

/*
 * The guest writes 48 MiB and reads it back: at least the 24 MiB the
 * cgroup cannot hold went out to swap and came back in, intact.
 */
TEST_F_TIMEOUT(swap, guest_memory_swapped_out_and_in, LONG_TIMEOUT)
{
	size_t size = 48 * MIB;
	long out = file_stat("/proc/vmstat", "pswpout"), in = file_stat("/proc/vmstat", "pswpin");
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	char *mem;

	SKIP_UNLESS_ROOT(return, "swap on zram in a memory cgroup");
	vm = ondemand_vm(&vcpu);
	mem = anon(size, -1);
	ASSERT_NE(NULL, mem);
	ASSERT_LE(0, out);
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 3));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, size, 3));
	out = file_stat("/proc/vmstat", "pswpout") - out;
	in = file_stat("/proc/vmstat", "pswpin") - in;
	TH_LOG("pages swapped out %ld, in %ld; cgroup memory.current %ld, memory.swap.current %ld",
	       out, in, read_long(TEST_CGROUP "/memory.current"),
	       read_long(TEST_CGROUP "/memory.swap.current"));
	TH_LOG("faults %ld, fault_races %ld, invalidations %ld, mapped_pages %ld, blocks %ld",
	       mem_stat(vm, "faults"), mem_stat(vm, "fault_races"), mem_stat(vm, "invalidations"),
	       mem_stat(vm, "mapped_pages"), mem_stat(vm, "mapped_blocks_2m"));
	EXPECT_LE((long)((size - 24 * MIB) / PAGE), out);
	EXPECT_LT(0, in);
	STAT_CHECK(EXPECT_LT(0, mem_stat(vm, "invalidations")));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

static long ksm(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), KSM "/%s", name);
	return read_long(path);
}

/*
 * Waits, for at most 10 of KSM's full scans (not for a time), until its
 * counter @name is at least @target (@up) or below it (!@up); returns the
 * counter.
 */
static long ksm_wait(const char *name, long target, bool up)
{
	long scans = ksm("full_scans"), val;

	for (;;) {
		val = ksm(name);
		if (up ? val >= target : val < target)
			return val;
		if (ksm("full_scans") > scans + 10)
			return val;
		usleep(10000);
	}
}

/* KSM, which the test starts, stopped with its pages unmerged however it ends. */
FIXTURE(ksm) {
	int unused;
};

FIXTURE_SETUP(ksm)
{
}

FIXTURE_TEARDOWN(ksm)
{
	if (!access(KSM "/run", F_OK)) {
		write_long(KSM "/run", 2);
		write_long(KSM "/run", 0);
	}
}

/*
 * KSM merges two guests' identical pages (the notifier unmaps them from
 * both VMs), both read their data through the shared pages, and one
 * guest's write unmerges its page without touching the other's.
 */
TEST_F_TIMEOUT(ksm, merge_and_unmerge, LONG_TIMEOUT)
{
	size_t size = 4 * MIB, page = 100;
	long pages = size / PAGE, shared, sharing, inval[2];
	struct test_vcpu *vcpu[2];
	struct test_vm *vm[2];
	char *mem[2];
	int i;

	if (access(KSM "/run", F_OK))
		SKIP(return, "this kernel has no KSM");
	SKIP_UNLESS_ROOT(return, "the KSM knobs");
	for (i = 0; i < 2; i++) {
		vm[i] = ondemand_vm(&vcpu[i]);
		mem[i] = anon(size, MADV_NOHUGEPAGE);
		ASSERT_NE(NULL, mem[i]);
		ASSERT_EQ(0, madvise(mem[i], size, MADV_MERGEABLE));
		ASSERT_EQ(0, vm_set_slot(vm[i], 1, 0, SLOT_GPA, size, mem[i], 0));
		ASSERT_EQ(0, guest_op(vcpu[i], OP_FILL, SLOT_GPA, size, 5));
		inval[i] = mem_stat(vm[i], "invalidations");
	}
	ASSERT_EQ(0, write_long(KSM "/pages_to_scan", 4 * pages));
	ASSERT_EQ(0, write_long(KSM "/sleep_millisecs", 0));
	ASSERT_EQ(0, write_long(KSM "/run", 1));

	sharing = ksm_wait("pages_sharing", pages, true);
	shared = ksm("pages_shared");
	TH_LOG("KSM: pages_shared %ld, pages_sharing %ld after %ld full scans", shared, sharing,
	       ksm("full_scans"));
	EXPECT_LT(0, shared);
	EXPECT_EQ(pages, sharing);
	for (i = 0; i < 2; i++) {
		STAT_CHECK(EXPECT_LT(inval[i], mem_stat(vm[i], "invalidations"))
			   TH_LOG("VM %d", i));
		EXPECT_EQ(0, guest_op(vcpu[i], OP_CHECK, SLOT_GPA, size, 5)) TH_LOG("VM %d", i);
	}

	/* Guest 0 writes a page: its copy is its own again. */
	ASSERT_EQ(0, guest_op(vcpu[0], OP_FILL, SLOT_GPA + page * PAGE, PAGE, 6));
	EXPECT_GT(sharing, ksm_wait("pages_sharing", sharing, false));
	TH_LOG("after one guest's write: pages_shared %ld, pages_sharing %ld",
	       ksm("pages_shared"), ksm("pages_sharing"));
	EXPECT_EQ(0, guest_op(vcpu[0], OP_CHECK, SLOT_GPA + page * PAGE, PAGE, 6));
	EXPECT_EQ(0, guest_op(vcpu[0], OP_CHECK, SLOT_GPA, page * PAGE, 5));
	EXPECT_EQ(0, guest_op(vcpu[1], OP_CHECK, SLOT_GPA, size, 5));
	EXPECT_EQ(0, host_check(mem[0] + page * PAGE, SLOT_GPA + page * PAGE, PAGE, 6));
	EXPECT_EQ(0, host_check(mem[1], SLOT_GPA, size, 5));

	/* run=2 unmerges everything (the teardown stops KSM). */
	EXPECT_EQ(0, write_long(KSM "/run", 2));
	EXPECT_EQ(0, ksm("pages_shared"));
	EXPECT_EQ(0, guest_op(vcpu[1], OP_CHECK, SLOT_GPA, size, 5));
	for (i = 0; i < 2; i++) {
		vcpu_destroy(vcpu[i]);
		vm_destroy(vm[i]);
		munmap(mem[i], size);
	}
}

/* @size bytes of anonymous memory at a 2 MiB-aligned address, MADV_HUGEPAGE. */
static char *anon_thp(size_t size)
{
	char *mem = mmap(NULL, size + BLOCK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *aligned;

	if (mem == MAP_FAILED)
		return NULL;
	aligned = (char *)(((uintptr_t)mem + BLOCK - 1) & ~(BLOCK - 1));
	if (aligned > mem)
		munmap(mem, aligned - mem);
	munmap(aligned + size, mem + BLOCK - aligned);
	return madvise(aligned, size, MADV_HUGEPAGE) ? NULL : aligned;
}

/*
 * A slot that the host backs with transparent huge pages, at a 2 MiB
 * aligned guest address: 2 MiB stage-2 blocks.  MADV_DONTNEED of one page
 * inside splits the host's huge page: its block goes, and the guest reads
 * zero in that page and its data everywhere else.
 */
TEST(thp_blocks)
{
	size_t size = 4 * MIB, off = BLOCK + 5 * PAGE;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	char mode[64] = "";
	char *mem;
	long blocks, inval;
	FILE *f = fopen(THP_ENABLED, "r");

	if (!f)
		SKIP(return, "this kernel has no transparent huge pages");
	if (!fgets(mode, sizeof(mode), f))
		mode[0] = 0;
	fclose(f);
	if (strstr(mode, "[never]")) {
		SKIP_UNLESS_ROOT(return, "transparent huge pages are off");
		ASSERT_EQ(0, write_str(THP_ENABLED, "madvise"));
	}
	vm = ondemand_vm(&vcpu);
	mem = anon_thp(size);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	/*
	 * The first access 8 bytes into the slot: a fault address that is not
	 * page-aligned must still get the block (it once got 4 KiB pages).
	 */
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA + 8, size - 8, 7));
	/* The host did back it with huge pages (else this says nothing). */
	ASSERT_LE((long)(size / 1024), file_stat("/proc/self/smaps_rollup", "AnonHugePages:"));
	blocks = mem_stat(vm, "mapped_blocks_2m");
	inval = mem_stat(vm, "invalidations");
	TH_LOG("AnonHugePages %ld kB; mapped_blocks_2m %ld, mapped_pages %ld, faults %ld",
	       file_stat("/proc/self/smaps_rollup", "AnonHugePages:"), blocks,
	       mem_stat(vm, "mapped_pages"), mem_stat(vm, "faults"));
	STAT_CHECK(EXPECT_EQ((long)(size / BLOCK), blocks));

	ASSERT_EQ(0, madvise(mem + off, PAGE, MADV_DONTNEED));
	STAT_CHECK(EXPECT_LT(inval, mem_stat(vm, "invalidations")));
	STAT_CHECK(EXPECT_GT(blocks, mem_stat(vm, "mapped_blocks_2m")));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + off, PAGE, 0));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, 8, 0));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + 8, off - 8, 7));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + off + PAGE, size - off - PAGE, 7));
	if (strstr(mode, "[never]"))
		write_str(THP_ENABLED, "never");
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

/*
 * A slot over a MAP_SHARED file of hugetlbfs (2 MiB pages reserved for
 * it): 2 MiB blocks; what the guest writes the host reads and the other
 * way round.
 */
TEST(hugetlbfs_blocks)
{
	const char *dir = "/tmp/a64vcpu-huge", *path = "/tmp/a64vcpu-huge/slot";
	size_t size = 4 * MIB;
	long nr = read_long("/proc/sys/vm/nr_hugepages");
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	char *mem;
	int fd;

	if (!have_filesystem("hugetlbfs"))
		SKIP(return, "this kernel has no hugetlbfs");
	SKIP_UNLESS_ROOT(return, "nr_hugepages and the hugetlbfs mount");
	ASSERT_LE(0, nr);
	ASSERT_EQ(0, write_long("/proc/sys/vm/nr_hugepages", nr + size / BLOCK));
	ASSERT_LE((long)(size / BLOCK), file_stat("/proc/meminfo", "HugePages_Free:"));
	ASSERT_TRUE(!mkdir(dir, 0755) || errno == EEXIST);
	ASSERT_EQ(0, mount("hugetlbfs", dir, "hugetlbfs", 0, "pagesize=2M"));
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, size));
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);

	vm = ondemand_vm(&vcpu);
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 8));
	EXPECT_EQ(0, host_check(mem, SLOT_GPA, size, 8));
	STAT_CHECK(EXPECT_LE(1, mem_stat(vm, "mapped_blocks_2m")));
	TH_LOG("mapped_blocks_2m %ld, mapped_pages %ld, faults %ld",
	       mem_stat(vm, "mapped_blocks_2m"), mem_stat(vm, "mapped_pages"),
	       mem_stat(vm, "faults"));
	host_fill(mem + BLOCK, SLOT_GPA + BLOCK, BLOCK, 9);
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + BLOCK, BLOCK, 9));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, BLOCK, 8));

	/* Pinned, hugetlbfs is a file mapping that may be pinned. */
	ASSERT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_PINNED, SLOT_GPA, size, mem, 0));
	STAT_CHECK(EXPECT_LT(0, mem_stat(vm, "pinned_pages")));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + BLOCK, BLOCK, 9));

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
	close(fd);
	unlink(path);
	umount(dir);
	write_long("/proc/sys/vm/nr_hugepages", nr);
}

/*
 * A slot over a MAP_SHARED file in /tmp (tmpfs): the guest's writes are
 * the file's (pread), the file's writes (pwrite) are the guest's, and a
 * hole punched in the file reads zero in the guest.
 */
TEST(file_backed_slot)
{
	char path[] = "/tmp/a64vcpu-ondemand-XXXXXX";
	size_t size = MIB, half = size / 2, hole = 128 * 1024;
	int fd = mkstemp(path);
	char *mem, *buf = malloc(size);
	struct test_vcpu *vcpu;
	struct test_vm *vm = ondemand_vm(&vcpu);
	long inval;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, buf);
	unlink(path);
	ASSERT_EQ(0, ftruncate(fd, size));
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));

	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 10));
	ASSERT_EQ(size, pread(fd, buf, size, 0));
	EXPECT_EQ(0, host_check(buf, SLOT_GPA, size, 10));

	host_fill(buf, SLOT_GPA + half, half, 11);
	ASSERT_EQ(half, pwrite(fd, buf, half, half));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + half, half, 11));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, half, 10));

	inval = mem_stat(vm, "invalidations");
	ASSERT_EQ(0, fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, hole, hole));
	STAT_CHECK(EXPECT_LT(inval, mem_stat(vm, "invalidations")));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA + hole, hole, 0));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, hole, 10));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
	close(fd);
	free(buf);
}

/*
 * fork() shares the VMM's anonymous pages with the child, copy on write:
 * the guest's writes after it stay the VMM's (its stage-2 mappings
 * write-protected with the host's), and the child's writes to its copy
 * never reach the guest.  (A forked child cannot use the VM's fds at all:
 * vm_bad_input other_process_gets_eio.)
 */
TEST(fork_keeps_guest_memory_the_vmms)
{
	size_t size = MIB;
	struct test_vcpu *vcpu;
	struct test_vm *vm = ondemand_vm(&vcpu);
	char *mem = anon(size, MADV_NOHUGEPAGE), go;
	int pipefd[2], status;
	pid_t pid;

	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, size, mem, 0));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 14));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Once the guest has written again: the copy is as at fork(). */
		if (read(pipefd[0], &go, 1) != 1 || host_check(mem, SLOT_GPA, size, 14))
			_exit(1);
		host_fill(mem, SLOT_GPA, size, 15);
		_exit(0);
	}
	EXPECT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 16));
	EXPECT_EQ(0, host_check(mem, SLOT_GPA, size, 16));
	ASSERT_EQ(1, write(pipefd[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(0, guest_op(vcpu, OP_CHECK, SLOT_GPA, size, 16));
	close(pipefd[0]);
	close(pipefd[1]);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

/* A ramfs file may not be pinned, and makes a good on-demand slot. */
static void ramfs_not_pinned(struct __test_metadata *_metadata, struct test_vm *vm,
			     struct test_vcpu *vcpu, size_t small)
{
	const char *dir = "/tmp/a64vcpu-ramfs", *path = "/tmp/a64vcpu-ramfs/slot";
	char *file;
	int fd;

	ASSERT_TRUE(!mkdir(dir, 0755) || errno == EEXIST);
	ASSERT_EQ(0, mount("ramfs", dir, "ramfs", 0, NULL));
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, small));
	file = mmap(NULL, small, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, file);
	EXPECT_EQ(-1, vm_set_slot(vm, 1, A64VCPU_MEM_PINNED, SLOT_GPA, small, file, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "pinned_pages")));
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, small, file, 0));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, small, 13));
	EXPECT_EQ(0, host_check(file, SLOT_GPA, small, 13));

	munmap(file, small);
	close(fd);
	unlink(path);
	umount(dir);
}

/*
 * A pinned slot is pinned and mapped in full when it is set, and gives
 * both back when deleted; memfd (shmem) may be pinned, a file of ramfs
 * (neither anonymous, shmem nor hugetlbfs) may not, though it makes a
 * good on-demand slot.
 */
TEST(pinned_slot)
{
	size_t size = 4 * MIB, small = 64 * PAGE;
	long pages = size / PAGE;
	struct test_vcpu *vcpu;
	struct test_vm *vm = ondemand_vm(&vcpu);
	char *mem = anon(size, MADV_NOHUGEPAGE), *shm;
	int fd;

	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_PINNED, SLOT_GPA, size, mem, 0));
	STAT_CHECK(EXPECT_EQ(pages, mem_stat(vm, "mapped_pages")));
	STAT_CHECK(EXPECT_EQ(pages, mem_stat(vm, "pinned_pages")));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "faults")));
	ASSERT_EQ(0, guest_op(vcpu, OP_FILL, SLOT_GPA, size, 12));
	EXPECT_EQ(0, host_check(mem, SLOT_GPA, size, 12));
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, 0, NULL, 0));
	STAT_CHECK(EXPECT_EQ(0, mem_stat(vm, "pinned_pages")));

	fd = memfd_create("a64vcpu-pinned", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, small));
	shm = mmap(NULL, small, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, shm);
	EXPECT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_PINNED, SLOT_GPA, small, shm, 0));
	STAT_CHECK(EXPECT_EQ(small / PAGE, mem_stat(vm, "pinned_pages")));
	ASSERT_EQ(0, vm_set_slot(vm, 1, 0, SLOT_GPA, 0, NULL, 0));
	munmap(shm, small);
	close(fd);

	if (geteuid())
		TH_LOG("a ramfs file not tried: mounting ramfs is root's (uid %d)", (int)geteuid());
	else
		ramfs_not_pinned(_metadata, vm, vcpu, small);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(mem, size);
}

TEST_HARNESS_MAIN
