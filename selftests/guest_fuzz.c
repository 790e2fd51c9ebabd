// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_fuzz: a hostile guest (guest/c/guest_fuzz.c: random MRS/MSR
 * encodings, loads and stores across the whole physical space and the vGIC,
 * random HVC/SMC calls, WFI/WFE storms, random timer and vGIC programming,
 * random instruction words at EL1 and EL0), and a test that checks every
 * exit it gets:
 *  - a known reason, its fields in range, every padding and reserved byte
 *    of the run structure zero (the union's bytes past the exit's own
 *    structure too);
 *  - MMIO: 1, 2, 4 or 8 bytes, inside the VM's IPA size, outside every
 *    slot but a write to the read-only one; a read's data 0 (no stale
 *    value);
 *  - FAULT and UNHANDLED_ABORT: inside the IPA size (answered with an
 *    injected data abort, which the guest skips);
 *  - no INTERNAL_ERROR, no CPU_OFF, no SYSTEM_EVENT but the guest's
 *    final SYSTEM_OFF.
 * MMIO reads get random data, SYSREG exits a random value or "undefined",
 * HYPERCALL exits random results.  Host canary pages lie before, between
 * and after the slots' memory, and the read-only slot holds a pattern
 * (which the guest checks on every read): all must be unchanged at the end.
 * The guest reports its counters by HVC.  Kernel-side failures (KASAN,
 * lockdep, WARN) are judged on the console by scripts/hostrun.
 *
 *   guest_fuzz [--seed S] [--sysregs N] [--accesses N] [--insns N]
 *              [--phases MASK] [--ipa BITS] [--timeout SECONDS] [--verbose 1]
 *
 * --phases: a mask of enum gf_phase (guest/c/guest_fuzz.h); --timeout: the
 * whole run's limit (default 3600), after which the guest's PC is printed.
 *
 * A failure prints the seed and the command line that replays it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "vm.h"
#include "../selftests/guest/c/guest_fuzz.h"

#define PAGE		4096UL
#define NR_IRQS		256
#define CANARY		0x5a
#define NR_REASONS	(A64VCPU_EXIT_INTERNAL_ERROR + 1)

static unsigned long long seed, nr_sysregs = 2000, nr_accesses = 10000, nr_insns = 10000;
static unsigned long long phases = (1 << GF_NR_PHASES) - 1, timeout = 3600;
static unsigned int ipa_bits = 40;
static unsigned long long verbose;
static int kmsg = -1;
static unsigned long long nr_exits[NR_REASONS], nr_exits_total, nr_bad;
static uint64_t counts[GF_NR_COUNTS];
static bool reported;
static uint64_t rng;

/* The host memory: canary, RAM, canary, scratch, canary, read-only, canary. */
static unsigned char *arena;
static size_t arena_size;
static unsigned char *ram, *scratch, *ro;

static const struct {
	uint64_t gpa, size;
	bool readonly;
} slots[] = {
	{ GF_RAM_GPA, GF_RAM_SIZE, false },
	{ GF_SCRATCH_GPA, GF_SCRATCH_SIZE, false },
	{ GF_RO_GPA, GF_RO_SIZE, true },
};

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void replay_hint(void)
{
	printf("# guest_fuzz: replay with: guest_fuzz --seed %llu --sysregs %llu --accesses %llu --insns %llu --phases %#llx --ipa %u\n",
	       seed, nr_sysregs, nr_accesses, nr_insns, phases, ipa_bits);
	fflush(stdout);
}

static bool timed_out;

/* The run ends with EINTR (no SA_RESTART): the loop reports where the guest was. */
static void on_alarm(int sig)
{
	__atomic_store_n(&timed_out, true, __ATOMIC_RELAXED);
}

static void exit_wrong(struct a64vcpu_run *run, const char *why)
{
	nr_bad++;
	if (nr_bad > 20)
		return;
	ksft_print_msg("bad exit %s (%u): %s\n", a64vcpu_exit_name(run->exit_reason),
		       run->exit_reason, why);
	if (run->exit_reason == A64VCPU_EXIT_MMIO)
		ksft_print_msg("  phys_addr %#llx len %u is_write %u data %#llx\n",
			       (unsigned long long)run->mmio.phys_addr, run->mmio.len,
			       run->mmio.is_write, (unsigned long long)run->mmio.data);
}

/* Is [@addr, @addr + @len) in a slot?  In a read-only one, in *@ro. */
static bool in_slot(uint64_t addr, uint64_t len, bool *readonly)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (addr < slots[i].gpa + slots[i].size && addr + len > slots[i].gpa) {
			*readonly = slots[i].readonly;
			return true;
		}
	return false;
}

/* Every exit, checked against the uapi's promises. */
static void check_exit(struct a64vcpu_run *run)
{
	const unsigned char *u = (const unsigned char *)&run->mmio;
	uint64_t limit = 1ULL << ipa_bits;
	size_t used = 0;
	bool ro = false;

	if (run->pad1 || !all_zero(run->reserved, sizeof(run->reserved)))
		exit_wrong(run, "pad1 or reserved[] not zero");
	switch (run->exit_reason) {
	case A64VCPU_EXIT_MMIO:
		used = sizeof(run->mmio);
		if (run->mmio.len != 1 && run->mmio.len != 2 && run->mmio.len != 4 &&
		    run->mmio.len != 8)
			exit_wrong(run, "mmio.len");
		if (run->mmio.is_write > 1 || !all_zero(run->mmio.pad, sizeof(run->mmio.pad)))
			exit_wrong(run, "mmio.is_write or pad");
		if (run->mmio.phys_addr >= limit || run->mmio.phys_addr + run->mmio.len > limit)
			exit_wrong(run, "mmio.phys_addr beyond the IPA size");
		if (in_slot(run->mmio.phys_addr, run->mmio.len, &ro) &&
		    !(ro && run->mmio.is_write))
			exit_wrong(run, "mmio.phys_addr in a slot");
		if (!run->mmio.is_write && run->mmio.data)
			exit_wrong(run, "mmio.data of a read not zero");
		if (run->mmio.is_write && run->mmio.len < 8 &&
		    run->mmio.data >> (8 * run->mmio.len))
			exit_wrong(run, "mmio.data wider than mmio.len");
		break;
	case A64VCPU_EXIT_HYPERCALL:
		used = sizeof(run->hypercall);
		if (run->hypercall.conduit > A64VCPU_HCALL_SMC || run->hypercall.imm > 0xffff)
			exit_wrong(run, "hypercall.conduit or imm");
		break;
	case A64VCPU_EXIT_CPU_ON:
		used = sizeof(run->cpu_on);
		break;
	case A64VCPU_EXIT_SYSTEM_EVENT:
		used = sizeof(run->system_event);
		if (run->system_event.type > A64VCPU_SYSTEM_RESET || run->system_event.pad)
			exit_wrong(run, "system_event.type or pad");
		break;
	case A64VCPU_EXIT_SYSREG:
		used = sizeof(run->sysreg);
		if (run->sysreg.op0 > 3 || run->sysreg.op1 > 7 || run->sysreg.crn > 15 ||
		    run->sysreg.crm > 15 || run->sysreg.op2 > 7 || run->sysreg.is_write > 1 ||
		    run->sysreg.undefined || run->sysreg.pad)
			exit_wrong(run, "sysreg fields");
		if (!run->sysreg.is_write && run->sysreg.value)
			exit_wrong(run, "sysreg.value of a read not zero");
		break;
	case A64VCPU_EXIT_FAULT:
	case A64VCPU_EXIT_UNHANDLED_ABORT:
		used = sizeof(run->fault);
		if (run->fault.is_write > 1 || run->fault.is_exec > 1 ||
		    !all_zero(run->fault.pad, sizeof(run->fault.pad)))
			exit_wrong(run, "fault.is_write, is_exec or pad");
		if (run->fault.ipa >= limit)
			exit_wrong(run, "fault.ipa beyond the IPA size");
		break;
	case A64VCPU_EXIT_INTERNAL_ERROR:
		used = sizeof(run->internal);
		exit_wrong(run, "the guest made the module give up");
		ksft_print_msg("  esr %#llx pc %#llx code %u\n",
			       (unsigned long long)run->internal.esr,
			       (unsigned long long)run->internal.pc, run->internal.exit_code);
		break;
	case A64VCPU_EXIT_CPU_OFF:
	case A64VCPU_EXIT_HALT:
	case A64VCPU_EXIT_INTR:
		exit_wrong(run, "an exit this guest never asks for");
		break;
	default:
		exit_wrong(run, "unknown reason");
		return;
	}
	if (!all_zero(u + used, sizeof(run->padding) - used))
		exit_wrong(run, "bytes past the exit's structure not zero");
}

static void inject_dabt(int fd, uint64_t addr)
{
	struct a64vcpu_inject inj = { .type = A64VCPU_INJECT_DABT, .addr = addr };

	if (ioctl(fd, A64VCPU_INJECT, &inj))
		ksft_exit_fail_msg("A64VCPU_INJECT: %s\n", strerror(errno));
}

/* The guest's console and ucalls (failed assertions). */
static bool guest_io(struct test_vcpu *vcpu)
{
	struct a64vcpu_run *run = vcpu->run;
	uint64_t addr = run->mmio.phys_addr, off = addr - UCALL_ARG_GPA;

	if (addr >= UART_GPA && addr < UART_GPA + PAGE) {
		if (!run->mmio.is_write) {
			run->mmio.data = 0;
		} else if (addr == UART_GPA) {
			if (run->mmio.data != '\n' && vcpu->len < sizeof(vcpu->line) - 1) {
				vcpu->line[vcpu->len++] = run->mmio.data;
			} else {
				vcpu->line[vcpu->len] = 0;
				printf("# guest: %s\n", vcpu->line);
				/* on the console at once, even if the host then hangs */
				if (kmsg >= 0)
					dprintf(kmsg, "guest_fuzz: guest: %s\n", vcpu->line);
				vcpu->len = 0;
			}
		}
		return true;
	}
	if (!run->mmio.is_write && off < 8 * UCALL_NR_ARGS && !(off % 8)) {
		run->mmio.data = vcpu->args[off / 8];
		return true;
	}
	if (run->mmio.is_write && addr == UCALL_GPA && run->mmio.len == 8) {
		ksft_print_msg("the guest failed at line %llu\n",
			       (unsigned long long)(run->mmio.data & 0xffff));
		replay_hint();
		ksft_exit_fail();
	}
	return false;
}

/* Answers exits until the guest's SYSTEM_OFF; false on any other end. */
static bool run_guest(struct test_vcpu *vcpu)
{
	struct a64vcpu_run *run = vcpu->run;
	unsigned int i;

	for (;;) {
		if (vcpu_run(vcpu) && errno != EINTR)
			ksft_exit_fail_msg("A64VCPU_RUN: %s\n", strerror(errno));
		if (__atomic_load_n(&timed_out, __ATOMIC_RELAXED)) {
			ksft_print_msg("time-out after %llu s: the guest at PC %#llx, %llu exits\n",
				       timeout, (unsigned long long)vcpu_get(vcpu, A64VCPU_REG_PC),
				       nr_exits_total);
			return false;
		}
		nr_exits_total++;
		if (run->exit_reason < NR_REASONS)
			nr_exits[run->exit_reason]++;
		check_exit(run);
		switch (run->exit_reason) {
		case A64VCPU_EXIT_MMIO:
			if (guest_io(vcpu))
				break;
			if (!run->mmio.is_write)
				run->mmio.data = next();
			break;
		case A64VCPU_EXIT_SYSREG:
			if (next() % 4 == 0)
				run->sysreg.undefined = 1;
			else if (!run->sysreg.is_write)
				run->sysreg.value = next();
			break;
		case A64VCPU_EXIT_HYPERCALL:
			if (run->hypercall.function_id == GF_REPORT && !run->hypercall.imm &&
			    run->hypercall.conduit == A64VCPU_HCALL_HVC) {
				for (i = 0; i < GF_NR_COUNTS; i++)
					counts[i] = run->hypercall.args[i];
				reported = true;
				run->hypercall.ret[0] = 0;
				break;
			}
			for (i = 0; i < 4; i++)
				run->hypercall.ret[i] = next() % 3 ? next() : 0;
			break;
		case A64VCPU_EXIT_CPU_ON:
			break;		/* the guest got SUCCESS; no vCPU is started */
		case A64VCPU_EXIT_FAULT:
		case A64VCPU_EXIT_UNHANDLED_ABORT:
			inject_dabt(vcpu->fd, run->fault.ipa);
			break;
		case A64VCPU_EXIT_SYSTEM_EVENT:
			return run->system_event.type == A64VCPU_SYSTEM_OFF;
		default:
			return false;
		}
	}
}

static void setup_memory(void)
{
	size_t i;

	arena_size = GF_RAM_SIZE + GF_SCRATCH_SIZE + GF_RO_SIZE + 4 * PAGE;
	arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (arena == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	memset(arena, CANARY, arena_size);
	ram = arena + PAGE;
	scratch = ram + GF_RAM_SIZE + PAGE;
	ro = scratch + GF_SCRATCH_SIZE + PAGE;
	memset(ram, 0, GF_RAM_SIZE);
	memset(scratch, 0, GF_SCRATCH_SIZE);
	for (i = 0; i < GF_RO_SIZE; i++)
		ro[i] = gf_ro_byte(i);
}

/* The canary pages and the read-only slot as they were. */
static unsigned long check_memory(void)
{
	unsigned char *canary[] = { arena, ram + GF_RAM_SIZE, scratch + GF_SCRATCH_SIZE,
				    ro + GF_RO_SIZE };
	unsigned long wrong = 0;
	size_t i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < PAGE; j++)
			wrong += canary[i][j] != CANARY;
	for (i = 0; i < GF_RO_SIZE; i++)
		wrong += ro[i] != gf_ro_byte(i);
	return wrong;
}

static void print_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seed S] [--sysregs N] [--accesses N] [--insns N] [--phases MASK] [--ipa BITS] [--timeout S] [--verbose 1]\n",
		prog);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	unsigned long wrong;
	struct timespec t0, t1;
	bool off;
	int i;

	seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	for (i = 1; i < argc; i++) {
		unsigned long long *opt = NULL;

		if (i + 1 >= argc)
			print_usage(argv[0]);
		if (!strcmp(argv[i], "--seed"))
			opt = &seed;
		else if (!strcmp(argv[i], "--sysregs"))
			opt = &nr_sysregs;
		else if (!strcmp(argv[i], "--accesses"))
			opt = &nr_accesses;
		else if (!strcmp(argv[i], "--insns"))
			opt = &nr_insns;
		else if (!strcmp(argv[i], "--phases"))
			opt = &phases;
		else if (!strcmp(argv[i], "--timeout"))
			opt = &timeout;
		else if (!strcmp(argv[i], "--verbose"))
			opt = &verbose;
		else if (!strcmp(argv[i], "--ipa"))
			ipa_bits = strtoul(argv[++i], NULL, 0);
		else
			print_usage(argv[0]);
		if (opt)
			*opt = strtoull(argv[++i], NULL, 0);
	}
	printf("# guest_fuzz: seed %llu, %llu encodings, %llu accesses, %llu instruction words, phases %#llx, IPA %u bits\n",
	       seed, nr_sysregs, nr_accesses, nr_insns, phases, ipa_bits);
	fflush(stdout);
	ksft_print_header();
	ksft_set_plan(1);
	rng = seed * 2 + 7;
	sigaction(SIGALRM, &sa, NULL);

	setup_memory();
	vm = vm_create_ipa(PAGE, ipa_bits);
	/* Slot 0 again, on the arena, with the program. */
	if (vm_set_slot(vm, 0, 0, 0, 0, NULL, 0) ||
	    vm_set_slot(vm, 0, 0, GF_RAM_GPA, GF_RAM_SIZE, ram, 0) ||
	    vm_set_slot(vm, 1, 0, GF_SCRATCH_GPA, GF_SCRATCH_SIZE, scratch, 0) ||
	    vm_set_slot(vm, 2, A64VCPU_MEM_READONLY, GF_RO_GPA, GF_RO_SIZE, ro, 0))
		ksft_exit_fail_msg("A64VCPU_SET_MEMORY_SLOT: %s\n", strerror(errno));
	memcpy(ram, GUEST_PROGRAM(guest_fuzz).start,
	       (const char *)GUEST_PROGRAM(guest_fuzz).end -
	       (const char *)GUEST_PROGRAM(guest_fuzz).start);
	__builtin___clear_cache((char *)ram, (char *)ram + GF_RAM_SIZE);
	if (vgic_create(vm, NR_IRQS) < 0)
		ksft_exit_fail_msg("vGIC: %s\n", strerror(errno));
	vcpu = vcpu_add(vm, 0);
	vgic_init(vm->gic);
	vcpu_set(vcpu, A64VCPU_REG_SP_EL1, GF_RAM_GPA + GF_RAM_SIZE);
	vcpu_set(vcpu, A64VCPU_REG_X(0), seed);
	vcpu->args[GF_ARG_SYSREGS] = nr_sysregs;
	vcpu->args[GF_ARG_ACCESSES] = nr_accesses;
	vcpu->args[GF_ARG_INSNS] = nr_insns;
	vcpu->args[GF_ARG_IPA_BITS] = ipa_bits;
	vcpu->args[GF_ARG_PHASES] = phases;
	vcpu->args[GF_ARG_VERBOSE] = verbose;
	if (verbose)
		kmsg = open("/dev/kmsg", O_WRONLY);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(timeout);
	off = run_guest(vcpu);
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!off)
		ksft_print_msg("the guest stopped with %s, not its SYSTEM_OFF\n",
			       a64vcpu_exit_name(vcpu->run->exit_reason));

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	wrong = check_memory();

	printf("# guest_fuzz: seed %llu: %llu instructions, %llu encodings, %llu accesses, %llu exits\n",
	       seed, (unsigned long long)counts[GF_N_INSNS],
	       (unsigned long long)counts[GF_N_ENCODINGS],
	       (unsigned long long)counts[GF_N_ACCESSES], nr_exits_total);
	ksft_print_msg("%llu words, %llu calls, %llu faults skipped in %.1f s; exits:",
		       (unsigned long long)counts[GF_N_WORDS],
		       (unsigned long long)counts[GF_N_HCALLS],
		       (unsigned long long)counts[GF_N_FAULTS],
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; i < NR_REASONS; i++)
		if (nr_exits[i])
			printf(" %s %llu", a64vcpu_exit_name(i), nr_exits[i]);
	printf("\n");
	if (wrong)
		ksft_print_msg("%lu bytes of the canary pages or the read-only slot changed\n",
			       wrong);
	if (!reported)
		ksft_print_msg("the guest never reported\n");
	if (!off || !reported || wrong || nr_bad) {
		ksft_test_result_fail("guest_fuzz: seed %llu: %llu bad exits\n", seed, nr_bad);
		replay_hint();
		ksft_exit_fail();
	}
	ksft_test_result_pass("guest_fuzz: seed %llu: every exit well formed, memory outside the slots untouched\n",
			      seed);
	ksft_exit_pass();
}
