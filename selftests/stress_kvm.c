// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM and a64vcpu at once (a host booted with KVM: scripts/hostrun --kvm):
 * for --seconds, KVM VMs are created and run while a VM of ours
 * (lib/stress.h, two vCPUs) runs the guest's rounds.  While a KVM VM
 * exists KVM holds EL2 on every CPU: each of our vCPUs gets a clear error,
 * A64VCPU_RUN's EBUSY (and tries again), never a crash or a wrong exit;
 * once the KVM VM is closed, EL2 comes back to a64vcpu and both vCPUs run
 * again (their ucalls go up).  KVM's guest reads its own memory each time
 * (lib/kvm_vm.c, the whoami guest), and at the end ours completes its
 * rounds (SYSTEM_EVENT, CPU_OFF).  vCPU 0 waits for its virtual timer in
 * WFI each round, so that it often enters with its timer asserting, the
 * first entry after KVM had the CPU: the host's PPI must then be made
 * active, whatever KVM left it (kmod/timer.c; without that it fired on
 * every entry and vCPU 0 never ran again).  No leak.  Prints the KVM VMs,
 * our EBUSY returns and the times EL2 came back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "kvm_vm.h"
#include "leaks.h"
#include "stress.h"
#include "stress_fixture.h"

#define NR_VCPUS	2
#define WHOAMI_OFFSET	0x800

TEST_F_TIMEOUT(stress, kvm, STRESS_TIMEOUT)
{
	struct timespec end = stress_deadline();
	struct stress_runner v[NR_VCPUS];
	unsigned long kvm_vms = 0, back = 0, busy, seen;
	uint64_t rng = stress_opts.seed;
	struct el2_status st;
	struct stress_vm *s;
	struct kvm_vm k;
	unsigned int i;

	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return, "KVM is not enabled on this host (boot with scripts/hostrun --kvm)");
	/* vCPU 0 waits for its timer in WFI each round, vCPU 1 never. */
	s = stress_vm_create(NR_VCPUS, STRESS_WORK, 0, 0);
	s->vcpu[0]->args[2] = STRESS_WFI_TICKS;
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, stress_runner_start(&v[i], s->vcpu[i], true));
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_TRUE(stress_runner_wait_above(&v[i], &v[i].ucalls, 0));
	do {
		uint64_t val = 0xb000 + kvm_vms;

		/* KVM takes EL2 on every CPU and runs its guest. */
		ASSERT_EQ(0, kvm_vm_open(&k, GUEST_PROGRAM(whoami))) TH_LOG("%s", strerror(errno));
		*(uint64_t *)((char *)k.mem + WHOAMI_OFFSET) = val;
		EXPECT_EQ(val, kvm_vm_ucall(&k)) TH_LOG("KVM VM %lu: %s", kvm_vms, strerror(errno));
		kvm_vms++;
		/* Ours are refused, cleanly, while it exists... */
		for (i = 0; i < NR_VCPUS; i++) {
			busy = __atomic_load_n(&v[i].busy, __ATOMIC_ACQUIRE);
			ASSERT_TRUE(stress_runner_wait_above(&v[i], &v[i].busy, busy))
				TH_LOG("vCPU %u: no EBUSY under KVM VM %lu", i, kvm_vms);
		}
		EXPECT_EQ(val, kvm_vm_ucall(&k)) TH_LOG("KVM VM %lu, again", kvm_vms);
		kvm_vm_close(&k);
		/* ...and run again once it is gone. */
		for (i = 0; i < NR_VCPUS; i++) {
			seen = __atomic_load_n(&v[i].ucalls, __ATOMIC_ACQUIRE);
			ASSERT_TRUE(stress_runner_wait_above(&v[i], &v[i].ucalls, seen))
				TH_LOG("vCPU %u: not running after KVM VM %lu: %s", i, kvm_vms,
				       stress_runner_describe(&v[i]));
		}
		back++;
		usleep(stress_rand(&rng) % 20000);
	} while (!stress_time_up(&end));

	for (i = 0; i < NR_VCPUS; i++)
		__atomic_store_n(&v[i].vcpu->args[1], 1, __ATOMIC_RELEASE);
	for (busy = 0, i = 0; i < NR_VCPUS; i++) {
		stress_runner_join(&v[i]);
		EXPECT_EQ(i ? A64VCPU_EXIT_CPU_OFF : A64VCPU_EXIT_SYSTEM_EVENT, v[i].reason)
			TH_LOG("vCPU %u ended with %#x (%s)", i, v[i].reason, strerror(v[i].err));
		busy += v[i].busy;
	}
	for (i = 0; i < (unsigned int)possible_cpus(); i++) {
		if (!cpu_is_online(i))
			continue;
		ASSERT_EQ(0, el2_status(i, &st));
		EXPECT_STREQ("a64vcpu", st.owner) TH_LOG("CPU%u", i);
	}
	stress_vm_destroy(s);
	EXPECT_TRUE(leaks_none(&self->base, "kvm"));
	printf("# kvm: %u s: %lu KVM VMs run, %lu EBUSY returns to our vCPUs, EL2 back to a64vcpu %lu times, our ucalls %lu and %lu\n",
	       stress_opts.seconds, kvm_vms, busy, back, v[0].ucalls, v[1].ucalls);
	printf("# stress-result: kvm kvm_vms=%lu ebusy=%lu\n", kvm_vms, busy);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	stress_parse(argc, argv, 20, 1);
	return test_harness_run(argc, argv);
}
