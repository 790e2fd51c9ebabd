// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bench_eventfd a64vcpu|kvm`: what a doorbell store costs the guest
 * (guest/doorbell.S: 1000 stores timed with CNTVCT, 5 rounds after one to
 * warm up) on a64vcpu (A64VCPU_DOORBELL) or on KVM (KVM_IOEVENTFD), in
 * the benchmark guest's output format (make bench, scripts/bench):
 *   doorbell_store  nobody waits on the eventfd
 *   doorbell_wake   a thread sleeps in read() on it, on the vCPU's CPU and
 *                   SCHED_FIFO (else the scheduler lets it wait for a
 *                   while): each store wakes it, it preempts the vCPU's thread,
 *                   reads the count and sleeps again, and the guest goes
 *                   on (the round trip from the guest's store to the I/O
 *                   thread seeing it, and back; one CPU, so that it is the
 *                   same under -icount, whose CPUs take turns)
 * A benchmark, not a test: it checks only that the guest made no exit
 * but its reports, and exits 1 otherwise.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_vm.h"
#include "vcpu_thread.h"

#define DB_GPA		0x0b000000ULL
#define STORES		1000
#define ROUNDS		5

struct backend {
	int (*set_reg)(void *vm, unsigned int x, uint64_t val);
	/* Runs to the guest's report: its value, or -1 for any other exit. */
	int64_t (*report)(void *vm);
	void *vm;
};

static int a64_set_reg(void *vm, unsigned int x, uint64_t val)
{
	vcpu_set(vm, A64VCPU_REG_X(x), val);
	return 0;
}

static int64_t a64_report(void *vm)
{
	struct test_vcpu *vcpu = vm;
	uint64_t val;

	vcpu_run_guest(vcpu);
	return vcpu_is_ucall(vcpu, &val) ? (int64_t)val : -1;
}

static int kvm_set_reg(void *vm, unsigned int x, uint64_t val)
{
	return kvm_vm_set_reg(vm, KVM_REG_X(x), val);
}

static int64_t kvm_report(void *vm)
{
	struct kvm_vm *k = vm;
	uint64_t val;

	if (ioctl(k->vcpu, KVM_RUN, 0) || k->run->exit_reason != KVM_EXIT_MMIO ||
	    !k->run->mmio.is_write || k->run->mmio.phys_addr != UCALL_GPA)
		return -1;
	memcpy(&val, k->run->mmio.data, sizeof(val));
	return val;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ROUNDS timed runs of STORES 4-byte stores at DB_GPA, after a warm-up. */
static int measure(struct backend *b, const char *name)
{
	uint64_t ticks[ROUNDS];
	int i;

	for (i = -1; i < ROUNDS; i++) {
		int64_t t;

		if (b->set_reg(b->vm, 1, DB_GPA) || b->set_reg(b->vm, 2, 1) ||
		    b->set_reg(b->vm, 3, STORES) || b->set_reg(b->vm, 4, 4))
			return -1;
		t = b->report(b->vm);
		if (t < 0)
			return -1;
		if (i >= 0)
			ticks[i] = t;
	}
	qsort(ticks, ROUNDS, sizeof(ticks[0]), cmp);
	printf("bench name=%s iterations=%d best=%llu median=%llu\n", name, STORES,
	       (unsigned long long)ticks[0], (unsigned long long)ticks[ROUNDS / 2]);
	return 0;
}

struct reader {
	int fd;
	int done;
	pid_t tid;
};

static void *read_fn(void *arg)
{
	struct reader *r = arg;
	eventfd_t n;

	__atomic_store_n(&r->tid, gettid(), __ATOMIC_RELEASE);
	while (!eventfd_read(r->fd, &n) && !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
		;
	return NULL;
}

/* Both rows, on eventfd @fd that a doorbell at DB_GPA signals. */
static int both(struct backend *b, int fd)
{
	struct reader r = { .fd = fd };
	struct sched_param fifo = { .sched_priority = 1 };
	pthread_attr_t attr;
	pthread_t thread;
	cpu_set_t cpu0;
	int ret;

	if (measure(b, "doorbell_store"))
		return -1;
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) || pthread_attr_init(&attr) ||
	    pthread_attr_setaffinity_np(&attr, sizeof(cpu0), &cpu0) ||
	    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED) ||
	    pthread_attr_setschedpolicy(&attr, SCHED_FIFO) ||
	    pthread_attr_setschedparam(&attr, &fifo) ||
	    pthread_create(&thread, &attr, read_fn, &r))
		return -1;
	while (!__atomic_load_n(&r.tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	thread_wait_asleep(r.tid);
	ret = measure(b, "doorbell_wake");
	__atomic_store_n(&r.done, 1, __ATOMIC_RELEASE);
	eventfd_write(fd, 1);
	pthread_join(thread, NULL);
	return ret;
}

static int on_a64vcpu(int fd)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(doorbell));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct backend b = { a64_set_reg, a64_report, vcpu };
	int ret = a64vcpu_doorbell(vm->fd, DB_GPA, 4, fd, 0, 0) ?: both(&b, fd);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	return ret;
}

static int on_kvm(int fd)
{
	struct kvm_ioeventfd io = { .addr = DB_GPA, .len = 4, .fd = fd };
	struct kvm_vm k;
	struct backend b = { kvm_set_reg, kvm_report, &k };
	int ret = kvm_vm_open(&k, GUEST_PROGRAM(doorbell));

	ret = ret ?: ioctl(k.vm, KVM_IOEVENTFD, &io);
	ret = ret ?: both(&b, fd);
	kvm_vm_close(&k);
	return ret;
}

int main(int argc, char **argv)
{
	int fd = eventfd(0, EFD_CLOEXEC), ret;

	if (argc != 2 || fd < 0) {
		fprintf(stderr, "usage: bench_eventfd a64vcpu|kvm\n");
		return 2;
	}
	if (!strcmp(argv[1], "kvm"))
		ret = on_kvm(fd);
	else
		ret = on_a64vcpu(fd);
	if (ret)
		fprintf(stderr, "bench_eventfd: %s: failed (%s)\n", argv[1], strerror(errno));
	close(fd);
	return ret ? 1 : 0;
}
