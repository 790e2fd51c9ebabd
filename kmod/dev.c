// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/a64vcpu: the system fd and its ioctls (Documentation/api.rst).
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <uapi/linux/psci.h>

#include <linux/a64vcpu.h>

#include "a64vcpu.h"

static long check_extension(unsigned long cap)
{
	switch (cap) {
	case A64VCPU_CAP_MAX_IPA_SIZE:
		return a64_el2_max_ipa_bits();
	case A64VCPU_CAP_VCPU:
		return 1;
	case A64VCPU_CAP_MAX_VCPUS:
		return A64_MAX_VCPUS;
	case A64VCPU_CAP_MAX_MEMORY_SLOTS:
		return A64_MAX_SLOTS;
	case A64VCPU_CAP_MAX_STAGE2:
		return A64_MAX_STAGE2;
	case A64VCPU_CAP_IRQ_LINE:
	case A64VCPU_CAP_TIMERS:
	case A64VCPU_CAP_WFI_BLOCKS:
	case A64VCPU_CAP_ID_REGS:
	case A64VCPU_CAP_INJECT:
		return 1;
	case A64VCPU_CAP_VGIC_V3:
		return a64_vgic_nr_lrs ? A64_VGIC_MAX_IRQS : 0;
	case A64VCPU_CAP_DOORBELL:
		return A64_MAX_DOORBELLS;
	case A64VCPU_CAP_IRQFD:
		return a64_vgic_nr_lrs ? 1 : 0;
	case A64VCPU_CAP_PSCI_VERSION:
		return PSCI_VERSION(1, 1);
	default:
		return 0;
	}
}

static long a64_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case A64VCPU_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return A64VCPU_API_VERSION;
	case A64VCPU_CHECK_EXTENSION:
		return check_extension(arg);
	case A64VCPU_GET_VCPU_MMAP_SIZE:
		if (arg)
			return -EINVAL;
		return PAGE_SIZE;
	case A64VCPU_CREATE_VM:
		return a64_vm_create((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations a64_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= a64_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice a64_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= A64_NAME,
	.fops	= &a64_dev_fops,
	/*
	 * No .mode: devtmpfs makes the node 0600 root:root, and the udev rule
	 * installed with the module (kmod/60-a64vcpu.rules) gives it to group
	 * a64vcpu, 0660, as 65-kvm.rules does /dev/kvm.
	 */
};

/**
 * a64_dev_init() - register /dev/a64vcpu
 *
 * Return: 0 or a negative errno.
 */
int a64_dev_init(void)
{
	return misc_register(&a64_miscdev);
}

/**
 * a64_dev_exit() - unregister /dev/a64vcpu
 */
void a64_dev_exit(void)
{
	misc_deregister(&a64_miscdev);
}
