// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting images into guest RAM (loader.h).  Every size and offset read from
 * a file is checked against the buffer and against RAM before it is used,
 * with comparisons that cannot overflow (off > len || sz > len - off).
 */
#include <elf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "loader.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the loaders read little-endian headers with memcpy: a little-endian host only"
#endif

#define SZ_1M			UINT64_C(0x100000)
#define SZ_2M			UINT64_C(0x200000)
#define PAGE_SIZE_4K		UINT64_C(0x1000)

#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */
#define ARM64_IMAGE_FLAG_BE	(1ULL << 0)
#define ARM64_IMAGE_LEGACY_TEXT_OFFSET	0x80000ULL

/* Documentation/arm64/booting.rst, "Call the kernel image" */
struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

_Static_assert(sizeof(struct arm64_image_header) == 64, "arm64 Image header");

#define loader_err(err, ...)	snprintf(err, LOADER_ERR_LEN, __VA_ARGS__)

/* The end of [gpa, gpa + size), or UINT64_MAX if that does not fit in 64 bits. */
static uint64_t region_end(uint64_t gpa, uint64_t size)
{
	return size > UINT64_MAX - gpa ? UINT64_MAX : gpa + size;
}

static void *ram_host(const struct guest_ram *ram, uint64_t gpa)
{
	return ram->host + (gpa - ram->gpa);
}

/* Copies @len bytes to guest RAM; the guest fetches them through its own mapping. */
static void ram_copy(const struct guest_ram *ram, uint64_t gpa, const void *buf, size_t len)
{
	char *dst = ram_host(ram, gpa);

	memcpy(dst, buf, len);
	__builtin___clear_cache(dst, dst + len);
}

/**
 * load_map_add() - reserve a guest-physical range for one image
 * @map: what is loaded so far
 * @ram: the guest's RAM
 * @gpa: start of the range
 * @size: its length in bytes
 * @what: its name in messages; must outlive @map
 * @err: LOADER_ERR_LEN bytes for the message
 *
 * Return: 0, or -1 if the range is empty, not inside RAM, overlaps an
 * earlier one, or the map is full.
 */
int load_map_add(struct load_map *map, const struct guest_ram *ram, uint64_t gpa,
		 uint64_t size, const char *what, char *err)
{
	uint64_t end = region_end(gpa, size);
	uint64_t ram_end = region_end(ram->gpa, ram->size);
	unsigned int i;

	if (!size) {
		loader_err(err, "%s at 0x%" PRIx64 " is empty", what, gpa);
		return -1;
	}
	if (gpa < ram->gpa || size > UINT64_MAX - gpa || end > ram_end) {
		loader_err(err, "%s [0x%" PRIx64 ", 0x%" PRIx64 ") is outside RAM [0x%" PRIx64
			   ", 0x%" PRIx64 ")", what, gpa, end, ram->gpa, ram_end);
		return -1;
	}
	for (i = 0; i < map->nr; i++) {
		uint64_t rgpa = map->region[i].gpa;
		uint64_t rend = rgpa + map->region[i].size;	/* checked when added */

		if (gpa < rend && rgpa < end) {
			loader_err(err, "%s [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s [0x%" PRIx64
				   ", 0x%" PRIx64 ")", what, gpa, end, map->region[i].what,
				   rgpa, rend);
			return -1;
		}
	}
	if (map->nr >= LOAD_MAP_MAX) {
		loader_err(err, "cannot load %s: more than %d regions", what, LOAD_MAP_MAX);
		return -1;
	}
	map->region[map->nr].gpa = gpa;
	map->region[map->nr].size = size;
	map->region[map->nr].what = what;
	map->nr++;
	return 0;
}

/**
 * arm64_image_parse() - decode and check an arm64 Linux Image header
 * @buf: the file's contents
 * @len: its length
 * @img: the decoded header
 * @err: LOADER_ERR_LEN bytes for the message
 *
 * An image_size of 0 is a kernel older than 3.17: text_offset is then
 * 0x80000 and the file's length stands for image_size (booting.rst).
 *
 * Return: 0, or -1 for a short buffer, a bad magic, a big-endian Image or a
 * file longer than its header says.
 */
int arm64_image_parse(const void *buf, size_t len, struct arm64_image *img, char *err)
{
	struct arm64_image_header h;

	if (len < sizeof(h)) {
		loader_err(err, "truncated Image: %zu bytes, header needs %zu", len, sizeof(h));
		return -1;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != ARM64_IMAGE_MAGIC) {
		loader_err(err, "not an arm64 Image (bad magic 0x%08x); "
			   "use --bare for a raw binary or ELF", h.magic);
		return -1;
	}
	img->big_endian = h.flags & ARM64_IMAGE_FLAG_BE;
	if (img->big_endian) {
		loader_err(err, "big-endian Image not supported");
		return -1;
	}
	if (!h.image_size) {
		img->text_offset = ARM64_IMAGE_LEGACY_TEXT_OFFSET;
		img->image_size = len;
		return 0;
	}
	if (len > h.image_size) {
		loader_err(err, "Image header says %" PRIu64 " bytes but the file has %zu",
			   (uint64_t)h.image_size, len);
		return -1;
	}
	img->text_offset = h.text_offset;
	img->image_size = h.image_size;
	return 0;
}

/**
 * load_arm64_image() - load a Linux Image at RAM's 2 MiB aligned base + text_offset
 * @ram: the guest's RAM
 * @map: the load map; the Image's image_size is reserved as "kernel"
 * @buf: the file's contents
 * @len: its length
 * @entry: the load address, where the kernel is entered
 * @err: LOADER_ERR_LEN bytes for the message
 *
 * Return: 0, or -1 with a message.
 */
int load_arm64_image(const struct guest_ram *ram, struct load_map *map, const void *buf,
		     size_t len, uint64_t *entry, char *err)
{
	uint64_t base = (ram->gpa + SZ_2M - 1) & ~(SZ_2M - 1);
	uint64_t room = base - ram->gpa < ram->size ? ram->size - (base - ram->gpa) : 0;
	struct arm64_image img;
	uint64_t load;

	if (arm64_image_parse(buf, len, &img, err))
		return -1;
	if (img.text_offset > room || img.image_size > room - img.text_offset) {
		loader_err(err, "kernel (%" PRIu64 " MiB) does not fit in %" PRIu64 " MiB of RAM",
			   (region_end(img.text_offset, img.image_size) + SZ_1M - 1) / SZ_1M,
			   ram->size / SZ_1M);
		return -1;
	}
	load = base + img.text_offset;
	if (load_map_add(map, ram, load, img.image_size, "kernel", err))
		return -1;
	ram_copy(ram, load, buf, len);
	*entry = load;
	return 0;
}

/**
 * is_elf() - whether a buffer starts with the ELF magic
 * @buf: the file's contents
 * @len: its length
 *
 * Return: true for "\x7fELF", whatever the class or machine.
 */
bool is_elf(const void *buf, size_t len)
{
	return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

/**
 * is_gzip() - whether a buffer starts with the gzip magic
 * @buf: the file's contents
 * @len: its length
 *
 * Return: true for 1f 8b, what an Image.gz starts with.
 */
bool is_gzip(const void *buf, size_t len)
{
	return len >= 2 && !memcmp(buf, "\x1f\x8b", 2);
}

/* A first size for the output: the trailer's ISIZE (the size mod 2^32) if plausible. */
static size_t gunzip_guess(const uint8_t *buf, size_t len, size_t max)
{
	uint32_t isize = 0;
	size_t guess;

	if (len >= 18)		/* the smallest gzip member */
		memcpy(&isize, buf + len - 4, 4);
	guess = isize >= len ? isize : 4 * len;
	if (guess < 0x10000)
		guess = 0x10000;
	return guess > max ? max + 1 : guess + 1;	/* + 1: room to see the end */
}

/**
 * gunzip() - inflate gzip data (one member, or several back to back) with zlib
 * @buf: the file's contents
 * @len: its length
 * @max: the most bytes it may inflate to; more is refused, not inflated
 * @out: a new buffer with the inflated bytes, for the caller to free()
 * @out_len: their number
 * @err: LOADER_ERR_LEN bytes for the message
 *
 * Bytes after the last member that do not start another one are ignored,
 * as gzip ignores them.
 *
 * Return: 0, or -1 for data that is not gzip, corrupt (a bad header, block
 * or CRC) or truncated, that inflates to more than @max bytes, or no memory.
 */
int gunzip(const void *buf, size_t len, size_t max, void **out, size_t *out_len, char *err)
{
	z_stream zs = { .next_in = (Bytef *)buf, .avail_in = len };
	size_t cap = 0, done = 0;
	uint8_t *dst = NULL, *grown;
	int z;

	if (!is_gzip(buf, len)) {
		loader_err(err, "not gzip data (bad magic)");
		return -1;
	}
	if (len > UINT_MAX) {		/* zlib's avail_in */
		loader_err(err, "gzip file too large (%zu bytes)", len);
		return -1;
	}
	if (max > SIZE_MAX / 4)		/* max + 1 and 2 * cap below cannot wrap */
		max = SIZE_MAX / 4;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {	/* 16: gzip, not zlib, framing */
		loader_err(err, "cannot inflate: %s", zs.msg ? zs.msg : "out of memory");
		return -1;
	}
	for (;;) {
		if (done == cap) {
			if (cap > max)
				goto too_large;
			if (!cap)
				cap = gunzip_guess(buf, len, max);
			else
				cap = cap > max / 2 ? max + 1 : 2 * cap;
			grown = realloc(dst, cap);
			if (!grown) {
				loader_err(err, "cannot inflate: no memory for %zu MiB", cap >> 20);
				goto fail;
			}
			dst = grown;
		}
		zs.next_out = dst + done;
		zs.avail_out = cap - done > UINT_MAX ? UINT_MAX : cap - done;
		z = inflate(&zs, Z_NO_FLUSH);
		done = zs.next_out - dst;
		if (z == Z_STREAM_END) {
			if (!is_gzip(zs.next_in, zs.avail_in))
				break;
			inflateReset(&zs);	/* another member follows */
		} else if (z == Z_BUF_ERROR && zs.avail_out) {	/* room, but no input left */
			loader_err(err, "truncated gzip data: the file ends (%zu bytes) before the "
				   "stream does (%zu bytes inflated)", len, done);
			goto fail;
		} else if (z != Z_OK && z != Z_BUF_ERROR) {
			loader_err(err, "corrupt gzip data: %s", zs.msg ? zs.msg :
				   z == Z_MEM_ERROR ? "out of memory" : "zlib error");
			goto fail;
		}
	}
	if (done > max)
		goto too_large;
	inflateEnd(&zs);
	*out = dst;
	*out_len = done;
	return 0;
too_large:
	if (max % SZ_1M)
		loader_err(err, "gzip data inflates to more than %zu bytes, the most a64vm would load",
			   max);
	else
		loader_err(err, "gzip data inflates to more than %zu MiB, the most a64vm would load",
			   (size_t)(max / SZ_1M));
fail:
	inflateEnd(&zs);
	free(dst);
	return -1;
}

static int elf_check_header(const Elf64_Ehdr *eh, size_t len, char *err)
{
	if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
		loader_err(err, "not a 64-bit ELF (EI_CLASS %u)", eh->e_ident[EI_CLASS]);
		return -1;
	}
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		loader_err(err, "big-endian ELF not supported");
		return -1;
	}
	if (eh->e_machine != EM_AARCH64) {
		loader_err(err, "ELF machine %u is not AArch64 (%u)", eh->e_machine, EM_AARCH64);
		return -1;
	}
	if (eh->e_type != ET_EXEC) {
		loader_err(err, "ELF type %u is not an executable (ET_EXEC)", eh->e_type);
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr)) {
		loader_err(err, "ELF program header size %u, expected %zu", eh->e_phentsize,
			   sizeof(Elf64_Phdr));
		return -1;
	}
	if (!eh->e_phnum) {
		loader_err(err, "ELF has no program headers");
		return -1;
	}
	if (eh->e_phoff > len || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff) {
		loader_err(err, "truncated ELF: %u program headers at 0x%" PRIx64
			   " past the end of the file (%zu bytes)", eh->e_phnum,
			   (uint64_t)eh->e_phoff, len);
		return -1;
	}
	return 0;
}

/* Checks one PT_LOAD against the file and reserves it; the copy comes after all pass. */
static int elf_check_segment(const struct guest_ram *ram, struct load_map *map,
			     const Elf64_Phdr *ph, unsigned int i, size_t len, char *err)
{
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset) {
		loader_err(err, "truncated ELF: segment %u [0x%" PRIx64 ", +0x%" PRIx64
			   ") past the end of the file (%zu bytes)", i, (uint64_t)ph->p_offset,
			   (uint64_t)ph->p_filesz, len);
		return -1;
	}
	if (ph->p_filesz > ph->p_memsz) {
		loader_err(err, "ELF segment %u: p_filesz 0x%" PRIx64 " > p_memsz 0x%" PRIx64,
			   i, (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
		return -1;
	}
	return load_map_add(map, ram, ph->p_paddr, ph->p_memsz, "kernel", err);
}

/**
 * load_elf() - load the PT_LOAD segments of an ELF64 AArch64 executable
 * @ram: the guest's RAM
 * @map: the load map; each segment is reserved as "kernel"
 * @buf: the file's contents
 * @len: its length
 * @entry: e_entry
 * @err: LOADER_ERR_LEN bytes for the message
 *
 * Segments go to their p_paddr; p_memsz beyond p_filesz is zeroed.  Every
 * segment is checked before any is copied.
 *
 * Return: 0, or -1 with a message.
 */
int load_elf(const struct guest_ram *ram, struct load_map *map, const void *buf, size_t len,
	     uint64_t *entry, char *err)
{
	const uint8_t *file = buf;
	bool entry_loaded = false;
	unsigned int i, nr_load = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (len < sizeof(eh)) {
		loader_err(err, "truncated ELF: %zu bytes, header needs %zu", len, sizeof(eh));
		return -1;
	}
	if (!is_elf(buf, len)) {
		loader_err(err, "not an ELF file (bad magic)");
		return -1;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (elf_check_header(&eh, len, err))
		return -1;

	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, file + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (elf_check_segment(ram, map, &ph, i, len, err))
			return -1;
		if (eh.e_entry >= ph.p_paddr && eh.e_entry - ph.p_paddr < ph.p_memsz)
			entry_loaded = true;
		nr_load++;
	}
	if (!nr_load) {
		loader_err(err, "ELF has no PT_LOAD segment");
		return -1;
	}
	if (!entry_loaded) {
		loader_err(err, "ELF entry 0x%" PRIx64 " is in none of its segments",
			   (uint64_t)eh.e_entry);
		return -1;
	}

	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, file + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		memset((char *)ram_host(ram, ph.p_paddr) + ph.p_filesz, 0,
		       ph.p_memsz - ph.p_filesz);
		ram_copy(ram, ph.p_paddr, file + ph.p_offset, ph.p_filesz);
	}
	*entry = eh.e_entry;
	return 0;
}

/**
 * load_raw() - copy a buffer to a guest-physical address
 * @ram: the guest's RAM
 * @map: the load map; [@gpa, @gpa + @len) is reserved as @what
 * @buf: the bytes
 * @len: how many
 * @gpa: where
 * @what: their name in messages; must outlive @map
 * @err: LOADER_ERR_LEN bytes for the message
 *
 * Return: 0, or -1 with a message.
 */
int load_raw(const struct guest_ram *ram, struct load_map *map, const void *buf, size_t len,
	     uint64_t gpa, const char *what, char *err)
{
	if (load_map_add(map, ram, gpa, len, what, err))
		return -1;
	ram_copy(ram, gpa, buf, len);
	return 0;
}

/**
 * dtb_gpa() - where the DTB goes
 * @ram: the guest's RAM
 *
 * Return: the start of the last DTB_MAX_SIZE bytes of RAM (RAM's start if
 * RAM is smaller than that).
 */
uint64_t dtb_gpa(const struct guest_ram *ram)
{
	if (ram->size < DTB_MAX_SIZE)
		return ram->gpa;
	return ram->gpa + ram->size - DTB_MAX_SIZE;
}

/**
 * initrd_gpa() - where an initrd goes
 * @ram: the guest's RAM
 * @initrd_size: its size in bytes
 *
 * Return: the page-aligned address at which it ends at or below dtb_gpa(),
 * or the end of RAM if it does not fit there (which load_map_add() refuses).
 */
uint64_t initrd_gpa(const struct guest_ram *ram, size_t initrd_size)
{
	uint64_t dtb = dtb_gpa(ram);

	if (initrd_size > dtb - ram->gpa)
		return ram->gpa + ram->size;
	return (dtb - initrd_size) & ~(PAGE_SIZE_4K - 1);
}
