// SPDX-License-Identifier: GPL-2.0-only
/*
 * Doorbells (A64VCPU_DOORBELL): guest stores (guest/doorbell.S) that match
 * a doorbell complete without an exit and add exactly one to its eventfd
 * each: every width, with and without a data match, any length, a store
 * without syndrome; stores that do not match (another address, length or
 * value) are MMIO exits as before, and so is every store once the doorbell
 * is unregistered, also while the guest stores in a loop.  Conflicting
 * registrations are refused as KVM_IOEVENTFD refuses them, bad input with
 * EINVAL or EBADF.  Closing the eventfd leaves the doorbell registered:
 * stores go on being completed and counted (debugfs) until the VM goes.
 * Two vCPUs storing while a thread reads the eventfd: the reads add up to
 * the stores.  Logs the CNTVCT ticks a doorbell store costs the guest
 * (with -icount shift=0, one tick is 16 instructions) against an MMIO exit
 * to userspace.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "expect.h"
#include "vcpu_thread.h"

#define DB_GPA		0x0b000000ULL	/* outside RAM, the ucall page and the vGIC */
#define NOSYNDROME	9		/* guest/doorbell.S: an 8-byte store without ISV */
#define FOREVER		(~0ULL)

/* The next run: @n stores of @val at @addr, @width bytes each. */
static void stores(struct test_vcpu *vcpu, uint64_t addr, uint64_t val, uint64_t n,
		   unsigned int width)
{
	vcpu_set(vcpu, A64VCPU_REG_X(1), addr);
	vcpu_set(vcpu, A64VCPU_REG_X(2), val);
	vcpu_set(vcpu, A64VCPU_REG_X(3), n);
	vcpu_set(vcpu, A64VCPU_REG_X(4), width);
}

/* What eventfd @fd (non-blocking) counted since it was last read. */
static uint64_t taken(int fd)
{
	uint64_t n;

	return read(fd, &n, sizeof(n)) == sizeof(n) ? n : 0;
}

static int efd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0)
		exit(1);
	return fd;
}

static int doorbell(struct test_vm *vm, uint64_t addr, uint32_t len, int fd, uint32_t flags,
		    uint64_t datamatch)
{
	return a64vcpu_doorbell(vm->fd, addr, len, fd, flags, datamatch);
}

#define DM	A64VCPU_DOORBELL_DATAMATCH
#define DEASSIGN A64VCPU_DOORBELL_DEASSIGN

FIXTURE(db) {
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	int fd;
};

FIXTURE_SETUP(db)
{
	self->vm = vm_create_with_program(GUEST_PROGRAM(doorbell));
	self->vcpu = vcpu_add(self->vm, 0);
	self->fd = efd();
}

FIXTURE_TEARDOWN(db)
{
	vcpu_destroy(self->vcpu);
	vm_destroy(self->vm);
	close(self->fd);
}

/* Exactly one per store, no exit; the cost against an exit to userspace. */
TEST_F(db, exact_count)
{
	const uint64_t n = 1000;
	uint64_t ticks, i;

	ASSERT_LT(0, a64vcpu_check_extension(self->vm->sys_fd, A64VCPU_CAP_DOORBELL));
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, self->fd, 0, 0));
	stores(self->vcpu, DB_GPA, 0x1234, n, 4);
	ticks = vcpu_ucall(self->vcpu);
	EXPECT_EQ(n, taken(self->fd));
	STAT_CHECK(EXPECT_EQ(n, vm_stat(self->vm, "eventfds", "doorbell_stores")));
	STAT_CHECK(EXPECT_EQ(1, vm_stat(self->vm, "eventfds", "doorbells")));
	STAT_CHECK(EXPECT_EQ(1, vcpu_stat(self->vm, 0, "mmio")));	/* the ucall */
	TH_LOG("doorbell store: %llu CNTVCT ticks per 1000", (unsigned long long)ticks);

	/* The same stores one address further: an exit each. */
	stores(self->vcpu, DB_GPA + 4, 0x1234, n, 4);
	for (i = 0; i < n; i++)
		expect_mmio_write(_metadata, self->vcpu, DB_GPA + 4, 4, 0x1234);
	ticks = vcpu_ucall(self->vcpu);
	EXPECT_EQ(0, taken(self->fd));
	TH_LOG("MMIO exit to userspace: %llu CNTVCT ticks per 1000", (unsigned long long)ticks);
}

/* 1, 2, 4, 8 bytes, and a store without syndrome; another width exits. */
TEST_F(db, widths)
{
	static const unsigned int widths[] = { 1, 2, 4, 8 };
	const uint64_t val = 0x8877665544332211ULL;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		unsigned int w = widths[i], other = w == 8 ? 4 : 8;
		uint64_t addr = DB_GPA + 0x100 * i;
		uint64_t data = w == 8 ? val : val & ((1ULL << (8 * w)) - 1);

		/* The value as stored: the low @w bytes of the register. */
		ASSERT_EQ(0, doorbell(self->vm, addr, w, self->fd, DM, data));
		stores(self->vcpu, addr, val, 3, w);
		vcpu_ucall(self->vcpu);
		EXPECT_EQ(3, taken(self->fd));
		stores(self->vcpu, addr, val, 1, other);
		expect_mmio_write(_metadata, self->vcpu, addr, other,
				  other == 8 ? val : val & 0xffffffff);
		vcpu_ucall(self->vcpu);
		EXPECT_EQ(0, taken(self->fd));
	}
	/* x1 stays DB_GPA + 0x300: the writeback adds 0. */
	stores(self->vcpu, DB_GPA + 0x300, val, 5, NOSYNDROME);
	vcpu_ucall(self->vcpu);
	EXPECT_EQ(5, taken(self->fd));
	EXPECT_EQ(DB_GPA + 0x300, vcpu_get(self->vcpu, A64VCPU_REG_X(1)));
}

/* Two values, two eventfds; a third value exits; the value is truncated to the length. */
TEST_F(db, datamatch)
{
	int fd2 = efd();

	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, self->fd, DM, 1));
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, fd2, DM, 2));
	stores(self->vcpu, DB_GPA, 1, 3, 4);
	vcpu_ucall(self->vcpu);
	stores(self->vcpu, DB_GPA, 2, 5, 4);
	vcpu_ucall(self->vcpu);
	EXPECT_EQ(3, taken(self->fd));
	EXPECT_EQ(5, taken(fd2));
	stores(self->vcpu, DB_GPA, 3, 1, 4);
	expect_mmio_write(_metadata, self->vcpu, DB_GPA, 4, 3);
	vcpu_ucall(self->vcpu);
	/* A 2-byte store of 0x1234beef stores 0xbeef. */
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA + 8, 2, self->fd, DM, 0xbeef));
	stores(self->vcpu, DB_GPA + 8, 0x1234beef, 2, 2);
	vcpu_ucall(self->vcpu);
	EXPECT_EQ(2, taken(self->fd));
	EXPECT_EQ(0, taken(fd2));
	close(fd2);
}

/* Length 0: a store of any width at the address. */
TEST_F(db, any_length)
{
	static const unsigned int widths[] = { 1, 2, 4, 8, NOSYNDROME };
	unsigned int i;

	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 0, self->fd, 0, 0));
	for (i = 0; i < 5; i++) {
		stores(self->vcpu, DB_GPA, i, 2, widths[i]);
		vcpu_ucall(self->vcpu);
	}
	EXPECT_EQ(10, taken(self->fd));
	stores(self->vcpu, DB_GPA + 1, 7, 1, 1);
	expect_mmio_write(_metadata, self->vcpu, DB_GPA + 1, 1, 7);
	vcpu_ucall(self->vcpu);
}

/* KVM_IOEVENTFD's conflicts, and what DEASSIGN must name. */
TEST_F(db, conflicts)
{
	int fd2 = efd();

	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, self->fd, 0, 0));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA, 4, self->fd, 0, 0));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA, 4, fd2, 0, 0));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA, 4, fd2, DM, 5));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA, 0, fd2, 0, 0));
	EXPECT_EQ(0, doorbell(self->vm, DB_GPA, 8, fd2, 0, 0));
	EXPECT_EQ(0, doorbell(self->vm, DB_GPA + 4, 4, fd2, 0, 0));

	ASSERT_EQ(0, doorbell(self->vm, DB_GPA + 0x100, 4, self->fd, DM, 1));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA + 0x100, 4, fd2, DM, 1));
	EXPECT_EQ(0, doorbell(self->vm, DB_GPA + 0x100, 4, fd2, DM, 2));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA + 0x100, 4, fd2, 0, 0));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA + 0x100, 0, fd2, 0, 0));
	EXPECT_EQ(0, doorbell(self->vm, DB_GPA + 0x200, 0, fd2, 0, 0));
	EXPECT_EQ(-EEXIST, doorbell(self->vm, DB_GPA + 0x200, 2, self->fd, 0, 0));
	STAT_CHECK(EXPECT_EQ(6, vm_stat(self->vm, "eventfds", "doorbells")));

	/* DEASSIGN names address, length, value and eventfd exactly. */
	EXPECT_EQ(-ENOENT, doorbell(self->vm, DB_GPA + 0x100, 4, self->fd, DM | DEASSIGN, 2));
	EXPECT_EQ(-ENOENT, doorbell(self->vm, DB_GPA + 0x100, 4, self->fd, DEASSIGN, 0));
	EXPECT_EQ(-ENOENT, doorbell(self->vm, DB_GPA, 4, fd2, DEASSIGN, 0));
	EXPECT_EQ(-ENOENT, doorbell(self->vm, DB_GPA, 8, fd2, DM | DEASSIGN, 0));
	EXPECT_EQ(0, doorbell(self->vm, DB_GPA + 0x100, 4, self->fd, DM | DEASSIGN, 1));
	EXPECT_EQ(0, doorbell(self->vm, DB_GPA + 0x100, 4, fd2, DM, 1));
	STAT_CHECK(EXPECT_EQ(6, vm_stat(self->vm, "eventfds", "doorbells")));
	close(fd2);
}

/* Unregistered: the store exits again; registered again: it does not. */
TEST_F(db, unregister)
{
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 8, self->fd, 0, 0));
	stores(self->vcpu, DB_GPA, 42, 2, 8);
	vcpu_ucall(self->vcpu);
	EXPECT_EQ(2, taken(self->fd));
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 8, self->fd, DEASSIGN, 0));
	EXPECT_EQ(-ENOENT, doorbell(self->vm, DB_GPA, 8, self->fd, DEASSIGN, 0));
	STAT_CHECK(EXPECT_EQ(0, vm_stat(self->vm, "eventfds", "doorbells")));
	stores(self->vcpu, DB_GPA, 42, 1, 8);
	expect_mmio_write(_metadata, self->vcpu, DB_GPA, 8, 42);
	vcpu_ucall(self->vcpu);
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 8, self->fd, 0, 0));
	stores(self->vcpu, DB_GPA, 42, 1, 8);
	vcpu_ucall(self->vcpu);
	EXPECT_EQ(1, taken(self->fd));
	EXPECT_EQ(0, taken(self->fd));
}

static int raw(struct test_vm *vm, struct a64vcpu_doorbell req)
{
	return ioctl(vm->fd, A64VCPU_DOORBELL, &req) ? -errno : 0;
}

TEST_F(db, bad_input)
{
	struct a64vcpu_doorbell ok = { .addr = DB_GPA, .len = 4, .fd = self->fd }, req;
	uint64_t ipa_end = 1ULL << 40;	/* the default IPA size */
	unsigned int i;

	req = ok;
	req.flags = 1 << 2;
	EXPECT_EQ(-EINVAL, raw(self->vm, req));
	req = ok;
	req.pad = 1;
	EXPECT_EQ(-EINVAL, raw(self->vm, req));
	req = ok;
	req.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, raw(self->vm, req));
	req = ok;
	req.datamatch = 1;	/* without DATAMATCH */
	EXPECT_EQ(-EINVAL, raw(self->vm, req));
	EXPECT_EQ(-EBADF, doorbell(self->vm, DB_GPA, 4, -1, 0, 0));
	EXPECT_EQ(-EBADF, doorbell(self->vm, DB_GPA, 4, 1000, 0, 0));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, DB_GPA, 4, self->vm->fd, 0, 0));	/* not an eventfd */
	EXPECT_EQ(-EINVAL, doorbell(self->vm, DB_GPA, 3, self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, DB_GPA, 16, self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, ipa_end - 2, 4, self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, ipa_end, 0, self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, ~0ULL, 8, self->fd, 0, 0));
	EXPECT_EQ(0, doorbell(self->vm, ipa_end - 4, 4, self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, DB_GPA, 1, self->fd, DM, 0x100));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, DB_GPA, 4, self->fd, DM, 1ULL << 32));
	EXPECT_EQ(-EINVAL, doorbell(self->vm, DB_GPA, 0, self->fd, DM, 0));
	STAT_CHECK(EXPECT_EQ(1, vm_stat(self->vm, "eventfds", "doorbells")));

	/* A64VCPU_CAP_DOORBELL doorbells, not one more. */
	for (i = 1; i < a64vcpu_check_extension(self->vm->sys_fd, A64VCPU_CAP_DOORBELL); i++)
		ASSERT_EQ(0, doorbell(self->vm, DB_GPA + 8 * i, 8, self->fd, 0, 0));
	EXPECT_EQ(-ENOSPC, doorbell(self->vm, DB_GPA, 8, self->fd, 0, 0));
}

/* A vCPU storing for ever on a thread, until stop_storing(). */
struct storer {
	struct test_vcpu *vcpu;
	pthread_t thread;
	int stop;
	uint32_t exit_reason;	/* an exit other than HALT: a store not taken */
	int err;
};

static void on_signal(int sig)
{
}

static void *store_fn(void *arg)
{
	struct storer *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		if (vcpu_run(s->vcpu)) {
			if (errno != EINTR)
				s->err = errno;
			if (errno != EINTR)
				break;
			continue;
		}
		if (s->vcpu->run->exit_reason != A64VCPU_EXIT_HALT) {
			s->exit_reason = s->vcpu->run->exit_reason;
			break;
		}
	}
	return NULL;
}

static void start_storing(struct storer *s, struct test_vcpu *vcpu, uint64_t addr)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: the run returns EINTR */
	*s = (struct storer){ .vcpu = vcpu };
	stores(vcpu, addr, 1, FOREVER, 4);
	if (pthread_create(&s->thread, NULL, store_fn, s))
		exit(1);
}

static bool storing(struct storer *s)
{
	return !__atomic_load_n(&s->exit_reason, __ATOMIC_ACQUIRE) && !s->err;
}

static void stop_storing(struct storer *s)
{
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&s->vcpu->run->immediate_exit, 1, __ATOMIC_RELEASE);
	pthread_kill(s->thread, SIGUSR1);
	pthread_join(s->thread, NULL);
	s->vcpu->run->immediate_exit = 0;
}

/* Until the VM's doorbells have completed @n stores, or the storer stopped. */
static long wait_stores(struct test_vm *vm, struct storer *s, long n)
{
	long seen;

	while ((seen = vm_stat(vm, "eventfds", "doorbell_stores")) < n && storing(s))
		usleep(1000);
	return seen;
}

/*
 * The eventfd closed while the guest stores: the doorbell keeps its own
 * reference, stores go on completing in the kernel, counted, and no store
 * exits; the VM's teardown drops the eventfd.
 */
TEST_F(db, close_while_storing)
{
	SKIP_UNLESS_DEBUGFS(return, "the doorbell store counter it waits on");
	struct storer s;
	long at_close;

	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, self->fd, 0, 0));
	start_storing(&s, self->vcpu, DB_GPA);
	ASSERT_LE(100, wait_stores(self->vm, &s, 100));
	close(self->fd);
	self->fd = -1;
	at_close = vm_stat(self->vm, "eventfds", "doorbell_stores");
	EXPECT_LE(at_close + 100, wait_stores(self->vm, &s, at_close + 100));
	stop_storing(&s);
	EXPECT_EQ(0, s.err);
	EXPECT_EQ(A64VCPU_EXIT_NONE, s.exit_reason);
	STAT_CHECK(EXPECT_EQ(1, vm_stat(self->vm, "eventfds", "doorbells")));
}

/* Unregistered while the guest stores: the next store exits. */
TEST_F(db, unregister_while_storing)
{
	SKIP_UNLESS_DEBUGFS(return, "the doorbell store counter it waits on");
	struct storer s;

	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, self->fd, 0, 0));
	start_storing(&s, self->vcpu, DB_GPA);
	ASSERT_LE(100, wait_stores(self->vm, &s, 100));
	ASSERT_EQ(0, doorbell(self->vm, DB_GPA, 4, self->fd, DEASSIGN, 0));
	pthread_join(s.thread, NULL);
	EXPECT_EQ(0, s.err);
	ASSERT_EQ(A64VCPU_EXIT_MMIO, s.exit_reason);
	EXPECT_EQ(DB_GPA, self->vcpu->run->mmio.phys_addr);
	STAT_CHECK(EXPECT_EQ(taken(self->fd), vm_stat(self->vm, "eventfds", "doorbell_stores")));
}

struct reader {
	int fd;
	int done;
	uint64_t total;
	unsigned int wakeups;
};

static void *read_fn(void *arg)
{
	struct reader *r = arg;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	for (;;) {
		int done = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
		uint64_t n = taken(r->fd);

		r->total += n;
		r->wakeups += !!n;
		if (!n && done)
			return NULL;
		if (!n)
			poll(&p, 1, 100);
	}
}

/*
 * Two vCPUs store to one doorbell while a thread waits on its eventfd: what
 * the thread reads adds up to the stores, exactly.  The guest's ticks
 * include waking the thread (a doorbell's round trip).
 */
TEST(two_vcpus_and_a_reader)
{
	const uint64_t n = 2000;
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(doorbell));
	struct vcpu_thread t[2] = {
		{ .vcpu = vcpu_add(vm, 0) },
		{ .vcpu = vcpu_add(vm, 1) },
	};
	struct reader r = { .fd = efd() };
	pthread_t reader;
	unsigned int i;

	ASSERT_EQ(0, doorbell(vm, DB_GPA, 8, r.fd, 0, 0));
	ASSERT_EQ(0, pthread_create(&reader, NULL, read_fn, &r));
	for (i = 0; i < 2; i++) {
		stores(t[i].vcpu, DB_GPA, i, n, 8);
		vcpu_set(t[i].vcpu, A64VCPU_REG_X(7), 1);	/* then power off */
		vcpu_thread_start(&t[i]);
	}
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[i]));
		EXPECT_EQ(1, t[i].nr_ucalls);
	}
	__atomic_store_n(&r.done, 1, __ATOMIC_RELEASE);
	pthread_join(reader, NULL);
	EXPECT_EQ(2 * n, r.total);
	STAT_CHECK(EXPECT_EQ(2 * n, vm_stat(vm, "eventfds", "doorbell_stores")));
	TH_LOG("doorbell store with a reader thread: %llu CNTVCT ticks per 1000 (vCPU 0), %u reads",
	       (unsigned long long)(t[0].ucalls[0] * 1000 / n), r.wakeups);
	for (i = 0; i < 2; i++)
		vcpu_destroy(t[i].vcpu);
	vm_destroy(vm);
	close(r.fd);
}

TEST_HARNESS_MAIN
