/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * a64vcpu: a loadable AArch64 hypervisor module without KVM.
 * Userspace API of /dev/a64vcpu.  See Documentation/api.rst.
 *
 * Ioctl numbers are grouped by the fd they apply to: 0x00-0x3f system
 * (/dev/a64vcpu), 0x40-0x7f VM, 0x80-0xbf vCPU.  Structures use only
 * fixed-size types with explicit padding; reserved fields must be zero.
 */
#ifndef _UAPI_LINUX_A64VCPU_H
#define _UAPI_LINUX_A64VCPU_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* A64VCPU_GET_API_VERSION returns this; it never changes.  New features are
 * discovered with A64VCPU_CHECK_EXTENSION.
 */
#define A64VCPU_API_VERSION	1

#define A64VCPUIO		0xA6

/* System ioctls, on the fd of /dev/a64vcpu. */
#define A64VCPU_GET_API_VERSION	_IO(A64VCPUIO, 0x00)
#define A64VCPU_CHECK_EXTENSION	_IO(A64VCPUIO, 0x01)

/*
 * Capabilities, the argument of A64VCPU_CHECK_EXTENSION.  Unknown numbers
 * answer 0.
 */
/* Largest guest-physical address size in bits this host supports (32..48). */
#define A64VCPU_CAP_MAX_IPA_SIZE	1
/* VMs, memory slots, stage-2 spaces, vCPUs and A64VCPU_RUN: the ioctls below. */
#define A64VCPU_CAP_VCPU		2
/* Most vCPUs per VM, memory slots per stage-2 space, stage-2 spaces per VM. */
#define A64VCPU_CAP_MAX_VCPUS		3
#define A64VCPU_CAP_MAX_MEMORY_SLOTS	4
#define A64VCPU_CAP_MAX_STAGE2		5
/* The VM ioctl A64VCPU_IRQ_LINE: interrupt lines from any thread. */
#define A64VCPU_CAP_IRQ_LINE		6
/*
 * A64VCPU_CREATE_DEVICE with A64VCPU_DEV_VGIC_V3: an in-kernel GICv3 (its
 * distributor and redistributors emulated by the module).  Answers the most
 * INTIDs a VM can have (A64VCPU_VGIC_GRP_NR_IRQS), 1024.
 */
#define A64VCPU_CAP_VGIC_V3		7
/*
 * The guest's timers: the EL1 virtual timer (PPI 27) and an emulated EL1
 * physical timer (PPI 30) raise their interrupts through the vGIC, and
 * A64VCPU_{GET,SET}_COUNTER_OFFSET exist.
 */
#define A64VCPU_CAP_TIMERS		8
/* WFI waits in the kernel for an interrupt or a signal (no HALT exits). */
#define A64VCPU_CAP_WFI_BLOCKS		9
/* The PSCI version the module implements: 0x10001 (1.1). */
#define A64VCPU_CAP_PSCI_VERSION	10
/*
 * Guests read sanitised ID registers (HCR_EL2.TID3): only features the
 * module switches or emulates (Documentation/api.rst).
 */
#define A64VCPU_CAP_ID_REGS		11
/*
 * A64VCPU_INJECT exists, a SYSREG exit can be answered "undefined", and an
 * instruction fetch outside memory is a prefetch abort in the guest.
 */
#define A64VCPU_CAP_INJECT		12
/*
 * The VM ioctl A64VCPU_DOORBELL: guest stores completed in the kernel by
 * signalling an eventfd.  Answers the most doorbells a VM can have.
 */
#define A64VCPU_CAP_DOORBELL		13
/*
 * The VM ioctl A64VCPU_IRQFD: eventfds that raise an SPI of the vGIC,
 * edge-triggered or level with a resample eventfd.  1 where the vGIC is
 * offered (A64VCPU_CAP_VGIC_V3), else 0.
 */
#define A64VCPU_CAP_IRQFD		14

/* System ioctl: size to mmap() on a vCPU fd for struct a64vcpu_run. */
#define A64VCPU_GET_VCPU_MMAP_SIZE	_IO(A64VCPUIO, 0x02)

/* System ioctl: A64VCPU_CREATE_VM, returns a VM fd. */
struct a64vcpu_vm_config {
	__u32 ipa_bits;		/* 0: 40; else 32..A64VCPU_CAP_MAX_IPA_SIZE */
	__u32 flags;		/* none defined: 0 */
	__u64 reserved[3];	/* 0 */
};

#define A64VCPU_CREATE_VM	_IOW(A64VCPUIO, 0x03, struct a64vcpu_vm_config)

/*
 * VM ioctl: A64VCPU_SET_MEMORY_SLOT creates, replaces or (size 0) deletes
 * slot @slot of stage-2 space @stage2: @size bytes of the caller's memory at
 * @userspace_addr appear at guest-physical @guest_phys_addr.  Page aligned,
 * no overlap with another slot of the same space.  A read-only slot turns
 * guest writes into MMIO exits.  A pinned slot has every page pinned
 * (counted against RLIMIT_MEMLOCK) and mapped when it is set; without the
 * flag, pages are mapped at the guest's first access and stay the host
 * mm's to swap, migrate, merge or back with huge pages.
 */
#define A64VCPU_MEM_READONLY	_BITUL(0)
#define A64VCPU_MEM_PINNED	_BITUL(1)
struct a64vcpu_memory_slot {
	__u32 slot;
	__u32 flags;		/* A64VCPU_MEM_* */
	__u64 guest_phys_addr;
	__u64 size;
	__u64 userspace_addr;
	__u32 stage2;		/* 0: the VM's default stage-2 space */
	__u32 pad;		/* 0 */
	__u64 reserved[2];	/* 0 */
};

#define A64VCPU_SET_MEMORY_SLOT	_IOW(A64VCPUIO, 0x40, struct a64vcpu_memory_slot)

/* VM ioctl: a new, empty stage-2 space; returns its id (> 0). */
#define A64VCPU_CREATE_STAGE2	_IO(A64VCPUIO, 0x41)

/*
 * VM ioctl: A64VCPU_CREATE_VCPU, returns a vCPU fd.  @mpidr is what the
 * guest reads in MPIDR_EL1 (affinity bits only; bit 31 is set for it);
 * @dtb_addr goes to x0 at first entry (the Linux arm64 boot protocol).
 */
struct a64vcpu_vcpu_config {
	__u64 mpidr;
	__u64 dtb_addr;
	__u32 flags;		/* none defined: 0 */
	__u32 pad;		/* 0 */
	__u64 reserved[4];	/* 0 */
};

#define A64VCPU_CREATE_VCPU	_IOW(A64VCPUIO, 0x42, struct a64vcpu_vcpu_config)

/*
 * VM ioctl: A64VCPU_IRQ_LINE drives an interrupt line to @level (1 asserted,
 * 0 deasserted), from any thread, also while the target vCPU runs (it is
 * kicked).  With a vGIC: an SPI (@type A64VCPU_IRQ_TYPE_SPI, @irq its INTID,
 * 32..), or a PPI of vCPU @vcpu (A64VCPU_IRQ_TYPE_PPI, @irq 16..31); an
 * edge-triggered interrupt becomes pending on each write of level 1.  Without
 * one: vCPU @vcpu's IRQ or FIQ input (A64VCPU_IRQ_TYPE_CPU, @irq
 * A64VCPU_IRQ_LINE_IRQ or _FIQ).  vCPUs are named by index: 0, 1, ... in
 * the order they were created (the lowest index free at creation).
 */
#define A64VCPU_IRQ_TYPE_CPU	0
#define A64VCPU_IRQ_TYPE_SPI	1
#define A64VCPU_IRQ_TYPE_PPI	2
struct a64vcpu_irq_level {
	__u32 type;		/* A64VCPU_IRQ_TYPE_* */
	__u32 vcpu;		/* PPI and CPU: the vCPU's index */
	__u32 irq;
	__u32 level;		/* 0 or 1 */
	__u64 reserved;		/* 0 */
};

#define A64VCPU_IRQ_LINE	_IOW(A64VCPUIO, 0x43, struct a64vcpu_irq_level)

/*
 * VM ioctl: A64VCPU_CREATE_DEVICE makes an in-kernel device of @type and
 * returns its fd in @fd (and as the ioctl's value).  One of each type per VM.
 */
#define A64VCPU_DEV_VGIC_V3	1
struct a64vcpu_create_device {
	__u32 type;		/* A64VCPU_DEV_* */
	__u32 flags;		/* none defined: 0 */
	__u32 fd;		/* out */
	__u32 pad;		/* 0 */
	__u64 reserved[2];	/* 0 */
};

#define A64VCPU_CREATE_DEVICE	_IOWR(A64VCPUIO, 0x44, struct a64vcpu_create_device)

/*
 * VM ioctls: the VM's counter offset.  Every vCPU's virtual counter reads the
 * physical counter minus this (CNTVOFF_EL2); it starts at the physical
 * counter's value when the VM was created (guest time starts near 0).
 */
#define A64VCPU_GET_COUNTER_OFFSET	_IOR(A64VCPUIO, 0x45, __u64)
#define A64VCPU_SET_COUNTER_OFFSET	_IOW(A64VCPUIO, 0x46, __u64)

/*
 * VM ioctl: A64VCPU_DOORBELL registers (or, with DEASSIGN, unregisters) a
 * doorbell: a guest store of @len bytes (1, 2, 4 or 8; 0: any length) at
 * guest-physical @addr outside memory, with the value @datamatch if
 * DATAMATCH is set (else any value), is completed in the kernel by adding
 * 1 to eventfd @fd, without an exit to userspace.  The module holds its
 * own reference to the eventfd: closing @fd does not unregister it.
 * A64VCPU_CAP_DOORBELL; semantics in Documentation/api.rst.
 */
#define A64VCPU_DOORBELL_DATAMATCH	_BITUL(0)
#define A64VCPU_DOORBELL_DEASSIGN	_BITUL(1)
struct a64vcpu_doorbell {
	__u64 addr;
	__u64 datamatch;	/* DATAMATCH: fits in @len bytes */
	__u32 len;		/* 0, 1, 2, 4 or 8 */
	__s32 fd;		/* an eventfd */
	__u32 flags;		/* A64VCPU_DOORBELL_* */
	__u32 pad;		/* 0 */
	__u64 reserved[2];	/* 0 */
};

#define A64VCPU_DOORBELL	_IOW(A64VCPUIO, 0x47, struct a64vcpu_doorbell)

/*
 * VM ioctl: A64VCPU_IRQFD binds (or, with DEASSIGN, unbinds) eventfd @fd to
 * SPI @intid of the initialised vGIC: each write to the eventfd is a rising
 * edge on the SPI's line, from any thread.  With RESAMPLE the line instead
 * stays high until the guest deactivates the interrupt; then it is lowered
 * and eventfd @resamplefd is signalled.  Closing @fd unbinds it.
 * A64VCPU_CAP_IRQFD; semantics in Documentation/api.rst.
 */
#define A64VCPU_IRQFD_DEASSIGN		_BITUL(0)
#define A64VCPU_IRQFD_RESAMPLE		_BITUL(1)
struct a64vcpu_irqfd {
	__s32 fd;		/* an eventfd */
	__u32 intid;		/* an SPI: 32 .. the vGIC's INTIDs - 1 */
	__u32 flags;		/* A64VCPU_IRQFD_* */
	__s32 resamplefd;	/* RESAMPLE: an eventfd; else 0 */
	__u64 reserved[2];	/* 0 */
};

#define A64VCPU_IRQFD		_IOW(A64VCPUIO, 0x48, struct a64vcpu_irqfd)

/*
 * Device ioctls (0xc0-0xff), on the fd of A64VCPU_CREATE_DEVICE: an
 * attribute @attr of group @group, its value at @addr (size per group).
 * HAS_DEVICE_ATTR answers 0 if the attribute exists, else ENXIO.
 */
struct a64vcpu_device_attr {
	__u32 flags;		/* none defined: 0 */
	__u32 group;
	__u64 attr;
	__u64 addr;		/* userspace pointer to the value */
	__u64 reserved;		/* 0 */
};

#define A64VCPU_SET_DEVICE_ATTR	_IOW(A64VCPUIO, 0xc0, struct a64vcpu_device_attr)
#define A64VCPU_GET_DEVICE_ATTR	_IOW(A64VCPUIO, 0xc1, struct a64vcpu_device_attr)
#define A64VCPU_HAS_DEVICE_ATTR	_IOW(A64VCPUIO, 0xc2, struct a64vcpu_device_attr)

/*
 * vGICv3 attribute groups (Documentation/vgic.rst).  The vCPU of a per-vCPU
 * attribute is its index in bits 63:32 of @attr.
 */
/* __u64 guest-physical base, 64 KiB aligned, before INIT */
#define A64VCPU_VGIC_GRP_ADDR		0
#define   A64VCPU_VGIC_ADDR_DIST	0	/* 64 KiB */
#define   A64VCPU_VGIC_ADDR_REDIST	1	/* 128 KiB per vCPU, by index */
/* __u32 number of INTIDs: 64..1024, a multiple of 32; before INIT */
#define A64VCPU_VGIC_GRP_NR_IRQS	1
/* A64VCPU_VGIC_CTRL_INIT: the vGIC is complete (@addr unused, 0) */
#define A64VCPU_VGIC_GRP_CTRL		2
#define   A64VCPU_VGIC_CTRL_INIT	0
/* __u32 distributor register at offset @attr (IROUTER: two halves) */
#define A64VCPU_VGIC_GRP_DIST_REGS	3
/* __u32 register at offset @attr[31:0] of a vCPU's 128 KiB frame */
#define A64VCPU_VGIC_GRP_REDIST_REGS	4
/* __u64 CPU interface register @attr[15:0] (A64VCPU_VGIC_SYSREG) of a vCPU */
#define A64VCPU_VGIC_GRP_CPU_SYSREGS	5
/* __u32 line levels of INTIDs @attr[31:0] .. +31 (a multiple of 32) */
#define A64VCPU_VGIC_GRP_LEVEL_INFO	6

#define A64VCPU_VGIC_SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/*
 * vCPU ioctl: A64VCPU_VCPU_SETUP.  PASSTHROUGH_TIMER: the guest may also read
 * the physical counter directly (its virtual timer and counter are always
 * its own; the physical timer stays the host's and traps).
 * PASSTHROUGH_INTERRUPT is refused with EOPNOTSUPP: routing physical
 * interrupts to a guest would take them from the host kernel that shares
 * the CPU (Documentation/api.rst).
 */
#define A64VCPU_SETUP_PASSTHROUGH_TIMER		_BITUL(0)
#define A64VCPU_SETUP_PASSTHROUGH_INTERRUPT	_BITUL(1)
struct a64vcpu_setup_config {
	__u32 flags;		/* A64VCPU_SETUP_* */
	__u32 pad;		/* 0 */
	__u64 reserved[3];	/* 0 */
};

#define A64VCPU_VCPU_SETUP	_IOW(A64VCPUIO, 0x80, struct a64vcpu_setup_config)

/* vCPU ioctl: the guest-physical entry point (PC) for the next run. */
#define A64VCPU_SET_ENTRY	_IOW(A64VCPUIO, 0x81, __u64)

/* vCPU ioctl: run on stage-2 space @id (0: the VM's default). */
#define A64VCPU_SET_STAGE2	_IOW(A64VCPUIO, 0x82, __u32)

/*
 * vCPU ioctls: one register by id, its value at @addr (8 bytes, or 16 for
 * the V registers).  A64VCPU_GET_REG_LIST fills @reg with up to @n ids and
 * sets @n to the number supported (E2BIG if it did not fit).
 */
struct a64vcpu_reg {
	__u64 id;
	__u64 addr;
};

struct a64vcpu_reg_list {
	__u64 n;
	__u64 reg[];
};

#define A64VCPU_GET_REG		_IOW(A64VCPUIO, 0x83, struct a64vcpu_reg)
#define A64VCPU_SET_REG		_IOW(A64VCPUIO, 0x84, struct a64vcpu_reg)
#define A64VCPU_GET_REG_LIST	_IOWR(A64VCPUIO, 0x85, struct a64vcpu_reg_list)

/* Register ids: a class in bits 15:8, an index in bits 7:0. */
#define A64VCPU_REG_X(n)	(0x0000 + (n))	/* x0..x30 */
#define A64VCPU_REG_PC		0x0020
#define A64VCPU_REG_PSTATE	0x0021
#define A64VCPU_REG_SP_EL0	0x0022
#define A64VCPU_REG_SP_EL1	0x0023
#define A64VCPU_REG_ELR_EL1	0x0024
#define A64VCPU_REG_SPSR_EL1	0x0025
#define A64VCPU_REG_V(n)	(0x0100 + (n))	/* v0..v31, 16 bytes */
#define A64VCPU_REG_FPSR	0x0120
#define A64VCPU_REG_FPCR	0x0121
#define A64VCPU_REG_SYS(n)	(0x0200 + (n))	/* EL1 system registers: */
#define A64VCPU_SYS_SCTLR_EL1		0
#define A64VCPU_SYS_TTBR0_EL1		1
#define A64VCPU_SYS_TTBR1_EL1		2
#define A64VCPU_SYS_TCR_EL1		3
#define A64VCPU_SYS_MAIR_EL1		4
#define A64VCPU_SYS_AMAIR_EL1		5
#define A64VCPU_SYS_VBAR_EL1		6
#define A64VCPU_SYS_CONTEXTIDR_EL1	7
#define A64VCPU_SYS_CPACR_EL1		8
#define A64VCPU_SYS_ESR_EL1		9
#define A64VCPU_SYS_FAR_EL1		10
#define A64VCPU_SYS_AFSR0_EL1		11
#define A64VCPU_SYS_AFSR1_EL1		12
#define A64VCPU_SYS_PAR_EL1		13
#define A64VCPU_SYS_CNTKCTL_EL1		14
#define A64VCPU_SYS_TPIDR_EL1		15
#define A64VCPU_SYS_TPIDR_EL0		16
#define A64VCPU_SYS_TPIDRRO_EL0		17
#define A64VCPU_SYS_CSSELR_EL1		18
#define A64VCPU_SYS_CNTV_CTL_EL0	19
#define A64VCPU_SYS_CNTV_CVAL_EL0	20
#define A64VCPU_SYS_NR			21

/* vCPU ioctl: drive the guest's virtual IRQ or FIQ line (HCR_EL2.VI/VF). */
#define A64VCPU_IRQ_LINE_IRQ	0
#define A64VCPU_IRQ_LINE_FIQ	1
struct a64vcpu_irq_line {
	__u32 line;		/* A64VCPU_IRQ_LINE_* */
	__u32 level;		/* 1 asserted, 0 deasserted */
	__u64 reserved;		/* 0 */
};

#define A64VCPU_SET_IRQ_LINE	_IOW(A64VCPUIO, 0x86, struct a64vcpu_irq_line)

/*
 * vCPU ioctl: make the guest take an exception at its EL1, before it runs
 * again (A64VCPU_CAP_INJECT).  UNDEF: an UNDEFINED exception; DABT: a
 * synchronous external data abort on @addr (FAR_EL1).  Both are taken at
 * the instruction that made the last MMIO or SYSREG exit (its completion
 * is dropped), else at the PC.  SERROR: a virtual SError, pending until
 * the guest unmasks PSTATE.A (its syndrome is the CPU's: @esr must be 0).
 */
#define A64VCPU_INJECT_UNDEF	0
#define A64VCPU_INJECT_DABT	1
#define A64VCPU_INJECT_SERROR	2
struct a64vcpu_inject {
	__u32 type;		/* A64VCPU_INJECT_* */
	__u32 flags;		/* 0 */
	__u64 addr;		/* DABT: the address; else 0 */
	__u64 esr;		/* 0 */
	__u64 reserved[2];	/* 0 */
};

#define A64VCPU_INJECT		_IOW(A64VCPUIO, 0x88, struct a64vcpu_inject)

/* vCPU ioctl: run the guest until an exit userspace must see. */
#define A64VCPU_RUN		_IO(A64VCPUIO, 0x87)

/* struct a64vcpu_run.exit_reason */
#define A64VCPU_EXIT_NONE		0
#define A64VCPU_EXIT_MMIO		1
#define A64VCPU_EXIT_HYPERCALL		2
#define A64VCPU_EXIT_CPU_ON		3
#define A64VCPU_EXIT_CPU_OFF		4
#define A64VCPU_EXIT_SYSTEM_EVENT	5
#define A64VCPU_EXIT_HALT		6
#define A64VCPU_EXIT_SYSREG		7
#define A64VCPU_EXIT_INTR		8
#define A64VCPU_EXIT_FAULT		9
#define A64VCPU_EXIT_UNHANDLED_ABORT	10
#define A64VCPU_EXIT_INTERNAL_ERROR	11

#define A64VCPU_SYSTEM_OFF	0
#define A64VCPU_SYSTEM_RESET	1

#define A64VCPU_HCALL_HVC	0
#define A64VCPU_HCALL_SMC	1

/* The mmap()ed page of a vCPU fd (A64VCPU_GET_VCPU_MMAP_SIZE bytes). */
struct a64vcpu_run {
	/* in */
	__u8 immediate_exit;	/* return A64VCPU_EXIT_INTR before entering */
	__u8 pad0[7];
	/* out */
	__u32 exit_reason;	/* A64VCPU_EXIT_* */
	__u32 pad1;
	__u64 reserved[6];
	union {
		/*
		 * MMIO: a guest load/store outside memory (or a store to a
		 * read-only slot).  For a read, write @data before the next
		 * A64VCPU_RUN: it completes the load (zero- or sign-extended
		 * as the instruction wants) and moves the PC on.
		 */
		struct {
			__u64 phys_addr;
			__u64 data;
			__u32 len;	/* 1, 2, 4 or 8 */
			__u8 is_write;
			__u8 pad[3];
		} mmio;
		/*
		 * HYPERCALL: an HVC or SMC the module did not answer.  The
		 * answer written to @ret goes to x0-x3 on the next run.
		 */
		struct {
			__u64 function_id;	/* x0 */
			__u64 args[6];		/* x1-x6 */
			__u64 ret[4];
			__u32 conduit;		/* A64VCPU_HCALL_* */
			__u32 imm;		/* the instruction's immediate */
		} hypercall;
		/* CPU_ON: PSCI CPU_ON; the guest got PSCI SUCCESS. */
		struct {
			__u64 target_mpidr;
			__u64 entry;
			__u64 context_id;
		} cpu_on;
		/* SYSTEM_EVENT: PSCI SYSTEM_OFF / SYSTEM_RESET. */
		struct {
			__u32 type;	/* A64VCPU_SYSTEM_* */
			__u32 pad;
		} system_event;
		/* HALT: WFI or WFE. */
		struct {
			__u8 is_wfe;
			__u8 pad[7];
		} halt;
		/*
		 * SYSREG: a trapped MRS/MSR.  For a read, write @value before
		 * the next run: it goes to the destination register.  Set
		 * @undefined to 1 instead for a register the VM does not have:
		 * the access takes an UNDEFINED exception in the guest.
		 */
		struct {
			__u64 value;
			__u8 op0, op1, crn, crm, op2;
			__u8 is_write;
			__u8 undefined;	/* the module sets 0 */
			__u8 pad;
		} sysreg;
		/*
		 * FAULT: a stage-2 fault on memory that is not emulatable (the
		 * guest's page-table walk outside memory).
		 * UNHANDLED_ABORT: a data abort outside memory that carries
		 * no syndrome and that the module could not decode.
		 */
		struct {
			__u64 ipa;
			__u64 esr;
			__u8 is_write;
			__u8 is_exec;
			__u8 pad[6];
		} fault;
		/* INTERNAL_ERROR: an exit the module cannot handle. */
		struct {
			__u64 esr;
			__u64 pc;
			__u32 exit_code;	/* sync 0, irq 1, fiq 2, serror 3 */
			__u32 pad;
		} internal;
		__u8 padding[256];
	};
};

#endif /* _UAPI_LINUX_A64VCPU_H */
