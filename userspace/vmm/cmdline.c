// SPDX-License-Identifier: GPL-2.0-only
/*
 * a64vm's command line, kvmtool style:
 *   a64vm run -k IMAGE [-i INITRD] [-p "CMDLINE"] [-m MiB] [-c CPUS]
 *             [--dtb FILE | --dump-dtb FILE] [--accel a64vcpu|kvm] [--bare]
 *             [--load FILE@ADDR]... [--stats] [--pin-vcpus]
 *             [--pin] [--mem-path DIR] [--no-thp] [--mem-prealloc]
 *             [-d FILE[,ro]]... [--rng] [-n tap=NAME[,mac=MAC]]
 *             [--console serial|virtio]
 *   a64vm --help | --version
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "platform.h"

#define MIN_RAM_MIB	4	/* the DTB takes the last 2 MiB */

void cmdline_usage(FILE *out)
{
	fprintf(out,
		"usage: a64vm run -k IMAGE [options]   run a guest\n"
		"       a64vm --help | --version\n"
		"\n"
		"  -k, --kernel FILE      arm64 Linux Image or Image.gz (or, with --bare, an ELF\n"
		"                         or raw binary)\n"
		"  -i, --initrd FILE      initial ramdisk\n"
		"  -p, --params TEXT      kernel command line (/chosen/bootargs)\n"
		"  -m, --mem MiB          guest RAM at 0x%llx, %d..%llu MiB (default 64)\n"
		"  -c, --cpus N           vCPUs, 1..%d (default 1)\n"
		"      --accel NAME       a64vcpu (default) or kvm\n"
		"      --bare             IMAGE is an ELF (loaded at its addresses) or a raw\n"
		"                         binary (loaded at the start of RAM), not a Linux Image\n"
		"      --load FILE@ADDR   also load FILE at guest-physical ADDR (repeatable)\n"
		"      --dtb FILE         give the guest this DTB instead of a generated one\n"
		"      --dump-dtb FILE    write the generated DTB to FILE and exit\n"
		"      --stats            on exit, print the exits by reason and set-up costs\n"
		"      --pin-vcpus        run vCPU n's thread on host CPU n only (modulo the\n"
		"                         host's CPUs), out of the scheduler's way\n"
		"      --pin              a64vcpu: pin all of guest RAM and map it at once\n"
		"                         (default: mapped at the guest's first access)\n"
		"      --mem-path DIR     guest RAM from a file created (and unlinked) in DIR,\n"
		"                         shared: on hugetlbfs, huge pages\n"
		"      --no-thp           no transparent huge pages for guest RAM\n"
		"      --mem-prealloc     make all of guest RAM resident in a64vm before the\n"
		"                         guest starts (the guest's first touch of a page then\n"
		"                         costs a stage-2 fault only, no host page fault)\n"
		"  -d, --disk FILE[,ro]   a virtio-blk disk on raw image FILE (read-only with\n"
		"                         ,ro); repeatable, up to %d: the first is vda\n"
		"      --rng              a virtio-rng device, fed by the host's getrandom()\n"
		"  -n, --network tap=NAME[,mac=MAC]\n"
		"                         a virtio-net device on tap device NAME (created if\n"
		"                         missing); MAC default 52:54:00:12:34:56\n"
		"      --console serial|virtio\n"
		"                         the console on this terminal: the PL011 (default) or\n"
		"                         virtio-console (hvc0: console=hvc0; the PL011 is silent)\n"
		"\n"
		"Exit status: 0 guest powered off (PSCI SYSTEM_OFF), 1 a64vm error,\n"
		"2 the guest crashed (internal error), 3 the guest asked for a reset,\n"
		"4 stopped from the console (Ctrl-A x).\n"
		"\n"
		"On a terminal, Ctrl-A is the escape key: Ctrl-A x stops a64vm,\n"
		"Ctrl-A Ctrl-A sends Ctrl-A to the guest.\n",
		VIRT_RAM_BASE, MIN_RAM_MIB, VIRT_MAX_RAM_MIB, VIRT_MAX_CPUS, A64VM_MAX_DISKS);
}

static enum cmdline_result fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return CMDLINE_ERROR;
}

/* A whole decimal or 0x-prefixed number, nothing after it. */
static int parse_u64(const char *s, uint64_t *val)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*val = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static enum cmdline_result parse_load(struct vm_config *cfg, char *arg, char *err,
				      size_t errlen)
{
	char *at = strrchr(arg, '@');
	uint64_t addr;

	if (!at || at == arg || parse_u64(at + 1, &addr))
		return fail(err, errlen, "--load wants FILE@ADDR, got '%s'", arg);
	if (cfg->nr_loads == A64VM_MAX_LOADS)
		return fail(err, errlen, "at most %d --load options", A64VM_MAX_LOADS);
	*at = '\0';
	cfg->loads[cfg->nr_loads++] = (struct load_request){ .path = arg, .addr = addr };
	return CMDLINE_RUN;
}

/* -d FILE[,ro]: the option is split in place (FILE,ro -> FILE). */
static enum cmdline_result parse_disk(struct vm_config *cfg, char *arg, char *err,
				      size_t errlen)
{
	size_t len = strlen(arg);
	bool ro = len > 3 && !strcmp(arg + len - 3, ",ro");

	if (ro)
		arg[len - 3] = '\0';
	if (!*arg || strchr(arg, ','))
		return fail(err, errlen, "-d wants FILE or FILE,ro, got '%s%s'", arg,
			    ro ? ",ro" : "");
	if (cfg->nr_disks == A64VM_MAX_DISKS)
		return fail(err, errlen, "at most %d disks (-d)", A64VM_MAX_DISKS);
	cfg->disks[cfg->nr_disks++] = (struct disk_config){ .path = arg, .ro = ro };
	return CMDLINE_RUN;
}

/* -n tap=NAME[,mac=XX:XX:XX:XX:XX:XX], kvmtool's key=value list; split in place. */
static enum cmdline_result parse_net(struct vm_config *cfg, char *arg, char *err,
				     size_t errlen)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	char *opt, *save = NULL, end;
	unsigned int m[6], i;

	if (cfg->net.tap)
		return fail(err, errlen, "one network device (-n) at most");
	memcpy(cfg->net.mac, mac, sizeof(mac));
	for (opt = strtok_r(arg, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		if (!strncmp(opt, "tap=", 4) && opt[4]) {
			cfg->net.tap = opt + 4;
		} else if (!strncmp(opt, "mac=", 4) &&
			   sscanf(opt + 4, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2],
				  &m[3], &m[4], &m[5], &end) == 6 && strlen(opt + 4) == 17) {
			if (m[0] & 1)
				return fail(err, errlen, "-n mac=%s is a multicast address",
					    opt + 4);
			for (i = 0; i < 6; i++)
				cfg->net.mac[i] = m[i];
		} else {
			return fail(err, errlen, "-n wants tap=NAME[,mac=XX:XX:XX:XX:XX:XX], "
				    "got '%s'", opt);
		}
	}
	if (!cfg->net.tap)
		return fail(err, errlen, "-n wants tap=NAME");
	return CMDLINE_RUN;
}

enum {
	OPT_ACCEL = 256, OPT_BARE, OPT_LOAD, OPT_DTB, OPT_DUMP_DTB, OPT_STATS, OPT_PIN_VCPUS,
	OPT_PIN, OPT_MEM_PATH, OPT_NO_THP, OPT_MEM_PREALLOC, OPT_RNG, OPT_CONSOLE,
	OPT_VERSION
};

static const struct option options[] = {
	{ "kernel",	required_argument, NULL, 'k' },
	{ "initrd",	required_argument, NULL, 'i' },
	{ "params",	required_argument, NULL, 'p' },
	{ "mem",	required_argument, NULL, 'm' },
	{ "cpus",	required_argument, NULL, 'c' },
	{ "accel",	required_argument, NULL, OPT_ACCEL },
	{ "bare",	no_argument,	   NULL, OPT_BARE },
	{ "load",	required_argument, NULL, OPT_LOAD },
	{ "dtb",	required_argument, NULL, OPT_DTB },
	{ "dump-dtb",	required_argument, NULL, OPT_DUMP_DTB },
	{ "stats",	no_argument,	   NULL, OPT_STATS },
	{ "pin-vcpus",	no_argument,	   NULL, OPT_PIN_VCPUS },
	{ "pin",	no_argument,	   NULL, OPT_PIN },
	{ "mem-path",	required_argument, NULL, OPT_MEM_PATH },
	{ "no-thp",	no_argument,	   NULL, OPT_NO_THP },
	{ "mem-prealloc", no_argument,	   NULL, OPT_MEM_PREALLOC },
	{ "disk",	required_argument, NULL, 'd' },
	{ "rng",	no_argument,	   NULL, OPT_RNG },
	{ "network",	required_argument, NULL, 'n' },
	{ "console",	required_argument, NULL, OPT_CONSOLE },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static enum cmdline_result parse_option(struct vm_config *cfg, int opt, char *arg,
					char *err, size_t errlen)
{
	uint64_t n;

	switch (opt) {
	case 'k':
		cfg->kernel = arg;
		break;
	case 'i':
		cfg->initrd = arg;
		break;
	case 'p':
		cfg->cmdline = arg;
		break;
	case 'm':
		if (parse_u64(arg, &n) || n < MIN_RAM_MIB)
			return fail(err, errlen, "-m wants MiB of RAM, %d..%llu, got '%s'",
				    MIN_RAM_MIB, VIRT_MAX_RAM_MIB, arg);
		if (n > VIRT_MAX_RAM_MIB)
			return fail(err, errlen, "-m wants at most %llu MiB, got '%s': RAM starts "
				    "at 0x%llx and must end within the guest's %d-bit physical "
				    "address space (%llu GiB)", VIRT_MAX_RAM_MIB, arg,
				    VIRT_RAM_BASE, VIRT_IPA_BITS, (1ULL << VIRT_IPA_BITS) >> 30);
		cfg->ram_mib = n;
		break;
	case 'c':
		if (parse_u64(arg, &n) || n < 1 || n > VIRT_MAX_CPUS)
			return fail(err, errlen, "-c wants 1..%d vCPUs, got '%s'",
				    VIRT_MAX_CPUS, arg);
		cfg->cpus = n;
		break;
	case OPT_ACCEL:
		if (!strcmp(arg, "a64vcpu"))
			cfg->accel = ACCEL_A64VCPU;
		else if (!strcmp(arg, "kvm"))
			cfg->accel = ACCEL_KVM;
		else
			return fail(err, errlen, "--accel wants a64vcpu or kvm, got '%s'", arg);
		break;
	case OPT_BARE:
		cfg->bare = true;
		break;
	case OPT_LOAD:
		return parse_load(cfg, arg, err, errlen);
	case OPT_DTB:
		cfg->dtb_in = arg;
		break;
	case OPT_DUMP_DTB:
		cfg->dtb_out = arg;
		break;
	case OPT_STATS:
		cfg->stats = true;
		break;
	case OPT_PIN_VCPUS:
		cfg->pin_vcpus = true;
		break;
	case OPT_PIN:
		cfg->pin = true;
		break;
	case OPT_MEM_PATH:
		cfg->mem_path = arg;
		break;
	case OPT_NO_THP:
		cfg->no_thp = true;
		break;
	case OPT_MEM_PREALLOC:
		cfg->mem_prealloc = true;
		break;
	case 'd':
		return parse_disk(cfg, arg, err, errlen);
	case OPT_RNG:
		cfg->rng = true;
		break;
	case 'n':
		return parse_net(cfg, arg, err, errlen);
	case OPT_CONSOLE:
		if (!strcmp(arg, "serial"))
			cfg->console = CONSOLE_SERIAL;
		else if (!strcmp(arg, "virtio"))
			cfg->console = CONSOLE_VIRTIO;
		else
			return fail(err, errlen, "--console wants serial or virtio, got '%s'", arg);
		break;
	case 'h':
		return CMDLINE_HELP;
	case OPT_VERSION:
		return CMDLINE_VERSION;
	default:	/* getopt's '?' and ':' */
		return fail(err, errlen, "bad option (see a64vm --help)");
	}
	return CMDLINE_RUN;
}

enum cmdline_result cmdline_parse(struct vm_config *cfg, int argc, char **argv,
				  char *err, size_t errlen)
{
	enum cmdline_result res;
	int opt;

	*cfg = (struct vm_config){ .ram_mib = 64, .cpus = 1, .accel = ACCEL_A64VCPU };
	err[0] = '\0';
	if (argc >= 2 && !strcmp(argv[1], "--help"))
		return CMDLINE_HELP;
	if (argc >= 2 && !strcmp(argv[1], "--version"))
		return CMDLINE_VERSION;
	if (argc < 2 || strcmp(argv[1], "run"))
		return fail(err, errlen, "expected a command: a64vm run -k IMAGE (see a64vm --help)");

	optind = 0;	/* a fresh scan (glibc), also when called again */
	opterr = 0;	/* our own messages */
	while ((opt = getopt_long(argc - 1, argv + 1, "k:i:p:m:c:d:n:h", options, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			return fail(err, errlen, "unknown option or missing value: '%s' (see a64vm --help)",
				    argv[optind] ? argv[optind] : argv[argc - 1]);
		res = parse_option(cfg, opt, optarg, err, errlen);
		if (res != CMDLINE_RUN)
			return res;
	}
	if (optind + 1 < argc)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind + 1]);
	if (!cfg->kernel && !cfg->dtb_out)
		return fail(err, errlen, "no guest: -k IMAGE is required");
	if (cfg->dtb_in && cfg->dtb_out)
		return fail(err, errlen, "--dtb and --dump-dtb exclude each other");
	if (cfg->pin && cfg->accel == ACCEL_KVM)
		return fail(err, errlen, "--pin asks a64vcpu for pinned slots "
			    "(A64VCPU_MEM_PINNED): KVM has none");
	return CMDLINE_RUN;
}
