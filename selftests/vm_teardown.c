// SPDX-License-Identifier: GPL-2.0-only
/*
 * Teardown: closing every fd while another thread is inside A64VCPU_RUN,
 * and VMs closed in every state, free every page the module took
 * (debugfs "pages" returns to where it was); the module stays while a VM
 * exists.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "leaks.h"
#include "vm.h"

static void *run_forever(void *arg)
{
	vcpu_run(arg);
	return NULL;
}

static void on_signal(int sig)
{
}

TEST(close_while_running)
{
	long before = leaks_module_pages();
	struct sigaction sa = { .sa_handler = on_signal };
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	pthread_t thread;

	STAT_CHECK(ASSERT_LT(0, before));
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	vm = vm_create_with_program(GUEST_PROGRAM(spin));
	vcpu = vcpu_add(vm, 0);
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_forever, vcpu));
	usleep(200000);
	/* Every fd and mapping goes while the guest runs... */
	munmap(vcpu->run, getpagesize());
	close(vcpu->fd);
	close(vm->fd);
	close(vm->sys_fd);
	STAT_CHECK(EXPECT_LT(before, leaks_module_pages()));	/* still running: still held */
	/* ...then the run returns, and the last reference frees it all. */
	pthread_kill(thread, SIGUSR1);
	pthread_join(thread, NULL);
	STAT_CHECK(EXPECT_EQ(before, leaks_module_pages()));
}

TEST(process_killed_while_running)
{
	long before = leaks_module_pages();
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(spin));
		struct test_vm *vm2 = vm_create_with_program(GUEST_PROGRAM(loop));

		vcpu_add(vm2, 0);	/* never run */
		vcpu_run(vcpu_add(vm, 0));
		_exit(0);
	}
	usleep(300000);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	STAT_CHECK(EXPECT_EQ(before, leaks_module_pages()));
}

TEST(no_unload_while_a_vm_exists)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	int status = system("rmmod a64vcpu 2>/dev/null");

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	EXPECT_EQ(0, access("/dev/a64vcpu", F_OK));
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
