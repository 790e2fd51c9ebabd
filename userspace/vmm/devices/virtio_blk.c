// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk (virtio 1.x, 5.2; -d FILE[,ro]) on a raw image: one request
 * queue, served by the device's I/O thread with preadv()/pwritev() straight
 * between the image and guest RAM.  Reads, writes, flushes (fdatasync(), so
 * a guest's sync puts its data in the host file) and GET_ID; with ",ro" the
 * device offers VIRTIO_BLK_F_RO and refuses writes.  Every request is
 * checked before the image is touched: a header in the device-readable
 * part, a status byte at the end of the device-writable part, a data length
 * a whole number of sectors and sectors inside the disk; what fails ends
 * with VIRTIO_BLK_S_IOERR (VIRTIO_BLK_S_UNSUPP for an unknown type), and a
 * chain without even a status byte is returned with nothing written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/virtio_blk.h>

#include "../virtio.h"
#include "../vmm.h"

#define BLK_QUEUE_SIZE	VIRTQ_MAX_SIZE
#define SECTOR_SHIFT	9
#define SECTOR_SIZE	(1U << SECTOR_SHIFT)

struct virtio_blk {
	struct virtio_dev vdev;
	struct virtio_blk_config config;
	const struct disk_config *disk;
	int fd;
	uint64_t sectors;
	char id[VIRTIO_BLK_ID_BYTES];
	char name[24];
	struct virtq_req req;
	struct iovec data[VIRTQ_MAX_SIZE];
};

/* Whether [@sector, + @len bytes) is whole sectors inside the disk. */
static bool in_disk(const struct virtio_blk *blk, uint64_t sector, uint64_t len)
{
	return !(len % SECTOR_SIZE) && sector <= blk->sectors &&
	       len >> SECTOR_SHIFT <= blk->sectors - sector;
}

/*
 * A read (@write false) or write of @len bytes at @sector between the
 * image and @nr buffers of @iov from byte @off.  Returns a status.
 */
static uint8_t blk_rw(struct virtio_blk *blk, const struct iovec *iov, unsigned int nr,
		      uint64_t off, uint64_t len, uint64_t sector, bool write)
{
	unsigned int n;
	ssize_t done;

	if (!in_disk(blk, sector, len))
		return VIRTIO_BLK_S_IOERR;
	if (write && blk->disk->ro)
		return VIRTIO_BLK_S_IOERR;
	if (iov_slice(iov, nr, off, len, blk->data, &n) != len)
		return VIRTIO_BLK_S_IOERR;
	if (!len)
		return VIRTIO_BLK_S_OK;
	if (write)
		done = pwritev(blk->fd, blk->data, n, sector << SECTOR_SHIFT);
	else
		done = preadv(blk->fd, blk->data, n, sector << SECTOR_SHIFT);
	return done == (ssize_t)len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
}

/* One well-formed request; *@written gets the data bytes it wrote to the guest. */
static uint8_t blk_do(struct virtio_blk *blk, const struct virtq_req *req,
		      const struct virtio_blk_outhdr *hdr, uint32_t *written)
{
	const struct iovec *in = req->iov + req->nr_out;
	uint64_t in_data = req->in_len - 1, out_data = req->out_len - sizeof(*hdr);
	uint8_t status;

	switch (hdr->type) {
	case VIRTIO_BLK_T_IN:
		status = blk_rw(blk, in, req->nr_in, 0, in_data, hdr->sector, false);
		if (status == VIRTIO_BLK_S_OK)
			*written = in_data;
		return status;
	case VIRTIO_BLK_T_OUT:
		return blk_rw(blk, req->iov, req->nr_out, sizeof(*hdr), out_data, hdr->sector,
			      true);
	case VIRTIO_BLK_T_FLUSH:
		return fdatasync(blk->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		*written = virtq_write_in(req, 0, blk->id,
					  in_data < sizeof(blk->id) ? in_data : sizeof(blk->id));
		return VIRTIO_BLK_S_OK;
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

static void blk_request(struct virtio_blk *blk, struct virtq *vq, struct virtq_req *req)
{
	struct virtio_blk_outhdr hdr;
	uint8_t status = VIRTIO_BLK_S_IOERR;
	uint32_t written = 0;

	if (!req->in_len) {	/* nowhere to put a status */
		virtio_guest_error(&blk->vdev, "request without a status byte", -EINVAL);
		virtq_push(vq, req, 0);
		return;
	}
	if (req->err)
		virtio_guest_error(&blk->vdev, "bad descriptor chain", req->err);
	else if (virtq_read_out(req, 0, &hdr, sizeof(hdr)) != sizeof(hdr))
		virtio_guest_error(&blk->vdev, "request without a header", -EINVAL);
	else
		status = blk_do(blk, req, &hdr, &written);
	virtq_write_in(req, req->in_len - 1, &status, 1);
	virtq_push(vq, req, written + 1);
}

static void blk_queue_notify(struct virtio_dev *vdev, struct virtq *vq)
{
	struct virtio_blk *blk = (struct virtio_blk *)vdev;

	while (virtq_pop(vq, &blk->req) > 0)
		blk_request(blk, vq, &blk->req);
	virtio_signal_used(vdev, vq);
}

/* The image's size in bytes: a regular file's or a block device's. */
static int disk_size(int fd, uint64_t *size)
{
	struct stat st;
	off_t end;

	if (fstat(fd, &st))
		return -1;
	if (S_ISREG(st.st_mode)) {
		*size = st.st_size;
		return 0;
	}
	if (!S_ISBLK(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	end = lseek(fd, 0, SEEK_END);
	*size = end;
	return end < 0 ? -1 : 0;
}

/**
 * virtio_blk_init() - add a virtio-blk device on @disk to @vm
 * @vm: the machine
 * @disk: the image and whether it is read-only
 *
 * Its capacity is the image's size in whole sectors (a partial last sector
 * is out of reach); its GET_ID string, the image's file name (its first 20
 * bytes).
 * Return: 0, or -1 after printing why.
 */
int virtio_blk_init(struct vm *vm, const struct disk_config *disk)
{
	struct virtio_blk *blk = calloc(1, sizeof(*blk));
	const char *base = strrchr(disk->path, '/');
	const char *id = base ? base + 1 : disk->path;
	uint64_t size;

	if (!blk) {
		fprintf(stderr, "a64vm: -d %s: out of memory\n", disk->path);
		return -1;
	}
	blk->disk = disk;
	blk->fd = open(disk->path, (disk->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (blk->fd < 0 || disk_size(blk->fd, &size)) {
		fprintf(stderr, "a64vm: -d %s: %s\n", disk->path, errno == EINVAL ?
			"not a regular file or a block device" : strerror(errno));
		if (blk->fd >= 0)
			close(blk->fd);
		free(blk);
		return -1;
	}
	blk->sectors = size >> SECTOR_SHIFT;
	memcpy(blk->id, id, strnlen(id, sizeof(blk->id)));	/* NUL-padded, or 20 bytes */
	snprintf(blk->name, sizeof(blk->name), "virtio-blk%u", vm->nr_virtio);
	blk->config.capacity = blk->sectors;
	blk->config.seg_max = BLK_QUEUE_SIZE - 2;	/* and the header and the status */
	blk->vdev = (struct virtio_dev){
		.name = blk->name, .id = VIRTIO_ID_BLOCK,
		.features = 1ULL << VIRTIO_BLK_F_FLUSH | 1ULL << VIRTIO_BLK_F_SEG_MAX |
			    (disk->ro ? 1ULL << VIRTIO_BLK_F_RO : 0),
		.config = &blk->config, .config_len = sizeof(blk->config), .nr_queues = 1,
		.queue_max = BLK_QUEUE_SIZE, .queue_notify = blk_queue_notify, .poll_fd = -1,
	};
	return virtio_mmio_add(vm, &blk->vdev);
}
