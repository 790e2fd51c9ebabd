/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MMIO bus: emulated devices by guest-physical range.  An MMIO exit is
 * one mmio_bus_access(); an address no device claims reads as zero, ignores
 * writes and is logged once.
 */
#ifndef A64VM_MMIO_H
#define A64VM_MMIO_H

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

#include "report_once.h"

#define MMIO_MAX_DEVICES	40	/* the PL011, 32 virtio-mmio transports, room */
#define MMIO_MAX_LOGGED		REPORT_ONCE_MAX	/* distinct unclaimed addresses reported */

struct mmio_device {
	const char *name;
	uint64_t base;
	uint64_t size;
	/* Called under mmio_device_lock(); @offset is from @base. */
	uint64_t (*read)(struct mmio_device *dev, uint64_t offset, unsigned int len);
	void (*write)(struct mmio_device *dev, uint64_t offset, uint64_t val, unsigned int len);
	/* Adds the device's node to the DTB (fdt.c calls it); may be NULL. */
	int (*fdt_node)(struct mmio_device *dev, void *fdt);
	bool locked;		/* mmio_device_lock() */
	void *priv;
};

/*
 * A device's lock, taken around its callbacks: they are short and never
 * wait, so a spinlock that yields the CPU while the lock is held serves.
 * (A pthread mutex cost 100 instructions per MMIO exit, ~4% of one.)
 */
static inline void mmio_device_lock(struct mmio_device *dev)
{
	while (__atomic_exchange_n(&dev->locked, true, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&dev->locked, __ATOMIC_RELAXED))
			sched_yield();
}

static inline void mmio_device_unlock(struct mmio_device *dev)
{
	__atomic_store_n(&dev->locked, false, __ATOMIC_RELEASE);
}

struct mmio_bus {
	struct mmio_device *dev[MMIO_MAX_DEVICES];
	unsigned int nr_dev;
	struct report_once logged;	/* unclaimed addresses reported */
	uint64_t unclaimed;		/* accesses no device claimed */
};

void mmio_bus_init(struct mmio_bus *bus);
/* 0, or -EEXIST if @dev overlaps a device already on the bus, -ENOSPC if full. */
int mmio_bus_add(struct mmio_bus *bus, struct mmio_device *dev);
struct mmio_device *mmio_bus_find(struct mmio_bus *bus, uint64_t addr, unsigned int len);
/*
 * One guest access: @len 1, 2, 4 or 8 bytes at @addr; a write takes *@data,
 * a read stores into it.  Returns false for an address no device claims.
 */
bool mmio_bus_access(struct mmio_bus *bus, uint64_t addr, uint64_t *data, unsigned int len,
		     bool is_write);

#endif
