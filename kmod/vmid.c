// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMIDs: each stage-2 space gets its own 8-bit VMID for its whole life, so
 * guest TLB entries never need flushing on entry (the seed's "tlbi alle1 on
 * every entry").  VMID 0 is the host's.  A freed VMID's entries are
 * invalidated (a64_stage2_destroy()) before it can be handed out again.
 * Whoever held EL2 before us numbers its VMIDs the same way: EL2 changing
 * hands invalidates every VMID on the CPU (entry.S).
 */
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/spinlock.h>

#include "a64vcpu.h"

#define NR_VMIDS	256

static DECLARE_BITMAP(vmids, NR_VMIDS) = { 1 };	/* VMID 0: the host */
static DECLARE_BITMAP(vmids_used, NR_VMIDS);	/* handed out since load */
static u64 vmid_reuses;
static DEFINE_SPINLOCK(vmid_lock);

/**
 * a64_vmid_alloc() - a VMID nobody uses
 *
 * Return: 1..255, or -ENOSPC when all are taken.
 */
int a64_vmid_alloc(void)
{
	unsigned long vmid;

	spin_lock(&vmid_lock);
	vmid = find_first_zero_bit(vmids, NR_VMIDS);
	if (vmid < NR_VMIDS) {
		__set_bit(vmid, vmids);
		if (__test_and_set_bit(vmid, vmids_used))
			vmid_reuses++;
	}
	spin_unlock(&vmid_lock);
	return vmid < NR_VMIDS ? (int)vmid : -ENOSPC;
}

/**
 * a64_vmid_free() - give a VMID back, its TLB entries already invalidated
 * @vmid: from a64_vmid_alloc()
 */
void a64_vmid_free(u16 vmid)
{
	spin_lock(&vmid_lock);
	__clear_bit(vmid, vmids);
	spin_unlock(&vmid_lock);
}

/**
 * a64_vmid_reuses() - VMIDs handed out again after being freed, since load
 *
 * Each was invalidated on every CPU when it was freed (debugfs "tlb").
 *
 * Return: the count.
 */
u64 a64_vmid_reuses(void)
{
	u64 n;

	spin_lock(&vmid_lock);
	n = vmid_reuses;
	spin_unlock(&vmid_lock);
	return n;
}
