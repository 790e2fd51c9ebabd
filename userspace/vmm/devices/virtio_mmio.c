// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio-mmio transport, version 2 (virtio 1.x, section 4.2), and each
 * device's I/O thread (virtio.h describes the API devices use).
 *
 * Registers are 32-bit accesses (4.2.2.2); any other width reads as zero
 * and is ignored, except in the configuration space, which takes 1, 2 and
 * 4-byte accesses.  vCPU threads reach the registers under the device's
 * mmio_device lock; what the I/O thread also uses (the queues, the status,
 * the negotiated features) changes only with io_lock held too, which a
 * reset or a QueueReady write takes: that waits for the request the I/O
 * thread has in hand, so that no request of an old queue completes into a
 * new one.  InterruptStatus and the configuration space are under
 * irq_lock, which either side takes last and briefly.
 *
 * With a GIC, virtio_mmio_connect() hands the accelerator a doorbell per
 * queue (a QueueNotify store of that queue's index signals vq->kick_fd in
 * the kernel, with no exit to a64vm) and an interrupt eventfd (each write
 * to vdev->irq_fd is a rising edge on the device's SPI, from the I/O thread
 * without a system call into the VM): the I/O threads never need a vCPU to
 * stop.  A QueueNotify the doorbells do not match (another width) still
 * arrives here as MMIO and signals the same eventfd.
 */
#include <errno.h>
#include <libfdt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../dtb.h"
#include "../virtio.h"
#include "../vmm.h"

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
#define VIRTIO_MMIO_VERSION_2	2
/* What the transport offers for every device (the ring layout and the spec version). */
#define TRANSPORT_FEATURES	(1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_RING_F_EVENT_IDX | \
				 1ULL << VIRTIO_RING_F_INDIRECT_DESC)

static uint64_t offered(const struct virtio_dev *vdev)
{
	return vdev->features | TRANSPORT_FEATURES;
}

/**
 * virtio_guest_error() - report a driver's mistake, the first one per device
 * @vdev: the device
 * @what: what was wrong
 * @err: the -errno it came as
 *
 * The guest can repeat a mistake at will: only the first reaches stderr.
 */
void virtio_guest_error(struct virtio_dev *vdev, const char *what, int err)
{
	if (!__atomic_exchange_n(&vdev->guest_error_reported, true, __ATOMIC_RELAXED))
		fprintf(stderr, "a64vm: %s: %s: %s (the first guest error reported; more ignored)\n",
			vdev->name, what, strerror(-err));
}

/**
 * virtio_mmio_notify_guest() - interrupt the driver
 * @vdev: the device
 * @why: VIRTIO_MMIO_INT_VRING (used buffers) and/or VIRTIO_MMIO_INT_CONFIG
 *
 * Sets the bits in InterruptStatus, then writes the device's interrupt
 * eventfd: a rising edge on its SPI (the device tree calls it
 * edge-triggered, as QEMU virt does), raised by the accelerator.  The
 * driver reads InterruptStatus and acknowledges what it read; an edge that
 * comes while it handles the last one leaves the SPI pending again, so no
 * notification is lost.  Any thread.
 */
void virtio_mmio_notify_guest(struct virtio_dev *vdev, uint32_t why)
{
	pthread_mutex_lock(&vdev->irq_lock);
	vdev->isr |= why;
	pthread_mutex_unlock(&vdev->irq_lock);
	eventfd_write(vdev->irq_fd, 1);
	__atomic_add_fetch(&vdev->interrupts, 1, __ATOMIC_RELAXED);
}

/* InterruptACK, and a reset. */
static void ack_interrupt(struct virtio_dev *vdev, uint32_t bits)
{
	pthread_mutex_lock(&vdev->irq_lock);
	vdev->isr &= ~bits;
	pthread_mutex_unlock(&vdev->irq_lock);
}

/**
 * virtio_signal_used() - after pushing used buffers: interrupt the driver
 * if it asked to hear of them
 * @vdev: the device
 * @vq: the queue
 */
void virtio_signal_used(struct virtio_dev *vdev, struct virtq *vq)
{
	if (virtq_needs_interrupt(vq))
		virtio_mmio_notify_guest(vdev, VIRTIO_MMIO_INT_VRING);
}

/**
 * virtio_config_lock() - before the device changes its configuration space
 * @vdev: the device
 */
void virtio_config_lock(struct virtio_dev *vdev)
{
	pthread_mutex_lock(&vdev->irq_lock);
}

/**
 * virtio_config_unlock() - after the change: a new ConfigGeneration
 * @vdev: the device
 */
void virtio_config_unlock(struct virtio_dev *vdev)
{
	vdev->config_generation++;
	pthread_mutex_unlock(&vdev->irq_lock);
}

/* The driver broke a ring: DEVICE_NEEDS_RESET, and a configuration interrupt (2.1.2). */
static void needs_reset(struct virtio_dev *vdev)
{
	if (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	__atomic_or_fetch(&vdev->status, VIRTIO_CONFIG_S_NEEDS_RESET, __ATOMIC_RELAXED);
	virtio_guest_error(vdev, "avail index beyond the queue size: device needs a reset", -EIO);
	if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_mmio_notify_guest(vdev, VIRTIO_MMIO_INT_CONFIG);
}

/* Status 0 (4.2.2.1): the device as it was at start, under both locks. */
static void reset_device(struct virtio_dev *vdev)
{
	unsigned int q;

	pthread_mutex_lock(&vdev->io_lock);
	for (q = 0; q < vdev->nr_queues; q++) {
		struct virtq *vq = &vdev->vq[q];

		virtq_disable(vq);
		vq->num = 0;
		vq->desc_gpa = 0;
		vq->avail_gpa = 0;
		vq->used_gpa = 0;
	}
	vdev->status = 0;
	vdev->driver_features = 0;
	vdev->device_features_sel = 0;
	vdev->driver_features_sel = 0;
	vdev->queue_sel = 0;
	if (vdev->reset)
		vdev->reset(vdev);
	pthread_mutex_unlock(&vdev->io_lock);
	ack_interrupt(vdev, ~0U);
}

static void kick(struct virtq *vq)
{
	eventfd_write(vq->kick_fd, 1);
}

static void write_status(struct virtio_dev *vdev, uint32_t val)
{
	uint64_t want = vdev->driver_features;
	unsigned int q;

	if (!val) {
		reset_device(vdev);
		return;
	}
	/* FEATURES_OK only for a subset of the offer that includes VERSION_1 (legacy: none). */
	if ((val & VIRTIO_CONFIG_S_FEATURES_OK) && !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    ((want & ~offered(vdev)) || !(want & 1ULL << VIRTIO_F_VERSION_1)))
		val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	pthread_mutex_lock(&vdev->io_lock);
	val |= vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET;
	if ((val & VIRTIO_CONFIG_S_DRIVER_OK) && !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK))
		for (q = 0; q < vdev->nr_queues; q++)
			kick(&vdev->vq[q]);	/* buffers made available before DRIVER_OK */
	vdev->status = val;
	pthread_mutex_unlock(&vdev->io_lock);
}

static void write_queue_ready(struct virtio_dev *vdev, struct virtq *vq, uint32_t val)
{
	int err = 0;

	pthread_mutex_lock(&vdev->io_lock);
	if (val && !vq->ready)
		err = virtq_enable(vq, &vdev->vm->ram, vdev->queue_max,
				   vdev->driver_features & 1ULL << VIRTIO_RING_F_EVENT_IDX,
				   vdev->driver_features & 1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	else if (!val)
		virtq_disable(vq);
	pthread_mutex_unlock(&vdev->io_lock);
	if (err)
		virtio_guest_error(vdev, "QueueReady refused: a bad QueueNum, or rings misaligned "
				   "or outside RAM", err);
}

/* The 32-bit halves of a 64-bit register, selected by @sel. */
static uint32_t half(uint64_t val, uint32_t sel)
{
	return sel == 0 ? (uint32_t)val : sel == 1 ? val >> 32 : 0;
}

static void set_half(uint64_t *reg, bool high, uint32_t val)
{
	*reg = high ? (*reg & 0xffffffffULL) | (uint64_t)val << 32 :
		      (*reg & ~0xffffffffULL) | val;
}

static struct virtq *selected(struct virtio_dev *vdev)
{
	return vdev->queue_sel < vdev->nr_queues ? &vdev->vq[vdev->queue_sel] : NULL;
}

static uint64_t config_read(struct virtio_dev *vdev, uint64_t off, unsigned int len)
{
	uint64_t val = 0;

	if (len > 4 || off >= vdev->config_len || len > vdev->config_len - off)
		return 0;
	pthread_mutex_lock(&vdev->irq_lock);
	memcpy(&val, (uint8_t *)vdev->config + off, len);	/* little-endian, as the host */
	pthread_mutex_unlock(&vdev->irq_lock);
	return val;
}

static uint64_t virtio_mmio_read(struct mmio_device *dev, uint64_t off, unsigned int len)
{
	struct virtio_dev *vdev = dev->priv;
	struct virtq *vq = selected(vdev);
	uint32_t val;

	if (off >= VIRTIO_MMIO_CONFIG)
		return config_read(vdev, off - VIRTIO_MMIO_CONFIG, len);
	if (len != 4)
		return 0;
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return VIRTIO_MMIO_VERSION_2;
	case VIRTIO_MMIO_DEVICE_ID:
		return vdev->id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return half(offered(vdev), vdev->device_features_sel);
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return vq ? vdev->queue_max : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return vq ? vq->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		pthread_mutex_lock(&vdev->irq_lock);
		val = vdev->isr;
		pthread_mutex_unlock(&vdev->irq_lock);
		return val;
	case VIRTIO_MMIO_STATUS:
		return __atomic_load_n(&vdev->status, __ATOMIC_RELAXED);
	case VIRTIO_MMIO_SHM_LEN_LOW:	/* no shared memory regions: length -1 (4.2.2) */
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH:
		return 0xffffffff;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		pthread_mutex_lock(&vdev->irq_lock);
		val = vdev->config_generation;
		pthread_mutex_unlock(&vdev->irq_lock);
		return val;
	default:	/* write-only registers, and the reserved ones */
		return 0;
	}
}

/* A queue's size or ring address, while the queue is not ready (4.2.2.3). */
static void write_queue_reg(struct virtq *vq, uint64_t off, uint32_t val)
{
	if (!vq || vq->ready)
		return;
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM:
		vq->num = val > UINT16_MAX ? 0 : val;	/* virtq_enable() checks it */
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_half(&vq->desc_gpa, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		set_half(&vq->avail_gpa, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		set_half(&vq->used_gpa, off == VIRTIO_MMIO_QUEUE_USED_HIGH, val);
		break;
	}
}

static void virtio_mmio_write(struct mmio_device *dev, uint64_t off, uint64_t val,
			      unsigned int len)
{
	struct virtio_dev *vdev = dev->priv;

	if (off >= VIRTIO_MMIO_CONFIG || len != 4)
		return;		/* the configuration space is read-only here */
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		vdev->device_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		vdev->driver_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (vdev->driver_features_sel < 2 && !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
			set_half(&vdev->driver_features, vdev->driver_features_sel, val);
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		vdev->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (selected(vdev))
			write_queue_ready(vdev, selected(vdev), val & 1);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		__atomic_add_fetch(&vdev->notify_exits, 1, __ATOMIC_RELAXED);
		if (val < vdev->nr_queues)
			kick(&vdev->vq[val]);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		ack_interrupt(vdev, val);
		break;
	case VIRTIO_MMIO_STATUS:
		write_status(vdev, val);
		break;
	default:
		write_queue_reg(selected(vdev), off, val);
		break;
	}
}

/* As QEMU virt's nodes: virtio_mmio@<base>, an edge-triggered SPI, dma-coherent. */
static int virtio_mmio_fdt_node(struct mmio_device *dev, void *fdt)
{
	struct virtio_dev *vdev = dev->priv;
	const fdt64_t reg[] = { cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size) };
	char name[32];
	int node, err;

	snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)dev->base);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	err = fdt_setprop_string(fdt, node, "compatible", "virtio,mmio");
	err = err ?: fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
	err = err ?: fdt_setprop_spi(fdt, node, vdev->spi, true);
	return err ?: fdt_setprop_empty(fdt, node, "dma-coherent");
}

/* One queue's doorbell rang: drain it if the driver has it running. */
static void service_queue(struct virtio_dev *vdev, struct virtq *vq)
{
	eventfd_t n;

	if (eventfd_read(vq->kick_fd, &n))
		return;
	if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) || !vq->ready || vq->broken)
		return;
	vdev->queue_notify(vdev, vq);
	if (vq->broken)
		needs_reset(vdev);
}

/* The device's I/O thread: waits for doorbells (and the device's own descriptor). */
static void *io_thread(void *arg)
{
	struct virtio_dev *vdev = arg;
	struct pollfd pfd[VIRTIO_MAX_QUEUES + 2];
	unsigned int q, n;

	for (;;) {
		pfd[0] = (struct pollfd){ .fd = vdev->stop_fd, .events = POLLIN };
		for (q = 0; q < vdev->nr_queues; q++)
			pfd[1 + q] = (struct pollfd){ .fd = vdev->vq[q].kick_fd, .events = POLLIN };
		n = 1 + vdev->nr_queues;
		if (vdev->poll_fd >= 0 && vdev->poll_events)
			pfd[n++] = (struct pollfd){ .fd = vdev->poll_fd,
						    .events = vdev->poll_events };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "a64vm: %s: I/O thread: poll: %s\n", vdev->name,
				strerror(errno));
			vm_stop(vdev->vm, EXIT_VMM_ERROR);
			return NULL;
		}
		if (pfd[0].revents)
			return NULL;
		pthread_mutex_lock(&vdev->io_lock);
		for (q = 0; q < vdev->nr_queues; q++)
			if (pfd[1 + q].revents)
				service_queue(vdev, &vdev->vq[q]);
		if (n > 1 + vdev->nr_queues && pfd[n - 1].revents)
			vdev->poll_ready(vdev);
		pthread_mutex_unlock(&vdev->io_lock);
	}
}

static int start_io_thread(struct virtio_dev *vdev)
{
	sigset_t all, old;
	char name[16];
	int err;

	sigfillset(&all);	/* no signal for this thread: a vCPU kick is not for it */
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&vdev->thread, NULL, io_thread, vdev);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		fprintf(stderr, "a64vm: %s: cannot start its I/O thread: %s\n", vdev->name,
			strerror(err));
		return -1;
	}
	snprintf(name, sizeof(name), "io-%s", vdev->name);
	pthread_setname_np(vdev->thread, name);
	vdev->has_thread = true;
	return 0;
}

/**
 * virtio_mmio_add() - put a device on the next virtio-mmio transport and
 * start its I/O thread
 * @vm: the machine (before its vCPUs start)
 * @vdev: the device, its first part filled in (virtio.h)
 *
 * Transport n (the number of devices added before) is at
 * VIRT_VIRTIO_MMIO_BASE + n * VIRT_VIRTIO_MMIO_SIZE with SPI
 * VIRT_VIRTIO_MMIO_SPI + n.  No thread with --dump-dtb.
 * Return: 0, or -1 after printing why.
 */
int virtio_mmio_add(struct vm *vm, struct virtio_dev *vdev)
{
	unsigned int q, n = vm->nr_virtio;
	int err;

	if (n == VIRTIO_MMIO_MAX || !vdev->nr_queues || vdev->nr_queues > VIRTIO_MAX_QUEUES ||
	    !vdev->queue_max || vdev->queue_max > VIRTQ_MAX_SIZE ||
	    (vdev->queue_max & (vdev->queue_max - 1))) {
		fprintf(stderr, "a64vm: %s: %s\n", vdev->name, n == VIRTIO_MMIO_MAX ?
			"no virtio-mmio transport left (at most 32 devices)" :
			"bad queue count or size");
		return -1;
	}
	vdev->vm = vm;
	vdev->index = n;
	vdev->spi = VIRT_VIRTIO_MMIO_SPI + n;
	vdev->mmio = (struct mmio_device){
		.name = vdev->name, .base = VIRT_VIRTIO_MMIO_BASE + n * VIRT_VIRTIO_MMIO_SIZE,
		.size = VIRT_VIRTIO_MMIO_SIZE, .read = virtio_mmio_read,
		.write = virtio_mmio_write, .fdt_node = virtio_mmio_fdt_node, .priv = vdev,
	};
	pthread_mutex_init(&vdev->io_lock, NULL);
	pthread_mutex_init(&vdev->irq_lock, NULL);
	vdev->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vdev->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	for (q = 0; q < vdev->nr_queues; q++)
		vdev->vq[q].kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	for (q = 0; q < vdev->nr_queues && vdev->stop_fd >= 0 && vdev->irq_fd >= 0; q++)
		if (vdev->vq[q].kick_fd < 0)
			break;
	if (vdev->stop_fd < 0 || vdev->irq_fd < 0 || q < vdev->nr_queues) {
		fprintf(stderr, "a64vm: %s: eventfd: %s\n", vdev->name, strerror(errno));
		return -1;
	}
	err = mmio_bus_add(&vm->bus, &vdev->mmio);
	if (err) {
		fprintf(stderr, "a64vm: %s: cannot add it to the MMIO bus: %s\n", vdev->name,
			strerror(-err));
		return -1;
	}
	vm->virtio[vm->nr_virtio++] = vdev;
	return vm->cfg->dtb_out ? 0 : start_io_thread(vdev);
}

/**
 * virtio_mmio_connect() - give the accelerator a device's doorbells and
 * interrupt eventfd
 * @vdev: a device virtio_mmio_add() took, on a machine with a GIC whose
 *        vCPUs have not started
 *
 * Return: 0, or -1 after printing why.
 */
int virtio_mmio_connect(struct virtio_dev *vdev)
{
	const struct accel_ops *accel = vdev->vm->accel;
	unsigned int q;
	int ret;

	ret = accel->irq_eventfd(vdev->vm, vdev->spi, vdev->irq_fd);
	for (q = 0; q < vdev->nr_queues && !ret; q++)
		ret = accel->doorbell(vdev->vm, vdev->mmio.base + VIRTIO_MMIO_QUEUE_NOTIFY, 4, q,
				      vdev->vq[q].kick_fd);
	if (ret)
		fprintf(stderr, "a64vm: %s: %s: %s\n", vdev->name,
			q ? "cannot register its QueueNotify doorbells" :
			"cannot bind its interrupt eventfd", strerror(-ret));
	return ret ? -1 : 0;
}

/**
 * virtio_mmio_stop() - end a device's I/O thread (the vCPUs have stopped)
 * @vdev: a device virtio_mmio_add() took
 */
void virtio_mmio_stop(struct virtio_dev *vdev)
{
	if (vdev->has_thread) {
		eventfd_write(vdev->stop_fd, 1);
		pthread_join(vdev->thread, NULL);
		vdev->has_thread = false;
	}
}
