/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Declarations shared by the EL1 files of a64vcpu.
 */
#ifndef A64VCPU_H
#define A64VCPU_H

#include <linux/types.h>
#include <shared/hyp_abi.h>

#define A64_NAME	"a64vcpu"

/* pages.c: every page the module allocates, counted */
void *a64_page_alloc(void);
void a64_page_free(void *page);
void *a64_pages_alloc_exact(size_t size);
void a64_pages_free_exact(void *addr, size_t size);
long a64_pages_in_use(void);

/* el2_pgtable.c: EL2 stage-1, an identity map of what EL2 touches */
enum a64_el2_prot {
	A64_EL2_RX,	/* the image's code */
	A64_EL2_RO,	/* read-only data, not executable */
	A64_EL2_RW,	/* data, not executable */
};

struct a64_el2_pgtable {
	u64 *pgd;
};

int a64_el2_pgtable_init(struct a64_el2_pgtable *pt);
int a64_el2_map(struct a64_el2_pgtable *pt, phys_addr_t pa, size_t size,
		enum a64_el2_prot prot);
void a64_el2_pgtable_destroy(struct a64_el2_pgtable *pt);

/* el2.c: owning EL2 on every CPU */
enum a64_el2_owner {
	A64_EL2_OURS,		/* our vectors answer */
	A64_EL2_STUB,		/* the kernel's hyp stub answers */
	A64_EL2_FOREIGN,	/* KVM or a hypervisor below Linux */
};

/* CNTVCT ticks per 1000 round trips, over A64_EL2_BENCH_REPS repetitions */
#define A64_EL2_BENCH_REPS	5
struct a64_el2_bench {
	u64 ours_best, ours_median;
	u64 stub_best, stub_median;
};

int a64_el2_init(void);
void a64_el2_exit(void);
enum a64_el2_owner a64_el2_owner_this_cpu(void);
const char *a64_el2_owner_name(enum a64_el2_owner owner);
int a64_el2_ensure_owned(void);
int a64_el2_report_this_cpu(struct a64_hyp_report *report);
int a64_el2_bench_this_cpu(struct a64_el2_bench *bench);
unsigned int a64_el2_installs(unsigned int cpu);
phys_addr_t a64_el2_vectors_pa(void);
phys_addr_t a64_el2_pgd_pa(void);
unsigned int a64_el2_max_ipa_bits(void);

/* dev.c: /dev/a64vcpu */
int a64_dev_init(void);
void a64_dev_exit(void);

/* debugfs.c: /sys/kernel/debug/a64vcpu/ */
void a64_debugfs_init(void);
void a64_debugfs_exit(void);

#endif /* A64VCPU_H */
