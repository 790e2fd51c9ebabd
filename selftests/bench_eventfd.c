// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bench_eventfd a64vcpu|kvm`: what a doorbell store and an interrupt
 * eventfd cost the guest on a64vcpu (A64VCPU_DOORBELL, A64VCPU_IRQFD) or on
 * KVM (KVM_IOEVENTFD, KVM_IRQFD), 5 timed rounds after one to warm up, in
 * the benchmark guest's output format (make bench, scripts/bench):
 *   doorbell_store    1000 stores (guest/doorbell.S), nobody waits on the
 *                     eventfd
 *   doorbell_wake     the same, a thread asleep in read() on it, on the
 *                     vCPU's CPU and SCHED_FIFO (else the scheduler lets it
 *                     wait for a while): each store wakes it, it preempts
 *                     the vCPU's thread, reads the count and sleeps again,
 *                     and the guest goes on (the round trip from the
 *                     guest's store to the I/O thread seeing it, and back;
 *                     one CPU, so that it is the same under -icount, whose
 *                     CPUs take turns)
 *   irqfd_round_trip  1000 times (guest/c/bench_irqfd.c, with a vGIC): the
 *                     guest's doorbell store wakes that thread, which
 *                     writes an interrupt eventfd bound to an SPI, and the
 *                     guest, spinning with interrupts unmasked, waits for
 *                     its handler to take the SPI: doorbell_wake plus the
 *                     interrupt's delivery.  Not in WFI: on the one CPU the
 *                     SPI is pending before the vCPU runs again, so a WFI
 *                     would never wait.
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
#define IRQFD_SPI	40	/* guest/c/bench_irqfd.c's SPI and ITERATIONS */
#define IRQFD_ROUND_TRIPS	1000
#define NR_IRQS		64

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

/*
 * ROUNDS timed runs of @iterations operations, after a warm-up: the guest
 * reports each run's ticks.  @stores: the doorbell guest's registers for
 * each run (4-byte stores at DB_GPA), or false for a guest that needs none.
 */
static int measure(struct backend *b, const char *name, int iterations, bool stores)
{
	uint64_t ticks[ROUNDS];
	int i;

	for (i = -1; i < ROUNDS; i++) {
		int64_t t;

		if (stores && (b->set_reg(b->vm, 1, DB_GPA) || b->set_reg(b->vm, 2, 1) ||
			       b->set_reg(b->vm, 3, STORES) || b->set_reg(b->vm, 4, 4)))
			return -1;
		t = b->report(b->vm);
		if (t < 0)
			return -1;
		if (i >= 0)
			ticks[i] = t;
	}
	qsort(ticks, ROUNDS, sizeof(ticks[0]), cmp);
	printf("bench name=%s iterations=%d best=%llu median=%llu\n", name, iterations,
	       (unsigned long long)ticks[0], (unsigned long long)ticks[ROUNDS / 2]);
	return 0;
}

struct reader {
	pthread_t thread;
	int fd;
	int irqfd;	/* written after each read, or -1 */
	int done;
	pid_t tid;
};

static void *read_fn(void *arg)
{
	struct reader *r = arg;
	eventfd_t n;

	__atomic_store_n(&r->tid, gettid(), __ATOMIC_RELEASE);
	while (!eventfd_read(r->fd, &n) && !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
		if (r->irqfd >= 0 && eventfd_write(r->irqfd, 1))
			break;
	return NULL;
}

/*
 * Starts @r's thread, SCHED_FIFO on CPU 0, where the caller (the vCPU's
 * thread) goes too, and waits until it sleeps in read().
 */
static int reader_start(struct reader *r)
{
	struct sched_param fifo = { .sched_priority = 1 };
	pthread_attr_t attr;
	cpu_set_t cpu0;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) || pthread_attr_init(&attr) ||
	    pthread_attr_setaffinity_np(&attr, sizeof(cpu0), &cpu0) ||
	    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED) ||
	    pthread_attr_setschedpolicy(&attr, SCHED_FIFO) ||
	    pthread_attr_setschedparam(&attr, &fifo) ||
	    pthread_create(&r->thread, &attr, read_fn, r))
		return -1;
	while (!__atomic_load_n(&r->tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	thread_wait_asleep(r->tid);
	return 0;
}

static void reader_stop(struct reader *r)
{
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	eventfd_write(r->fd, 1);
	pthread_join(r->thread, NULL);
}

/* The doorbell rows, on eventfd @fd that a doorbell at DB_GPA signals. */
static int doorbell_rows(struct backend *b, int fd)
{
	struct reader r = { .fd = fd, .irqfd = -1 };
	int ret;

	if (measure(b, "doorbell_store", STORES, true) || reader_start(&r))
		return -1;
	ret = measure(b, "doorbell_wake", STORES, true);
	reader_stop(&r);
	return ret;
}

/*
 * The irqfd row: the doorbell at DB_GPA signals @fd, the thread reading
 * it writes @irqfd, bound to IRQFD_SPI.
 */
static int irqfd_row(struct backend *b, int fd, int irqfd)
{
	struct reader r = { .fd = fd, .irqfd = irqfd };
	int ret;

	if (reader_start(&r))
		return -1;
	ret = measure(b, "irqfd_round_trip", IRQFD_ROUND_TRIPS, false);
	reader_stop(&r);
	return ret;
}

static int on_a64vcpu(int fd, int fd2, int irqfd)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(doorbell));
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct backend b = { a64_set_reg, a64_report, vcpu };
	int ret = a64vcpu_doorbell(vm->fd, DB_GPA, 4, fd, 0, 0) ?: doorbell_rows(&b, fd);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	if (ret)
		return ret;
	vm = vm_create_vgic(GUEST_PROGRAM(bench_irqfd), 1, NR_IRQS, &vcpu);
	b.vm = vcpu;
	ret = a64vcpu_doorbell(vm->fd, DB_GPA, 4, fd2, 0, 0) ?:
	      a64vcpu_irqfd(vm->fd, irqfd, IRQFD_SPI, 0, 0) ?: irqfd_row(&b, fd2, irqfd);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	return ret;
}

static int on_kvm(int fd, int fd2, int irqfd)
{
	struct kvm_ioeventfd io = { .addr = DB_GPA, .len = 4, .fd = fd };
	struct kvm_irqfd kirqfd = { .fd = irqfd, .gsi = IRQFD_SPI - 32 };
	struct kvm_vm k;
	struct backend b = { kvm_set_reg, kvm_report, &k };
	int ret = kvm_vm_open(&k, GUEST_PROGRAM(doorbell));

	ret = ret ?: ioctl(k.vm, KVM_IOEVENTFD, &io);
	ret = ret ?: doorbell_rows(&b, fd);
	kvm_vm_close(&k);
	if (ret)
		return ret;
	io.fd = fd2;
	ret = kvm_vm_open(&k, GUEST_PROGRAM(bench_irqfd)) ?: kvm_vm_vgic(&k, NR_IRQS);
	ret = ret ?: ioctl(k.vm, KVM_IOEVENTFD, &io);
	ret = ret ?: ioctl(k.vm, KVM_IRQFD, &kirqfd);
	ret = ret ?: irqfd_row(&b, fd2, irqfd);
	kvm_vm_close(&k);
	return ret;
}

int main(int argc, char **argv)
{
	/* The doorbell rows' eventfd; the irqfd row's doorbell and irqfd. */
	int fd = eventfd(0, EFD_CLOEXEC), fd2 = eventfd(0, EFD_CLOEXEC);
	int irqfd = eventfd(0, EFD_CLOEXEC), ret;

	if (argc != 2 || fd < 0 || fd2 < 0 || irqfd < 0) {
		fprintf(stderr, "usage: bench_eventfd a64vcpu|kvm\n");
		return 2;
	}
	if (!strcmp(argv[1], "kvm"))
		ret = on_kvm(fd, fd2, irqfd);
	else
		ret = on_a64vcpu(fd, fd2, irqfd);
	if (ret)
		fprintf(stderr, "bench_eventfd: %s: failed (%s)\n", argv[1], strerror(errno));
	close(fd);
	close(fd2);
	close(irqfd);
	return ret ? 1 : 0;
}
