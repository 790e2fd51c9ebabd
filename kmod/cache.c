// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cache maintenance for guest memory (Documentation/design.rst, "Cache
 * maintenance").  A guest starts with its MMU and caches off, so its
 * accesses are non-cacheable and go past whatever the host left in the
 * caches: the VMM's image, written through a cacheable mapping, the zeroes
 * of freshly faulted pages.  The rules, as KVM keeps them:
 *
 * - Guest memory is cleaned and invalidated to the Point of Coherency by VA
 *   (the linear map) before the guest can reach it, unless stage 2 forces
 *   write-back (HCR_EL2.FWB, below), and the I-cache is invalidated, every
 *   page being executable through stage 2 (KVM's
 *   stage2_map_walker_try_leaf()).  Slots are mapped when they are set but
 *   a VMM writes its images afterwards (a64vm does), so the first guest
 *   entry of a VM does it for every slot, and a slot set after that does it
 *   before its pages are mapped.
 * - Where every CPU has FEAT_S2FWB, HCR_EL2.FWB is set and stage 2 maps
 *   RAM with the FWB encoding of Normal write-back: the guest's accesses
 *   are cacheable whatever its stage 1 says, no D-cache maintenance is
 *   needed (and, as KVM's __clean_dcache_guest_page() notes, FWB implies
 *   IDC: no clean to the PoU for the I-cache either) and set/way operations
 *   are simply ignored.
 * - Set/way operations (DC ISW/CSW/CISW, trapped by HCR_EL2.TSW) cannot be
 *   virtualised (another CPU's caches, lines the host owns).  They are
 *   emulated as KVM's kvm_set_way_flush() does: the first one cleans and
 *   invalidates all guest memory by VA and sets HCR_EL2.TVM, so that the
 *   guest's writes to its VM registers trap; a write that turns the caches
 *   (SCTLR_EL1.M and .C) on or off cleans and invalidates all of it again,
 *   and once they are on, TVM is cleared (kvm_toggle_cache()).
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

/* Pages cleaned between two cond_resched()s. */
#define CLEAN_BATCH	512

/**
 * a64_stage2_fwb() - does stage 2 force write-back (FEAT_S2FWB, all CPUs)?
 *
 * Return: true if guests run with HCR_EL2.FWB and the FWB memory types.
 */
bool a64_stage2_fwb(void)
{
	return cpus_have_final_cap(ARM64_HAS_STAGE2_FWB);
}

/* The smallest D-cache line of any CPU (sanitised CTR_EL0.DminLine). */
static unsigned long dcache_line(void)
{
	u64 ctr = read_sanitised_ftr_reg(SYS_CTR_EL0);

	return 4UL << cpuid_feature_extract_unsigned_field(ctr, CTR_EL0_DminLine_SHIFT);
}

static void clean_inval_poc(unsigned long start, unsigned long end, unsigned long line)
{
	unsigned long p;

	for (p = start & ~(line - 1); p < end; p += line)
		asm volatile("dc civac, %0" : : "r" (p) : "memory");
}

/**
 * a64_dcache_clean_inval_poc() - clean and invalidate to the PoC by VA
 * @start: first address
 * @end: one past the last
 *
 * No barrier: the caller issues the DSB that completes it.
 */
void a64_dcache_clean_inval_poc(unsigned long start, unsigned long end)
{
	clean_inval_poc(start, end, dcache_line());
}

/*
 * Clean and invalidate a slot's pages to the PoC by VA, without a barrier:
 * the caller issues one DSB for everything it cleaned.  DC CIVAC by VA is
 * broadcast to the inner shareable domain, and a thread that migrates at
 * cond_resched() has its maintenance completed by the context switch
 * (__switch_to()'s dsb ish).
 */
static void slot_clean_inval_poc(const struct a64_slot *slot, unsigned long line)
{
	unsigned long i;

	for (i = 0; i < slot->npages; i++) {
		unsigned long p = (unsigned long)page_address(slot->pages[i]);

		clean_inval_poc(p, p + PAGE_SIZE, line);
		if (!((i + 1) % CLEAN_BATCH))
			cond_resched();
	}
}

struct clean_walk {
	unsigned long line;
	unsigned long pages;
};

static void clean_leaf(phys_addr_t pa, u64 size, void *arg)
{
	struct clean_walk *cw = arg;
	unsigned long va = (unsigned long)phys_to_virt(pa);

	clean_inval_poc(va, va + size, cw->line);
	cw->pages += size >> PAGE_SHIFT;
}

/*
 * Every page stage 2 maps for @vm, to the PoC (pages not mapped yet get
 * theirs when they are: mem_fault.c), 2 MiB of guest memory per hold of
 * mmu_lock.  Returns the pages cleaned.
 */
static unsigned long vm_clean_inval_poc(struct a64_vm *vm)
{
	struct clean_walk cw = { .line = dcache_line() };
	struct a64_stage2 *s2;
	struct a64_slot *slot;

	lockdep_assert_held(&vm->lock);	/* the lists stay */
	list_for_each_entry(s2, &vm->stage2s, node)
		list_for_each_entry(slot, &s2->slots, node) {
			u64 ipa, end = slot->gpa + slot->size;

			u64 next;

			for (ipa = slot->gpa; ipa < end; ipa = next) {
				next = min(end, ALIGN(ipa + 1, SZ_2M));
				spin_lock(&vm->mmu_lock);
				a64_stage2_for_each_leaf(s2, ipa, next - ipa, clean_leaf, &cw);
				spin_unlock(&vm->mmu_lock);
				cond_resched();
			}
		}
	dsb(sy);	/* the maintenance complete, as dcache_clean_inval_poc() */
	return cw.pages;
}

/**
 * a64_cache_map_slot() - maintenance for a slot about to be mapped
 * @vm: the VM, its lock held
 * @slot: the new slot, pinned, not yet in stage 2
 *
 * Before the VM's first entry there is nothing to do: a64_cache_first_entry()
 * cleans every slot after the VMM has written into them.
 */
void a64_cache_map_slot(struct a64_vm *vm, const struct a64_slot *slot)
{
	lockdep_assert_held(&vm->lock);
	if (!vm->entered)
		return;
	if (!a64_stage2_fwb()) {
		slot_clean_inval_poc(slot, dcache_line());
		dsb(sy);
		vm->stat_dcache_pages += slot->npages;
	}
	icache_inval_all_pou();
	vm->stat_icache_inval++;
}

/**
 * a64_cache_first_entry() - maintenance of all guest memory before a VM's
 * first guest entry
 * @vm: the VM
 *
 * Called by every A64VCPU_RUN; only the first does the work.  Once it
 * returns, every slot is clean to the PoC (without FWB) and the I-cache
 * holds nothing of guest memory.
 */
void a64_cache_first_entry(struct a64_vm *vm)
{
	/* acquire: pairs with the release below, the maintenance done */
	if (smp_load_acquire(&vm->entered))
		return;
	mutex_lock(&vm->lock);
	if (!vm->entered) {
		if (!a64_stage2_fwb())
			vm->stat_dcache_pages += vm_clean_inval_poc(vm);
		icache_inval_all_pou();
		vm->stat_icache_inval++;
		/* release: the maintenance is done, slots set from now do their own */
		smp_store_release(&vm->entered, true);
	}
	mutex_unlock(&vm->lock);
}

/* KVM's vcpu_has_cache_enabled(): the MMU and the D-cache both on. */
static bool caches_on(struct a64_vcpu *vcpu)
{
	u64 sctlr = vcpu->ctx->el1[A64_EL1_SCTLR];

	return (sctlr & (SCTLR_ELx_M | SCTLR_ELx_C)) == (SCTLR_ELx_M | SCTLR_ELx_C);
}

/* All guest memory to the PoC, on behalf of @vcpu's set/way emulation. */
static void flush_vm(struct a64_vcpu *vcpu)
{
	struct a64_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	vm->stat_dcache_pages += vm_clean_inval_poc(vm);
	mutex_unlock(&vm->lock);
	vcpu->stat_cache_flush++;
}

/* The EL1 context slot of a register HCR_EL2.TVM traps writes to, or -1. */
static int vm_reg_slot(u32 reg)
{
	switch (reg) {
	case SYS_SCTLR_EL1:
		return A64_EL1_SCTLR;
	case SYS_TTBR0_EL1:
		return A64_EL1_TTBR0;
	case SYS_TTBR1_EL1:
		return A64_EL1_TTBR1;
	case SYS_TCR_EL1:
		return A64_EL1_TCR;
	case SYS_ESR_EL1:
		return A64_EL1_ESR;
	case SYS_FAR_EL1:
		return A64_EL1_FAR;
	case SYS_AFSR0_EL1:
		return A64_EL1_AFSR0;
	case SYS_AFSR1_EL1:
		return A64_EL1_AFSR1;
	case SYS_MAIR_EL1:
		return A64_EL1_MAIR;
	case SYS_AMAIR_EL1:
		return A64_EL1_AMAIR;
	case SYS_CONTEXTIDR_EL1:
		return A64_EL1_CONTEXTIDR;
	}
	return -1;
}

/**
 * a64_cache_sysreg() - set/way operations and VM-register writes trapped
 * for them (HCR_EL2.TSW, HCR_EL2.TVM)
 * @vcpu: the vCPU
 * @reg: the register or SYS instruction, as sys_reg() encodes it
 * @write: an MSR or SYS (*@val holds the value), or an MRS/SYSL
 * @val: the value
 *
 * A VM-register write goes into the vCPU's EL1 context, which EL2 loads on
 * the next entry.
 *
 * Return: A64_SR_DONE, A64_SR_UNDEF (a SYSL on a set/way encoding) or
 * A64_SR_USER (not one of these).
 */
enum a64_sysreg_ret a64_cache_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val)
{
	u64 *hcr = &vcpu->ctx->el2[A64_EL2_HCR];
	bool was_on;
	int slot;

	switch (reg) {
	case SYS_DC_ISW:
	case SYS_DC_CSW:
	case SYS_DC_CISW:
		if (!write)
			return A64_SR_UNDEF;
		vcpu->stat_setway++;
		/* With FWB the guest's accesses are cacheable: nothing to do. */
		if (!a64_stage2_fwb() && !(*hcr & HCR_TVM)) {
			flush_vm(vcpu);
			*hcr |= HCR_TVM;
		}
		return A64_SR_DONE;
	}

	slot = vm_reg_slot(reg);
	if (slot < 0 || !write || !(*hcr & HCR_TVM))
		return A64_SR_USER;
	was_on = caches_on(vcpu);
	vcpu->ctx->el1[slot] = *val;
	vcpu->stat_vm_reg_trap++;
	/* Caches turned on: invalidate; turned off: clean.  Both do both. */
	if (caches_on(vcpu) != was_on)
		flush_vm(vcpu);
	if (caches_on(vcpu))
		*hcr &= ~HCR_TVM;	/* until the next set/way operation */
	return A64_SR_DONE;
}
