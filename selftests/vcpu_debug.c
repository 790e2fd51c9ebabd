// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest debug (guest/c/vcpu_debug.c): the guest's own hardware breakpoints,
 * watchpoints and single step take their exceptions at its EL1, as the ID
 * registers advertise; its OS lock silences them; each vCPU has its own
 * registers; and the breakpoints of the host (this test's own, through
 * perf) never fire in a guest and still fire in the host afterwards.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "vm.h"

#define BREAKPOINT	0
#define WATCHPOINT	1
#define STEP		2
#define OS_LOCK		3
#define TWO_VCPUS	4
#define HOST		5

#define PAGE		4096UL
#define SVC0		0xd4000001	/* svc #0 */

static struct test_vm *debug_vm(struct test_vcpu **vcpu, uint64_t scenario)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vcpu_debug));

	*vcpu = vcpu_add(vm, 0);
	(*vcpu)->args[0] = scenario;
	return vm;
}

/* Runs the guest's main() to its end: each ucall in turn is 1, 2, ... */
static void run_to_end(struct __test_metadata *_metadata, struct test_vcpu *vcpu,
		       unsigned int nr_ucalls)
{
	unsigned int i;

	for (i = 1; i <= nr_ucalls; i++)
		ASSERT_EQ(i, vcpu_ucall(vcpu));
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	EXPECT_EQ(A64VCPU_SYSTEM_OFF, vcpu->run->system_event.type);
}

/* A one-vCPU VM through @scenario's @nr_ucalls ucalls to its power-off. */
static void run_scenario(struct __test_metadata *_metadata, uint64_t scenario,
			 unsigned int nr_ucalls)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = debug_vm(&vcpu, scenario);

	run_to_end(_metadata, vcpu, nr_ucalls);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(breakpoint)
{
	run_scenario(_metadata, BREAKPOINT, 3);
}

TEST(watchpoint)
{
	run_scenario(_metadata, WATCHPOINT, 1);
}

TEST(single_step)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = debug_vm(&vcpu, STEP);

	EXPECT_EQ(0x5157, vcpu_ucall(vcpu));	/* the stepped MMIO store */
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(os_lock)
{
	run_scenario(_metadata, OS_LOCK, 1);
}

/* Both vCPUs in turn on this thread, on one CPU: each sees its own breakpoint only. */
TEST(two_vcpus)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_debug), 2, 0, vcpus);
	cpu_set_t cpus;
	unsigned int i, n;

	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpus), &cpus));
	for (i = 0; i < 2; i++)
		vcpus[i]->args[0] = TWO_VCPUS;
	for (n = 1; n <= 4; n++)
		for (i = 0; i < 2; i++)
			ASSERT_EQ(n, vcpu_ucall(vcpus[i])) TH_LOG("vCPU %u", i);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpus[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_run_guest(vcpus[1]));
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

/* The host's side: a function and a variable with this thread's breakpoints. */
static uint64_t host_var;

static __attribute((noipa)) void host_fn(void)
{
	asm volatile("" : : : "memory");
}

/* A hardware breakpoint (type HW_BREAKPOINT_X/W) of this thread, counting hits. */
static int perf_bp(unsigned int type, const void *addr, unsigned int len)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(attr),
		.bp_type = type,
		.bp_addr = (uintptr_t)addr,
		.bp_len = len,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};

	return syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
}

static uint64_t hits(int fd)
{
	uint64_t n = ~0ULL;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return ~0ULL;
	return n;
}

/*
 * The guest runs at its EL0 the very addresses this thread has its
 * breakpoint (host_fn, where a second memory slot puts an svc) and
 * watchpoint (host_var, no memory there: an MMIO exit) on, before and after
 * using its own debug registers.  Neither fires in the guest; both still
 * fire in the host.
 */
TEST(host_breakpoints)
{
	uint64_t bp = (uintptr_t)host_fn, wp = (uintptr_t)&host_var;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	unsigned int i, n;
	uint32_t *page;
	int bfd, wfd;

	bfd = perf_bp(HW_BREAKPOINT_X, (const void *)bp, sizeof(long));
	if (bfd < 0)
		SKIP(return, "perf hardware breakpoints: %s", strerror(errno));
	wfd = perf_bp(HW_BREAKPOINT_W, &host_var, sizeof(host_var));
	ASSERT_LE(0, wfd) TH_LOG("perf watchpoint: %s", strerror(errno));

	vm = debug_vm(&vcpu, HOST);
	vcpu->args[1] = bp;
	vcpu->args[2] = wp;
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	for (i = 0; i < PAGE / 4; i++)
		page[i] = SVC0;
	ASSERT_GT(GUEST_RAM_GPA, bp + PAGE);
	ASSERT_NE(bp & ~(PAGE - 1), wp & ~(PAGE - 1));
	ASSERT_EQ(0, vm_set_slot(vm, 1, A64VCPU_MEM_READONLY, bp & ~(PAGE - 1), PAGE, page, 0));

	for (n = 1; n <= 2; n++) {
		/* The guest's EL0 store to host_var's address: the test's MMIO. */
		ASSERT_EQ(A64VCPU_EXIT_MMIO, vcpu_run_guest(vcpu));
		EXPECT_EQ(wp, vcpu->run->mmio.phys_addr);
		EXPECT_EQ(1, vcpu->run->mmio.is_write);
		EXPECT_EQ(0xabcd, vcpu->run->mmio.data);
		ASSERT_EQ(n, vcpu_ucall(vcpu));
	}
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	EXPECT_EQ(0, hits(bfd));
	EXPECT_EQ(0, hits(wfd));

	host_fn();
	__atomic_store_n(&host_var, 1, __ATOMIC_RELAXED);
	EXPECT_EQ(1, hits(bfd));
	EXPECT_EQ(1, hits(wfd));
	close(bfd);
	close(wfd);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(page, PAGE);
}

TEST_HARNESS_MAIN
