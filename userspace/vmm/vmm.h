/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * a64vm's machine: one VM, its RAM, its MMIO bus and its vCPUs, each vCPU
 * on its own thread (vcpu.c), built by vm.c from a struct vm_config.
 */
#ifndef A64VM_VMM_H
#define A64VM_VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "accel.h"
#include "config.h"
#include "loader.h"
#include "mmio.h"
#include "platform.h"
#include "term.h"
#include "virtio.h"

/* a64vm's exit statuses (cmdline_usage() prints them). */
#define EXIT_GUEST_OFF		0
#define EXIT_VMM_ERROR		1
#define EXIT_GUEST_CRASHED	2
#define EXIT_GUEST_RESET	3
#define EXIT_CONSOLE_STOP	4	/* Ctrl-A x */

enum vcpu_power { VCPU_OFF, VCPU_ON };

struct vcpu {
	struct vm *vm;
	unsigned int index;
	uint64_t mpidr;
	bool powered_on;		/* at creation (KVM: started by PSCI otherwise) */
	/* The accelerator's handles. */
	int fd;
	void *run;
	/* Guarded by vm->lock. */
	enum vcpu_power power;
	bool has_thread;
	pthread_t thread;
	uint64_t start_pc, start_x0;	/* where the next thread starts it */
	/* Written by the vCPU's thread only. */
	uint64_t exits[VM_EXIT_NR];
	uint64_t created_ticks;		/* CNTVCT when it was created (vCPU 0) */
	uint64_t first_exit_ticks;	/* creation to first exit */
};

struct vm {
	const struct vm_config *cfg;
	const struct accel_ops *accel;
	int sys_fd, fd;			/* the accelerator's */
	int gic_fd;			/* the accelerator's GIC, if it has a handle for it */
	bool gic;			/* the machine has its GICv3 (set before any vCPU runs) */
	bool spi_failed;		/* a gic_set_spi() failed (reported once) */
	struct guest_ram ram;
	struct load_map map;
	struct mmio_bus bus;
	struct virtio_dev *virtio[VIRTIO_MMIO_MAX];	/* transport n's device */
	unsigned int nr_virtio;
	uint64_t entry, dtb;		/* vCPU 0's PC and x0 */
	unsigned int nr_vcpus;
	struct vcpu vcpu[VIRT_MAX_CPUS];
	uint64_t ram_map_ticks;		/* the accelerator mapping all of RAM */
	uint64_t stop_ticks;		/* CNTVCT at the first vm_stop() */

	pthread_mutex_t lock;
	pthread_cond_t stopped_cond;
	bool stopping;
	int exit_status;
};

/* vm.c */
int vm_init(struct vm *vm, const struct vm_config *cfg);
int vm_start(struct vm *vm);
int vm_wait(struct vm *vm);
void vm_stop(struct vm *vm, int status);
void vm_set_spi(struct vm *vm, unsigned int spi, bool level);
int vm_cpu_on(struct vm *vm, uint64_t mpidr, uint64_t entry, uint64_t context);
int vm_affinity_info(struct vm *vm, uint64_t mpidr, uint64_t level);
void vm_print_stats(struct vm *vm);
void vm_destroy(struct vm *vm);

/* ram.c */
int ram_map(struct guest_ram *ram, const struct vm_config *cfg);

/* vcpu.c */
int vcpu_start_thread(struct vcpu *vcpu);

/* console.c */
int console_start(struct vm *vm, bool (*put)(void *arg, char c), void *arg);

/* devices/pl011.c */
int pl011_init(struct vm *vm);

static inline uint64_t read_cntvct(void)
{
	uint64_t t;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(t) :: "memory");
	return t;
}

#endif
