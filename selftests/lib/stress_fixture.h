/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The stress tests' fixture, for TEST_F_TIMEOUT(stress, NAME,
 * STRESS_TIMEOUT): the leak counters before the test (lib/leaks.h), in
 * self->base.  Included once, by the test's file, after
 * kselftest_harness.h.
 */
#ifndef A64_SELFTEST_STRESS_FIXTURE_H
#define A64_SELFTEST_STRESS_FIXTURE_H

#include "leaks.h"

FIXTURE(stress) {
	struct leaks base;
};

FIXTURE_SETUP(stress)
{
	leaks_snapshot(&self->base);
	ASSERT_LT(0, self->base.pages);		/* the module's debugfs is there */
}

FIXTURE_TEARDOWN(stress)
{
}

#endif
