/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Selftest helpers for looking at a64vcpu's EL2 through debugfs
 * (/sys/kernel/debug/a64vcpu, Documentation/design.rst).
 */
#ifndef A64_SELFTEST_EL2_H
#define A64_SELFTEST_EL2_H

#include <stdbool.h>
#include <stdint.h>

#define A64_DEBUGFS	"/sys/kernel/debug/a64vcpu"

/* One read of A64_DEBUGFS/ping: EL2's registers as EL2 reported them. */
struct el2_ping {
	int cpu;
	char owner[16];
	uint64_t current_el;
	uint64_t vbar_el2, hyp_vectors;
	uint64_t sctlr_el2;
	uint64_t ttbr0_el2, hyp_pgd;
	uint64_t sp_el2, tpidr_el2;
	int switched_ras, switched_pmr;	/* features_sr.c's switches, -1 if absent */
};

/* One line of A64_DEBUGFS/el2. */
struct el2_status {
	char owner[16];
	unsigned int installs;
};

#define EL2_TLB_MAX_CPUS	64

/* One read of A64_DEBUGFS/tlb: TLB maintenance counters since load. */
struct el2_tlb {
	uint64_t handover_alle1[EL2_TLB_MAX_CPUS];	/* per CPU */
	uint64_t vmid_tlbi;		/* VMID invalidations */
	uint64_t vmid_tlbi_each_cpu;	/* of those, sent to every CPU */
	uint64_t vmid_reused;		/* VMIDs handed out again */
	uint64_t vcpu_local_tlbi;	/* local invalidations on entry */
};

/* Pins the calling thread to @cpu; returns 0 or -errno. */
int pin_to_cpu(int cpu);
/* Is @cpu online (cpu0 always is)? */
bool cpu_is_online(int cpu);
/* Number of possible CPUs (from /sys/devices/system/cpu/possible). */
int possible_cpus(void);
/* Fills @cpus with the online CPUs (at most @max); returns how many. */
int online_cpus(int *cpus, int max);
/* Reads ping on the current CPU; returns 0 or -errno of the read. */
int el2_ping(struct el2_ping *p);
/* Reads @cpu's line of the el2 file; returns 0 or -ENOENT. */
int el2_status(int cpu, struct el2_status *s);
/* Reads the tlb file; returns 0 or -errno (-EPROTO: a line missing). */
int el2_tlb(struct el2_tlb *t);
/* Writes "0"/"1" to cpuN/online; returns 0 or -errno. */
int set_cpu_online(int cpu, bool online);

#endif
