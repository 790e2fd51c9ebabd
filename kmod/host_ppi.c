// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host per-CPU interrupts (PPIs) that must reach the host while a guest
 * runs, so that the guest exits: the GIC's maintenance interrupt (vgic.c)
 * and the virtual timer's (timer.c).  Their only job is the exit; what they
 * mean is read from the guest's state on the way back in, so the handler
 * does nothing.
 *
 * When KVM is enabled, KVM has requested both at boot, enabled them on
 * every CPU and handles them (it finds none of its vCPUs loaded and
 * returns): that serves us as well, so the module leaves them to KVM.
 * Otherwise nobody has them: the module requests them and enables them on
 * every CPU, now and as CPUs come online.
 */
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>

#include "a64vcpu.h"

static enum cpuhp_state hp_state;	/* one multi-instance state for all */
static unsigned int hp_users;

static irqreturn_t exit_only(int irq, void *cookie)
{
	return IRQ_HANDLED;
}

static int ppi_online(unsigned int cpu, struct hlist_node *node)
{
	enable_percpu_irq(hlist_entry(node, struct a64_host_ppi, node)->irq, IRQ_TYPE_NONE);
	return 0;
}

static int ppi_offline(unsigned int cpu, struct hlist_node *node)
{
	disable_percpu_irq(hlist_entry(node, struct a64_host_ppi, node)->irq);
	return 0;
}

/**
 * a64_host_ppi_find() - the Linux IRQ of a PPI named in the device tree
 * @ppi: where it goes (@ppi->irq, 0 if not found)
 * @compatible: the node's compatible string
 * @index: which of the node's interrupts
 */
void a64_host_ppi_find(struct a64_host_ppi *ppi, const char *compatible, int index)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, compatible);
	int irq = np ? irq_of_parse_and_map(np, index) : 0;

	of_node_put(np);
	ppi->irq = max(irq, 0);
}

/**
 * a64_host_ppi_take() - make sure a found PPI is enabled and handled
 * @ppi: the PPI, a64_host_ppi_find() done
 *
 * Requests it unless KVM (anyone) has it already.  Failures are logged:
 * the guest then exits on the PPI's condition only at its next other exit.
 */
void a64_host_ppi_take(struct a64_host_ppi *ppi)
{
	int ret = -ENOMEM;

	if (!ppi->irq || irq_has_action(ppi->irq))
		return;
	ppi->cookie = alloc_percpu(u8);
	if (!ppi->cookie)
		goto fail;
	ret = request_percpu_irq(ppi->irq, exit_only, ppi->name, ppi->cookie);
	if (ret)
		goto free_cookie;
	if (!hp_users) {
		ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "a64vcpu:ppi", ppi_online,
					      ppi_offline);
		if (ret < 0)
			goto free_irq;
		hp_state = ret;
	}
	ret = cpuhp_state_add_instance(hp_state, &ppi->node);
	if (ret)
		goto remove_state;
	hp_users++;
	ppi->owned = true;
	return;

remove_state:
	if (!hp_users)
		cpuhp_remove_multi_state(hp_state);
free_irq:
	free_percpu_irq(ppi->irq, ppi->cookie);
free_cookie:
	free_percpu(ppi->cookie);
	ppi->cookie = NULL;
fail:
	pr_warn(A64_NAME ": cannot take the host's %s interrupt (%d)\n", ppi->name, ret);
}

/**
 * a64_host_ppi_release() - undo a64_host_ppi_take()
 * @ppi: the PPI
 */
void a64_host_ppi_release(struct a64_host_ppi *ppi)
{
	if (!ppi->owned)
		return;
	cpuhp_state_remove_instance(hp_state, &ppi->node);
	free_percpu_irq(ppi->irq, ppi->cookie);
	free_percpu(ppi->cookie);
	if (!--hp_users)
		cpuhp_remove_multi_state(hp_state);
	ppi->owned = false;
	ppi->cookie = NULL;
}
