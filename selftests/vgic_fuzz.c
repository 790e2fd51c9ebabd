// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest programs its GIC with garbage (guest/c/vgic_fuzz.c: random
 * offsets, values and access sizes in the distributor and both
 * redistributors, bogus SGI register values, random CPU-interface state,
 * routes to vCPUs that do not exist), checking every read against a model
 * of the configuration registers, while its other vCPU takes what comes and
 * a thread here drives random interrupt lines (valid or not) and reads
 * random distributor registers.  Afterwards the GIC must still work, and
 * the host stay healthy (hostrun fails the boot on any kernel splat).
 *
 * Seeded and bounded: A64_FUZZ_SEED and A64_FUZZ_ITERATIONS override the
 * defaults; the seed is logged to reproduce a failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define NR_IRQS		1024

struct lines {
	struct test_vm *vm;
	uint64_t rng;
	bool stop;
	unsigned long calls, refused, bad;
	pthread_t thread;
};

static uint64_t next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dULL;
}

/* Random lines, valid and not; each answer must be what the uapi says. */
static void *lines_fn(void *arg)
{
	struct lines *l = arg;

	while (!__atomic_load_n(&l->stop, __ATOMIC_RELAXED)) {
		uint64_t r = next(&l->rng);
		uint32_t type = r % 8 < 6 ? A64VCPU_IRQ_TYPE_SPI : r % 8 == 6 ?
				A64VCPU_IRQ_TYPE_PPI : 3;
		uint32_t irq = (r >> 8) % 1100, vcpu = (r >> 24) % 3, level = (r >> 32) & 1;
		bool valid = type == A64VCPU_IRQ_TYPE_SPI ? irq >= 32 && irq < 1020 :
			     type == A64VCPU_IRQ_TYPE_PPI && irq >= 16 && irq < 32 && vcpu < 2;
		uint32_t val;
		int ret;

		if (type == A64VCPU_IRQ_TYPE_SPI)
			vcpu = 0;
		ret = irq_line(l->vm, type, vcpu, irq, level);
		l->calls++;
		if (ret)
			l->refused++;
		if (ret != (valid ? 0 : -1) || (ret && errno != EINVAL))
			l->bad++;
		if (!(r >> 40 & 7) &&
		    vgic_attr(l->vm->gic, false, A64VCPU_VGIC_GRP_DIST_REGS,
			      (r >> 44) % 0x10000 & ~3ULL, &val))
			l->bad++;
		if (!(r >> 50 & 15))
			usleep(100);
	}
	return NULL;
}

/* At the guest's ucall(1): stop the lines, lower them all. */
static void fuzz_ucall(struct vcpu_thread *t, uint64_t val)
{
	struct lines *l = t->data;
	uint32_t i;

	if (val == 1) {
		__atomic_store_n(&l->stop, true, __ATOMIC_RELAXED);
		pthread_join(l->thread, NULL);
		for (i = 32; i < 1020; i++)
			irq_line(l->vm, A64VCPU_IRQ_TYPE_SPI, 0, i, 0);
		for (i = 16; i < 32; i++) {
			irq_line(l->vm, A64VCPU_IRQ_TYPE_PPI, 0, i, 0);
			irq_line(l->vm, A64VCPU_IRQ_TYPE_PPI, 1, i, 0);
		}
	} else if (val == 2) {
		irq_line(l->vm, A64VCPU_IRQ_TYPE_SPI, 0, 100, 1);
		irq_line(l->vm, A64VCPU_IRQ_TYPE_SPI, 0, 100, 0);
	}
}

static uint64_t env(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s ? strtoull(s, NULL, 0) : def;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, garbage_in_the_gic, 300)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_fuzz), 2, NR_IRQS, vcpus);
	uint64_t seed = env("A64_FUZZ_SEED", 1), iterations = env("A64_FUZZ_ITERATIONS", 20000);
	struct lines l = { .vm = vm, .rng = seed * 2 + 5 };
	struct vcpu_thread t[2] = {
		{ .vcpu = vcpus[0], .on_ucall = fuzz_ucall, .data = &l },
		{ .vcpu = vcpus[1] },
	};
	unsigned int i;

	TH_LOG("seed %llu, %llu iterations (A64_FUZZ_SEED, A64_FUZZ_ITERATIONS)",
	       (unsigned long long)seed, (unsigned long long)iterations);
	for (i = 0; i < 2; i++) {
		vcpus[i]->args[0] = seed;
		vcpus[i]->args[1] = iterations;
		vcpus[i]->args[2] = NR_IRQS;
	}
	ASSERT_EQ(0, pthread_create(&l.thread, NULL, lines_fn, &l));
	vcpu_thread_start(&t[0]);
	vcpu_thread_start(&t[1]);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t[1]));
	if (!l.stop) {		/* the guest never got that far */
		__atomic_store_n(&l.stop, true, __ATOMIC_RELAXED);
		pthread_join(l.thread, NULL);
	}
	TH_LOG("%lu lines driven, %lu refused", l.calls, l.refused);
	EXPECT_EQ(0, l.bad);
	EXPECT_EQ(2, t[0].nr_ucalls);
	EXPECT_LT(0, l.calls);
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
