// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 translation: guest-physical (IPA) to host-physical, one table tree
 * per stage-2 space, built and owned by the module (userspace names a space
 * by id, never by address).  4 KiB granule, 4 KiB pages.  The IPA size picks
 * the geometry the way KVM does: as few levels as possible, with up to 16
 * concatenated tables at the start level, so 32-bit IPAs start at level 2,
 * 36..43 bits at level 1 and 44..48 bits at level 0 (four levels).
 *
 * Entries are made on demand (mem_fault.c) and removed when the host takes
 * the memory back (mmu_notifier.c), both under the VM's mmu_lock, with
 * ordinary stores: hardware walks are write-back cacheable
 * (VTCR_EL2.IRGN0/ORGN0), coherent with them.  Leaves go invalid, then
 * the VMID's TLB entries are invalidated on every CPU, before the memory
 * behind them is released (break-before-make).  Pages are 4 KiB; blocks
 * of 2 MiB (level 2) and 1 GiB (level 1) map host huge pages.
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

static bool is_table(u64 entry, unsigned int level)
{
	return level < 3 && (entry & PMD_TYPE_MASK) == PMD_TYPE_TABLE;
}

static u64 *table_of(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_LOW);
}

/**
 * a64_s2_cache_topup() - fill a table-page cache before taking the lock
 * @cache: the cache
 *
 * The VM's mmu_lock is a spinlock that the MMU notifier takes, also in
 * reclaim: no allocation may happen under it, so the tables a mapping may
 * need (one per level below the start) are allocated here first.
 *
 * Return: 0 or -ENOMEM.
 */
int a64_s2_cache_topup(struct a64_s2_cache *cache)
{
	while (cache->nr < ARRAY_SIZE(cache->pages)) {
		void *page = a64_page_alloc();

		if (!page)
			return -ENOMEM;
		cache->pages[cache->nr++] = page;
	}
	return 0;
}

/**
 * a64_s2_cache_free() - give a cache's pages back
 * @cache: the cache
 */
void a64_s2_cache_free(struct a64_s2_cache *cache)
{
	while (cache->nr)
		a64_page_free(cache->pages[--cache->nr]);
}

static unsigned long *level_count(struct a64_stage2 *s2, unsigned int level)
{
	return &s2->nr_mapped[level - 1];
}

/*
 * Replace an empty next-level table at @entry by a block: the walker may
 * hold the table entry, so break (invalid, TLBI), then make.  Returns false
 * if the table still maps something (the caller maps a page instead).
 */
static bool table_to_block(struct a64_stage2 *s2, u64 *entry)
{
	u64 *table = table_of(*entry);
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++)
		if (table[i] & PTE_VALID)
			return false;
	WRITE_ONCE(*entry, 0);
	a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
	a64_page_free(table);
	return true;
}

/**
 * a64_stage2_map() - map a page or block, normal write-back memory
 * @s2: the space, its VM's mmu_lock held
 * @ipa: guest-physical address, aligned to the mapping's size
 * @pa: the host memory, aligned likewise
 * @level: 3 for a 4 KiB page, 2 for a 2 MiB block, 1 for 1 GiB
 * @prot: A64_S2_W, A64_S2_X (always readable)
 * @cache: the tables the walk may need (a64_s2_cache_topup())
 *
 * An entry already there for the same memory keeps its permissions and
 * gains @prot's (permissions only widen: no break-before-make is needed,
 * a stale narrower TLB entry only faults again).  Anything else in the
 * way is the caller's race with an unmap: it is replaced break-before-make.
 *
 * Return: 1 if a new entry was made (new memory for the guest: the caller
 * did its cache maintenance), 0 if an entry was widened or already
 * allowed @prot, -EEXIST if a larger block or a non-empty table is in the
 * way (map a smaller size), -ENOMEM if @cache ran out.
 */
int a64_stage2_map(struct a64_stage2 *s2, u64 ipa, phys_addr_t pa,
		   unsigned int level, unsigned int prot, struct a64_s2_cache *cache)
{
	u64 *table = s2->pgd, *entry, old, new;
	unsigned int l;

	for (l = s2->start_level; l < level; l++) {
		entry = entry_at(s2, table, l, ipa);
		old = READ_ONCE(*entry);
		if (!(old & PTE_VALID)) {
			if (!cache->nr)
				return -ENOMEM;
			table = cache->pages[--cache->nr];
			WRITE_ONCE(*entry, virt_to_phys(table) | PMD_TYPE_TABLE);
			continue;
		}
		if (!is_table(old, l))
			return -EEXIST;		/* a block maps it already */
		table = table_of(old);
	}

	entry = entry_at(s2, table, level, ipa);
	old = READ_ONCE(*entry);
	new = (pa & PTE_ADDR_LOW) | (level == 3 ? PTE_TYPE_PAGE : PMD_TYPE_SECT) |
	      S2_MEMATTR_NORMAL_WB | PTE_SHARED | PTE_AF | S2_AP_RO |
	      (prot & A64_S2_W ? S2_AP_RW : 0) | (prot & A64_S2_X ? 0 : A64_S2_XN);
	if (is_table(old, level) && !table_to_block(s2, entry))
		return -EEXIST;
	if ((old & PTE_VALID) && !is_table(old, level)) {
		if ((old & PTE_ADDR_LOW) == (pa & PTE_ADDR_LOW)) {
			/* Widen: more access, execute (XN clear), AF set. */
			new = (old | (new & (S2_AP_RW | PTE_AF))) & (new | ~A64_S2_XN);
			if (new != old)
				WRITE_ONCE(*entry, new);
			return 0;
		}
		WRITE_ONCE(*entry, 0);
		a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
		(*level_count(s2, level))--;
	}
	WRITE_ONCE(*entry, new);
	(*level_count(s2, level))++;
	return 1;
}

/**
 * a64_stage2_leaf() - the page or block entry that maps an address
 * @s2: the space, its VM's mmu_lock held
 * @ipa: guest-physical address
 *
 * Return: the entry, or 0 if nothing maps @ipa.
 */
u64 a64_stage2_leaf(struct a64_stage2 *s2, u64 ipa)
{
	u64 *table = s2->pgd;
	unsigned int level;

	for (level = s2->start_level; level <= 3; level++) {
		u64 entry = READ_ONCE(*entry_at(s2, table, level, ipa));

		if (!(entry & PTE_VALID))
			return 0;
		if (!is_table(entry, level))
			return entry;
		table = table_of(entry);
	}
	return 0;
}

enum s2_walk_op {
	S2_UNMAP,	/* clear every leaf */
	S2_TEST_YOUNG,	/* is any leaf's AF set? */
	S2_CLEAR_YOUNG,	/* clear the AFs */
	S2_EACH_LEAF,	/* call fn on each */
};

struct s2_walk {
	enum s2_walk_op op;
	u64 start, end;		/* IPA range */
	bool hit;		/* something cleared, or young */
	void (*fn)(phys_addr_t pa, u64 size, void *arg);
	void *arg;
};

static void walk_leaf(struct a64_stage2 *s2, u64 *entry, unsigned int level, u64 ipa,
		      struct s2_walk *w)
{
	u64 old = READ_ONCE(*entry), size = 1ULL << level_shift(level);
	u64 from = max(ipa, w->start), to = min(ipa + size, w->end);

	switch (w->op) {
	case S2_UNMAP:
		WRITE_ONCE(*entry, 0);
		(*level_count(s2, level))--;
		w->hit = true;
		break;
	case S2_TEST_YOUNG:
		w->hit |= old & PTE_AF;
		break;
	case S2_CLEAR_YOUNG:
		if (old & PTE_AF) {
			WRITE_ONCE(*entry, old & ~PTE_AF);
			w->hit = true;
		}
		break;
	case S2_EACH_LEAF:	/* the part in the range */
		w->fn((old & PTE_ADDR_LOW) + (from - ipa), to - from, w->arg);
		break;
	}
}

/*
 * The entries of @table (at @level, mapping from @base) that overlap
 * [w->start, w->end).  A block only partly in the range counts whole: an
 * unmap takes all of it (the guest faults the rest back in).
 */
static void walk_table(struct a64_stage2 *s2, u64 *table, unsigned int level, u64 base,
		       u64 span, struct s2_walk *w)
{
	u64 size = 1ULL << level_shift(level);
	u64 first = max(w->start, base), last = min(w->end, base + span);
	u64 ipa;

	for (ipa = first & ~(size - 1); ipa < last; ipa += size) {
		u64 *entry = entry_at(s2, table, level, ipa);
		u64 old = READ_ONCE(*entry);

		if (!(old & PTE_VALID))
			continue;
		if (is_table(old, level))
			walk_table(s2, table_of(old), level + 1, ipa, size, w);
		else
			walk_leaf(s2, entry, level, ipa, w);
	}
}

static bool walk(struct a64_stage2 *s2, struct s2_walk *w)
{
	walk_table(s2, s2->pgd, s2->start_level, 0, 1ULL << s2->ipa_bits, w);
	return w->hit;
}

/**
 * a64_stage2_unmap() - clear a range's entries, without TLB invalidation
 * @s2: the space, its VM's mmu_lock held
 * @ipa: start
 * @size: bytes
 *
 * The caller invalidates the VMID (a64_el2_tlbi_vmid()) when this returns
 * true, before the memory behind the entries goes anywhere.  Tables stay
 * (freed with the space, or when a block takes their place).
 *
 * Return: true if anything was unmapped.
 */
bool a64_stage2_unmap(struct a64_stage2 *s2, u64 ipa, u64 size)
{
	struct s2_walk w = { .op = S2_UNMAP, .start = ipa, .end = ipa + size };

	return walk(s2, &w);
}

/**
 * a64_stage2_age() - test or clear the access flags of a range
 * @s2: the space, its VM's mmu_lock held
 * @ipa: start
 * @size: bytes
 * @clear: clear them (the guest's next access takes an access-flag fault)
 *
 * Return: true if any entry had its access flag set.
 */
bool a64_stage2_age(struct a64_stage2 *s2, u64 ipa, u64 size, bool clear)
{
	struct s2_walk w = {
		.op = clear ? S2_CLEAR_YOUNG : S2_TEST_YOUNG,
		.start = ipa, .end = ipa + size,
	};

	return walk(s2, &w);
}

/**
 * a64_stage2_for_each_leaf() - call @fn on each mapping of a range
 * @s2: the space, its VM's mmu_lock held
 * @ipa: start
 * @size: bytes
 * @fn: called with the host physical address and size of each page or
 *	block, or of the part of it in the range
 * @arg: passed to @fn
 */
void a64_stage2_for_each_leaf(struct a64_stage2 *s2, u64 ipa, u64 size,
			      void (*fn)(phys_addr_t pa, u64 size, void *arg), void *arg)
{
	struct s2_walk w = {
		.op = S2_EACH_LEAF, .start = ipa, .end = ipa + size, .fn = fn, .arg = arg,
	};

	walk(s2, &w);
}

static void free_tables(struct a64_stage2 *s2, u64 *table, unsigned int level,
			unsigned long entries)
{
	unsigned long i;

	for (i = 0; i < entries; i++) {
		u64 *next;

		if (!is_table(table[i], level))
			continue;
		next = table_of(table[i]);
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
