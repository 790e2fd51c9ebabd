// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftest helpers for a64vcpu's EL2 debugfs files: parse, pin, hotplug.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "el2.h"

int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

bool cpu_is_online(int cpu)
{
	char path[64];
	int online = 1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	f = fopen(path, "r");
	if (!f)
		return cpu == 0;
	if (fscanf(f, "%d", &online) != 1)
		online = 0;
	fclose(f);
	return online == 1;
}

int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int first = 0, last = 0;

	if (!f)
		return 1;
	if (fscanf(f, "%d-%d", &first, &last) < 2)
		last = first;
	fclose(f);
	return last + 1;
}

int online_cpus(int *cpus, int max)
{
	int cpu, n = 0, ncpus = possible_cpus();

	for (cpu = 0; cpu < ncpus && n < max; cpu++)
		if (cpu_is_online(cpu))
			cpus[n++] = cpu;
	return n;
}

int el2_ping(struct el2_ping *p)
{
	char line[128], key[32];
	long long v;
	FILE *f;

	memset(p, 0, sizeof(*p));
	p->cpu = -1;
	p->switched_ras = -1;
	p->switched_pmr = -1;
	f = fopen(A64_DEBUGFS "/ping", "r");
	if (!f)
		return -errno;
	/* The first line, "cpu=N owner=X", comes even when the read fails. */
	if (fscanf(f, "cpu=%d owner=%15s\n", &p->cpu, p->owner) != 2) {
		int err = ferror(f) ? -errno : -EPROTO;

		fclose(f);
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31[^=]=%lli", key, &v) != 2)
			continue;
		if (!strcmp(key, "current_el"))
			p->current_el = v;
		else if (!strcmp(key, "vbar_el2"))
			p->vbar_el2 = v;
		else if (!strcmp(key, "hyp_vectors"))
			p->hyp_vectors = v;
		else if (!strcmp(key, "sctlr_el2"))
			p->sctlr_el2 = v;
		else if (!strcmp(key, "ttbr0_el2"))
			p->ttbr0_el2 = v;
		else if (!strcmp(key, "hyp_pgd"))
			p->hyp_pgd = v;
		else if (!strcmp(key, "sp_el2"))
			p->sp_el2 = v;
		else if (!strcmp(key, "tpidr_el2"))
			p->tpidr_el2 = v;
		else if (!strcmp(key, "switched_ras"))
			p->switched_ras = v;
		else if (!strcmp(key, "switched_pmr"))
			p->switched_pmr = v;
	}
	if (ferror(f)) {
		int err = -errno;

		fclose(f);
		return err;
	}
	fclose(f);
	return 0;
}

int el2_status(int cpu, struct el2_status *s)
{
	char owner[16];
	unsigned int installs;
	int n, ret = -ENOENT;
	FILE *f = fopen(A64_DEBUGFS "/el2", "r");

	if (!f)
		return -errno;
	while (fscanf(f, "cpu%d owner=%15s installs=%u\n", &n, owner, &installs) == 3) {
		if (n != cpu)
			continue;
		strcpy(s->owner, owner);
		s->installs = installs;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int el2_tlb(struct el2_tlb *t)
{
	unsigned long long v;
	char line[128], key[32];
	unsigned int found = 0;
	int cpu;
	FILE *f;

	memset(t, 0, sizeof(*t));
	f = fopen(A64_DEBUGFS "/tlb", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu%d handover_alle1=%llu", &cpu, &v) == 2) {
			if (cpu >= 0 && cpu < EL2_TLB_MAX_CPUS)
				t->handover_alle1[cpu] = v;
			continue;
		}
		if (sscanf(line, "%31[^=]=%llu", key, &v) != 2)
			continue;
		if (!strcmp(key, "vmid_tlbi"))
			t->vmid_tlbi = v, found |= 1;
		else if (!strcmp(key, "vmid_tlbi_each_cpu"))
			t->vmid_tlbi_each_cpu = v, found |= 2;
		else if (!strcmp(key, "vmid_reused"))
			t->vmid_reused = v, found |= 4;
		else if (!strcmp(key, "vcpu_local_tlbi"))
			t->vcpu_local_tlbi = v, found |= 8;
	}
	fclose(f);
	return found == 15 ? 0 : -EPROTO;
}

int set_cpu_online(int cpu, bool online)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, online ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}
