// SPDX-License-Identifier: GPL-2.0-only
/*
 * Brings up every vCPU the machine has, one at a time so that the output
 * order is fixed: CPU_ON for MPIDR 1, 2, ... until PSCI refuses (no such
 * vCPU: INVALID_PARAMETERS), each secondary printing one line before the
 * next is started.
 */
#include "guest.h"

static u32 cpu_up[GUEST_NR_CPUS];

static void say_up(u64 cpu)
{
	printf("smp: vCPU %lu up (MPIDR 0x%lx)\n", (unsigned long)cpu,
	       (unsigned long)read_mpidr());
}

/* vCPU @cpu: report, then return (-> PSCI CPU_OFF). */
void secondary_main(u64 cpu)
{
	say_up(cpu);
	flag_set(&cpu_up[cpu]);
}

int main(void)
{
	unsigned int nr = 1;
	int ret;

	say_up(0);
	for (; nr < GUEST_NR_CPUS; nr++) {
		/* vCPU n has MPIDR affinity n (one cluster of up to 8). */
		ret = psci_cpu_on(nr, (u64)secondary_entry, nr);
		if (ret == PSCI_INVALID_PARAMETERS)
			break;
		if (ret != PSCI_SUCCESS) {
			printf("smp: PSCI CPU_ON vCPU %u -> %d (%s)\n", nr, ret,
			       psci_ret_name(ret));
			break;
		}
		if (!flag_wait(&cpu_up[nr], 10)) {
			printf("smp: vCPU %u did not come up in 10 s\n", nr);
			break;
		}
	}

	printf("smp: %u vCPUs up\n", nr);
	return 0;
}
