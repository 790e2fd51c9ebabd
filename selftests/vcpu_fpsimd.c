// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lazy FP/SIMD (Documentation/design.rst, "FP/SIMD"): the guest's V
 * registers, FPCR and FPSR survive exits answered in the kernel and exits
 * to userspace; A64VCPU_GET_REG and _SET_REG see and change them whether
 * or not the guest touched FP/SIMD in the last run; the VMM thread's own
 * registers come back from A64VCPU_RUN intact; two vCPU threads on one CPU
 * keep theirs; a guest that never touches FP/SIMD takes no FP trap, and
 * one that does takes one per run plus one after each time its registers
 * had to leave the CPU (debugfs fp_* counters).
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vm.h"

#define FPCR_GUEST	((3ULL << 22) | (1ULL << 25))	/* RMode RZ, DN */
#define FPSR_GUEST	((1ULL << 27) | 0x11)		/* QC, IXC, IOC */
#define FPCR_HOST	(1ULL << 22)			/* RMode RP */
#ifndef HWCAP2_SME
#define HWCAP2_SME	(1UL << 23)	/* <asm/hwcap.h> (6.1); older libc headers lack it */
#endif

struct fp_regs {
	uint64_t v[32][2];
	uint64_t fpcr;
};

/* A64VCPU_RUN with the thread's v0-v31 and FPCR set, read back after. */
static long run_with_host_fp(int fd, const struct fp_regs *in, struct fp_regs *out)
{
	register long x0 asm("x0") = fd;
	register long x1 asm("x1") = A64VCPU_RUN;
	register long x2 asm("x2") = 0;
	register long x8 asm("x8") = __NR_ioctl;

	asm volatile("	ldp	q0, q1, [%[in], #32 * 0]\n"
		"	ldp	q2, q3, [%[in], #32 * 1]\n"
		"	ldp	q4, q5, [%[in], #32 * 2]\n"
		"	ldp	q6, q7, [%[in], #32 * 3]\n"
		"	ldp	q8, q9, [%[in], #32 * 4]\n"
		"	ldp	q10, q11, [%[in], #32 * 5]\n"
		"	ldp	q12, q13, [%[in], #32 * 6]\n"
		"	ldp	q14, q15, [%[in], #32 * 7]\n"
		"	ldp	q16, q17, [%[in], #32 * 8]\n"
		"	ldp	q18, q19, [%[in], #32 * 9]\n"
		"	ldp	q20, q21, [%[in], #32 * 10]\n"
		"	ldp	q22, q23, [%[in], #32 * 11]\n"
		"	ldp	q24, q25, [%[in], #32 * 12]\n"
		"	ldp	q26, q27, [%[in], #32 * 13]\n"
		"	ldp	q28, q29, [%[in], #32 * 14]\n"
		"	ldp	q30, q31, [%[in], #32 * 15]\n"
		"	ldr	x9, [%[in], #512]\n"
		"	msr	fpcr, x9\n"
		"	svc	#0\n"
		"	stp	q0, q1, [%[out], #32 * 0]\n"
		"	stp	q2, q3, [%[out], #32 * 1]\n"
		"	stp	q4, q5, [%[out], #32 * 2]\n"
		"	stp	q6, q7, [%[out], #32 * 3]\n"
		"	stp	q8, q9, [%[out], #32 * 4]\n"
		"	stp	q10, q11, [%[out], #32 * 5]\n"
		"	stp	q12, q13, [%[out], #32 * 6]\n"
		"	stp	q14, q15, [%[out], #32 * 7]\n"
		"	stp	q16, q17, [%[out], #32 * 8]\n"
		"	stp	q18, q19, [%[out], #32 * 9]\n"
		"	stp	q20, q21, [%[out], #32 * 10]\n"
		"	stp	q22, q23, [%[out], #32 * 11]\n"
		"	stp	q24, q25, [%[out], #32 * 12]\n"
		"	stp	q26, q27, [%[out], #32 * 13]\n"
		"	stp	q28, q29, [%[out], #32 * 14]\n"
		"	stp	q30, q31, [%[out], #32 * 15]\n"
		"	mrs	x9, fpcr\n"
		"	str	x9, [%[out], #512]\n"
		"	msr	fpcr, xzr\n"
		: "+r" (x0)
		: "r" (x1), "r" (x2), "r" (x8), [in] "r" (in), [out] "r" (out)
		: "x9", "memory",
		  "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11",
		  "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21",
		  "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	return x0;
}

static void host_pattern(struct fp_regs *r, uint64_t seed)
{
	unsigned int n;

	for (n = 0; n < 32; n++) {
		r->v[n][0] = seed * 0x9e3779b97f4a7c15ULL + n;
		r->v[n][1] = ~r->v[n][0] ^ 0x5555;
	}
	r->fpcr = FPCR_HOST;
}

/* One run to the next ucall, checking the thread's FP registers; -1 if lost. */
static int64_t ucall_host_fp(struct test_vcpu *vcpu, uint64_t seed)
{
	struct fp_regs in, out;
	uint64_t val;

	host_pattern(&in, seed);
	memset(&out, 0, sizeof(out));
	if (run_with_host_fp(vcpu->fd, &in, &out) || !vcpu_is_ucall(vcpu, &val) ||
	    memcmp(&in, &out, sizeof(in)))
		return -1;
	return val;
}

static void guest_seed(struct test_vcpu *vcpu, uint64_t seed, uint64_t exits, bool fp_reads)
{
	vcpu_set(vcpu, A64VCPU_REG_X(20), seed);
	vcpu_set(vcpu, A64VCPU_REG_X(21), FPCR_GUEST);
	vcpu_set(vcpu, A64VCPU_REG_X(22), exits);
	vcpu_set(vcpu, A64VCPU_REG_X(23), fp_reads);
	vcpu_set(vcpu, A64VCPU_REG_X(24), FPSR_GUEST);
}

/* Registers that differ from the guest's pattern for @seed, by A64VCPU_GET_REG. */
static int get_mismatches(struct test_vcpu *vcpu, uint64_t seed)
{
	uint64_t v[2];
	int n, bad = 0;

	for (n = 0; n < 32; n++) {
		if (a64vcpu_get_reg128(vcpu->fd, A64VCPU_REG_V(n), v))
			return -1;
		bad += v[0] != seed + n;
		bad += v[1] != ~(seed + n);
	}
	bad += vcpu_get(vcpu, A64VCPU_REG_FPCR) != FPCR_GUEST;
	bad += vcpu_get(vcpu, A64VCPU_REG_FPSR) != FPSR_GUEST;
	return bad;
}

static int set_pattern(struct test_vcpu *vcpu, uint64_t seed)
{
	uint64_t v[2];
	int n;

	for (n = 0; n < 32; n++) {
		v[0] = seed + n;
		v[1] = ~(seed + n);
		if (a64vcpu_set_reg128(vcpu->fd, A64VCPU_REG_V(n), v))
			return -1;
	}
	vcpu_set(vcpu, A64VCPU_REG_X(20), seed);
	return 0;
}

/*
 * One pass of the guest's loop: fill (ucall 1), no FP (ucall 2), the
 * kernel-answered exits guest_seed() asked for, check (ucall 3).  Between ucalls 2 and 3 the test
 * gives the guest a new pattern by A64VCPU_SET_REG.  Returns the number of
 * registers found wrong anywhere, -1 if the VMM thread's were disturbed.
 */
static int pass(struct test_vcpu *vcpu, uint64_t seed, uint64_t host_seed)
{
	int64_t val;
	int bad;

	val = ucall_host_fp(vcpu, host_seed);
	if (val != (int64_t)seed)
		return -1;
	bad = get_mismatches(vcpu, seed);		/* touched in that run */
	if (ucall_host_fp(vcpu, host_seed + 1) != (int64_t)seed)
		return -1;
	bad += get_mismatches(vcpu, seed);		/* not touched */
	if (set_pattern(vcpu, seed + 0x1000))
		return -1;
	val = ucall_host_fp(vcpu, host_seed + 2);
	if (val < 0)
		return -1;
	vcpu_set(vcpu, A64VCPU_REG_X(20), seed + 0x2000);	/* the next fill's */
	return bad + val;
}

struct fp_counts {
	long traps, sched_out, reclaimed, untracked, forgotten;
};

static void fp_counts(struct test_vm *vm, struct fp_counts *c)
{
	c->traps = vcpu_stat(vm, 0, "fp_traps");
	c->sched_out = vcpu_stat(vm, 0, "fp_sched_out");
	c->reclaimed = vcpu_stat(vm, 0, "fp_reclaimed");
	c->untracked = vcpu_stat(vm, 0, "fp_untracked");
	c->forgotten = vcpu_stat(vm, 0, "fp_cpu_forgotten");
}

/* Puts the kernel forced during runs: each may cost the guest one more trap. */
static long forced_puts(const struct fp_counts *a, const struct fp_counts *b)
{
	return (b->sched_out - a->sched_out) + (b->reclaimed - a->reclaimed) +
	       (b->untracked - a->untracked);
}

TEST(no_fp_no_trap)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t i;

	for (i = 1; i <= 20; i++)
		ASSERT_EQ(i, ucall_host_fp(vcpu, i));
	STAT_CHECK(EXPECT_EQ(0, vcpu_stat(vm, 0, "fp_traps")));
	STAT_CHECK(EXPECT_EQ(0, vcpu_stat(vm, 0, "fp_sched_out")));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(registers_survive_exits)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(lazyfp));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct fp_counts a, b;
	uint64_t seed = 0x1234567800000000ULL;
	int i;

	for (i = 0; i < 6; i++) {
		/* Every other pass reads d0 before each of the 300 exits. */
		guest_seed(vcpu, seed, 300, i & 1);
		fp_counts(vm, &a);
		ASSERT_EQ(0, pass(vcpu, seed, i * 3)) TH_LOG("pass %d", i);
		fp_counts(vm, &b);
		seed += 0x2000;
		/*
		 * Runs 1 and 3 touch FP, the second does not: one trap each,
		 * however many exits the kernel answered in between.
		 */
		STAT_CHECK(EXPECT_LE(2, b.traps - a.traps) TH_LOG("pass %d", i));
		STAT_CHECK(EXPECT_GE(2 + forced_puts(&a, &b), b.traps - a.traps)
			   TH_LOG("pass %d", i));
	}
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* 32 bits each, the rest RES0 (refused) */
TEST(fpsr_fpcr_32_bits)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t val;

	ASSERT_EQ(0, a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_FPCR, FPCR_GUEST));
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_FPCR, 1ULL << 32));
	EXPECT_EQ(-EINVAL, a64vcpu_set_reg(vcpu->fd, A64VCPU_REG_FPSR, ~0ULL));
	val = ~0ULL;
	ASSERT_EQ(0, a64vcpu_get_reg(vcpu->fd, A64VCPU_REG_FPCR, &val));
	EXPECT_EQ(FPCR_GUEST, val);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

struct fp_thread {
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	uint64_t seed;
	int bad;		/* registers found wrong, -1: the thread's own */
	int passes;
};

static void *fp_thread_fn(void *arg)
{
	struct fp_thread *t = arg;
	int i, r;

	for (i = 0; i < t->passes && t->bad >= 0; i++) {
		r = pass(t->vcpu, t->seed, t->seed + i);
		t->bad = r < 0 ? -1 : t->bad + r;
		t->seed += 0x2000;
		sched_yield();		/* to the other vCPU thread, on this CPU */
	}
	return NULL;
}

/*
 * Two VMs' vCPU threads on one CPU (and this thread): each loses the CPU
 * with its guest's registers live, during exits answered in the kernel and
 * at its sched_yield(), and finds them, and its own, intact.
 */
TEST(two_vcpu_threads_one_cpu)
{
	bool sve_or_sme = getauxval(AT_HWCAP) & HWCAP_SVE || getauxval(AT_HWCAP2) & HWCAP2_SME;
	struct fp_counts c;
	struct fp_thread t[2];
	pthread_t th[2];
	cpu_set_t cpus;
	int i;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpus), &cpus));	/* inherited */
	for (i = 0; i < 2; i++) {
		t[i].vm = vm_create_with_program(GUEST_PROGRAM(lazyfp));
		t[i].vcpu = vcpu_add(t[i].vm, 0);
		t[i].seed = (i + 1ULL) << 40;
		t[i].bad = 0;
		t[i].passes = 15;
		guest_seed(t[i].vcpu, t[i].seed, 400, i);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, fp_thread_fn, &t[i]));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(th[i], NULL));
		EXPECT_EQ(0, t[i].bad) TH_LOG("vCPU thread %d", i);
		fp_counts(t[i].vm, &c);
		STAT_CHECK(EXPECT_LE(2 * t[i].passes, c.traps) TH_LOG("vCPU thread %d", i));
		STAT_CHECK(EXPECT_GE(2 * t[i].passes + c.sched_out + c.reclaimed + c.untracked,
				     c.traps) TH_LOG("vCPU thread %d", i));
		/* SVE or SME: the kernel forgets the CPU's before untracked use. */
		STAT_CHECK(EXPECT_TRUE(sve_or_sme ? !c.untracked || c.forgotten : !c.forgotten)
			   TH_LOG("vCPU thread %d", i));
		TH_LOG("vCPU thread %d: %ld traps, %ld put at a context switch, %ld reclaimed, %ld untracked, CPU forgotten %ld times",
		       i, c.traps, c.sched_out, c.reclaimed, c.untracked, c.forgotten);
		vcpu_destroy(t[i].vcpu);
		vm_destroy(t[i].vm);
	}
}

TEST_HARNESS_MAIN
