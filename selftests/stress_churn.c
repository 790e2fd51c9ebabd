// SPDX-License-Identifier: GPL-2.0-only
/*
 * Churn: --threads workers create, run and destroy VMs for --seconds, each
 * VM with a vGIC, 1 to 3 vCPUs, a second slot, a doorbell and an interrupt
 * eventfd (lib/stress.h), in one of four lifecycles chosen from --seed:
 *   full     the guest runs its rounds (a ucall, a doorbell store, a WFI
 *            on its timer each) to the end, while the worker raises the SPI
 *            and replaces slot 1; every vCPU made exactly its rounds of
 *            ucalls, the doorbell counted every store, vCPU 0 switched the
 *            VM off and the others their vCPUs;
 *   stopped  the guest runs for ever; once every vCPU has made a ucall the
 *            worker stops them (signal + immediate_exit) and destroys it;
 *   orphaned as stopped, but the VM's own fds (VM, vGIC, eventfds, the
 *            device) are closed while its vCPUs run: they keep it alive;
 *   idle     created and destroyed without a run.
 * The run is cut in four phases; after each, with every worker idle, no
 * leak (lib/leaks.h).  Prints the lifecycles of each kind.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "leaks.h"
#include "stress.h"
#include "stress_fixture.h"

#define PHASES		4
#define MAX_ROUNDS	6

enum lifecycle { FULL, STOPPED, ORPHANED, IDLE, NR_KINDS };
static const char * const kind_name[NR_KINDS] = { "full", "stopped", "orphaned", "idle" };

struct worker {
	pthread_t thread;
	uint64_t rng;
	struct timespec end;
	unsigned long done[NR_KINDS], vcpus, ucalls, spis, slot_changes;
	char error[160];
};

/* Says what went wrong in w->error; returns false. */
static bool fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->error, sizeof(w->error), fmt, ap);
	va_end(ap);
	return false;
}

/* One lifecycle of kind @kind; false (and w->error) if it went wrong. */
static bool lifecycle(struct worker *w, enum lifecycle kind)
{
	unsigned int nr = 1 + stress_rand(&w->rng) % 3, i;
	uint64_t rounds = kind == FULL ? 1 + stress_rand(&w->rng) % MAX_ROUNDS : 0;
	uint64_t ticks = stress_rand(&w->rng) & 1 ? STRESS_WFI_TICKS : 0;
	struct stress_vm *s = stress_vm_create(nr, STRESS_WORK, rounds, ticks);
	struct stress_runner r[STRESS_MAX_VCPUS];
	uint64_t one = 1, stores = 0;

	if (kind == IDLE)
		goto destroy;
	for (i = 0; i < nr; i++)
		if (stress_runner_start(&r[i], s->vcpu[i], false))
			return fail(w, "pthread_create");
	/* While they run: SPIs, and slot 1 replaced (pinned or not) or removed. */
	for (i = 0; i < 4; i++) {
		if (write(s->irqfd, &one, sizeof(one)) == sizeof(one))
			w->spis++;
		if (stress_vm_change_slot(s, (int)(stress_rand(&w->rng) % 3) - 1) == 0)
			w->slot_changes++;
	}
	if (kind != FULL) {
		for (i = 0; i < nr; i++)
			if (!stress_runner_wait_above(&r[i], &r[i].ucalls, 0))
				break;
		if (kind == ORPHANED) {
			close(s->doorbell);
			close(s->irqfd);
			close(s->vm->gic);
			close(s->vm->fd);
			close(s->vm->sys_fd);
			s->doorbell = -1;
			s->irqfd = -1;
			s->vm->gic = -1;
			s->vm->fd = -1;
			s->vm->sys_fd = -1;
		}
		for (i = 0; i < nr; i++)
			stress_runner_stop(&r[i]);
	}
	for (i = 0; i < nr; i++) {
		stress_runner_join(&r[i]);
		w->ucalls += r[i].ucalls;
		if (kind != FULL) {
			if (r[i].reason != STRESS_STOPPED)
				return fail(w, "%s: vCPU %u ended with %s (%#x)",
					    kind_name[kind], i, exit_name(r[i].reason),
					    r[i].reason);
			continue;
		}
		if (r[i].reason != (i ? A64VCPU_EXIT_CPU_OFF : A64VCPU_EXIT_SYSTEM_EVENT))
			return fail(w, "full: vCPU %u ended with %s (%#x)", i,
				    exit_name(r[i].reason), r[i].reason);
		if (r[i].ucalls != rounds + !i)
			return fail(w, "full: vCPU %u made %lu ucalls of %llu", i, r[i].ucalls,
				    (unsigned long long)rounds + !i);
	}
	if (kind == FULL) {
		if (r[0].last >> 32 != STRESS_DONE >> 32 || (r[0].last & 0xffffffff) > 4)
			return fail(w, "full: vCPU 0's last ucall %#llx",
				    (unsigned long long)r[0].last);
		if (read(s->doorbell, &stores, sizeof(stores)) != sizeof(stores) ||
		    stores != rounds * nr)
			return fail(w, "full: the doorbell counted %llu stores of %llu",
				    (unsigned long long)stores, (unsigned long long)(rounds * nr));
	}
destroy:
	stress_vm_destroy(s);
	w->done[kind]++;
	w->vcpus += nr;
	return true;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		if (!lifecycle(w, stress_rand(&w->rng) % NR_KINDS) || stress_time_up(&w->end))
			break;
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, churn, STRESS_TIMEOUT)
{
	unsigned int nthreads = stress_opts.threads, phase, t, k;
	struct worker *w = calloc(nthreads, sizeof(*w));
	unsigned long total[NR_KINDS] = {}, vcpus = 0, ucalls = 0, spis = 0, slots = 0;
	struct timespec start = stress_deadline(), end;
	char name[32];
	int kmemleak;

	ASSERT_NE(NULL, w);
	for (t = 0; t < nthreads; t++)
		w[t].rng = stress_opts.seed + t * 0x632be59bd9b4e019ULL;
	for (phase = 0; phase < PHASES; phase++) {
		end = start;
		end.tv_sec -= stress_opts.seconds;
		end.tv_sec += stress_opts.seconds * (phase + 1) / PHASES;
		for (t = 0; t < nthreads; t++) {
			w[t].end = end;
			ASSERT_EQ(0, pthread_create(&w[t].thread, NULL, worker_main, &w[t]));
		}
		for (t = 0; t < nthreads; t++) {
			pthread_join(w[t].thread, NULL);
			EXPECT_STREQ("", w[t].error) TH_LOG("thread %u, seed %llu", t,
							    (unsigned long long)stress_opts.seed);
		}
		snprintf(name, sizeof(name), "phase %u", phase + 1);
		EXPECT_TRUE(leaks_none(&self->base, name));
		if (_metadata->passed == 0)
			break;
	}
	for (t = 0; t < nthreads; t++) {
		for (k = 0; k < NR_KINDS; k++)
			total[k] += w[t].done[k];
		vcpus += w[t].vcpus;
		ucalls += w[t].ucalls;
		spis += w[t].spis;
		slots += w[t].slot_changes;
	}
	kmemleak = leaks_kmemleak();
	EXPECT_GE(0, kmemleak);
	printf("# churn: %u s, %u threads: %lu VM lifecycles (full %lu, stopped %lu, orphaned %lu, idle %lu), %lu vCPUs, %lu ucalls, %lu SPIs raised, %lu slot changes, kmemleak %d\n",
	       stress_opts.seconds, nthreads, total[0] + total[1] + total[2] + total[3], total[0],
	       total[1], total[2], total[3], vcpus, ucalls, spis, slots, kmemleak);
	printf("# stress-result: churn lifecycles=%lu\n",
	       total[0] + total[1] + total[2] + total[3]);
	fflush(stdout);
	EXPECT_LT(0, total[FULL] + total[STOPPED] + total[ORPHANED] + total[IDLE]);
	free(w);
}

int main(int argc, char **argv)
{
	stress_parse(argc, argv, 20, 2);
	return test_harness_run(argc, argv);
}
