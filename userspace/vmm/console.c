// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's console input: one thread reads stdin (term.c's keys, the
 * Ctrl-A escape) for the console device, the PL011 or, with --console
 * virtio, virtio-console.
 */
#include <stdio.h>

#include "term.h"
#include "vmm.h"

/**
 * console_input() - stdin to the guest's console until EOF or Ctrl-A x
 * @vm: stopped by Ctrl-A x (EXIT_CONSOLE_STOP)
 * @put: takes one byte for the guest, waiting for room; false: the VM is
 *       stopping, read no more
 * @arg: for @put
 *
 * The body of a console device's input thread (the PL011's, or
 * virtio-console's with --console virtio).
 */
void console_input(struct vm *vm, bool (*put)(void *arg, char c), void *arg)
{
	enum term_key key;
	char c;

	while ((key = term_read_key(&c)) == TERM_KEY)
		if (!put(arg, c))
			return;
	if (key == TERM_STOP) {
		fprintf(stderr, "\r\na64vm: stopped (Ctrl-A x)\r\n");
		vm_stop(vm, EXIT_CONSOLE_STOP);
	}
}
