// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-console (virtio 1.x, 5.3; --console virtio): one port, no
 * features, a64vm's terminal as Linux's hvc0 (the guest wants console=hvc0;
 * the PL011 is then silent, pl011.c).  Queue 0 receives, queue 1 transmits.
 *
 * Output: the transmit queue's buffers to stdout, on the device's I/O
 * thread.  Input: console_start()'s thread (stdin blocks; the
 * Ctrl-A escape) puts bytes in a small buffer and signals an eventfd that
 * the I/O thread polls; the I/O thread moves them into the receive queue's
 * buffers while it has some, and otherwise keeps them until the driver adds
 * buffers (a full buffer makes the input thread wait, as the PL011's FIFO).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../virtio.h"
#include "../vmm.h"

#define CON_QUEUE_SIZE	64
#define CON_RX		0
#define CON_TX		1
#define CON_IN_BUF	256
#define CON_FULL_POLL_US 1000	/* how often stdin looks for room */

struct virtio_console {
	struct virtio_dev vdev;
	int in_fd;			/* eventfd: input arrived */
	pthread_mutex_t in_lock;	/* a leaf lock: in[] */
	char in[CON_IN_BUF];
	unsigned int in_head, in_count;
	struct virtq_req req;
};

/* A byte from stdin (the input thread). */
static bool con_put(void *arg, char c)
{
	struct virtio_console *con = arg;

	pthread_mutex_lock(&con->in_lock);
	while (con->in_count == CON_IN_BUF) {
		pthread_mutex_unlock(&con->in_lock);
		if (__atomic_load_n(&con->vdev.vm->stopping, __ATOMIC_ACQUIRE))
			return false;
		usleep(CON_FULL_POLL_US);
		pthread_mutex_lock(&con->in_lock);
	}
	con->in[(con->in_head + con->in_count++) % CON_IN_BUF] = c;
	pthread_mutex_unlock(&con->in_lock);
	eventfd_write(con->in_fd, 1);
	return true;
}

/* What input there is into the receive queue's buffers (I/O thread). */
static void con_receive(struct virtio_console *con)
{
	struct virtq *vq = &con->vdev.vq[CON_RX];
	struct virtq_req *req = &con->req;
	bool used = false;
	uint64_t len;

	if (!(con->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) || !vq->ready)
		return;		/* kept for the driver's DRIVER_OK */
	pthread_mutex_lock(&con->in_lock);
	while (con->in_count && virtq_pop(vq, req) > 0) {
		if (req->err || req->nr_out) {
			virtio_guest_error(&con->vdev, "bad receive buffer", req->err ?: -EINVAL);
			virtq_push(vq, req, 0);
			continue;
		}
		/* The bytes up to the end of in[], then (next buffer) the rest. */
		len = con->in_count;
		if (con->in_head + len > CON_IN_BUF)
			len = CON_IN_BUF - con->in_head;
		len = virtq_write_in(req, 0, con->in + con->in_head, len);
		virtq_push(vq, req, len);
		con->in_head = (con->in_head + len) % CON_IN_BUF;
		con->in_count -= len;
		used = true;
	}
	pthread_mutex_unlock(&con->in_lock);
	if (used)
		virtio_signal_used(&con->vdev, vq);
}

static void con_transmit(struct virtio_console *con, struct virtq *vq)
{
	struct virtq_req *req = &con->req;
	unsigned int i;

	while (virtq_pop(vq, req) > 0) {
		if (req->err || req->nr_in)
			virtio_guest_error(&con->vdev, "bad transmit buffer", req->err ?: -EINVAL);
		for (i = 0; i < req->nr_out; i++)	/* stdout gone: the guest cannot tell */
			if (write(STDOUT_FILENO, req->iov[i].iov_base, req->iov[i].iov_len) < 0)
				break;
		virtq_push(vq, req, 0);
	}
	virtio_signal_used(&con->vdev, vq);
}

static void con_queue_notify(struct virtio_dev *vdev, struct virtq *vq)
{
	struct virtio_console *con = (struct virtio_console *)vdev;

	if (vq == &vdev->vq[CON_TX])
		con_transmit(con, vq);
	else
		con_receive(con);
}

static void con_poll_ready(struct virtio_dev *vdev)
{
	struct virtio_console *con = (struct virtio_console *)vdev;
	eventfd_t n;

	eventfd_read(con->in_fd, &n);
	con_receive(con);
}

/**
 * virtio_console_init() - add a virtio-console device, the guest's console
 * on a64vm's terminal, to @vm
 * @vm: the machine
 *
 * Return: 0, or -1 after printing why.
 */
int virtio_console_init(struct vm *vm)
{
	static struct virtio_console con;

	con = (struct virtio_console){
		.vdev = {
			.name = "virtio-console", .id = VIRTIO_ID_CONSOLE, .nr_queues = 2,
			.queue_max = CON_QUEUE_SIZE, .queue_notify = con_queue_notify,
			.poll_events = POLLIN, .poll_ready = con_poll_ready,
		},
	};
	pthread_mutex_init(&con.in_lock, NULL);
	con.in_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con.in_fd < 0) {
		fprintf(stderr, "a64vm: virtio-console: eventfd: %s\n", strerror(errno));
		return -1;
	}
	con.vdev.poll_fd = con.in_fd;
	if (virtio_mmio_add(vm, &con.vdev))
		return -1;
	return vm->cfg->dtb_out ? 0 : console_start(vm, con_put, &con);
}
