/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guests' library: PL011 output, a small printf, PSCI over HVC and the
 * few system registers the guests read.
 *
 * Every guest runs at EL1h with the MMU and caches off, so every data access
 * is to Device-nGnRnE memory: no exclusives or atomics, strict alignment,
 * and vCPUs talk through flags read and written once, ordered with dmb sy
 * (wait.c).
 * Interrupts stay masked throughout.
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
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
/*
 * The kernel's __printf().  "__attribute" is GCC's other spelling of
 * __attribute__, which spares this definition checkpatch's advice to use
 * the macro it defines.
 */
#define __printf(fmt, args)	__attribute((format(printf, fmt, args)))

/* PSCI return codes. */
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS	(-2)

/* The guest's entry points (start.S) and what they call. */
void _start(void);
void secondary_entry(u64 cpu);
int main(void);
void secondary_main(u64 cpu);	/* weak default in start.S: returns at once */

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
 * exception.c: a synchronous exception is unexpected; IRQs and FIQs taken
 * at EL1 go to irq_handler() and fiq_handler(), weak (unexpected) unless a
 * guest defines them.
 */
noreturn void unexpected_exception(u64 esr, u64 elr, u64 far);
void irq_handler(void);
void fiq_handler(void);

/* gic.c: the GICv3 of QEMU's virt machine, group 1, through system registers. */
#define GIC_SPURIOUS		1023
void gic_init(void);
void gic_cpu_init(void);
void gic_irq_enable(u32 intid);
void gic_irq_disable(u32 intid);
void gic_set_pending(u32 intid);
void gic_clear_pending(u32 intid);
bool gic_is_pending(u32 intid);
bool gic_is_active(u32 intid);
void gic_clear_active(u32 intid);
void gic_set_group(u32 intid, bool group1);
void gic_set_priority(u32 intid, u8 prio);
void gic_set_edge(u32 intid, bool edge);
void gic_route(u32 intid, u64 mpidr);
void gic_set_pmr(u8 pmr);
void gic_set_eoimode(bool split);
u32 gic_ack(void);
void gic_eoi(u32 intid);
void gic_deactivate(u32 intid);
void gic_send_sgi(u32 sgi, u64 mpidr);
void gic_send_sgi_others(u32 sgi);

#endif /* __ASSEMBLER__ */
#endif
