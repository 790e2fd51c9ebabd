/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the stress tests (selftests/stress_*.c, lib/stress.c) and their
 * guest (guest/c/stress.c) share: the modes (guest_arg(0)), the ucalls that
 * are not round numbers, the doorbell's address and the SPI the test's
 * interrupt eventfd raises.
 */
#ifndef SELFTEST_STRESS_GUEST_H
#define SELFTEST_STRESS_GUEST_H

#define STRESS_WORK		0
#define STRESS_SLEEP		1

#define STRESS_ASLEEP		0xa51eea00000000UL	/* STRESS_SLEEP: about to sleep */
#define STRESS_DONE		0xd0e500000000UL	/* | the SPIs vCPU 0 took */
#define STRESS_DOORBELL_GPA	0x0b000000UL
#define STRESS_SPI		40

#endif
