// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-rng (virtio 1.x, 5.4; --rng): one queue of device-writable
 * buffers, each filled from the host's getrandom().  A request with a
 * device-readable buffer, or a malformed chain, is completed with nothing
 * written.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "../virtio.h"
#include "../vmm.h"

#define RNG_QUEUE_SIZE	64

struct virtio_rng {
	struct virtio_dev vdev;
	struct virtq_req req;
};

/* Fills @req's writable buffers; returns the bytes written. */
static uint32_t rng_fill(const struct virtq_req *req)
{
	uint32_t done = 0;
	unsigned int i;

	for (i = req->nr_out; i < req->nr_out + req->nr_in; i++) {
		ssize_t n = getrandom(req->iov[i].iov_base, req->iov[i].iov_len, 0);

		if (n < 0)
			break;
		done += n;
		if ((size_t)n < req->iov[i].iov_len)
			break;
	}
	return done;
}

static void rng_queue_notify(struct virtio_dev *vdev, struct virtq *vq)
{
	struct virtio_rng *rng = (struct virtio_rng *)vdev;
	struct virtq_req *req = &rng->req;

	while (virtq_pop(vq, req) > 0) {
		if (req->err || req->nr_out) {
			virtio_guest_error(vdev, "bad request", req->err ?: -EINVAL);
			virtq_push(vq, req, 0);
			continue;
		}
		virtq_push(vq, req, rng_fill(req));
	}
	virtio_signal_used(vdev, vq);
}

/**
 * virtio_rng_init() - add a virtio-rng device to @vm
 * @vm: the machine
 *
 * Return: 0, or -1 after printing why.
 */
int virtio_rng_init(struct vm *vm)
{
	static struct virtio_rng rng;

	rng = (struct virtio_rng){
		.vdev = {
			.name = "virtio-rng", .id = VIRTIO_ID_RNG, .nr_queues = 1,
			.queue_max = RNG_QUEUE_SIZE, .queue_notify = rng_queue_notify,
			.poll_fd = -1,
		},
	};
	return virtio_mmio_add(vm, &rng.vdev);
}
