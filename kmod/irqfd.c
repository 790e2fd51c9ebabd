// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt eventfds (A64VCPU_IRQFD, Documentation/api.rst): a write to an
 * eventfd raises an SPI of the VM's vGIC from the writer's thread, with no
 * vCPU's lock and no exit.
 *
 * Each binding hangs a wait-queue entry on its eventfd.  The eventfd's
 * wake-up calls irqfd_wakeup() in atomic context, under the eventfd's
 * wait-queue lock: EPOLLIN raises the SPI through the vGIC's spinlock
 * (a64_vgic_inject(), which kicks the target vCPU); EPOLLHUP (the eventfd's
 * last file reference is gone) takes the binding off the VM's list and
 * leaves the rest to a work item, which cannot run there: it unhooks the
 * wait-queue entry, unbinds the resampler, drops the eventfds and frees.
 *
 * The VM's list of bindings is changed under vm->irqfd_lock (a spinlock,
 * also taken in the wake-up) and read under RCU by the resampling in the
 * vCPU's thread (a64_irqfd_resample()), so the work item runs only after a
 * grace period (queue_rcu_work()).  Assigning and deassigning hold vm->lock
 * throughout, so a binding is on the eventfd's wait queue before any
 * deassign can queue its work.  Deassign and the VM's teardown wait for
 * the work (rcu_barrier(), then the workqueue flushed): once they return,
 * nothing of the binding is left and its eventfd raises nothing.
 *
 * Lock order: vm->lock, then an eventfd's wait-queue lock, then
 * vm->irqfd_lock or the vGIC's lock (never both), then a vCPU's wait queue.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "a64vcpu.h"

struct a64_irqfd {
	struct a64_vm *vm;
	struct eventfd_ctx *ctx;
	struct eventfd_ctx *resample;	/* RESAMPLE: signalled at the EOI; else NULL */
	u32 intid;
	bool active;			/* on vm->irqfds (vm->irqfd_lock) */
	struct list_head node;		/* in vm->irqfds */
	wait_queue_entry_t wait;	/* on the eventfd's wait queue */
	wait_queue_head_t *wqh;
	poll_table pt;
	struct rcu_work shutdown;
};

static struct workqueue_struct *irqfd_wq;

/* Unhook, unbind and free a binding that is off the list: the work item. */
static void irqfd_shutdown(struct work_struct *work)
{
	struct a64_irqfd *irqfd = container_of(to_rcu_work(work), struct a64_irqfd, shutdown);
	u64 cnt;

	/* Synchronises with a wake-up running on another CPU (the wqh lock). */
	eventfd_ctx_remove_wait_queue(irqfd->ctx, &irqfd->wait, &cnt);
	if (irqfd->resample) {
		a64_vgic_resampler(irqfd->vm->vgic, irqfd->intid, false);
		eventfd_ctx_put(irqfd->resample);
	}
	eventfd_ctx_put(irqfd->ctx);
	kfree(irqfd);
}

/* Off the list and the work queued, once; vm->irqfd_lock held. */
static void irqfd_deactivate(struct a64_irqfd *irqfd)
{
	lockdep_assert_held(&irqfd->vm->irqfd_lock);
	if (!irqfd->active)
		return;
	irqfd->active = false;
	list_del_rcu(&irqfd->node);
	irqfd->vm->nr_irqfds--;
	queue_rcu_work(irqfd_wq, &irqfd->shutdown);
}

/* Every deactivated binding's work done. */
static void irqfd_flush(void)
{
	rcu_barrier();		/* every queue_rcu_work() has queued its work */
	flush_workqueue(irqfd_wq);
}

static void irqfd_raise(struct a64_irqfd *irqfd)
{
	struct a64_vgic *vgic = irqfd->vm->vgic;

	if (irqfd->resample)
		a64_vgic_inject(vgic, NULL, irqfd->intid, true);
	else
		a64_vgic_pulse(vgic, irqfd->intid);
	atomic_long_inc(&irqfd->vm->stat_irqfd_injections);
}

/* The eventfd's wake-up: atomic context, its wait-queue lock held. */
static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct a64_irqfd *irqfd = container_of(wait, struct a64_irqfd, wait);
	__poll_t flags = key_to_poll(key);
	unsigned long irqflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->ctx, &cnt);	/* writes merge: one edge */
		irqfd_raise(irqfd);
	}
	if (flags & EPOLLHUP) {
		spin_lock_irqsave(&irqfd->vm->irqfd_lock, irqflags);
		irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&irqfd->vm->irqfd_lock, irqflags);
	}
	return 0;
}

static void irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct a64_irqfd *irqfd = container_of(pt, struct a64_irqfd, pt);

	irqfd->wqh = wqh;
	add_wait_queue(wqh, &irqfd->wait);
}

static struct eventfd_ctx *resample_ctx(const struct a64vcpu_irqfd *req)
{
	if (!(req->flags & A64VCPU_IRQFD_RESAMPLE))
		return NULL;
	return eventfd_ctx_fdget(req->resamplefd);
}

static int irqfd_assign(struct a64_vm *vm, struct a64_vgic *vgic, const struct a64vcpu_irqfd *req)
{
	struct a64_irqfd *irqfd, *pos;
	struct fd f;
	__poll_t events;
	int ret;

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return -ENOMEM;
	irqfd->vm = vm;
	irqfd->intid = req->intid;
	init_waitqueue_func_entry(&irqfd->wait, irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, irqfd_queue_proc);
	INIT_RCU_WORK(&irqfd->shutdown, irqfd_shutdown);

	ret = -EBADF;
	f = fdget(req->fd);
	if (!f.file)
		goto free;
	irqfd->ctx = eventfd_ctx_fileget(f.file);
	ret = PTR_ERR_OR_ZERO(irqfd->ctx);
	if (ret)
		goto fdput;
	irqfd->resample = resample_ctx(req);
	ret = PTR_ERR_OR_ZERO(irqfd->resample);
	if (ret)
		goto put_ctx;

	mutex_lock(&vm->lock);
	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry(pos, &vm->irqfds, node) {
		if (pos->ctx == irqfd->ctx) {
			spin_unlock_irq(&vm->irqfd_lock);
			ret = -EBUSY;
			goto unlock;
		}
	}
	if (vm->nr_irqfds >= A64_MAX_IRQFDS) {
		spin_unlock_irq(&vm->irqfd_lock);
		pr_info_ratelimited(A64_NAME ": %s[%d]: the VM has %u interrupt eventfds already: ENOSPC\n",
				    current->comm, task_pid_nr(current), A64_MAX_IRQFDS);
		ret = -ENOSPC;
		goto unlock;
	}
	irqfd->active = true;
	list_add_tail_rcu(&irqfd->node, &vm->irqfds);
	vm->nr_irqfds++;
	spin_unlock_irq(&vm->irqfd_lock);
	if (irqfd->resample)
		a64_vgic_resampler(vgic, irqfd->intid, true);

	/* Hooked on the eventfd; written to already: raised now. */
	events = vfs_poll(f.file, &irqfd->pt);
	if (events & EPOLLIN)
		irqfd_raise(irqfd);
	mutex_unlock(&vm->lock);
	fdput(f);
	return 0;

unlock:
	mutex_unlock(&vm->lock);
	if (irqfd->resample)
		eventfd_ctx_put(irqfd->resample);
put_ctx:
	eventfd_ctx_put(irqfd->ctx);
fdput:
	fdput(f);
free:
	kfree(irqfd);
	return ret;
}

static int irqfd_deassign(struct a64_vm *vm, const struct a64vcpu_irqfd *req)
{
	struct a64_irqfd *irqfd, *tmp;
	struct eventfd_ctx *ctx;
	int ret = -ENOENT;

	ctx = eventfd_ctx_fdget(req->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mutex_lock(&vm->lock);
	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(irqfd, tmp, &vm->irqfds, node) {
		if (irqfd->ctx == ctx && irqfd->intid == req->intid) {
			irqfd_deactivate(irqfd);
			ret = 0;
		}
	}
	spin_unlock_irq(&vm->irqfd_lock);
	mutex_unlock(&vm->lock);
	eventfd_ctx_put(ctx);
	if (!ret)
		irqfd_flush();
	return ret;
}

/**
 * a64_irqfd_ioctl() - A64VCPU_IRQFD
 * @vm: the VM
 * @ureq: the caller's struct a64vcpu_irqfd
 *
 * Return: 0, or -EFAULT, -EINVAL (flags, reserved fields, an INTID that is
 * not an SPI of the vGIC, not an eventfd), -EBADF (an fd is not open),
 * -ENXIO (no initialised vGIC), -EBUSY (the eventfd is bound already),
 * -ENOENT (DEASSIGN: not bound to that SPI), -ENOSPC (A64_MAX_IRQFDS
 * bindings, logged), -ENOMEM.
 */
int a64_irqfd_ioctl(struct a64_vm *vm, const struct a64vcpu_irqfd __user *ureq)
{
	struct a64_vgic *vgic = a64_vm_vgic(vm);
	struct a64vcpu_irqfd req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~(A64VCPU_IRQFD_DEASSIGN | A64VCPU_IRQFD_RESAMPLE) ||
	    req.reserved[0] || req.reserved[1])
		return -EINVAL;
	if (req.flags & A64VCPU_IRQFD_DEASSIGN) {
		if (req.flags & A64VCPU_IRQFD_RESAMPLE || req.resamplefd)
			return -EINVAL;
		return irqfd_deassign(vm, &req);
	}
	if (!(req.flags & A64VCPU_IRQFD_RESAMPLE) && req.resamplefd)
		return -EINVAL;
	if (!vgic) {
		pr_info_ratelimited(A64_NAME ": %s[%d]: an interrupt eventfd needs an initialised vGIC: ENXIO\n",
				    current->comm, task_pid_nr(current));
		return -ENXIO;
	}
	if (req.intid < A64_VGIC_NR_PRIVATE || req.intid >= min(vgic->nr_irqs, A64_VGIC_SPECIAL)) {
		pr_info_ratelimited(A64_NAME ": %s[%d]: an interrupt eventfd for INTID %u, not one of the vGIC's SPIs (32..%u): EINVAL\n",
				    current->comm, task_pid_nr(current), req.intid,
				    min(vgic->nr_irqs, A64_VGIC_SPECIAL) - 1);
		return -EINVAL;
	}
	return irqfd_assign(vm, vgic, &req);
}

/**
 * a64_irqfd_resample() - the guest deactivated a level SPI with resamplers
 * @vm: the VM
 * @intid: the SPI, whose line the vGIC has lowered
 *
 * Signals the resample eventfd of every binding of @intid.  Any context
 * but the vGIC's lock (an eventfd's waiter may raise an SPI).
 */
void a64_irqfd_resample(struct a64_vm *vm, u32 intid)
{
	struct a64_irqfd *irqfd;

	rcu_read_lock();
	list_for_each_entry_rcu(irqfd, &vm->irqfds, node)
		if (irqfd->resample && irqfd->intid == intid)
			eventfd_signal(irqfd->resample, 1);
	rcu_read_unlock();
	atomic_long_inc(&vm->stat_irqfd_resamples);
}

/**
 * a64_irqfds_destroy() - unbind every interrupt eventfd with the VM
 * @vm: the VM, its last reference gone (no ioctl runs)
 *
 * Before its vGIC goes: a wake-up may raise an SPI until the work is done.
 */
void a64_irqfds_destroy(struct a64_vm *vm)
{
	struct a64_irqfd *irqfd, *tmp;

	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(irqfd, tmp, &vm->irqfds, node)
		irqfd_deactivate(irqfd);
	spin_unlock_irq(&vm->irqfd_lock);
	irqfd_flush();
}

/**
 * a64_irqfd_init() - the workqueue that unbinds interrupt eventfds
 *
 * Return: 0 or -ENOMEM.
 */
int a64_irqfd_init(void)
{
	irqfd_wq = alloc_workqueue("a64vcpu-irqfd", 0, 0);
	return irqfd_wq ? 0 : -ENOMEM;
}

/**
 * a64_irqfd_exit() - its end, once every VM is gone
 */
void a64_irqfd_exit(void)
{
	destroy_workqueue(irqfd_wq);
}
