// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's thread: run, handle the exit, run again (kvm_cpu__run's loop in
 * kvmtool).  Exits that concern the whole machine (PSCI, errors) go to
 * vm.c; MMIO goes to the bus; everything else is answered here.
 */
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmm.h"

#define SMCCC_RET_NOT_SUPPORTED	(-1LL)
#define PSCI_AFFINITY_INFO_32	0x84000004
#define PSCI_AFFINITY_INFO_64	0xc4000004

/*
 * A trapped system register the accelerator left to a64vm: a64vm
 * implements none, so the access is UNDEFINED in the guest, as the
 * architecture has it for a register that does not exist; each reported
 * once.
 */
static void handle_sysreg(struct vcpu *vcpu, struct vm_exit *exit)
{
	static struct report_once reported = REPORT_ONCE_INIT;
	uint32_t enc = exit->sysreg.op0 << 16 | exit->sysreg.op1 << 12 | exit->sysreg.crn << 8 |
		       exit->sysreg.crm << 4 | exit->sysreg.op2;

	exit->sysreg.undefined = true;
	if (report_once(&reported, enc))
		fprintf(stderr, "a64vm: vCPU %u: trapped %s of S%u_%u_C%u_C%u_%u (UNDEFINED; reported once)\n",
			vcpu->index, exit->sysreg.is_write ? "write" : "read", exit->sysreg.op0,
			exit->sysreg.op1, exit->sysreg.crn, exit->sysreg.crm, exit->sysreg.op2);
}

static void handle_hypercall(struct vm *vm, struct vm_exit *exit)
{
	memset(exit->hcall.ret, 0, sizeof(exit->hcall.ret));
	exit->hcall.ret[0] = SMCCC_RET_NOT_SUPPORTED;
	switch (exit->hcall.fid) {
	case A64VM_HC_ECHO:
		exit->hcall.ret[0] = 0;
		exit->hcall.ret[1] = exit->hcall.args[0] + 1;
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		exit->hcall.ret[0] = vm_affinity_info(vm, exit->hcall.args[0], exit->hcall.args[1]);
		break;
	}
}

static void report_error(struct vcpu *vcpu, const struct vm_exit *exit)
{
	fprintf(stderr, "a64vm: vCPU %u: %s: ESR 0x%" PRIx64 " PC 0x%" PRIx64 " address 0x%" PRIx64
		"\n", vcpu->index, exit->error.what, exit->error.esr, exit->error.pc,
		exit->error.addr);
}

/* PSCI CPU_OFF: this thread ends; the last vCPU off powers the machine off. */
static void cpu_off(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	unsigned int i, on = 0;

	pthread_mutex_lock(&vm->lock);
	vcpu->power = VCPU_OFF;
	for (i = 0; i < vm->nr_vcpus; i++)
		on += vm->vcpu[i].power == VCPU_ON;
	pthread_mutex_unlock(&vm->lock);
	if (!on) {
		fprintf(stderr, "a64vm: every vCPU is off: powering off\n");
		vm_stop(vm, EXIT_GUEST_OFF);
	}
}

/* Handles one exit; false when the thread is done (vCPU off or VM stopping). */
static bool handle_exit(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct vm *vm = vcpu->vm;

	switch (exit->reason) {
	case VM_EXIT_MMIO:
		mmio_bus_access(&vm->bus, exit->mmio.addr, &exit->mmio.data, exit->mmio.len,
				exit->mmio.is_write);
		return true;
	case VM_EXIT_HYPERCALL:
		handle_hypercall(vm, exit);
		return true;
	case VM_EXIT_SYSREG:
		handle_sysreg(vcpu, exit);
		return true;
	case VM_EXIT_HALT:	/* nothing can wake it up but itself, yet: run again */
		return true;
	case VM_EXIT_CPU_ON:
		exit->cpu_on.ret = vm_cpu_on(vm, exit->cpu_on.mpidr, exit->cpu_on.entry,
					     exit->cpu_on.context);
		return true;
	case VM_EXIT_CPU_OFF:
		cpu_off(vcpu);
		return false;
	case VM_EXIT_SYSTEM_OFF:
		vm_stop(vm, EXIT_GUEST_OFF);
		return false;
	case VM_EXIT_SYSTEM_RESET:
		fprintf(stderr, "a64vm: the guest asked for a reset; a64vm does not restart it\n");
		vm_stop(vm, EXIT_GUEST_RESET);
		return false;
	case VM_EXIT_INTR:
		return !__atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE);
	case VM_EXIT_ERROR:
	default:
		report_error(vcpu, exit);
		vm_stop(vm, EXIT_GUEST_CRASHED);
		return false;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	struct vm_exit exit = { .reason = VM_EXIT_INTR };

	if (vm->accel->vcpu_reset(vcpu, vcpu->start_pc, vcpu->start_x0)) {
		vm_stop(vm, EXIT_VMM_ERROR);
		return NULL;
	}
	do {
		if (__atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE))
			break;
		if (vm->accel->vcpu_run(vcpu, &exit)) {
			vm_stop(vm, EXIT_VMM_ERROR);
			break;
		}
		if (!vcpu->first_exit_ticks)
			vcpu->first_exit_ticks = read_cntvct() - vcpu->created_ticks;
		vcpu->exits[exit.reason]++;
	} while (handle_exit(vcpu, &exit));
	return NULL;
}

/* --pin-vcpus: vCPU n's thread on host CPU n, modulo the CPUs online. */
static void pin_thread(struct vcpu *vcpu)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int err;

	CPU_ZERO(&set);
	CPU_SET(vcpu->index % (cpus > 0 ? cpus : 1), &set);
	err = pthread_setaffinity_np(vcpu->thread, sizeof(set), &set);
	if (err)
		fprintf(stderr, "a64vm: cannot pin vCPU %u's thread: %s\n", vcpu->index,
			strerror(err));
}

/**
 * vcpu_start_thread() - start running @vcpu from start_pc/start_x0 on a new thread
 * @vcpu: a vCPU whose previous thread, if any, has finished (vm->lock held)
 *
 * Return: 0, or -1 after printing why.
 */
int vcpu_start_thread(struct vcpu *vcpu)
{
	sigset_t all, old;
	int err;

	if (vcpu->has_thread)
		pthread_join(vcpu->thread, NULL);
	/* The thread starts with every signal blocked but the kick (vm.c). */
	sigfillset(&all);
	sigdelset(&all, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		fprintf(stderr, "a64vm: cannot start vCPU %u's thread: %s\n", vcpu->index,
			strerror(err));
		return -1;
	}
	if (vcpu->vm->cfg->pin_vcpus)
		pin_thread(vcpu);
	vcpu->has_thread = true;
	vcpu->power = VCPU_ON;
	return 0;
}
