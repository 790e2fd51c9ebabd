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

/**
 * struct stress_runner - a vCPU in stress_vcpu_run() on a thread of its own
 * @vcpu:	the vCPU
 * @retry_busy:	an EBUSY (EL2 held by another hypervisor) is counted in
 *		@busy and the run tried again, instead of ending it
 * @thread:	the thread
 * @tid:	its thread id, once it runs (0 before)
 * @stop:	set by stress_runner_stop()
 * @ucalls:	the guest's ucalls so far ...
 * @last:	... and the last one's value
 * @busy:	the EBUSY returns so far (@retry_busy)
 * @reason:	0 while it runs, then what stress_vcpu_run() returned
 * @err:	errno when it ended
 */
struct stress_runner {
	struct test_vcpu *vcpu;
	bool retry_busy;
	pthread_t thread;
	pid_t tid;
	bool stop;
	unsigned long ucalls;
	uint64_t last;
	unsigned long busy;
	uint32_t reason;
	int err;
};

/* 1 ms polls before stress_runner_wait_above() gives up: a vCPU is stuck. */
#define STRESS_POLLS		60000

/* Starts @vcpu on a new thread; returns pthread_create()'s result. */
int stress_runner_start(struct stress_runner *r, struct test_vcpu *vcpu, bool retry_busy);
/*
 * Ends the run (STRESS_STOPPED): sets @r->stop and the run structure's
 * immediate_exit, and signals the thread (SIGUSR1, which stress_parse()
 * set to interrupt system calls), so that no moment of the thread misses it.
 */
void stress_runner_stop(struct stress_runner *r);
/* Waits for the thread to end; returns @r->reason. */
uint32_t stress_runner_join(struct stress_runner *r);
/* The thread's id, once it runs. */
pid_t stress_runner_tid(struct stress_runner *r);
/*
 * Waits until *@counter (@r->ucalls, @r->busy) is above @val: true; false
 * if the run ended first or after STRESS_POLLS polls (a bounded wait for
 * progress, not a timed one).
 */
bool stress_runner_wait_above(struct stress_runner *r, unsigned long *counter,
			      unsigned long val);
/*
 * Waits until the thread sleeps (in WFI: /proc says 'S'); false if the
 * run ended first or after STRESS_POLLS polls.
 */
bool stress_runner_wait_asleep(struct stress_runner *r);
/*
 * What a runner is doing, for a failure's message: its ucalls, EBUSY
 * returns, how it ended, its thread's state and kernel stack, and who
 * holds EL2 on each CPU.  A static buffer.
 */
const char *stress_runner_describe(struct stress_runner *r);
/* Closes and frees everything. */
void stress_vm_destroy(struct stress_vm *s);

#endif
