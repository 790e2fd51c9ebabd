// SPDX-License-Identifier: GPL-2.0-only
/*
 * A host call into EL2 on every online CPU, answered by a64vcpu's own EL2:
 * our vectors, our page tables, MMU and caches on, this CPU's own stack and
 * per-CPU page.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "el2.h"

#define SCTLR_EL2_M	(1ULL << 0)
#define SCTLR_EL2_C	(1ULL << 2)
#define SCTLR_EL2_I	(1ULL << 12)

TEST(roundtrip_every_cpu)
{
	uint64_t tpidr[256] = { 0 }, sp[256] = { 0 };
	int cpus[256], cpu, other, i, n;

	ASSERT_GE(256, possible_cpus());
	n = online_cpus(cpus, 256);
	for (i = 0; i < n; i++) {
		struct el2_ping p;

		cpu = cpus[i];
		ASSERT_EQ(0, pin_to_cpu(cpu));
		ASSERT_EQ(0, el2_ping(&p));
		EXPECT_EQ(cpu, p.cpu);
		EXPECT_STREQ("a64vcpu", p.owner);
		EXPECT_EQ(2, p.current_el);
		EXPECT_NE(0, p.hyp_vectors);
		EXPECT_EQ(p.hyp_vectors, p.vbar_el2);
		EXPECT_EQ(p.hyp_pgd, p.ttbr0_el2);
		EXPECT_EQ(SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I,
			  p.sctlr_el2 & (SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I));
		tpidr[cpu] = p.tpidr_el2;
		sp[cpu] = p.sp_el2;
		for (other = 0; other < cpu; other++) {
			if (!tpidr[other])
				continue;
			EXPECT_NE(tpidr[other], tpidr[cpu]);
			EXPECT_NE(sp[other], sp[cpu]);
		}
	}
	EXPECT_LE(1, n);
	TH_LOG("EL2 answered on %d CPUs", n);
}

TEST(status_lists_every_cpu_owned)
{
	int cpu, ncpus = possible_cpus();

	for (cpu = 0; cpu < ncpus; cpu++) {
		struct el2_status s;

		ASSERT_EQ(0, el2_status(cpu, &s)) TH_LOG("cpu%d missing", cpu);
		if (!cpu_is_online(cpu)) {
			EXPECT_STREQ("offline", s.owner);
			continue;
		}
		EXPECT_STREQ("a64vcpu", s.owner) TH_LOG("cpu%d", cpu);
		EXPECT_LE(1, s.installs) TH_LOG("cpu%d", cpu);
	}
}

TEST(bench_gives_both_figures)
{
	unsigned long long ours = 0, stub = 0, ours_median = 0, stub_median = 0;
	unsigned int calls = 0;
	struct el2_ping p;
	int cpu = -1;
	FILE *f;

	ASSERT_EQ(0, pin_to_cpu(0));
	f = fopen(A64_DEBUGFS "/bench", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(6, fscanf(f, "cpu=%d calls=%u reps=%*u a64vcpu_best_ticks=%llu a64vcpu_median_ticks=%llu stub_best_ticks=%llu stub_median_ticks=%llu",
			    &cpu, &calls, &ours, &ours_median, &stub, &stub_median));
	fclose(f);
	EXPECT_EQ(0, cpu);
	EXPECT_EQ(1000, calls);
	EXPECT_LT(0, ours);
	EXPECT_LT(0, stub);
	EXPECT_LE(ours, ours_median);
	EXPECT_LE(stub, stub_median);

	/* Giving EL2 back for the stub's figure took it again afterwards. */
	ASSERT_EQ(0, el2_ping(&p));
	EXPECT_STREQ("a64vcpu", p.owner);
	EXPECT_EQ(p.hyp_vectors, p.vbar_el2);
}

TEST_HARNESS_MAIN
