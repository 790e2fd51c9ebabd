// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM fds: guest memory slots, stage-2 spaces, vCPU creation.
 *
 * Lock order: vcpu->lock, then vm->lock, then the vGIC's spinlock.  A VM
 * lives while its fd, any of its vCPU fds or its vGIC's device fd is open
 * (vm->ref); the last put frees every space, unpins every page, invalidates
 * every VMID it used and frees the vGIC.  vm->mmu_lock, a spinlock taken
 * inside vm->lock and never around an allocation or a page fault, guards
 * the stage-2 tables and (with vm->lock, for writers) the lists of spaces
 * and slots: the MMU notifier and the fault path read them under it.
 */
#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "a64vcpu.h"

/**
 * a64_vm_stage2() - a VM's stage-2 space by id
 * @vm: the VM, its lock held
 * @id: 0 for the default space
 *
 * Return: the space, or NULL.
 */
struct a64_stage2 *a64_vm_stage2(struct a64_vm *vm, u32 id)
{
	struct a64_stage2 *s2;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry(s2, &vm->stage2s, node)
		if (s2->id == id)
			return s2;
	return NULL;
}

/**
 * a64_vm_find_slot() - the memory slot holding a guest-physical address
 * @s2: the space, its VM's lock or mmu_lock held
 * @ipa: guest-physical address
 *
 * Return: the slot, or NULL.
 */
const struct a64_slot *a64_vm_find_slot(struct a64_stage2 *s2, u64 ipa)
{
	struct a64_slot *slot;

	list_for_each_entry(slot, &s2->slots, node)
		if (ipa >= slot->gpa && ipa - slot->gpa < slot->size)
			return slot;
	return NULL;
}

/*
 * Pinned pages count against the owner's RLIMIT_MEMLOCK (mm->locked_vm, as
 * VFIO counts them; CAP_IPC_LOCK lifts the limit).  The release may come
 * after the owner's address space is gone (the last fd closed at exit):
 * then there is nothing left to uncount.
 */
static void slot_unaccount(struct a64_vm *vm, unsigned long npages)
{
	if (!mmget_not_zero(vm->mm))
		return;
	account_locked_vm(vm->mm, npages, false);
	mmput(vm->mm);
}

/* Unpins (if pinned) and frees a slot that is not mapped (any more). */
static void slot_release(struct a64_vm *vm, struct a64_slot *slot, bool dirty)
{
	if (slot->pages) {
		unpin_user_pages_dirty_lock(slot->pages, slot->npages, dirty);
		slot_unaccount(vm, slot->npages);
		atomic_long_sub(slot->npages, &vm->pinned_pages);
		kvfree(slot->pages);
	}
	kfree(slot);
}

/*
 * Unmap a slot that is off its space's list, 2 MiB at a time (a slot can
 * be 64 GiB), then invalidate the VMID everywhere: after this no CPU can
 * reach its memory.
 */
static void slot_unmap(struct a64_vm *vm, struct a64_stage2 *s2, struct a64_slot *slot)
{
	u64 ipa = slot->gpa, end = slot->gpa + slot->size;

	while (ipa < end) {
		u64 next = min(end, ALIGN(ipa + 1, SZ_2M));

		spin_lock(&vm->mmu_lock);
		a64_stage2_unmap(s2, ipa, next - ipa);
		spin_unlock(&vm->mmu_lock);
		cond_resched();
		ipa = next;
	}
	a64_el2_tlbi_vmid(a64_stage2_vttbr(s2));
}

/*
 * Change what a space's list holds, in one step for the fault path: @old
 * (or NULL) out, @slot (or NULL) in.  No fault finds @old after this, and
 * none in flight maps its memory: it finds @old gone, or another slot,
 * with another generation, in its place.
 */
static void slots_swap(struct a64_vm *vm, struct a64_stage2 *s2, struct a64_slot *old,
		       struct a64_slot *slot)
{
	spin_lock(&vm->mmu_lock);
	if (old) {
		list_del(&old->node);
		s2->nr_slots--;
		vm->slot_gen++;		/* an unmap_hva_range() that let go starts again */
	}
	if (slot) {
		slot->gen = ++vm->slot_gen;
		list_add(&slot->node, &s2->slots);
		s2->nr_slots++;
	}
	spin_unlock(&vm->mmu_lock);
}

static void slot_free(struct a64_vm *vm, struct a64_stage2 *s2, struct a64_slot *slot)
{
	slot_unmap(vm, s2, slot);
	slot_release(vm, slot, !(slot->flags & A64VCPU_MEM_READONLY));
}

/*
 * A writable long-term pin of a page-cache page of a file system that
 * writes back is the known way to corrupt it (the guest writes behind its
 * dirty tracking): pinned slots take anonymous memory, shmem (tmpfs, memfd,
 * shared anonymous) and hugetlbfs only.  Read-only slots are not written.
 */
static int check_pinnable(struct a64_vm *vm, const struct a64vcpu_memory_slot *req)
{
	unsigned long addr = req->userspace_addr, end = addr + req->size;
	int ret = 0;

	if (req->flags & A64VCPU_MEM_READONLY)
		return 0;
	mmap_read_lock(vm->mm);
	while (addr < end && !ret) {
		struct vm_area_struct *vma = find_vma(vm->mm, addr);

		if (!vma || vma->vm_start > addr) {
			ret = -EFAULT;
			break;
		}
		if (!vma_is_anonymous(vma) && !is_vm_hugetlb_page(vma) &&
		    vma->vm_file->f_inode->i_sb->s_magic != TMPFS_MAGIC) {
			pr_info_ratelimited(A64_NAME ": %s[%d]: a writable pinned slot over a file mapping that is not tmpfs, memfd or hugetlbfs (a long-term pin would bypass its writeback): EOPNOTSUPP\n",
					    current->comm, task_pid_nr(current));
			ret = -EOPNOTSUPP;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(vm->mm);
	return ret;
}

/* A64VCPU_MEM_PINNED: every page pinned now, counted against RLIMIT_MEMLOCK. */
static int slot_pin(struct a64_vm *vm, struct a64_slot *slot)
{
	unsigned int gup = FOLL_LONGTERM;
	unsigned long npages = slot->npages;
	long pinned;
	int ret;

	if (!(slot->flags & A64VCPU_MEM_READONLY))
		gup |= FOLL_WRITE;
	ret = account_locked_vm(vm->mm, npages, true);
	if (ret) {
		pr_info_ratelimited(A64_NAME ": %s[%d]: a pinned slot of %lu pages would exceed RLIMIT_MEMLOCK (pinned pages count against it): ENOMEM\n",
				    current->comm, task_pid_nr(current), npages);
		return ret;
	}
	slot->pages = kvmalloc_array(npages, sizeof(*slot->pages), GFP_KERNEL_ACCOUNT);
	if (!slot->pages) {
		slot_unaccount(vm, npages);
		return -ENOMEM;
	}
	pinned = pin_user_pages_fast(slot->uaddr, npages, gup, slot->pages);
	if (pinned == npages) {
		atomic_long_add(npages, &vm->pinned_pages);
		return 0;
	}
	if (pinned > 0)
		unpin_user_pages(slot->pages, pinned);
	kvfree(slot->pages);
	slot->pages = NULL;
	slot_unaccount(vm, npages);
	return pinned < 0 ? pinned : -EFAULT;
}

static struct a64_slot *slot_create(struct a64_vm *vm, const struct a64vcpu_memory_slot *req)
{
	struct a64_slot *slot;
	int ret;

	if (req->flags & A64VCPU_MEM_PINNED) {
		ret = check_pinnable(vm, req);
		if (ret)
			return ERR_PTR(ret);
	}
	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return ERR_PTR(-ENOMEM);
	slot->id = req->slot;
	slot->flags = req->flags;
	slot->gpa = req->guest_phys_addr;
	slot->size = req->size;
	slot->uaddr = req->userspace_addr;
	slot->npages = req->size >> PAGE_SHIFT;
	if (req->flags & A64VCPU_MEM_PINNED) {
		ret = slot_pin(vm, slot);
		if (ret) {
			kfree(slot);
			return ERR_PTR(ret);
		}
	}
	return slot;
}

/* A pinned slot's pages, all mapped now, 2 MiB per lock hold. */
static int map_pinned(struct a64_vm *vm, struct a64_stage2 *s2, struct a64_slot *slot)
{
	unsigned int prot = A64_S2_X | (slot->flags & A64VCPU_MEM_READONLY ? 0 : A64_S2_W);
	struct a64_s2_cache cache = {};
	unsigned long i = 0;
	int ret = 0;

	a64_cache_map_slot(vm, slot);
	while (i < slot->npages) {
		ret = a64_s2_cache_topup(&cache);
		if (ret)
			break;
		spin_lock(&vm->mmu_lock);
		do {
			ret = a64_stage2_map(s2, slot->gpa + i * PAGE_SIZE,
					     page_to_phys(slot->pages[i]), 3, prot, &cache);
		} while (ret >= 0 && ++i < slot->npages && i % PTRS_PER_PTE);
		spin_unlock(&vm->mmu_lock);
		if (ret < 0 && ret != -ENOMEM)	/* -ENOMEM: the cache ran dry */
			break;
		ret = 0;
		cond_resched();
	}
	a64_s2_cache_free(&cache);
	return ret;
}

static bool overlaps(struct a64_stage2 *s2, const struct a64vcpu_memory_slot *req)
{
	struct a64_slot *slot;

	list_for_each_entry(slot, &s2->slots, node) {
		if (slot->id == req->slot)
			continue;
		if (req->guest_phys_addr < slot->gpa + slot->size &&
		    slot->gpa < req->guest_phys_addr + req->size)
			return true;
	}
	return false;
}

static int check_slot_request(struct a64_vm *vm, const struct a64vcpu_memory_slot *req)
{
	u64 end;

	if (req->flags & ~(A64VCPU_MEM_READONLY | A64VCPU_MEM_PINNED) || req->pad ||
	    req->reserved[0] || req->reserved[1] || req->slot >= A64_MAX_SLOTS)
		return -EINVAL;
	if (!req->size)
		return 0;
	if (!PAGE_ALIGNED(req->guest_phys_addr) || !PAGE_ALIGNED(req->size) ||
	    !PAGE_ALIGNED(req->userspace_addr) || req->size > A64_MAX_SLOT_SIZE)
		return -EINVAL;
	if (check_add_overflow(req->guest_phys_addr, req->size, &end) ||
	    end > (1ULL << vm->ipa_bits))
		return -EINVAL;
	if (check_add_overflow(req->userspace_addr, req->size, &end))
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(req->userspace_addr), req->size))
		return -EFAULT;
	return 0;
}

/*
 * Create, replace or delete a slot.  What can fail before the old slot is
 * touched (pinning) does; a new pinned slot that cannot be mapped (no
 * memory for tables) is taken out again and the old one is gone: -ENOMEM.
 * Running vCPUs need no kick: the old slot is unmapped, and the VMID
 * invalidated on every CPU, before its memory is let go; a fault that
 * raced with the change sees the sequence count move and retries.
 */
static int set_memory_slot(struct a64_vm *vm, const struct a64vcpu_memory_slot __user *ureq)
{
	struct a64vcpu_memory_slot req;
	struct a64_slot *old, *slot = NULL, *pos;
	struct a64_stage2 *s2;
	int ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	ret = check_slot_request(vm, &req);
	if (ret)
		return ret;
	if (req.size) {
		slot = slot_create(vm, &req);
		if (IS_ERR(slot))
			return PTR_ERR(slot);
	}

	mutex_lock(&vm->lock);
	s2 = a64_vm_stage2(vm, req.stage2);
	ret = -EINVAL;
	if (!s2)
		goto unlock;
	old = NULL;
	list_for_each_entry(pos, &s2->slots, node)
		if (pos->id == req.slot)
			old = pos;
	ret = -ENOENT;
	if (!slot && !old)
		goto unlock;
	ret = -EEXIST;
	if (slot && overlaps(s2, &req))
		goto unlock;

	/* A fault finds the old slot or the new one, never a hole between. */
	slots_swap(vm, s2, old, slot);
	if (old)
		slot_free(vm, s2, old);
	ret = 0;
	/* Until mapped, a fault in a pinned slot is retried (mem_fault.c). */
	if (slot && slot->pages)
		ret = map_pinned(vm, s2, slot);
	if (ret) {
		slots_swap(vm, s2, slot, NULL);
		slot_unmap(vm, s2, slot);
	} else {
		slot = NULL;
	}
unlock:
	mutex_unlock(&vm->lock);
	if (slot)
		slot_release(vm, slot, false);
	return ret;
}

static int create_stage2(struct a64_vm *vm)
{
	struct a64_stage2 *s2;
	int ret;

	mutex_lock(&vm->lock);
	ret = -ENOSPC;
	if (vm->nr_stage2 >= A64_MAX_STAGE2)
		goto unlock;
	s2 = a64_stage2_create(vm->ipa_bits, vm->next_stage2_id);
	ret = PTR_ERR_OR_ZERO(s2);
	if (ret)
		goto unlock;
	spin_lock(&vm->mmu_lock);	/* the notifier walks the list */
	list_add_tail(&s2->node, &vm->stage2s);
	spin_unlock(&vm->mmu_lock);
	vm->nr_stage2++;
	ret = vm->next_stage2_id++;
unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

/* A64VCPU_IRQ_LINE: from any thread, also while the target runs. */
static int irq_line(struct a64_vm *vm, const struct a64vcpu_irq_level __user *ureq)
{
	struct a64_vgic *vgic = a64_vm_vgic(vm);
	struct a64vcpu_irq_level req;
	struct a64_vcpu *vcpu;
	int ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.reserved || req.level > 1)
		return -EINVAL;
	if (req.type == A64VCPU_IRQ_TYPE_SPI || req.type == A64VCPU_IRQ_TYPE_PPI) {
		if (!vgic)
			return -ENXIO;
	} else if (req.type == A64VCPU_IRQ_TYPE_CPU) {
		if (READ_ONCE(vm->vgic))
			return -ENXIO;	/* the vGIC drives the vCPUs' inputs */
	} else {
		return -EINVAL;
	}
	if (req.type == A64VCPU_IRQ_TYPE_SPI) {
		if (req.irq < A64_VGIC_NR_PRIVATE || req.vcpu)
			return -EINVAL;
		return a64_vgic_inject(vgic, NULL, req.irq, req.level);
	}

	/* The vCPU stays while vm->lock is held (a64_vcpu_destroy() takes it). */
	mutex_lock(&vm->lock);
	vcpu = req.vcpu < A64_MAX_VCPUS ? vm->vcpus[req.vcpu] : NULL;
	ret = -EINVAL;
	if (!vcpu)
		goto unlock;
	if (req.type == A64VCPU_IRQ_TYPE_PPI) {
		if (req.irq >= A64_VGIC_NR_SGIS && req.irq < A64_VGIC_NR_PRIVATE)
			ret = a64_vgic_inject(vgic, vcpu, req.irq, req.level);
	} else if (req.irq <= A64VCPU_IRQ_LINE_FIQ) {
		a64_vcpu_set_irq_line(vcpu, req.irq, req.level);
		ret = 0;
	}
unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

static int create_device(struct a64_vm *vm, struct a64vcpu_create_device __user *ureq)
{
	struct a64vcpu_create_device req;
	int fd;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.pad || req.reserved[0] || req.reserved[1])
		return -EINVAL;
	if (req.type != A64VCPU_DEV_VGIC_V3)
		return -ENODEV;
	fd = a64_vgic_create_device(vm);
	if (fd >= 0 && put_user(fd, &ureq->fd))
		return -EFAULT;	/* the fd stays open: as KVM, the caller owns it */
	return fd;
}

/* A new counter offset: every vCPU uses it from its next entry. */
static int set_counter_offset(struct a64_vm *vm, const u64 __user *uoff)
{
	unsigned int i;
	u64 off;

	if (get_user(off, uoff))
		return -EFAULT;
	mutex_lock(&vm->lock);
	WRITE_ONCE(vm->cntvoff, off);
	for (i = 0; i < A64_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			a64_vcpu_kick(vm->vcpus[i]);
	mutex_unlock(&vm->lock);
	return 0;
}

static void vm_free(struct kref *ref)
{
	struct a64_vm *vm = container_of(ref, struct a64_vm, ref);
	struct a64_stage2 *s2, *tmp;
	struct a64_slot *slot, *stmp;

	if (vm->mn.ops)
		a64_mmu_notifier_unregister(vm);	/* no callback runs after this */
	a64_irqfds_destroy(vm);		/* no eventfd raises an SPI after this */
	a64_doorbells_destroy(vm);
	list_for_each_entry_safe(s2, tmp, &vm->stage2s, node) {
		list_for_each_entry_safe(slot, stmp, &s2->slots, node)
			slot_free(vm, s2, slot);
		a64_stage2_destroy(s2);
	}
	a64_vgic_destroy(vm->vgic);
	debugfs_remove_recursive(vm->debugfs);
	mmdrop(vm->mm);
	kfree(vm);
	module_put(THIS_MODULE);
}

/**
 * a64_vm_put() - drop a reference to a VM, freeing it with the last
 * @vm: the VM
 */
void a64_vm_put(struct a64_vm *vm)
{
	kref_put(&vm->ref, vm_free);
}

/**
 * a64_vm_check_owner() - is the caller in the process that created the VM?
 * @vm: the VM whose fd (or vCPU or device fd) is used
 *
 * A VM's memory is its creator's (slots are that address space's pages),
 * so its fds work only there, as KVM's do: a child after fork(), or a
 * process handed the fd, gets -EIO.
 *
 * Return: 0, or -EIO (logged once per VM).
 */
int a64_vm_check_owner(struct a64_vm *vm)
{
	if (likely(current->mm == vm->mm))
		return 0;
	/*
	 * Once per VM, as a forked child may try every fd it inherited, and
	 * rate-limited, as a process may make VMs and fork without end.
	 */
	if (!xchg(&vm->foreign_use_logged, true))
		pr_warn_ratelimited(A64_NAME ": %s[%d]: a VM fd used outside the process that created the VM (fork?): EIO (said once per VM)\n",
				    current->comm, task_pid_nr(current));
	return -EIO;
}

static long a64_vm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct a64_vm *vm = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (a64_vm_check_owner(vm))
		return -EIO;
	switch (cmd) {
	case A64VCPU_SET_MEMORY_SLOT:
		return set_memory_slot(vm, uarg);
	case A64VCPU_CREATE_STAGE2:
		if (arg)
			return -EINVAL;
		return create_stage2(vm);
	case A64VCPU_CREATE_VCPU:
		return a64_vcpu_create(vm, uarg);
	case A64VCPU_IRQ_LINE:
		return irq_line(vm, uarg);
	case A64VCPU_CREATE_DEVICE:
		return create_device(vm, uarg);
	case A64VCPU_GET_COUNTER_OFFSET:
		return put_user(READ_ONCE(vm->cntvoff), (u64 __user *)uarg);
	case A64VCPU_SET_COUNTER_OFFSET:
		return set_counter_offset(vm, uarg);
	case A64VCPU_DOORBELL:
		return a64_doorbell_ioctl(vm, uarg);
	case A64VCPU_IRQFD:
		return a64_irqfd_ioctl(vm, uarg);
	default:
		return -ENOTTY;
	}
}

static int a64_vm_release(struct inode *inode, struct file *file)
{
	a64_vm_put(file->private_data);
	return 0;
}

static const struct file_operations a64_vm_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= a64_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= a64_vm_release,
	.llseek		= noop_llseek,
};

/**
 * a64_vm_create() - A64VCPU_CREATE_VM
 * @ucfg: the caller's struct a64vcpu_vm_config
 *
 * Return: a new VM fd, or -EFAULT, -EINVAL, -ENOMEM, -ENOSPC (VMIDs).
 */
int a64_vm_create(const struct a64vcpu_vm_config __user *ucfg)
{
	struct a64vcpu_vm_config cfg;
	struct a64_stage2 *s2;
	struct file *file;
	struct a64_vm *vm;
	int fd;

	if (copy_from_user(&cfg, ucfg, sizeof(cfg)))
		return -EFAULT;
	if (cfg.flags || cfg.reserved[0] || cfg.reserved[1] || cfg.reserved[2])
		return -EINVAL;
	if (!cfg.ipa_bits)
		cfg.ipa_bits = min(A64_DEFAULT_IPA_BITS, a64_el2_max_ipa_bits());
	if (cfg.ipa_bits < 32 || cfg.ipa_bits > a64_el2_max_ipa_bits())
		return -EINVAL;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	spin_lock_init(&vm->mmu_lock);
	spin_lock_init(&vm->irqfd_lock);
	INIT_LIST_HEAD(&vm->irqfds);
	vm->mm = current->mm;
	mmgrab(vm->mm);		/* the struct only: vm_free() drops it */
	INIT_LIST_HEAD(&vm->stage2s);
	vm->ipa_bits = cfg.ipa_bits;
	vm->vtcr = a64_stage2_vtcr(cfg.ipa_bits);
	vm->cntvoff = read_sysreg(cntpct_el0);	/* guest time starts near 0 */
	s2 = a64_stage2_create(vm->ipa_bits, 0);
	if (IS_ERR(s2)) {
		mmdrop(vm->mm);
		kfree(vm);
		return PTR_ERR(s2);
	}
	list_add(&s2->node, &vm->stage2s);
	vm->nr_stage2 = 1;
	vm->next_stage2_id = 1;

	/* vm_free() drops this; the file holds its own. */
	__module_get(THIS_MODULE);
	fd = a64_mmu_notifier_register(vm);
	if (fd) {
		vm->mn.ops = NULL;	/* not registered: nothing to unregister */
		goto put;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto put;
	file = anon_inode_getfile("a64vcpu-vm", &a64_vm_fops, vm, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto put;
	}
	/* Named after the fd, so before another thread can close it. */
	a64_debugfs_add_vm(vm, fd);
	fd_install(fd, file);
	return fd;

put:
	a64_vm_put(vm);
	return fd;
}
