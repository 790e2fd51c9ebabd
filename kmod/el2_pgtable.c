// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2's own stage-1 translation: 4 KiB granule, 48-bit VA, four levels
 * (TCR_EL2 in kmod/hyp/entry.S), an identity map (VA == PA) of exactly the
 * pages EL2 touches.  EL1 builds it with ordinary cacheable stores; EL2 walks
 * it with write-back cacheable walks (TCR_EL2.IRGN0/ORGN0), so no cache
 * maintenance is needed beyond the barrier before the first walk.
 *
 * Entries only go from invalid to valid, or from valid to invalid followed
 * by an EL2 TLB invalidation (a64_el2_unshare()), never from one valid
 * entry to another: no break-before-make sequence is needed.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>

#include "a64vcpu.h"

#define EL2_LEVELS		4

/*
 * Descriptor bits from asm/pgtable-hwdef.h.  In the EL2 regime (E2H = 0)
 * AP[1] (PTE_USER) is RES1 and bit 54 (PTE_UXN) is XN; memory attribute
 * index MT_NORMAL is Normal in MAIR_EL2 (entry.S).
 */
#define DESC_PAGE	(PTE_TYPE_PAGE | PTE_ATTRINDX(MT_NORMAL) | PTE_USER | \
			 PTE_SHARED | PTE_AF)
#define DESC_XN		PTE_UXN

static unsigned int level_index(phys_addr_t pa, int level)
{
	return (pa >> ARM64_HW_PGTABLE_LEVEL_SHIFT(level)) & (PTRS_PER_PTE - 1);
}

static u64 page_desc(phys_addr_t pa, enum a64_el2_prot prot)
{
	u64 desc = (pa & PTE_ADDR_LOW) | DESC_PAGE;

	switch (prot) {
	case A64_EL2_RX:
		return desc | PTE_RDONLY;
	case A64_EL2_RO:
		return desc | PTE_RDONLY | DESC_XN;
	case A64_EL2_RW:
	default:
		return desc | DESC_XN;
	}
}

/**
 * a64_el2_pgtable_init() - allocate an empty EL2 stage-1 table
 * @pt: the table to set up
 *
 * Return: 0 or -ENOMEM.
 */
int a64_el2_pgtable_init(struct a64_el2_pgtable *pt)
{
	pt->pgd = a64_page_alloc();
	return pt->pgd ? 0 : -ENOMEM;
}

static int map_page(struct a64_el2_pgtable *pt, phys_addr_t pa,
		    enum a64_el2_prot prot)
{
	u64 *table = pt->pgd;
	u64 desc;
	int level;

	for (level = 0; level < EL2_LEVELS - 1; level++) {
		u64 *entry = &table[level_index(pa, level)];

		if (!(*entry & PTE_VALID)) {
			u64 *next = a64_page_alloc();

			if (!next)
				return -ENOMEM;
			WRITE_ONCE(*entry, virt_to_phys(next) | PMD_TYPE_TABLE);
		}
		table = phys_to_virt(*entry & PTE_ADDR_LOW);
	}

	desc = page_desc(pa, prot);
	table += level_index(pa, EL2_LEVELS - 1);
	if (*table & PTE_VALID)
		return *table == desc ? 0 : -EEXIST;
	WRITE_ONCE(*table, desc);
	return 0;
}

/**
 * a64_el2_map() - identity-map physical pages at EL2
 * @pt: the EL2 table
 * @pa: first byte (rounded down to a page)
 * @size: bytes (rounded up to whole pages)
 * @prot: access EL2 gets
 *
 * Mapping a page again with the same protection is a no-op.  Tables
 * allocated on the way stay until a64_el2_pgtable_destroy(), also on error.
 *
 * Return: 0, -ENOMEM, or -EEXIST if a page is mapped with another protection.
 */
int a64_el2_map(struct a64_el2_pgtable *pt, phys_addr_t pa, size_t size,
		enum a64_el2_prot prot)
{
	phys_addr_t end = PAGE_ALIGN(pa + size);
	int ret;

	for (pa &= PAGE_MASK; pa < end; pa += PAGE_SIZE) {
		ret = map_page(pt, pa, prot);
		if (ret)
			return ret;
	}
	/* The entries are visible to EL2's table walks before any host call. */
	dsb(ishst);
	return 0;
}

static bool table_empty(const u64 *table)
{
	int i;

	for (i = 0; i < PTRS_PER_PTE; i++)
		if (table[i])
			return false;
	return true;
}

/**
 * a64_el2_unmap_page() - remove one page from the EL2 identity map
 * @pt: the EL2 table
 * @pa: the page
 * @freed: tables left empty, unlinked here; the caller frees them with
 *	   a64_page_free() after invalidating EL2's TLBs (A64_HC_TLBI_EL2),
 *	   which may still cache walks through them
 *
 * Return: how many tables were put in @freed (at most EL2_LEVELS - 1).
 */
int a64_el2_unmap_page(struct a64_el2_pgtable *pt, phys_addr_t pa, void **freed)
{
	u64 *tables[EL2_LEVELS];
	int level, n = 0;

	tables[0] = pt->pgd;
	for (level = 0; level < EL2_LEVELS - 1; level++) {
		u64 entry = tables[level][level_index(pa, level)];

		if (!(entry & PTE_VALID))
			return 0;
		tables[level + 1] = phys_to_virt(entry & PTE_ADDR_LOW);
	}
	WRITE_ONCE(tables[EL2_LEVELS - 1][level_index(pa, EL2_LEVELS - 1)], 0);
	for (level = EL2_LEVELS - 1; level > 0 && table_empty(tables[level]); level--) {
		WRITE_ONCE(tables[level - 1][level_index(pa, level - 1)], 0);
		freed[n++] = tables[level];
	}
	dsb(ishst);
	return n;
}

static void free_level(u64 *table, int level)
{
	int i;

	if (level < EL2_LEVELS - 1) {
		for (i = 0; i < PTRS_PER_PTE; i++)
			if (table[i] & PTE_VALID)
				free_level(phys_to_virt(table[i] & PTE_ADDR_LOW),
					   level + 1);
	}
	a64_page_free(table);
}

/**
 * a64_el2_pgtable_destroy() - free every table page
 * @pt: the EL2 table; no CPU may be using it any more
 */
void a64_el2_pgtable_destroy(struct a64_el2_pgtable *pt)
{
	if (!pt->pgd)
		return;
	free_level(pt->pgd, 0);
	pt->pgd = NULL;
}
