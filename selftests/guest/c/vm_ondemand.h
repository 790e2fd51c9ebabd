/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What selftests/vm_ondemand.c and its guest (guest/c/vm_ondemand.c) share:
 * the operations the test asks for (guest_arg(0)) and the pattern the guest
 * writes, which the test computes too.
 */
#ifndef SELFTEST_VM_ONDEMAND_H
#define SELFTEST_VM_ONDEMAND_H

#define ONDEMAND_SLOT_GPA	0x80000000UL	/* 2 GiB: 2 MiB (and 1 GiB) aligned */
#define ONDEMAND_READY		0x5eadUL	/* OP_SPIN's first ucall */

/*
 * The operations: guest_arg(0) is one of these, args 1-3 a range
 * (gpa, size) and a seed; the guest answers each with one ucall.
 */
enum ondemand_op {
	OP_EXIT = 1,	/* main() returns: the vCPU switches the VM off */
	OP_FILL,	/* writes the pattern of seed over the range; 0 */
	OP_CHECK,	/* reads it back: the words that differ (seed 0: zero) */
	OP_TOUCH,	/* reads one word every arg 3 bytes: the pages read */
	/*
	 * A ucall ONDEMAND_READY, then reads the word at arg 4 until the one
	 * at arg 5 is not zero, then OP_CHECK of the range and of
	 * [ONDEMAND_SLOT_GPA, + arg 6) outside it with seed arg 7: the sum.
	 */
	OP_SPIN,
};

/* The word at guest-physical @gpa for @seed (never zero). */
static inline unsigned long ondemand_pattern(unsigned long seed, unsigned long gpa)
{
	unsigned long x = (gpa ^ (seed << 40)) * 0x9e3779b97f4a7c15UL;

	return (x ^ (x >> 29)) | 1;
}

#endif
