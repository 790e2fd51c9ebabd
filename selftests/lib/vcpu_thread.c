// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs on threads of their own (see vcpu_thread.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcpu_thread.h"

static void *vcpu_thread_fn(void *arg)
{
	struct vcpu_thread *t = arg;
	uint64_t val;

	__atomic_store_n(&t->tid, gettid(), __ATOMIC_RELEASE);
	for (;;) {
		t->exit_reason = vcpu_run_guest(t->vcpu);
		if (!vcpu_is_ucall(t->vcpu, &val))
			break;
		if (t->nr_ucalls < VCPU_THREAD_MAX_UCALLS)
			t->ucalls[t->nr_ucalls] = val;
		t->nr_ucalls++;
		if (t->on_ucall)
			t->on_ucall(t, val);
	}
	return NULL;
}

void vcpu_thread_start(struct vcpu_thread *t)
{
	int err;

	t->tid = 0;
	t->nr_ucalls = 0;
	t->exit_reason = A64VCPU_EXIT_NONE;
	err = pthread_create(&t->thread, NULL, vcpu_thread_fn, t);
	if (err) {
		fprintf(stderr, "# test set-up failed: pthread_create: %s\n", strerror(err));
		exit(1);
	}
}

uint32_t vcpu_thread_join(struct vcpu_thread *t)
{
	pthread_join(t->thread, NULL);
	return t->exit_reason;
}

pid_t vcpu_thread_tid(struct vcpu_thread *t)
{
	while (!__atomic_load_n(&t->tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	return t->tid;
}

char thread_stat(pid_t tid, long *ticks)
{
	char path[64], buf[512], *p, state = '?';
	unsigned long utime = 0, stime = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* ") S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime" */
	if (p && sscanf(p, ") %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			&state, &utime, &stime) == 3 && ticks)
		*ticks = utime + stime;
	return state;
}

void thread_wait_asleep(pid_t tid)
{
	while (thread_stat(tid, NULL) != 'S')
		usleep(1000);
}

bool thread_stays_asleep(pid_t tid)
{
	long t0 = 0, t1 = 0, wall = sysconf(_SC_CLK_TCK) / 2;

	thread_stat(tid, &t0);
	usleep(500000);
	if (thread_stat(tid, &t1) != 'S')
		return false;
	return t1 - t0 < wall / 2;
}
