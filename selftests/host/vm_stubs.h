/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For the host tests of a64vm's devices: the two functions of vm.c a
 * device calls, as stubs.  vm_set_spi() records what it was asked (the
 * devices call it from their own threads too); vm_stop() does nothing.
 * Include once, in the test's .c file.
 */
#ifndef VMM_TEST_VM_STUBS_H
#define VMM_TEST_VM_STUBS_H

#include "vmm.h"

static unsigned int spi_calls, spi_last = ~0U;
static int spi_level = -1;

void vm_set_spi(struct vm *vm, unsigned int spi, bool level)
{
	__atomic_store_n(&spi_last, spi, __ATOMIC_RELAXED);
	__atomic_store_n(&spi_level, level, __ATOMIC_RELAXED);
	__atomic_add_fetch(&spi_calls, 1, __ATOMIC_RELEASE);
}

void vm_stop(struct vm *vm, int status)
{
}

#endif
