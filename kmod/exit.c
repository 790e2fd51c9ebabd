// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a guest exit becomes, dispatched on ESR_EL2.EC.  Each handler
 * returns > 0 to re-enter the guest, 0 to return to userspace with
 * run->exit_reason set, < 0 for an error.  Nothing a guest does reaches a
 * BUG or a panic: what the module cannot handle is an INTERNAL_ERROR exit.
 */
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/highmem.h>
#include <asm/cpufeature.h>
#include <asm/debug-monitors.h>
#include <asm/esr.h>
#include <asm/exception.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "a64vcpu.h"

/**
 * a64_vcpu_get_x() - a guest GPR as an instruction reads it
 * @vcpu: the vCPU
 * @rt: register number; 31 reads as zero (XZR)
 *
 * Return: the value.
 */
u64 a64_vcpu_get_x(struct a64_vcpu *vcpu, unsigned int rt)
{
	return rt == 31 ? 0 : vcpu->ctx->x[rt];
}

/**
 * a64_vcpu_set_x() - write a guest GPR as an instruction would
 * @vcpu: the vCPU
 * @rt: register number; 31 (XZR) discards
 * @val: the value
 */
void a64_vcpu_set_x(struct a64_vcpu *vcpu, unsigned int rt, u64 val)
{
	if (rt != 31)
		vcpu->ctx->x[rt] = val;
}

/**
 * a64_exit_to_user() - end the run with an exit for userspace, counted
 * @vcpu: the vCPU, its run structure's payload for @reason filled in
 * @reason: A64VCPU_EXIT_*
 *
 * Return: 0, what a64_handle_exit() returns to stop for userspace.
 */
int a64_exit_to_user(struct a64_vcpu *vcpu, u32 reason)
{
	vcpu->run->exit_reason = reason;
	vcpu->last_exit = reason;
	vcpu->stats[reason]++;
	return 0;
}

/*
 * The trapped instruction is done: the next one.  A guest stepping itself
 * (MDSCR_EL1.SS) has now stepped it: PSTATE.SS 0 takes its software step
 * exception before the next one (ARM ARM D2.12, active-pending).
 */
static void skip_instruction(struct a64_vcpu *vcpu)
{
	vcpu->ctx->pc += 4;
	vcpu->ctx->pstate &= ~DBG_SPSR_SS;
}

static int internal_error(struct a64_vcpu *vcpu)
{
	vcpu->run->internal.esr = vcpu->ctx->esr;
	vcpu->run->internal.pc = vcpu->ctx->pc;
	vcpu->run->internal.exit_code = vcpu->ctx->exit_code;
	return a64_exit_to_user(vcpu, A64VCPU_EXIT_INTERNAL_ERROR);
}

static u64 extend(u64 val, unsigned int len, bool sign, bool sf)
{
	unsigned int bits = len * 8;

	if (bits < 64)
		val &= GENMASK_ULL(bits - 1, 0);
	if (sign && bits < 64)
		val = (u64)sign_extend64(val, bits - 1);
	if (!sf)
		val &= GENMASK_ULL(31, 0);
	return val;
}

/* The guest's SP as a base register: SP_EL1 in EL1h, SP_EL0 otherwise. */
static u64 *sp_reg(struct a64_vcpu *vcpu)
{
	return (vcpu->ctx->pstate & 0xf) == 0x5 ? &vcpu->ctx->el1[A64_EL1_SP_EL1] :
						   &vcpu->ctx->el1[A64_EL1_SP_EL0];
}

/*
 * The bytes of the run structure's exit union that an exit can write: its
 * largest structure.  Nothing in the module writes past them, nor pad1 or
 * reserved[].
 */
#define A64_RUN_EXIT_BYTES	sizeof_field(struct a64vcpu_run, hypercall)
static_assert(sizeof_field(struct a64vcpu_run, mmio) <= A64_RUN_EXIT_BYTES);
static_assert(sizeof_field(struct a64vcpu_run, cpu_on) <= A64_RUN_EXIT_BYTES);
static_assert(sizeof_field(struct a64vcpu_run, system_event) <= A64_RUN_EXIT_BYTES);
static_assert(sizeof_field(struct a64vcpu_run, halt) <= A64_RUN_EXIT_BYTES);
static_assert(sizeof_field(struct a64vcpu_run, sysreg) <= A64_RUN_EXIT_BYTES);
static_assert(sizeof_field(struct a64vcpu_run, fault) <= A64_RUN_EXIT_BYTES);
static_assert(sizeof_field(struct a64vcpu_run, internal) <= A64_RUN_EXIT_BYTES);

/**
 * a64_run_clear() - zero what the run structure may still say about the
 * last exit, once userspace's answer to it has been read
 * @run: the vCPU's run structure
 *
 * Each exit fills in its own structure of the union only: without this,
 * its padding and the bytes past it would hold what an earlier exit wrote
 * there, where the uapi promises zeros.  Only the bytes an exit can write
 * are cleared (A64_RUN_EXIT_BYTES): the rest of the page is
 * zero from its allocation and only userspace writes it.
 */
void a64_run_clear(struct a64vcpu_run *run)
{
	/*
	 * In two halves: GCC makes a constant memset() of up to 64 bytes six
	 * stores of zero here, and one of 96 a call (40 instructions more
	 * per exit under make bench).
	 */
	memset(run->padding, 0, A64_RUN_EXIT_BYTES / 2);
	memset(run->padding + A64_RUN_EXIT_BYTES / 2, 0, A64_RUN_EXIT_BYTES / 2);
}

/* The MMIO exit for access vcpu->insn.step of a decoded load/store. */
static int insn_mmio_exit(struct a64_vcpu *vcpu)
{
	struct a64_mmio_insn *d = &vcpu->insn;
	struct a64vcpu_run *run = vcpu->run;

	a64_run_clear(run);	/* the pair's second access: the first's answer is read */
	run->mmio.phys_addr = d->ipa + d->step * d->len;
	run->mmio.len = d->len;
	run->mmio.is_write = d->write;
	run->mmio.data = d->write ? extend(a64_vcpu_get_x(vcpu, d->rt[d->step]),
					   d->len, false, true) : 0;
	vcpu->pending = A64_PENDING_MMIO_INSN;
	return a64_exit_to_user(vcpu, A64VCPU_EXIT_MMIO);
}

/* All accesses of a decoded load/store are done: writeback, next instruction. */
static void insn_finish(struct a64_vcpu *vcpu)
{
	struct a64_mmio_insn *d = &vcpu->insn;

	if (d->writeback) {
		if (d->rn == 31)
			*sp_reg(vcpu) += d->offset;
		else
			vcpu->ctx->x[d->rn] += d->offset;
	}
	skip_instruction(vcpu);
}

/* Userspace handled access d->step: the next one, or finish the instruction. */
static bool insn_mmio_done(struct a64_vcpu *vcpu)
{
	struct a64_mmio_insn *d = &vcpu->insn;

	if (!d->write)
		a64_vcpu_set_x(vcpu, d->rt[d->step],
			       extend(READ_ONCE(vcpu->run->mmio.data), d->len, d->sign, d->sf));
	if (++d->step < d->nr) {
		insn_mmio_exit(vcpu);
		return true;
	}
	insn_finish(vcpu);
	return false;
}

/*
 * A decoded load/store on the vGIC's frames: done in the kernel.  Returns 1
 * if done, 0 if no access is the vGIC's, -1 if only some are (a pair across
 * the frames' edge: refused, rather than any access made where it does not
 * lie).
 */
static int insn_kernel_mmio(struct a64_vcpu *vcpu)
{
	struct a64_mmio_insn *d = &vcpu->insn;
	unsigned int i, ours = 0;

	for (i = 0; i < d->nr; i++)
		ours += a64_vgic_covers(vcpu, d->ipa + i * d->len);
	if (!ours)
		return 0;
	if (ours != d->nr)
		return -1;
	for (i = 0; i < d->nr; i++) {
		u64 val = 0;

		if (d->write)
			val = extend(a64_vcpu_get_x(vcpu, d->rt[i]), d->len, false, true);
		a64_vgic_mmio(vcpu, d->ipa + i * d->len, d->len, d->write, &val);
		if (!d->write)
			a64_vcpu_set_x(vcpu, d->rt[i], extend(val, d->len, d->sign, d->sf));
	}
	insn_finish(vcpu);
	return 1;
}

/* A decoded single store that a doorbell takes (doorbell.c). */
static bool insn_doorbell(struct a64_vcpu *vcpu)
{
	struct a64_mmio_insn *d = &vcpu->insn;

	return d->write && d->nr == 1 &&
	       a64_doorbell_write(vcpu, d->ipa, d->len,
				  extend(a64_vcpu_get_x(vcpu, d->rt[0]), d->len, false, true));
}

/**
 * a64_complete_pending() - finish the instruction that exited to userspace
 * @vcpu: the vCPU, before it runs again
 *
 * An MMIO or sysreg read gets the value userspace left in the run
 * structure, a hypercall its results in x0-x3.  A decoded load/store pair
 * needs a second MMIO exit before the guest can go on.
 *
 * Return: true if @vcpu->run holds a new exit for userspace (do not enter).
 */
bool a64_complete_pending(struct a64_vcpu *vcpu)
{
	struct a64vcpu_run *run = vcpu->run;
	enum a64_pending pending = vcpu->pending;
	int i;

	vcpu->pending = A64_PENDING_NONE;
	switch (pending) {
	case A64_PENDING_MMIO_INSN:
		return insn_mmio_done(vcpu);
	case A64_PENDING_MMIO_READ:
		a64_vcpu_set_x(vcpu, vcpu->pending_rt,
			       extend(READ_ONCE(run->mmio.data), vcpu->pending_len,
				      vcpu->pending_sign, vcpu->pending_sf));
		break;
	case A64_PENDING_SYSREG_READ:
	case A64_PENDING_SYSREG_WRITE:
		if (READ_ONCE(run->sysreg.undefined)) {	/* not the VM's register */
			vcpu->ctx->pc = vcpu->insn_pc;
			a64_inject_undef(vcpu);
		} else if (pending == A64_PENDING_SYSREG_READ) {
			a64_vcpu_set_x(vcpu, vcpu->pending_rt, READ_ONCE(run->sysreg.value));
		}
		break;
	case A64_PENDING_HYPERCALL:
		for (i = 0; i < 4; i++)
			vcpu->ctx->x[i] = READ_ONCE(run->hypercall.ret[i]);
		break;
	case A64_PENDING_NONE:
		break;
	}
	return false;
}

/* WFI waits in the kernel for an interrupt; WFE lets a sibling vCPU run. */
static int handle_wfx(struct a64_vcpu *vcpu)
{
	skip_instruction(vcpu);
	if (vcpu->ctx->esr & ESR_ELx_WFx_ISS_WFE) {
		a64_vcpu_yield(vcpu);
		return 1;
	}
	return a64_vcpu_wait(vcpu);
}

static int handle_sysreg(struct a64_vcpu *vcpu)
{
	u64 esr = vcpu->ctx->esr;
	struct a64vcpu_run *run = vcpu->run;
	unsigned int rt = FIELD_GET(ESR_ELx_SYS64_ISS_RT_MASK, esr);
	bool write = !(esr & ESR_ELx_SYS64_ISS_DIR_READ);
	u64 val = write ? a64_vcpu_get_x(vcpu, rt) : 0;

	switch (a64_sysreg_emulate(vcpu, esr_sys64_to_sysreg(esr), write, &val)) {
	case A64_SR_DONE:
		if (!write)
			a64_vcpu_set_x(vcpu, rt, val);
		skip_instruction(vcpu);
		vcpu->stat_sysreg++;
		return 1;
	case A64_SR_UNDEF:
		a64_inject_undef(vcpu);
		return 1;
	case A64_SR_USER:
		break;
	}
	run->sysreg.op0 = FIELD_GET(ESR_ELx_SYS64_ISS_OP0_MASK, esr);
	run->sysreg.op1 = FIELD_GET(ESR_ELx_SYS64_ISS_OP1_MASK, esr);
	run->sysreg.crn = FIELD_GET(ESR_ELx_SYS64_ISS_CRN_MASK, esr);
	run->sysreg.crm = FIELD_GET(ESR_ELx_SYS64_ISS_CRM_MASK, esr);
	run->sysreg.op2 = FIELD_GET(ESR_ELx_SYS64_ISS_OP2_MASK, esr);
	run->sysreg.is_write = write;
	run->sysreg.undefined = 0;
	run->sysreg.value = val;
	vcpu->pending = write ? A64_PENDING_SYSREG_WRITE : A64_PENDING_SYSREG_READ;
	vcpu->pending_rt = rt;
	skip_instruction(vcpu);
	return a64_exit_to_user(vcpu, A64VCPU_EXIT_SYSREG);
}

/*
 * A synchronous external abort or parity error on the guest's access or
 * its table walk (HCR_EL2.TEA on RAS CPUs routes them here): nothing to
 * emulate, the memory system failed it.  The guest gets a virtual SError,
 * as KVM gives it when the host's firmware-first handling does not claim
 * the error.
 */
static bool external_abort(struct a64_vcpu *vcpu)
{
	switch (vcpu->ctx->esr & ESR_ELx_FSC) {
	case ESR_ELx_FSC_EXTABT:
	case FSC_SEA_TTW0 ... FSC_SEA_TTW3:	/* on a table walk, levels 0-3 */
	case FSC_SECC:				/* parity or ECC error */
	case FSC_SECC_TTW0 ... FSC_SECC_TTW3:	/* the same on a table walk */
		vcpu->ctx->el2[A64_EL2_HCR] |= HCR_VSE;
		vcpu->stat_aborts++;
		return true;
	default:
		return false;
	}
}

/*
 * A physical SError the guest caused: taken from the guest
 * (A64_EXIT_SERROR, HCR_EL2.AMO), or synchronised by EL2 at its exit
 * (ctx->disr, kmod/hyp/switch.S).  As KVM's kvm_handle_guest_serror(): a
 * RAS error the CPU reports contained, corrected (CE) or restartable and
 * not yet consumed (UEO), leaves the guest alone; any other becomes a
 * virtual SError for the guest.  KVM panics the host for an uncontainable
 * one (AET UC: it may have spread); a guest never panics the host here, so
 * it is logged and the host's own RAS handling (firmware first) is trusted.
 * Without RAS the syndrome says nothing: always the guest's.
 */
static void guest_serror(struct a64_vcpu *vcpu, u64 esr)
{
	vcpu->stat_serrors++;
	if (cpus_have_final_cap(ARM64_HAS_RAS_EXTN) && !(esr & ESR_ELx_IDS) &&
	    (esr & ESR_ELx_FSC) == ESR_ELx_FSC_SERROR) {
		switch (esr & ESR_ELx_AET) {
		case ESR_ELx_AET_CE:
		case ESR_ELx_AET_UEO:
			return;
		case ESR_ELx_AET_UC:
			pr_emerg_ratelimited(A64_NAME ": vCPU %u: uncontainable SError (ESR %#llx) while a guest ran: given to the guest, the host is not stopped\n",
					     vcpu->idx, esr);
			break;
		}
	}
	vcpu->ctx->el2[A64_EL2_HCR] |= HCR_VSE;
}

/*
 * EL2 could not resolve the IPA of a fault whose HPFAR_EL2 is not to be
 * trusted (kmod/hyp/fast.c): the guest's stage 1 changed under it.  The
 * guest retries the access, through the run loop (signals, rescheduling).
 */
static bool fault_unresolved(struct a64_vcpu *vcpu)
{
	if (likely(vcpu->ctx->hpfar != A64_HPFAR_RETRY))
		return false;
	vcpu->stat_fault_retries++;
	return true;
}

static u64 fault_ipa(struct a64_vcpu *vcpu)
{
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits 43:4; FAR the page offset. */
	return ((vcpu->ctx->hpfar & HPFAR_MASK) << 8) |
	       (vcpu->ctx->far & ~PAGE_MASK);
}

static int fault_exit(struct a64_vcpu *vcpu, u32 reason, bool write, bool exec)
{
	vcpu->run->fault.ipa = fault_ipa(vcpu);
	vcpu->run->fault.esr = vcpu->ctx->esr;
	vcpu->run->fault.is_write = write;
	vcpu->run->fault.is_exec = exec;
	return a64_exit_to_user(vcpu, reason);
}

/*
 * Is @ipa guest RAM for this access?  A store to a read-only slot is MMIO,
 * as with a syndrome.  Called with the VM's lock held.
 */
static bool is_memory(struct a64_vcpu *vcpu, u64 ipa, bool write)
{
	const struct a64_slot *slot = a64_vm_find_slot(vcpu->s2, ipa);

	return slot && !(write && (slot->flags & A64VCPU_MEM_READONLY));
}

/*
 * Where the elements of a decoded load/store are: the base register (before
 * the writeback of a post-index form), plus the offset for the other forms.
 * FAR_EL2 is the address of the element that faulted, which for a pair may
 * be the second.  With the guest's MMU off an element's IPA is its address;
 * with it on, only FAR's page has a known IPA (the one stage 2 reported),
 * so every element must lie there (bits 63:56 left out of the comparison:
 * with top-byte-ignore, FAR's are UNKNOWN).  No element may be RAM (a
 * store's element may be in a read-only slot, which it writes as MMIO): an
 * access that is partly memory is refused, never emulated as MMIO at an
 * address that is not, nor at one the guest did not use, nor beyond the
 * VM's IPA size.  Called with the
 * VM's lock held.
 */
static int insn_locate(struct a64_vcpu *vcpu, u64 ipa)
{
	struct a64_mmio_insn *d = &vcpu->insn;
	u64 base = d->rn == 31 ? *sp_reg(vcpu) : vcpu->ctx->x[d->rn];
	u64 va = d->post_index ? base : base + d->offset;
	u64 last = va + d->nr * d->len - 1, far = vcpu->ctx->far;
	unsigned int i;

	if (vcpu->ctx->esr & ESR_ELx_FnV)
		return -EINVAL;
	if (!(vcpu->ctx->el1[A64_EL1_SCTLR] & SCTLR_ELx_M)) {
		d->ipa = va;
	} else {
		if (((va ^ far) | (last ^ far)) & GENMASK_ULL(55, PAGE_SHIFT))
			return -EINVAL;
		d->ipa = (ipa & PAGE_MASK) | (va & ~PAGE_MASK);
	}
	if (d->ipa + d->nr * d->len > BIT_ULL(vcpu->s2->ipa_bits))
		return -EINVAL;		/* partly beyond the IPA size */
	/* Each element's first and last byte: unaligned, either may be RAM. */
	for (i = 0; i < d->nr; i++) {
		u64 first = d->ipa + i * d->len;

		if (is_memory(vcpu, first, d->write) ||
		    is_memory(vcpu, first + d->len - 1, d->write))
			return -EINVAL;
	}
	return 0;
}

/*
 * An unaligned MMIO access with a syndrome whose last byte is on the next
 * page, where a slot may begin (the guest's MMU off, or Normal memory):
 * is that byte RAM?  Slots are whole pages, so only such an access can be
 * partly memory; the VM's lock is taken only for it.
 */
static bool straddles_memory(struct a64_vcpu *vcpu, u64 ipa, unsigned int len, bool write)
{
	bool mem;

	if (likely((ipa & ~PAGE_MASK) + len <= PAGE_SIZE))
		return false;
	mutex_lock(&vcpu->vm->lock);
	mem = is_memory(vcpu, ipa + len - 1, write);
	mutex_unlock(&vcpu->vm->lock);
	return mem;
}

/* A data abort on MMIO without syndrome: decode the instruction. */
static int decode_abort(struct a64_vcpu *vcpu, u64 ipa, bool write)
{
	u64 insn_ipa = vcpu->ctx->insn_ipa;
	const struct a64_slot *slot;
	unsigned long hva = 0;
	__le32 insn;
	bool found;

	mutex_lock(&vcpu->vm->lock);
	slot = insn_ipa == A64_IPA_NONE ? NULL : a64_vm_find_slot(vcpu->s2, insn_ipa);
	if (slot)
		hva = slot->uaddr + ((insn_ipa - slot->gpa) & ~3ULL);
	mutex_unlock(&vcpu->vm->lock);

	/* The VMM's view of the page: the vCPU thread is in its mm. */
	found = hva && !get_user(insn, (__le32 __user *)hva) &&
		!a64_decode_ldst(le32_to_cpu(insn), &vcpu->insn) && vcpu->insn.write == write;
	if (found) {
		mutex_lock(&vcpu->vm->lock);
		found = !insn_locate(vcpu, ipa);
		mutex_unlock(&vcpu->vm->lock);
	}

	if (!found)
		return fault_exit(vcpu, A64VCPU_EXIT_UNHANDLED_ABORT, write, false);
	switch (insn_kernel_mmio(vcpu)) {
	case 1:
		return 1;
	case -1:
		return fault_exit(vcpu, A64VCPU_EXIT_UNHANDLED_ABORT, write, false);
	}
	if (insn_doorbell(vcpu)) {
		insn_finish(vcpu);
		return 1;
	}
	return insn_mmio_exit(vcpu);
}

/*
 * A stage-2 fault in guest memory, mapped on demand (mem_fault.c).  A
 * fault on the guest's own stage-1 walk counts as a write (the walk may
 * update access and dirty flags), as KVM does, but maps read-only memory
 * too.  -ENOENT (not memory) and -EROFS (a write to a read-only slot) are
 * for the caller, which emulates them; an address the VMM has nothing
 * mapped at is a FAULT exit.
 */
static int memory_fault(struct a64_vcpu *vcpu, u64 ipa, bool write, bool exec)
{
	bool s1ptw = vcpu->ctx->esr & ESR_ELx_S1PTW;
	int ret;

	ret = a64_mem_fault(vcpu, ipa, write || s1ptw, exec && !s1ptw);
	if (ret == -EROFS && s1ptw)
		ret = a64_mem_fault(vcpu, ipa, false, false);
	if (ret == -ENOENT && s1ptw)	/* the guest's own page tables are not in memory */
		return fault_exit(vcpu, A64VCPU_EXIT_FAULT, write, exec);
	if (ret == -EFAULT || ret == -EHWPOISON) {
		pr_info_ratelimited(A64_NAME ": vCPU %u: guest memory at %#llx is not mapped (or not %s) in the VMM: FAULT exit\n",
				    vcpu->idx, ipa, write ? "writable" : "readable");
		return fault_exit(vcpu, A64VCPU_EXIT_FAULT, write, exec);
	}
	return ret;
}

/*
 * An access beyond the VM's IPA size (the guest's MMU off, or its stage 1
 * pointing there): no slot, no device and no VMM address can be there, so
 * the guest takes an external abort, as KVM gives it for an IPA between
 * the VM's size and the CPU's.  Never an MMIO exit at an address the VM
 * does not have.
 */
static bool beyond_ipa(struct a64_vcpu *vcpu, u64 ipa, bool iabt)
{
	if (likely(ipa < BIT_ULL(vcpu->s2->ipa_bits)))
		return false;
	a64_inject_abort(vcpu, iabt, vcpu->ctx->far);
	return true;
}

/*
 * An instruction fetch outside memory: the guest takes an external
 * prefetch abort, as KVM makes it (a VMM has no instruction to emulate).
 */
static int handle_iabt(struct a64_vcpu *vcpu)
{
	u64 ipa = fault_ipa(vcpu);
	int ret;

	if (fault_unresolved(vcpu) || external_abort(vcpu) || beyond_ipa(vcpu, ipa, true))
		return 1;
	ret = memory_fault(vcpu, ipa, false, true);
	if (ret != -ENOENT)
		return ret;
	a64_inject_abort(vcpu, true, vcpu->ctx->far);
	return 1;
}

static int handle_dabt(struct a64_vcpu *vcpu)
{
	u64 esr = vcpu->ctx->esr, ipa = fault_ipa(vcpu);
	struct a64vcpu_run *run = vcpu->run;
	/* Cache maintenance reports WnR set: for memory, map it writable (KVM). */
	bool write = esr & ESR_ELx_WNR;
	unsigned int rt, len;
	int ret;

	if (fault_unresolved(vcpu) || external_abort(vcpu) || beyond_ipa(vcpu, ipa, false))
		return 1;

	if ((esr & ESR_ELx_ISV) && !(esr & ESR_ELx_CM) && !(esr & ESR_ELx_S1PTW)) {
		/* the vGIC, in the kernel */
		u64 val;

		rt = FIELD_GET(ESR_ELx_SRT_MASK, esr);
		len = 1U << FIELD_GET(ESR_ELx_SAS, esr);
		val = write ? extend(a64_vcpu_get_x(vcpu, rt), len, false, true) : 0;
		if (a64_vgic_mmio(vcpu, ipa, len, write, &val)) {
			if (!write)
				a64_vcpu_set_x(vcpu, rt, extend(val, len, esr & ESR_ELx_SSE,
								esr & ESR_ELx_SF));
			skip_instruction(vcpu);
			return 1;
		}
	}

	ret = memory_fault(vcpu, ipa, write, false);
	if (ret != -ENOENT && ret != -EROFS)
		return ret;

	if (esr & ESR_ELx_CM) {	/* cache maintenance by VA on MMIO: nothing to do */
		skip_instruction(vcpu);
		return 1;
	}
	if (!(esr & ESR_ELx_ISV))
		return decode_abort(vcpu, ipa, write);

	rt = FIELD_GET(ESR_ELx_SRT_MASK, esr);
	len = 1U << FIELD_GET(ESR_ELx_SAS, esr);
	if (beyond_ipa(vcpu, ipa + len - 1, false))	/* unaligned, across the end */
		return 1;
	if (straddles_memory(vcpu, ipa, len, write))	/* never MMIO partly on RAM */
		return fault_exit(vcpu, A64VCPU_EXIT_UNHANDLED_ABORT, write, false);
	if (write) {
		u64 val = extend(a64_vcpu_get_x(vcpu, rt), len, false, true);

		/* A doorbell: done in the kernel, no exit (doorbell.c). */
		if (a64_doorbell_write(vcpu, ipa, len, val)) {
			skip_instruction(vcpu);
			return 1;
		}
		run->mmio.data = val;
	} else {
		run->mmio.data = 0;
		vcpu->pending = A64_PENDING_MMIO_READ;
		vcpu->pending_rt = rt;
		vcpu->pending_len = len;
		vcpu->pending_sign = esr & ESR_ELx_SSE;
		vcpu->pending_sf = esr & ESR_ELx_SF;
	}
	run->mmio.phys_addr = ipa;
	run->mmio.len = len;
	run->mmio.is_write = write;
	skip_instruction(vcpu);
	return a64_exit_to_user(vcpu, A64VCPU_EXIT_MMIO);
}

/*
 * The guest's EL1 returned to AArch32 EL0, which its ID registers hide
 * (sysreg.c) and this file does not decode (T32 instruction lengths, A32
 * registers): the vCPU stops with INTERNAL_ERROR and A64VCPU_RUN refuses
 * it until userspace sets an AArch64 PSTATE, as KVM refuses a vCPU caught
 * in a mode its VM does not have.
 */
static int aarch32_refused(struct a64_vcpu *vcpu)
{
	pr_info_ratelimited(A64_NAME ": vCPU %u entered AArch32 EL0 (PSTATE %#llx at %#llx), which its ID registers do not offer: stopped\n",
			    vcpu->idx, vcpu->ctx->pstate, vcpu->ctx->pc);
	return internal_error(vcpu);
}

/**
 * a64_handle_exit() - handle the exit that ended the last run
 * @vcpu: the vCPU, its context saved by EL2
 *
 * Return: > 0 re-enter the guest, 0 exit to userspace, < 0 error.
 */
int a64_handle_exit(struct a64_vcpu *vcpu)
{
	u64 esr = vcpu->ctx->esr;

	if (unlikely(vcpu->ctx->disr)) {
		/* Pending for the guest; the exit itself is still handled. */
		guest_serror(vcpu, disr_to_esr(vcpu->ctx->disr));
		vcpu->ctx->disr = 0;
	}
	if (unlikely(vcpu->ctx->pstate & PSR_MODE32_BIT))
		return aarch32_refused(vcpu);
	vcpu->insn_pc = vcpu->ctx->pc;
	switch (vcpu->ctx->exit_code) {
	case A64_EXIT_IRQ:
	case A64_EXIT_FIQ:
		vcpu->stat_irq_exits++;	/* the host took it on local_irq_enable() */
		return 1;
	case A64_EXIT_SERROR:
		guest_serror(vcpu, esr);
		return 1;
	case A64_EXIT_SYNC:
		break;
	default:
		return internal_error(vcpu);
	}

	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_WFx:
		return handle_wfx(vcpu);
	case ESR_ELx_EC_HVC64:
		return a64_handle_smccc(vcpu, false, esr & ESR_ELx_xVC_IMM_MASK);
	case ESR_ELx_EC_SMC64:
		skip_instruction(vcpu);
		return a64_handle_smccc(vcpu, true, esr & ESR_ELx_xVC_IMM_MASK);
	case ESR_ELx_EC_SYS64:
		return handle_sysreg(vcpu);
	case ESR_ELx_EC_DABT_LOW:
		return handle_dabt(vcpu);
	case ESR_ELx_EC_IABT_LOW:
		return handle_iabt(vcpu);
	case ESR_ELx_EC_PAC:	/* pointer authentication, SVE, SME: not offered */
	case ESR_ELx_EC_SVE:
	case ESR_ELx_EC_SME:
		a64_inject_undef(vcpu);
		return 1;
	default:
		return internal_error(vcpu);
	}
}
