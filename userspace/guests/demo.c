// SPDX-License-Identifier: GPL-2.0-only
/*
 * The demo guest: what a new user sees first.  Its output is the same on
 * every hypervisor (it is diffed between a64vcpu and KVM), so it prints
 * nothing that may differ between them: no counter values, no PSCI version.
 */
#include "guest.h"

#define SECONDARY	1	/* vCPU index = its MPIDR affinity = its context id */

static char message[64];
static u32 message_ready;

/* vCPU 1: leave a message for vCPU 0, then return (-> PSCI CPU_OFF). */
void secondary_main(u64 cpu)
{
	snprintf(message, sizeof(message), "hello from vCPU %lu (MPIDR 0x%lx)",
		 (unsigned long)cpu, (unsigned long)read_mpidr());
	flag_set(&message_ready);
}

int main(void)
{
	int version, ret;

	printf("demo: hello from vCPU 0 (MPIDR 0x%lx)\n", (unsigned long)read_mpidr());

	version = (s32)smccc(SMCCC_VERSION, 0, 0, 0).x0;
	if (version < 0)
		printf("demo: hypercall SMCCC_VERSION -> %d (not supported)\n", version);
	else
		printf("demo: hypercall SMCCC_VERSION -> %d.%d\n", version >> 16, version & 0xffff);

	ret = psci_cpu_on(SECONDARY, (u64)secondary_entry, SECONDARY);
	printf("demo: PSCI CPU_ON vCPU %d -> %d (%s)\n", SECONDARY, ret, psci_ret_name(ret));
	if (ret == PSCI_SUCCESS) {
		if (flag_wait(&message_ready, 10))
			printf("demo: vCPU %d wrote: %s\n", SECONDARY, message);
		else
			printf("demo: vCPU %d wrote nothing in 10 s\n", SECONDARY);
	}

	printf("demo: bye (PSCI SYSTEM_OFF)\n");
	return 0;
}
