// SPDX-License-Identifier: GPL-2.0-only
/*
 * "Reported once" sets (report_once.h): the slow path, a key not seen in
 * the first @from entries.
 */
#include "report_once.h"

bool report_once_add(struct report_once *set, unsigned int from, uint64_t key)
{
	bool first = false;
	unsigned int i;

	pthread_mutex_lock(&set->lock);
	for (i = from; i < set->nr && set->key[i] != key; i++)
		;
	if (i == set->nr && set->nr < REPORT_ONCE_MAX) {
		set->key[set->nr] = key;
		__atomic_store_n(&set->nr, set->nr + 1, __ATOMIC_RELEASE);
		first = true;
	}
	pthread_mutex_unlock(&set->lock);
	return first;
}
