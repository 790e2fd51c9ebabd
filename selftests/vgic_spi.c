// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPIs from userspace (A64VCPU_IRQ_LINE), raised from another thread while
 * the vCPU is busy in the guest and while it waits in WFI
 * (guest/c/vgic_spi.c):
 * - level: pending while the line is high (GICD_ICPENDR does not clear
 *   it), gone once it is lowered; taken again after the EOI while still
 *   high, not after it is lowered;
 * - edge: one interrupt per rising edge, edges merging while it is pending;
 * - routing by GICD_IROUTER: to vCPU 1 only; to an affinity no vCPU has,
 *   nowhere (pending) until routed to a vCPU.
 */
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define LEVEL		0
#define EDGE		1
#define ROUTE		2

#define SPI_LEVEL	40
#define SPI_EDGE	41
#define SPI_ROUTED	42
#define SPI_NOWHERE	43

struct raiser {
	struct test_vm *vm;
	uint32_t spi;
	bool edge;		/* a pulse; else the line stays high */
	pid_t wait_asleep;	/* first wait for this thread to sleep (WFI), or 0 */
	pthread_t thread;
	int ret;
};

static void *raise_fn(void *arg)
{
	struct raiser *r = arg;

	if (r->wait_asleep)
		thread_wait_asleep(r->wait_asleep);
	else
		usleep(20000);		/* most likely busy in the guest by now */
	r->ret = irq_line(r->vm, A64VCPU_IRQ_TYPE_SPI, 0, r->spi, 1);
	if (!r->ret && r->edge)
		r->ret = irq_line(r->vm, A64VCPU_IRQ_TYPE_SPI, 0, r->spi, 0);
	return NULL;
}

static void raise_from_thread(struct raiser *r, struct test_vm *vm, uint32_t spi, bool edge,
			      pid_t wait_asleep)
{
	*r = (struct raiser){ .vm = vm, .spi = spi, .edge = edge, .wait_asleep = wait_asleep };
	if (pthread_create(&r->thread, NULL, raise_fn, r))
		exit(1);
}

static int raised(struct raiser *r)
{
	pthread_join(r->thread, NULL);
	return r->ret;
}

TEST(level)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_spi), 1, 64, &vcpu);
	struct raiser r;

	vcpu->args[0] = LEVEL;
	ASSERT_EQ(1, vcpu_ucall(vcpu));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_LEVEL, 1));
	ASSERT_EQ(2, vcpu_ucall(vcpu));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_LEVEL, 0));

	/* Busy: raised while the guest spins; taken, EOIed, taken again. */
	ASSERT_EQ(3, vcpu_ucall(vcpu));
	raise_from_thread(&r, vm, SPI_LEVEL, false, 0);
	ASSERT_EQ(102, vcpu_ucall(vcpu));	/* the second time */
	ASSERT_EQ(0, raised(&r));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_LEVEL, 0));

	/* Raised once the vCPU's thread sleeps in WFI. */
	ASSERT_EQ(4, vcpu_ucall(vcpu));
	raise_from_thread(&r, vm, SPI_LEVEL, false, gettid());
	ASSERT_EQ(104, vcpu_ucall(vcpu));
	ASSERT_EQ(0, raised(&r));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_LEVEL, 0));

	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(edge)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_spi), 1, 64, &vcpu);
	struct raiser r;
	uint64_t i;

	vcpu->args[0] = EDGE;
	/* Three rising edges (each write of 1 is one) while the guest masks IRQs. */
	ASSERT_EQ(10, vcpu_ucall(vcpu));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 1));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 0));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 1));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 1));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 0));
	/* Then five pulses, one at a time, from another thread. */
	for (i = 11; i <= 15; i++) {
		ASSERT_EQ(i, vcpu_ucall(vcpu));
		if (i > 11)
			ASSERT_EQ(0, raised(&r));
		raise_from_thread(&r, vm, SPI_EDGE, true, 0);
	}
	ASSERT_EQ(16, vcpu_ucall(vcpu));
	ASSERT_EQ(0, raised(&r));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 1));
	ASSERT_EQ(0, irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_EDGE, 0));
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* vCPU 0's thread raises both SPIs when its guest asks. */
static void route_ucall(struct vcpu_thread *t, uint64_t val)
{
	struct test_vm *vm = t->data;

	if (val != 30)
		return;
	if (irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_ROUTED, 1) ||
	    irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_ROUTED, 0) ||
	    irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_NOWHERE, 1) ||
	    irq_line(vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_NOWHERE, 0))
		t->ucalls[0] = ~0ULL;	/* seen by the test below */
}

TEST(route_by_irouter)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_spi), 2, 64, vcpus);
	struct vcpu_thread t[2] = {
		{ .vcpu = vcpus[0], .on_ucall = route_ucall, .data = vm },
		{ .vcpu = vcpus[1] },
	};

	vcpus[0]->args[0] = ROUTE;
	vcpus[1]->args[0] = ROUTE;
	vcpu_thread_start(&t[0]);
	vcpu_thread_start(&t[1]);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t[1]));
	ASSERT_EQ(1, t[0].nr_ucalls);
	EXPECT_EQ(30, t[0].ucalls[0]);
	EXPECT_EQ(0, t[1].nr_ucalls);
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
