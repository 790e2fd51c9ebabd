/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Declarations shared by the EL1 files of a64vcpu.
 */
#ifndef A64VCPU_H
#define A64VCPU_H

#include <linux/bits.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/a64vcpu.h>
#include <shared/hyp_abi.h>

#include "vgic.h"

#define A64_NAME	"a64vcpu"

/* pages.c: every page the module allocates, counted */
void *a64_page_alloc(void);
void a64_page_free(void *page);
void *a64_pages_alloc_exact(size_t size);
void a64_pages_free_exact(void *addr, size_t size);
void *a64_pages_alloc_order(unsigned int order);
void a64_pages_free_order(void *addr, unsigned int order);
long a64_pages_in_use(void);

/* el2_pgtable.c: EL2 stage-1, an identity map of what EL2 touches */
enum a64_el2_prot {
	A64_EL2_RX,	/* the image's code */
	A64_EL2_RO,	/* read-only data, not executable */
	A64_EL2_RW,	/* data, not executable */
};

struct a64_el2_pgtable {
	u64 *pgd;
};

int a64_el2_pgtable_init(struct a64_el2_pgtable *pt);
int a64_el2_map(struct a64_el2_pgtable *pt, phys_addr_t pa, size_t size,
		enum a64_el2_prot prot);
int a64_el2_unmap_page(struct a64_el2_pgtable *pt, phys_addr_t pa, void **freed);
void a64_el2_pgtable_destroy(struct a64_el2_pgtable *pt);

/* el2.c: owning EL2 on every CPU */
enum a64_el2_owner {
	A64_EL2_OURS,		/* our vectors answer */
	A64_EL2_STUB,		/* the kernel's hyp stub answers */
	A64_EL2_FOREIGN,	/* KVM or a hypervisor below Linux */
};

/* CNTVCT ticks per 1000 round trips, over A64_EL2_BENCH_REPS repetitions */
#define A64_EL2_BENCH_REPS	5
struct a64_el2_bench {
	u64 ours_best, ours_median;
	u64 stub_best, stub_median;
};

int a64_el2_init(void);
void a64_el2_exit(void);
enum a64_el2_owner a64_el2_owner_this_cpu(void);
const char *a64_el2_owner_name(enum a64_el2_owner owner);
int a64_el2_ensure_owned(void);
int a64_el2_report_this_cpu(struct a64_hyp_report *report);
int a64_el2_bench_this_cpu(struct a64_el2_bench *bench);
unsigned int a64_el2_installs(unsigned int cpu);
phys_addr_t a64_el2_vectors_pa(void);
phys_addr_t a64_el2_pgd_pa(void);
unsigned int a64_el2_max_ipa_bits(void);
unsigned int a64_parange(void);
u64 a64_el2_features(unsigned int cpu);
int a64_el2_share(void *addr, size_t size);
void a64_el2_unshare(void *addr, size_t size);
int a64_el2_run(struct a64_vcpu_ctx *ctx);
void a64_el2_tlbi_vmid(u64 vttbr);
void a64_el2_tlb_stats(u64 *vmid_calls, u64 *vmid_each_cpu);
u64 a64_el2_handover_tlbis(unsigned int cpu);
phys_addr_t a64_el2_image_pa(void);
size_t a64_el2_image_size(void);
struct a64_hyp_cpu *a64_el2_hyp_cpu(unsigned int cpu);

struct dentry;
struct seq_file;

/* el2_panic.c: an exception EL2 did not expect */
void __noreturn a64_el2_panic(u64 code, u64 esr, u64 elr, u64 far, u64 spsr,
			      u64 par, u64 vcpu_ctx);
#ifdef A64VCPU_FAULT_INJECT
void a64_el2_fault_inject_init(struct dentry *dir);
#else
static inline void a64_el2_fault_inject_init(struct dentry *dir) {}
#endif

/* spectre.c: branch-predictor hardening at EL2, workarounds for guests */
void a64_spectre_init(void);
void a64_spectre_cpu_init(struct a64_hyp_cpu *hyp, phys_addr_t guest_vectors);
s64 a64_spectre_guest_answer(unsigned int n);
int a64_spectre_show(struct seq_file *m);

/* Limits (Documentation/api.rst) */
#define A64_MAX_VCPUS		64
#define A64_MAX_SLOTS		32	/* per stage-2 space */
#define A64_MAX_STAGE2		8	/* per VM, the default one included */
#define A64_MAX_SLOT_SIZE	BIT_ULL(36)
#define A64_DEFAULT_IPA_BITS	40
#define A64_MAX_DOORBELLS	256	/* per VM */
#define A64_MAX_IRQFDS		1024	/* interrupt eventfds per VM */

/* stage2.c: a guest-physical address space and its VMID */
struct a64_stage2 {
	struct list_head node;		/* in vm->stage2s */
	struct list_head slots;		/* struct a64_slot, by slot id */
	unsigned int nr_slots;
	u32 id;
	u16 vmid;
	u64 *pgd;			/* start-level tables, concatenated */
	unsigned int pgd_order;
	unsigned int start_level;
	unsigned int ipa_bits;
	u64 __percpu *last_ran;		/* s2_token of the last entry per CPU */
	unsigned long nr_mapped[3];	/* 1 GiB blocks, 2 MiB blocks, pages */
};

/* A slot: while it is in its space's list, vm->mmu_lock or vm->lock reads it. */
struct a64_slot {
	struct list_head node;
	u32 id;
	u32 flags;			/* A64VCPU_MEM_* */
	u64 gpa;
	u64 size;
	u64 uaddr;
	u64 gen;			/* unique: vm->slot_gen when it was added */
	struct page **pages;		/* A64VCPU_MEM_PINNED: pinned while set */
	unsigned long npages;
};

/* Tables for one mapping, allocated before the lock is taken. */
struct a64_s2_cache {
	void *pages[3];			/* a level below the start level, each */
	unsigned int nr;
};

/* Stage-2 descriptor bits the kernel defines only inside KVM */
#define A64_S2_XN	BIT_ULL(54)	/* XN[1]: no execution at EL1 or EL0 */

#define A64_S2_W	BIT(0)		/* writable (always readable) */
#define A64_S2_X	BIT(1)		/* executable */

u64 a64_stage2_vtcr(unsigned int ipa_bits);
struct a64_stage2 *a64_stage2_create(unsigned int ipa_bits, u32 id);
void a64_stage2_destroy(struct a64_stage2 *s2);
int a64_s2_cache_topup(struct a64_s2_cache *cache);
void a64_s2_cache_free(struct a64_s2_cache *cache);
int a64_stage2_map(struct a64_stage2 *s2, u64 ipa, phys_addr_t pa,
		   unsigned int level, unsigned int prot, struct a64_s2_cache *cache);
u64 a64_stage2_leaf(struct a64_stage2 *s2, u64 ipa);
bool a64_stage2_unmap(struct a64_stage2 *s2, u64 ipa, u64 size);
bool a64_stage2_age(struct a64_stage2 *s2, u64 ipa, u64 size, bool clear);
void a64_stage2_for_each_leaf(struct a64_stage2 *s2, u64 ipa, u64 size,
			      void (*fn)(phys_addr_t pa, u64 size, void *arg), void *arg);
u64 a64_stage2_vttbr(const struct a64_stage2 *s2);
u64 a64_stage2_new_token(void);
bool a64_stage2_enter_this_cpu(struct a64_stage2 *s2, u64 token);
u64 a64_stage2_local_tlbis(void);

/* vm.c: VM fds */
struct a64_vcpu;
struct a64_doorbells;

struct a64_vm {
	struct kref ref;		/* the VM fd and each vCPU fd */
	struct mutex lock;		/* stage2s, their slots, vcpus */
	struct mm_struct *mm;		/* its creator's: only it uses the fds */
	bool foreign_use_logged;	/* a64_vm_check_owner() said so once */
	/* Stage 2 in step with mm (mem_fault.c, mmu_notifier.c) */
	spinlock_t mmu_lock;		/* tables; stage2s and slots (with lock, to write) */
	struct mmu_notifier mn;
	unsigned long mmu_seq;		/* invalidations ended */
	u64 slot_gen;			/* slots added or removed */
	unsigned long mmu_invalidating;	/* invalidations running ... */
	unsigned long inval_start;	/* ... over (a superset of) this range of mm */
	unsigned long inval_end;
	bool mm_released;		/* mm is gone: nothing maps again */
	u64 stat_faults;		/* stage-2 faults resolved */
	u64 stat_fault_races;		/* of those, retried: the host changed it */
	u64 stat_invalidations;		/* notifier calls that unmapped something */
	atomic_long_t pinned_pages;	/* by A64VCPU_MEM_PINNED slots */
	unsigned int ipa_bits;
	u64 vtcr;
	u64 cntvoff;			/* one virtual counter for all vCPUs */
	struct a64_vgic *vgic;		/* A64VCPU_CREATE_DEVICE, or NULL */
	struct list_head stage2s;
	unsigned int nr_stage2;
	u32 next_stage2_id;
	struct a64_vcpu *vcpus[A64_MAX_VCPUS];
	unsigned int nr_vcpus;
	struct dentry *debugfs;		/* a64vcpu/<pid>-<fd>-<serial>/ */
	bool entered;			/* a vCPU ran: guest memory maintained (cache.c) */
	u64 stat_dcache_pages;		/* pages cleaned+invalidated to the PoC */
	u64 stat_icache_inval;		/* I-cache invalidations for new guest memory */
	struct a64_doorbells __rcu *doorbells;	/* written under lock (doorbell.c) */
	spinlock_t irqfd_lock;		/* irqfds, to write (irqfd.c) */
	struct list_head irqfds;	/* interrupt eventfds; RCU to read */
	unsigned int nr_irqfds;
	atomic_long_t stat_doorbells;	/* guest stores completed by a doorbell */
	atomic_long_t stat_irqfd_injections;	/* SPIs raised by interrupt eventfds */
	atomic_long_t stat_irqfd_resamples;	/* EOIs that signalled resamplers */
};

/*
 * The VM's vGIC once it is initialised, else NULL.  The acquires pair with
 * the releases that publish vm->vgic (a64_vgic_create_device()) and
 * vgic->ready (a64_vgic_init()): a vGIC seen ready is seen complete.
 */
static inline struct a64_vgic *a64_vm_vgic(struct a64_vm *vm)
{
	/* acquire: pairs with a64_vgic_create_device()'s release */
	struct a64_vgic *vgic = smp_load_acquire(&vm->vgic);

	/* acquire: pairs with a64_vgic_init()'s release */
	return vgic && smp_load_acquire(&vgic->ready) ? vgic : NULL;
}

int a64_vm_create(const struct a64vcpu_vm_config __user *ucfg);
void a64_vm_put(struct a64_vm *vm);
int a64_vm_check_owner(struct a64_vm *vm);
struct a64_stage2 *a64_vm_stage2(struct a64_vm *vm, u32 id);
const struct a64_slot *a64_vm_find_slot(struct a64_stage2 *s2, u64 ipa);

/* doorbell.c, irqfd.c: eventfds for guest stores, and to raise SPIs */
int a64_doorbell_ioctl(struct a64_vm *vm, const struct a64vcpu_doorbell __user *ureq);
bool a64_doorbell_write(struct a64_vcpu *vcpu, u64 ipa, unsigned int len, u64 val);
unsigned int a64_doorbells_count(struct a64_vm *vm);
void a64_doorbells_destroy(struct a64_vm *vm);
int a64_irqfd_ioctl(struct a64_vm *vm, const struct a64vcpu_irqfd __user *ureq);
void a64_irqfd_resample(struct a64_vm *vm, u32 intid);
void a64_irqfds_destroy(struct a64_vm *vm);
int a64_irqfd_init(void);
void a64_irqfd_exit(void);

/* mem_fault.c, mmu_notifier.c: guest memory on demand */
struct a64_vcpu;
int a64_mem_fault(struct a64_vcpu *vcpu, u64 ipa, bool write, bool exec);
int a64_mmu_notifier_register(struct a64_vm *vm);
void a64_mmu_notifier_unregister(struct a64_vm *vm);

/* decode.c: loads and stores without syndrome, as MMIO accesses */
struct a64_mmio_insn {
	unsigned int nr;		/* accesses: 1, or 2 for a pair */
	unsigned int step;		/* the access userspace is handling */
	unsigned int len;		/* bytes per access */
	bool write;
	bool sign;			/* sign-extend loads ... */
	bool sf;			/* ... to 64 bits (else 32) */
	bool writeback;			/* base += offset when done */
	bool post_index;		/* the access is at the base, not base + offset */
	unsigned int rt[2];
	unsigned int rn;		/* base; 31 is SP */
	s64 offset;
	u64 ipa;			/* address of the first access (insn_locate()) */
};

int a64_decode_ldst(u32 insn, struct a64_mmio_insn *d);

/* vcpu.c: vCPU fds and the run loop */
enum a64_pending {
	A64_PENDING_NONE,
	A64_PENDING_MMIO_INSN,		/* a decoded load/store: vcpu->insn */
	A64_PENDING_MMIO_READ,		/* complete a load from run->mmio.data */
	A64_PENDING_SYSREG_READ,	/* write run->sysreg.value to a GPR */
	A64_PENDING_SYSREG_WRITE,	/* nothing, unless run->sysreg.undefined */
	A64_PENDING_HYPERCALL,		/* x0-x3 from run->hypercall.ret */
};

/* host_ppi.c: host PPIs whose only job is to make the guest exit */
struct a64_host_ppi {
	const char *name;		/* as /proc/interrupts shows it */
	int irq;			/* Linux IRQ, 0 if unknown */
	bool owned;			/* requested by us (else KVM has it) */
	u8 __percpu *cookie;		/* request_percpu_irq()'s dev_id */
	struct hlist_node node;		/* in the CPU-hotplug state */
};

void a64_host_ppi_find(struct a64_host_ppi *ppi, const char *compatible, int index);
void a64_host_ppi_take(struct a64_host_ppi *ppi);
void a64_host_ppi_release(struct a64_host_ppi *ppi);

/* timer.c: the guest's EL1 timers */
struct a64_timer {
	struct hrtimer hrtimer;		/* at the next deadline: kicks the vCPU */
	u64 armed;			/* CNTPCT value it is armed for, 0: none */
	u64 ptimer_ctl;			/* the emulated CNTP_CTL_EL0 (ENABLE, IMASK) */
	u64 ptimer_cval;		/* and CNTP_CVAL_EL0 */
	unsigned int lines;		/* bit 0 virtual, bit 1 physical: asserted */
};

void a64_timer_hw_init(void);
void a64_timer_hw_exit(void);
void a64_timer_init(struct a64_vcpu *vcpu);
void a64_timer_enter(struct a64_vcpu *vcpu);
void a64_timer_cpu_taken(void);
void a64_timer_destroy(struct a64_vcpu *vcpu);
void a64_timer_sync(struct a64_vcpu *vcpu);
bool a64_timer_asserted(struct a64_vcpu *vcpu);

/* sysreg.c: trapped MRS/MSR the module answers */
enum a64_sysreg_ret {
	A64_SR_USER,			/* not ours: a SYSREG exit to the VMM */
	A64_SR_DONE,			/* emulated */
	A64_SR_UNDEF,			/* UNDEFINED: the guest takes an exception */
};

/*
 * The guest's debug state that EL2 never loads (sysreg.c); its breakpoints,
 * watchpoints and MDSCR_EL1 are in the context page (ctx->debug,
 * ctx->el1[A64_EL1_MDSCR]).  @mdscr is the guest's MDSCR_EL1 while its OS
 * lock is set (the one loaded then lacks MDE and SS).
 */
struct a64_debug_regs {
	u64 mdscr, osdlr, dbgprcr;
	u64 oslk;
};

enum a64_sysreg_ret a64_sysreg_emulate(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val);
enum a64_sysreg_ret a64_timer_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val);
enum a64_sysreg_ret a64_vgic_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val);

/* cache.c: cache maintenance for guest memory */
bool a64_stage2_fwb(void);
void a64_dcache_clean_inval_poc(unsigned long start, unsigned long end);
void a64_cache_map_slot(struct a64_vm *vm, const struct a64_slot *slot);
void a64_cache_first_entry(struct a64_vm *vm);
enum a64_sysreg_ret a64_cache_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val);

/* cache_id.c: the cache geometry registers (HCR_EL2.TID2) */
bool a64_cache_id_trapped(void);
enum a64_sysreg_ret a64_cache_id_sysreg(struct a64_vcpu *vcpu, u32 reg, bool write, u64 *val);

/* inject.c: exceptions for the guest */
void a64_inject_undef(struct a64_vcpu *vcpu);
void a64_inject_abort(struct a64_vcpu *vcpu, bool iabt, u64 addr);
int a64_vcpu_inject(struct a64_vcpu *vcpu, const void __user *uarg);

/* Where a vCPU's thread is, for kicks (vcpu->mode). */
enum a64_vcpu_mode {
	A64_OUTSIDE_GUEST,
	A64_IN_GUEST,
};

struct a64_vcpu {
	struct a64_vm *vm;
	struct mutex lock;		/* held by every ioctl: one at a time */
	struct a64_vcpu_ctx *ctx;	/* shared with EL2 */
	struct a64vcpu_run *run;	/* mmap()ed by userspace */
	struct a64_stage2 *s2;
	u64 s2_token;			/* new on every assignment of s2 */
	struct a64_s2_cache s2_cache;	/* tables for its next stage-2 fault */
	unsigned long mmu_seq;		/* vm->mmu_seq when the fault began */
	unsigned int idx;
	enum a64_pending pending;
	unsigned int pending_rt;	/* destination register, 31 = xzr */
	unsigned int pending_len;	/* MMIO: bytes */
	bool pending_sign;		/* MMIO: sign-extend */
	bool pending_sf;		/* MMIO: to 64 bits (else 32) */
	struct a64_mmio_insn insn;	/* A64_PENDING_MMIO_INSN */
	struct task_struct *task;	/* in A64VCPU_RUN, else NULL (RCU) */
	int mode;			/* enum a64_vcpu_mode */
	unsigned int kicks;		/* a64_vcpu_kick()s, for a polling WFI */
	wait_queue_head_t wq;		/* WFI waits here */
	unsigned long irq_lines;	/* BIT(A64VCPU_IRQ_LINE_*), without a vGIC */
	struct a64_vgic_cpu vgic;
	struct a64_timer timer;
	struct a64_debug_regs debug;
	u64 stats[A64VCPU_EXIT_INTERNAL_ERROR + 1];	/* exits to userspace */
	u64 stat_irq_exits;		/* host interrupts, guest re-entered */
	u64 stat_wfi, stat_wfe;		/* waits in the kernel, WFE yields */
	u64 stat_wfi_polled;		/* WFIs ended by polling, without sleeping */
	u64 stat_kicks;			/* kicked out of the guest by another CPU */
	u64 stat_vgic_mmio;		/* distributor/redistributor accesses */
	u64 stat_sgis;			/* ICC_SGI*R writes */
	u64 stat_sysreg;		/* trapped registers answered in the kernel */
	u64 stat_undef;			/* UNDEFINED exceptions injected */
	u64 stat_fault_retries;		/* stage-2 faults EL2 could not resolve */
	u64 stat_aborts;		/* external aborts injected */
	u64 stat_serrors;		/* physical SErrors the guest caused */
	u32 last_exit;			/* A64VCPU_EXIT_* of the last exit to userspace */
	u64 insn_pc;			/* PC of the instruction of the last exit */
	u64 stat_tlbi_local;		/* entries with A64_ENTRY_TLBI_LOCAL done */
	u64 stat_setway;		/* DC ISW/CSW/CISW emulated */
	u64 stat_vm_reg_trap;		/* VM-register writes trapped by HCR_EL2.TVM */
	u64 stat_cache_flush;		/* all guest memory to the PoC (set/way) */
	u64 stat_cache_id;		/* cache geometry reads/CSSELR trapped (TID2) */
	struct preempt_notifier fp_notifier;	/* in A64VCPU_RUN (fpsimd.c) */
	u64 stat_fp_sched_out;		/* guest FP/SIMD put back at a context switch */
	u64 stat_fp_reclaimed;		/* ... taken by the kernel, found in the thread */
	u64 stat_fp_untracked;		/* ... put back at the exit (TIF_FOREIGN_FPSTATE) */
	bool fp_cpu_forgotten;		/* the kernel told to forget the CPU's (fpsimd.c) */
	u64 stat_fp_cpu_forgotten;	/* times it was told (SVE/SME CPUs) */
	struct dentry *debugfs;		/* <vm>/vcpu<idx> */
};

/* fpsimd.c */
bool a64_fp_enter(struct a64_vcpu *vcpu);
void a64_fp_exit(struct a64_vcpu *vcpu, bool untracked);
void a64_fp_vcpu_init(struct a64_vcpu *vcpu);
void a64_fp_vcpu_destroy(struct a64_vcpu *vcpu);
void a64_fp_run_start(struct a64_vcpu *vcpu);
void a64_fp_run_stop(struct a64_vcpu *vcpu);

int a64_vcpu_create(struct a64_vm *vm, const struct a64vcpu_vcpu_config __user *ucfg);
void a64_vcpu_destroy(struct a64_vcpu *vcpu);
int a64_vcpu_run(struct a64_vcpu *vcpu);
void a64_vcpu_kick(struct a64_vcpu *vcpu);
int a64_vcpu_wait(struct a64_vcpu *vcpu);
void a64_vcpu_yield(struct a64_vcpu *vcpu);
u64 a64_vcpu_affinity(const struct a64_vcpu *vcpu);
void a64_vcpu_set_irq_line(struct a64_vcpu *vcpu, unsigned int line, bool level);

/* exit.c: what a guest exit becomes */
int a64_handle_exit(struct a64_vcpu *vcpu);
int a64_exit_to_user(struct a64_vcpu *vcpu, u32 reason);
void a64_run_clear(struct a64vcpu_run *run);
bool a64_complete_pending(struct a64_vcpu *vcpu);
u64 a64_vcpu_get_x(struct a64_vcpu *vcpu, unsigned int rt);
void a64_vcpu_set_x(struct a64_vcpu *vcpu, unsigned int rt, u64 val);

/* psci.c: SMCCC calls EL2 did not answer */
int a64_handle_smccc(struct a64_vcpu *vcpu, bool smc, u16 imm);
void a64_smccc_vcpu_init(struct a64_vcpu *vcpu);

/* vmid.c: stage-2 VMIDs */
int a64_vmid_alloc(void);
void a64_vmid_free(u16 vmid);
u64 a64_vmid_reuses(void);

/* dev.c: /dev/a64vcpu */
int a64_dev_init(void);
void a64_dev_exit(void);

/* debugfs.c: /sys/kernel/debug/a64vcpu/ */
void a64_debugfs_init(void);
void a64_debugfs_exit(void);
void a64_debugfs_add_vm(struct a64_vm *vm, int fd);
void a64_debugfs_add_vcpu(struct a64_vcpu *vcpu);

#endif /* A64VCPU_H */
