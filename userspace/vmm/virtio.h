/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio in a64vm: split virtqueues (devices/virtio_queue.c) over the
 * virtio-mmio transport, version 2 (devices/virtio_mmio.c), at QEMU virt's
 * addresses: transport n at VIRT_VIRTIO_MMIO_BASE + n * 0x200, SPI
 * VIRT_VIRTIO_MMIO_SPI + n, in the order devices are added.  Constants come
 * from the kernel's uapi headers (<linux/virtio_*.h>).
 *
 * Adding a device
 * ---------------
 * A device embeds a struct virtio_dev, fills in its first part and calls
 * virtio_mmio_add():
 *
 *	.name         for messages and the I/O thread's name
 *	.id           VIRTIO_ID_* (<linux/virtio_ids.h>)
 *	.features     its own feature bits (VIRTIO_BLK_F_*, ...); the transport
 *	              adds VIRTIO_F_VERSION_1, VIRTIO_RING_F_EVENT_IDX and
 *	              VIRTIO_RING_F_INDIRECT_DESC and does the negotiation;
 *	              ->driver_features holds the result once the driver set
 *	              FEATURES_OK
 *	.config       its configuration space (little-endian, as the spec lays
 *	.config_len   it out), read by the guest at offset 0x100 and up; guest
 *	              writes to it are ignored.  To change it while the guest
 *	              runs: virtio_config_lock(), change, virtio_config_unlock()
 *	              (which bumps ConfigGeneration), then
 *	              virtio_mmio_notify_guest(vdev, VIRTIO_MMIO_INT_CONFIG).
 *	.nr_queues    1..VIRTIO_MAX_QUEUES, each with QueueNumMax .queue_max
 *	.queue_max    (a power of two, at most VIRTQ_MAX_SIZE)
 *	.queue_notify called on the device's I/O thread when the guest notified
 *	              queue vq (QueueNotify) or set DRIVER_OK, if the queue is
 *	              ready: it drains the queue --
 *
 *	                  while (virtq_pop(vq, req) > 0) {
 *	                          if (req->err) -> complete it with an error
 *	                          ... work on req->iov ...
 *	                          virtq_push(vq, req, bytes written);
 *	                  }
 *	                  virtio_signal_used(vdev, vq);
 *
 *	.reset        optional: the driver reset the device (Status 0)
 *	.poll_fd      optional (else -1): another descriptor the I/O thread
 *	.poll_events  polls for these events (a tap device, a terminal); on
 *	.poll_ready   one, poll_ready() runs on the I/O thread.  Either callback
 *	              may change poll_events (0: not now), e.g. while a receive
 *	              queue has no buffers.
 *
 * Every callback runs on the device's own I/O thread with vdev->io_lock
 * held, so a device's callbacks never race each other; the transport also
 * holds io_lock while it enables, disables or resets queues.
 *
 * A request the driver got wrong (req->err, or no room for a status):
 * complete it with the device's error status and report it with
 * virtio_guest_error(), which prints the first one per device only.
 *
 * Notifications: a QueueNotify write signals the queue's eventfd
 * (vq->kick_fd), which the I/O thread polls; with a GIC the accelerator
 * does it itself, a doorbell per queue (address vdev->mmio.base +
 * VIRTIO_MMIO_QUEUE_NOTIFY, 4 bytes, data the queue index), with no MMIO
 * exit.  Interrupts: virtio_mmio_notify_guest() sets InterruptStatus and
 * writes the device's interrupt eventfd (vdev->irq_fd), which the
 * accelerator turns into a rising edge on its SPI (edge-triggered in the
 * device tree).  virtio_mmio_connect() registers both, once the GIC exists.
 *
 * Guest memory: every descriptor is translated with guest_ram_ptr() and
 * must lie in RAM; a chain longer than the queue (loops), an indirect table
 * inside an indirect table, a zero length, a bad next index or a
 * device-readable descriptor after a device-writable one ends that request
 * with req->err set (the device then completes it with its error status,
 * e.g. VIRTIO_BLK_S_IOERR); a bad ring (avail index more than the queue
 * size ahead) sets DEVICE_NEEDS_RESET.  Nothing the guest writes makes
 * a64vm touch memory outside guest RAM.
 */
#ifndef A64VM_VIRTIO_H
#define A64VM_VIRTIO_H

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "loader.h"
#include "mmio.h"

#define VIRTQ_MAX_SIZE		256	/* QueueNumMax at most; descriptors per request too */
#define VIRTIO_MAX_QUEUES	8
#define VIRTIO_MMIO_MAX		32	/* transports, as QEMU virt */
#define VIRTIO_MMIO_VENDOR	0x76343661	/* "a64v" */

struct vm;

/* One split virtqueue (virtio 1.x, 2.7), as the device side sees it. */
struct virtq {
	/* What the driver set through the transport (while not ready). */
	uint16_t num;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	/* From virtq_enable() to virtq_disable(): the rings, checked to lie in RAM. */
	bool ready;
	bool broken;			/* virtq_pop() saw a bad avail index */
	bool event_idx, indirect;	/* negotiated ring features */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	const struct guest_ram *ram;
	uint16_t last_avail;		/* the next avail ring entry to take */
	uint16_t used_idx;		/* the next used ring entry to fill */
	uint16_t signalled_used;	/* used_idx when the guest was last considered */
	int kick_fd;			/* eventfd: the guest's QueueNotify for this queue */
};

/*
 * One request (a descriptor chain): iov[0, nr_out) are the device-readable
 * buffers, iov[nr_out, nr_out + nr_in) the device-writable ones, all inside
 * guest RAM.  err is 0, or the first reason the chain is refused (-EFAULT:
 * a buffer outside RAM; -ELOOP: more buffers than the queue size; -EINVAL:
 * anything else malformed); the iovs then hold the valid buffers: those
 * before a bad link, and around a bad buffer (left out).
 */
struct virtq_req {
	uint16_t head;			/* the used element's id */
	int err;
	unsigned int nr_out, nr_in;
	uint64_t out_len, in_len;
	struct iovec iov[VIRTQ_MAX_SIZE];
};

/* devices/virtio_queue.c */
int virtq_enable(struct virtq *vq, const struct guest_ram *ram, uint16_t num_max,
		 bool event_idx, bool indirect);
void virtq_disable(struct virtq *vq);
int virtq_pop(struct virtq *vq, struct virtq_req *req);
void virtq_push(struct virtq *vq, const struct virtq_req *req, uint32_t len);
bool virtq_needs_interrupt(struct virtq *vq);
size_t iov_slice(const struct iovec *iov, unsigned int nr, uint64_t off, uint64_t len,
		 struct iovec *out, unsigned int *nr_out);
uint64_t virtq_read_out(const struct virtq_req *req, uint64_t off, void *buf, uint64_t len);
uint64_t virtq_write_in(const struct virtq_req *req, uint64_t off, const void *buf,
			uint64_t len);

struct virtio_dev {
	/* Filled in by the device before virtio_mmio_add(). */
	const char *name;
	uint32_t id;
	uint64_t features;
	void *config;
	uint32_t config_len;
	unsigned int nr_queues;
	uint16_t queue_max;
	void (*queue_notify)(struct virtio_dev *vdev, struct virtq *vq);
	void (*reset)(struct virtio_dev *vdev);
	int poll_fd;
	short poll_events;
	void (*poll_ready)(struct virtio_dev *vdev);

	/* The transport's. */
	struct vm *vm;
	unsigned int index;		/* transport slot n */
	unsigned int spi;
	struct mmio_device mmio;
	/* Guarded by the mmio_device lock (vCPU threads). */
	uint32_t device_features_sel, driver_features_sel, queue_sel;
	/* Written under the mmio_device lock and io_lock, read under either. */
	uint32_t status;
	uint64_t driver_features;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	/* Guarded by irq_lock, a leaf lock. */
	uint32_t isr;			/* InterruptStatus */
	uint32_t config_generation;
	/* Lock order: mmio_device lock, then io_lock, then irq_lock. */
	pthread_mutex_t io_lock;
	pthread_mutex_t irq_lock;
	pthread_t thread;
	bool has_thread;
	int stop_fd;			/* eventfd: ends the I/O thread */
	int irq_fd;			/* eventfd: a write is an edge on the SPI */
	/* --stats: QueueNotify writes that came as MMIO exits, interrupts sent. */
	unsigned long notify_exits, interrupts;
	bool guest_error_reported;	/* virtio_guest_error() */
};

/* devices/virtio_mmio.c */
int virtio_mmio_add(struct vm *vm, struct virtio_dev *vdev);
int virtio_mmio_connect(struct virtio_dev *vdev);
void virtio_mmio_notify_guest(struct virtio_dev *vdev, uint32_t why);
void virtio_signal_used(struct virtio_dev *vdev, struct virtq *vq);
void virtio_config_lock(struct virtio_dev *vdev);
void virtio_config_unlock(struct virtio_dev *vdev);
void virtio_mmio_stop(struct virtio_dev *vdev);
void virtio_guest_error(struct virtio_dev *vdev, const char *what, int err);

/* The devices: each returns 0, or -1 after printing why. */
struct disk_config;
struct net_config;
int virtio_blk_init(struct vm *vm, const struct disk_config *disk);
int virtio_rng_init(struct vm *vm);
int virtio_net_init(struct vm *vm, const struct net_config *cfg);
int virtio_console_init(struct vm *vm);

#endif
