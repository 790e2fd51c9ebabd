/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Calling EL2 from EL1: "hvc #0" with the register convention of
 * kmod/include/shared/hyp_abi.h.  Callers must not migrate between CPUs
 * around a call whose answer they interpret per CPU.
 */
#ifndef A64_HYP_CALL_H
#define A64_HYP_CALL_H

#include <linux/compiler.h>

#define A64_HYP_CLOBBERS "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", \
			 "x13", "x14", "x15", "x16", "x17", "memory", "cc"

/* Up to four arguments in x1-x4 (the stub's SOFT_RESTART uses x4). */
static __always_inline unsigned long a64_hyp_call4(unsigned long id,
						   unsigned long a1,
						   unsigned long a2,
						   unsigned long a3,
						   unsigned long a4)
{
	register unsigned long x0 asm("x0") = id;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;
	register unsigned long x4 asm("x4") = a4;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4)
		     :
		     : A64_HYP_CLOBBERS);
	return x0;
}

static __always_inline unsigned long a64_hyp_call(unsigned long id,
						  unsigned long a1)
{
	return a64_hyp_call4(id, a1, 0, 0, 0);
}

#endif /* A64_HYP_CALL_H */
