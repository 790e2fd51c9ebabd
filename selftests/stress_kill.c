// SPDX-License-Identifier: GPL-2.0-only
/*
 * kill -9: batches of forked children, each with a VM of two vCPUs
 * (lib/stress.h), killed by SIGKILL in a state chosen from --seed:
 *   run      both vCPUs running the guest's rounds (exits, doorbell
 *            stores, timer WFIs or not);
 *   ioctl    no vCPU running, the main thread replacing, pinning and
 *            removing slot 1 in a loop (mid-ioctl);
 *   wfi      both vCPUs asleep in WFI in the kernel (the thread seen
 *            asleep in /proc first);
 *   slots    vCPUs running while the main thread changes slot 1.
 * Half of them kill themselves (kill(getpid(), SIGKILL) after a random
 * number of their own steps), half are killed by the parent after a
 * random delay, always once the state is reached.  After each batch:
 * every child died of SIGKILL, and no leak (lib/leaks.h: the module's
 * page count back to its baseline, no pin, no locked page).  Prints the
 * kills of each state.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "leaks.h"
#include "stress.h"
#include "stress_fixture.h"
#include "vcpu_thread.h"

#define BATCH		4
#define NR_VCPUS	2

enum state { IN_RUN, MID_IOCTL, IN_WFI, SLOTS_WHILE_RUNNING, NR_STATES };
static const char * const state_name[NR_STATES] = { "run", "ioctl", "wfi", "slots" };

/* The child: reaches @state, says so on @ready, and dies by SIGKILL. */
static void child(enum state state, bool self, uint64_t rng, int ready)
{
	bool running = state != MID_IOCTL;
	uint64_t mode = state == IN_WFI ? STRESS_SLEEP : STRESS_WORK;
	struct stress_vm *s = stress_vm_create(NR_VCPUS, mode, 0,
					       stress_rand(&rng) & 1 ? STRESS_WFI_TICKS : 0);
	struct stress_runner r[NR_VCPUS];
	unsigned long steps = 0, kill_at = stress_rand(&rng) % 64;
	unsigned int i;

	for (i = 0; running && i < NR_VCPUS; i++)
		if (stress_runner_start(&r[i], s->vcpu[i], false))
			exit(1);
	for (i = 0; running && i < NR_VCPUS; i++) {
		if (!stress_runner_wait_above(&r[i], &r[i].ucalls, 0))
			exit(1);	/* the parent sees an exit, not a kill */
		if (state == IN_WFI)
			thread_wait_asleep(stress_runner_tid(&r[i]));
	}
	if (write(ready, "r", 1) != 1)
		exit(1);
	for (;;) {
		if (state == MID_IOCTL || state == SLOTS_WHILE_RUNNING)
			stress_vm_change_slot(s, (int)(stress_rand(&rng) % 3) - 1);
		else
			usleep(500);
		/* A run must not end before the kill: the parent sees an exit. */
		for (i = 0; running && i < NR_VCPUS; i++)
			if (__atomic_load_n(&r[i].reason, __ATOMIC_ACQUIRE))
				exit(1);
		if (self && steps++ == kill_at)
			kill(getpid(), SIGKILL);
	}
}

TEST_F_TIMEOUT(stress, kill, STRESS_TIMEOUT)
{
	unsigned long kills[NR_STATES][2] = {}, batches = 0, total = 0;
	struct timespec end = stress_deadline();
	uint64_t rng = stress_opts.seed;
	char phase[48];
	int kmemleak;

	do {
		pid_t pid[BATCH];
		enum state state[BATCH];
		bool by_self[BATCH];
		int i, status, fds[2];
		char c;

		for (i = 0; i < BATCH; i++) {
			uint64_t seed = stress_rand(&rng);

			state[i] = stress_rand(&rng) % NR_STATES;
			by_self[i] = stress_rand(&rng) & 1;
			ASSERT_EQ(0, pipe(fds));
			pid[i] = fork();
			ASSERT_LE(0, pid[i]);
			if (!pid[i]) {
				close(fds[0]);
				child(state[i], by_self[i], seed, fds[1]);	/* no return */
				_exit(1);
			}
			close(fds[1]);
			/* In its state (or dead: then the read sees the pipe's end). */
			EXPECT_EQ(1, read(fds[0], &c, 1))
				TH_LOG("child %d (%s) never got ready", pid[i],
				       state_name[state[i]]);
			close(fds[0]);
			if (!by_self[i]) {
				usleep(stress_rand(&rng) % 20000);
				kill(pid[i], SIGKILL);
			}
		}
		for (i = 0; i < BATCH; i++) {
			ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
			EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
				TH_LOG("child %d (%s, %s): status %#x", pid[i],
				       state_name[state[i]], by_self[i] ? "self" : "parent",
				       status);
			kills[state[i]][by_self[i]]++;
			total++;
		}
		batches++;
		snprintf(phase, sizeof(phase), "batch %lu", batches);
		EXPECT_TRUE(leaks_none(&self->base, phase));
	} while (_metadata->passed && !stress_time_up(&end));
	kmemleak = leaks_kmemleak();
	EXPECT_GE(0, kmemleak);
	printf("# kill: %u s: %lu kills in %lu batches: run %lu+%lu, ioctl %lu+%lu, wfi %lu+%lu, slots %lu+%lu (by itself + by the parent), kmemleak %d\n",
	       stress_opts.seconds, total, batches, kills[0][1], kills[0][0], kills[1][1],
	       kills[1][0], kills[2][1], kills[2][0], kills[3][1], kills[3][0], kmemleak);
	printf("# stress-result: kill kills=%lu\n", total);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	stress_parse(argc, argv, 20, 1);
	return test_harness_run(argc, argv);
}
