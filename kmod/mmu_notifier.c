// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage 2 in step with the host: the VM's MMU notifier on its creator's mm.
 * Whenever the host changes or removes a mapping of the VMM's address space
 * (munmap, MADV_DONTNEED, swap-out, migration, compaction, KSM, THP split
 * or collapse, writeback), the stage-2 entries of every slot that is not
 * pinned and overlaps it are removed, and the VMID invalidated on every
 * CPU, before the notifier returns: the host frees or changes nothing a
 * guest can still reach.  Faults (mem_fault.c) map it again afterwards.
 *
 * Under vm->mmu_lock, a spinlock (some invalidations may not sleep, and
 * they come from reclaim): an invalidation counts itself in progress and
 * records its range at the start, and bumps mmu_seq at the end.  A fault
 * that looked the page up meanwhile sees one or the other and retries.
 * One that may sleep lets the lock go now and then on a long unmap.
 *
 * Pinned slots are left alone: their pages are the ones pinned when the
 * slot was set, whatever the VMM maps there afterwards (VFIO's model).
 */
#include <linux/mmu_notifier.h>
#include <linux/sched.h>

#include "a64vcpu.h"

static struct a64_vm *mn_vm(struct mmu_notifier *mn)
{
	return container_of(mn, struct a64_vm, mn);
}

typedef bool (*range_op)(struct a64_stage2 *s2, u64 ipa, u64 size, bool arg);

/*
 * @op on the guest-physical ranges that [@start, @end) of the VMM's
 * address space backs, in every space; a space where it returned true
 * has its VMID invalidated if @flush.  Returns whether any did.
 */
static bool apply_to_gpa_ranges(struct a64_vm *vm, unsigned long start, unsigned long end,
				range_op op, bool arg, bool flush)
{
	struct a64_stage2 *s2;
	struct a64_slot *slot;
	bool any = false;

	lockdep_assert_held(&vm->mmu_lock);
	list_for_each_entry(s2, &vm->stage2s, node) {
		bool hit = false;

		list_for_each_entry(slot, &s2->slots, node) {
			u64 from = max_t(u64, start, slot->uaddr);
			u64 to = min_t(u64, end, slot->uaddr + slot->size);

			if (from >= to || (slot->flags & A64VCPU_MEM_PINNED))
				continue;
			hit |= op(s2, slot->gpa + (from - slot->uaddr), to - from, arg);
		}
		if (hit && flush)
			a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
		any |= hit;
	}
	return any;
}

/*
 * Unmap what [@start, @end) of the VMM's address space backs, in every
 * space, and invalidate the VMIDs of the spaces that had entries there.
 * An unmap can be long (a 64 GiB slot of 4 KiB pages is 16 M entries):
 * where the caller may sleep, it goes 1 GiB at a time and lets the lock go
 * between two when the CPU or the lock is wanted, as KVM does.  A slot may
 * be removed meanwhile (and freed: slots_swap() takes this lock), so when
 * the slots changed it starts again; what it unmapped stays unmapped, as
 * no fault maps into a range being invalidated (or after release).
 */
static bool unmap_hva_range(struct a64_vm *vm, unsigned long start, unsigned long end,
			    bool may_sleep)
{
	unsigned long hit = 0;	/* ids of the spaces where something was unmapped */
	struct a64_stage2 *s2;
	struct a64_slot *slot;
	u64 gen;

	BUILD_BUG_ON(A64_MAX_STAGE2 > BITS_PER_LONG);
	lockdep_assert_held(&vm->mmu_lock);
again:
	gen = vm->slot_gen;
	list_for_each_entry(s2, &vm->stage2s, node) {
		list_for_each_entry(slot, &s2->slots, node) {
			u64 from = max_t(u64, start, slot->uaddr);
			u64 to = min_t(u64, end, slot->uaddr + slot->size);

			if (slot->flags & A64VCPU_MEM_PINNED)
				continue;
			while (from < to) {
				u64 next = may_sleep ? min_t(u64, to, ALIGN(from + 1, SZ_1G)) : to;
				u64 ipa = slot->gpa + (from - slot->uaddr);

				if (a64_stage2_unmap(s2, ipa, next - from))
					__set_bit(s2->id, &hit);
				from = next;
				if (from < to && may_sleep && cond_resched_lock(&vm->mmu_lock) &&
				    vm->slot_gen != gen)
					goto again;
			}
		}
	}
	list_for_each_entry(s2, &vm->stage2s, node)
		if (test_bit(s2->id, &hit))
			a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
	return hit;
}

static int mn_invalidate_range_start(struct mmu_notifier *mn,
				     const struct mmu_notifier_range *range)
{
	struct a64_vm *vm = mn_vm(mn);

	spin_lock(&vm->mmu_lock);
	if (!vm->mmu_invalidating++) {
		vm->inval_start = range->start;
		vm->inval_end = range->end;
	} else {
		vm->inval_start = min(vm->inval_start, range->start);
		vm->inval_end = max(vm->inval_end, range->end);
	}
	if (unmap_hva_range(vm, range->start, range->end, mmu_notifier_range_blockable(range)))
		vm->stat_invalidations++;
	spin_unlock(&vm->mmu_lock);
	return 0;
}

static void mn_invalidate_range_end(struct mmu_notifier *mn,
				    const struct mmu_notifier_range *range)
{
	struct a64_vm *vm = mn_vm(mn);

	spin_lock(&vm->mmu_lock);
	vm->mmu_seq++;
	if (!WARN_ON_ONCE(!vm->mmu_invalidating))
		vm->mmu_invalidating--;
	spin_unlock(&vm->mmu_lock);
}

static bool age_op(struct a64_stage2 *s2, u64 ipa, u64 size, bool clear)
{
	return a64_stage2_age(s2, ipa, size, clear);
}

/*
 * Stage 2 sets no access flag by itself (no VTCR_EL2.HA): a cleared one
 * makes the guest's next access take an access-flag fault, which maps the
 * page young again.  Reclaim then sees which guest pages are in use.
 */
static int age(struct mmu_notifier *mn, unsigned long start, unsigned long end,
	       bool clear, bool flush)
{
	struct a64_vm *vm = mn_vm(mn);
	bool young;

	spin_lock(&vm->mmu_lock);
	young = apply_to_gpa_ranges(vm, start, end, age_op, clear, flush);
	spin_unlock(&vm->mmu_lock);
	return young;
}

static int mn_clear_flush_young(struct mmu_notifier *mn, struct mm_struct *mm,
				unsigned long start, unsigned long end)
{
	return age(mn, start, end, true, true);
}

/* Without the flush, as the kernel allows: a stale TLB entry only delays the fault. */
static int mn_clear_young(struct mmu_notifier *mn, struct mm_struct *mm,
			  unsigned long start, unsigned long end)
{
	return age(mn, start, end, true, false);
}

static int mn_test_young(struct mmu_notifier *mn, struct mm_struct *mm,
			 unsigned long address)
{
	return age(mn, address, address + PAGE_SIZE, false, false);
}

/*
 * A PTE changed in place (KSM merging a page, a COW): always between an
 * invalidate_range_start() and its end, which removed the stage-2 entry
 * already; the guest's next access faults the new page in.
 */
static void mn_change_pte(struct mmu_notifier *mn, struct mm_struct *mm,
			  unsigned long address, pte_t pte)
{
	struct a64_vm *vm = mn_vm(mn);

	WARN_ON_ONCE(!READ_ONCE(vm->mmu_invalidating));
}

/*
 * The address space is going away (its last user exited): nothing of it
 * may stay mapped, and no fault maps it again.  Called where it may sleep.
 */
static void mn_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct a64_vm *vm = mn_vm(mn);

	spin_lock(&vm->mmu_lock);
	vm->mm_released = true;
	unmap_hva_range(vm, 0, ULONG_MAX, true);
	spin_unlock(&vm->mmu_lock);
}

static const struct mmu_notifier_ops a64_mmu_notifier_ops = {
	.invalidate_range_start	= mn_invalidate_range_start,
	.invalidate_range_end	= mn_invalidate_range_end,
	.clear_flush_young	= mn_clear_flush_young,
	.clear_young		= mn_clear_young,
	.test_young		= mn_test_young,
	.change_pte		= mn_change_pte,
	.release		= mn_release,
};

/**
 * a64_mmu_notifier_register() - follow the caller's mm for a new VM
 * @vm: the VM, its mm the caller's
 *
 * Return: 0 or a negative errno.
 */
int a64_mmu_notifier_register(struct a64_vm *vm)
{
	vm->mn.ops = &a64_mmu_notifier_ops;
	return mmu_notifier_register(&vm->mn, vm->mm);
}

/**
 * a64_mmu_notifier_unregister() - stop following it, once no callback runs
 * @vm: the VM being freed
 */
void a64_mmu_notifier_unregister(struct a64_vm *vm)
{
	mmu_notifier_unregister(&vm->mn, vm->mm);
}
