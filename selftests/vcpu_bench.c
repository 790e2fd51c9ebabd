// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_bench: costs of guest exits, timed by the guest itself with the
 * virtual counter (CNTVCT ticks per 1000 operations, best and median of 5).
 * Not a test: scripts/bench runs it and compares the figures with the raw
 * EL2 round trip measured in the same boot.  One line per benchmark:
 *   bench name=NAME iterations=1000 best=TICKS median=TICKS
 */
#include <stdio.h>
#include <stdlib.h>

#include "vm.h"

#define REPS	5

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Runs until the guest's ucall, answering every other exit as a VMM would. */
static uint64_t next_figure(struct test_vcpu *vcpu)
{
	for (;;) {
		uint32_t reason = vcpu_run_to_exit(vcpu);

		if (reason == A64VCPU_EXIT_MMIO && vcpu->run->mmio.phys_addr == UCALL_GPA)
			return vcpu->run->mmio.data;
		if (reason != A64VCPU_EXIT_MMIO && reason != A64VCPU_EXIT_HYPERCALL &&
		    reason != A64VCPU_EXIT_SYSREG) {
			fprintf(stderr, "vcpu_bench: unexpected exit %s\n", exit_name(reason));
			exit(1);
		}
	}
}

static void run_bench(const char *name, struct guest_code code)
{
	struct test_vm *vm = vm_create_with_program(code);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	uint64_t ticks[REPS];
	int i;

	next_figure(vcpu);	/* warm-up round */
	for (i = 0; i < REPS; i++)
		ticks[i] = next_figure(vcpu);
	qsort(ticks, REPS, sizeof(ticks[0]), cmp);
	printf("bench name=%s iterations=1000 best=%llu median=%llu\n", name,
	       (unsigned long long)ticks[0], (unsigned long long)ticks[REPS / 2]);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

int main(void)
{
	run_bench("hvc_el2", GUEST_PROGRAM(bench_hvc_el2));
	run_bench("hvc_user", GUEST_PROGRAM(bench_hvc_user));
	run_bench("mmio_write_user", GUEST_PROGRAM(bench_mmio_write));
	run_bench("mmio_read_user", GUEST_PROGRAM(bench_mmio_read));
	run_bench("sysreg_user", GUEST_PROGRAM(bench_sysreg));
	return 0;
}
