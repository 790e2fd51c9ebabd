/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * "Reported once" sets: what a64vm tells the user about a guest (an
 * unclaimed MMIO address, a trapped system register) it tells once per key,
 * for the first REPORT_ONCE_MAX keys.  A key already seen costs a lock-free
 * look-up, as guests repeat these accesses on hot paths.
 */
#ifndef A64VM_REPORT_ONCE_H
#define A64VM_REPORT_ONCE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define REPORT_ONCE_MAX		64

struct report_once {
	uint64_t key[REPORT_ONCE_MAX];
	unsigned int nr;	/* keys are only appended, published by nr */
	pthread_mutex_t lock;	/* serialises appends */
};

#define REPORT_ONCE_INIT	{ .lock = PTHREAD_MUTEX_INITIALIZER }

bool report_once_add(struct report_once *set, unsigned int from, uint64_t key);

/* True the first time @key is seen while there is room: the caller reports it. */
static inline bool report_once(struct report_once *set, uint64_t key)
{
	unsigned int i, n = __atomic_load_n(&set->nr, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (set->key[i] == key)
			return false;
	return report_once_add(set, n, key);
}

#endif
