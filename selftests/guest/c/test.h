/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a selftest guest written in C adds to the guests' library
 * (userspace/guests/guest.h): ucalls to the test, arguments from it, and
 * assertions that fail the test from inside the guest.
 */
#ifndef SELFTEST_GUEST_TEST_H
#define SELFTEST_GUEST_TEST_H

#include "guest.h"

#define UCALL_GPA		0x0a000000UL	/* selftests/lib/vm.h */
#define UCALL_ARG_GPA		(UCALL_GPA + 8)
#define UCALL_FAIL		(0xfa11UL << 48)	/* | the line that failed */

/* An 8-byte store at UCALL_GPA: an MMIO exit the test reads (vcpu_ucall()). */
static inline void ucall(u64 val)
{
	asm volatile("str %0, [%1]" : : "r" (val), "r" (UCALL_GPA) : "memory");
}

/*
 * Argument @n (0..7) the test set for this vCPU (vcpu->args[n]): an 8-byte
 * load the test's library answers.
 */
static inline u64 guest_arg(unsigned int n)
{
	return readq(UCALL_ARG_GPA + 8 * n);
}

/* This vCPU's number: MPIDR_EL1.Aff0, as the selftests create them. */
static inline u32 this_cpu(void)
{
	return read_mpidr() & 0xff;
}

/*
 * Fails the test at @line: the host's vcpu_ucall() sees UCALL_FAIL.  Spelt
 * out as an attribute (not noreturn) so that cppcheck, which lints without
 * the guests' include path, knows it does not return.
 */
static inline __attribute((__noreturn__)) void guest_fail(u32 line)
{
	for (;;)
		ucall(UCALL_FAIL | line);
}

/* The fuzzing guests' seeded generator (xorshift64*): the next value of *@s. */
static inline u64 xorshift64s(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dUL;
}

/* Fails the test unless @cond holds. */
#define GUEST_ASSERT(cond) do {						\
	if (!(cond)) {							\
		printf("%s:%d: %s\n", __FILE__, __LINE__, #cond);		\
		guest_fail(__LINE__);					\
	}								\
} while (0)

/* GUEST_ASSERT(a == b), saying what both sides were. */
#define GUEST_ASSERT_EQ(a, b) do {					\
	u64 __a = (a), __b = (b);					\
	if (__a != __b) {						\
		printf("%s:%d: %s == %s: 0x%lx != 0x%lx\n", __FILE__, __LINE__,	\
		       #a, #b, (unsigned long)__a, (unsigned long)__b);	\
		guest_fail(__LINE__);					\
	}								\
} while (0)

#endif
