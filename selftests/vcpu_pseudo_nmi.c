// SPDX-License-Identifier: GPL-2.0-only
/*
 * A host with pseudo-NMIs (CONFIG_ARM64_PSEUDO_NMI and
 * irqchip.gicv3_pseudo_nmi=1: make check's debug boot) masks its interrupts
 * by priority, ICC_PMR_EL1, instead of PSTATE.I: the run loop's
 * local_irq_disable() leaves the GIC's mask closed to every ordinary
 * interrupt when it enters a guest.  The module opens it while a guest runs
 * (kmod/hyp/features_sr.c):
 * - ICC_PMR_EL1 is switched on every CPU (debugfs ping's switched_pmr);
 * - a guest that spins without ever exiting, on each CPU in turn, is left
 *   for the host's interrupts there (IRQ exits, host_irq) and a signal
 *   ends its run.
 * Both skip where the kernel does not mask by priority.  (The host's mask
 * put back on exit is checked by every test of that boot: the debug
 * kernel's CONFIG_ARM64_DEBUG_PRIORITY_MASKING warns when
 * local_irq_enable() finds ICC_PMR_EL1 at anything but its two values.)
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "vm.h"

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

/*
 * Does the kernel mask interrupts by priority?  1 if the GIC driver said
 * "Pseudo-NMIs enabled" at boot, 0 if its other boot lines ("GICv3: ...")
 * are there without it, -1 if the kernel log no longer holds them.
 */
static int host_masks_by_priority(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), n, ret = -1;
	char *log;

	if (size <= 0)
		return -1;
	log = calloc(1, size + 1);
	if (!log)
		return -1;
	n = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	if (n > 0 && strstr(log, "GICv3: Pseudo-NMIs enabled"))
		ret = 1;
	else if (n > 0 && strstr(log, "GICv3: "))
		ret = 0;
	free(log);
	return ret;
}

#define MAX_CPUS	256
#define NO_MASKING	"the host does not mask interrupts by priority (no pseudo-NMIs)"
#define LOG_LOST	"the GIC's boot lines are gone from the kernel log"

TEST(pmr_switched_on_every_cpu)
{
	SKIP_UNLESS_DEBUGFS(return, "the host's priority masking (debugfs el2)");
	int cpus[MAX_CPUS], i, n = online_cpus(cpus, MAX_CPUS), prio = host_masks_by_priority();

	ASSERT_LE(0, prio) TH_LOG(LOG_LOST);
	if (!prio)
		SKIP(return, NO_MASKING);
	ASSERT_LE(1, n);
	for (i = 0; i < n; i++) {
		struct el2_ping p;

		ASSERT_EQ(0, pin_to_cpu(cpus[i]));
		ASSERT_EQ(0, el2_ping(&p));
		EXPECT_EQ(1, p.switched_pmr) TH_LOG("cpu%d", cpus[i]);
	}
}

static void on_alarm(int sig)
{
}

TEST(spinning_guest_takes_host_irqs_on_every_cpu)
{
	SKIP_UNLESS_DEBUGFS(return, "the host's priority masking (debugfs el2)");
	int cpus[MAX_CPUS], i, n = online_cpus(cpus, MAX_CPUS), prio = host_masks_by_priority();
	struct sigaction sa = { .sa_handler = on_alarm };

	ASSERT_LE(0, prio) TH_LOG(LOG_LOST);
	if (!prio)
		SKIP(return, NO_MASKING);
	ASSERT_LE(1, n);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (i = 0; i < n; i++) {
		struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(spin));
		struct test_vcpu *vcpu = vcpu_add(vm, 0);

		ASSERT_EQ(0, pin_to_cpu(cpus[i]));
		alarm(1);
		EXPECT_EQ(-1, vcpu_run(vcpu));
		EXPECT_EQ(EINTR, errno);
		EXPECT_EQ(A64VCPU_EXIT_INTR, vcpu->run->exit_reason);
		EXPECT_LE(1, vcpu_stat(vm, 0, "host_irq")) TH_LOG("cpu%d", cpus[i]);
		vcpu_destroy(vcpu);
		vm_destroy(vm);
	}
}

TEST_HARNESS_MAIN
