// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/a64vcpu/: read-only views of EL2 for people and tests
 * (Documentation/design.rst, "Looking at EL2").
 *
 *   el2    one line per possible CPU: who owns its EL2, and how often we took it
 *   ping   a host call on the reader's CPU (taking EL2 again if the stub has
 *          it back), then EL2's registers as EL2 reports them
 *   bench  1000 round trips to our EL2 and to the hyp stub: best, median of 5
 *   pages  pages the module holds
 *   tlb    TLB maintenance: per CPU, EL2's TLBI ALLE1s when it changed hands;
 *          VMID invalidations, those sent to every CPU, VMIDs reused, and
 *          local invalidations on entry (KVM's last_vcpu_ran)
 *   speculation  how each CPU hardens the branch predictor on guest exits,
 *          and what guests are told of the SMCCC workarounds
 *   el2_fault_inject  (test builds only, write-only) make EL2 fault: panic, or "at": a fixup
 *   <pid>-<fd>-<serial>/ one per VM (a64_debugfs_add_vm()):
 *     vcpu<N>  exit counters of one vCPU of a VM
 *     caches   cache maintenance of the VM's memory (cache.c)
 *     memory   stage-2 faults, invalidations, what is mapped, pinned
 *     eventfds doorbells and interrupt eventfds: how many, how often used
 */
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "a64vcpu.h"

static struct dentry *a64_debugfs_dir;

static void owner_fn(void *info)
{
	*(enum a64_el2_owner *)info = a64_el2_owner_this_cpu();
}

static int el2_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		enum a64_el2_owner owner;

		if (!cpu_online(cpu)) {
			seq_printf(m, "cpu%u owner=offline installs=%u\n", cpu,
				   a64_el2_installs(cpu));
			continue;
		}
		smp_call_function_single(cpu, owner_fn, &owner, 1);
		seq_printf(m, "cpu%u owner=%s installs=%u\n", cpu,
			   a64_el2_owner_name(owner), a64_el2_installs(cpu));
	}
	cpus_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(el2);

static int ping_show(struct seq_file *m, void *unused)
{
	struct a64_hyp_report r;
	enum a64_el2_owner owner;
	unsigned int cpu;
	int ret;

	cpu = get_cpu();
	ret = a64_el2_ensure_owned();
	owner = a64_el2_owner_this_cpu();
	if (!ret)
		ret = a64_el2_report_this_cpu(&r);
	put_cpu();

	seq_printf(m, "cpu=%u owner=%s\n", cpu, a64_el2_owner_name(owner));
	if (ret)
		return ret;
	seq_printf(m, "current_el=%llu\nvbar_el2=%#llx\nhyp_vectors=%#llx\n"
		   "sctlr_el2=%#llx\nttbr0_el2=%#llx\nhyp_pgd=%#llx\n"
		   "tcr_el2=%#llx\nmair_el2=%#llx\nsp_el2=%#llx\ntpidr_el2=%#llx\n",
		   r.current_el, r.vbar_el2, (u64)a64_el2_vectors_pa(),
		   r.sctlr_el2, r.ttbr0_el2, (u64)a64_el2_pgd_pa(),
		   r.tcr_el2, r.mair_el2, r.sp_el2, r.tpidr_el2);
	seq_printf(m, "switched_spe=%d\nswitched_ras=%d\nswitched_pmr=%d\nspeculative_at=%d\nrepeat_tlbi=%d\n",
		   !!(a64_el2_features(cpu) & A64_HYP_FEAT_SPE),
		   !!(a64_el2_features(cpu) & A64_HYP_FEAT_RAS),
		   !!(a64_el2_features(cpu) & A64_HYP_FEAT_PMR),
		   !!(a64_el2_features(cpu) & A64_HYP_FEAT_SPEC_AT),
		   !!(a64_el2_features(cpu) & A64_HYP_FEAT_REPEAT_TLBI));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ping);

static int bench_show(struct seq_file *m, void *unused)
{
	struct a64_el2_bench b;
	unsigned int cpu;
	int ret;

	cpu = get_cpu();
	ret = a64_el2_bench_this_cpu(&b);
	put_cpu();
	if (ret)
		return ret;
	seq_printf(m, "cpu=%u calls=1000 reps=%u a64vcpu_best_ticks=%llu a64vcpu_median_ticks=%llu stub_best_ticks=%llu stub_median_ticks=%llu\n",
		   cpu, A64_EL2_BENCH_REPS, b.ours_best, b.ours_median,
		   b.stub_best, b.stub_median);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bench);

static int speculation_show(struct seq_file *m, void *unused)
{
	return a64_spectre_show(m);
}
DEFINE_SHOW_ATTRIBUTE(speculation);

static int pages_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%ld\n", a64_pages_in_use());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pages);

static int tlb_show(struct seq_file *m, void *unused)
{
	u64 calls, each_cpu;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu%u handover_alle1=%llu\n", cpu,
			   a64_el2_handover_tlbis(cpu));
	a64_el2_tlb_stats(&calls, &each_cpu);
	seq_printf(m, "vmid_tlbi=%llu\nvmid_tlbi_each_cpu=%llu\nvmid_reused=%llu\nvcpu_local_tlbi=%llu\n",
		   calls, each_cpu, a64_vmid_reuses(), a64_stage2_local_tlbis());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tlb);

static const char * const exit_names[] = {
	[A64VCPU_EXIT_NONE] = "none",
	[A64VCPU_EXIT_MMIO] = "mmio",
	[A64VCPU_EXIT_HYPERCALL] = "hypercall",
	[A64VCPU_EXIT_CPU_ON] = "cpu_on",
	[A64VCPU_EXIT_CPU_OFF] = "cpu_off",
	[A64VCPU_EXIT_SYSTEM_EVENT] = "system_event",
	[A64VCPU_EXIT_HALT] = "halt",
	[A64VCPU_EXIT_SYSREG] = "sysreg",
	[A64VCPU_EXIT_INTR] = "intr",
	[A64VCPU_EXIT_FAULT] = "fault",
	[A64VCPU_EXIT_UNHANDLED_ABORT] = "unhandled_abort",
	[A64VCPU_EXIT_INTERNAL_ERROR] = "internal_error",
};

static int vcpu_stats_show(struct seq_file *m, void *unused)
{
	struct a64_vcpu *vcpu = m->private;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(exit_names) != ARRAY_SIZE(vcpu->stats));
	for (i = 1; i < ARRAY_SIZE(exit_names); i++)
		seq_printf(m, "%s %llu\n", exit_names[i], READ_ONCE(vcpu->stats[i]));
	seq_printf(m, "el2_answered %llu\n", READ_ONCE(vcpu->ctx->fast_exits));
	seq_printf(m, "host_irq %llu\n", READ_ONCE(vcpu->stat_irq_exits));
	seq_printf(m, "wfi_wait %llu\n", READ_ONCE(vcpu->stat_wfi));
	seq_printf(m, "wfi_polled %llu\n", READ_ONCE(vcpu->stat_wfi_polled));
	seq_printf(m, "wfe_yield %llu\n", READ_ONCE(vcpu->stat_wfe));
	seq_printf(m, "kicked %llu\n", READ_ONCE(vcpu->stat_kicks));
	seq_printf(m, "vgic_mmio %llu\n", READ_ONCE(vcpu->stat_vgic_mmio));
	seq_printf(m, "sgi_sent %llu\n", READ_ONCE(vcpu->stat_sgis));
	seq_printf(m, "sysreg_kernel %llu\n", READ_ONCE(vcpu->stat_sysreg));
	seq_printf(m, "undef_injected %llu\n", READ_ONCE(vcpu->stat_undef));
	seq_printf(m, "fault_retries %llu\n", READ_ONCE(vcpu->stat_fault_retries));
	seq_printf(m, "abort_injected %llu\n", READ_ONCE(vcpu->stat_aborts));
	seq_printf(m, "tlbi_local %llu\n", READ_ONCE(vcpu->stat_tlbi_local));
	seq_printf(m, "serror_guest %llu\n", READ_ONCE(vcpu->stat_serrors));
	seq_printf(m, "setway_ops %llu\n", READ_ONCE(vcpu->stat_setway));
	seq_printf(m, "cache_id_trapped %llu\n", READ_ONCE(vcpu->stat_cache_id));
	seq_printf(m, "vm_reg_trapped %llu\n", READ_ONCE(vcpu->stat_vm_reg_trap));
	seq_printf(m, "cache_flush %llu\n", READ_ONCE(vcpu->stat_cache_flush));
	seq_printf(m, "fp_traps %llu\n", READ_ONCE(vcpu->ctx->fp_traps));
	seq_printf(m, "fp_sched_out %llu\n", READ_ONCE(vcpu->stat_fp_sched_out));
	seq_printf(m, "fp_reclaimed %llu\n", READ_ONCE(vcpu->stat_fp_reclaimed));
	seq_printf(m, "fp_untracked %llu\n", READ_ONCE(vcpu->stat_fp_untracked));
	seq_printf(m, "fp_cpu_forgotten %llu\n", READ_ONCE(vcpu->stat_fp_cpu_forgotten));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_stats);

static int vm_caches_show(struct seq_file *m, void *unused)
{
	struct a64_vm *vm = m->private;

	seq_printf(m, "stage2_fwb %d\n", a64_stage2_fwb());
	seq_printf(m, "dcache_pages %llu\n", READ_ONCE(vm->stat_dcache_pages));
	seq_printf(m, "icache_inval %llu\n", READ_ONCE(vm->stat_icache_inval));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vm_caches);

static int vm_memory_show(struct seq_file *m, void *unused)
{
	unsigned long mapped[3] = {};
	struct a64_vm *vm = m->private;
	struct a64_stage2 *s2;
	u64 faults, races, invalidations;
	unsigned int i;

	mutex_lock(&vm->lock);
	spin_lock(&vm->mmu_lock);
	list_for_each_entry(s2, &vm->stage2s, node)
		for (i = 0; i < ARRAY_SIZE(mapped); i++)
			mapped[i] += s2->nr_mapped[i];
	faults = vm->stat_faults;
	races = vm->stat_fault_races;
	invalidations = vm->stat_invalidations;
	spin_unlock(&vm->mmu_lock);
	mutex_unlock(&vm->lock);
	seq_printf(m, "faults %llu\nfault_races %llu\ninvalidations %llu\n",
		   faults, races, invalidations);
	seq_printf(m, "mapped_pages %lu\nmapped_blocks_2m %lu\nmapped_blocks_1g %lu\n",
		   mapped[2], mapped[1], mapped[0]);
	seq_printf(m, "pinned_pages %ld\n", atomic_long_read(&vm->pinned_pages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vm_memory);

static int vm_eventfds_show(struct seq_file *m, void *unused)
{
	struct a64_vm *vm = m->private;

	seq_printf(m, "doorbells %u\n", a64_doorbells_count(vm));
	seq_printf(m, "doorbell_stores %ld\n", atomic_long_read(&vm->stat_doorbells));
	seq_printf(m, "irqfds %u\n", READ_ONCE(vm->nr_irqfds));
	seq_printf(m, "irqfd_injections %ld\n", atomic_long_read(&vm->stat_irqfd_injections));
	seq_printf(m, "irqfd_resamples %ld\n", atomic_long_read(&vm->stat_irqfd_resamples));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vm_eventfds);

/**
 * a64_debugfs_add_vm() - the debugfs folder of a new VM, <pid>-<fd>-<serial>
 * @vm: the VM; debugfs_remove_recursive(vm->debugfs) when it goes
 * @fd: its fd in the creating process
 *
 * The serial, counted since the module was loaded, keeps the name unique: a
 * VM outlives its fd while a vCPU fd or a forked child holds it, and the
 * next VM of that process may get the same fd number.
 */
void a64_debugfs_add_vm(struct a64_vm *vm, int fd)
{
	static atomic_t serial = ATOMIC_INIT(0);
	char name[48];

	snprintf(name, sizeof(name), "%d-%d-%u", task_tgid_nr(current), fd,
		 (unsigned int)atomic_inc_return(&serial));
	vm->debugfs = debugfs_create_dir(name, a64_debugfs_dir);
	debugfs_create_file("caches", 0400, vm->debugfs, vm, &vm_caches_fops);
	debugfs_create_file("memory", 0400, vm->debugfs, vm, &vm_memory_fops);
	debugfs_create_file("eventfds", 0400, vm->debugfs, vm, &vm_eventfds_fops);
}

/**
 * a64_debugfs_add_vcpu() - a vCPU's exit counters, <vm>/vcpu<idx>
 * @vcpu: the vCPU; debugfs_remove(vcpu->debugfs) when it goes
 */
void a64_debugfs_add_vcpu(struct a64_vcpu *vcpu)
{
	char name[16];

	snprintf(name, sizeof(name), "vcpu%u", vcpu->idx);
	vcpu->debugfs = debugfs_create_file(name, 0400, vcpu->vm->debugfs, vcpu,
					    &vcpu_stats_fops);
}

/**
 * a64_debugfs_init() - create /sys/kernel/debug/a64vcpu/
 *
 * Debugfs is optional: failures are ignored, as debugfs wants.
 */
void a64_debugfs_init(void)
{
	a64_debugfs_dir = debugfs_create_dir(A64_NAME, NULL);
	debugfs_create_file("el2", 0400, a64_debugfs_dir, NULL, &el2_fops);
	debugfs_create_file("ping", 0400, a64_debugfs_dir, NULL, &ping_fops);
	debugfs_create_file("bench", 0400, a64_debugfs_dir, NULL, &bench_fops);
	debugfs_create_file("pages", 0400, a64_debugfs_dir, NULL, &pages_fops);
	debugfs_create_file("tlb", 0400, a64_debugfs_dir, NULL, &tlb_fops);
	debugfs_create_file("speculation", 0400, a64_debugfs_dir, NULL,
			    &speculation_fops);
	a64_el2_fault_inject_init(a64_debugfs_dir);
}

/**
 * a64_debugfs_exit() - remove /sys/kernel/debug/a64vcpu/
 */
void a64_debugfs_exit(void)
{
	debugfs_remove_recursive(a64_debugfs_dir);
}
