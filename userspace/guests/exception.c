// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unless a guest installs a handler, any exception it takes is a bug in the
 * guest or in the hypervisor, reported on the UART before a reset.
 */
#include "guest.h"

/**
 * unexpected_exception() - report an exception and reset the machine
 * @esr: ESR_EL1
 * @elr: ELR_EL1, the faulting instruction
 * @far: FAR_EL1, the faulting address (if ESR says it is valid)
 *
 * Called from every vector in start.S.
 */
void unexpected_exception(u64 esr, u64 elr, u64 far)
{
	printf("guest: unexpected exception ESR=0x%lx ELR=0x%lx FAR=0x%lx\n",
	       (unsigned long)esr, (unsigned long)elr, (unsigned long)far);
	psci_system_reset();
}

/**
 * sync_handler() - a synchronous exception at EL1: unexpected, unless a
 * guest defines its own sync_handler() (a test that expects one)
 * @esr: ESR_EL1
 * @elr: ELR_EL1
 * @far: FAR_EL1
 *
 * Return: where to resume; this default does not return.
 */
__weak u64 sync_handler(u64 esr, u64 elr, u64 far)
{
	unexpected_exception(esr, elr, far);
}
