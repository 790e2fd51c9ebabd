// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 translation: guest-physical (IPA) to host-physical, one table tree
 * per stage-2 space, built and owned by the module (userspace names a space
 * by id, never by address).  4 KiB granule, 4 KiB pages.  The IPA size picks
 * the geometry the way KVM does: as few levels as possible, with up to 16
 * concatenated tables at the start level, so 32-bit IPAs start at level 2,
 * 36..43 bits at level 1 and 44..48 bits at level 0 (four levels).
 *
 * Updates happen under the VM's lock with ordinary stores: hardware walks
 * are write-back cacheable (VTCR_EL2.IRGN0/ORGN0), coherent with them.
 * Leaves go invalid, then the VMID's TLB entries are invalidated on every
 * CPU, before the pages behind them are released (break-before-make).
 */
#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/kvm_arm.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>

#include "a64vcpu.h"

/*
 * Descriptor bits come from asm/pgtable-hwdef.h (a table descriptor at
 * levels 0-2 has the type bits of PMD_TYPE_TABLE, a page at level 3 those of
 * PTE_TYPE_PAGE), except S2AP: the kernel defines it only inside KVM.
 */
/* Outer and inner write-back; with HCR_EL2.FWB, forced write-back (cache.c). */
#define S2_MEMATTR_NORMAL_WB	PTE_S2_MEMATTR(a64_stage2_fwb() ? MT_S2_FWB_NORMAL : MT_S2_NORMAL)
#define S2_AP_RO		BIT_ULL(6)			/* S2AP 0b01 */
#define S2_AP_RW		(BIT_ULL(7) | BIT_ULL(6))	/* S2AP 0b11 */

/* Log2 of the size an entry at @level (0..3) maps. */
static unsigned int level_shift(unsigned int level)
{
	return ARM64_HW_PGTABLE_LEVEL_SHIFT(level);
}

/* Levels needed with up to 16 (2^4) concatenated start tables, as KVM. */
static unsigned int start_level(unsigned int ipa_bits)
{
	return 4 - ARM64_HW_PGTABLE_LEVELS(ipa_bits - 4);
}

/**
 * a64_stage2_vtcr() - VTCR_EL2 for an IPA size
 * @ipa_bits: 32..48, validated by the caller
 *
 * T0SZ and SL0 always agree (a mismatch can make the walker read past the
 * start table into host memory).
 *
 * Return: the register value.
 */
u64 a64_stage2_vtcr(unsigned int ipa_bits)
{
	u64 ps = min_t(u64, a64_parange(), ID_AA64MMFR0_EL1_PARANGE_48);

	return VTCR_EL2_FLAGS | (ps << VTCR_EL2_PS_SHIFT) |
	       VTCR_EL2_LVLS_TO_SL0(4 - start_level(ipa_bits)) |
	       VTCR_EL2_T0SZ(ipa_bits);
}

/**
 * a64_stage2_create() - an empty stage-2 space with its own VMID
 * @ipa_bits: 32..48, validated by the caller
 * @id: the id userspace names it by
 *
 * Return: the space, or an ERR_PTR (-ENOMEM, -ENOSPC when out of VMIDs).
 */
struct a64_stage2 *a64_stage2_create(unsigned int ipa_bits, u32 id)
{
	unsigned int level = start_level(ipa_bits);
	unsigned int entries_log2 = ipa_bits - level_shift(level);
	struct a64_stage2 *s2;
	int vmid;

	s2 = kzalloc(sizeof(*s2), GFP_KERNEL_ACCOUNT);
	if (!s2)
		return ERR_PTR(-ENOMEM);
	vmid = a64_vmid_alloc();
	if (vmid < 0) {
		kfree(s2);
		return ERR_PTR(vmid);
	}
	s2->pgd_order = entries_log2 > 9 ? entries_log2 - 9 : 0;
	s2->pgd = a64_pages_alloc_order(s2->pgd_order);
	if (!s2->pgd) {
		a64_vmid_free(vmid);
		kfree(s2);
		return ERR_PTR(-ENOMEM);
	}
	s2->last_ran = alloc_percpu(u64);	/* 0: no vCPU yet */
	if (!s2->last_ran) {
		a64_pages_free_order(s2->pgd, s2->pgd_order);
		a64_vmid_free(vmid);
		kfree(s2);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&s2->slots);
	s2->id = id;
	s2->vmid = vmid;
	s2->start_level = level;
	s2->ipa_bits = ipa_bits;
	return s2;
}

/**
 * a64_stage2_vttbr() - VTTBR_EL2 for a space: its tables and VMID
 * @s2: the space
 *
 * Return: the register value.
 */
u64 a64_stage2_vttbr(const struct a64_stage2 *s2)
{
	return virt_to_phys(s2->pgd) | ((u64)s2->vmid << VTTBR_VMID_SHIFT);
}

static u64 *entry_at(struct a64_stage2 *s2, u64 *table, unsigned int level,
		     u64 ipa)
{
	u64 idx = ipa >> level_shift(level);

	/* The start level's index spans the concatenated tables. */
	if (level == s2->start_level)
		idx &= (1ULL << (s2->ipa_bits - level_shift(level))) - 1;
	else
		idx &= PTRS_PER_PTE - 1;
	return &table[idx];
}

/* The level-3 table covering @ipa, allocated on the way if @alloc. */
static u64 *leaf_table(struct a64_stage2 *s2, u64 ipa, bool alloc)
{
	u64 *table = s2->pgd;
	unsigned int level;

	for (level = s2->start_level; level < 3; level++) {
		u64 *entry = entry_at(s2, table, level, ipa);

		if (!(*entry & PTE_VALID)) {
			u64 *next;

			if (!alloc)
				return NULL;
			next = a64_page_alloc();
			if (!next)
				return NULL;
			WRITE_ONCE(*entry, virt_to_phys(next) | PMD_TYPE_TABLE);
		}
		table = phys_to_virt(*entry & PTE_ADDR_LOW);
	}
	return table;
}

/**
 * a64_stage2_prepare() - allocate the tables a range will need
 * @s2: the space
 * @ipa: page-aligned start
 * @size: page-aligned size, inside the space
 *
 * After this, a64_stage2_map() cannot fail in the range.  Tables already
 * allocated on an error stay: they are empty and freed with the space.
 *
 * Return: 0 or -ENOMEM.
 */
int a64_stage2_prepare(struct a64_stage2 *s2, u64 ipa, u64 size)
{
	u64 end = ipa + size, step = 1ULL << level_shift(2);

	for (ipa &= ~(step - 1); ipa < end; ipa += step)
		if (!leaf_table(s2, ipa, true))
			return -ENOMEM;
	return 0;
}

/**
 * a64_stage2_map() - map one page, normal write-back memory
 * @s2: the space, its tables prepared for @ipa
 * @ipa: page-aligned guest-physical address
 * @pa: the host page
 * @ro: read-only (guest writes fault)
 */
void a64_stage2_map(struct a64_stage2 *s2, u64 ipa, phys_addr_t pa, bool ro)
{
	u64 *table = leaf_table(s2, ipa, false);

	if (WARN_ON_ONCE(!table))
		return;
	WRITE_ONCE(*entry_at(s2, table, 3, ipa),
		   (pa & PTE_ADDR_LOW) | PTE_TYPE_PAGE | S2_MEMATTR_NORMAL_WB |
		   (ro ? S2_AP_RO : S2_AP_RW) | PTE_SHARED | PTE_AF);
}

/**
 * a64_stage2_unmap() - unmap a range and invalidate it on every CPU
 * @s2: the space
 * @ipa: page-aligned start
 * @size: page-aligned size
 *
 * When this returns no CPU can reach the pages through @s2 any more.  A
 * slot can be 64 GiB: the loop gives the CPU up every 2 MiB.
 */
void a64_stage2_unmap(struct a64_stage2 *s2, u64 ipa, u64 size)
{
	u64 end = ipa + size;

	for (; ipa < end; ipa += PAGE_SIZE) {
		u64 *table = leaf_table(s2, ipa, false);

		if (table)
			WRITE_ONCE(*entry_at(s2, table, 3, ipa), 0);
		if (!((ipa >> PAGE_SHIFT) % PTRS_PER_PTE))
			cond_resched();
	}
	a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
}

static void free_tables(struct a64_stage2 *s2, u64 *table, unsigned int level,
			unsigned long entries)
{
	unsigned long i;

	if (level == 3)
		return;
	for (i = 0; i < entries; i++) {
		u64 *next;

		if (!(table[i] & PTE_VALID))
			continue;
		next = phys_to_virt(table[i] & PTE_ADDR_LOW);
		free_tables(s2, next, level + 1, PTRS_PER_PTE);
		a64_page_free(next);
	}
}

/**
 * a64_stage2_destroy() - free a space: tables, TLB entries, VMID
 * @s2: the space, its slots already gone, no vCPU running on it
 */
void a64_stage2_destroy(struct a64_stage2 *s2)
{
	a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
	free_tables(s2, s2->pgd, s2->start_level,
		    1UL << (s2->ipa_bits - level_shift(s2->start_level)));
	a64_pages_free_order(s2->pgd, s2->pgd_order);
	a64_vmid_free(s2->vmid);
	free_percpu(s2->last_ran);
	kfree(s2);
}

static atomic64_t s2_tokens, local_tlbis;

/**
 * a64_stage2_new_token() - a token for a vCPU's new stage-2 assignment
 *
 * A vCPU takes a new one when it is created and on every A64VCPU_SET_STAGE2,
 * so that no two assignments share one, ever (64 bits do not wrap).
 *
 * Return: the token, never 0.
 */
u64 a64_stage2_new_token(void)
{
	return atomic64_inc_return(&s2_tokens);
}

/**
 * a64_stage2_enter_this_cpu() - must this CPU's EL1 TLB for a space be
 *	invalidated before this entry?
 * @s2: the space the vCPU is about to enter
 * @token: the vCPU's token for its assignment to @s2
 *
 * KVM's last_vcpu_ran, per stage-2 space and CPU.  A guest invalidates its
 * own stage-1 entries with TLBIs that HCR_EL2.FB broadcasts (and BSU makes
 * its DSBs wait for), but only under the VMID it runs with.  Entries left
 * under this VMID on this CPU by another vCPU of the space, or by this vCPU
 * during an earlier assignment to the space (its guest's invalidations
 * since then went to another VMID), were never invalidated for it: a new
 * token here means a local TLBI VMALLE1 (A64_ENTRY_TLBI_LOCAL).  A vCPU
 * that comes back to a CPU where it was the last of the space to run needs
 * none: its own invalidations reached that CPU.  Over-invalidating (an
 * entry that then fails) is harmless.  Interrupts off, until the entry.
 *
 * Return: true if the entry must invalidate (this CPU now records @token).
 */
bool a64_stage2_enter_this_cpu(struct a64_stage2 *s2, u64 token)
{
	u64 *last = this_cpu_ptr(s2->last_ran);

	lockdep_assert_irqs_disabled();
	if (*last == token)
		return false;
	*last = token;
	atomic64_inc(&local_tlbis);
	return true;
}

/**
 * a64_stage2_local_tlbis() - a64_stage2_enter_this_cpu() flushes since load
 *
 * Return: the count.
 */
u64 a64_stage2_local_tlbis(void)
{
	return atomic64_read(&local_tlbis);
}
