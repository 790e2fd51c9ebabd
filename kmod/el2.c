// SPDX-License-Identifier: GPL-2.0-only
/*
 * Taking EL2 from the kernel's hyp stub on every CPU, and giving it back.
 *
 * Load: copy the EL2 image into physically contiguous pages, identity-map it
 * and one data page and one stack page per possible CPU in EL2's own
 * stage-1 tables, then on each online CPU ask the stub (HVC_SOFT_RESTART) to
 * branch to hyp_init, which turns EL2's MMU and caches on and installs our
 * vectors.  A CPU that comes online later is taken by the hotplug callback;
 * one going offline is given back.  Unload gives every CPU back with the
 * stub's own HVC_SET_VECTORS, which our vectors honour.
 *
 * Ownership is never cached: A64_HC_PING asks EL2 who answers.  KVM takes
 * EL2 through our stub-ABI handler when it creates a VM and hands it to the
 * stub when its last VM goes; a64_el2_ensure_owned() then takes it again.
 */
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "a64vcpu.h"
#include "hyp_call.h"
#include "hyp_image.h"

/* The EL2 image (kmod/hyp/hyp.lds, entry.S) as linked into the module. */
extern char hyp_symbol(hyp_image_start)[];
extern char hyp_symbol(hyp_text_end)[];
extern char hyp_symbol(hyp_rodata_end)[];
extern char hyp_symbol(hyp_image_end)[];
extern char hyp_symbol(hyp_vectors)[];
extern char hyp_symbol(hyp_init)[];
extern char hyp_symbol(hyp_guest_vectors)[];

#define BENCH_CALLS	1000

struct el2_cpu {
	struct a64_hyp_cpu *hyp;	/* shared with EL2 (TPIDR_EL2) */
	void *stack;			/* one page, SP_EL2 starts at its top */
	unsigned int installs;		/* times this CPU was taken */
};

static DEFINE_PER_CPU(struct el2_cpu, el2_cpus);

static struct {
	void *image;
	size_t image_size;
	struct a64_el2_pgtable pgt;
	enum cpuhp_state hp_state;
} el2;

static phys_addr_t image_pa(unsigned long offset)
{
	return virt_to_phys(el2.image) + offset;
}

/**
 * a64_el2_vectors_pa() - where our EL2 vectors are (VBAR_EL2 when ours)
 *
 * Return: the physical (== EL2 virtual) address.
 */
phys_addr_t a64_el2_vectors_pa(void)
{
	return image_pa(hyp_offset(hyp_vectors));
}

/**
 * a64_el2_image_pa() - where EL2's copy of its image starts
 *
 * Return: the physical (== EL2 virtual) address.
 */
phys_addr_t a64_el2_image_pa(void)
{
	return image_pa(0);
}

/**
 * a64_el2_image_size() - the size of EL2's image
 *
 * Return: bytes.
 */
size_t a64_el2_image_size(void)
{
	return el2.image_size;
}

/**
 * a64_el2_hyp_cpu() - a CPU's data page shared with EL2
 * @cpu: the CPU
 *
 * Return: its struct a64_hyp_cpu.
 */
struct a64_hyp_cpu *a64_el2_hyp_cpu(unsigned int cpu)
{
	return per_cpu(el2_cpus, cpu).hyp;
}

/**
 * a64_el2_pgd_pa() - the root of EL2's stage-1 table (TTBR0_EL2 when ours)
 *
 * Return: its physical address.
 */
phys_addr_t a64_el2_pgd_pa(void)
{
	return virt_to_phys(el2.pgt.pgd);
}

/**
 * a64_el2_owner_this_cpu() - who answers host calls at EL2 on this CPU
 *
 * Call with preemption disabled.
 *
 * Return: A64_EL2_OURS, A64_EL2_STUB or A64_EL2_FOREIGN.
 */
enum a64_el2_owner a64_el2_owner_this_cpu(void)
{
	unsigned long ret = a64_hyp_call(A64_HC_PING, 0);

	if (ret == A64_HYP_MAGIC)
		return A64_EL2_OURS;
	if (ret == HVC_STUB_ERR)
		return A64_EL2_STUB;
	return A64_EL2_FOREIGN;
}

/**
 * a64_el2_owner_name() - a word for an owner, as debugfs prints it
 * @owner: the owner
 *
 * Return: a static string.
 */
const char *a64_el2_owner_name(enum a64_el2_owner owner)
{
	switch (owner) {
	case A64_EL2_OURS:
		return "a64vcpu";
	case A64_EL2_STUB:
		return "stub";
	default:
		return "foreign";
	}
}

static void report_foreign(unsigned int cpu)
{
	pr_err_ratelimited(A64_NAME ": EL2 on CPU%u is held by another hypervisor, not the hyp stub: KVM holds it while a KVM VM exists (close it), or Linux was booted at EL1 below a hypervisor (boot it at EL2)\n",
			   cpu);
}

/*
 * The optional features of this CPU whose state the switch keeps apart
 * (kmod/hyp/features_sr.c): SPE usable at EL1 (PMBIDR_EL1.P clear), RAS
 * (also how a guest's SError is synchronised on exit, switch.S),
 * interrupt masking by priority; the speculative-AT errata, which change
 * the order of the switch (kmod/hyp/macros.S); and the errata whose
 * broadcast TLB maintenance completes only with a second TLBI (Falkor
 * E1009, Cortex-A76 1286807, Cortex-A55 2441007: a system-wide cap, set
 * if any CPU is affected, as the kernel patches its own TLBIs).
 */
static u64 cpu_features(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1), features = 0;

	if (cpuid_feature_extract_unsigned_field(dfr0, ID_AA64DFR0_EL1_PMSVer_SHIFT) &&
	    !(read_sysreg_s(SYS_PMBIDR_EL1) & BIT(SYS_PMBIDR_EL1_P_SHIFT)))
		features |= A64_HYP_FEAT_SPE;
	if (cpus_have_final_cap(ARM64_HAS_RAS_EXTN))
		features |= A64_HYP_FEAT_RAS;
	if (system_uses_irq_prio_masking())
		features |= A64_HYP_FEAT_PMR;
	if (cpus_have_final_cap(ARM64_WORKAROUND_SPECULATIVE_AT))
		features |= A64_HYP_FEAT_SPEC_AT;
	if (cpus_have_final_cap(ARM64_WORKAROUND_REPEAT_TLBI))
		features |= A64_HYP_FEAT_REPEAT_TLBI;
	return features;
}

/**
 * a64_el2_features() - what the switch keeps apart on a CPU
 * @cpu: the CPU
 *
 * Return: A64_HYP_FEAT_* as set when it was last taken.
 */
u64 a64_el2_features(unsigned int cpu)
{
	struct a64_hyp_cpu *hyp = per_cpu(el2_cpus, cpu).hyp;

	return hyp ? READ_ONCE(hyp->features) : 0;
}

/* IRQs off.  Takes EL2 from the stub on this CPU and checks the result. */
static int take_this_cpu(void)
{
	struct el2_cpu *c = this_cpu_ptr(&el2_cpus);
	unsigned int cpu = smp_processor_id();
	struct a64_hyp_report r = {};
	unsigned long ret;

	switch (a64_el2_owner_this_cpu()) {
	case A64_EL2_OURS:
		return 0;
	case A64_EL2_FOREIGN:
		report_foreign(cpu);
		return -EBUSY;
	case A64_EL2_STUB:
		break;
	}

	c->hyp->features = cpu_features();
	/* Once per CPU: how it hardens guest exits (kmod/spectre.c). */
	if (!c->hyp->guest_vectors)
		a64_spectre_cpu_init(c->hyp, image_pa(hyp_offset(hyp_guest_vectors)));
	ret = a64_hyp_call4(HVC_SOFT_RESTART, image_pa(hyp_offset(hyp_init)),
			    virt_to_phys(c->hyp),
			    virt_to_phys(c->stack) + PAGE_SIZE,
			    a64_el2_pgd_pa());
	if (ret) {
		pr_err(A64_NAME ": CPU%u: the hyp stub refused HVC_SOFT_RESTART (%#lx)\n",
		       cpu, ret);
		return -EIO;
	}

	/* Verify that the new world answers, from EL2, with our set-up. */
	if (a64_el2_owner_this_cpu() != A64_EL2_OURS ||
	    a64_el2_report_this_cpu(&r) ||
	    r.current_el != 2 || r.vbar_el2 != a64_el2_vectors_pa() ||
	    r.ttbr0_el2 != a64_el2_pgd_pa() || !(r.sctlr_el2 & SCTLR_ELx_M) ||
	    r.tpidr_el2 != virt_to_phys(c->hyp)) {
		pr_err(A64_NAME ": CPU%u: EL2 did not come up as built (vbar %#llx sctlr %#llx ttbr0 %#llx)\n",
		       cpu, r.vbar_el2, r.sctlr_el2, r.ttbr0_el2);
		a64_hyp_call(HVC_SET_VECTORS, c->hyp->stub_vbar);
		return -EIO;
	}
	c->installs++;
	a64_timer_cpu_taken();
	return 0;
}

/* IRQs off.  Gives EL2 back to the stub on this CPU if it is ours. */
static void release_this_cpu(void)
{
	struct el2_cpu *c = this_cpu_ptr(&el2_cpus);

	if (a64_el2_owner_this_cpu() != A64_EL2_OURS)
		return;
	a64_hyp_call(HVC_SET_VECTORS, c->hyp->stub_vbar);
	if (a64_el2_owner_this_cpu() != A64_EL2_STUB)
		pr_err(A64_NAME ": CPU%u: EL2 not back on the hyp stub after give-back\n",
		       smp_processor_id());
}

/**
 * a64_el2_ensure_owned() - make sure EL2 on this CPU is ours
 *
 * Call with preemption disabled, before anything that needs our EL2.  Costs
 * one host call when EL2 is ours; takes it again when the stub has it back
 * (after KVM let go of it, or a CPU lost its EL2 state).
 *
 * Return: 0, -EBUSY if another hypervisor holds EL2, -EIO on a failed take.
 */
int a64_el2_ensure_owned(void)
{
	unsigned long flags;
	int ret;

	if (a64_el2_owner_this_cpu() == A64_EL2_OURS)
		return 0;
	local_irq_save(flags);
	ret = take_this_cpu();
	local_irq_restore(flags);
	return ret;
}

/**
 * a64_el2_report_this_cpu() - read this CPU's EL2 registers from EL2
 * @report: where to put them
 *
 * Call with preemption disabled.
 *
 * Return: 0, or -EBUSY if EL2 is not ours.
 */
int a64_el2_report_this_cpu(struct a64_hyp_report *report)
{
	struct el2_cpu *c = this_cpu_ptr(&el2_cpus);

	if (a64_hyp_call(A64_HC_REPORT, 0))
		return -EBUSY;
	*report = c->hyp->report;
	return 0;
}

/**
 * a64_el2_installs() - how many times a CPU's EL2 was taken since load
 * @cpu: the CPU
 *
 * Return: the count.
 */
unsigned int a64_el2_installs(unsigned int cpu)
{
	return READ_ONCE(per_cpu(el2_cpus, cpu).installs);
}

static atomic64_t tlbi_vmid_calls, tlbi_vmid_each_cpu;

struct tlbi_call {
	unsigned long id;	/* A64_HC_TLBI_VMID or A64_HC_TLBI_EL2 */
	u64 arg;
};

/*
 * The invalidation from this CPU's EL2, taking it back from the stub if need
 * be; false if it did not happen (EL2 held by someone else, quietly: that
 * is expected here, or lost meanwhile).  Preemption off.
 */
static bool tlbi_this_cpu(const struct tlbi_call *call)
{
	if (a64_el2_owner_this_cpu() == A64_EL2_FOREIGN)
		return false;
	return !a64_el2_ensure_owned() && !a64_hyp_call(call->id, call->arg);
}

/* On each CPU, IRQs off: EL2 cannot change hands during the call. */
static void tlbi_each_cpu_fn(void *info)
{
	tlbi_this_cpu(info);
}

/*
 * A broadcast (inner-shareable) invalidation from our EL2, which must have
 * happened on every CPU when this returns: the caller frees or unpins the
 * pages behind it next.  Sleeps (on_each_cpu()): process context only.
 *
 * Normally one host call on this CPU: TLBI ... IS reaches every CPU of the
 * inner-shareable domain, whoever owns their EL2.  If EL2 is not ours here
 * (KVM holds it; or it changed hands between the ownership check and the
 * call, interrupts being on), every CPU is asked instead: one whose EL2 is
 * ours, or the stub's (taken again, which invalidates everything), does the
 * broadcast itself; one whose EL2 is held by someone else has no entry
 * left to invalidate, because it got there through our give-back, which
 * ran TLBI ALLE2 and ALLE1 on it (entry.S), or through a power-down that
 * lost our EL2 state and its TLB with it; and no CPU caches entries of
 * our tables again before our hyp_init (TLBI ALLE2, ALLE1) has run on it.
 * CPUs that come online meanwhile start on the stub and are taken the
 * same way before they run a guest; offline ones were given back.
 */
static void tlbi_everywhere(unsigned long id, u64 arg)
{
	struct tlbi_call call = { .id = id, .arg = arg };
	bool done;

	preempt_disable();
	done = tlbi_this_cpu(&call);
	preempt_enable();
	if (done)
		return;
	if (id == A64_HC_TLBI_VMID)
		atomic64_inc(&tlbi_vmid_each_cpu);
	on_each_cpu(tlbi_each_cpu_fn, &call, 1);
}

static DEFINE_MUTEX(el2_map_lock);	/* EL2 table updates after load */

/**
 * a64_el2_share() - map kernel pages at EL2 (identity, read/write)
 * @addr: page-aligned kernel address of physically contiguous memory
 * @size: bytes
 *
 * Return: 0, -ENOMEM or -EEXIST.
 */
int a64_el2_share(void *addr, size_t size)
{
	int ret;

	mutex_lock(&el2_map_lock);
	ret = a64_el2_map(&el2.pgt, virt_to_phys(addr), size, A64_EL2_RW);
	mutex_unlock(&el2_map_lock);
	return ret;
}

/**
 * a64_el2_unshare() - undo a64_el2_share(); EL2 cannot reach the pages after
 * @addr: as passed to a64_el2_share()
 * @size: as passed to a64_el2_share()
 */
void a64_el2_unshare(void *addr, size_t size)
{
	void *freed[3];
	size_t off;
	int n;

	for (off = 0; off < size; off += PAGE_SIZE) {
		mutex_lock(&el2_map_lock);
		n = a64_el2_unmap_page(&el2.pgt, virt_to_phys(addr + off), freed);
		mutex_unlock(&el2_map_lock);
		/* TLBI ALLE2IS, everywhere our EL2 may cache the entry. */
		tlbi_everywhere(A64_HC_TLBI_EL2, 0);
		while (n--)
			a64_page_free(freed[n]);
	}
}

/**
 * a64_el2_run() - run a guest on this CPU until an exit for the host
 * @ctx: its context, shared with EL2
 *
 * Call with interrupts disabled.  The guest may leave its FP/SIMD registers
 * in the CPU (fpsimd.c).
 *
 * Return: A64_EXIT_*, or -EBUSY if another hypervisor holds EL2.
 */
int a64_el2_run(struct a64_vcpu_ctx *ctx)
{
	unsigned long ret = a64_hyp_call(A64_HC_RUN, virt_to_phys(ctx));

	if (ret <= A64_EXIT_SERROR)
		return ret;
	/* The stub or KVM answered: take EL2 back if we can, then retry. */
	if (take_this_cpu())
		return -EBUSY;
	ret = a64_hyp_call(A64_HC_RUN, virt_to_phys(ctx));
	return ret <= A64_EXIT_SERROR ? ret : -EBUSY;
}

/**
 * a64_el2_tlbi_vmid() - drop every TLB entry of a VMID, on every CPU
 * @vttbr: a VTTBR_EL2 value carrying the VMID
 *
 * When this returns, no CPU holds a stage-1 or stage-2 EL1&0 entry of the
 * VMID made before the call: the pages an unmap released can be unpinned,
 * freed tables freed, the VMID reused.  Process context (may sleep).
 */
void a64_el2_tlbi_vmid(u64 vttbr)
{
	atomic64_inc(&tlbi_vmid_calls);
	tlbi_everywhere(A64_HC_TLBI_VMID, vttbr);
}

/**
 * a64_el2_tlb_stats() - TLB maintenance counters, for debugfs
 * @vmid_calls: where to put a64_el2_tlbi_vmid() calls since load
 * @vmid_each_cpu: of those, how many went to every CPU (EL2 was not ours
 *	on the caller's CPU)
 */
void a64_el2_tlb_stats(u64 *vmid_calls, u64 *vmid_each_cpu)
{
	*vmid_calls = atomic64_read(&tlbi_vmid_calls);
	*vmid_each_cpu = atomic64_read(&tlbi_vmid_each_cpu);
}

/**
 * a64_el2_handover_tlbis() - a CPU's TLBI ALLE1s for EL2 changing hands
 * @cpu: a possible CPU
 *
 * Counted by EL2 itself, in hyp_init and in the give-back (entry.S).
 *
 * Return: the count since load.
 */
u64 a64_el2_handover_tlbis(unsigned int cpu)
{
	return READ_ONCE(per_cpu(el2_cpus, cpu).hyp->handover_tlbi);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void bench_ping(u64 *best, u64 *median)
{
	u64 ticks[A64_EL2_BENCH_REPS], t0;
	int rep, i;

	for (rep = 0; rep < A64_EL2_BENCH_REPS; rep++) {
		isb();
		t0 = read_sysreg(cntvct_el0);
		for (i = 0; i < BENCH_CALLS; i++)
			a64_hyp_call(A64_HC_PING, 0);
		isb();
		ticks[rep] = read_sysreg(cntvct_el0) - t0;
	}
	sort(ticks, A64_EL2_BENCH_REPS, sizeof(ticks[0]), cmp_u64, NULL);
	*best = ticks[0];
	*median = ticks[A64_EL2_BENCH_REPS / 2];
}

/**
 * a64_el2_bench_this_cpu() - time 1000 EL2 round trips, ours and the stub's
 * @bench: results, CNTVCT ticks per 1000 calls, best and median of
 *	   A64_EL2_BENCH_REPS
 *
 * Measures our A64_HC_PING, gives EL2 back, measures the same call answered
 * by the hyp stub, and takes EL2 again: both figures come from one boot, one
 * CPU, interrupts off.  Call with preemption disabled.
 *
 * Return: 0, or the error of taking EL2.
 */
int a64_el2_bench_this_cpu(struct a64_el2_bench *bench)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = take_this_cpu();
	if (!ret) {
		bench_ping(&bench->ours_best, &bench->ours_median);
		release_this_cpu();
		bench_ping(&bench->stub_best, &bench->stub_median);
		ret = take_this_cpu();
	}
	local_irq_restore(flags);
	return ret;
}

/**
 * a64_parange() - the system-wide ID_AA64MMFR0_EL1.PARange
 *
 * Return: the field, sanitised (the smallest of all CPUs').
 */
unsigned int a64_parange(void)
{
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);

	return cpuid_feature_extract_unsigned_field(mmfr0, ID_AA64MMFR0_EL1_PARANGE_SHIFT);
}

/**
 * a64_el2_max_ipa_bits() - the largest IPA size stage 2 can offer here
 *
 * Return: bits, from the system-wide (sanitised) ID_AA64MMFR0_EL1.PARange:
 * a vCPU may run on any CPU, so the smallest CPU's; at most 48 (4K granule).
 */
unsigned int a64_el2_max_ipa_bits(void)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48 };
	unsigned int parange = a64_parange();

	return bits[min_t(unsigned int, parange, ARRAY_SIZE(bits) - 1)];
}

static void take_cpu_fn(void *info)
{
	int *ret = info;

	*ret = take_this_cpu();
}

static void release_cpu_fn(void *unused)
{
	release_this_cpu();
}

/* CPU hotplug, on the CPU itself: a CPU coming online gets our EL2. */
static int el2_cpu_online(unsigned int cpu)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = take_this_cpu();
	local_irq_restore(flags);
	/*
	 * Failing would fail the CPU's onlining for the whole system; the CPU
	 * comes up without our EL2 instead, and a64_el2_ensure_owned() tries
	 * again before it is needed.
	 */
	if (ret)
		pr_warn(A64_NAME ": CPU%u online without a64vcpu EL2 (%d)\n",
			cpu, ret);
	return 0;
}

static int el2_cpu_offline(unsigned int cpu)
{
	unsigned long flags;

	local_irq_save(flags);
	release_this_cpu();
	local_irq_restore(flags);
	return 0;
}

static void free_el2_memory(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct el2_cpu *c = per_cpu_ptr(&el2_cpus, cpu);

		a64_page_free(c->hyp);
		a64_page_free(c->stack);
		c->hyp = NULL;
		c->stack = NULL;
	}
	a64_el2_pgtable_destroy(&el2.pgt);
	a64_pages_free_exact(el2.image, el2.image_size);
	el2.image = NULL;
}

static int alloc_el2_memory(void)
{
	size_t text = hyp_offset(hyp_text_end);
	size_t rodata = hyp_offset(hyp_rodata_end);
	unsigned int cpu;
	int ret;

	el2.image_size = hyp_offset(hyp_image_end);
	el2.image = a64_pages_alloc_exact(el2.image_size);
	if (!el2.image)
		return -ENOMEM;
	memcpy(el2.image, hyp_symbol(hyp_image_start), el2.image_size);
	/* hyp_init runs its first instructions with EL2's MMU and caches off. */
	a64_dcache_clean_inval_poc((unsigned long)el2.image,
				   (unsigned long)el2.image + el2.image_size);
	dsb(sy);
	caches_clean_inval_pou((unsigned long)el2.image,
			       (unsigned long)el2.image + el2.image_size);

	ret = a64_el2_pgtable_init(&el2.pgt);
	if (ret)
		return ret;
	ret = a64_el2_map(&el2.pgt, virt_to_phys(el2.image), text, A64_EL2_RX);
	if (!ret && rodata > text)
		ret = a64_el2_map(&el2.pgt, virt_to_phys(el2.image) + text,
				  rodata - text, A64_EL2_RO);
	if (!ret && el2.image_size > rodata)
		ret = a64_el2_map(&el2.pgt, virt_to_phys(el2.image) + rodata,
				  el2.image_size - rodata, A64_EL2_RW);
	if (ret)
		return ret;

	for_each_possible_cpu(cpu) {
		struct el2_cpu *c = per_cpu_ptr(&el2_cpus, cpu);

		c->hyp = a64_page_alloc();
		c->stack = a64_page_alloc();
		if (!c->hyp || !c->stack)
			return -ENOMEM;
		/* EL2 switches the GIC's virtual interface only if there is one. */
		c->hyp->gicv3 = cpus_have_cap(ARM64_HAS_SYSREG_GIC_CPUIF);
		/* Where EL2 sends the CPU after an exception it did not expect. */
		c->hyp->panic_fn = (u64)a64_el2_panic;
		ret = a64_el2_map(&el2.pgt, virt_to_phys(c->hyp), PAGE_SIZE,
				  A64_EL2_RW);
		if (!ret)
			ret = a64_el2_map(&el2.pgt, virt_to_phys(c->stack),
					  PAGE_SIZE, A64_EL2_RW);
		if (ret)
			return ret;
	}
	return 0;
}

static int check_host(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);

	if (is_kernel_in_hyp_mode()) {
		pr_err(A64_NAME ": the kernel runs at EL2 (VHE) and owns it; boot with kvm-arm.mode=none id_aa64mmfr1.vh=0 for an nVHE host\n");
		return -ENODEV;
	}
	if (!cpuid_feature_extract_unsigned_field(pfr0, ID_AA64PFR0_EL1_EL2_SHIFT)) {
		pr_err(A64_NAME ": this CPU has no EL2, or Linux was booted at EL1 under a hypervisor that hides it (QEMU: -M virt,virtualization=on)\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * a64_el2_init() - take EL2 on every online CPU and follow CPU hotplug
 *
 * Return: 0, or a negative errno with every CPU back on the hyp stub and
 * every page freed.
 */
int a64_el2_init(void)
{
	unsigned int cpu;
	int ret;

	BUILD_BUG_ON(sizeof(struct a64_hyp_cpu) > PAGE_SIZE);

	ret = check_host();
	if (ret)
		return ret;
	a64_spectre_init();
	ret = alloc_el2_memory();
	if (ret)
		goto free_memory;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		int cpu_ret = -EIO;

		smp_call_function_single(cpu, take_cpu_fn, &cpu_ret, 1);
		if (cpu_ret) {
			ret = cpu_ret;
			goto release_cpus;
		}
	}
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "a64vcpu:el2",
						   el2_cpu_online,
						   el2_cpu_offline);
	if (ret < 0)
		goto release_cpus;
	el2.hp_state = ret;
	cpus_read_unlock();
	return 0;

release_cpus:
	on_each_cpu(release_cpu_fn, NULL, 1);
	cpus_read_unlock();
free_memory:
	free_el2_memory();
	return ret;
}

/**
 * a64_el2_exit() - give EL2 back to the hyp stub on every CPU, free it all
 */
void a64_el2_exit(void)
{
	cpus_read_lock();
	cpuhp_remove_state_nocalls_cpuslocked(el2.hp_state);
	on_each_cpu(release_cpu_fn, NULL, 1);
	cpus_read_unlock();
	free_el2_memory();
}
