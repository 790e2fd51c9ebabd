// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's loaders (userspace/vmm/loader.c): the arm64
 * Image header, Image and ELF placement, an Image.gz (made here with zlib)
 * inflated, and refused when corrupt, truncated or too large, the load
 * map's refusals and where the DTB and the initrd go.  Guest RAM is a plain
 * buffer.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kselftest_harness.h"
#include "loader.h"
#include "platform.h"

#define SZ_1M		0x100000ULL
#define RAM_SIZE	(16 * SZ_1M)

/* @err is one line holding @needle; says what it holds if not. */
#define EXPECT_ERR(err, needle) do {						\
	const char *__err = (err), *__needle = (needle);			\
										\
	EXPECT_NE(NULL, strstr(__err, __needle))				\
		TH_LOG("message '%s' lacks '%s'", __err, __needle);		\
	EXPECT_EQ(NULL, strchr(__err, '\n'));					\
} while (0)

struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset, image_size, flags;
	uint64_t res2, res3, res4;
	uint32_t magic, res5;
};

/* An Image file of @len bytes (header included), its bytes after the header numbered. */
static uint8_t *make_image(size_t len, uint64_t text_offset, uint64_t image_size,
			   uint64_t flags)
{
	struct image_header h = {
		.code0 = 0x91005a4d,	/* "MZ" + add: what an EFI-stub kernel has */
		.text_offset = text_offset, .image_size = image_size, .flags = flags,
		.magic = 0x644d5241,
	};
	uint8_t *buf = calloc(1, len < sizeof(h) ? sizeof(h) : len);
	size_t i;

	for (i = sizeof(h); i < len; i++)
		buf[i] = i * 7;
	memcpy(buf, &h, sizeof(h));
	return buf;
}

FIXTURE(loader) {
	struct guest_ram ram;
	struct load_map map;
	char err[LOADER_ERR_LEN];
};

FIXTURE_SETUP(loader)
{
	self->ram = (struct guest_ram){ .gpa = VIRT_RAM_BASE, .size = RAM_SIZE };
	self->ram.host = malloc(RAM_SIZE);
	ASSERT_NE(NULL, self->ram.host);
	memset(self->ram.host, 0xaa, RAM_SIZE);	/* not zero: zeroing must be seen */
	memset(&self->map, 0, sizeof(self->map));
	self->err[0] = '\0';
}

FIXTURE_TEARDOWN(loader)
{
	free(self->ram.host);
}

TEST(image_header_good)
{
	uint8_t *buf = make_image(4096, 0x80000, 0x10000, 0xa);
	struct arm64_image img;
	char err[LOADER_ERR_LEN] = "";

	ASSERT_EQ(0, arm64_image_parse(buf, 4096, &img, err));
	EXPECT_EQ(0x80000, img.text_offset);
	EXPECT_EQ(0x10000, img.image_size);
	EXPECT_FALSE(img.big_endian);
	free(buf);
	/* a file exactly as long as its image_size */
	buf = make_image(0x10000, 0, 0x10000, 0);
	ASSERT_EQ(0, arm64_image_parse(buf, 0x10000, &img, err));
	EXPECT_EQ(0, img.text_offset);
	EXPECT_EQ(0x10000, img.image_size);
	free(buf);
}

TEST(image_header_truncated)
{
	uint8_t *buf = make_image(64, 0, 0x10000, 0);
	struct arm64_image img;
	char err[LOADER_ERR_LEN] = "";

	EXPECT_EQ(-1, arm64_image_parse(buf, 63, &img, err));
	EXPECT_ERR(err, "truncated Image: 63 bytes, header needs 64");
	EXPECT_EQ(-1, arm64_image_parse(buf, 0, &img, err));
	EXPECT_ERR(err, "truncated Image: 0 bytes");
	free(buf);
}

TEST(image_header_bad_magic)
{
	uint8_t *buf = make_image(4096, 0, 0x10000, 0);
	struct arm64_image img;
	char err[LOADER_ERR_LEN] = "";

	memcpy(buf + 56, "ARMe", 4);
	EXPECT_EQ(-1, arm64_image_parse(buf, 4096, &img, err));
	EXPECT_ERR(err, "not an arm64 Image (bad magic 0x654d5241)");
	memcpy(buf + 56, ELFMAG, 4);
	EXPECT_EQ(-1, arm64_image_parse(buf, 4096, &img, err));
	EXPECT_ERR(err, "bad magic 0x464c457f");
	EXPECT_ERR(err, "--bare");
	free(buf);
}

TEST(image_header_big_endian)
{
	uint8_t *buf = make_image(4096, 0, 0x10000, 0x1 | 0x2);
	struct arm64_image img;
	char err[LOADER_ERR_LEN] = "";

	EXPECT_EQ(-1, arm64_image_parse(buf, 4096, &img, err));
	EXPECT_ERR(err, "big-endian Image not supported");
	EXPECT_TRUE(img.big_endian);
	free(buf);
}

/* Kernels before 3.17: image_size 0, text_offset taken as 0x80000 (booting.rst). */
TEST(image_header_legacy)
{
	uint8_t *buf = make_image(12345, 0x1234, 0, 0);
	struct arm64_image img;
	char err[LOADER_ERR_LEN] = "";

	ASSERT_EQ(0, arm64_image_parse(buf, 12345, &img, err));
	EXPECT_EQ(0x80000, img.text_offset);
	EXPECT_EQ(12345, img.image_size);
	free(buf);
}

TEST(image_header_file_longer_than_image)
{
	uint8_t *buf = make_image(8192, 0, 4096, 0);
	struct arm64_image img;
	char err[LOADER_ERR_LEN] = "";

	EXPECT_EQ(-1, arm64_image_parse(buf, 8192, &img, err));
	EXPECT_ERR(err, "Image header says 4096 bytes but the file has 8192");
	free(buf);
}

TEST_F(loader, image_at_base_plus_text_offset)
{
	uint8_t *buf = make_image(8192, 0x80000, SZ_1M, 0);
	uint64_t entry = 0;

	ASSERT_EQ(0, load_arm64_image(&self->ram, &self->map, buf, 8192, &entry, self->err));
	EXPECT_EQ(VIRT_RAM_BASE + 0x80000, entry);
	EXPECT_EQ(0, memcmp(self->ram.host + 0x80000, buf, 8192));
	EXPECT_EQ(0xaa, self->ram.host[0x80000 - 1]);	/* nothing before it */
	ASSERT_EQ(1, self->map.nr);
	EXPECT_EQ(VIRT_RAM_BASE + 0x80000, self->map.region[0].gpa);
	EXPECT_EQ(SZ_1M, self->map.region[0].size);	/* image_size, not the file's */
	EXPECT_STREQ("kernel", self->map.region[0].what);
	free(buf);
}

/* RAM that does not start on 2 MiB: the Image goes to the next 2 MiB boundary. */
TEST_F(loader, image_base_rounded_up_to_2m)
{
	uint8_t *buf = make_image(4096, 0, 4096, 0);
	uint64_t entry = 0;

	self->ram.gpa = VIRT_RAM_BASE + SZ_1M;
	ASSERT_EQ(0, load_arm64_image(&self->ram, &self->map, buf, 4096, &entry, self->err));
	EXPECT_EQ(VIRT_RAM_BASE + 2 * SZ_1M, entry);
	EXPECT_EQ(0, memcmp(self->ram.host + SZ_1M, buf, 4096));
	free(buf);
}

TEST_F(loader, image_larger_than_ram)
{
	uint8_t *buf = make_image(4096, 0, 32 * SZ_1M, 0);
	uint64_t entry = 0;

	EXPECT_EQ(-1, load_arm64_image(&self->ram, &self->map, buf, 4096, &entry, self->err));
	EXPECT_ERR(self->err, "kernel (32 MiB) does not fit in 16 MiB of RAM");
	EXPECT_EQ(0, self->map.nr);
	/* text_offset counts: 15 MiB + 2 MiB does not fit in 16 either */
	free(buf);
	buf = make_image(4096, 2 * SZ_1M, 15 * SZ_1M, 0);
	EXPECT_EQ(-1, load_arm64_image(&self->ram, &self->map, buf, 4096, &entry, self->err));
	EXPECT_ERR(self->err, "does not fit in 16 MiB of RAM");
	/* and a text_offset near 2^64 does not wrap around */
	free(buf);
	buf = make_image(4096, ~0ULL - 4095, 8192, 0);
	EXPECT_EQ(-1, load_arm64_image(&self->ram, &self->map, buf, 4096, &entry, self->err));
	EXPECT_ERR(self->err, "does not fit");
	EXPECT_EQ(0, self->map.nr);
	free(buf);
}

TEST_F(loader, image_bad_header_loads_nothing)
{
	uint8_t *buf = make_image(4096, 0, 4096, 1);
	uint64_t entry = 0;

	EXPECT_EQ(-1, load_arm64_image(&self->ram, &self->map, buf, 4096, &entry, self->err));
	EXPECT_ERR(self->err, "big-endian");
	EXPECT_EQ(0, self->map.nr);
	EXPECT_EQ(0xaa, self->ram.host[0]);
	free(buf);
}

/*
 * A small ELF: a 16-byte code segment at RAM + 64 KiB, a data segment of
 * 8 bytes plus 4 KiB of bss at RAM + 128 KiB, and a PT_NOTE in between.
 */
#define ELF_LEN		0x300
#define ELF_CODE_GPA	(VIRT_RAM_BASE + 0x10000)
#define ELF_DATA_GPA	(VIRT_RAM_BASE + 0x20000)

union elf_file {
	struct {
		Elf64_Ehdr eh;
		Elf64_Phdr ph[3];
	};
	uint8_t bytes[ELF_LEN];
};

static void set_phdr(Elf64_Phdr *ph, uint32_t type, uint64_t offset, uint64_t paddr,
		     uint64_t filesz, uint64_t memsz)
{
	ph->p_type = type;
	ph->p_flags = PF_R;
	ph->p_offset = offset;
	ph->p_vaddr = paddr;
	ph->p_paddr = paddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = 8;
}

static void make_elf(union elf_file *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
	f->eh.e_ident[EI_CLASS] = ELFCLASS64;
	f->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f->eh.e_ident[EI_VERSION] = EV_CURRENT;
	f->eh.e_type = ET_EXEC;
	f->eh.e_machine = EM_AARCH64;
	f->eh.e_version = EV_CURRENT;
	f->eh.e_entry = ELF_CODE_GPA + 8;
	f->eh.e_phoff = offsetof(union elf_file, ph);
	f->eh.e_ehsize = sizeof(Elf64_Ehdr);
	f->eh.e_phentsize = sizeof(Elf64_Phdr);
	f->eh.e_phnum = 3;
	set_phdr(&f->ph[0], PT_LOAD, 0x100, ELF_CODE_GPA, 16, 16);
	f->ph[0].p_vaddr = 0xffff000000010000;	/* a kernel's: p_paddr is what counts */
	set_phdr(&f->ph[1], PT_NOTE, 0x180, 0, 16, 16);
	set_phdr(&f->ph[2], PT_LOAD, 0x200, ELF_DATA_GPA, 8, 0x1008);
	memcpy(f->bytes + 0x100, "code0123code4567", 16);
	memcpy(f->bytes + 0x200, "data89ab", 8);
}

TEST_F(loader, elf_segments_at_paddr)
{
	union elf_file f;
	uint64_t entry = 0;
	unsigned int i;

	make_elf(&f);
	ASSERT_TRUE(is_elf(&f, sizeof(f)));
	ASSERT_EQ(0, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err))
		TH_LOG("%s", self->err);
	EXPECT_EQ(ELF_CODE_GPA + 8, entry);
	EXPECT_EQ(0, memcmp(self->ram.host + 0x10000, "code0123code4567", 16));
	EXPECT_EQ(0xaa, self->ram.host[0x10000 + 16]);	/* memsz 16: no more */
	EXPECT_EQ(0, memcmp(self->ram.host + 0x20000, "data89ab", 8));
	for (i = 8; i < 0x1008; i++)
		if (self->ram.host[0x20000 + i])
			break;
	EXPECT_EQ(0x1008, i);				/* bss zeroed */
	EXPECT_EQ(0xaa, self->ram.host[0x20000 + 0x1008]);
	EXPECT_EQ(0xaa, self->ram.host[0]);		/* PT_NOTE not loaded */
	ASSERT_EQ(2, self->map.nr);
	EXPECT_EQ(ELF_CODE_GPA, self->map.region[0].gpa);
	EXPECT_EQ(16, self->map.region[0].size);
	EXPECT_STREQ("kernel", self->map.region[0].what);
	EXPECT_EQ(ELF_DATA_GPA, self->map.region[1].gpa);
	EXPECT_EQ(0x1008, self->map.region[1].size);
}

TEST_F(loader, elf_bad_header)
{
	union elf_file f;
	uint64_t entry = 0;

	make_elf(&f);
	f.eh.e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "not a 64-bit ELF");

	make_elf(&f);
	f.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "big-endian ELF");

	make_elf(&f);
	f.eh.e_machine = EM_X86_64;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "ELF machine 62 is not AArch64");

	make_elf(&f);
	f.eh.e_type = ET_DYN;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "ET_EXEC");

	make_elf(&f);
	f.eh.e_phentsize = 32;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "program header size 32");

	make_elf(&f);
	f.eh.e_ident[EI_MAG3] = 'G';
	EXPECT_FALSE(is_elf(&f, sizeof(f)));
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "not an ELF");

	make_elf(&f);
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, 63, &entry, self->err));
	EXPECT_ERR(self->err, "truncated ELF: 63 bytes");

	EXPECT_EQ(0, self->map.nr);
	EXPECT_EQ(0xaa, self->ram.host[0x10000]);
}

TEST_F(loader, elf_truncated_phdrs)
{
	union elf_file f;
	uint64_t entry = 0;

	make_elf(&f);
	/* the file ends inside the third program header */
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, 64 + 2 * 56 + 10, &entry, self->err));
	EXPECT_ERR(self->err, "truncated ELF: 3 program headers");

	make_elf(&f);
	f.eh.e_phnum = 0xffff;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "truncated ELF");

	make_elf(&f);
	f.eh.e_phoff = ~0ULL - 8;	/* offset + size wraps */
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "truncated ELF");

	make_elf(&f);
	f.eh.e_phnum = 0;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "no program headers");
	EXPECT_EQ(0, self->map.nr);
}

TEST_F(loader, elf_bad_segments)
{
	union elf_file f;
	uint64_t entry = 0;

	make_elf(&f);
	f.ph[2].p_offset = ELF_LEN - 4;		/* data runs past the end of the file */
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "truncated ELF: segment 2");

	make_elf(&f);
	self->map.nr = 0;
	f.ph[0].p_filesz = ~0ULL - 0xff;	/* offset + size wraps */
	f.ph[0].p_memsz = ~0ULL;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "truncated ELF: segment 0");

	make_elf(&f);
	self->map.nr = 0;
	f.ph[2].p_filesz = 0x2000;
	f.ph[2].p_offset = 0;
	f.ph[2].p_memsz = 0x1000;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, 0x3000, &entry, self->err));
	EXPECT_ERR(self->err, "p_filesz 0x2000 > p_memsz 0x1000");

	make_elf(&f);
	self->map.nr = 0;
	f.ph[0].p_type = PT_NULL;
	f.ph[2].p_type = PT_NULL;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "no PT_LOAD segment");

	make_elf(&f);
	self->map.nr = 0;
	f.eh.e_entry = ELF_DATA_GPA + 0x2000;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "ELF entry 0x40022000 is in none of its segments");

	/* nothing was copied by any of the refused files */
	EXPECT_EQ(0xaa, self->ram.host[0x10000]);
	EXPECT_EQ(0xaa, self->ram.host[0x20000]);
}

TEST_F(loader, elf_segment_outside_ram)
{
	union elf_file f;
	uint64_t entry = 0;

	make_elf(&f);
	f.ph[2].p_paddr = VIRT_UART_BASE;
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "kernel [0x9000000, 0x9001008) is outside RAM "
			      "[0x40000000, 0x41000000)");

	make_elf(&f);
	self->map.nr = 0;
	f.ph[2].p_paddr = VIRT_RAM_BASE + RAM_SIZE - 0x1000;	/* straddles the end */
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "is outside RAM");

	make_elf(&f);
	self->map.nr = 0;
	f.ph[2].p_paddr = ELF_CODE_GPA + 8;	/* overlaps the first segment */
	EXPECT_EQ(-1, load_elf(&self->ram, &self->map, &f, sizeof(f), &entry, self->err));
	EXPECT_ERR(self->err, "kernel [0x40010008, 0x40011010) overlaps kernel "
			      "[0x40010000, 0x40010010)");
	EXPECT_EQ(0xaa, self->ram.host[0x10000]);
}

TEST(is_elf_magic)
{
	union elf_file f;
	uint8_t *img = make_image(4096, 0, 4096, 0);

	make_elf(&f);
	EXPECT_TRUE(is_elf(&f, sizeof(f)));
	EXPECT_TRUE(is_elf(&f, 4));
	EXPECT_FALSE(is_elf(&f, 3));
	EXPECT_FALSE(is_elf(img, 4096));
	free(img);
}

TEST_F(loader, map_overlap_names_both)
{
	ASSERT_EQ(0, load_map_add(&self->map, &self->ram, 0x40800000, 0x100000, "initrd",
				  self->err));
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x408ff000, 0x2000, "dtb",
				   self->err));
	EXPECT_STREQ("dtb [0x408ff000, 0x40901000) overlaps initrd [0x40800000, 0x40900000)",
		     self->err);
	/* one inside the other, both ways */
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x40810000, 0x1000, "x", self->err));
	EXPECT_ERR(self->err, "x [0x40810000, 0x40811000) overlaps initrd");
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x40000000, 0x1000000, "big",
				   self->err));
	EXPECT_ERR(self->err, "big [0x40000000, 0x41000000) overlaps initrd");
	EXPECT_EQ(1, self->map.nr);
	/* touching is not overlapping */
	EXPECT_EQ(0, load_map_add(&self->map, &self->ram, 0x40900000, 0x1000, "after",
				  self->err));
	EXPECT_EQ(0, load_map_add(&self->map, &self->ram, 0x407ff000, 0x1000, "before",
				  self->err));
	EXPECT_EQ(3, self->map.nr);
}

TEST_F(loader, map_outside_ram)
{
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, VIRT_RAM_BASE - 0x1000, 0x2000,
				   "low", self->err));
	EXPECT_STREQ("low [0x3ffff000, 0x40001000) is outside RAM [0x40000000, 0x41000000)",
		     self->err);
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x40fff000, 0x2000, "end",
				   self->err));
	EXPECT_ERR(self->err, "end [0x40fff000, 0x41001000) is outside RAM");
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x41000000, 1, "past", self->err));
	EXPECT_ERR(self->err, "past [0x41000000, 0x41000001) is outside RAM");
	/* gpa + size wraps past 2^64 */
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x40000000, ~0ULL - 0x1000, "wrap",
				   self->err));
	EXPECT_ERR(self->err, "wrap [0x40000000, 0xffffffffffffffff) is outside RAM");
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, 0x40000000, 0, "empty", self->err));
	EXPECT_ERR(self->err, "empty at 0x40000000 is empty");
	EXPECT_EQ(0, self->map.nr);
	/* all of RAM is fine */
	EXPECT_EQ(0, load_map_add(&self->map, &self->ram, VIRT_RAM_BASE, RAM_SIZE, "all",
				  self->err));
}

TEST_F(loader, map_full)
{
	unsigned int i;

	for (i = 0; i < LOAD_MAP_MAX; i++)
		ASSERT_EQ(0, load_map_add(&self->map, &self->ram, VIRT_RAM_BASE + i * 0x1000,
					  0x1000, "page", self->err));
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, VIRT_RAM_BASE + SZ_1M, 0x1000,
				   "one-more", self->err));
	EXPECT_ERR(self->err, "one-more");
	EXPECT_EQ(LOAD_MAP_MAX, self->map.nr);
}

TEST_F(loader, raw)
{
	static const char blob[] = "raw bytes";

	ASSERT_EQ(0, load_raw(&self->ram, &self->map, blob, sizeof(blob), 0x40100000,
			      "blob.bin", self->err));
	EXPECT_EQ(0, memcmp(self->ram.host + SZ_1M, blob, sizeof(blob)));
	EXPECT_EQ(0xaa, self->ram.host[SZ_1M + sizeof(blob)]);
	ASSERT_EQ(1, self->map.nr);
	EXPECT_STREQ("blob.bin", self->map.region[0].what);
	EXPECT_EQ(sizeof(blob), self->map.region[0].size);
	/* a second copy on top of it is refused and copies nothing */
	EXPECT_EQ(-1, load_raw(&self->ram, &self->map, "XX", 2, 0x40100004, "other.bin",
			       self->err));
	EXPECT_STREQ("other.bin [0x40100004, 0x40100006) overlaps blob.bin "
		     "[0x40100000, 0x4010000a)", self->err);
	EXPECT_EQ(0, memcmp(self->ram.host + SZ_1M, blob, sizeof(blob)));
	EXPECT_EQ(-1, load_raw(&self->ram, &self->map, blob, sizeof(blob), 0x1000, "low",
			       self->err));
	EXPECT_ERR(self->err, "is outside RAM");
}

/* @len bytes of @buf as one gzip member, as `gzip -9` makes it, in a new buffer. */
static uint8_t *gzip(const void *buf, size_t len, size_t *gz_len)
{
	z_stream zs = { .next_in = (Bytef *)buf, .avail_in = len };
	uint8_t *gz = NULL;

	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	*gz_len = deflateBound(&zs, len);
	gz = malloc(*gz_len);
	zs.next_out = gz;
	zs.avail_out = *gz_len;
	if (!gz || deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		free(gz);
		gz = NULL;
	}
	*gz_len = zs.total_out;
	deflateEnd(&zs);
	return gz;
}

#define IMAGE_GZ_LEN	SZ_1M

/* A 1 MiB Image (2 MiB with its bss) and its gzip, for the gunzip() tests. */
FIXTURE(image_gz) {
	uint8_t *img, *gz;
	size_t gz_len;
	void *out;
	size_t out_len;
	char err[LOADER_ERR_LEN];
};

FIXTURE_SETUP(image_gz)
{
	self->img = make_image(IMAGE_GZ_LEN, 0x80000, 2 * SZ_1M, 0);
	ASSERT_NE(NULL, self->img);
	self->gz = gzip(self->img, IMAGE_GZ_LEN, &self->gz_len);
	ASSERT_NE(NULL, self->gz);
	ASSERT_LT(self->gz_len, IMAGE_GZ_LEN / 4);
	self->out = NULL;
	self->err[0] = '\0';
}

FIXTURE_TEARDOWN(image_gz)
{
	free(self->img);
	free(self->gz);
	free(self->out);
}

TEST_F(image_gz, magic)
{
	union elf_file f;

	EXPECT_TRUE(is_gzip(self->gz, self->gz_len));
	EXPECT_TRUE(is_gzip(self->gz, 2));
	EXPECT_FALSE(is_gzip(self->gz, 1));
	EXPECT_FALSE(is_gzip(self->img, IMAGE_GZ_LEN));
	make_elf(&f);
	EXPECT_FALSE(is_gzip(&f, sizeof(f)));
	EXPECT_EQ(-1, gunzip(self->img, IMAGE_GZ_LEN, RAM_SIZE, &self->out, &self->out_len,
			     self->err));
	EXPECT_ERR(self->err, "not gzip data");
}

/* The Image.gz inflates to the Image, which then loads as a64vm loads it. */
TEST_F(image_gz, good)
{
	struct guest_ram ram = { .gpa = VIRT_RAM_BASE, .size = RAM_SIZE };
	struct load_map map = { 0 };
	uint64_t entry = 0;

	ASSERT_EQ(0, gunzip(self->gz, self->gz_len, RAM_SIZE, &self->out, &self->out_len,
			    self->err)) TH_LOG("%s", self->err);
	ASSERT_EQ(IMAGE_GZ_LEN, self->out_len);
	EXPECT_EQ(0, memcmp(self->img, self->out, IMAGE_GZ_LEN));

	ram.host = calloc(1, RAM_SIZE);
	ASSERT_NE(NULL, ram.host);
	ASSERT_EQ(0, load_arm64_image(&ram, &map, self->out, self->out_len, &entry, self->err))
		TH_LOG("%s", self->err);
	EXPECT_EQ(VIRT_RAM_BASE + 0x80000, entry);
	EXPECT_EQ(0, memcmp(ram.host + 0x80000, self->img, IMAGE_GZ_LEN));
	free(ram.host);
}

/* Two members back to back are one file (gzip's rule); trailing zeros are ignored. */
TEST_F(image_gz, two_members_and_padding)
{
	size_t len1, len2;
	uint8_t *gz1 = gzip(self->img, 1000, &len1);
	uint8_t *gz2 = gzip(self->img + 1000, IMAGE_GZ_LEN - 1000, &len2);
	uint8_t *both = calloc(1, len1 + len2 + 512);

	ASSERT_NE(NULL, gz1);
	ASSERT_NE(NULL, gz2);
	ASSERT_NE(NULL, both);
	memcpy(both, gz1, len1);
	memcpy(both + len1, gz2, len2);
	ASSERT_EQ(0, gunzip(both, len1 + len2 + 512, RAM_SIZE, &self->out, &self->out_len,
			    self->err)) TH_LOG("%s", self->err);
	ASSERT_EQ(IMAGE_GZ_LEN, self->out_len);
	EXPECT_EQ(0, memcmp(self->img, self->out, IMAGE_GZ_LEN));
	free(gz1);
	free(gz2);
	free(both);
}

TEST_F(image_gz, corrupt)
{
	uint8_t *gz = malloc(self->gz_len);

	ASSERT_NE(NULL, gz);
	/* a byte of the compressed data */
	memcpy(gz, self->gz, self->gz_len);
	gz[self->gz_len / 2] ^= 0x55;
	EXPECT_EQ(-1, gunzip(gz, self->gz_len, RAM_SIZE, &self->out, &self->out_len, self->err));
	EXPECT_ERR(self->err, "corrupt gzip data: ");
	EXPECT_EQ(NULL, self->out);
	/* the CRC in the trailer */
	memcpy(gz, self->gz, self->gz_len);
	gz[self->gz_len - 8] ^= 1;
	EXPECT_EQ(-1, gunzip(gz, self->gz_len, RAM_SIZE, &self->out, &self->out_len, self->err));
	EXPECT_ERR(self->err, "corrupt gzip data: incorrect data check");
	/* the length in the trailer */
	memcpy(gz, self->gz, self->gz_len);
	gz[self->gz_len - 1] ^= 1;
	EXPECT_EQ(-1, gunzip(gz, self->gz_len, RAM_SIZE, &self->out, &self->out_len, self->err));
	EXPECT_ERR(self->err, "corrupt gzip data: incorrect length check");
	/* the header: compression method 7 */
	memcpy(gz, self->gz, self->gz_len);
	gz[2] = 7;
	EXPECT_EQ(-1, gunzip(gz, self->gz_len, RAM_SIZE, &self->out, &self->out_len, self->err));
	EXPECT_ERR(self->err, "corrupt gzip data: unknown compression method");
	free(gz);
}

/* Cut in the header, in the data, in the trailer, or by its last byte. */
TEST_F(image_gz, truncated)
{
	const size_t len[] = { 2, 10, 100, self->gz_len / 2, self->gz_len - 8, self->gz_len - 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(len); i++) {
		EXPECT_EQ(-1, gunzip(self->gz, len[i], RAM_SIZE, &self->out, &self->out_len,
				     self->err));
		EXPECT_ERR(self->err, "truncated gzip data: the file ends");
		EXPECT_EQ(NULL, self->out);
	}
	EXPECT_ERR(self->err, "bytes inflated)");
}

/* Never more than @max: an Image.gz larger than RAM, or a gzip bomb, is refused. */
TEST_F(image_gz, too_large)
{
	size_t bomb_len;
	uint8_t *zeros = calloc(1, 64 * SZ_1M);
	uint8_t *bomb;

	EXPECT_EQ(-1, gunzip(self->gz, self->gz_len, IMAGE_GZ_LEN - 1, &self->out,
			     &self->out_len, self->err));
	EXPECT_ERR(self->err, "gzip data inflates to more than 1048575 bytes");
	EXPECT_EQ(-1, gunzip(self->gz, self->gz_len, IMAGE_GZ_LEN / 2, &self->out,
			     &self->out_len, self->err));
	EXPECT_ERR(self->err, "gzip data inflates to more than 524288 bytes");
	EXPECT_EQ(NULL, self->out);
	ASSERT_EQ(0, gunzip(self->gz, self->gz_len, IMAGE_GZ_LEN, &self->out, &self->out_len,
			    self->err)) TH_LOG("%s", self->err);	/* exactly @max is fine */
	EXPECT_EQ(IMAGE_GZ_LEN, self->out_len);
	free(self->out);
	self->out = NULL;

	ASSERT_NE(NULL, zeros);
	bomb = gzip(zeros, 64 * SZ_1M, &bomb_len);
	ASSERT_NE(NULL, bomb);
	ASSERT_GT(SZ_1M, bomb_len);
	EXPECT_EQ(-1, gunzip(bomb, bomb_len, RAM_SIZE, &self->out, &self->out_len, self->err));
	EXPECT_ERR(self->err, "gzip data inflates to more than 16 MiB, the most a64vm would load");
	free(bomb);
	free(zeros);
}

TEST(dtb_and_initrd_placement)
{
	struct guest_ram ram = { .gpa = VIRT_RAM_BASE, .size = 64 * SZ_1M };
	uint64_t dtb = dtb_gpa(&ram);

	EXPECT_EQ(0x43e00000, dtb);
	EXPECT_EQ(0x43e00000 - 0x2000, initrd_gpa(&ram, 0x2000));
	/* page aligned down, ending at or below the DTB */
	EXPECT_EQ(0x43dfe000, initrd_gpa(&ram, 0x1234));
	EXPECT_GE(dtb, initrd_gpa(&ram, 0x1234) + 0x1234);
	EXPECT_EQ(0, initrd_gpa(&ram, 1) & 0xfff);
	/* exactly the room below the DTB */
	EXPECT_EQ(VIRT_RAM_BASE, initrd_gpa(&ram, 62 * SZ_1M));
}

/* An initrd too big for the room below the DTB is refused by the load map. */
TEST_F(loader, initrd_too_big)
{
	uint64_t dtb = dtb_gpa(&self->ram);
	uint64_t gpa = initrd_gpa(&self->ram, 15 * SZ_1M);

	ASSERT_EQ(0x40e00000, dtb);
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, gpa, 15 * SZ_1M, "initrd",
				   self->err));
	EXPECT_ERR(self->err, "initrd [");
	EXPECT_ERR(self->err, "is outside RAM");
	gpa = initrd_gpa(&self->ram, ~(size_t)0);
	EXPECT_EQ(-1, load_map_add(&self->map, &self->ram, gpa, ~(size_t)0, "initrd",
				   self->err));
}

/* The whole sequence as a64vm does it: kernel, then initrd and DTB below the end. */
TEST_F(loader, kernel_initrd_dtb)
{
	uint8_t *img = make_image(4096, 0, 8 * SZ_1M, 0);
	static const uint8_t initrd[0x3000];
	uint64_t entry, gpa;

	ASSERT_EQ(0, load_arm64_image(&self->ram, &self->map, img, 4096, &entry, self->err));
	gpa = initrd_gpa(&self->ram, sizeof(initrd));
	ASSERT_EQ(0, load_raw(&self->ram, &self->map, initrd, sizeof(initrd), gpa, "initrd",
			      self->err));
	ASSERT_EQ(0, load_raw(&self->ram, &self->map, "\xd0\x0d\xfe\xed", 4,
			      dtb_gpa(&self->ram), "dtb", self->err));
	EXPECT_EQ(3, self->map.nr);

	/* a kernel reaching into the DTB's 2 MiB is caught, naming both */
	memset(&self->map, 0, sizeof(self->map));
	free(img);
	img = make_image(4096, 0, 15 * SZ_1M, 0);
	ASSERT_EQ(0, load_arm64_image(&self->ram, &self->map, img, 4096, &entry, self->err));
	EXPECT_EQ(-1, load_raw(&self->ram, &self->map, "\xd0\x0d\xfe\xed", 4,
			       dtb_gpa(&self->ram), "dtb", self->err));
	EXPECT_STREQ("dtb [0x40e00000, 0x40e00004) overlaps kernel [0x40000000, 0x40f00000)",
		     self->err);
	free(img);
}

TEST_HARNESS_MAIN
