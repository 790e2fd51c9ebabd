/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Putting images into guest RAM: an arm64 Linux Image by its header (after
 * inflating it if it is an Image.gz), an ELF by its program headers, a raw
 * binary or an initrd at an address.  Every
 * loader works on a buffer already read from the file (so that the unit
 * tests need no files) and records what it placed in a load map, which
 * refuses anything outside RAM or overlapping an earlier load.  Errors
 * return -1 with one line naming the problem in @err.
 */
#ifndef A64VM_LOADER_H
#define A64VM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOAD_MAP_MAX	16
#define LOADER_ERR_LEN	160

struct guest_ram {
	uint64_t gpa;		/* VIRT_RAM_BASE */
	uint64_t size;
	uint8_t *host;		/* where the VMM sees it */
};

/*
 * The host address of guest-physical [@gpa, @gpa + @len), or NULL unless
 * all of it lies inside RAM (overflow-proof: @gpa and @len come from the
 * guest).  @len 0 is refused too: a caller has nothing to touch.
 */
static inline void *guest_ram_ptr(const struct guest_ram *ram, uint64_t gpa, uint64_t len)
{
	if (!len || gpa < ram->gpa || gpa - ram->gpa >= ram->size ||
	    len > ram->size - (gpa - ram->gpa))
		return NULL;
	return ram->host + (gpa - ram->gpa);
}

struct load_map {
	struct {
		uint64_t gpa, size;
		const char *what;	/* "kernel", "initrd", "dtb", a --load path */
	} region[LOAD_MAP_MAX];
	unsigned int nr;
};

/* The 64-byte arm64 Image header (Documentation/arm64/booting.rst), decoded. */
struct arm64_image {
	uint64_t text_offset;	/* from a 2 MiB aligned base */
	uint64_t image_size;	/* bytes the kernel needs from its load address (bss included) */
	bool big_endian;
};

/* Reserves [gpa, gpa + size) for @what: inside RAM, overlapping nothing. */
int load_map_add(struct load_map *map, const struct guest_ram *ram, uint64_t gpa,
		 uint64_t size, const char *what, char *err);

/* Checks the magic, the size and the flags of an Image header. */
int arm64_image_parse(const void *buf, size_t len, struct arm64_image *img, char *err);
/* An Image at the RAM's 2 MiB aligned base + text_offset; *entry = its load address. */
int load_arm64_image(const struct guest_ram *ram, struct load_map *map, const void *buf,
		     size_t len, uint64_t *entry, char *err);
/* An ELF64 AArch64 executable: PT_LOAD segments at their p_paddr; *entry = e_entry. */
int load_elf(const struct guest_ram *ram, struct load_map *map, const void *buf, size_t len,
	     uint64_t *entry, char *err);
bool is_elf(const void *buf, size_t len);
/* Whether @buf starts with the gzip magic (1f 8b): an Image.gz. */
bool is_gzip(const void *buf, size_t len);
/* Inflates gzip data into a new buffer (*@out, to free()) of at most @max bytes. */
int gunzip(const void *buf, size_t len, size_t max, void **out, size_t *out_len, char *err);
/* @len bytes of @buf at @gpa, recorded as @what. */
int load_raw(const struct guest_ram *ram, struct load_map *map, const void *buf, size_t len,
	     uint64_t gpa, const char *what, char *err);

/*
 * Where the DTB and the initrd go: the DTB in the last 2 MiB of RAM (the
 * boot protocol's limit for its size), the initrd page aligned just below.
 */
#define DTB_MAX_SIZE	0x200000ULL
uint64_t dtb_gpa(const struct guest_ram *ram);
uint64_t initrd_gpa(const struct guest_ram *ram, size_t initrd_size);

#endif
