// SPDX-License-Identifier: GPL-2.0-only
/*
 * Leak counters for the stress tests (see leaks.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "el2.h"
#include "leaks.h"
#include "vm.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

long leaks_module_pages(void)
{
	return read_long(A64_DEBUGFS "/pages");
}

void leaks_snapshot(struct leaks *l)
{
	/*
	 * vmstat's counters are kept per CPU and folded into the totals that
	 * /proc reads now and then: fold them now, so that they are exact.
	 */
	write_str("/proc/sys/vm/stat_refresh", "1");
	l->pages = leaks_module_pages();
	l->pins = file_stat("/proc/vmstat", "nr_foll_pin_acquired") -
		  file_stat("/proc/vmstat", "nr_foll_pin_released");
	l->mlocked_kb = file_stat("/proc/meminfo", "Mlocked:");
	l->unevictable_kb = file_stat("/proc/meminfo", "Unevictable:");
	l->vmlck_kb = file_stat("/proc/self/status", "VmLck:");
}

static bool same(const struct leaks *a, const struct leaks *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void report(const char *phase, const char *name, long now, long was)
{
	if (now != was)
		fprintf(stderr, "# leak after %s: %s %ld, was %ld\n", phase, name, now, was);
}

bool leaks_none(const struct leaks *base, const char *phase)
{
	struct leaks now;

	leaks_snapshot(&now);
	if (!same(base, &now)) {
		/* Compaction begins with lru_add_drain_all(): every CPU's batches. */
		write_str("/proc/sys/vm/compact_memory", "1");
		leaks_snapshot(&now);
	}
	report(phase, "pages", now.pages, base->pages);
	report(phase, "pins", now.pins, base->pins);
	report(phase, "Mlocked (kB)", now.mlocked_kb, base->mlocked_kb);
	report(phase, "Unevictable (kB)", now.unevictable_kb, base->unevictable_kb);
	report(phase, "VmLck (kB)", now.vmlck_kb, base->vmlck_kb);
	return same(base, &now) && now.pages > 0;
}

int leaks_kmemleak(void)
{
	char line[256], obj[258 * 16] = "";
	size_t len = 0;
	bool ours = false;
	int count = 0;
	FILE *f;

	if (write_str(KMEMLEAK, "scan"))
		return -1;
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	/* "unreferenced object 0x... (size N):" then its details and backtrace. */
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);

		if (eof || !strncmp(line, "unreferenced object", 19)) {
			if (ours) {
				count++;
				fprintf(stderr, "# kmemleak, from a64vcpu:\n%s", obj);
			}
			if (eof)
				break;
			len = 0;
			obj[0] = 0;
			ours = false;
		}
		ours |= strstr(line, "[a64vcpu]") || strstr(line, " a64_");
		if (len + strlen(line) + 2 < sizeof(obj))
			len += sprintf(obj + len, "# %s", line);
	}
	fclose(f);
	return count;
}
