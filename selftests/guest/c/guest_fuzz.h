/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest fuzzer's guest (guest/c/guest_fuzz.c) and its test
 * (selftests/guest_fuzz.c) agree on: the memory map beyond the guests'
 * usual RAM, the arguments and the report.
 *
 * Guest-physical map: RAM (slot 0, the program, GUEST_RAM_SIZE) at
 * 0x40000000; 128 MiB above it (beyond the reach of the addresses that
 * random instruction words can form from the register values they get), a
 * read-write scratch slot (slot 1, the only memory the fuzzer writes); a
 * 64 KiB hole (MMIO); a read-only slot (slot 2) whose bytes are
 * gf_ro_byte(offset).  The seed comes in x0
 * (boot_dtb); guest_arg(n) gives the rest.
 */
#ifndef GUEST_FUZZ_H
#define GUEST_FUZZ_H

#define GF_RAM_GPA		0x40000000ULL
#define GF_RAM_SIZE		0x100000ULL
#define GF_SCRATCH_GPA		0x48000000ULL
#define GF_SCRATCH_SIZE		0x10000ULL
#define GF_RO_GPA		(GF_SCRATCH_GPA + GF_SCRATCH_SIZE + 0x10000ULL)
#define GF_RO_SIZE		0x10000ULL

/* guest_arg(n) */
#define GF_ARG_SYSREGS		0	/* MRS/MSR encodings to try */
#define GF_ARG_ACCESSES		1	/* loads and stores */
#define GF_ARG_INSNS		2	/* random instruction words */
#define GF_ARG_IPA_BITS		3	/* the VM's IPA size */
#define GF_ARG_PHASES		4	/* a mask of (1 << enum gf_phase) */
#define GF_ARG_VERBOSE		5	/* print each timer write, and each word before it runs */

enum gf_phase {
	GF_SYSREG, GF_ACCESS, GF_HCALL, GF_WFX, GF_TIMER, GF_VGIC, GF_INSN, GF_NR_PHASES
};

/*
 * The report: hvc #0 with x0 = GF_REPORT and x1..x6 the counters below,
 * answered by the test with x0 = 0.  Never a PSCI or SMCCC id the module
 * answers (an SMCCC "vendor hypervisor" fast call).
 */
#define GF_REPORT		0xc600f0f0ULL
#define GF_NR_COUNTS		6
enum gf_count {
	GF_N_INSNS,		/* instructions executed (by the fuzzed words and phases) */
	GF_N_ENCODINGS,		/* MRS/MSR encodings tried */
	GF_N_ACCESSES,		/* memory accesses made */
	GF_N_FAULTS,		/* exceptions the guest took and skipped */
	GF_N_HCALLS,		/* HVC and SMC calls */
	GF_N_WORDS,		/* random instruction words run */
};

/* Byte @off of the read-only slot. */
static inline unsigned char gf_ro_byte(unsigned long off)
{
	return (off * 7 + (off >> 8)) ^ 0xa5;
}

#ifdef GUEST_H
/* The guest's asm (guest_fuzz.c): its vectors, and a word run in the sandbox. */
extern const u32 gf_vectors[];
void run_word(u64 *regs, u64 spsr);
#endif

#endif
