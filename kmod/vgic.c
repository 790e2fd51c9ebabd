// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGICv3's interrupt state and its list registers (Documentation/vgic.rst).
 *
 * Every interrupt has one state, in struct a64_vgic_irq, under the VM's
 * vgic->lock.  An interrupt that is pending or active is a *candidate* of
 * the vCPU it targets (a bit in that vCPU's candidates bitmap).  Before each
 * entry, a64_vgic_flush() puts the most urgent candidates into the list
 * registers (active ones first, then by priority); from then until the
 * vCPU's next exit the list registers own their state, and
 * a64_vgic_fold() takes it back.  More candidates than list registers:
 * ICH_HCR_EL2.UIE asks for a maintenance interrupt when at most one list
 * register is still in use, and the next entry refills them.
 *
 * A level-sensitive interrupt is pending while its line is high (or a
 * GICD_ISPENDR write latched it).  Its list register carries the pending
 * state only while it is not active, and the EOI bit while its line is
 * high: when the guest deactivates it, the maintenance interrupt makes the
 * vCPU exit and the line is sampled again.  The guest can lower a line
 * behind our back (masking its timer), so an active level interrupt is
 * never shown as pending as well.
 *
 * Anything that makes an interrupt deliverable to a vCPU kicks that vCPU
 * (a64_vcpu_kick()): it leaves the guest or stops waiting, and its next
 * entry sees the new state.
 */
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>

#include "a64vcpu.h"

/* List registers this host has (ICH_VTR_EL2.ListRegs + 1), 0 without GICv3. */
unsigned int a64_vgic_nr_lrs;
/* ICH_VTR_EL2: priority, preemption and INTID bits of the virtual interface. */
u64 a64_vgic_vtr;

/* The maintenance interrupt: PPI 25, the first interrupt of the GIC's node. */
static struct a64_host_ppi maint = { .name = "a64vcpu-vgic" };

/**
 * a64_vgic_hw_init() - learn the host's GICv3 and take its maintenance PPI
 *
 * Called once EL2 is ours on every CPU.  The list-register count comes from
 * EL2 (ICH_VTR_EL2).  The maintenance interrupt (PPI 25, in the GIC's
 * device-tree node) must reach the host (host_ppi.c).  Without a GICv3
 * system-register interface the vGIC is simply not offered.
 */
void a64_vgic_hw_init(void)
{
	struct a64_hyp_report r = {};
	int ret;

	if (!cpus_have_cap(ARM64_HAS_SYSREG_GIC_CPUIF))
		return;
	preempt_disable();
	ret = a64_el2_report_this_cpu(&r);
	preempt_enable();
	if (ret || !r.ich_vtr_el2)
		return;
	a64_vgic_vtr = r.ich_vtr_el2;
	a64_vgic_nr_lrs = min_t(unsigned int, (r.ich_vtr_el2 & A64_ICH_VTR_LIST_REGS) + 1,
				A64_GIC_MAX_LRS);
	a64_host_ppi_find(&maint, "arm,gic-v3", 0);
	if (!maint.irq)
		pr_warn(A64_NAME ": no GICv3 maintenance interrupt in the device tree: guests with more pending interrupts than list registers wait for their next exit\n");
	a64_host_ppi_take(&maint);
}

/**
 * a64_vgic_hw_exit() - give the maintenance interrupt back
 */
void a64_vgic_hw_exit(void)
{
	a64_host_ppi_release(&maint);
}

static bool irq_pending(const struct a64_vgic_irq *irq)
{
	return irq->latch || (irq->level && irq->line);
}

static bool group_enabled(const struct a64_vgic *vgic, const struct a64_vgic_irq *irq)
{
	return irq->group1 ? vgic->grp1_en : vgic->grp0_en;
}

/* Pending and forwarded by the distributor: belongs in a list register. */
static bool deliverable(const struct a64_vgic *vgic, const struct a64_vgic_irq *irq)
{
	return irq_pending(irq) && irq->enabled && group_enabled(vgic, irq);
}

/**
 * a64_vgic_irq_locked() - an interrupt's state by INTID
 * @vgic: the vGIC, its lock held
 * @vcpu: whose SGIs and PPIs INTIDs below 32 name
 * @intid: the INTID
 *
 * Return: the state, or NULL if the INTID does not exist (beyond NR_IRQS,
 * or one of the special INTIDs 1020..1023, which a VM of 1024 INTIDs has
 * room for but which are never interrupts).
 */
struct a64_vgic_irq *a64_vgic_irq_locked(struct a64_vgic *vgic, struct a64_vcpu *vcpu,
					 u32 intid)
{
	if (intid < A64_VGIC_NR_PRIVATE)
		return vcpu ? &vcpu->vgic.private[intid] : NULL;
	if (intid < vgic->nr_irqs && intid < A64_VGIC_SPECIAL)
		return &vgic->spis[intid - A64_VGIC_NR_PRIVATE];
	return NULL;
}

/**
 * a64_vgic_update_locked() - file an interrupt after its state changed
 * @vgic: the vGIC, its lock held
 * @irq: the interrupt
 *
 * Puts it on the candidates of the vCPU that should see it (the one whose
 * list registers hold it, else its target while it is pending or active)
 * and kicks that vCPU if it is deliverable.
 */
void a64_vgic_update_locked(struct a64_vgic *vgic, struct a64_vgic_irq *irq)
{
	struct a64_vcpu *want = irq->in_lr;

	lockdep_assert_held(&vgic->lock);
	if (!want && (irq_pending(irq) || irq->active))
		want = irq->target;
	if (want != irq->listed) {
		if (irq->listed) {
			__clear_bit(irq->intid, irq->listed->vgic.candidates);
			irq->listed->vgic.nr_candidates--;
		}
		if (want) {
			__set_bit(irq->intid, want->vgic.candidates);
			want->vgic.nr_candidates++;
		}
		irq->listed = want;
	}
	/*
	 * Also when it is in a running vCPU's list registers: the guest may
	 * have finished with it there (the list register is empty now), and
	 * only an exit and the next entry deliver the new pending state.
	 */
	if (want && deliverable(vgic, irq))
		a64_vcpu_kick(want);
}

/**
 * a64_vgic_route_locked() - the vCPU an affinity names
 * @vgic: the vGIC, its lock held
 * @route: Aff3 in bits 39:32, Aff2..Aff0 in bits 23:0 (GICD_IROUTER)
 *
 * Return: the vCPU, or NULL.
 */
struct a64_vcpu *a64_vgic_route_locked(struct a64_vgic *vgic, u64 route)
{
	unsigned int i;

	for (i = 0; i < vgic->nr_vcpus; i++) {
		struct a64_vcpu *vcpu = vgic->vcpus[i];

		if (vcpu && a64_vcpu_affinity(vcpu) == route)
			return vcpu;
	}
	return NULL;
}

static void irq_reset(struct a64_vgic_irq *irq, u32 intid, struct a64_vcpu *target)
{
	*irq = (struct a64_vgic_irq){
		.intid = intid,
		.group1 = true,		/* as KVM's GICv3: Linux sets it anyway */
		.level = intid >= A64_VGIC_NR_SGIS,	/* SGIs are edge, PPIs level */
		.target = target,
	};
}

/**
 * a64_vgic_create() - a vGIC for @vm, not yet initialised
 * @vm: the VM
 *
 * Return: the vGIC, or NULL.
 */
struct a64_vgic *a64_vgic_create(struct a64_vm *vm)
{
	struct a64_vgic *vgic = kzalloc(sizeof(*vgic), GFP_KERNEL_ACCOUNT);

	if (!vgic)
		return NULL;
	spin_lock_init(&vgic->lock);
	vgic->vm = vm;
	vgic->dist_base = A64_VGIC_ADDR_UNSET;
	vgic->redist_base = A64_VGIC_ADDR_UNSET;
	vgic->nr_irqs = A64_VGIC_DEFAULT_IRQS;
	return vgic;
}

/**
 * a64_vgic_vcpu_reset() - a vCPU's redistributor and CPU interface at reset
 * @vcpu: the vCPU, not running
 *
 * SGIs and PPIs inactive, disabled, group 1, priority 0; the CPU interface
 * on (ICH_HCR_EL2.En) with every group disabled and the priority mask at 0,
 * as after a reset.
 */
void a64_vgic_vcpu_reset(struct a64_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < A64_VGIC_NR_PRIVATE; i++)
		irq_reset(&vcpu->vgic.private[i], i, vcpu);
	bitmap_zero(vcpu->vgic.candidates, A64_VGIC_MAX_IRQS);
	vcpu->vgic.nr_candidates = 0;
	vcpu->vgic.nr_lr = 0;
	memset(&vcpu->ctx->gic, 0, sizeof(vcpu->ctx->gic));
	vcpu->ctx->gic.hcr = ICH_HCR_EN;
}

/**
 * a64_vgic_init() - A64VCPU_VGIC_CTRL_INIT: the vGIC becomes usable
 * @vgic: the vGIC; its VM's lock held (no vCPU comes or goes meanwhile)
 *
 * Return: 0, -ENXIO (an address is not set), -ENODEV (no vCPU), -E2BIG (the
 * redistributors do not fit below the IPA size or overlap the distributor),
 * -ENOMEM.
 */
int a64_vgic_init(struct a64_vgic *vgic)
{
	struct a64_vm *vm = vgic->vm;
	unsigned int i, nr = 0;
	u64 redist_end;

	lockdep_assert_held(&vm->lock);
	if (vgic->dist_base == A64_VGIC_ADDR_UNSET || vgic->redist_base == A64_VGIC_ADDR_UNSET) {
		pr_info_ratelimited(A64_NAME ": vGIC init: set the distributor and redistributor addresses first\n");
		return -ENXIO;
	}
	for (i = 0; i < A64_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			nr = i + 1;
	if (!nr) {
		pr_info_ratelimited(A64_NAME ": vGIC init: create the vCPUs first\n");
		return -ENODEV;
	}
	redist_end = vgic->redist_base + (u64)nr * A64_VGIC_REDIST_SIZE;
	if (redist_end > BIT_ULL(vm->ipa_bits) ||
	    (vgic->dist_base < redist_end &&
	     vgic->redist_base < vgic->dist_base + A64_VGIC_DIST_SIZE)) {
		pr_info_ratelimited(A64_NAME ": vGIC init: %u redistributors at %#llx overlap the distributor or leave the IPA space\n",
				    nr, vgic->redist_base);
		return -E2BIG;
	}

	vgic->spis = kvcalloc(vgic->nr_irqs - A64_VGIC_NR_PRIVATE, sizeof(*vgic->spis),
			      GFP_KERNEL_ACCOUNT);
	vgic->vcpus = kcalloc(nr, sizeof(*vgic->vcpus), GFP_KERNEL_ACCOUNT);
	if (!vgic->spis || !vgic->vcpus) {
		kvfree(vgic->spis);
		kfree(vgic->vcpus);
		vgic->spis = NULL;
		vgic->vcpus = NULL;
		return -ENOMEM;
	}
	vgic->nr_vcpus = nr;
	for (i = 0; i < nr; i++) {
		vgic->vcpus[i] = vm->vcpus[i];
		if (vm->vcpus[i])
			a64_vgic_vcpu_reset(vm->vcpus[i]);
	}
	/* SPIs start routed to Aff 0.0.0.0, as GICD_IROUTER resets. */
	for (i = A64_VGIC_NR_PRIVATE; i < vgic->nr_irqs; i++)
		irq_reset(&vgic->spis[i - A64_VGIC_NR_PRIVATE], i,
			  a64_vgic_route_locked(vgic, 0));
	/* Readers that see ready (without the lock) see all of the above. */
	smp_store_release(&vgic->ready, true);
	return 0;
}

/**
 * a64_vgic_vcpu_remove() - a vCPU goes: no interrupt targets it any more
 * @vcpu: the vCPU, its fd closed (it does not run)
 */
void a64_vgic_vcpu_remove(struct a64_vcpu *vcpu)
{
	struct a64_vgic *vgic = a64_vm_vgic(vcpu->vm);
	unsigned long flags;
	unsigned int i;

	if (!vgic)
		return;
	spin_lock_irqsave(&vgic->lock, flags);
	if (vcpu->idx < vgic->nr_vcpus)
		vgic->vcpus[vcpu->idx] = NULL;
	for (i = A64_VGIC_NR_PRIVATE; i < vgic->nr_irqs; i++) {
		struct a64_vgic_irq *irq = &vgic->spis[i - A64_VGIC_NR_PRIVATE];

		if (irq->in_lr == vcpu) {
			irq->in_lr = NULL;
			irq->overruled = false;
		}
		if (irq->target == vcpu)
			irq->target = NULL;
		if (irq->listed == vcpu)
			a64_vgic_update_locked(vgic, irq);
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
}

/**
 * a64_vgic_destroy() - free a vGIC with its VM
 * @vgic: the vGIC; no vCPU is left
 */
void a64_vgic_destroy(struct a64_vgic *vgic)
{
	if (!vgic)
		return;
	kvfree(vgic->spis);
	kfree(vgic->vcpus);
	kfree(vgic);
}

/**
 * a64_vgic_inject() - drive an interrupt line (A64VCPU_IRQ_LINE, the timers)
 * @vgic: an initialised vGIC
 * @vcpu: for SGIs and PPIs, the vCPU; ignored for SPIs
 * @intid: the INTID
 * @level: the line's new level
 *
 * A level-sensitive interrupt follows the line; an edge-triggered one is
 * made pending by every call with @level true (a rising edge).  Kicks the
 * target if the interrupt became deliverable.
 *
 * Return: 0, or -EINVAL for an INTID that does not exist.
 */
int a64_vgic_inject(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 intid, bool level)
{
	struct a64_vgic_irq *irq;
	unsigned long flags;

	spin_lock_irqsave(&vgic->lock, flags);
	irq = a64_vgic_irq_locked(vgic, vcpu, intid);
	if (irq) {
		if (irq->level)
			irq->line = level;
		else if (level)
			irq->latch = true;
		a64_vgic_update_locked(vgic, irq);
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
	return irq ? 0 : -EINVAL;
}

/**
 * a64_vgic_pulse() - a rising and a falling edge on an SPI's line (an
 * interrupt eventfd)
 * @vgic: an initialised vGIC
 * @intid: an SPI that exists
 *
 * An edge-triggered SPI becomes pending; a level-sensitive one sees its
 * line go up and down before anything samples it, as two A64VCPU_IRQ_LINE
 * writes would make it: nothing.  Any context.
 */
void a64_vgic_pulse(struct a64_vgic *vgic, u32 intid)
{
	struct a64_vgic_irq *irq;
	unsigned long flags;

	spin_lock_irqsave(&vgic->lock, flags);
	irq = a64_vgic_irq_locked(vgic, NULL, intid);
	if (!irq->level) {
		irq->latch = true;
		a64_vgic_update_locked(vgic, irq);
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
}

/**
 * a64_vgic_resampler() - an interrupt eventfd with a resampler binds to an
 * SPI, or unbinds
 * @vgic: an initialised vGIC
 * @intid: an SPI that exists
 * @add: binds; else unbinds, and the last lowers the line it raised
 */
void a64_vgic_resampler(struct a64_vgic *vgic, u32 intid, bool add)
{
	struct a64_vgic_irq *irq;
	unsigned long flags;

	spin_lock_irqsave(&vgic->lock, flags);
	irq = a64_vgic_irq_locked(vgic, NULL, intid);
	if (add) {
		irq->resamplers++;
	} else if (!--irq->resamplers) {
		irq->line = false;
		a64_vgic_update_locked(vgic, irq);
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
}

/**
 * a64_vgic_set_line() - a private interrupt's line, if it changed
 * @vcpu: the vCPU
 * @intid: an SGI or PPI
 * @level: the line's level
 *
 * For the timers, on every entry: takes the lock only on a change.
 */
void a64_vgic_set_line(struct a64_vcpu *vcpu, u32 intid, bool level)
{
	struct a64_vgic *vgic = vcpu->vm->vgic;

	if (READ_ONCE(vcpu->vgic.private[intid].line) != level)
		a64_vgic_inject(vgic, vcpu, intid, level);
}

/* The list-register order: active first, then priority, then INTID. */
static bool more_urgent(const struct a64_vgic_irq *a, const struct a64_vgic_irq *b)
{
	if (a->active != b->active)
		return a->active;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->intid < b->intid;
}

static u64 make_lr(const struct a64_vgic_irq *irq)
{
	u64 lr = irq->intid | ((u64)irq->priority << ICH_LR_PRIORITY_SHIFT);

	if (irq->group1)
		lr |= ICH_LR_GROUP;
	if (irq->active)
		lr |= ICH_LR_ACTIVE_BIT;
	if (irq->level) {
		if (!irq->active && irq_pending(irq))
			lr |= ICH_LR_PENDING_BIT;
		if (irq_pending(irq))
			lr |= ICH_LR_EOI;	/* resample when the guest is done */
	} else if (irq->latch) {
		lr |= ICH_LR_PENDING_BIT;
	}
	return lr;
}

/*
 * The candidates' most urgent deliverable interrupts into the list
 * registers: out of line, so that an entry with no candidate does not pay
 * for best[] (zeroed on the stack by CONFIG_INIT_STACK_ALL_ZERO kernels:
 * a memset of every entry before, make bench's profile).
 */
static noinline void flush_candidates(struct a64_vcpu *vcpu)
{
	struct a64_vgic *vgic = vcpu->vm->vgic;
	struct a64_vgic_cpu *vc = &vcpu->vgic;
	struct a64_gic_cpu_if *gic = &vcpu->ctx->gic;
	struct a64_vgic_irq *best[A64_GIC_MAX_LRS];
	unsigned int n = 0, found = 0, i, j, intid;

	spin_lock(&vgic->lock);
	for_each_set_bit(intid, vc->candidates, vgic->nr_irqs) {
		struct a64_vgic_irq *irq = a64_vgic_irq_locked(vgic, vcpu, intid);

		if (!irq->active && !deliverable(vgic, irq))
			continue;	/* pending, but disabled: waits */
		found++;
		/* Keep the a64_vgic_nr_lrs most urgent in best[], in order. */
		if (n == a64_vgic_nr_lrs && !more_urgent(irq, best[n - 1]))
			continue;
		i = n < a64_vgic_nr_lrs ? n++ : n - 1;
		for (; i > 0 && more_urgent(irq, best[i - 1]); i--)
			best[i] = best[i - 1];
		best[i] = irq;
	}
	for (j = 0; j < n; j++) {
		struct a64_vgic_irq *irq = best[j];

		gic->lr[j] = make_lr(irq);
		vc->lr_intid[j] = irq->intid;
		irq->in_lr = vcpu;
		if (!irq->level)
			irq->latch = false;	/* the list register has it now */
	}
	spin_unlock(&vgic->lock);
	vc->nr_lr = n;
	vc->overflow = found > n;
	gic->used_lrs = n;
	gic->hcr = ICH_HCR_EN | (vc->overflow ? ICH_HCR_UIE : 0);
}

/**
 * a64_vgic_flush() - fill the list registers before an entry
 * @vcpu: the vCPU, about to enter with interrupts off
 */
void a64_vgic_flush(struct a64_vcpu *vcpu)
{
	struct a64_gic_cpu_if *gic = &vcpu->ctx->gic;

	if (READ_ONCE(vcpu->vgic.nr_candidates)) {
		flush_candidates(vcpu);
		return;
	}
	gic->used_lrs = 0;
	gic->hcr = ICH_HCR_EN;
}

/*
 * The list registers' state back into the interrupts: out of line, so that
 * an exit with none in use pays one load and a branch.
 */
static noinline void fold_lrs(struct a64_vcpu *vcpu)
{
	struct a64_vgic *vgic = vcpu->vm->vgic;
	struct a64_vgic_cpu *vc = &vcpu->vgic;
	unsigned long resample = 0;	/* LRs whose SPI a resample eventfd lowers */
	unsigned int i;

	spin_lock(&vgic->lock);
	for (i = 0; i < vc->nr_lr; i++) {
		u64 lr = vcpu->ctx->gic.lr[i];
		struct a64_vgic_irq *irq = a64_vgic_irq_locked(vgic, vcpu, vc->lr_intid[i]);

		irq->in_lr = NULL;
		if (irq->overruled) {
			irq->overruled = false;	/* a write since: it stands */
		} else {
			irq->active = lr & ICH_LR_ACTIVE_BIT;
			if (!irq->level && (lr & ICH_LR_PENDING_BIT))
				irq->latch = true;
			if (irq->level && !(lr & ICH_LR_STATE)) {
				irq->latch = false;	/* acknowledged and deactivated */
				if (irq->resamplers) {	/* lowered until an eventfd raises it */
					irq->line = false;
					__set_bit(i, &resample);
				}
			}
		}
		a64_vgic_update_locked(vgic, irq);
	}
	spin_unlock(&vgic->lock);
	vc->nr_lr = 0;
	vcpu->ctx->gic.used_lrs = 0;
	/*
	 * Outside the lock: a resample eventfd's waiter may raise an SPI.  (A
	 * bitmap, not an array of INTIDs: CONFIG_INIT_STACK_ALL_ZERO would
	 * zero an array, and the stack protector guard it, on every exit.)
	 */
	for_each_set_bit(i, &resample, A64_GIC_MAX_LRS)
		a64_irqfd_resample(vcpu->vm, vc->lr_intid[i]);
}

/**
 * a64_vgic_fold() - take the list registers' state back after an exit
 * @vcpu: the vCPU, just out of the guest
 */
void a64_vgic_fold(struct a64_vcpu *vcpu)
{
	if (vcpu->vgic.nr_lr)
		fold_lrs(vcpu);
}

/**
 * a64_vgic_pending() - would an interrupt wake this vCPU from WFI?
 * @vcpu: the vCPU, outside the guest
 *
 * A candidate that is pending, enabled in the distributor and in the CPU
 * interface (ICH_VMCR_EL2 group enables) and above the priority mask.
 *
 * Return: true if so.
 */
bool a64_vgic_pending(struct a64_vcpu *vcpu)
{
	struct a64_vgic *vgic = vcpu->vm->vgic;
	u64 vmcr = vcpu->ctx->gic.vmcr;
	u8 pmr = (vmcr & ICH_VMCR_PMR_MASK) >> ICH_VMCR_PMR_SHIFT;
	unsigned long flags;
	unsigned int intid;
	bool ret = false;

	spin_lock_irqsave(&vgic->lock, flags);
	for_each_set_bit(intid, vcpu->vgic.candidates, vgic->nr_irqs) {
		struct a64_vgic_irq *irq = a64_vgic_irq_locked(vgic, vcpu, intid);

		if (irq->active || !deliverable(vgic, irq) || irq->priority >= pmr)
			continue;
		if (irq->group1 ? (vmcr & ICH_VMCR_ENG1_MASK) : (vmcr & ICH_VMCR_ENG0_MASK)) {
			ret = true;
			break;
		}
	}
	spin_unlock_irqrestore(&vgic->lock, flags);
	return ret;
}
