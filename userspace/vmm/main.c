// SPDX-License-Identifier: GPL-2.0-only
/*
 * a64vm: a small VMM for a64vcpu (and, for comparison, KVM).  See
 * Documentation/vmm.rst and `a64vm --help`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm.h"

int main(int argc, char **argv)
{
	static struct vm vm;
	struct vm_config cfg;
	char err[256];
	int status;

	switch (cmdline_parse(&cfg, argc, argv, err, sizeof(err))) {
	case CMDLINE_HELP:
		cmdline_usage(stdout);
		return 0;
	case CMDLINE_VERSION:
		printf("a64vm %s\n", A64VM_VERSION);
		return 0;
	case CMDLINE_ERROR:
		fprintf(stderr, "a64vm: %s\n", err);
		return EXIT_VMM_ERROR;
	case CMDLINE_RUN:
		break;
	}

	status = vm_init(&vm, &cfg);
	if (status == 1)	/* --dump-dtb */
		return 0;
	if (status) {
		vm_destroy(&vm);
		return EXIT_VMM_ERROR;
	}
	term_init();
	if (vm_start(&vm))
		vm_stop(&vm, EXIT_VMM_ERROR);
	status = vm_wait(&vm);
	term_restore();
	if (cfg.stats)
		vm_print_stats(&vm);
	vm_destroy(&vm);
	return status;
}
