/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the stress tests (selftests/stress_*.c) share: their options
 * (--seconds S, --seed N, --threads N), a seeded random number generator,
 * and a VM running the stress guest (guest/c/stress.c) with everything a
 * VM can hold: a vGIC, vCPUs, a second memory slot, a doorbell and an
 * interrupt eventfd.
 */
#ifndef A64_SELFTEST_STRESS_H
#define A64_SELFTEST_STRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "vm.h"
#include "../guest/c/stress_guest.h"

#define STRESS_MAX_VCPUS	4
#define STRESS_SLOT_GPA		0x80000000ULL	/* slot 1 */
#define STRESS_SLOT_SIZE	0x200000ULL
/* The harness's limit for one stress test: --seconds is the real bound. */
#define STRESS_TIMEOUT		7200
/* Virtual timer ticks of the guest's WFI: 1 ms at QEMU virt's 62.5 MHz. */
#define STRESS_WFI_TICKS	62500

struct stress_opts {
	unsigned int seconds;		/* --seconds: how long each test runs */
	uint64_t seed;			/* --seed: the random choices */
	unsigned int threads;		/* --threads: workers, where a test has them */
};

extern struct stress_opts stress_opts;

/* The options (defaults @seconds, @threads; the seed from the clock), printed. */
void stress_parse(int argc, char **argv, unsigned int seconds, unsigned int threads);
/* A random 64-bit number from *@state (splitmix64). */
uint64_t stress_rand(uint64_t *state);
/* A deadline --seconds from now, and whether it has passed. */
struct timespec stress_deadline(void);
bool stress_time_up(const struct timespec *deadline);

struct stress_vm {
	struct test_vm *vm;
	struct test_vcpu *vcpu[STRESS_MAX_VCPUS];
	unsigned int nr_vcpus;
	void *slot;			/* slot 1's memory, STRESS_SLOT_SIZE */
	int doorbell;			/* eventfd of the doorbell at STRESS_DOORBELL_GPA */
	int irqfd;			/* eventfd that raises STRESS_SPI */
};

/*
 * A VM of @nr_vcpus vCPUs (1..STRESS_MAX_VCPUS) running the stress guest in
 * @mode (STRESS_WORK: @rounds rounds, WFIs of @ticks; STRESS_SLEEP), with
 * its vGIC initialised, slot 1, the doorbell and the interrupt eventfd.
 * Set-up failures end the test (exit(1)).
 */
struct stress_vm *stress_vm_create(unsigned int nr_vcpus, uint64_t mode, uint64_t rounds,
				   uint64_t ticks);
/* Replaces slot 1 with a fresh mapping (@gen selects one of two), or removes it (@gen < 0). */
int stress_vm_change_slot(struct stress_vm *s, int gen);
/*
 * Runs @vcpu until an exit the stress guest does not make on its way
 * (SYSTEM_EVENT, CPU_OFF, anything unexpected: returned), answering its
 * guest_arg() loads and console, counting its ucalls in *@ucalls (the last
 * in *@last).  STRESS_STOPPED: a run ended by a signal (EINTR) once *@stop
 * is set (stress_vcpu_stop()); STRESS_RUN_FAILED: A64VCPU_RUN failed
 * otherwise (errno says why), or the guest failed an assertion.
 */
#define STRESS_STOPPED		0x10000U
#define STRESS_RUN_FAILED	0x10001U
uint32_t stress_vcpu_run(struct test_vcpu *vcpu, const bool *stop, unsigned long *ucalls,
			 uint64_t *last);
/*
 * Ends stress_vcpu_run() of @vcpu on thread @thread: sets *@stop and the run
 * structure's immediate_exit, and signals the thread (SIGUSR1, which
 * stress_parse() set to interrupt system calls).
 */
void stress_vcpu_stop(struct test_vcpu *vcpu, pthread_t thread, bool *stop);
/* Closes and frees everything. */
void stress_vm_destroy(struct stress_vm *s);

#endif
