// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kicks: an SGI for a vCPU that runs in the guest on another CPU forces it
 * out with an IPI, every time (guest/c/vgic_kick.c).  Before the fix, an
 * SGI whose previous instance the guest had finished in its list registers
 * waited for the target's next exit for another reason (the host's tick).
 */
#include <pthread.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "vm.h"

#define NR_SGIS		100

static void on_usr1(int sig)
{
}

static void *run_vcpu1(void *arg)
{
	struct test_vcpu *vcpu = arg;

	/* Spins in the guest until the signal; A64VCPU_RUN then fails with EINTR. */
	return (void *)(long)vcpu_run(vcpu);
}

TEST(sgi_kicks_running_vcpu)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vgic_kick));
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct test_vcpu *vcpu0, *vcpu1;
	int gic = vgic_create(vm, 64);
	pthread_t thread;
	long kicked;

	ASSERT_LE(0, gic);
	vcpu0 = vcpu_add(vm, 0);
	vcpu1 = vcpu_add(vm, 1);
	vgic_init(gic);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));

	ASSERT_EQ(0, vcpu_ucall(vcpu0));
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_vcpu1, vcpu1));
	EXPECT_EQ(NR_SGIS, vcpu_ucall(vcpu0));
	pthread_kill(thread, SIGUSR1);
	pthread_join(thread, NULL);

	kicked = vcpu_stat(vm, 1, "kicked");
	TH_LOG("%d SGIs to a running vCPU, %ld kicks", NR_SGIS, kicked);
	/* One each, but for an SGI that arrives while vCPU 1 is out anyway. */
	STAT_CHECK(EXPECT_LE(NR_SGIS / 2, kicked));

	vcpu_destroy(vcpu1);
	vcpu_destroy(vcpu0);
	close(gic);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
