/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPUs on threads of their own, and what a test can learn about a thread
 * from /proc (is it asleep?) without timing it.
 */
#ifndef A64_SELFTEST_VCPU_THREAD_H
#define A64_SELFTEST_VCPU_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vm.h"

#define VCPU_THREAD_MAX_UCALLS	64

/**
 * struct vcpu_thread - a vCPU that runs on its own thread until it stops
 * @vcpu:	the vCPU
 * @on_ucall:	called on the thread for each ucall before the run goes on,
 *		or NULL
 * @data:	for @on_ucall
 * @thread:	the thread
 * @tid:	its thread id, once it runs (0 before)
 * @exit_reason: the exit that ended the run: neither HALT, console output
 *		nor a ucall (a guest's main() ends with SYSTEM_EVENT, a
 *		secondary_main() with CPU_OFF)
 * @nr_ucalls:	the ucalls the guest made ...
 * @ucalls:	... and their values, the first VCPU_THREAD_MAX_UCALLS
 */
struct vcpu_thread {
	struct test_vcpu *vcpu;
	void (*on_ucall)(struct vcpu_thread *t, uint64_t val);
	void *data;
	pthread_t thread;
	pid_t tid;
	uint32_t exit_reason;
	unsigned int nr_ucalls;
	uint64_t ucalls[VCPU_THREAD_MAX_UCALLS];
};

/* Starts @t->vcpu (and @t->on_ucall, @t->data if wanted) on a new thread. */
void vcpu_thread_start(struct vcpu_thread *t);
/* Waits for it to stop; returns its exit_reason. */
uint32_t vcpu_thread_join(struct vcpu_thread *t);
/* Waits until the vCPU thread is running (its tid is known). */
pid_t vcpu_thread_tid(struct vcpu_thread *t);

/*
 * Thread @tid's state letter from /proc ('R' running, 'S' asleep, ...), or
 * '?'; its CPU time (utime + stime, in clock ticks) in *@ticks if not NULL.
 */
char thread_stat(pid_t tid, long *ticks);
/* Waits (polling /proc) until thread @tid of this process is asleep. */
void thread_wait_asleep(pid_t tid);
/*
 * Watches thread @tid, asleep, for half a second: true if it used less than
 * half of that in CPU time (it really sleeps: no polling).
 */
bool thread_stays_asleep(pid_t tid);

#endif
