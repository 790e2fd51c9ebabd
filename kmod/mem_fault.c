// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory on demand: a stage-2 fault inside a slot that is not pinned
 * is resolved here, in the vCPU's thread, without an exit to userspace.
 * The page is faulted in for the VMM's mm (which is current->mm: a VM is
 * used only from its creator), mapped, and its reference dropped: from
 * then on the MMU notifier (mmu_notifier.c) keeps the stage-2 entry from
 * outliving the host's mapping.
 *
 * The retry protocol is KVM's: the notifier's sequence count is read under
 * the VM's mmu_lock before the page is looked up without it; the entry is
 * made under the lock only if no invalidation has ended since and none
 * covering the range is running.  Otherwise the page is dropped and the
 * guest re-executes the access.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>

#include "a64vcpu.h"

/* A copy of what the fault needs of its slot, taken under the lock. */
struct fault_slot {
	u64 gpa, size, uaddr, gen;
	u32 flags;
};

/*
 * The size the host maps @hva with (stage-2 level 1, 2 or 3), read
 * locklessly from the VMM's page tables, as KVM does: called under
 * mmu_lock with no invalidation of the range running and none finished
 * since the page was looked up, so the tables cannot change or go away
 * under the walk (changing them takes the notifier first).
 */
static unsigned int host_level(struct mm_struct *mm, unsigned long hva)
{
	pgd_t *pgd = pgd_offset(mm, hva);
	p4d_t *p4d;
	pud_t *pud, pudv;
	pmd_t pmdv;

	if (pgd_none(READ_ONCE(*pgd)))
		return 3;
	p4d = p4d_offset(pgd, hva);
	if (p4d_none(READ_ONCE(*p4d)))
		return 3;
	pud = pud_offset(p4d, hva);
	pudv = READ_ONCE(*pud);
	if (pud_none(pudv))
		return 3;
	if (pud_leaf(pudv))
		return 1;
	pmdv = READ_ONCE(*pmd_offset(pud, hva));
	return pmd_leaf(pmdv) ? 2 : 3;
}

/*
 * Can @ipa be mapped with a block of @level?  The slot must cover the
 * whole block, host and guest addresses must agree within it, and a start
 * level cannot hold blocks at level 0.
 */
static bool block_fits(const struct fault_slot *fs, struct a64_stage2 *s2, u64 ipa,
		       unsigned long hva, unsigned int level)
{
	u64 size = 1ULL << ARM64_HW_PGTABLE_LEVEL_SHIFT(level);
	u64 base = ipa & ~(size - 1);

	return level >= max(s2->start_level, 1U) && !((ipa ^ hva) & (size - 1)) &&
	       base >= fs->gpa && base + size <= fs->gpa + fs->size;
}

static bool must_retry(struct a64_vm *vm, unsigned long seq, unsigned long hva, u64 size)
{
	unsigned long start = hva & ~(size - 1);

	lockdep_assert_held(&vm->mmu_lock);
	if (vm->mmu_invalidating && start < vm->inval_end && vm->inval_start < start + size)
		return true;
	return vm->mmu_seq != seq || vm->mm_released;
}

/* A PIPT L1 instruction cache (CTR_EL0.L1Ip): by-VA maintenance reaches every alias. */
static bool icache_pipt(void)
{
	u64 ctr = read_sanitised_ftr_reg(SYS_CTR_EL0);

	return cpuid_feature_extract_unsigned_field(ctr, CTR_EL0_L1Ip_SHIFT) == CTR_EL0_L1Ip_PIPT;
}

/*
 * Memory about to be mapped at @ipa (@size bytes at @pa), before its entry
 * is made: if it is new to the guest there, to the PoC unless FWB forces
 * the guest's view cacheable (the guest may run with its MMU or caches
 * off); if it becomes executable there, the instruction cache made
 * coherent with it (CTR_EL0's IDC and DIC taken into account by the
 * kernel's helper).  An entry that maps it already needs neither.
 */
static void map_maintenance(struct a64_vm *vm, struct a64_stage2 *s2, u64 ipa,
			    phys_addr_t pa, u64 size, bool exec)
{
	unsigned long va = (unsigned long)phys_to_virt(pa);
	u64 old = a64_stage2_leaf(s2, ipa);
	bool same = old && (old & PTE_ADDR_LOW) == pa;

	if (!same && !a64_stage2_fwb()) {
		a64_dcache_clean_inval_poc(va, va + size);
		vm->stat_dcache_pages += size >> PAGE_SHIFT;
	}
	if (exec && (!same || (old & A64_S2_XN))) {
		caches_clean_inval_pou(va, va + size);
		if (!icache_pipt())
			icache_inval_all_pou();
		vm->stat_icache_inval++;
	}
	dsb(ish);	/* done before the entry that lets the guest see it */
}

/* Fault the page at @hva in for the VMM; *writable says how it may be mapped. */
static int get_page_for(unsigned long hva, bool write, bool slot_ro, struct page **page,
			bool *writable)
{
	long n;

	*writable = !slot_ro;
	/* Writable if the host has it so already, as KVM: saves a second fault. */
	if (!slot_ro && get_user_page_fast_only(hva, FOLL_WRITE, page))
		return 0;
	if (!write)
		*writable = false;
	n = get_user_pages_unlocked(hva, 1, page, *writable ? FOLL_WRITE : 0);
	if (n == 1)
		return 0;
	return n < 0 ? n : -EFAULT;
}

/* Under mmu_lock: the largest mapping that fits, then the page. */
static int map_locked(struct a64_vcpu *vcpu, const struct fault_slot *fs, u64 ipa,
		      unsigned long hva, struct page *page, unsigned int prot)
{
	struct a64_stage2 *s2 = vcpu->s2;
	unsigned int level;
	int ret = -EEXIST;

	for (level = host_level(vcpu->vm->mm, hva); level <= 3 && ret == -EEXIST; level++) {
		u64 size = 1ULL << ARM64_HW_PGTABLE_LEVEL_SHIFT(level);
		phys_addr_t pa = page_to_phys(page) - (hva & (size - 1));

		if (level < 3 && !block_fits(fs, s2, ipa, hva, level))
			continue;
		if (level < 3 && must_retry(vcpu->vm, vcpu->mmu_seq, hva, size))
			continue;	/* a part of the block is changing: map the page */
		map_maintenance(vcpu->vm, s2, ipa, pa, size, prot & A64_S2_X);
		ret = a64_stage2_map(s2, ipa & ~(size - 1), pa, level, prot, &vcpu->s2_cache);
	}
	if (ret == -EEXIST) {
		/*
		 * A block maps the page that the host's mapping no longer
		 * allows: take it away (the guest faults the page back in)
		 * rather than leave the guest faulting on it for ever.
		 */
		a64_stage2_unmap(s2, ipa, PAGE_SIZE);
		a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
		return 1;
	}
	return ret;
}

/*
 * The fault inside a slot (@fs, copied under the lock that also read
 * vcpu->mmu_seq): out of line, so that an MMIO access (no slot), which
 * takes every data abort's first look here, does not pay for its frame.
 */
static noinline int fault_in_slot(struct a64_vcpu *vcpu, const struct fault_slot *fs, u64 ipa,
				  bool write, bool exec)
{
	struct a64_vm *vm = vcpu->vm;
	const struct a64_slot *slot;
	unsigned long hva;
	struct page *page;
	bool writable;
	int ret;

	ipa &= PAGE_MASK;	/* block_fits() compares it with the page's hva */
	if (write && (fs->flags & A64VCPU_MEM_READONLY))
		return -EROFS;
	if (fs->flags & A64VCPU_MEM_PINNED)
		return 1;	/* all mapped while set: a race with replacing it */

	ret = a64_s2_cache_topup(&vcpu->s2_cache);
	if (ret)
		return ret;
	hva = fs->uaddr + ipa - fs->gpa;
	ret = get_page_for(hva, write, fs->flags & A64VCPU_MEM_READONLY, &page, &writable);
	if (ret)
		return ret == -EINTR || ret == -ERESTARTSYS ? 1 : ret;

	spin_lock(&vm->mmu_lock);
	slot = a64_vm_find_slot(vcpu->s2, ipa);
	if (!slot || slot->gen != fs->gen || must_retry(vm, vcpu->mmu_seq, hva, PAGE_SIZE)) {
		vm->stat_fault_races++;
		ret = 1;
	} else {
		ret = map_locked(vcpu, fs, ipa, hva, page,
				 (writable ? A64_S2_W : 0) | (exec ? A64_S2_X : 0));
		vm->stat_faults++;
		/* The guest writes behind the host's back: the page is dirty. */
		if (writable && ret >= 0)
			SetPageDirty(page);
	}
	spin_unlock(&vm->mmu_lock);
	put_page(page);
	/*
	 * An entry that already allowed the access (widened, or another vCPU
	 * made it first): this CPU's TLB may hold the narrower one, which a
	 * permission fault does not evict.  KVM invalidates by IPA, locally;
	 * the module has only the VMID-wide invalidation: rare enough.
	 */
	if (!ret)
		a64_el2_tlbi_vmid(a64_stage2_vttbr(vcpu->s2));
	return ret < 0 ? ret : 1;
}

/**
 * a64_mem_fault() - resolve a stage-2 fault on guest memory
 * @vcpu: the vCPU that faulted, in its thread
 * @ipa: the faulting guest-physical address
 * @write: a write (or a stage-1 walk, which may update its tables)
 * @exec: an instruction fetch
 *
 * Return: 1 to re-enter the guest (mapped, or a race: the access is
 * retried), -ENOENT if @ipa is not in a slot (MMIO), -EROFS for a write to
 * a read-only slot (MMIO too), -EFAULT if the VMM has nothing mapped
 * there (or not with the access the slot promises), -ENOMEM, -EINTR.
 */
int a64_mem_fault(struct a64_vcpu *vcpu, u64 ipa, bool write, bool exec)
{
	struct a64_vm *vm = vcpu->vm;
	const struct a64_slot *slot;
	struct fault_slot fs;

	spin_lock(&vm->mmu_lock);
	slot = a64_vm_find_slot(vcpu->s2, ipa);
	if (slot)
		fs = (struct fault_slot){
			slot->gpa, slot->size, slot->uaddr, slot->gen, slot->flags
		};
	vcpu->mmu_seq = vm->mmu_seq;
	spin_unlock(&vm->mmu_lock);
	return slot ? fault_in_slot(vcpu, &fs, ipa, write, exec) : -ENOENT;
}
