// SPDX-License-Identifier: GPL-2.0-only
/*
 * No state crosses from one guest, or from the host, into another guest
 * (Documentation/security.rst): a new vCPU finds in its GPRs, EL1 system
 * registers and FP/SIMD registers exactly the reset values A64VCPU_GET_REG
 * reports (0 where the uapi has no id for a register), whether it is the
 * first guest on its CPU or follows, on the same CPU, a guest that filled
 * every one of them with a pattern (guest/state_leak.S).  The test thread's
 * own TLS pointer in TPIDR_EL0 must not reach the guest either
 * (vcpu_fpsimd checks the VMM thread's FP/SIMD registers).
 */
#include <string.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "vm.h"

#define BATCH_REGS	27	/* x4-x30 */
#define NR_BATCHES	6	/* 0: GPRs as entered, 1: filled, 2-5: reports */
#define PATTERN_TAG	0xa5a5000000000000ULL

struct guest_view {
	uint64_t gpr[31];		/* at its first instruction */
	uint64_t sys[BATCH_REGS];	/* batch 2 */
	uint64_t fp[3][BATCH_REGS];	/* batches 3-5 */
};

/* The uapi ids of batch 2's registers, in the guest's order; 0: none. */
static const uint64_t sys_ids[] = {
	A64VCPU_REG_SYS(A64VCPU_SYS_SCTLR_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_TTBR0_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_TTBR1_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_TCR_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_MAIR_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_AMAIR_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_VBAR_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_CONTEXTIDR_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_CPACR_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_ESR_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_FAR_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_AFSR0_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_AFSR1_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_PAR_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_CNTKCTL_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_TPIDR_EL1),
	A64VCPU_REG_SYS(A64VCPU_SYS_TPIDR_EL0), A64VCPU_REG_SYS(A64VCPU_SYS_TPIDRRO_EL0),
	A64VCPU_REG_SYS(A64VCPU_SYS_CSSELR_EL1), A64VCPU_REG_SYS(A64VCPU_SYS_CNTV_CTL_EL0),
	A64VCPU_REG_SYS(A64VCPU_SYS_CNTV_CVAL_EL0), A64VCPU_REG_SP_EL0,
	A64VCPU_REG_ELR_EL1, A64VCPU_REG_SPSR_EL1,
	0,	/* MDSCR_EL1 */
};

static const char * const sys_names[] = {
	"SCTLR_EL1", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "MAIR_EL1", "AMAIR_EL1",
	"VBAR_EL1", "CONTEXTIDR_EL1", "CPACR_EL1", "ESR_EL1", "FAR_EL1", "AFSR0_EL1",
	"AFSR1_EL1", "PAR_EL1", "CNTKCTL_EL1", "TPIDR_EL1", "TPIDR_EL0", "TPIDRRO_EL0",
	"CSSELR_EL1", "CNTV_CTL_EL0", "CNTV_CVAL_EL0", "SP_EL0", "ELR_EL1", "SPSR_EL1",
	"MDSCR_EL1",
};

/* Runs to the guest's next report; its x0 is 0x1000 + @batch. */
static void next_report(struct __test_metadata *_metadata, struct test_vcpu *vcpu,
			unsigned int batch)
{
	ASSERT_EQ(A64VCPU_EXIT_HYPERCALL, vcpu_run_to_exit(vcpu));
	ASSERT_EQ(0x1000 + batch, vcpu->run->hypercall.function_id);
}

static void read_batch(struct test_vcpu *vcpu, uint64_t *out)
{
	unsigned int i;

	for (i = 0; i < BATCH_REGS; i++)
		out[i] = vcpu_get(vcpu, A64VCPU_REG_X(4 + i));
}

/*
 * Runs a new vCPU of @vm through the guest, filling its registers first if
 * @fill, and returns what it saw in @view.
 */
static void run_guest(struct __test_metadata *_metadata, struct test_vm *vm, bool fill,
		      struct guest_view *view)
{
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	unsigned int i;

	next_report(_metadata, vcpu, 0);
	for (i = 1; i < 31; i++)
		view->gpr[i] = vcpu_get(vcpu, A64VCPU_REG_X(i));
	vcpu->run->hypercall.ret[1] = fill;		/* the guest's x1 */
	if (fill)
		next_report(_metadata, vcpu, 1);
	next_report(_metadata, vcpu, 2);
	read_batch(vcpu, view->sys);
	for (i = 0; i < 3; i++) {
		next_report(_metadata, vcpu, 3 + i);
		read_batch(vcpu, view->fp[i]);
	}
	vcpu_destroy(vcpu);
}

/* A fresh vCPU's reset values, as GET_REG reports them, in batch 2's order. */
static void reset_values(struct test_vm *vm, uint64_t *sys)
{
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sys_ids); i++)
		sys[i] = sys_ids[i] ? vcpu_get(vcpu, sys_ids[i]) : 0;
	vcpu_destroy(vcpu);
}

/* The guest's x0 at entry is the DTB address; everything else is zero. */
static void expect_reset_view(struct __test_metadata *_metadata, const struct guest_view *v,
			      const uint64_t *reset)
{
	unsigned int i, j;

	for (i = 1; i < 31; i++) {
		EXPECT_EQ(0, v->gpr[i])
			TH_LOG("x%u = %#llx at the first instruction", i,
			       (unsigned long long)v->gpr[i]);
	}
	for (i = 0; i < ARRAY_SIZE(sys_ids); i++) {
		EXPECT_EQ(reset[i], v->sys[i])
			TH_LOG("%s = %#llx, reset value %#llx", sys_names[i],
			       (unsigned long long)v->sys[i], (unsigned long long)reset[i]);
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < (i < 2 ? 26 : 14); j++) {
			EXPECT_EQ(0, v->fp[i][j])
				TH_LOG("FP/SIMD report %u, value %u = %#llx", i, j,
				       (unsigned long long)v->fp[i][j]);
		}
	}
}

TEST(first_guest_sees_reset_values)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(state_leak));
	uint64_t reset[BATCH_REGS];
	struct guest_view view;

	ASSERT_EQ(0, pin_to_cpu(0));
	reset_values(vm, reset);
	run_guest(_metadata, vm, false, &view);
	expect_reset_view(_metadata, &view, reset);
	vm_destroy(vm);
}

/*
 * A guest fills its registers and leaves; the next guest on the same CPU,
 * in another VM or in the same one, finds its own reset values.
 */
TEST(no_state_from_the_previous_guest)
{
	struct test_vm *dirty = vm_create_with_program(GUEST_PROGRAM(state_leak));
	struct test_vm *clean = vm_create_with_program(GUEST_PROGRAM(state_leak));
	uint64_t reset[BATCH_REGS];
	struct guest_view filled, view;
	unsigned int i, patterned = 0;

	ASSERT_EQ(0, pin_to_cpu(0));
	reset_values(clean, reset);
	run_guest(_metadata, dirty, true, &filled);
	/* The filling took: or this test could not fail. */
	for (i = 0; i < ARRAY_SIZE(sys_ids); i++)
		patterned += filled.sys[i] != reset[i];
	EXPECT_LE(20, patterned);
	EXPECT_EQ(PATTERN_TAG | 0xa5a50000ULL | (0x40ULL << 32) | 0x40, filled.fp[0][0]);

	run_guest(_metadata, clean, false, &view);
	expect_reset_view(_metadata, &view, reset);
	run_guest(_metadata, dirty, false, &view);	/* a new vCPU of the same VM */
	expect_reset_view(_metadata, &view, reset);
	vm_destroy(dirty);
	vm_destroy(clean);
}

TEST_HARNESS_MAIN
