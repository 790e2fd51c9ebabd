// SPDX-License-Identifier: GPL-2.0-only
/*
 * A SIMD store to an address with neither memory nor a device behind it: a
 * data abort without syndrome, which no hypervisor emulates.  What happens
 * next is the hypervisor's to decide; this guest never returns.  (A jump
 * there would be a prefetch abort in the guest, on a64vcpu as on KVM.)
 */
#include "guest.h"

#define NOWHERE	0x20000000UL	/* below RAM, no device in a64vm's map */

int main(void)
{
	printf("crash: SIMD store outside RAM\n");
	asm volatile("msr cpacr_el1, %0; isb; str q0, [%1]"
		     : : "r" (3UL << 20), "r" (NOWHERE) : "memory");	/* FPEN: FP allowed */
	for (;;)
		;
}
