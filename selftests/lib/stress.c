// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the stress tests share (see stress.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "el2.h"
#include "stress.h"
#include "vcpu_thread.h"

struct stress_opts stress_opts;

static void print_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seconds S] [--seed N] [--threads N]\n", prog);
	exit(2);
}

static void on_signal(int sig)
{
}

void stress_parse(int argc, char **argv, unsigned int seconds, unsigned int threads)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct timespec ts;
	int i;

	sigaction(SIGUSR1, &sa, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	stress_opts.seconds = seconds;
	stress_opts.threads = threads;
	stress_opts.seed = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	for (i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--seconds"))
			stress_opts.seconds = strtoul(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--seed"))
			stress_opts.seed = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--threads"))
			stress_opts.threads = strtoul(argv[++i], NULL, 0);
		else
			print_usage(argv[0]);
	}
	if (!stress_opts.threads || stress_opts.threads > 64)
		print_usage(argv[0]);
	/* First, whatever happens next: what replays this run. */
	printf("# %s: --seconds %u --seed %llu --threads %u\n", argv[0], stress_opts.seconds,
	       (unsigned long long)stress_opts.seed, stress_opts.threads);
	fflush(stdout);
}

uint64_t stress_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct timespec stress_deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += stress_opts.seconds;
	return ts;
}

bool stress_time_up(const struct timespec *deadline)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec > deadline->tv_sec ||
	       (ts.tv_sec == deadline->tv_sec && ts.tv_nsec >= deadline->tv_nsec);
}

bool stress_runner_wait_asleep(struct stress_runner *r)
{
	pid_t tid = stress_runner_tid(r);
	unsigned int i;

	for (i = 0; i < STRESS_POLLS; i++) {
		if (thread_stat(tid, NULL) == 'S')
			return true;
		if (__atomic_load_n(&r->reason, __ATOMIC_ACQUIRE))
			return false;
		usleep(1000);
	}
	return false;
}

const char *stress_runner_describe(struct stress_runner *r)
{
	static char buf[1024];
	char path[64], line[128];
	struct el2_status st;
	int len, cpu;
	FILE *f;

	len = snprintf(buf, sizeof(buf), "ucalls %lu, EBUSY %lu, ended %#x (%s), thread %c,",
		       r->ucalls, r->busy, r->reason, strerror(r->err),
		       r->tid ? thread_stat(r->tid, NULL) : '-');
	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", r->tid);
	f = r->tid ? fopen(path, "r") : NULL;
	while (f && fgets(line, sizeof(line), f) && len < (int)sizeof(buf) - 1) {
		line[strcspn(line, "\n")] = 0;
		len += snprintf(buf + len, sizeof(buf) - len, " <%s>", line);
	}
	if (f)
		fclose(f);
	for (cpu = 0; cpu < possible_cpus() && len < (int)sizeof(buf) - 1; cpu++)
		if (!el2_status(cpu, &st))
			len += snprintf(buf + len, sizeof(buf) - len, " CPU%d %s", cpu, st.owner);
	return buf;
}

static void die(const char *what)
{
	perror(what);
	fprintf(stderr, "# test set-up failed: %s\n", what);
	exit(1);
}

struct stress_vm *stress_vm_create(unsigned int nr_vcpus, uint64_t mode, uint64_t rounds,
				   uint64_t ticks)
{
	struct stress_vm *s = calloc(1, sizeof(*s));
	unsigned int i;

	if (!s || !nr_vcpus || nr_vcpus > STRESS_MAX_VCPUS)
		die("stress_vm_create");
	s->nr_vcpus = nr_vcpus;
	s->vm = vm_create_vgic(GUEST_PROGRAM(stress), nr_vcpus, 0, s->vcpu);
	for (i = 0; i < nr_vcpus; i++) {
		s->vcpu[i]->args[0] = mode;
		s->vcpu[i]->args[1] = rounds;
		s->vcpu[i]->args[2] = ticks;
	}
	s->slot = MAP_FAILED;
	if (stress_vm_change_slot(s, 0))
		die("A64VCPU_SET_MEMORY_SLOT");
	s->doorbell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->irqfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->doorbell < 0 || s->irqfd < 0)
		die("eventfd");
	if (a64vcpu_doorbell(s->vm->fd, STRESS_DOORBELL_GPA, 4, s->doorbell, 0, 0))
		die("A64VCPU_DOORBELL");
	if (a64vcpu_irqfd(s->vm->fd, s->irqfd, STRESS_SPI, 0, 0))
		die("A64VCPU_IRQFD");
	return s;
}

int stress_vm_change_slot(struct stress_vm *s, int gen)
{
	void *old = s->slot;
	int ret;

	if (gen < 0) {
		ret = vm_set_slot(s->vm, 1, 0, STRESS_SLOT_GPA, 0, NULL, 0);
		s->slot = MAP_FAILED;
	} else {
		s->slot = mmap(NULL, STRESS_SLOT_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s->slot == MAP_FAILED)
			return -1;
		memset(s->slot, gen, STRESS_SLOT_SIZE / 2);	/* half faulted in */
		ret = vm_set_slot(s->vm, 1, gen & 1 ? A64VCPU_MEM_PINNED : 0, STRESS_SLOT_GPA,
				  STRESS_SLOT_SIZE, s->slot, 0);
	}
	if (old != MAP_FAILED)
		munmap(old, STRESS_SLOT_SIZE);
	return ret;
}

uint32_t stress_vcpu_run(struct test_vcpu *vcpu, const bool *stop, unsigned long *ucalls,
			 uint64_t *last)
{
	struct a64vcpu_run *run = vcpu->run;
	uint64_t addr, data;

	for (;;) {
		if (vcpu_run(vcpu)) {
			if (errno != EINTR)
				return STRESS_RUN_FAILED;
			if (__atomic_load_n(stop, __ATOMIC_ACQUIRE))
				return STRESS_STOPPED;
			continue;
		}
		if (run->exit_reason == A64VCPU_EXIT_HALT)
			continue;
		if (run->exit_reason != A64VCPU_EXIT_MMIO)
			return run->exit_reason;
		addr = run->mmio.phys_addr;
		data = run->mmio.data;
		if (!run->mmio.is_write && addr >= UCALL_ARG_GPA &&
		    addr < UCALL_ARG_GPA + 8 * UCALL_NR_ARGS) {
			run->mmio.data = vcpu->args[(addr - UCALL_ARG_GPA) / 8];
		} else if (addr >= UART_GPA && addr < UART_GPA + 0x1000) {
			if (run->mmio.is_write && addr == UART_GPA)
				fputc((int)data, stderr);
			run->mmio.data = 0;	/* the PL011's flags: room to send */
		} else if (run->mmio.is_write && addr == UCALL_GPA) {
			if (data >> 48 == UCALL_FAIL_TAG) {
				fprintf(stderr, "# the guest failed an assertion at line %llu\n",
					(unsigned long long)(data & 0xffff));
				return STRESS_RUN_FAILED;
			}
			++*ucalls;
			*last = data;
		} else {
			return run->exit_reason;
		}
	}
}

static void *runner_main(void *arg)
{
	struct stress_runner *r = arg;
	uint32_t reason;

	__atomic_store_n(&r->tid, gettid(), __ATOMIC_RELEASE);
	for (;;) {
		reason = stress_vcpu_run(r->vcpu, &r->stop, &r->ucalls, &r->last);
		if (reason != STRESS_RUN_FAILED || errno != EBUSY || !r->retry_busy)
			break;
		__atomic_add_fetch(&r->busy, 1, __ATOMIC_RELEASE);
		usleep(1000);
	}
	r->err = errno;
	__atomic_store_n(&r->reason, reason, __ATOMIC_RELEASE);
	return NULL;
}

int stress_runner_start(struct stress_runner *r, struct test_vcpu *vcpu, bool retry_busy)
{
	memset(r, 0, sizeof(*r));
	r->vcpu = vcpu;
	r->retry_busy = retry_busy;
	return pthread_create(&r->thread, NULL, runner_main, r);
}

void stress_runner_stop(struct stress_runner *r)
{
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	__atomic_store_n(&r->vcpu->run->immediate_exit, 1, __ATOMIC_RELEASE);
	pthread_kill(r->thread, SIGUSR1);
}

uint32_t stress_runner_join(struct stress_runner *r)
{
	pthread_join(r->thread, NULL);
	return r->reason;
}

pid_t stress_runner_tid(struct stress_runner *r)
{
	pid_t tid;

	while (!(tid = __atomic_load_n(&r->tid, __ATOMIC_ACQUIRE)))
		usleep(1000);
	return tid;
}

bool stress_runner_wait_above(struct stress_runner *r, unsigned long *counter,
			      unsigned long val)
{
	unsigned int i;

	for (i = 0; i < STRESS_POLLS; i++) {
		if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) > val)
			return true;
		if (__atomic_load_n(&r->reason, __ATOMIC_ACQUIRE))
			return false;
		usleep(1000);
	}
	return false;
}

void stress_vm_destroy(struct stress_vm *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_vcpus; i++)
		vcpu_destroy(s->vcpu[i]);
	close(s->doorbell);
	close(s->irqfd);
	if (s->slot != MAP_FAILED)
		munmap(s->slot, STRESS_SLOT_SIZE);
	vm_destroy(s->vm);
	free(s);
}
