// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run loop: 100,000 exits in a row, immediate exit, a signal while the
 * guest spins, a vCPU migrating between CPUs between runs, one vCPU run
 * from two threads, and several VMs and vCPUs on several threads at once.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "vm.h"

#define ITERATIONS	100000

/*
 * The long runs get an explicit time-out: under the debug kernel (KASAN,
 * lockdep) in TCG, 100,000 exits take about 25 s, too close to the
 * harness's default of 30 s on a busy machine.  The work is bounded by
 * count; the time-out only catches a hang.
 */
#define LONG_RUN_TIMEOUT	600

FIXTURE(long_run) {};
FIXTURE_SETUP(long_run) {}
FIXTURE_TEARDOWN(long_run) {}

TEST_F_TIMEOUT(long_run, hundred_thousand_exits, LONG_RUN_TIMEOUT)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t i, bad = 0;

	for (i = 1; i <= ITERATIONS; i++)
		if (vcpu_ucall(vcpu) != i)
			bad++;
	EXPECT_EQ(0, bad);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(immediate_exit)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);

	vcpu->run->immediate_exit = 1;
	EXPECT_EQ(-1, vcpu_run(vcpu));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(A64VCPU_EXIT_INTR, vcpu->run->exit_reason);
	EXPECT_EQ(GUEST_RAM_GPA, vcpu_get(vcpu, A64VCPU_REG_PC));	/* never entered */
	vcpu->run->immediate_exit = 0;
	EXPECT_EQ(1, vcpu_ucall(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void on_alarm(int sig)
{
}

TEST(signal_interrupts_spinning_guest)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(spin));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec t0, t1;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(1);
	EXPECT_EQ(-1, vcpu_run(vcpu));
	EXPECT_EQ(EINTR, errno);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_EQ(A64VCPU_EXIT_INTR, vcpu->run->exit_reason);
	EXPECT_LE(1, t1.tv_sec - t0.tv_sec);	/* it did run until the signal */
	EXPECT_EQ(GUEST_RAM_GPA, vcpu_get(vcpu, A64VCPU_REG_PC));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_F_TIMEOUT(long_run, migrates_between_cpus, LONG_RUN_TIMEOUT)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	int ncpus = possible_cpus(), cpu, ran = 0;
	uint64_t i;

	for (i = 1; i <= 200; i++) {
		cpu = i % ncpus;
		if (!cpu_is_online(cpu))
			continue;
		ASSERT_EQ(0, pin_to_cpu(cpu));
		ASSERT_EQ(i, vcpu_ucall(vcpu));
		ran |= 1 << cpu;
	}
	TH_LOG("ran on CPU mask %#x", ran);
	if (ncpus > 1)
		EXPECT_LT(1, __builtin_popcount(ran));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

static void *run_spin(void *arg)
{
	struct test_vcpu *vcpu = arg;

	return (void *)(long)vcpu_run(vcpu);
}

TEST(one_vcpu_two_threads_is_busy)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(spin));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct sigaction sa = { .sa_handler = on_alarm };
	pthread_t thread;
	uint64_t pc;
	void *ret;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_spin, vcpu));
	usleep(300000);
	EXPECT_EQ(-1, vcpu_run(vcpu));
	EXPECT_EQ(EBUSY, errno);
	struct a64vcpu_reg reg = { .id = A64VCPU_REG_PC, .addr = (uintptr_t)&pc };

	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_GET_REG, &reg));
	EXPECT_EQ(EBUSY, errno);
	pthread_kill(thread, SIGUSR1);
	pthread_join(thread, &ret);
	EXPECT_EQ(-1, (long)ret);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

#define THREADS		4
#define THREAD_EXITS	5000

static void *run_own_vm(void *arg)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	struct test_vcpu *vcpu[2] = { vcpu_add(vm, 0), vcpu_add(vm, 1) };
	long bad = 0;
	uint64_t i;

	for (i = 1; i <= THREAD_EXITS; i++) {
		bad += vcpu_ucall(vcpu[0]) != i;
		bad += vcpu_ucall(vcpu[1]) != i;
	}
	vcpu_destroy(vcpu[0]);
	vcpu_destroy(vcpu[1]);
	vm_destroy(vm);
	return (void *)bad;
}

TEST_F_TIMEOUT(long_run, vms_on_threads, LONG_RUN_TIMEOUT)
{
	pthread_t threads[THREADS];
	void *bad;
	int i;

	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, run_own_vm, NULL));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &bad);
		EXPECT_EQ(0, (long)bad);
	}
}

TEST_HARNESS_MAIN
