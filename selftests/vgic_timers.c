// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's timers through the vGIC (guest/c/vgic_timers.c asserts each
 * step): the virtual timer (PPI 27) and the emulated physical timer
 * (PPI 30) each fire after their deadline and not before (the handler
 * compares the counter with CVAL), not while masked (IMASK: ISTATUS set,
 * nothing pending), at once when unmasked or enabled with a deadline
 * already past, again when re-armed (TVAL); never while disabled.
 * The counter offset (A64VCPU_{GET,SET}_COUNTER_OFFSET) is what every vCPU
 * sees as CNTPCT - CNTVCT, forward and back, the virtual timer counting
 * against it; a new offset that puts a waiting vCPU's deadline in the past
 * wakes it then, not at its old deadline.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define VTIMER		0
#define PTIMER		1
#define OFFSET		2
#define OFFSET_WAIT	3
#define ROUND_END	(1ULL << 63)
#define ROUNDS		3

static int get_offset(struct test_vm *vm, uint64_t *off)
{
	return ioctl(vm->fd, A64VCPU_GET_COUNTER_OFFSET, off);
}

static int set_offset(struct test_vm *vm, uint64_t off)
{
	return ioctl(vm->fd, A64VCPU_SET_COUNTER_OFFSET, &off);
}

static void one_timer(struct __test_metadata *_metadata, int scenario)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_timers), 1, 64, &vcpu);

	vcpu->args[0] = scenario;
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(vtimer)
{
	one_timer(_metadata, VTIMER);
}

TEST(ptimer)
{
	one_timer(_metadata, PTIMER);
}

struct rounds {
	struct test_vm *vm;
	struct test_vcpu *setter;	/* the vCPU whose thread sets the offsets */
	pthread_barrier_t barrier;
	uint64_t off[ROUNDS];		/* the offset during each round */
	int err;
};

/* Between two rounds, with both vCPUs stopped: the next round's offset. */
static void round_end(struct vcpu_thread *t, uint64_t val)
{
	struct rounds *r = t->data;
	unsigned int next = (val & 0xff) + 1;

	if (!(val & ROUND_END))
		return;
	pthread_barrier_wait(&r->barrier);
	if (t->vcpu == r->setter && next < ROUNDS && set_offset(r->vm, r->off[next]))
		r->err = errno;
	pthread_barrier_wait(&r->barrier);
}

TEST(counter_offset_every_vcpu)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_timers), 2, 64, vcpus);
	struct rounds r = { .vm = vm, .setter = vcpus[0] };
	struct vcpu_thread t[2] = {};
	unsigned int i, k;
	uint64_t now;

	ASSERT_EQ(0, get_offset(vm, &r.off[0]));
	/* Guest time started near 0 when the VM was created. */
	ASSERT_LT(0, r.off[0]);
	r.off[1] = r.off[0] / 2;	/* CNTVCT jumps forward by off[0] / 2 ... */
	r.off[2] = r.off[0];		/* ... and back */
	pthread_barrier_init(&r.barrier, NULL, 2);
	for (i = 0; i < 2; i++) {
		vcpus[i]->args[0] = OFFSET;
		t[i] = (struct vcpu_thread){ .vcpu = vcpus[i], .on_ucall = round_end, .data = &r };
		vcpu_thread_start(&t[i]);
	}
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t[1]));
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, get_offset(vm, &now));
	EXPECT_EQ(r.off[2], now);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(3 * ROUNDS, t[i].nr_ucalls);
		for (k = 0; k < ROUNDS; k++) {
			uint64_t lo = t[i].ucalls[3 * k], hi = t[i].ucalls[3 * k + 1];

			EXPECT_LE(lo, r.off[k]) TH_LOG("vCPU %u round %u", i, k);
			EXPECT_GE(hi, r.off[k]) TH_LOG("vCPU %u round %u", i, k);
			EXPECT_EQ(ROUND_END | k, t[i].ucalls[3 * k + 2]);
		}
	}
	pthread_barrier_destroy(&r.barrier);
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

struct zero_offset {
	struct test_vm *vm;
	pid_t vcpu_tid;
	int ret;
};

static void *zero_offset_when_asleep(void *arg)
{
	struct zero_offset *z = arg;

	thread_wait_asleep(z->vcpu_tid);
	z->ret = set_offset(z->vm, 0);
	return NULL;
}

TEST(offset_change_wakes_waiting_vtimer)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vgic_timers), 1, 64, &vcpu);
	struct zero_offset z = { .vm = vm, .vcpu_tid = gettid() };
	uint64_t off, late;
	pthread_t thread;

	ASSERT_EQ(0, get_offset(vm, &off));
	vcpu->args[0] = OFFSET_WAIT;
	vcpu->args[1] = off;
	ASSERT_EQ(1, vcpu_ucall(vcpu));		/* armed: due in about off ticks */
	ASSERT_EQ(0, pthread_create(&thread, NULL, zero_offset_when_asleep, &z));
	late = vcpu_ucall(vcpu);		/* how long after CVAL it fired */
	pthread_join(thread, NULL);
	ASSERT_EQ(0, z.ret);
	EXPECT_GT(off, late);
	ASSERT_EQ(0, get_offset(vm, &off));
	EXPECT_EQ(0, off);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST_HARNESS_MAIN
