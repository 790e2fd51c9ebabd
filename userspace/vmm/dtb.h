/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device tree a64vm hands the guest: generated with libfdt for the
 * machine of platform.h.  Devices on the MMIO bus add their own nodes.
 *
 * (Not "fdt.h": that is libfdt's own header.)  A device's fdt_node hook
 * gets the blob open for libfdt's read-write API: it adds its node with
 * fdt_add_subnode(fdt, 0, ...) and may set properties of /chosen, which
 * exists by then (e.g. stdout-path).  It returns 0 or -FDT_ERR_*.
 */
#ifndef A64VM_DTB_H
#define A64VM_DTB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmio_bus;

/* Fixed phandles of the nodes other nodes refer to. */
#define FDT_PHANDLE_GIC		1
#define FDT_PHANDLE_APB_PCLK	2

struct fdt_machine {
	uint64_t ram_base, ram_size;
	unsigned int cpus;		/* MPIDR of cpu N is N (Aff0) */
	bool gic;			/* a GICv3: its node, and every interrupts property */
	const char *bootargs;		/* may be NULL */
	uint64_t initrd_start, initrd_size;	/* size 0: no initrd */
};

/* Builds the DTB into @buf (@size bytes); 0 or -1 with a message in @err. */
int fdt_generate(void *buf, size_t size, const struct fdt_machine *m, struct mmio_bus *bus,
		 char *err, size_t errlen);

/*
 * The user's DTB @in with @m's bootargs and initrd in /chosen (created if
 * missing; nothing else of @m is used), as QEMU does with -dtb: copied into
 * @buf (@size bytes) with room for them, then packed.  0 or -1 with a
 * message in @err.
 */
int fdt_patch_chosen(void *buf, size_t size, const void *in, const struct fdt_machine *m,
		     char *err, size_t errlen);

/*
 * For a device's fdt_node hook: its "interrupts", SPI @spi, level high (or
 * with @edge rising edge), in node @node, if the machine has an interrupt
 * controller (the root's interrupt-parent is set before the hooks run);
 * nothing otherwise.  Returns 0 or -FDT_ERR_*.
 */
int fdt_setprop_spi(void *fdt, int node, unsigned int spi, bool edge);

#endif
