// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU fds: set-up, registers, the run structure and the run loop.
 *
 * Every vCPU ioctl holds vcpu->lock, taken with mutex_trylock(): a second
 * thread gets -EBUSY instead of waiting behind a running guest.  What other
 * threads may do to a running vCPU (interrupt lines) goes through the VM fd
 * and a64vcpu_kick() instead (run.c).  "bind" and
 * "unbind" (the seed's names) are what each pass of the run loop does: the
 * vCPU's state lives in its context page and is loaded on whatever CPU the
 * thread is on, so a vCPU that migrates between runs just keeps working.
 */
#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <clocksource/arm_arch_timer.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

/*
 * HCR_EL2 while a guest runs (ARM ARM D13.2.46): stage 2 on; set/way
 * invalidation upgraded; page-table walks to device memory fault; physical
 * IRQ, FIQ and SError to EL2 (the host's); broadcast TLB and I-cache
 * maintenance inner shareable; WFI/WFE, SMC, implementation-defined
 * registers, ACTLR, set/way maintenance, the feature ID registers and
 * LORegions (not offered) trap; EL1 is AArch64.  On CPUs with RAS also the
 * error-record registers (TERR) and synchronous external aborts (TEA): the
 * host's to handle, the guest's error registers UNDEFINED.
 */
#define HCR_GUEST	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | \
			 HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TWE | HCR_TSC | \
			 HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_TID3 | HCR_TLOR | HCR_RW)
#define HCR_GUEST_RAS	(HCR_TERR | HCR_TEA)

/*
 * CPTR_EL2 (E2H = 0): RES1 bits, SVE, trace and the activity monitors
 * trapped; FP/SIMD until the guest's first access (TFP: fpsimd.c).
 */
#define CPTR_GUEST	(CPTR_NVHE_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TTA | CPTR_EL2_TAM | \
			 CPTR_EL2_TFP)

/*
 * MDCR_EL2: the host's PMU, debug, statistical profiling (and its buffer:
 * E2PB = 0) and trace filter stay the host's; TDA only until the guest
 * uses its debug registers (sysreg.c, kmod/hyp/debug_sr.c).
 */
#define MDCR_GUEST	(MDCR_EL2_TPMCR | MDCR_EL2_TPM | MDCR_EL2_TDA | MDCR_EL2_TDOSA | \
			 MDCR_EL2_TDRA | MDCR_EL2_TPMS | MDCR_EL2_TTRF)

/* The bits that are RES1 in ARMv8.0 (0x30d00800); MMU, caches off. */
#define SCTLR_EL1_RESET		(SCTLR_ELx_LSMAOE | SCTLR_ELx_nTLSMD | SCTLR_EL1_SPAN | \
				 SCTLR_ELx_EIS | SCTLR_ELx_TSCXT | SCTLR_ELx_EOS)
#define PSTATE_EL1H_DAIF	(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)
#define MPIDR_RES1		BIT(31)		/* not in <asm/cputype.h> (6.1) */

static void vcpu_reset(struct a64_vcpu *vcpu, u64 mpidr, u64 dtb)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;

	ctx->x[0] = dtb;
	ctx->pstate = PSTATE_EL1H_DAIF;
	ctx->el1[A64_EL1_SCTLR] = SCTLR_EL1_RESET;
	ctx->el2[A64_EL2_HCR] = HCR_GUEST | (a64_stage2_fwb() ? HCR_FWB : 0) |
		(cpus_have_final_cap(ARM64_HAS_RAS_EXTN) ? HCR_GUEST_RAS : 0) |
		(a64_cache_id_trapped() ? HCR_TID2 : 0);	/* cache_id.c */
	ctx->el2[A64_EL2_VTTBR] = a64_stage2_vttbr(vcpu->s2);
	ctx->el2[A64_EL2_VTCR] = vcpu->vm->vtcr;
	ctx->el2[A64_EL2_CPTR] = CPTR_GUEST;
	ctx->el2[A64_EL2_CNTHCTL] = 0;
	ctx->el2[A64_EL2_CNTVOFF] = vcpu->vm->cntvoff;
	ctx->el2[A64_EL2_MDCR] = MDCR_GUEST;
	ctx->el2[A64_EL2_VPIDR] = read_cpuid_id();
	ctx->el2[A64_EL2_VMPIDR] = MPIDR_RES1 | (mpidr & MPIDR_HWID_BITMASK);
	ctx->hpfar_unreliable = cpus_have_final_cap(ARM64_WORKAROUND_834220);
	a64_smccc_vcpu_init(vcpu);
}

static int vcpu_setup(struct a64_vcpu *vcpu, const void __user *uarg)
{
	struct a64vcpu_setup_config cfg;

	if (copy_from_user(&cfg, uarg, sizeof(cfg)))
		return -EFAULT;
	if (cfg.flags & ~(A64VCPU_SETUP_PASSTHROUGH_TIMER |
			  A64VCPU_SETUP_PASSTHROUGH_INTERRUPT) ||
	    cfg.pad || cfg.reserved[0] || cfg.reserved[1] || cfg.reserved[2])
		return -EINVAL;
	if (cfg.flags & A64VCPU_SETUP_PASSTHROUGH_INTERRUPT) {
		pr_info_ratelimited(A64_NAME ": passthrough_interrupt refused: physical interrupts belong to the host kernel sharing this CPU\n");
		return -EOPNOTSUPP;
	}
	/* CNTHCTL_EL2 (E2H = 0): EL1PCTEN lets the guest read CNTPCT; EL1PCEN = 0 traps CNTP_*. */
	vcpu->ctx->el2[A64_EL2_CNTHCTL] =
		(cfg.flags & A64VCPU_SETUP_PASSTHROUGH_TIMER) ? CNTHCTL_EL1PCTEN : 0;
	return 0;
}

static int set_stage2(struct a64_vcpu *vcpu, const u32 __user *uid)
{
	struct a64_stage2 *s2;
	u32 id;

	if (get_user(id, uid))
		return -EFAULT;
	mutex_lock(&vcpu->vm->lock);
	s2 = a64_vm_stage2(vcpu->vm, id);
	if (s2) {
		vcpu->s2 = s2;
		vcpu->s2_token = a64_stage2_new_token();	/* stage2.c */
		vcpu->ctx->el2[A64_EL2_VTTBR] = a64_stage2_vttbr(s2);
	}
	mutex_unlock(&vcpu->vm->lock);
	return s2 ? 0 : -EINVAL;
}

static int set_irq_line(struct a64_vcpu *vcpu, const void __user *uarg)
{
	struct a64vcpu_irq_line line;

	if (copy_from_user(&line, uarg, sizeof(line)))
		return -EFAULT;
	if (line.reserved || line.level > 1 || line.line > A64VCPU_IRQ_LINE_FIQ)
		return -EINVAL;
	if (READ_ONCE(vcpu->vm->vgic))
		return -ENXIO;	/* interrupts come from the vGIC */
	a64_vcpu_set_irq_line(vcpu, line.line, line.level);
	return 0;
}

/**
 * a64_vcpu_affinity() - a vCPU's MPIDR affinity fields (Aff3..Aff0)
 * @vcpu: the vCPU
 *
 * Return: MPIDR_EL1 as the guest reads it, without bit 31.
 */
u64 a64_vcpu_affinity(const struct a64_vcpu *vcpu)
{
	return vcpu->ctx->el2[A64_EL2_VMPIDR] & MPIDR_HWID_BITMASK;
}

/*
 * Register ids (uapi) to places in the context: 8 or 16 bytes, or 4 for
 * FPSR and FPCR (8 in the uapi, RES0 above bit 31).  Outside A64VCPU_RUN
 * the context has the guest's FP/SIMD registers (fpsimd.c).
 */
static void *reg_ptr(struct a64_vcpu *vcpu, u64 id, unsigned int *size)
{
	struct a64_vcpu_ctx *ctx = vcpu->ctx;

	*size = 8;
	if (id <= A64VCPU_REG_X(30))
		return &ctx->x[id];
	switch (id) {
	case A64VCPU_REG_PC:
		return &ctx->pc;
	case A64VCPU_REG_PSTATE:
		return &ctx->pstate;
	case A64VCPU_REG_SP_EL0:
		return &ctx->el1[A64_EL1_SP_EL0];
	case A64VCPU_REG_SP_EL1:
		return &ctx->el1[A64_EL1_SP_EL1];
	case A64VCPU_REG_ELR_EL1:
		return &ctx->el1[A64_EL1_ELR_EL1];
	case A64VCPU_REG_SPSR_EL1:
		return &ctx->el1[A64_EL1_SPSR_EL1];
	case A64VCPU_REG_FPSR:
		*size = 4;
		return &ctx->fp.fpsr;
	case A64VCPU_REG_FPCR:
		*size = 4;
		return &ctx->fp.fpcr;
	}
	if (id >= A64VCPU_REG_V(0) && id <= A64VCPU_REG_V(31)) {
		*size = 16;
		return &ctx->fp.vregs[id - A64VCPU_REG_V(0)];
	}
	if (id >= A64VCPU_REG_SYS(0) && id < A64VCPU_REG_SYS(A64VCPU_SYS_NR))
		return &ctx->el1[id - A64VCPU_REG_SYS(0)];
	return NULL;
}

static int reg_access(struct a64_vcpu *vcpu, const void __user *uarg, bool set)
{
	struct a64vcpu_reg reg;
	unsigned int size;
	void *p;

	if (copy_from_user(&reg, uarg, sizeof(reg)))
		return -EFAULT;
	p = reg_ptr(vcpu, reg.id, &size);
	if (!p)
		return -ENOENT;
	if (set && reg.id == A64VCPU_REG_PSTATE) {
		u64 pstate;

		if (copy_from_user(&pstate, u64_to_user_ptr(reg.addr), size))
			return -EFAULT;
		/* Only AArch64 EL0t, EL1t or EL1h: never an eret into EL2. */
		switch (pstate & (PSR_MODE32_BIT | PSR_MODE_MASK)) {
		case PSR_MODE_EL0t:
		case PSR_MODE_EL1t:
		case PSR_MODE_EL1h:
			break;
		default:
			return -EINVAL;
		}
		vcpu->ctx->pstate = pstate;
		return 0;
	}
	if (size == 4) {	/* FPSR, FPCR */
		u64 val = *(u32 *)p;

		if (!set)
			return put_user(val, (u64 __user *)u64_to_user_ptr(reg.addr));
		if (get_user(val, (u64 __user *)u64_to_user_ptr(reg.addr)))
			return -EFAULT;
		if (upper_32_bits(val))
			return -EINVAL;
		*(u32 *)p = val;
		return 0;
	}
	if (set)
		return copy_from_user(p, u64_to_user_ptr(reg.addr), size) ? -EFAULT : 0;
	return copy_to_user(u64_to_user_ptr(reg.addr), p, size) ? -EFAULT : 0;
}

static u64 reg_id(unsigned int n)
{
	if (n < 31)
		return A64VCPU_REG_X(n);
	n -= 31;
	if (n < 6)
		return A64VCPU_REG_PC + n;
	n -= 6;
	if (n < 32)
		return A64VCPU_REG_V(n);
	n -= 32;
	if (n < 2)
		return A64VCPU_REG_FPSR + n;
	return A64VCPU_REG_SYS(n - 2);
}

#define NR_REG_IDS	(31 + 6 + 32 + 2 + A64VCPU_SYS_NR)

static int reg_list(struct a64_vcpu *vcpu, struct a64vcpu_reg_list __user *ulist)
{
	u64 n;
	unsigned int i;

	if (get_user(n, &ulist->n))
		return -EFAULT;
	if (put_user(NR_REG_IDS, &ulist->n))
		return -EFAULT;
	if (n < NR_REG_IDS)
		return -E2BIG;
	for (i = 0; i < NR_REG_IDS; i++)
		if (put_user(reg_id(i), &ulist->reg[i]))
			return -EFAULT;
	return 0;
}

static long a64_vcpu_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct a64_vcpu *vcpu = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (a64_vm_check_owner(vcpu->vm))
		return -EIO;
	if (!mutex_trylock(&vcpu->lock))
		return -EBUSY;
	switch (cmd) {
	case A64VCPU_RUN:
		ret = arg ? -EINVAL : a64_vcpu_run(vcpu);
		break;
	case A64VCPU_VCPU_SETUP:
		ret = vcpu_setup(vcpu, uarg);
		break;
	case A64VCPU_SET_ENTRY:
		ret = get_user(vcpu->ctx->pc, (u64 __user *)uarg) ? -EFAULT : 0;
		break;
	case A64VCPU_SET_STAGE2:
		ret = set_stage2(vcpu, uarg);
		break;
	case A64VCPU_GET_REG:
		ret = reg_access(vcpu, uarg, false);
		break;
	case A64VCPU_SET_REG:
		ret = reg_access(vcpu, uarg, true);
		break;
	case A64VCPU_GET_REG_LIST:
		ret = reg_list(vcpu, uarg);
		break;
	case A64VCPU_SET_IRQ_LINE:
		ret = set_irq_line(vcpu, uarg);
		break;
	case A64VCPU_INJECT:
		ret = a64_vcpu_inject(vcpu, uarg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&vcpu->lock);
	return ret;
}

static vm_fault_t run_page_fault(struct vm_fault *vmf)
{
	struct a64_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(vcpu->run);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct run_vm_ops = {
	.fault = run_page_fault,
};

/*
 * One page at offset 0.  VM_DONTEXPAND: mremap() cannot grow the mapping,
 * and mmap() cannot merge a new range of this file into it (the kernel
 * merges with an adjacent mapping of the same file at the next offset
 * before it asks this function: mmap() at offset 4096 right after the run
 * structure succeeded, a mapping whose second page only SIGBUSes).
 */
static int a64_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) != 1)
		return -EINVAL;
	vma->vm_flags |= VM_DONTEXPAND;
	vma->vm_ops = &run_vm_ops;
	return 0;
}

/**
 * a64_vcpu_destroy() - free a vCPU: its EL2 mapping, pages, VM reference
 * @vcpu: the vCPU, no longer reachable from any fd
 */
void a64_vcpu_destroy(struct a64_vcpu *vcpu)
{
	struct a64_vm *vm = vcpu->vm;

	debugfs_remove(vcpu->debugfs);
	a64_vgic_vcpu_remove(vcpu);
	mutex_lock(&vm->lock);
	vm->vcpus[vcpu->idx] = NULL;
	mutex_unlock(&vm->lock);
	a64_timer_destroy(vcpu);
	a64_fp_vcpu_destroy(vcpu);
	a64_el2_unshare(vcpu->ctx, PAGE_SIZE);
	a64_s2_cache_free(&vcpu->s2_cache);
	a64_page_free(vcpu->ctx);
	a64_page_free(vcpu->run);
	kfree(vcpu);
	a64_vm_put(vm);
}

static int a64_vcpu_release(struct inode *inode, struct file *file)
{
	a64_vcpu_destroy(file->private_data);
	return 0;
}

static const struct file_operations a64_vcpu_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= a64_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= a64_vcpu_mmap,
	.release	= a64_vcpu_release,
	.llseek		= noop_llseek,
};

/**
 * a64_vcpu_create() - A64VCPU_CREATE_VCPU on a VM fd
 * @vm: the VM
 * @ucfg: the caller's struct a64vcpu_vcpu_config
 *
 * Return: a new vCPU fd, or -EFAULT, -EINVAL, -ENOSPC (A64_MAX_VCPUS),
 * -ENOMEM.
 */
int a64_vcpu_create(struct a64_vm *vm, const struct a64vcpu_vcpu_config __user *ucfg)
{
	struct a64vcpu_vcpu_config cfg;
	struct a64_vcpu *vcpu;
	int fd, ret;

	BUILD_BUG_ON(sizeof(struct a64_vcpu_ctx) > PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct a64vcpu_run) > PAGE_SIZE);

	if (copy_from_user(&cfg, ucfg, sizeof(cfg)))
		return -EFAULT;
	if (cfg.flags || cfg.pad || cfg.reserved[0] || cfg.reserved[1] ||
	    cfg.reserved[2] || cfg.reserved[3] || cfg.mpidr & ~MPIDR_HWID_BITMASK)
		return -EINVAL;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	mutex_init(&vcpu->lock);
	init_waitqueue_head(&vcpu->wq);
	a64_timer_init(vcpu);
	vcpu->vm = vm;
	vcpu->ctx = a64_page_alloc();
	vcpu->run = a64_page_alloc();
	ret = -ENOMEM;
	if (!vcpu->ctx || !vcpu->run)
		goto free;
	ret = a64_el2_share(vcpu->ctx, PAGE_SIZE);
	if (ret)
		goto free;

	mutex_lock(&vm->lock);
	if (vm->vgic && vm->vgic->ready) {
		mutex_unlock(&vm->lock);
		pr_info_ratelimited(A64_NAME ": no vCPU can be added once the vGIC is initialised\n");
		ret = -EBUSY;
		goto unshare;
	}
	for (vcpu->idx = 0; vcpu->idx < A64_MAX_VCPUS; vcpu->idx++)
		if (!vm->vcpus[vcpu->idx])
			break;
	if (vcpu->idx == A64_MAX_VCPUS) {
		mutex_unlock(&vm->lock);
		ret = -ENOSPC;
		goto unshare;
	}
	vcpu->s2 = a64_vm_stage2(vm, 0);
	vcpu->s2_token = a64_stage2_new_token();
	vm->vcpus[vcpu->idx] = vcpu;
	kref_get(&vm->ref);
	mutex_unlock(&vm->lock);

	vcpu_reset(vcpu, cfg.mpidr, cfg.dtb_addr);
	a64_fp_vcpu_init(vcpu);
	a64_debugfs_add_vcpu(vcpu);
	fd = anon_inode_getfd("a64vcpu-vcpu", &a64_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		a64_vcpu_destroy(vcpu);
	return fd;

unshare:
	a64_el2_unshare(vcpu->ctx, PAGE_SIZE);
free:
	a64_page_free(vcpu->ctx);
	a64_page_free(vcpu->run);
	kfree(vcpu);
	return ret;
}
