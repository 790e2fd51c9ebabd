/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a selftest guest written in C adds to the guests' library
 * (userspace/guests/guest.h): ucalls to the test, and assertions that fail
 * the test from inside the guest.
 */
#ifndef SELFTEST_GUEST_TEST_H
#define SELFTEST_GUEST_TEST_H

#include "guest.h"

#define UCALL_GPA		0x0a000000UL	/* selftests/lib/vm.h */
#define UCALL_FAIL		(0xfa11UL << 48)	/* | the line that failed */

/* An 8-byte store at UCALL_GPA: an MMIO exit the test reads (vcpu_ucall()). */
static inline void ucall(u64 val)
{
	asm volatile("str %0, [%1]" : : "r" (val), "r" (UCALL_GPA) : "memory");
}

/* Fails the test (the host's vcpu_ucall() sees UCALL_FAIL), then parks. */
#define GUEST_ASSERT(cond) do {						\
	if (!(cond)) {							\
		printf("guest: %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		for (;;)						\
			ucall(UCALL_FAIL | __LINE__);			\
	}								\
} while (0)

#endif
