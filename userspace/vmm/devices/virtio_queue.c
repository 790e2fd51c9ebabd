// SPDX-License-Identifier: GPL-2.0-only
/*
 * Split virtqueues, the device side (virtio 1.x, section 2.7), for a guest
 * that may be hostile: the rings are checked to lie in guest RAM when the
 * driver makes a queue ready, each descriptor is read once into a local
 * copy before it is checked, and every buffer is translated with
 * guest_ram_ptr().  The guest writes its rings while a64vm reads them, so
 * the shared indices are read and written with atomics and the fences the
 * spec's memory model asks for (2.7.7, 2.7.13): the avail index before the
 * entries it covers, the used entries before the used index, the used
 * index (or avail_event) before the other side's event index.
 */
#include <errno.h>
#include <string.h>

#include "../virtio.h"

#define VQ_LOAD(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define VQ_STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* The event index words that follow each ring (VIRTIO_RING_F_EVENT_IDX). */
static uint16_t *used_event(struct virtq *vq)
{
	return (uint16_t *)&vq->avail->ring[vq->num];
}

static uint16_t *avail_event(struct virtq *vq)
{
	return (uint16_t *)&vq->used->ring[vq->num];
}

/**
 * virtq_enable() - the driver set QueueReady: check and map its rings
 * @vq: the queue, num and the three ring addresses as the driver wrote them
 * @ram: guest RAM
 * @num_max: QueueNumMax
 * @event_idx: VIRTIO_RING_F_EVENT_IDX negotiated
 * @indirect: VIRTIO_RING_F_INDIRECT_DESC negotiated
 *
 * The size must be a power of two up to @num_max and each ring aligned as
 * 2.7 asks (16, 2, 4) and entirely in RAM, event words included.
 * Return: 0, or -EINVAL (size, alignment) or -EFAULT (outside RAM); the
 * queue then stays not ready.
 */
int virtq_enable(struct virtq *vq, const struct guest_ram *ram, uint16_t num_max,
		 bool event_idx, bool indirect)
{
	uint64_t n = vq->num;

	if (!n || n > num_max || (n & (n - 1)) || vq->desc_gpa % 16 || vq->avail_gpa % 2 ||
	    vq->used_gpa % 4)
		return -EINVAL;
	vq->desc = guest_ram_ptr(ram, vq->desc_gpa, n * sizeof(struct vring_desc));
	vq->avail = guest_ram_ptr(ram, vq->avail_gpa,
				  sizeof(struct vring_avail) + n * 2 + 2);
	vq->used = guest_ram_ptr(ram, vq->used_gpa, sizeof(struct vring_used) +
				 n * sizeof(struct vring_used_elem) + 2);
	if (!vq->desc || !vq->avail || !vq->used)
		return -EFAULT;
	vq->ram = ram;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->signalled_used = 0;
	vq->broken = false;
	vq->ready = true;
	return 0;
}

/**
 * virtq_disable() - QueueReady 0, or a device reset
 * @vq: the queue
 */
void virtq_disable(struct virtq *vq)
{
	vq->ready = false;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
}

/*
 * Adds [addr, addr + len) to @req, or records why not (the first reason
 * only): a zero length, a buffer outside RAM, a device-readable buffer
 * after a device-writable one (2.7.4.2).
 */
static void add_buffer(struct virtq_req *req, const struct guest_ram *ram, uint64_t addr,
		       uint32_t len, bool writable)
{
	void *p = guest_ram_ptr(ram, addr, len);
	int err = 0;

	if (!len || (!writable && req->nr_in))
		err = -EINVAL;
	else if (!p)
		err = -EFAULT;
	if (err) {
		req->err = req->err ?: err;
		return;
	}
	req->iov[req->nr_out + req->nr_in] = (struct iovec){ .iov_base = p, .iov_len = len };
	if (writable) {
		req->nr_in++;
		req->in_len += len;
	} else {
		req->nr_out++;
		req->out_len += len;
	}
}

/*
 * Follows the chain from @head: in the descriptor table, then perhaps into
 * one indirect table (2.7.5.3).  A descriptor seen before in the same table
 * is a loop, which ends the walk there (so the buffers are those of one
 * turn, the status byte of a blk request last); at most vq->num buffers in
 * all; an indirect table at most vq->num entries, not nested, and not
 * chained to anything after it.  A bad buffer is left out and the walk goes
 * on (so that a device still finds its status byte at the end); a bad link
 * ends it.  Returns the first error, or 0.
 */
static int walk_chain(struct virtq *vq, struct virtq_req *req, uint16_t head)
{
	const struct vring_desc *table = vq->desc;
	unsigned int table_len = vq->num, count = 0;
	uint64_t seen[VIRTQ_MAX_SIZE / 64] = { 0 };
	bool in_indirect = false;
	uint32_t i = head;

	for (;;) {
		struct vring_desc d;

		if (i >= table_len)
			return req->err ?: -EINVAL;
		if (seen[i / 64] & 1ULL << (i % 64))
			return req->err ?: -ELOOP;
		seen[i / 64] |= 1ULL << (i % 64);
		d.addr = VQ_LOAD(table[i].addr);
		d.len = VQ_LOAD(table[i].len);
		d.flags = VQ_LOAD(table[i].flags);
		d.next = VQ_LOAD(table[i].next);

		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (!vq->indirect || in_indirect || (d.flags & VRING_DESC_F_NEXT) ||
			    !d.len || d.len % sizeof(struct vring_desc) ||
			    d.len / sizeof(struct vring_desc) > vq->num)
				return req->err ?: -EINVAL;
			table = guest_ram_ptr(vq->ram, d.addr, d.len);
			if (!table)
				return req->err ?: -EFAULT;
			table_len = d.len / sizeof(struct vring_desc);
			in_indirect = true;
			memset(seen, 0, sizeof(seen));
			i = 0;
			continue;
		}
		if (++count > vq->num)
			return req->err ?: -ELOOP;
		add_buffer(req, vq->ram, d.addr, d.len, d.flags & VRING_DESC_F_WRITE);
		if (!(d.flags & VRING_DESC_F_NEXT))
			return req->err;
		i = d.next;
	}
}

/**
 * virtq_pop() - take the next request the driver made available
 * @vq: a ready queue
 * @req: filled in; req->err says whether its chain is usable
 *
 * When the queue is empty with VIRTIO_RING_F_EVENT_IDX, avail_event asks
 * the driver to notify for the next entry, and the ring is looked at once
 * more (the driver may have added one before it saw avail_event).
 * Return: 1 with a request (complete it with virtq_push() even if
 * req->err), 0 if there is none, -EIO if the avail index is more than the
 * queue size ahead of the device (a broken driver: the queue stays broken,
 * vq->broken, until the driver enables it again after a reset).
 */
int virtq_pop(struct virtq *vq, struct virtq_req *req)
{
	uint16_t avail_idx;

	if (vq->broken)
		return -EIO;
	avail_idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	if (avail_idx == vq->last_avail && vq->event_idx) {
		VQ_STORE(*avail_event(vq), vq->last_avail);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		avail_idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	}
	if (avail_idx == vq->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
		vq->broken = true;
		return -EIO;
	}

	req->head = VQ_LOAD(vq->avail->ring[vq->last_avail % vq->num]);
	vq->last_avail++;
	req->nr_out = 0;
	req->nr_in = 0;
	req->out_len = 0;
	req->in_len = 0;
	req->err = 0;
	req->err = walk_chain(vq, req, req->head);
	return 1;
}

/**
 * virtq_push() - give a request back to the driver
 * @vq: the queue it came from
 * @req: the request
 * @len: the bytes the device wrote into its device-writable buffers
 */
void virtq_push(struct virtq *vq, const struct virtq_req *req, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx % vq->num];

	VQ_STORE(e->id, req->head);
	VQ_STORE(e->len, len);
	vq->used_idx++;
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
}

/**
 * virtq_needs_interrupt() - whether the driver wants to hear of the used
 * entries pushed since the last call
 * @vq: the queue
 *
 * With VIRTIO_RING_F_EVENT_IDX, if used_event lies among them (2.7.10);
 * otherwise unless the driver set VRING_AVAIL_F_NO_INTERRUPT.
 * Return: true if the device should interrupt.
 */
bool virtq_needs_interrupt(struct virtq *vq)
{
	uint16_t old = vq->signalled_used, new = vq->used_idx;

	if (old == new)
		return false;
	vq->signalled_used = new;
	/* The used index is visible before the driver's wish is read. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->event_idx)
		return vring_need_event(VQ_LOAD(*used_event(vq)), new, old);
	return !(VQ_LOAD(vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
}

/**
 * iov_slice() - the bytes [@off, @off + @len) of an iovec array, as another
 * @iov: the array
 * @nr: its entries
 * @off: where the slice starts
 * @len: its length at most
 * @out: room for @nr entries
 * @nr_out: the entries the slice took
 *
 * Return: the slice's length (less than @len if the array is shorter).
 */
size_t iov_slice(const struct iovec *iov, unsigned int nr, uint64_t off, uint64_t len,
		 struct iovec *out, unsigned int *nr_out)
{
	size_t done = 0;
	unsigned int i;

	*nr_out = 0;
	for (i = 0; i < nr && done < len; i++) {
		size_t take;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		take = iov[i].iov_len - off;
		if (take > len - done)
			take = len - done;
		out[(*nr_out)++] = (struct iovec){
			.iov_base = (char *)iov[i].iov_base + off, .iov_len = take,
		};
		done += take;
		off = 0;
	}
	return done;
}

/* Copies between @buf and bytes [@off, @off + @len) of @iov; returns the bytes copied. */
static uint64_t iov_copy(const struct iovec *iov, unsigned int nr, uint64_t off, void *buf,
			 uint64_t len, bool to_iov)
{
	struct iovec slice[VIRTQ_MAX_SIZE];
	unsigned int n, i;
	uint64_t done = iov_slice(iov, nr, off, len, slice, &n);
	char *p = buf;

	for (i = 0; i < n; i++) {
		if (to_iov)
			memcpy(slice[i].iov_base, p, slice[i].iov_len);
		else
			memcpy(p, slice[i].iov_base, slice[i].iov_len);
		p += slice[i].iov_len;
	}
	return done;
}

/**
 * virtq_read_out() - copy from a request's device-readable buffers
 * @req: the request
 * @off: from this byte of them
 * @buf: into here
 * @len: at most this many bytes
 *
 * Return: the bytes copied.
 */
uint64_t virtq_read_out(const struct virtq_req *req, uint64_t off, void *buf, uint64_t len)
{
	return iov_copy(req->iov, req->nr_out, off, buf, len, false);
}

/**
 * virtq_write_in() - copy into a request's device-writable buffers
 * @req: the request
 * @off: from this byte of them
 * @buf: from here
 * @len: at most this many bytes
 *
 * Return: the bytes copied.
 */
uint64_t virtq_write_in(const struct virtq_req *req, uint64_t off, const void *buf,
			uint64_t len)
{
	return iov_copy(req->iov + req->nr_out, req->nr_in, off, (void *)buf, len, true);
}
