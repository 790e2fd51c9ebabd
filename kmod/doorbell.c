// SPDX-License-Identifier: GPL-2.0-only
/*
 * Doorbells (A64VCPU_DOORBELL, Documentation/api.rst): a guest store to an
 * address outside memory that userspace registered is completed here, by
 * signalling an eventfd, instead of an MMIO exit.  One more in-kernel MMIO
 * handler after the vGIC's frames: exit.c asks a64_doorbell_write() about
 * each store that memory did not claim.
 *
 * A VM's doorbells are one array, replaced whole on every change under
 * vm->lock and read under RCU: the lookup on the exit path takes no lock
 * and walks a few contiguous entries.  An entry's eventfd reference is
 * dropped only after a grace period, so a store that found it signals a
 * live eventfd.
 */
#include <linux/eventfd.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "a64vcpu.h"

struct a64_doorbell {
	u64 addr;
	u64 data;			/* the value to match, unless @any */
	u32 len;			/* 0: a store of any length */
	bool any;			/* no A64VCPU_DOORBELL_DATAMATCH */
	struct eventfd_ctx *ctx;
};

struct a64_doorbells {
	struct rcu_head rcu;
	unsigned int nr;
	struct a64_doorbell db[];
};

static bool db_matches(const struct a64_doorbell *db, u64 ipa, unsigned int len, u64 val)
{
	return db->addr == ipa && (!db->len || (db->len == len && (db->any || db->data == val)));
}

/**
 * a64_doorbell_write() - complete a guest store with a doorbell, if one matches
 * @vcpu: the vCPU that stored, in its thread
 * @ipa: the address, outside memory
 * @len: 1, 2, 4 or 8 bytes
 * @val: the value stored, zero-extended from @len bytes
 *
 * Return: true if a doorbell took the store (its eventfd is signalled: the
 * caller moves the PC on), false for an MMIO exit.
 */
bool a64_doorbell_write(struct a64_vcpu *vcpu, u64 ipa, unsigned int len, u64 val)
{
	struct a64_vm *vm = vcpu->vm;
	const struct a64_doorbells *dbs;
	unsigned int i;
	bool hit = false;

	rcu_read_lock();
	dbs = rcu_dereference(vm->doorbells);
	for (i = 0; dbs && i < dbs->nr; i++) {
		if (db_matches(&dbs->db[i], ipa, len, val)) {
			eventfd_signal(dbs->db[i].ctx, 1);
			hit = true;
			break;
		}
	}
	rcu_read_unlock();
	if (hit)
		atomic_long_inc(&vm->stat_doorbells);
	return hit;
}

/*
 * KVM_IOEVENTFD's rule: two doorbells at the same address conflict if
 * either takes any length, or both have one length and either takes any
 * value or both the same value.
 */
static bool db_conflict(const struct a64_doorbell *a, const struct a64_doorbell *b)
{
	if (a->addr != b->addr)
		return false;
	return !a->len || !b->len ||
	       (a->len == b->len && (a->any || b->any || a->data == b->data));
}

/* The one DEASSIGN names: the same address, length, value and eventfd. */
static bool db_same(const struct a64_doorbell *a, const struct a64_doorbell *b)
{
	return a->addr == b->addr && a->len == b->len && a->any == b->any &&
	       (a->any || a->data == b->data) && a->ctx == b->ctx;
}

static int check_request(struct a64_vm *vm, const struct a64vcpu_doorbell *req)
{
	u64 end;

	if (req->flags & ~(A64VCPU_DOORBELL_DATAMATCH | A64VCPU_DOORBELL_DEASSIGN) ||
	    req->pad || req->reserved[0] || req->reserved[1])
		return -EINVAL;
	if (req->len > 8 || !is_power_of_2(req->len ?: 1)) {
		pr_info_ratelimited(A64_NAME ": %s[%d]: a doorbell of %u bytes (0, 1, 2, 4 or 8): EINVAL\n",
				    current->comm, task_pid_nr(current), req->len);
		return -EINVAL;
	}
	if (check_add_overflow(req->addr, (u64)(req->len ?: 1), &end) ||
	    end > BIT_ULL(vm->ipa_bits)) {
		pr_info_ratelimited(A64_NAME ": %s[%d]: a doorbell at %#llx, beyond the VM's %u-bit IPA space: EINVAL\n",
				    current->comm, task_pid_nr(current), req->addr, vm->ipa_bits);
		return -EINVAL;
	}
	if (req->flags & A64VCPU_DOORBELL_DATAMATCH) {
		if (!req->len || (req->len < 8 && req->datamatch >> (req->len * 8))) {
			pr_info_ratelimited(A64_NAME ": %s[%d]: a doorbell's data match %#llx does not fit its %u bytes: EINVAL\n",
					    current->comm, task_pid_nr(current), req->datamatch,
					    req->len);
			return -EINVAL;
		}
	} else if (req->datamatch) {
		return -EINVAL;
	}
	return 0;
}

/* A copy of @old with @add appended or entry @drop left out: the new array. */
static struct a64_doorbells *dbs_copy(const struct a64_doorbells *old,
				      const struct a64_doorbell *add, unsigned int drop)
{
	unsigned int i, n = 0, nr = old ? old->nr : 0;
	struct a64_doorbells *dbs;

	dbs = kmalloc(struct_size(dbs, db, nr + !!add), GFP_KERNEL_ACCOUNT);
	if (!dbs)
		return NULL;
	for (i = 0; i < nr; i++)
		if (i != drop)
			dbs->db[n++] = old->db[i];
	if (add)
		dbs->db[n++] = *add;
	dbs->nr = n;
	return dbs;
}

static int db_assign(struct a64_vm *vm, struct a64_doorbell *db)
{
	struct a64_doorbells *old, *dbs;
	unsigned int i;
	int ret;

	mutex_lock(&vm->lock);
	old = rcu_dereference_protected(vm->doorbells, lockdep_is_held(&vm->lock));
	ret = -ENOSPC;
	if (old && old->nr >= A64_MAX_DOORBELLS)
		goto unlock;
	ret = -EEXIST;
	for (i = 0; old && i < old->nr; i++)
		if (db_conflict(&old->db[i], db))
			goto unlock;
	ret = -ENOMEM;
	dbs = dbs_copy(old, db, UINT_MAX);
	if (!dbs)
		goto unlock;
	rcu_assign_pointer(vm->doorbells, dbs);
	if (old)
		kfree_rcu(old, rcu);
	ret = 0;
unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

static int db_deassign(struct a64_vm *vm, const struct a64_doorbell *db)
{
	struct a64_doorbells *old, *dbs = NULL;
	struct eventfd_ctx *ctx;
	unsigned int i;

	mutex_lock(&vm->lock);
	old = rcu_dereference_protected(vm->doorbells, lockdep_is_held(&vm->lock));
	for (i = 0; old && i < old->nr; i++)
		if (db_same(&old->db[i], db))
			break;
	if (!old || i == old->nr) {
		mutex_unlock(&vm->lock);
		return -ENOENT;
	}
	ctx = old->db[i].ctx;
	if (old->nr > 1) {
		dbs = dbs_copy(old, NULL, i);
		if (!dbs) {
			mutex_unlock(&vm->lock);
			return -ENOMEM;
		}
	}
	rcu_assign_pointer(vm->doorbells, dbs);
	mutex_unlock(&vm->lock);

	/* No store finds the entry after this: its eventfd can go. */
	synchronize_rcu();
	eventfd_ctx_put(ctx);
	kfree(old);
	return 0;
}

/**
 * a64_doorbell_ioctl() - A64VCPU_DOORBELL
 * @vm: the VM
 * @ureq: the caller's struct a64vcpu_doorbell
 *
 * Return: 0, or -EFAULT, -EINVAL (flags, reserved fields, length, address,
 * data match), -EBADF (@fd is not open), -EEXIST (a conflicting doorbell),
 * -ENOENT (DEASSIGN: no such doorbell), -ENOSPC (A64_MAX_DOORBELLS), -ENOMEM.
 */
int a64_doorbell_ioctl(struct a64_vm *vm, const struct a64vcpu_doorbell __user *ureq)
{
	struct a64vcpu_doorbell req;
	struct a64_doorbell db;
	int ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	ret = check_request(vm, &req);
	if (ret)
		return ret;
	db = (struct a64_doorbell){
		.addr = req.addr,
		.data = req.datamatch,
		.len = req.len,
		.any = !(req.flags & A64VCPU_DOORBELL_DATAMATCH),
		.ctx = eventfd_ctx_fdget(req.fd),
	};
	if (IS_ERR(db.ctx))
		return PTR_ERR(db.ctx);
	if (req.flags & A64VCPU_DOORBELL_DEASSIGN)
		ret = db_deassign(vm, &db);
	else
		ret = db_assign(vm, &db);
	/* Assigned: the array holds the reference; else it was only a name. */
	if (ret || (req.flags & A64VCPU_DOORBELL_DEASSIGN))
		eventfd_ctx_put(db.ctx);
	return ret;
}

/**
 * a64_doorbells_count() - how many doorbells a VM has (debugfs)
 * @vm: the VM
 *
 * Return: the number.
 */
unsigned int a64_doorbells_count(struct a64_vm *vm)
{
	const struct a64_doorbells *dbs;
	unsigned int nr;

	rcu_read_lock();
	dbs = rcu_dereference(vm->doorbells);
	nr = dbs ? dbs->nr : 0;
	rcu_read_unlock();
	return nr;
}

/**
 * a64_doorbells_destroy() - drop every doorbell with the VM
 * @vm: the VM, which no vCPU runs any more
 */
void a64_doorbells_destroy(struct a64_vm *vm)
{
	struct a64_doorbells *dbs = rcu_dereference_protected(vm->doorbells, true);
	unsigned int i;

	if (!dbs)
		return;
	for (i = 0; i < dbs->nr; i++)
		eventfd_ctx_put(dbs->db[i].ctx);
	kfree(dbs);
}
