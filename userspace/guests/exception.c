// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guests install no handlers: any exception they take is a bug in the
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
