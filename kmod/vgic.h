/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel GICv3 (Documentation/vgic.rst): the interrupt state of a
 * VM, its distributor and redistributors as guest MMIO (vgic_mmio.c), its
 * list registers (vgic.c), the CPU interface's trapped registers
 * (vgic_cpuif.c) and its device fd (vgic_dev.c).
 */
#ifndef A64_VGIC_H
#define A64_VGIC_H

#include <linux/bitmap.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct a64_vm;
struct a64_vcpu;

#define A64_VGIC_NR_SGIS	16
#define A64_VGIC_NR_PRIVATE	32	/* SGIs and PPIs, per vCPU */
#define A64_VGIC_MAX_IRQS	1024
#define A64_VGIC_SPECIAL	1020	/* INTIDs 1020..1023: never an interrupt */
#define A64_VGIC_DEFAULT_IRQS	256
#define A64_VGIC_DIST_SIZE	SZ_64K
#define A64_VGIC_REDIST_SIZE	SZ_128K	/* RD_base and SGI_base frames */
#define A64_VGIC_SGI_BASE	SZ_64K	/* offset of SGI_base in a redistributor */
#define A64_VGIC_ADDR_UNSET	(~0ULL)

/* Interrupts the module raises itself. */
#define A64_PPI_MAINTENANCE	25
#define A64_PPI_VTIMER		27
#define A64_PPI_PTIMER		30

/**
 * struct a64_vgic_irq - one interrupt's state (the distributor's view)
 * @intid:	its INTID
 * @priority:	GICD_IPRIORITYR (lower is more urgent)
 * @enabled:	GICD_ISENABLER
 * @group1:	GICD_IGROUPR (group 1; else group 0, a virtual FIQ)
 * @level:	level-sensitive (GICD_ICFGR); else edge-triggered
 * @line:	the input line (level-sensitive interrupts)
 * @latch:	pending state latched by an edge or by GICD_ISPENDR
 * @active:	active (acknowledged, not yet deactivated)
 * @route:	SPIs: GICD_IROUTER's affinity (Aff3.Aff2.Aff1.Aff0)
 * @target:	SPIs: the vCPU @route names, or NULL; private: the owner
 * @in_lr:	the vCPU whose list registers hold this interrupt right now
 *		(its state there wins at that vCPU's next exit ...)
 * @overruled:	... unless a distributor write changed its pending or active
 *		state meanwhile: then the software state wins
 * @listed:	the vCPU whose candidate bitmap has this interrupt, or NULL
 * @resamplers:	SPIs: interrupt eventfds with a resampler bound to it
 *		(irqfd.c): when the guest deactivates it, its line is
 *		lowered and their resample eventfds signalled
 *
 * Protected by the VM's vgic->lock.
 */
struct a64_vgic_irq {
	u32 intid;
	u8 priority;
	bool enabled;
	bool group1;
	bool level;
	bool line;
	bool latch;
	bool active;
	u64 route;
	struct a64_vcpu *target;
	struct a64_vcpu *in_lr;
	bool overruled;
	struct a64_vcpu *listed;
	unsigned int resamplers;
};

/**
 * struct a64_vgic_cpu - a vCPU's part of the vGIC: its redistributor
 * @private:	SGIs 0..15 and PPIs 16..31
 * @candidates:	INTIDs pending or active for this vCPU (the list registers
 *		are filled from these, most urgent first)
 * @nr_candidates: how many (read without the lock by the entry: the kick
 *		protocol covers a change it misses)
 * @lr_intid:	what the list registers hold since the last entry
 * @nr_lr:	how many
 * @overflow:	more candidates than list registers at the last entry
 */
struct a64_vgic_cpu {
	struct a64_vgic_irq private[A64_VGIC_NR_PRIVATE];
	DECLARE_BITMAP(candidates, A64_VGIC_MAX_IRQS);
	unsigned int nr_candidates;
	u32 lr_intid[16];
	unsigned int nr_lr;
	bool overflow;
};

/**
 * struct a64_vgic - a VM's GICv3 distributor
 * @lock:	every interrupt's state, the vCPUs' candidate bitmaps
 * @vm:		the VM
 * @ready:	A64VCPU_VGIC_CTRL_INIT done: addresses and size fixed, no
 *		more vCPUs (read without the lock once set)
 * @dist_base:	guest-physical base of the distributor
 * @redist_base: base of the redistributors, one frame per vCPU index
 * @nr_irqs:	INTIDs 0..nr_irqs-1 exist (SPIs from 32)
 * @grp0_en:	GICD_CTLR.EnableGrp0
 * @grp1_en:	GICD_CTLR.EnableGrp1
 * @spis:	nr_irqs - 32 SPIs
 * @vcpus:	the vCPUs by index, for routing (NULL once one is gone)
 * @nr_vcpus:	one more than the highest index at INIT
 */
struct a64_vgic {
	spinlock_t lock;	/* the interrupts' state (see above) */
	struct a64_vm *vm;
	bool ready;
	u64 dist_base;
	u64 redist_base;
	unsigned int nr_irqs;
	bool grp0_en;
	bool grp1_en;
	struct a64_vgic_irq *spis;
	struct a64_vcpu **vcpus;
	unsigned int nr_vcpus;
};

/* vgic.c: state and list registers */
extern unsigned int a64_vgic_nr_lrs;
extern u64 a64_vgic_vtr;
void a64_vgic_hw_init(void);
void a64_vgic_hw_exit(void);
struct a64_vgic *a64_vgic_create(struct a64_vm *vm);
int a64_vgic_init(struct a64_vgic *vgic);
void a64_vgic_destroy(struct a64_vgic *vgic);
void a64_vgic_vcpu_reset(struct a64_vcpu *vcpu);
void a64_vgic_vcpu_remove(struct a64_vcpu *vcpu);
struct a64_vgic_irq *a64_vgic_irq_locked(struct a64_vgic *vgic, struct a64_vcpu *vcpu,
					 u32 intid);
void a64_vgic_update_locked(struct a64_vgic *vgic, struct a64_vgic_irq *irq);
struct a64_vcpu *a64_vgic_route_locked(struct a64_vgic *vgic, u64 route);
int a64_vgic_inject(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 intid, bool level);
void a64_vgic_pulse(struct a64_vgic *vgic, u32 intid);
void a64_vgic_resampler(struct a64_vgic *vgic, u32 intid, bool add);
void a64_vgic_set_line(struct a64_vcpu *vcpu, u32 intid, bool level);
void a64_vgic_flush(struct a64_vcpu *vcpu);
void a64_vgic_fold(struct a64_vcpu *vcpu);
bool a64_vgic_pending(struct a64_vcpu *vcpu);

/* vgic_mmio.c: the distributor and redistributor frames */
bool a64_vgic_covers(struct a64_vcpu *vcpu, u64 ipa);
bool a64_vgic_mmio(struct a64_vcpu *vcpu, u64 ipa, unsigned int len, bool write, u64 *val);
int a64_vgic_dist_access(struct a64_vgic *vgic, u32 offset, bool write, u32 *val);
int a64_vgic_redist_access(struct a64_vgic *vgic, struct a64_vcpu *vcpu, u32 offset,
			   bool write, u32 *val);

/* vgic_cpuif.c: the CPU interface registers that trap, and its state */
int a64_vgic_cpu_sysreg_access(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val);

/* vgic_dev.c: A64VCPU_CREATE_DEVICE */
int a64_vgic_create_device(struct a64_vm *vm);

#endif /* A64_VGIC_H */
