// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMIO bus (mmio.h): a short array of devices, searched linearly (a
 * machine has a handful); each device serialises its own accesses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "mmio.h"

void mmio_bus_init(struct mmio_bus *bus)
{
	bus->nr_dev = 0;
	bus->logged = (struct report_once)REPORT_ONCE_INIT;
	bus->unclaimed = 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int mmio_bus_add(struct mmio_bus *bus, struct mmio_device *dev)
{
	unsigned int i;

	if (bus->nr_dev == MMIO_MAX_DEVICES)
		return -ENOSPC;
	if (!dev->size || dev->base + dev->size < dev->base)
		return -EINVAL;
	for (i = 0; i < bus->nr_dev; i++)
		if (ranges_overlap(dev->base, dev->size, bus->dev[i]->base, bus->dev[i]->size))
			return -EEXIST;
	dev->locked = false;
	bus->dev[bus->nr_dev++] = dev;
	return 0;
}

struct mmio_device *mmio_bus_find(struct mmio_bus *bus, uint64_t addr, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < bus->nr_dev; i++) {
		struct mmio_device *dev = bus->dev[i];

		if (addr >= dev->base && addr - dev->base < dev->size &&
		    len <= dev->size - (addr - dev->base))
			return dev;
	}
	return NULL;
}

/* Reports an unclaimed address the first time it is seen (up to a limit). */
static void log_unclaimed(struct mmio_bus *bus, uint64_t addr, unsigned int len, bool is_write)
{
	__atomic_fetch_add(&bus->unclaimed, 1, __ATOMIC_RELAXED);
	if (report_once(&bus->logged, addr))
		fprintf(stderr, "a64vm: unclaimed MMIO %s of %u bytes at 0x%" PRIx64
			" (%s; reported once)\n", is_write ? "write" : "read", len, addr,
			is_write ? "ignored" : "reads as zero");
}

bool mmio_bus_access(struct mmio_bus *bus, uint64_t addr, uint64_t *data, unsigned int len,
		     bool is_write)
{
	struct mmio_device *dev = mmio_bus_find(bus, addr, len);

	if (!dev) {
		log_unclaimed(bus, addr, len, is_write);
		if (!is_write)
			*data = 0;
		return false;
	}
	mmio_device_lock(dev);
	if (is_write)
		dev->write(dev, addr - dev->base, *data, len);
	else
		*data = dev->read(dev, addr - dev->base, len);
	mmio_device_unlock(dev);
	return true;
}
