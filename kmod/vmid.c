// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMIDs: each stage-2 space gets its own 8-bit VMID for its whole life, so
 * guest TLB entries never need flushing on entry (the seed's "tlbi alle1 on
 * every entry").  VMID 0 is the host's.  A freed VMID's entries are
 * invalidated (a64_stage2_destroy()) before it can be handed out again.
 * Whoever held EL2 before us numbers its VMIDs the same way: EL2 changing
 * hands invalidates every VMID on the CPU (entry.S).
 *
 * 255 VMIDs are few (eight spaces per VM): each belongs to the user that
 * asked for it, and a user holds at most vmids_per_user of them (a module
 * parameter), so that one user cannot starve the others.  CAP_SYS_RESOURCE
 * lifts the limit, as it lifts rlimits.
 */
#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "a64vcpu.h"

#define NR_VMIDS	256

static unsigned int vmids_per_user = 64;
module_param(vmids_per_user, uint, 0644);
MODULE_PARM_DESC(vmids_per_user,
		 "VMIDs (stage-2 spaces, one per VM and per A64VCPU_CREATE_STAGE2) one user may hold, of 255 (default 64)");

static DECLARE_BITMAP(vmids, NR_VMIDS) = { 1 };	/* VMID 0: the host */
static DECLARE_BITMAP(vmids_used, NR_VMIDS);	/* handed out since load */
static kuid_t vmid_owner[NR_VMIDS];
static u64 vmid_reuses;
static DEFINE_SPINLOCK(vmid_lock);

/* The VMIDs @uid holds (VMID 0, the host's, belongs to nobody). */
static unsigned int vmids_held(kuid_t uid)
{
	unsigned int vmid = 1, n = 0;

	for_each_set_bit_from(vmid, vmids, NR_VMIDS)
		n += uid_eq(vmid_owner[vmid], uid);
	return n;
}

/**
 * a64_vmid_alloc() - a VMID nobody uses, for the calling user
 *
 * Return: 1..255; -ENOSPC when all are taken, or when the caller's user
 * holds vmids_per_user already (and has not CAP_SYS_RESOURCE).
 */
int a64_vmid_alloc(void)
{
	bool unlimited = capable(CAP_SYS_RESOURCE);
	unsigned int limit = READ_ONCE(vmids_per_user), held;
	kuid_t uid = current_euid();
	unsigned long vmid;

	spin_lock(&vmid_lock);
	held = unlimited ? 0 : vmids_held(uid);
	if (!unlimited && held >= limit) {
		spin_unlock(&vmid_lock);
		pr_info_ratelimited(A64_NAME ": user %u holds %u VMIDs, its limit (module parameter vmids_per_user)\n",
				    from_kuid_munged(current_user_ns(), uid), held);
		return -ENOSPC;
	}
	vmid = find_first_zero_bit(vmids, NR_VMIDS);
	if (vmid < NR_VMIDS) {
		__set_bit(vmid, vmids);
		vmid_owner[vmid] = uid;
		if (__test_and_set_bit(vmid, vmids_used))
			vmid_reuses++;
	}
	spin_unlock(&vmid_lock);
	if (vmid == NR_VMIDS) {
		pr_info_ratelimited(A64_NAME ": all %u VMIDs are in use (stage-2 spaces host-wide)\n",
				    NR_VMIDS - 1);
		return -ENOSPC;
	}
	return (int)vmid;
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
