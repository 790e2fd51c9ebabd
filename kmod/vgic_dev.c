// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3 as a device of its VM: A64VCPU_CREATE_DEVICE returns a device
 * fd whose attributes (A64VCPU_{SET,GET,HAS}_DEVICE_ATTR) place and size the
 * vGIC, initialise it, and read or write its state (Documentation/api.rst,
 * "The vGICv3 device").  The fd holds a reference to the VM; the vGIC itself
 * lives as long as the VM.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

#define ATTR_VCPU(attr)		((u32)((attr) >> 32))
#define ATTR_LOW(attr)		((u32)(attr))

/* A64VCPU_VGIC_SYSREG()'s encoding to the kernel's sys_reg() one. */
static u32 attr_sysreg(u64 attr)
{
	return sys_reg((attr >> 14) & 3, (attr >> 11) & 7, (attr >> 7) & 15,
		       (attr >> 3) & 15, attr & 7);
}

static int addr_attr(struct a64_vm *vm, u64 attr, bool set, u64 __user *uval)
{
	struct a64_vgic *vgic = vm->vgic;
	u64 *base, val;

	if (attr == A64VCPU_VGIC_ADDR_DIST)
		base = &vgic->dist_base;
	else if (attr == A64VCPU_VGIC_ADDR_REDIST)
		base = &vgic->redist_base;
	else
		return -ENXIO;
	if (!set)
		return put_user(*base, uval);
	if (get_user(val, uval))
		return -EFAULT;
	if (!IS_ALIGNED(val, SZ_64K) || val >= BIT_ULL(vm->ipa_bits))
		return -EINVAL;
	*base = val;
	return 0;
}

static int nr_irqs_attr(struct a64_vgic *vgic, bool set, u32 __user *uval)
{
	u32 val;

	if (!set)
		return put_user(vgic->nr_irqs, uval);
	if (get_user(val, uval))
		return -EFAULT;
	if (val < 2 * A64_VGIC_NR_PRIVATE || val > A64_VGIC_MAX_IRQS || val % 32)
		return -EINVAL;
	vgic->nr_irqs = val;
	return 0;
}

/* Attributes that configure: only before INIT, under the VM's lock. */
static int config_attr(struct a64_vm *vm, const struct a64vcpu_device_attr *a, bool set)
{
	void __user *uval = u64_to_user_ptr(a->addr);
	int ret;

	mutex_lock(&vm->lock);
	ret = -EBUSY;
	if (vm->vgic->ready && (set || a->group == A64VCPU_VGIC_GRP_CTRL)) {
		pr_info_ratelimited(A64_NAME ": the vGIC is initialised already: its addresses and size are fixed\n");
		goto unlock;
	}
	switch (a->group) {
	case A64VCPU_VGIC_GRP_ADDR:
		ret = addr_attr(vm, a->attr, set, uval);
		break;
	case A64VCPU_VGIC_GRP_NR_IRQS:
		ret = a->attr ? -ENXIO : nr_irqs_attr(vm->vgic, set, uval);
		break;
	case A64VCPU_VGIC_GRP_CTRL:
		ret = -ENXIO;
		if (a->attr == A64VCPU_VGIC_CTRL_INIT && set)
			ret = a->addr ? -EINVAL : a64_vgic_init(vm->vgic);
		break;
	}
unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

/* The lines of INTIDs @first..@first+31 (level-sensitive ones), as a bitmap. */
static int level_info(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 first, bool set,
		      u32 *val)
{
	unsigned long flags;
	unsigned int i;

	if (first % 32 || first >= vgic->nr_irqs)
		return -EINVAL;
	spin_lock_irqsave(&vgic->lock, flags);
	if (!set)
		*val = 0;
	for (i = 0; i < 32; i++) {
		struct a64_vgic_irq *irq = a64_vgic_irq_locked(vgic, vcpu, first + i);

		if (!irq || !irq->level)	/* 1020..1023: no line */
			continue;
		if (set) {
			irq->line = *val & BIT(i);
			a64_vgic_update_locked(vgic, irq);
		} else if (irq->line) {
			*val |= BIT(i);
		}
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
	return 0;
}

/* Per-vCPU state: the vCPU must not be in an ioctl (A64VCPU_RUN). */
static int vcpu_attr(struct a64_vm *vm, const struct a64vcpu_device_attr *a, bool set)
{
	struct a64_vgic *vgic = vm->vgic;
	struct a64_vcpu *vcpu;
	u32 idx = ATTR_VCPU(a->attr);
	u64 val64 = 0;
	u32 val = 0;
	int ret;

	mutex_lock(&vm->lock);
	vcpu = idx < A64_MAX_VCPUS ? vm->vcpus[idx] : NULL;
	ret = -EINVAL;
	if (!vcpu)
		goto unlock;
	ret = -EBUSY;
	if (!mutex_trylock(&vcpu->lock))
		goto unlock;
	ret = -EFAULT;
	if (a->group == A64VCPU_VGIC_GRP_CPU_SYSREGS) {
		if (set && get_user(val64, (u64 __user *)u64_to_user_ptr(a->addr)))
			goto unlock_vcpu;
		ret = a64_vgic_cpu_sysreg_access(vcpu, attr_sysreg(ATTR_LOW(a->attr)), set, &val64);
		if (!ret && !set && put_user(val64, (u64 __user *)u64_to_user_ptr(a->addr)))
			ret = -EFAULT;
		goto unlock_vcpu;
	}
	if (set && get_user(val, (u32 __user *)u64_to_user_ptr(a->addr)))
		goto unlock_vcpu;
	if (a->group == A64VCPU_VGIC_GRP_REDIST_REGS)
		ret = a64_vgic_redist_access(vgic, vcpu, ATTR_LOW(a->attr), set, &val);
	else
		ret = level_info(vgic, vcpu, ATTR_LOW(a->attr), set, &val);
	if (!ret && !set && put_user(val, (u32 __user *)u64_to_user_ptr(a->addr)))
		ret = -EFAULT;
unlock_vcpu:
	mutex_unlock(&vcpu->lock);
unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

/* State attributes: only after INIT. */
static int state_attr(struct a64_vm *vm, const struct a64vcpu_device_attr *a, bool set)
{
	u32 __user *uval = u64_to_user_ptr(a->addr);
	u32 val;
	int ret;

	if (!a64_vm_vgic(vm)) {
		pr_info_ratelimited(A64_NAME ": initialise the vGIC (A64VCPU_VGIC_CTRL_INIT) before using its state\n");
		return -EBUSY;
	}
	if (a->group != A64VCPU_VGIC_GRP_DIST_REGS)
		return vcpu_attr(vm, a, set);
	if (a->attr > U32_MAX)
		return -EINVAL;
	if (set && get_user(val, uval))
		return -EFAULT;
	ret = a64_vgic_dist_access(vm->vgic, a->attr, set, &val);
	if (!ret && !set && put_user(val, uval))
		ret = -EFAULT;
	return ret;
}

/* A vCPU with the index of a per-vCPU attribute exists. */
static bool has_vcpu(struct a64_vm *vm, u64 attr)
{
	bool ret;

	mutex_lock(&vm->lock);
	ret = ATTR_VCPU(attr) < A64_MAX_VCPUS && vm->vcpus[ATTR_VCPU(attr)];
	mutex_unlock(&vm->lock);
	return ret;
}

static bool has_attr(struct a64_vm *vm, const struct a64vcpu_device_attr *a)
{
	switch (a->group) {
	case A64VCPU_VGIC_GRP_ADDR:
		return a->attr == A64VCPU_VGIC_ADDR_DIST || a->attr == A64VCPU_VGIC_ADDR_REDIST;
	case A64VCPU_VGIC_GRP_NR_IRQS:
		return !a->attr;
	case A64VCPU_VGIC_GRP_CTRL:
		return a->attr == A64VCPU_VGIC_CTRL_INIT;
	case A64VCPU_VGIC_GRP_DIST_REGS:
		return a->attr < A64_VGIC_DIST_SIZE && !(a->attr & 3);
	case A64VCPU_VGIC_GRP_REDIST_REGS:
		return has_vcpu(vm, a->attr) && ATTR_LOW(a->attr) < A64_VGIC_REDIST_SIZE &&
		       !(a->attr & 3);
	case A64VCPU_VGIC_GRP_CPU_SYSREGS:
	case A64VCPU_VGIC_GRP_LEVEL_INFO:
		return has_vcpu(vm, a->attr);
	default:
		return false;
	}
}

static long vgic_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct a64_vm *vm = file->private_data;
	struct a64vcpu_device_attr a;
	bool set = cmd == A64VCPU_SET_DEVICE_ATTR;

	if (a64_vm_check_owner(vm))
		return -EIO;
	if (cmd != A64VCPU_SET_DEVICE_ATTR && cmd != A64VCPU_GET_DEVICE_ATTR &&
	    cmd != A64VCPU_HAS_DEVICE_ATTR)
		return -ENOTTY;
	if (copy_from_user(&a, (void __user *)arg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.reserved)
		return -EINVAL;
	/* Pairs with the release below: another thread may guess the fd early. */
	if (!smp_load_acquire(&vm->vgic))
		return -ENXIO;
	if (cmd == A64VCPU_HAS_DEVICE_ATTR)
		return has_attr(vm, &a) ? 0 : -ENXIO;
	switch (a.group) {
	case A64VCPU_VGIC_GRP_ADDR:
	case A64VCPU_VGIC_GRP_NR_IRQS:
	case A64VCPU_VGIC_GRP_CTRL:
		return config_attr(vm, &a, set);
	case A64VCPU_VGIC_GRP_DIST_REGS:
	case A64VCPU_VGIC_GRP_REDIST_REGS:
	case A64VCPU_VGIC_GRP_CPU_SYSREGS:
	case A64VCPU_VGIC_GRP_LEVEL_INFO:
		return state_attr(vm, &a, set);
	default:
		return -ENXIO;
	}
}

static int vgic_dev_release(struct inode *inode, struct file *file)
{
	a64_vm_put(file->private_data);
	return 0;
}

static const struct file_operations vgic_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vgic_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= vgic_dev_release,
	.llseek		= noop_llseek,
};

/**
 * a64_vgic_create_device() - A64VCPU_CREATE_DEVICE of a A64VCPU_DEV_VGIC_V3
 * @vm: the VM
 *
 * Return: the device fd, or -ENODEV (the host has no GICv3 CPU interface),
 * -EEXIST (the VM has a vGIC), -ENOMEM.
 */
int a64_vgic_create_device(struct a64_vm *vm)
{
	struct a64_vgic *vgic;
	int fd;

	if (!a64_vgic_nr_lrs) {
		pr_info_ratelimited(A64_NAME ": no vGIC: the host has no GICv3 system-register interface\n");
		return -ENODEV;
	}
	mutex_lock(&vm->lock);
	if (vm->vgic) {
		mutex_unlock(&vm->lock);
		return -EEXIST;
	}
	vgic = a64_vgic_create(vm);
	if (!vgic) {
		mutex_unlock(&vm->lock);
		return -ENOMEM;
	}
	kref_get(&vm->ref);
	fd = anon_inode_getfd("a64vcpu-vgic", &vgic_dev_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		a64_vgic_destroy(vgic);
		mutex_unlock(&vm->lock);
		a64_vm_put(vm);
		return fd;
	}
	/* Published last: the run loop and the exit path look at vm->vgic. */
	smp_store_release(&vm->vgic, vgic);
	mutex_unlock(&vm->lock);
	return fd;
}
