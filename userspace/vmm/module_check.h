/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a64vm needs from a64vcpu.ko, checked once /dev/a64vcpu is open and
 * before anything is created: API version 1, every capability a64vm uses
 * (one table, module_check.c), and the limits this command line asks for.
 * The module's answers come through @ask, so that a unit test can give its
 * own.
 */
#ifndef A64VM_MODULE_CHECK_H
#define A64VM_MODULE_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* What this run asks of the module. */
struct module_needs {
	unsigned int vcpus;		/* -c */
	uint64_t ram_end;		/* the guest-physical end of RAM */
	unsigned int ram_slots;		/* memory slots guest RAM takes */
};

/* A64VCPU_CHECK_EXTENSION's answer for @cap, or -errno: a64vcpu_check_extension(). */
typedef int (*module_ask_fn)(int sys_fd, unsigned long cap);

int module_check(int sys_fd, int api_version, module_ask_fn ask,
		 const struct module_needs *needs, char *err, size_t errlen);

#endif
