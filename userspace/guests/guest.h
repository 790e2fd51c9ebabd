/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guests' library: PL011 output, a small printf, PSCI over HVC and the
 * few system registers the guests read.
 *
 * Every guest runs at EL1h with the MMU and caches off, so every data access
 * is to Device-nGnRnE memory: no exclusives or atomics, strict alignment,
 * and vCPUs talk through flags read and written once, ordered with dmb sy
 * (wait.c).
 * Interrupts stay masked unless a guest unmasks them (local_irq_enable()).
 */
#ifndef GUEST_H
#define GUEST_H

#include "platform.h"		/* userspace/vmm/platform.h: the machine a64vm builds */

#define GUEST_NR_CPUS		VIRT_MAX_CPUS
#define GUEST_STACK_SHIFT	14			/* 16 KiB per vCPU */
#define GUEST_STACK_SIZE	(1 << GUEST_STACK_SHIFT)

/* SMCCC and PSCI function ids (DEN0028, DEN0022). */
#define SMCCC_VERSION		0x80000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_CPU_ON_64		0xc4000003

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
/*
 * The kernel's __printf().  "__attribute" is GCC's other spelling of
 * __attribute__, which spares this definition checkpatch's advice to use
 * the macro it defines.
 */
#define __printf(fmt, args)	__attribute((format(printf, fmt, args)))
#define __weak			__attribute((weak))
#define __aligned(n)		__attribute((aligned(n)))

/* PSCI return codes. */
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS	(-2)

/* The guest's entry points (start.S) and what they call. */
void _start(void);
void secondary_entry(u64 cpu);
int main(void);
void secondary_main(u64 cpu);	/* weak default in start.S: returns at once */
extern u64 boot_dtb;		/* x0 at _start: the DTB's address, or 0 */

/*
 * MMIO accessors: one plain ldr/str with a base register, so that a trapping
 * hypervisor gets a syndrome it can decode (ESR_ELx.ISV = 1).  No barriers
 * are needed: with the MMU off everything is Device-nGnRnE.
 */
static inline u32 readl(u64 addr)
{
	u32 val;

	asm volatile("ldr %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void writel(u32 val, u64 addr)
{
	asm volatile("str %w0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

/* The other access sizes, for tests of how a device answers each. */
static inline u8 readb(u64 addr)
{
	u32 val;

	asm volatile("ldrb %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void writeb(u8 val, u64 addr)
{
	asm volatile("strb %w0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

static inline u32 readw(u64 addr)
{
	u32 val;

	asm volatile("ldrh %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void writew(u32 val, u64 addr)
{
	asm volatile("strh %w0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

static inline u64 readq(u64 addr)
{
	u64 val;

	asm volatile("ldr %x0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void writeq(u64 val, u64 addr)
{
	asm volatile("str %x0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

/*
 * A 32-bit load or store emitted exactly once, as written: the kernel's
 * READ_ONCE()/WRITE_ONCE() for the flags that vCPUs share (wait.c).
 */
static inline u32 read_once(const u32 *p)
{
	u32 val;

	asm volatile("ldr %w0, %1" : "=r" (val) : "Q" (*p));
	return val;
}

static inline void write_once(u32 *p, u32 val)
{
	asm volatile("str %w1, %0" : "=Q" (*p) : "rZ" (val));
}

/* Full-system barrier: orders this vCPU's accesses as seen by the others. */
static inline void dmb_sy(void)
{
	asm volatile("dmb sy" : : : "memory");
}

static inline void dsb_sy(void)
{
	asm volatile("dsb sy" : : : "memory");
}

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

/* System registers by name or by S<op0>_<op1>_C<n>_C<m>_<op2> encoding. */
#define read_sysreg_s(reg) ({						\
	u64 __val;							\
	asm volatile("mrs %0, " reg : "=r" (__val) : : "memory");	\
	__val;								\
})
#define write_sysreg_s(val, reg) ({					\
	asm volatile("msr " reg ", %x0" : : "rZ" ((u64)(val)) : "memory");	\
})

/* Unmask (or mask) IRQs and FIQs at this vCPU (PSTATE.I and F). */
static inline void local_irq_enable(void)
{
	asm volatile("msr daifclr, #3" : : : "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("msr daifset, #3" : : : "memory");
}

/*
 * Wait for an interrupt handler to make @cond true, without the race of a
 * plain WFI (an interrupt taken just before it leaves nothing to wake it):
 * WFI with IRQs masked, which a pending interrupt still ends, then let the
 * interrupt in.  Returns with IRQs unmasked.
 */
#define wait_for_irq(cond) do {						\
	local_irq_disable();						\
	while (!(cond)) {						\
		asm volatile("wfi" : : : "memory");			\
		local_irq_enable();					\
		isb();							\
		local_irq_disable();					\
	}								\
	local_irq_enable();						\
} while (0)

static inline u64 read_mpidr(void)
{
	u64 val;

	asm volatile("mrs %0, mpidr_el1" : "=r" (val));
	return val;
}

/* The virtual counter; the isb keeps the read from being hoisted above earlier code. */
static inline u64 read_cntvct(void)
{
	u64 val;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (val) : : "memory");
	return val;
}

static inline u64 read_cntfrq(void)
{
	u64 val;

	asm volatile("mrs %0, cntfrq_el0" : "=r" (val));
	return val;
}

/* uart.c: PL011 output, polled. */
void uart_putc(char c);
void uart_puts(const char *s);
/* The next character received, or -1 after @timeout_s seconds without one. */
int uart_getc(unsigned int timeout_s);

/*
 * print.c: %s %c %d %i %u %x %p and %%, with l/ll length modifiers and a
 * zero-padded or space-padded width (%08x).
 */
__printf(1, 2) int printf(const char *fmt, ...);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* SMCCC calls over hvc #0 (SMCCC 1.1: x0-x3 return values). */
struct smccc_res {
	u64 x0, x1, x2, x3;
};

/*
 * An SMCCC call with the HVC conduit (inline: make bench times it).
 * SMCCC 1.1 returns results in x0-x3 and preserves x4-x17; x4-x17 are
 * declared clobbered anyway, so that a hypervisor that forgets the rule
 * cannot corrupt the guest.
 * Returns x0-x3 after the call.
 */
static inline struct smccc_res smccc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct smccc_res){ .x0 = x0, .x1 = x1, .x2 = x2, .x3 = x3 };
}

/* psci.c */
int psci_cpu_on(u64 mpidr, u64 entry, u64 context);
int psci_cpu_off(void);
noreturn void psci_system_off(void);
noreturn void psci_system_reset(void);
const char *psci_ret_name(int ret);

/* wait.c: the cross-vCPU flag protocol. */
void flag_set(u32 *flag);
bool flag_wait(const u32 *flag, unsigned int timeout_s);

/* string.c: what GCC may call even in a freestanding program. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

/*
 * exception.c: exceptions taken at EL1 (SP_EL1) go to irq_handler(),
 * fiq_handler() and sync_handler(), weak (unexpected) unless a guest
 * defines them.  sync_handler() gets ESR_EL1, ELR_EL1 and FAR_EL1 and
 * returns where to resume (elr + 4 skips the instruction that took the
 * exception).  Any other exception is unexpected.
 */
#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_UNKNOWN		0x00	/* UNDEFINED instruction */
#define ESR_EC_DABT_CUR		0x25	/* data abort at EL1 */
noreturn void unexpected_exception(u64 esr, u64 elr, u64 far);
void irq_handler(void);
void fiq_handler(void);
u64 sync_handler(u64 esr, u64 elr, u64 far);

/*
 * gic.c: the GICv3 of QEMU's virt machine, group 1, through system registers.
 * Register offsets for tests that reach the frames directly: distributor
 * (GICD_*) at VIRT_GIC_DIST_BASE; each vCPU's redistributor at
 * gic_redist(cpu), its SGI/PPI registers GICR_SGI_BASE further on, at the
 * GICD_* offsets of the same registers.
 */
#define GIC_SPURIOUS		1023
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8
#define GICD_CTLR_GRP0		(1 << 0)
#define GICD_CTLR_GRP1		(1 << 1)
#define GICD_CTLR_ARE		(1 << 4)
#define GICD_CTLR_DS		(1 << 6)
#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_PIDR2		0xffe8
#define GICR_SGI_BASE		0x10000
#define GICR_TYPER_LAST		(1 << 4)
/* ICC_SGI1R_EL1 fields */
#define SGI1R_INTID(n)		((u64)(n) << 24)
#define SGI1R_AFF1(n)		((u64)(n) << 16)
#define SGI1R_AFF2(n)		((u64)(n) << 32)
#define SGI1R_AFF3(n)		((u64)(n) << 48)
#define SGI1R_RS(n)		((u64)(n) << 44)
#define SGI1R_IRM		(1UL << 40)

void gic_init(void);
void gic_cpu_init(void);
u64 gic_redist(u32 cpu);
void gic_irq_enable(u32 intid);
void gic_irq_disable(u32 intid);
bool gic_is_enabled(u32 intid);
void gic_set_pending(u32 intid);
void gic_clear_pending(u32 intid);
bool gic_is_pending(u32 intid);
bool gic_is_active(u32 intid);
void gic_clear_active(u32 intid);
void gic_set_group(u32 intid, bool group1);
void gic_set_priority(u32 intid, u8 prio);
u8 gic_get_priority(u32 intid);
void gic_set_edge(u32 intid, bool edge);
void gic_route(u32 intid, u64 mpidr);
void gic_set_pmr(u8 pmr);
void gic_set_eoimode(bool split);
void gic_set_igrpen(bool grp0, bool grp1);
u32 gic_ack(void);
void gic_eoi(u32 intid);
u32 gic_ack0(void);
void gic_eoi0(u32 intid);
void gic_deactivate(u32 intid);
u32 gic_hppir(void);
u32 gic_rpr(void);
void gic_send_sgi(u32 sgi, u64 mpidr);
void gic_send_sgi_others(u32 sgi);
void gic_write_sgi1r(u64 val);

#endif /* __ASSEMBLER__ */
#endif
