// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jumps to an address with no memory behind it: an instruction fetch that
 * the hypervisor cannot satisfy.  What happens next is the hypervisor's to
 * decide; this guest never returns.
 */
#include "guest.h"

#define NOWHERE	0x20000000UL	/* below RAM, no device in a64vm's map */

int main(void)
{
	printf("crash: jumping outside RAM\n");
	asm volatile("br %0" : : "r" (NOWHERE));
	__builtin_unreachable();
}
