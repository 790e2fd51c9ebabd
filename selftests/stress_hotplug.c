// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug under running guests: CPU1 taken offline and brought back,
 * again and again for --seconds (half each), while a VM's two vCPUs
 * (lib/stress.h) run the guest's rounds:
 *   running  rounds of exits and doorbell stores, no WFI;
 *   in_wfi   each round a WFI on a 50 ms timer: before each offline both
 *            vCPU threads are seen asleep (in WFI, in the kernel), so
 *            that a sleeping vCPU's thread and its wake-up timer move
 *            off the dying CPU.
 * After each cycle both vCPUs make progress again (their ucalls go up; a
 * bounded wait, not a timed one), CPU1's EL2 is ours again (one install
 * per cycle); at the end the guest is told to finish and both vCPUs
 * complete (SYSTEM_EVENT, CPU_OFF).  No leak after each test.  Prints the
 * hotplug events.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "leaks.h"
#include "stress.h"

#define HOTPLUG_CPU	1
#define NR_VCPUS	2

static void hotplug_under(struct __test_metadata *_metadata, uint64_t ticks, bool asleep,
			  const char *what)
{
	struct timespec end = stress_deadline();
	struct stress_runner v[NR_VCPUS];
	struct el2_status st0, st1;
	unsigned long events = 0, seen[NR_VCPUS];
	struct stress_vm *s;
	struct leaks base;
	unsigned int i;

	if (possible_cpus() <= HOTPLUG_CPU || access("/sys/devices/system/cpu/cpu1/online", W_OK))
		SKIP(return, "CPU%d is not hotpluggable here", HOTPLUG_CPU);
	end.tv_sec -= stress_opts.seconds / 2;
	leaks_snapshot(&base);
	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &st0));
	s = stress_vm_create(NR_VCPUS, STRESS_WORK, 0, ticks);
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, stress_runner_start(&v[i], s->vcpu[i], false));
	ASSERT_EQ(0, pin_to_cpu(0));	/* the vCPU threads may go anywhere */
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_TRUE(stress_runner_wait_above(&v[i], &v[i].ucalls, 0));
	do {
		for (i = 0; i < NR_VCPUS; i++) {
			if (asleep)
				ASSERT_TRUE(stress_runner_wait_asleep(&v[i]))
					TH_LOG("%s: vCPU %u never asleep before event %lu: %s",
					       what, i, events + 1,
					       stress_runner_describe(&v[i]));
			seen[i] = __atomic_load_n(&v[i].ucalls, __ATOMIC_ACQUIRE);
		}
		ASSERT_EQ(0, set_cpu_online(HOTPLUG_CPU, false));
		ASSERT_EQ(0, set_cpu_online(HOTPLUG_CPU, true));
		events++;
		for (i = 0; i < NR_VCPUS; i++)
			if (!stress_runner_wait_above(&v[i], &v[i].ucalls, seen[i]))
				break;
		ASSERT_EQ(NR_VCPUS, i) TH_LOG("%s: vCPU %u stuck after hotplug event %lu: %s", what,
					      i, events, stress_runner_describe(&v[i]));
	} while (!stress_time_up(&end));

	/* The guest finishes its rounds: both vCPUs complete. */
	for (i = 0; i < NR_VCPUS; i++)
		__atomic_store_n(&v[i].vcpu->args[1], 1, __ATOMIC_RELEASE);
	for (i = 0; i < NR_VCPUS; i++) {
		stress_runner_join(&v[i]);
		EXPECT_EQ(i ? A64VCPU_EXIT_CPU_OFF : A64VCPU_EXIT_SYSTEM_EVENT, v[i].reason)
			TH_LOG("%s: vCPU %u ended with %s (%#x)", what, i, exit_name(v[i].reason),
			       v[i].reason);
	}
	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &st1));
	EXPECT_STREQ("a64vcpu", st1.owner);
	EXPECT_EQ(st0.installs + events, st1.installs);
	stress_vm_destroy(s);
	EXPECT_TRUE(leaks_none(&base, what));
	printf("# hotplug %s: %lu CPU%d offline/online events, ucalls %lu and %lu\n", what,
	       events, HOTPLUG_CPU, v[0].ucalls, v[1].ucalls);
	printf("# stress-result: hotplug_%s events=%lu\n", what, events);
	fflush(stdout);
}

FIXTURE(hotplug) {
	int unused;
};

FIXTURE_SETUP(hotplug)
{
}

FIXTURE_TEARDOWN(hotplug)
{
	if (!cpu_is_online(HOTPLUG_CPU))
		set_cpu_online(HOTPLUG_CPU, true);
}

TEST_F_TIMEOUT(hotplug, running, STRESS_TIMEOUT)
{
	hotplug_under(_metadata, 0, false, "running");
}

TEST_F_TIMEOUT(hotplug, in_wfi, STRESS_TIMEOUT)
{
	hotplug_under(_metadata, 50 * STRESS_WFI_TICKS, true, "in_wfi");
}

int main(int argc, char **argv)
{
	stress_parse(argc, argv, 20, 1);
	return test_harness_run(argc, argv);
}
