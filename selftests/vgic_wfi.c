// SPDX-License-Identifier: GPL-2.0-only
/*
 * WFI waits in the kernel, its thread asleep (its CPU time does not grow;
 * /proc, as in vcpu_exits.c), until an interrupt is pending
 * (guest/c/vgic_wfi.c: one WFI with IRQs masked, then the pending INTID is
 * checked): the virtual and the physical timer, an SGI from the other vCPU,
 * an SPI from userspace; a signal ends the run with EINTR and the guest
 * resumes after its WFI.  A disabled SPI and one masked by ICC_PMR_EL1 do
 * not end it; enabling the SPI through the device attribute does.
 */
#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define TIMER		0
#define SGI		1
#define SPI		2
#define SIGNAL		3
#define MASKED		4

#define SPI_WAKE	40
#define SPI_MASKED	41
#define GICD_ISENABLER1	0x104
#define WFI_INSN	0xd503207f

/* What the waker thread does once the vCPU thread sleeps. */
struct waker {
	struct test_vm *vm;
	pid_t tid;
	pthread_t target;	/* SIGNAL: the thread to signal */
	int scenario;
	bool slept;		/* it stayed asleep (no CPU time) for a while */
	bool woken;		/* the waker did what ends the WFI */
	int ret;
	pthread_t thread;
};

static void *waker_fn(void *arg)
{
	struct waker *w = arg;
	uint32_t on = 1U << (SPI_WAKE - 32);

	thread_wait_asleep(w->tid);
	if (w->scenario == MASKED) {
		/* Pending, but disabled or under the priority mask. */
		w->ret = irq_line(w->vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_WAKE, 1) ||
			 irq_line(w->vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_MASKED, 1);
	}
	w->slept = thread_stays_asleep(w->tid);
	w->woken = true;
	switch (w->scenario) {
	case SPI:
		w->ret |= irq_line(w->vm, A64VCPU_IRQ_TYPE_SPI, 0, SPI_WAKE, 1);
		break;
	case SIGNAL:
		w->ret |= pthread_kill(w->target, SIGUSR1);
		break;
	case MASKED:
		w->ret |= vgic_attr(w->vm->gic, true, A64VCPU_VGIC_GRP_DIST_REGS,
				    GICD_ISENABLER1, &on);
		break;
	}
	return NULL;
}

static void start_waker(struct waker *w, struct test_vm *vm, int scenario, pid_t tid)
{
	*w = (struct waker){ .vm = vm, .scenario = scenario, .tid = tid,
			     .target = pthread_self() };
	if (pthread_create(&w->thread, NULL, waker_fn, w))
		exit(1);
}

static void stop_waker(struct __test_metadata *_metadata, struct waker *w)
{
	pthread_join(w->thread, NULL);
	EXPECT_EQ(0, w->ret);
	EXPECT_TRUE(w->slept) TH_LOG("the vCPU thread did not sleep in WFI");
}

static struct test_vm *one_vcpu(struct test_vcpu **vcpu, int scenario)
{
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_wfi), 1, 64, vcpu);

	(*vcpu)->args[0] = scenario;
	return vm;
}

static void done(struct __test_metadata *_metadata, struct test_vm *vm, struct test_vcpu *vcpu)
{
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* The virtual timer, then the physical one, each 10 ms ahead. */
TEST(timers)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = one_vcpu(&vcpu, TIMER);

	done(_metadata, vm, vcpu);
}

TEST(spi_from_userspace)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = one_vcpu(&vcpu, SPI);
	struct waker w;

	ASSERT_EQ(1, vcpu_ucall(vcpu));
	start_waker(&w, vm, SPI, gettid());
	done(_metadata, vm, vcpu);
	stop_waker(_metadata, &w);
	EXPECT_TRUE(w.woken);
}

TEST(sgi_from_other_vcpu)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_wfi), 2, 64, vcpus);
	struct vcpu_thread t1 = { .vcpu = vcpus[1] };
	pid_t tid;

	vcpus[0]->args[0] = SGI;
	vcpus[1]->args[0] = SGI;
	vcpu_thread_start(&t1);
	ASSERT_EQ(1, vcpu_ucall(vcpus[0]));	/* vCPU 1 is about to wait */
	tid = vcpu_thread_tid(&t1);
	thread_wait_asleep(tid);
	EXPECT_TRUE(thread_stays_asleep(tid));
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpus[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t1));
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

static void on_sigusr1(int sig)
{
}

TEST(signal_ends_the_run)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };	/* no SA_RESTART */
	struct test_vcpu *vcpu;
	struct test_vm *vm = one_vcpu(&vcpu, SIGNAL);
	uint64_t pc;
	struct waker w;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(1, vcpu_ucall(vcpu));
	start_waker(&w, vm, SIGNAL, gettid());
	EXPECT_EQ(-1, vcpu_run(vcpu));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(A64VCPU_EXIT_INTR, vcpu->run->exit_reason);
	stop_waker(_metadata, &w);
	EXPECT_TRUE(w.woken);
	/* Stopped right after the WFI, which it resumes past. */
	pc = vcpu_get(vcpu, A64VCPU_REG_PC);
	ASSERT_LT(GUEST_RAM_GPA + 4, pc);
	EXPECT_EQ(WFI_INSN, *(uint32_t *)((char *)vm->ram + pc - 4 - GUEST_RAM_GPA));
	EXPECT_EQ(2, vcpu_ucall(vcpu));
	done(_metadata, vm, vcpu);
}

TEST(masked_interrupts_do_not_wake)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = one_vcpu(&vcpu, MASKED);
	struct waker w;

	ASSERT_EQ(1, vcpu_ucall(vcpu));
	start_waker(&w, vm, MASKED, gettid());
	EXPECT_EQ(2, vcpu_ucall(vcpu));
	/* Not before the waker enabled SPI_WAKE (after checking the thread slept). */
	EXPECT_TRUE(w.woken);
	stop_waker(_metadata, &w);
	done(_metadata, vm, vcpu);
}

TEST_HARNESS_MAIN
