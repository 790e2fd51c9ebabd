/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small library over the a64vcpu ioctls for selftests, in the manner of
 * KVM's kvm_util: a VM with guest memory and a vCPU running a guest program
 * in a few lines, on top of liba64vcpu (the VMM's ioctl library).  Failures
 * abort the test with a message (they are test set-up failures, not what a
 * test checks).
 */
#ifndef A64_SELFTEST_VM_H
#define A64_SELFTEST_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <linux/a64vcpu.h>

#include "a64vcpu.h"	/* liba64vcpu: userspace/lib */

#define GUEST_RAM_GPA	0x40000000ULL	/* where guest programs are loaded */
#define GUEST_RAM_SIZE	0x100000ULL	/* 1 MiB by default */
#define UCALL_GPA	0x0a000000ULL	/* guest -> test messages (MMIO writes) */
#define UCALL_FAIL_TAG	0xfa11		/* bits 63:48 of a failed GUEST_ASSERT */
#define UCALL_ARG_GPA	(UCALL_GPA + 8)	/* guest_arg(n): 8-byte loads at + 8 * n */
#define UCALL_NR_ARGS	8
#define UART_GPA	0x09000000ULL	/* a C guest's printf() (passed to stderr) */
#define VGIC_DIST_GPA	0x08000000ULL	/* QEMU virt's GICv3 map, as a64vm's */
#define VGIC_REDIST_GPA	0x080a0000ULL

struct test_vm {
	int sys_fd;
	int fd;
	void *ram;			/* host view of the default slot */
	size_t ram_size;
	int gic;			/* the vGIC's device fd, or -1 */
	char debugfs[64];		/* its debugfs folder, "" if none */
};

struct test_vcpu {
	int fd;
	struct a64vcpu_run *run;
	uint64_t args[UCALL_NR_ARGS];	/* what the guest's guest_arg(n) reads */
	char line[256];			/* the guest's console line so far */
	unsigned int len;
};

/* A guest program: code between two labels of a selftests/guest/ file. */
struct guest_code {
	const void *start;
	const void *end;
};

#define GUEST_PROGRAM(name) ({						\
	extern const char guest_##name##_start[], guest_##name##_end[];	\
	(struct guest_code){ guest_##name##_start, guest_##name##_end };	\
})

int a64_open(void);
struct test_vm *vm_create(size_t ram_size);
struct test_vm *vm_create_ipa(size_t ram_size, unsigned int ipa_bits);
void vm_load(struct test_vm *vm, uint64_t offset, struct guest_code code);
struct test_vm *vm_create_with_program(struct guest_code code);
void vm_destroy(struct test_vm *vm);
int vm_set_slot(struct test_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		uint64_t size, void *host, uint32_t stage2);

struct test_vcpu *vcpu_add(struct test_vm *vm, uint64_t mpidr);
void vcpu_destroy(struct test_vcpu *vcpu);
/* A64VCPU_RUN; returns the ioctl's result (0 or -1 with errno). */
int vcpu_run(struct test_vcpu *vcpu);
uint64_t vcpu_get(struct test_vcpu *vcpu, uint64_t id);
void vcpu_set(struct test_vcpu *vcpu, uint64_t id, uint64_t val);
/* Runs until the next exit that is not HALT; returns its reason. */
uint32_t vcpu_run_to_exit(struct test_vcpu *vcpu);
/*
 * Runs and expects a ucall (an 8-byte MMIO write at UCALL_GPA); returns its
 * value.  A C guest's console output on the way is printed and its
 * guest_arg() loads are answered from vcpu->args[]; a failed GUEST_ASSERT
 * ends the test (exit(1), also from another thread).
 */
uint64_t vcpu_ucall(struct test_vcpu *vcpu);
/*
 * A vCPU's counter from debugfs (a64vcpu/<pid>-<fd>-<serial>/vcpu<N>), or
 * -1.
 */
long vcpu_stat(struct test_vm *vm, int vcpu, const char *name);
/* A VM's counter from its debugfs file @file (in vm->debugfs), or -1. */
long vm_stat(struct test_vm *vm, const char *file, const char *name);
/*
 * Unprivileged runs (run_unprivileged.sh): the module's debugfs (statistics,
 * EL2 probes) is root's, as are module parameters, sysctls and CPU hotplug.
 * A test that checks only such things skips (SKIP_UNLESS_DEBUGFS(return,
 * why), SKIP_UNLESS_ROOT(return, why)); a test that checks behaviour and also statistics runs,
 * with its statistics checks each in STAT_CHECK(), made only where debugfs
 * is readable (one line says they were not).
 */
bool debugfs_readable(void);
void stat_unchecked(const char *file, int line);
#define SKIP_UNLESS_DEBUGFS(statement, what)					\
	do {									\
		if (!debugfs_readable())					\
			SKIP(statement, "%s: the module's debugfs is root's (uid %d)", \
			     what, (int)geteuid());				\
	} while (0)
#define SKIP_UNLESS_ROOT(statement, what)					\
	do {									\
		if (geteuid())							\
			SKIP(statement, "%s: root's (uid %d)", what, (int)geteuid()); \
	} while (0)
#define STAT_CHECK(check)							\
	do {									\
		if (debugfs_readable()) {					\
			check;							\
		} else {							\
			stat_unchecked(__FILE__, __LINE__);			\
		}								\
	} while (0)
/* Whether the @len bytes at @p are all zero. */
bool all_zero(const void *p, size_t len);
/* Writes @s, or @val in decimal, to file @path (sysfs, procfs, cgroupfs): 0 or -1. */
int write_str(const char *path, const char *s);
int write_long(const char *path, long val);
/* The first number in file @path (sysfs, procfs, cgroupfs), or -1. */
long read_long(const char *path);
/*
 * A child memory cgroup @path of /sys/fs/cgroup (cgroup2 mounted there and
 * its memory controller enabled for children if need be): 0, or -1 and errno.
 */
int memcg_make(const char *path);
/*
 * The value of the line "@name value" of file @path (debugfs counters,
 * /proc/vmstat; with the colon, "MemFree:" of /proc/meminfo), or -1.
 */
long file_stat(const char *path, const char *name);
/*
 * Runs until an exit that is neither HALT, console output nor guest_arg();
 * returns its reason.  A failed GUEST_ASSERT ends the test.
 */
uint32_t vcpu_run_guest(struct test_vcpu *vcpu);
/* Is the exit that vcpu_run_guest() returned a ucall? Its value in *@val. */
bool vcpu_is_ucall(struct test_vcpu *vcpu, uint64_t *val);

/*
 * The vGIC at QEMU virt's addresses with @nr_irqs INTIDs (0: the default);
 * returns its device fd (also in vm->gic), or -1 with errno if it cannot be
 * created.  Create the vCPUs, then vgic_init().
 */
int vgic_create(struct test_vm *vm, unsigned int nr_irqs);
void vgic_init(int fd);
/*
 * A VM running C guest @code on @nr_vcpus vCPUs with MPIDR Aff0 = 0, 1, ...
 * (vCPU 0 runs main(), the others secondary_main(Aff0)), with an initialised
 * vGIC of @nr_irqs INTIDs (0: the default).  The vCPUs go to @vcpus[].
 */
struct test_vm *vm_create_vgic(struct guest_code code, unsigned int nr_vcpus,
			       unsigned int nr_irqs, struct test_vcpu **vcpus);
/* A64VCPU_{SET,GET}_DEVICE_ATTR: the ioctl's result. */
int vgic_attr(int fd, bool set, uint32_t group, uint64_t attr, void *val);
/* A64VCPU_IRQ_LINE: the ioctl's result. */
int irq_line(struct test_vm *vm, uint32_t type, uint32_t vcpu, uint32_t irq, uint32_t level);
const char *exit_name(uint32_t reason);

#endif
