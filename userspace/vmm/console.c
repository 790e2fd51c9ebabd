// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's console input: one thread reads stdin (term.c's keys, the
 * Ctrl-A escape) for the console device, the PL011 or, with --console
 * virtio, virtio-console.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "term.h"
#include "vmm.h"

struct console_reader {
	struct vm *vm;
	bool (*put)(void *arg, char c);
	void *arg;
};

/* stdin to the console device until EOF or Ctrl-A x (EXIT_CONSOLE_STOP). */
static void *console_input(void *data)
{
	struct console_reader *r = data;
	enum term_key key;
	char c;

	while ((key = term_read_key(&c)) == TERM_KEY)
		if (!r->put(r->arg, c))
			return NULL;
	if (key == TERM_STOP) {
		fprintf(stderr, "\r\na64vm: stopped (Ctrl-A x)\r\n");
		vm_stop(r->vm, EXIT_CONSOLE_STOP);
	}
	return NULL;
}

/**
 * console_start() - start the thread that reads stdin for the console device
 * @vm: the machine (Ctrl-A x stops it)
 * @put: takes one byte for the guest, waiting for room; false: the VM is
 *       stopping, read no more
 * @arg: for @put
 *
 * One console device a run: the PL011's, or virtio-console's with
 * --console virtio.
 * Return: 0, or -1 after printing why.
 */
int console_start(struct vm *vm, bool (*put)(void *arg, char c), void *arg)
{
	static struct console_reader reader;
	pthread_t thread;
	int err;

	reader = (struct console_reader){ .vm = vm, .put = put, .arg = arg };
	err = pthread_create(&thread, NULL, console_input, &reader);
	if (err) {
		fprintf(stderr, "a64vm: cannot start the console reader: %s\n", strerror(err));
		return -1;
	}
	pthread_detach(thread);
	return 0;
}
