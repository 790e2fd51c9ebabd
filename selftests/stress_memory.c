// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory pressure on slots mapped on demand: swap on zram and a memory
 * cgroup holding this process to 16 MiB (lib/memcg_swap.h), two VMs on
 * two threads, each with a 12 MiB on-demand slot, for --seconds.  Each
 * round, each guest (guest/c/vm_ondemand.c) fills its slot with the
 * round's pattern and reads it back, the host pushes a random part of it
 * out to swap (MADV_PAGEOUT) and checks it from its side, and the guest
 * reads the whole slot back again: every word is the round's, every time,
 * while the slots' pages go out to swap and come back under both the
 * guests and the host.  Pages did go out (pswpout) and the module was
 * told (MMU notifier invalidations).  No leak.  Prints the rounds, the
 * pages swapped out and in, and the invalidations.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "leaks.h"
#include "memcg_swap.h"
#include "stress.h"
#include "guest/c/vm_ondemand.h"

#define NR_VMS		2
#define SLOT_SIZE	(12UL << 20)
#define PAGE		4096UL

struct pressure {
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	uint64_t *mem;
	uint64_t rng;
	struct timespec end;
	unsigned long rounds, bad, paged_out;
	long invalidations;
};

static uint64_t guest_op(struct test_vcpu *vcpu, uint64_t op, uint64_t size, uint64_t seed)
{
	vcpu->args[0] = op;
	vcpu->args[1] = ONDEMAND_SLOT_GPA;
	vcpu->args[2] = size;
	vcpu->args[3] = seed;
	return vcpu_ucall(vcpu);
}

static void *pressure_main(void *arg)
{
	struct pressure *p = arg;
	uint64_t seed, i, first, pages;

	do {
		seed = ++p->rounds;
		guest_op(p->vcpu, OP_FILL, SLOT_SIZE, seed);
		p->bad += guest_op(p->vcpu, OP_CHECK, SLOT_SIZE, seed);
		pages = 1 + stress_rand(&p->rng) % (SLOT_SIZE / PAGE);
		first = stress_rand(&p->rng) % (SLOT_SIZE / PAGE - pages + 1);
		if (!madvise((char *)p->mem + first * PAGE, pages * PAGE, MADV_PAGEOUT))
			p->paged_out += pages;
		for (i = 0; i < SLOT_SIZE / 8; i++)
			p->bad += p->mem[i] != ondemand_pattern(seed, ONDEMAND_SLOT_GPA + 8 * i);
		p->bad += guest_op(p->vcpu, OP_CHECK, SLOT_SIZE, seed);
	} while (!p->bad && !stress_time_up(&p->end));
	p->invalidations = vm_stat(p->vm, "memory", "invalidations");
	return NULL;
}

FIXTURE(pressure) {
	struct memcg_swap ms;
};

FIXTURE_SETUP(pressure)
{
	const char *failed;

	self->ms.cgroup = "a64vcpu-stress";
	failed = memcg_swap_begin(&self->ms, "256M", "16M");
	ASSERT_EQ(NULL, failed) TH_LOG("%s: %s", failed, strerror(errno));
}

FIXTURE_TEARDOWN(pressure)
{
	memcg_swap_end(&self->ms);
}

TEST_F_TIMEOUT(pressure, ondemand_slots_under_swap, STRESS_TIMEOUT)
{
	long out = file_stat("/proc/vmstat", "pswpout"), in = file_stat("/proc/vmstat", "pswpin");
	struct timespec end = stress_deadline();
	struct pressure p[NR_VMS] = {};
	pthread_t thread[NR_VMS];
	unsigned long rounds = 0, paged_out = 0;
	long invalidations = 0;
	struct leaks base;
	int i;

	leaks_snapshot(&base);
	ASSERT_LE(0, out);
	for (i = 0; i < NR_VMS; i++) {
		p[i].vm = vm_create_with_program(GUEST_PROGRAM(vm_ondemand));
		p[i].vcpu = vcpu_add(p[i].vm, 0);
		p[i].mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, p[i].mem);
		ASSERT_EQ(0, vm_set_slot(p[i].vm, 1, 0, ONDEMAND_SLOT_GPA, SLOT_SIZE, p[i].mem, 0));
		p[i].rng = stress_opts.seed + i;
		p[i].end = end;
		ASSERT_EQ(0, pthread_create(&thread[i], NULL, pressure_main, &p[i]));
	}
	for (i = 0; i < NR_VMS; i++) {
		pthread_join(thread[i], NULL);
		EXPECT_EQ(0, p[i].bad) TH_LOG("VM %d: round %lu", i, p[i].rounds);
		EXPECT_LT(0, p[i].invalidations);
		rounds += p[i].rounds;
		paged_out += p[i].paged_out;
		invalidations += p[i].invalidations;
		p[i].vcpu->args[0] = OP_EXIT;
		EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(p[i].vcpu));
		vcpu_destroy(p[i].vcpu);
		vm_destroy(p[i].vm);
		munmap(p[i].mem, SLOT_SIZE);
	}
	out = file_stat("/proc/vmstat", "pswpout") - out;
	in = file_stat("/proc/vmstat", "pswpin") - in;
	/* The cgroup cannot hold both slots: some of them went out. */
	EXPECT_LE((long)((NR_VMS * SLOT_SIZE - (16UL << 20)) / PAGE), out);
	EXPECT_LT(0, in);
	EXPECT_TRUE(leaks_none(&base, "memory"));
	printf("# memory: %u s: %lu rounds over %d VMs of %lu MiB under 16 MiB, %lu pages paged out by the host, %ld swapped out, %ld in, %ld invalidations\n",
	       stress_opts.seconds, rounds, NR_VMS, SLOT_SIZE >> 20, paged_out, out, in,
	       invalidations);
	printf("# stress-result: memory rounds=%lu swapped_out=%ld\n", rounds, out);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	stress_parse(argc, argv, 20, 1);
	return test_harness_run(argc, argv);
}
