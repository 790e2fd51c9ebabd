/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the command line asks for (cmdline.c): parsed and checked before
 * anything is opened, so that usage errors never leave a half-built VM.
 */
#ifndef A64VM_CONFIG_H
#define A64VM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define A64VM_VERSION		"0.1"
#define A64VM_MAX_LOADS		8
#define A64VM_MAX_DISKS		8

/*
 * Guest RAM goes to the accelerator as memory slots of at most this many
 * bytes, a64vcpu's limit (Documentation/api.rst): slot n is RAM's n-th
 * 64 GiB, the last one what is left.  KVM gets the same slots.
 */
#define RAM_SLOT_MAX		(64ULL << 30)

static inline unsigned int ram_nr_slots(uint64_t ram_size)
{
	return (ram_size + RAM_SLOT_MAX - 1) / RAM_SLOT_MAX;
}

enum accel_kind { ACCEL_A64VCPU, ACCEL_KVM };
enum console_kind { CONSOLE_SERIAL, CONSOLE_VIRTIO };

struct load_request {
	const char *path;
	uint64_t addr;		/* guest-physical */
};

struct disk_config {
	const char *path;	/* a raw image: a regular file or a block device */
	bool ro;		/* FILE,ro: VIRTIO_BLK_F_RO, writes refused */
};

struct net_config {
	const char *tap;	/* tap=NAME: the tap device (created if missing) */
	uint8_t mac[6];		/* mac=XX:XX:XX:XX:XX:XX, default 52:54:00:12:34:56 */
};

struct vm_config {
	const char *kernel;	/* -k: a Linux Image, or with --bare an ELF or raw binary */
	const char *initrd;	/* -i */
	const char *cmdline;	/* -p */
	const char *dtb_in;	/* --dtb: use this DTB instead of generating one */
	const char *dtb_out;	/* --dump-dtb: write the generated DTB and exit */
	uint64_t ram_mib;	/* -m, default 64 */
	unsigned int cpus;	/* -c, default 1 */
	enum accel_kind accel;	/* --accel, default a64vcpu */
	bool bare;		/* --bare */
	bool stats;		/* --stats: exit summary and set-up timings on stderr */
	bool pin_vcpus;		/* --pin-vcpus: vCPU n's thread on host CPU n */
	bool pin;		/* --pin: a64vcpu's pinned slots (A64VCPU_MEM_PINNED) */
	bool no_thp;		/* --no-thp: RAM advised MADV_NOHUGEPAGE */
	bool mem_prealloc;	/* --mem-prealloc: RAM resident before the guest starts */
	const char *mem_path;	/* --mem-path: RAM from a file created in this directory */
	struct load_request loads[A64VM_MAX_LOADS];	/* --load FILE@ADDR */
	unsigned int nr_loads;
	struct disk_config disks[A64VM_MAX_DISKS];	/* -d FILE[,ro]: virtio-blk, in order */
	unsigned int nr_disks;
	bool rng;		/* --rng: virtio-rng */
	struct net_config net;	/* -n tap=NAME[,mac=MAC]: virtio-net (net.tap set) */
	enum console_kind console;	/* --console serial|virtio, default serial */
};

enum cmdline_result {
	CMDLINE_RUN,		/* "run": cfg is filled in and checked */
	CMDLINE_HELP,		/* --help: print usage, exit 0 */
	CMDLINE_VERSION,	/* --version */
	CMDLINE_ERROR,		/* err holds one line naming the problem */
};

/* @argv's --load arguments are split in place (FILE@ADDR -> FILE). */
enum cmdline_result cmdline_parse(struct vm_config *cfg, int argc, char **argv,
				  char *err, size_t errlen);
void cmdline_usage(FILE *out);

#endif
