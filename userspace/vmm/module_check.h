/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a64vm needs from a64vcpu.ko, checked once /dev/a64vcpu is open and
 * before anything is created: API version 1, every capability a64vm uses
 * (one table, module_check.c), the limits this command line asks for, and
 * with --pin host memory for the module to pin guest RAM in.
 * The module's answers come through @ask, so that a unit test can give its
 * own.
 */
#ifndef A64VM_MODULE_CHECK_H
#define A64VM_MODULE_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* What this run asks of the module, and of the host's memory. */
struct module_needs {
	unsigned int vcpus;		/* -c */
	uint64_t ram_end;		/* the guest-physical end of RAM */
	unsigned int ram_slots;		/* memory slots guest RAM takes */
	uint64_t ram_pinned;		/* bytes the module will pin (--pin), else 0 */
	uint64_t host_available;	/* bytes the host can give (MemAvailable); 0: unknown */
};

/* A64VCPU_CHECK_EXTENSION's answer for @cap, or -errno: a64vcpu_check_extension(). */
typedef int (*module_ask_fn)(int sys_fd, unsigned long cap);

int module_check(int sys_fd, int api_version, module_ask_fn ask,
		 const struct module_needs *needs, char *err, size_t errlen);

#endif
