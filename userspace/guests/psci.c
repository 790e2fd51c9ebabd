// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PSCI calls the guests make, with smccc() (guest.h).
 */
#include "guest.h"

/* PSCI returns a signed 32-bit status in w0. */
static int psci_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	return (s32)smccc(fid, a1, a2, a3).x0;
}

/**
 * psci_cpu_on() - start a vCPU
 * @mpidr: its MPIDR affinity fields
 * @entry: where it starts, at EL1 with the MMU off
 * @context: its x0 there
 *
 * Return: a PSCI status: 0, or PSCI_INVALID_PARAMETERS for no such vCPU, ...
 */
int psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return psci_call(PSCI_CPU_ON_64, mpidr, entry, context);
}

/**
 * psci_cpu_off() - switch the calling vCPU off
 *
 * Return: only on failure, with a PSCI status (DENIED).
 */
int psci_cpu_off(void)
{
	return psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

static noreturn void park(void)
{
	for (;;)
		asm volatile("wfi");
}

/* psci_system_off() - power the machine off; parks the vCPU should that return. */
void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	park();
}

/* psci_system_reset() - reset the machine; parks the vCPU should that return. */
void psci_system_reset(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	park();
}

/**
 * psci_ret_name() - name a PSCI status
 * @ret: the status
 *
 * Return: its name in DEN0022, or "unknown".
 */
const char *psci_ret_name(int ret)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON",
		"ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
	};

	if (ret > 0 || -ret >= (int)ARRAY_SIZE(names))
		return "unknown";
	return names[-ret];
}
