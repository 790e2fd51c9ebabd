// SPDX-License-Identifier: GPL-2.0-only
/*
 * An exception EL2 did not expect ends here: kmod/hyp/panic.S records it,
 * puts the host's state back if a guest was loaded, and ERETs to
 * a64_el2_panic() at EL1 with interrupts masked, on the stack of whatever
 * made the host call.  It panics, naming the CPU, ESR_EL2 (EC decoded),
 * ELR_EL2 (also as an offset into the EL2 image: look it up in
 * `objdump -d build/kmod/stock/kmod/hyp/hyp.tmp.o`) and FAR_EL2.
 *
 * Test builds (A64VCPU_FAULT_INJECT: a kernel with
 * CONFIG_FAULT_INJECTION_DEBUG_FS, or `make module FAULT_INJECT=1`) add
 * /sys/kernel/debug/a64vcpu/el2_fault_inject, root only: "host" makes this
 * CPU's EL2 fault in a host call, "guest" the next guest exit on any CPU
 * (both panic), "at" the next AT at EL2 on this CPU (kmod/hyp/fast.c: fixed
 * up, the guest retries its access; the writer pins itself to the CPU).
 */
#include <linux/debugfs.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/esr.h>

#include "a64vcpu.h"

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case ESR_ELx_EC_UNKNOWN:
		return "unknown reason, an UNDEFINED instruction";
	case ESR_ELx_EC_FP_ASIMD:
		return "FP/SIMD access trapped";
	case ESR_ELx_EC_ILL:
		return "illegal execution state";
	case ESR_ELx_EC_HVC64:
		return "HVC";
	case ESR_ELx_EC_SMC64:
		return "SMC";
	case ESR_ELx_EC_SYS64:
		return "system register access";
	case ESR_ELx_EC_IABT_CUR:
		return "instruction abort at EL2";
	case ESR_ELx_EC_PC_ALIGN:
		return "PC alignment fault";
	case ESR_ELx_EC_DABT_CUR:
		return "data abort at EL2";
	case ESR_ELx_EC_SP_ALIGN:
		return "SP alignment fault";
	case ESR_ELx_EC_SERROR:
		return "SError";
	case ESR_ELx_EC_BRK64:
		return "BRK";
	default:
		return "other";
	}
}

/**
 * a64_el2_panic() - EL2 took an exception it did not expect: panic
 * @code: the vector (struct a64_hyp_panic)
 * @esr: ESR_EL2
 * @elr: ELR_EL2
 * @far: FAR_EL2
 * @spsr: SPSR_EL2
 * @par: PAR_EL1
 * @vcpu_ctx: physical address of the guest context that was loaded, or 0
 *
 * Never called, only ERETed to by kmod/hyp/panic.S, interrupts masked.
 */
void __noreturn a64_el2_panic(u64 code, u64 esr, u64 elr, u64 far, u64 spsr,
			      u64 par, u64 vcpu_ctx)
{
	static const char * const kinds[] = {
		"synchronous exception", "IRQ", "FIQ", "SError",
	};
	static const char * const froms[] = {
		"EL2 on SP_EL0", "EL2", "a lower EL (AArch64)", "a lower EL (AArch32)",
	};
	unsigned int ec = ESR_ELx_EC(esr);
	phys_addr_t image = a64_el2_image_pa();
	char where[48];

	local_irq_disable();	/* they are: tell lockdep and friends */
	if (elr >= image && elr - image < a64_el2_image_size())
		snprintf(where, sizeof(where), "EL2 image +%#llx", elr - image);
	else
		snprintf(where, sizeof(where), "outside the EL2 image");
	pr_emerg(A64_NAME ": EL2 on CPU%u: %s vectors, code %#llx, SPSR_EL2 %#llx, PAR_EL1 %#llx, %s\n",
		 raw_smp_processor_id(), code & 0x10 ? "guest" : "host", code,
		 spsr, par, vcpu_ctx ? "a guest was loaded (host state restored)" :
				       "in a host call");
	panic(A64_NAME ": EL2 on CPU%u: unexpected %s from %s: ESR_EL2 %#llx (EC %#x, %s), ELR_EL2 %#llx (%s), FAR_EL2 %#llx\n",
	      raw_smp_processor_id(), kinds[code & 3], froms[(code >> 2) & 3],
	      esr, ec, ec_name(ec), elr, where, far);
}

#ifdef A64VCPU_FAULT_INJECT
static ssize_t fault_inject_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct a64_hyp_report r;
	unsigned long flags;
	unsigned int cpu;
	char buf[8] = {};

	if (copy_from_user(buf, ubuf, min(count, sizeof(buf) - 1)))
		return -EFAULT;
	if (sysfs_streq(buf, "at")) {	/* fixed up: no panic */
		WRITE_ONCE(a64_el2_hyp_cpu(raw_smp_processor_id())->fault_inject,
			   A64_FAULT_INJECT_AT);
		return count;
	}
	if (sysfs_streq(buf, "guest")) {
		for_each_possible_cpu(cpu)
			WRITE_ONCE(a64_el2_hyp_cpu(cpu)->fault_inject,
				   A64_FAULT_INJECT_GUEST);
		return count;
	}
	if (!sysfs_streq(buf, "host"))
		return -EINVAL;
	preempt_disable();
	if (!a64_el2_ensure_owned()) {
		local_irq_save(flags);
		WRITE_ONCE(a64_el2_hyp_cpu(smp_processor_id())->fault_inject,
			   A64_FAULT_INJECT_HOST);
		a64_el2_report_this_cpu(&r);	/* does not come back */
		local_irq_restore(flags);
	}
	preempt_enable();
	return -EIO;
}

static const struct file_operations fault_inject_fops = {
	.owner = THIS_MODULE,
	.write = fault_inject_write,
	.llseek = noop_llseek,
};

/**
 * a64_el2_fault_inject_init() - debugfs el2_fault_inject, in test builds
 * @dir: a64vcpu's debugfs folder
 */
void a64_el2_fault_inject_init(struct dentry *dir)
{
	debugfs_create_file("el2_fault_inject", 0200, dir, NULL, &fault_inject_fops);
}
#endif
