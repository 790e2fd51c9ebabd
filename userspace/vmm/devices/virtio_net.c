// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net (virtio 1.x, 5.1; -n/--network tap=NAME[,mac=MAC]) on a tap
 * device: queue 0 receives, queue 1 transmits, no offloads.  The tap is
 * opened with IFF_VNET_HDR and a 12-byte header, the size of the virtio 1.x
 * struct virtio_net_hdr_v1, so that a frame goes between the guest's
 * buffers and the tap with its header as it is: transmitted with one
 * writev() of the guest's buffers, received with one read() into a frame
 * buffer and copied into the next receive buffer, num_buffers set to 1.
 *
 * Both queues run on the device's I/O thread: it polls the tap for
 * frames while the driver is up and the receive queue has buffers; when it
 * has none, the frame in hand waits (the tap queues the next ones, and
 * drops beyond its length, as a NIC without buffers does) and polling
 * stops until the driver adds buffers and notifies the receive queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include "../config.h"
#include "../virtio.h"
#include "../vmm.h"

#define NET_QUEUE_SIZE	256
#define NET_RX		0
#define NET_TX		1
#define NET_HDR_LEN	sizeof(struct virtio_net_hdr_v1)
#define NET_FRAME_MAX	(NET_HDR_LEN + 65536)	/* the largest a tap hands over */

struct virtio_net {
	struct virtio_dev vdev;
	struct virtio_net_config config;
	int tap;
	size_t pending;			/* bytes of frame[] not yet given to the guest */
	uint8_t frame[NET_FRAME_MAX];
	struct virtq_req req;
};

/* The frame in hand into the next receive buffer; false if there is none. */
static bool net_deliver(struct virtio_net *net, struct virtq *vq)
{
	struct virtio_net_hdr_v1 *hdr = (struct virtio_net_hdr_v1 *)net->frame;
	struct virtq_req *req = &net->req;

	while (virtq_pop(vq, req) > 0) {
		if (req->err || req->nr_out || req->in_len < NET_HDR_LEN) {
			virtio_guest_error(&net->vdev, "bad receive buffer", req->err ?: -EINVAL);
			virtq_push(vq, req, 0);
			continue;
		}
		hdr->num_buffers = 1;	/* little-endian, as the host */
		/* A frame larger than the buffer is cut short, as a NIC would. */
		virtq_push(vq, req, virtq_write_in(req, 0, net->frame, net->pending));
		net->pending = 0;
		return true;
	}
	return false;
}

/* Frames from the tap into the receive queue, while it has buffers. */
static void net_receive(struct virtio_net *net)
{
	struct virtq *vq = &net->vdev.vq[NET_RX];
	bool used = false;
	ssize_t n;

	for (;;) {
		if (!net->pending) {
			n = read(net->tap, net->frame, sizeof(net->frame));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= (ssize_t)NET_HDR_LEN)	/* EAGAIN: no more for now */
				break;
			net->pending = n;
		}
		if (!net_deliver(net, vq)) {
			net->vdev.poll_events = 0;	/* until the driver adds buffers */
			break;
		}
		used = true;
	}
	if (used)
		virtio_signal_used(&net->vdev, vq);
}

static void net_transmit(struct virtio_net *net, struct virtq *vq)
{
	struct virtq_req *req = &net->req;

	while (virtq_pop(vq, req) > 0) {
		if (req->err || req->nr_in || req->out_len <= NET_HDR_LEN)
			virtio_guest_error(&net->vdev, "bad transmit buffer", req->err ?: -EINVAL);
		else if (writev(net->tap, req->iov, req->nr_out) < 0 && errno != EAGAIN)
			virtio_guest_error(&net->vdev, "tap write", -errno);
		virtq_push(vq, req, 0);
	}
	virtio_signal_used(&net->vdev, vq);
}

static void net_queue_notify(struct virtio_dev *vdev, struct virtq *vq)
{
	struct virtio_net *net = (struct virtio_net *)vdev;

	if (vq == &vdev->vq[NET_TX]) {
		net_transmit(net, vq);
		return;
	}
	/* New receive buffers (or DRIVER_OK): the tap again. */
	vdev->poll_events = POLLIN;
	net_receive(net);
}

static void net_poll_ready(struct virtio_dev *vdev)
{
	struct virtio_net *net = (struct virtio_net *)vdev;

	if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) || !vdev->vq[NET_RX].ready) {
		vdev->poll_events = 0;	/* the driver's DRIVER_OK brings it back */
		return;
	}
	net_receive(net);
}

static void net_reset(struct virtio_dev *vdev)
{
	struct virtio_net *net = (struct virtio_net *)vdev;

	net->pending = 0;
	vdev->poll_events = 0;
}

/* The tap device @name, created if it does not exist. */
static int open_tap(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr_len = NET_HDR_LEN;
	int fd;

	if (strlen(name) >= IFNAMSIZ) {
		fprintf(stderr, "a64vm: virtio-net: tap name '%s' is too long\n", name);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "a64vm: virtio-net: /dev/net/tun: %s\n", strerror(errno));
		return -1;
	}
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETVNETHDRSZ, &hdr_len)) {
		fprintf(stderr, "a64vm: virtio-net: tap %s: %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * virtio_net_init() - add a virtio-net device on a tap to @vm
 * @vm: the machine
 * @cfg: the tap's name and the guest's MAC address
 *
 * Return: 0, or -1 after printing why.
 */
int virtio_net_init(struct vm *vm, const struct net_config *cfg)
{
	static struct virtio_net net;

	net.tap = -1;
	if (!vm->cfg->dtb_out) {
		net.tap = open_tap(cfg->tap);
		if (net.tap < 0)
			return -1;
	}
	memcpy(net.config.mac, cfg->mac, sizeof(net.config.mac));
	net.vdev = (struct virtio_dev){
		.name = "virtio-net", .id = VIRTIO_ID_NET,
		.features = 1ULL << VIRTIO_NET_F_MAC,
		.config = &net.config, .config_len = sizeof(net.config),
		.nr_queues = 2, .queue_max = NET_QUEUE_SIZE,
		.queue_notify = net_queue_notify, .reset = net_reset,
		.poll_fd = net.tap, .poll_ready = net_poll_ready,
	};
	return virtio_mmio_add(vm, &net.vdev);
}
