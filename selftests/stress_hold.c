// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress_hold MODE FILE: holds a64vcpu busy for stress_rmmod.sh until
 * killed, and writes to FILE (rewritten, so that the test reads a whole
 * number) how far it got, first when it is ready:
 *   sys   only an fd of /dev/a64vcpu;
 *   vm    a stress VM (lib/stress.h: vGIC, two slots, doorbell, irqfd),
 *         its vCPU never run;
 *   run   the same with its vCPU running the guest's rounds for ever on a
 *         thread; FILE holds the ucalls so far, rewritten as they go up;
 *   mmap  a VM and vCPU whose fds are all closed: only the mapping of the
 *         vCPU's run structure keeps them.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stress.h"

static void report(const char *file, unsigned long n)
{
	char tmp[256], buf[32];
	int fd, len = snprintf(buf, sizeof(buf), "%lu\n", n);

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	fd = open(tmp, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, len) != len || close(fd) || rename(tmp, file)) {
		perror(file);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct stress_runner r;
	struct stress_vm *s;
	unsigned long seen = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: stress_hold sys|vm|run|mmap FILE\n");
		return 2;
	}
	if (!strcmp(argv[1], "sys")) {
		a64_open();	/* kept open until the kill */
		report(argv[2], 0);
		for (;;)
			pause();
	}
	s = stress_vm_create(1, STRESS_WORK, 0, STRESS_WFI_TICKS);
	if (!strcmp(argv[1], "mmap")) {
		/* The run structure stays mapped; every fd goes. */
		close(s->vcpu[0]->fd);
		close(s->doorbell);
		close(s->irqfd);
		close(s->vm->gic);
		close(s->vm->fd);
		close(s->vm->sys_fd);
		report(argv[2], 0);
		for (;;)
			pause();
	}
	if (strcmp(argv[1], "run")) {
		report(argv[2], 0);
		for (;;)
			pause();
	}
	if (stress_runner_start(&r, s->vcpu[0], false))
		return 1;
	for (;;) {
		unsigned long n = __atomic_load_n(&r.ucalls, __ATOMIC_RELAXED);

		if (__atomic_load_n(&r.reason, __ATOMIC_ACQUIRE)) {
			fprintf(stderr, "stress_hold: the vCPU's run ended (%#x)\n", r.reason);
			return 1;
		}
		if (n != seen)
			report(argv[2], n);
		seen = n;
		usleep(20000);
	}
}
