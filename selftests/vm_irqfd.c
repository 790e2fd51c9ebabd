// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt eventfds (A64VCPU_IRQFD), with guest/c/vm_irqfd.c:
 * - four writer threads, one per SPI, two SPIs per vCPU, while the vCPUs
 *   spin with interrupts unmasked and while they sleep in WFI (then each
 *   write waits until the vCPU's thread is asleep): each thread writes its
 *   eventfd, waits for the guest's acknowledgment (a doorbell store from
 *   its handler), and does it again, so every write is exactly one
 *   interrupt (the guest counts them);
 * - level with a resample eventfd: the line stays high until the guest's
 *   EOI, then it is lowered and the resample eventfd signalled, once per
 *   write;
 * - deassign: a write raises nothing; assigned again with a write pending
 *   on the eventfd: raised at once; closing the eventfd unbinds it; a VM
 *   torn down with bindings left;
 * - bad input: EINVAL, EBADF, EBUSY, ENOENT, ENXIO;
 * - a VM takes at most 1024 bindings (ENOSPC), and one more after a
 *   deassign.
 */
#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define BUSY		0
#define WFI		1
#define LEVEL		2
#define PENDING		3

#define READY		1
#define SPI_FIRST	40
#define NR_SPIS		4
#define ACK_GPA		0x0b000000ULL
#define ROUNDS		100
/* The rounds take seconds, more on a loaded host or the debug kernel. */
#define ROUNDS_TIMEOUT	300
#define STUCK_MS	60000	/* a writer gives up (fails) after this */

struct writer {
	pthread_t thread;
	int irqfd, ackfd, resamplefd;	/* resamplefd: -1 for an edge */
	pid_t wait_asleep;		/* each write once this thread sleeps, or 0 */
	unsigned int stuck;		/* 1 + the round that got no answer, or 0 */
	char vcpu_state;		/* then: the vCPU thread's state */
	uint64_t acks, resamples;
	int err;
};

static void *write_fn(void *arg)
{
	struct writer *w = arg;
	eventfd_t n;
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		struct pollfd ack = { .fd = w->ackfd, .events = POLLIN };
		unsigned int ms;

		/* Bounded, to fail with a report rather than a time-out. */
		for (ms = 0; w->wait_asleep && thread_stat(w->wait_asleep, NULL) != 'S'; ms++) {
			if (ms == STUCK_MS) {
				w->stuck = 1 + i;
				w->vcpu_state = thread_stat(w->wait_asleep, NULL);
				return NULL;
			}
			usleep(1000);
		}
		if (eventfd_write(w->irqfd, 1)) {
			w->err = errno;
			return NULL;
		}
		if (poll(&ack, 1, STUCK_MS) != 1) {
			w->stuck = 1 + i;
			w->vcpu_state = w->wait_asleep ? thread_stat(w->wait_asleep, NULL) : '-';
			return NULL;
		}
		if (eventfd_read(w->ackfd, &n)) {
			w->err = errno;
			return NULL;
		}
		w->acks += n;
		if (w->resamplefd < 0)
			continue;
		if (eventfd_read(w->resamplefd, &n)) {
			w->err = errno;
			return NULL;
		}
		w->resamples += n;
	}
	return NULL;
}

static int efd(int flags)
{
	int fd = eventfd(0, EFD_CLOEXEC | flags);

	if (fd < 0)
		exit(1);
	return fd;
}

static int irqfd(struct test_vm *vm, int fd, uint32_t intid, uint32_t flags, int resamplefd)
{
	return a64vcpu_irqfd(vm->fd, fd, intid, flags, resamplefd);
}

/* Two vCPUs, four writers; SPI_FIRST level with a resampler for LEVEL. */
static void rounds(struct __test_metadata *_metadata, int scenario)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vm_irqfd), 2, 64, vcpus);
	struct vcpu_thread t[2] = { { .vcpu = vcpus[0] }, { .vcpu = vcpus[1] } };
	struct writer w[NR_SPIS];
	unsigned int i;

	for (i = 0; i < NR_SPIS; i++) {
		bool level = scenario == LEVEL && i == 0;
		uint32_t flags = level ? A64VCPU_IRQFD_RESAMPLE : 0;

		w[i] = (struct writer){ .irqfd = efd(0), .ackfd = efd(0),
					.resamplefd = level ? efd(0) : -1 };
		ASSERT_EQ(0, irqfd(vm, w[i].irqfd, SPI_FIRST + i, flags,
				   level ? w[i].resamplefd : 0));
		ASSERT_EQ(0, a64vcpu_doorbell(vm->fd, ACK_GPA, 4, w[i].ackfd,
					      A64VCPU_DOORBELL_DATAMATCH, SPI_FIRST + i));
	}
	STAT_CHECK(EXPECT_EQ(NR_SPIS, vm_stat(vm, "eventfds", "irqfds")));
	for (i = 0; i < 2; i++) {
		vcpus[i]->args[0] = scenario;
		vcpus[i]->args[1] = ROUNDS;
		vcpu_thread_start(&t[i]);
	}
	/* Both vCPUs have their SPIs enabled and routed. */
	for (i = 0; i < 2; i++)
		while (!__atomic_load_n(&t[i].nr_ucalls, __ATOMIC_ACQUIRE))
			usleep(1000);
	for (i = 0; i < NR_SPIS; i++) {
		if (scenario == WFI)	/* SPI_FIRST + i goes to vCPU i / 2 */
			w[i].wait_asleep = vcpu_thread_tid(&t[i / 2]);
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, write_fn, &w[i]));
	}
	for (i = 0; i < NR_SPIS; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(0, w[i].err);
		ASSERT_EQ(0, w[i].stuck) {
			uint32_t pend = 0, en = 0, route = 0;

			vgic_attr(vm->gic, false, A64VCPU_VGIC_GRP_DIST_REGS, 0x204, &pend);
			vgic_attr(vm->gic, false, A64VCPU_VGIC_GRP_DIST_REGS, 0x104, &en);
			vgic_attr(vm->gic, false, A64VCPU_VGIC_GRP_DIST_REGS,
				  0x6000 + 8 * (SPI_FIRST + i), &route);
			TH_LOG("writer %u: no answer in round %u, vCPU thread state %c, %ld injections, %ld doorbell stores",
			       i, w[i].stuck - 1, w[i].vcpu_state,
			       vm_stat(vm, "eventfds", "irqfd_injections"),
			       vm_stat(vm, "eventfds", "doorbell_stores"));
			TH_LOG("ISPENDR1 %#x ISENABLER1 %#x IROUTER %#x; vCPU %u: %ld WFI waits, %ld polled, %ld kicked",
			       pend, en, route, i / 2, vcpu_stat(vm, i / 2, "wfi_wait"),
			       vcpu_stat(vm, i / 2, "wfi_polled"), vcpu_stat(vm, i / 2, "kicked"));
		}
		EXPECT_EQ(ROUNDS, w[i].acks);
		if (w[i].resamplefd >= 0)
			EXPECT_EQ(ROUNDS, w[i].resamples);
	}
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t[1]));
	STAT_CHECK(EXPECT_EQ(NR_SPIS * ROUNDS, vm_stat(vm, "eventfds", "irqfd_injections")));
	if (scenario == LEVEL)
		STAT_CHECK(EXPECT_EQ(ROUNDS, vm_stat(vm, "eventfds", "irqfd_resamples")));
	/* Each round of a writer woke its vCPU from a WFI it slept in. */
	for (i = 0; i < 2 && scenario == WFI; i++)
		STAT_CHECK(EXPECT_LE(ROUNDS, vcpu_stat(vm, i, "wfi_wait") -
					     vcpu_stat(vm, i, "wfi_polled")));
	TH_LOG("vCPU 0: %ld WFI waits, %ld ended polling, %ld kicks", vcpu_stat(vm, 0, "wfi_wait"),
	       vcpu_stat(vm, 0, "wfi_polled"), vcpu_stat(vm, 0, "kicked"));
	for (i = 0; i < 2; i++)
		vcpu_destroy(vcpus[i]);
	vm_destroy(vm);
	for (i = 0; i < NR_SPIS; i++) {
		close(w[i].irqfd);
		close(w[i].ackfd);
		if (w[i].resamplefd >= 0)
			close(w[i].resamplefd);
	}
}

FIXTURE(irqfd_rounds) {};
FIXTURE_SETUP(irqfd_rounds) {}
FIXTURE_TEARDOWN(irqfd_rounds) {}

TEST_F_TIMEOUT(irqfd_rounds, edge_while_running, ROUNDS_TIMEOUT)
{
	rounds(_metadata, BUSY);
}

TEST_F_TIMEOUT(irqfd_rounds, edge_while_in_wfi, ROUNDS_TIMEOUT)
{
	rounds(_metadata, WFI);
}

TEST_F_TIMEOUT(irqfd_rounds, level_with_resample, ROUNDS_TIMEOUT)
{
	rounds(_metadata, LEVEL);
}

/* SPI_FIRST's line level, as the vGIC's LEVEL_INFO attribute has it. */
static int spi_level(struct test_vm *vm)
{
	uint32_t levels = 0;
	struct a64vcpu_device_attr a = {
		.group = A64VCPU_VGIC_GRP_LEVEL_INFO, .attr = 32, .addr = (uintptr_t)&levels,
	};

	if (ioctl(vm->gic, A64VCPU_GET_DEVICE_ATTR, &a))
		return -1;
	return !!(levels & (1U << (SPI_FIRST - 32)));
}

/* The PENDING guest: is SPI_FIRST pending now? */
static bool spi_pending(struct test_vcpu *vcpu)
{
	return vcpu_ucall(vcpu);
}

/*
 * Deassigned: a write raises nothing.  Assigned with a write pending on the
 * eventfd: raised at once.  Closed: unbound (synchronously, in close()),
 * and a new eventfd can take the SPI.
 */
TEST(deassign_and_close)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vm_irqfd), 1, 64, &vcpu);
	int fd = efd(0), fd2 = efd(0);

	vcpu->args[0] = PENDING;
	ASSERT_FALSE(spi_pending(vcpu));
	ASSERT_EQ(0, irqfd(vm, fd, SPI_FIRST, 0, 0));
	ASSERT_EQ(0, eventfd_write(fd, 1));
	EXPECT_TRUE(spi_pending(vcpu));
	ASSERT_EQ(0, ioctl(vm->gic, A64VCPU_SET_DEVICE_ATTR, &(struct a64vcpu_device_attr){
		.group = A64VCPU_VGIC_GRP_DIST_REGS, .attr = 0x280 + 4,	/* GICD_ICPENDR1 */
		.addr = (uintptr_t)&(uint32_t){ 1U << (SPI_FIRST - 32) } }));
	EXPECT_FALSE(spi_pending(vcpu));

	ASSERT_EQ(0, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_DEASSIGN, 0));
	EXPECT_EQ(-ENOENT, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_DEASSIGN, 0));
	STAT_CHECK(EXPECT_EQ(0, vm_stat(vm, "eventfds", "irqfds")));
	ASSERT_EQ(0, eventfd_write(fd, 1));
	EXPECT_FALSE(spi_pending(vcpu));

	/* The write above is still on the eventfd. */
	ASSERT_EQ(0, irqfd(vm, fd, SPI_FIRST, 0, 0));
	EXPECT_TRUE(spi_pending(vcpu));
	ASSERT_EQ(0, ioctl(vm->gic, A64VCPU_SET_DEVICE_ATTR, &(struct a64vcpu_device_attr){
		.group = A64VCPU_VGIC_GRP_DIST_REGS, .attr = 0x280 + 4,
		.addr = (uintptr_t)&(uint32_t){ 1U << (SPI_FIRST - 32) } }));
	EXPECT_FALSE(spi_pending(vcpu));

	/* Closed: unbound before close() returns. */
	STAT_CHECK(EXPECT_EQ(1, vm_stat(vm, "eventfds", "irqfds")));
	close(fd);
	STAT_CHECK(EXPECT_EQ(0, vm_stat(vm, "eventfds", "irqfds")));
	ASSERT_EQ(0, irqfd(vm, fd2, SPI_FIRST, 0, 0));
	ASSERT_EQ(0, eventfd_write(fd2, 1));
	EXPECT_TRUE(spi_pending(vcpu));

	/* Torn down with the VM; the eventfd outlives it. */
	ASSERT_EQ(0, irqfd(vm, efd(0), SPI_FIRST + 1, 0, 0));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	EXPECT_EQ(0, eventfd_write(fd2, 1));
	close(fd2);
}

/*
 * A resample binding's line stays high until the guest's EOI, not merely
 * while the SPI is pending: and unbound, the line it raised comes down.
 */
TEST(resample_deassigned)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vm_irqfd), 1, 64, &vcpu);
	int fd = efd(0), rfd = efd(0);

	vcpu->args[0] = PENDING;
	vcpu->args[1] = 1;	/* SPI_FIRST level-sensitive */
	ASSERT_FALSE(spi_pending(vcpu));
	ASSERT_EQ(0, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_RESAMPLE, rfd));
	ASSERT_EQ(0, eventfd_write(fd, 1));
	EXPECT_TRUE(spi_pending(vcpu));
	EXPECT_EQ(1, spi_level(vm));
	EXPECT_TRUE(spi_pending(vcpu));
	ASSERT_EQ(0, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_DEASSIGN, 0));
	EXPECT_EQ(0, spi_level(vm));
	EXPECT_FALSE(spi_pending(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(fd);
	close(rfd);
}

static int raw(struct test_vm *vm, struct a64vcpu_irqfd req)
{
	return ioctl(vm->fd, A64VCPU_IRQFD, &req) ? -errno : 0;
}

TEST(bad_input)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vm_irqfd));
	int fd = efd(0), rfd = efd(0);
	struct a64vcpu_irqfd ok = { .fd = fd, .intid = SPI_FIRST }, req;

	ASSERT_EQ(1, a64vcpu_check_extension(vm->sys_fd, A64VCPU_CAP_IRQFD));
	/* No vGIC, then one not initialised. */
	EXPECT_EQ(-ENXIO, irqfd(vm, fd, SPI_FIRST, 0, 0));
	ASSERT_LE(0, vgic_create(vm, 64));
	vcpu = vcpu_add(vm, 0);
	EXPECT_EQ(-ENXIO, irqfd(vm, fd, SPI_FIRST, 0, 0));
	vgic_init(vm->gic);

	req = ok;
	req.flags = 1 << 2;
	EXPECT_EQ(-EINVAL, raw(vm, req));
	req = ok;
	req.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, raw(vm, req));
	req = ok;
	req.resamplefd = rfd;		/* without RESAMPLE */
	EXPECT_EQ(-EINVAL, raw(vm, req));
	EXPECT_EQ(-EINVAL, irqfd(vm, fd, 31, 0, 0));	/* a PPI */
	EXPECT_EQ(-EINVAL, irqfd(vm, fd, 64, 0, 0));	/* beyond the vGIC's 64 INTIDs */
	EXPECT_EQ(-EINVAL, irqfd(vm, fd, 1020, 0, 0));
	EXPECT_EQ(-EBADF, irqfd(vm, -1, SPI_FIRST, 0, 0));
	EXPECT_EQ(-EINVAL, irqfd(vm, vm->fd, SPI_FIRST, 0, 0));	/* not an eventfd */
	EXPECT_EQ(-EBADF, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_RESAMPLE, -1));
	EXPECT_EQ(-EINVAL, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_RESAMPLE, vm->fd));
	EXPECT_EQ(-EINVAL, irqfd(vm, fd, SPI_FIRST,
				 A64VCPU_IRQFD_DEASSIGN | A64VCPU_IRQFD_RESAMPLE, rfd));
	EXPECT_EQ(-ENOENT, irqfd(vm, fd, SPI_FIRST, A64VCPU_IRQFD_DEASSIGN, 0));
	STAT_CHECK(EXPECT_EQ(0, vm_stat(vm, "eventfds", "irqfds")));

	/* One binding per eventfd; one SPI may have several. */
	ASSERT_EQ(0, irqfd(vm, fd, SPI_FIRST, 0, 0));
	EXPECT_EQ(-EBUSY, irqfd(vm, fd, SPI_FIRST, 0, 0));
	EXPECT_EQ(-EBUSY, irqfd(vm, fd, SPI_FIRST + 1, 0, 0));
	EXPECT_EQ(0, irqfd(vm, rfd, SPI_FIRST, 0, 0));
	EXPECT_EQ(-ENOENT, irqfd(vm, fd, SPI_FIRST + 1, A64VCPU_IRQFD_DEASSIGN, 0));
	STAT_CHECK(EXPECT_EQ(2, vm_stat(vm, "eventfds", "irqfds")));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	close(fd);
	close(rfd);
}

/* The bound on a VM's bindings (issue 12: every resource a VM takes is bounded). */
#define MAX_IRQFDS	1024

TEST(limit)
{
	struct rlimit rl;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	int fds[MAX_IRQFDS], extra, i, bound = 0;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_max < MAX_IRQFDS + 64)
		SKIP(return, "RLIMIT_NOFILE's hard limit %llu: too few fds for %d eventfds",
		     (unsigned long long)rl.rlim_max, MAX_IRQFDS + 1);
	rl.rlim_cur = MAX_IRQFDS + 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	vm = vm_create_vgic(GUEST_PROGRAM(vm_irqfd), 1, 64, &vcpu);

	for (i = 0; i < MAX_IRQFDS; i++) {
		fds[i] = efd(0);
		bound += !irqfd(vm, fds[i], SPI_FIRST + i % 8, 0, 0);
	}
	EXPECT_EQ(MAX_IRQFDS, bound);
	extra = efd(0);
	EXPECT_EQ(-ENOSPC, irqfd(vm, extra, SPI_FIRST, 0, 0));
	EXPECT_EQ(-ENOSPC, irqfd(vm, extra, SPI_FIRST, A64VCPU_IRQFD_RESAMPLE, fds[0]));
	ASSERT_EQ(0, irqfd(vm, fds[7], SPI_FIRST + 7, A64VCPU_IRQFD_DEASSIGN, 0));
	EXPECT_EQ(0, irqfd(vm, extra, SPI_FIRST, 0, 0));
	EXPECT_EQ(-ENOSPC, irqfd(vm, fds[7], SPI_FIRST, 0, 0));
	/* Closing an eventfd unbinds it and frees its place too. */
	close(fds[8]);
	EXPECT_EQ(0, irqfd(vm, fds[7], SPI_FIRST, 0, 0));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	for (i = 0; i < MAX_IRQFDS; i++)
		if (i != 8)
			close(fds[i]);
	close(extra);
}

TEST_HARNESS_MAIN
