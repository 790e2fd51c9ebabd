// SPDX-License-Identifier: GPL-2.0-only
/*
 * a64vcpu: a loadable AArch64 hypervisor module.  Module load and unload:
 * take EL2 on every CPU, learn the GIC (and take its maintenance
 * interrupt) and the virtual timer's interrupt, then expose /dev/a64vcpu and
 * debugfs; undo in reverse order.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "a64vcpu.h"

static int __init a64_init(void)
{
	int ret;

	ret = a64_el2_init();
	if (ret)
		return ret;
	a64_vgic_hw_init();
	a64_timer_hw_init();
	ret = a64_irqfd_init();
	if (ret)
		goto exit_hw;
	ret = a64_dev_init();
	if (ret)
		goto exit_irqfd;
	a64_debugfs_init();
	pr_info(A64_NAME ": EL2 taken on %u CPUs, %ld pages in use\n",
		num_online_cpus(), a64_pages_in_use());
	return 0;

exit_irqfd:
	a64_irqfd_exit();
exit_hw:
	a64_timer_hw_exit();
	a64_vgic_hw_exit();
	a64_el2_exit();
	return ret;
}

static void __exit a64_exit(void)
{
	long leaked;

	a64_debugfs_exit();
	a64_dev_exit();
	a64_irqfd_exit();
	a64_timer_hw_exit();
	a64_vgic_hw_exit();
	a64_el2_exit();
	leaked = a64_pages_in_use();
	if (leaked)
		pr_err(A64_NAME ": unloaded with %ld pages still allocated\n",
		       leaked);
	else
		pr_info(A64_NAME ": unloaded, EL2 back on the hyp stub, 0 pages in use\n");
}

module_init(a64_init);
module_exit(a64_exit);
MODULE_DESCRIPTION("a64vcpu: AArch64 vCPUs at EL2 without KVM");
MODULE_LICENSE("GPL");
