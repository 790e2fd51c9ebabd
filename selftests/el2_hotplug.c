// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug: a CPU taken offline comes back online with a64vcpu's EL2
 * (the kernel brings it up on the hyp stub; our hotplug callback takes it).
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "el2.h"

#define HOTPLUG_CPU	1

FIXTURE(hotplug) {
	int unused;
};

FIXTURE_SETUP(hotplug)
{
	if (possible_cpus() <= HOTPLUG_CPU || access("/sys/devices/system/cpu/cpu1/online", W_OK))
		SKIP(return, "CPU%d is not hotpluggable here", HOTPLUG_CPU);
	ASSERT_TRUE(cpu_is_online(HOTPLUG_CPU));
}

FIXTURE_TEARDOWN(hotplug)
{
	if (!cpu_is_online(HOTPLUG_CPU))
		set_cpu_online(HOTPLUG_CPU, true);
}

TEST_F(hotplug, offline_online_then_roundtrip)
{
	struct el2_status before, offline, after;
	struct el2_ping p;

	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &before));
	ASSERT_STREQ("a64vcpu", before.owner);

	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(0, set_cpu_online(HOTPLUG_CPU, false));
	ASSERT_FALSE(cpu_is_online(HOTPLUG_CPU));
	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &offline));
	EXPECT_STREQ("offline", offline.owner);

	ASSERT_EQ(0, set_cpu_online(HOTPLUG_CPU, true));
	ASSERT_TRUE(cpu_is_online(HOTPLUG_CPU));
	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &after));
	EXPECT_STREQ("a64vcpu", after.owner);
	EXPECT_EQ(before.installs + 1, after.installs);

	ASSERT_EQ(0, pin_to_cpu(HOTPLUG_CPU));
	ASSERT_EQ(0, el2_ping(&p));
	EXPECT_EQ(HOTPLUG_CPU, p.cpu);
	EXPECT_STREQ("a64vcpu", p.owner);
	EXPECT_EQ(2, p.current_el);
	EXPECT_EQ(p.hyp_vectors, p.vbar_el2);
	EXPECT_EQ(p.hyp_pgd, p.ttbr0_el2);
	EXPECT_EQ(1, p.sctlr_el2 & 1);
}

TEST_F(hotplug, repeated_cycles)
{
	struct el2_status before, after;
	int i;

	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &before));
	ASSERT_EQ(0, pin_to_cpu(0));
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, set_cpu_online(HOTPLUG_CPU, false));
		ASSERT_EQ(0, set_cpu_online(HOTPLUG_CPU, true));
	}
	ASSERT_EQ(0, el2_status(HOTPLUG_CPU, &after));
	EXPECT_STREQ("a64vcpu", after.owner);
	EXPECT_EQ(before.installs + 10, after.installs);
}

TEST_HARNESS_MAIN
