// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's command line (userspace/vmm/cmdline.c): the
 * defaults of `run -k`, every option, and each usage error leaving one line
 * in err.  The arguments are copied first, as cmdline_parse() may write to
 * them (--load splits FILE@ADDR in place).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "config.h"
#include "platform.h"

FIXTURE(cmdline) {
	struct vm_config cfg;
	char err[160];
};

/* The copy of the arguments the last parse() saw (the config points into it). */
static char *argv_copy[64];
static int argc_copy;

static void free_args(void)
{
	while (argc_copy)
		free(argv_copy[--argc_copy]);
}

FIXTURE_SETUP(cmdline)
{
}

FIXTURE_TEARDOWN(cmdline)
{
	free_args();
}

static enum cmdline_result parse(struct vm_config *cfg, char *err, size_t errlen,
				 const char *const *args)
{
	free_args();
	for (; *args; args++)
		argv_copy[argc_copy++] = strdup(*args);
	argv_copy[argc_copy] = NULL;
	memset(err, 'x', errlen - 1);	/* stale text must go */
	err[errlen - 1] = '\0';
	return cmdline_parse(cfg, argc_copy, argv_copy, err, errlen);
}

/* PARSE("run", "-k", "Image"): the result of `a64vm run -k Image`. */
#define PARSE(...)	parse(&self->cfg, self->err, sizeof(self->err),		\
			      (const char *const []){ "a64vm", __VA_ARGS__, NULL })

/* A usage error: CMDLINE_ERROR with one line in err that holds @needle. */
#define EXPECT_USAGE_ERROR(needle, ...) do {					\
	const char *__needle = (needle);					\
										\
	EXPECT_EQ(CMDLINE_ERROR, PARSE(__VA_ARGS__));				\
	EXPECT_NE(0, self->err[0]);						\
	EXPECT_NE('x', self->err[0]);						\
	EXPECT_EQ(NULL, strchr(self->err, '\n'));				\
	EXPECT_NE(NULL, strstr(self->err, __needle))				\
		TH_LOG("message '%s' lacks '%s'", self->err, __needle);		\
} while (0)

static void expect_defaults(struct __test_metadata *_metadata, const struct vm_config *cfg)
{
	EXPECT_STREQ("Image", cfg->kernel);
	EXPECT_EQ(NULL, cfg->initrd);
	EXPECT_EQ(NULL, cfg->cmdline);
	EXPECT_EQ(NULL, cfg->dtb_in);
	EXPECT_EQ(NULL, cfg->dtb_out);
	EXPECT_EQ(64, cfg->ram_mib);
	EXPECT_EQ(1, cfg->cpus);
	EXPECT_EQ(ACCEL_A64VCPU, cfg->accel);
	EXPECT_FALSE(cfg->bare);
	EXPECT_FALSE(cfg->stats);
	EXPECT_FALSE(cfg->pin_vcpus);
	EXPECT_FALSE(cfg->pin);
	EXPECT_FALSE(cfg->no_thp);
	EXPECT_EQ(NULL, cfg->mem_path);
	EXPECT_EQ(0, cfg->nr_loads);
	EXPECT_EQ(0, cfg->nr_disks);
	EXPECT_FALSE(cfg->rng);
	EXPECT_EQ(NULL, cfg->net.tap);
	EXPECT_EQ(CONSOLE_SERIAL, cfg->console);
}

TEST_F(cmdline, defaults)
{
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image"));
	EXPECT_STREQ("", self->err);
	expect_defaults(_metadata, &self->cfg);
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "--kernel", "Image"));
	expect_defaults(_metadata, &self->cfg);
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "--kernel=Image"));
	expect_defaults(_metadata, &self->cfg);
}

TEST_F(cmdline, all_short_options)
{
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "vmlinux", "-i", "initrd.cpio",
				     "-p", "console=ttyAMA0 earlycon", "-m", "256", "-c", "4",
				     "--accel", "kvm", "--bare", "--stats", "--pin-vcpus",
				     "--no-thp", "--mem-path", "/dev/hugepages",
				     "--load", "a.bin@0x40100000", "--load", "b.bin@1073745920",
				     "--dump-dtb", "out.dtb")) TH_LOG("%s", self->err);
	EXPECT_STREQ("vmlinux", self->cfg.kernel);
	EXPECT_STREQ("initrd.cpio", self->cfg.initrd);
	EXPECT_STREQ("console=ttyAMA0 earlycon", self->cfg.cmdline);
	EXPECT_EQ(256, self->cfg.ram_mib);
	EXPECT_EQ(4, self->cfg.cpus);
	EXPECT_EQ(ACCEL_KVM, self->cfg.accel);
	EXPECT_TRUE(self->cfg.bare);
	EXPECT_TRUE(self->cfg.stats);
	EXPECT_TRUE(self->cfg.pin_vcpus);
	EXPECT_TRUE(self->cfg.no_thp);
	EXPECT_STREQ("/dev/hugepages", self->cfg.mem_path);
	EXPECT_FALSE(self->cfg.pin);
	EXPECT_STREQ("out.dtb", self->cfg.dtb_out);
	EXPECT_EQ(NULL, self->cfg.dtb_in);
	ASSERT_EQ(2, self->cfg.nr_loads);
	EXPECT_STREQ("a.bin", self->cfg.loads[0].path);
	EXPECT_EQ(0x40100000, self->cfg.loads[0].addr);
	EXPECT_STREQ("b.bin", self->cfg.loads[1].path);
	EXPECT_EQ(0x40001000, self->cfg.loads[1].addr);
}

TEST_F(cmdline, all_long_options)
{
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "--kernel", "Image", "--initrd", "rd",
				     "--params", "quiet", "--mem", "1024", "--cpus", "8",
				     "--accel", "a64vcpu", "--dtb", "in.dtb", "--pin"))
		TH_LOG("%s", self->err);
	EXPECT_TRUE(self->cfg.pin);
	EXPECT_STREQ("Image", self->cfg.kernel);
	EXPECT_STREQ("rd", self->cfg.initrd);
	EXPECT_STREQ("quiet", self->cfg.cmdline);
	EXPECT_EQ(1024, self->cfg.ram_mib);
	EXPECT_EQ(VIRT_MAX_CPUS, self->cfg.cpus);
	EXPECT_EQ(ACCEL_A64VCPU, self->cfg.accel);
	EXPECT_STREQ("in.dtb", self->cfg.dtb_in);
	EXPECT_EQ(NULL, self->cfg.dtb_out);
	/* options before -k, and the largest RAM: up to the top of the 40-bit IPA space */
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-m", "1047552", "-k", "Image"));
	EXPECT_EQ(VIRT_MAX_RAM_MIB, self->cfg.ram_mib);
	EXPECT_EQ(1ULL << 40, VIRT_RAM_BASE + (self->cfg.ram_mib << 20));
}

/* RAM at 1 GiB must end within the 40-bit guest-physical space: 1 TiB is too much. */
TEST_F(cmdline, ram_beyond_ipa_space)
{
	EXPECT_USAGE_ERROR("-m wants at most 1047552 MiB, got '1048576': RAM starts at "
			   "0x40000000 and must end within the guest's 40-bit physical address "
			   "space (1024 GiB)", "run", "-k", "Image", "-m", "1048576");
	EXPECT_USAGE_ERROR("at most 1047552 MiB", "run", "-k", "Image", "-m", "1047553");
	EXPECT_USAGE_ERROR("at most 1047552 MiB", "run", "-k", "Image", "-m",
			   "0xffffffffffffffff");
	EXPECT_USAGE_ERROR("-m wants MiB of RAM, 4..1047552, got '3'", "run", "-k", "Image",
			   "-m", "3");
}

/* RAM goes to the accelerator in slots of at most 64 GiB (a64vcpu's limit). */
TEST(ram_slots)
{
	EXPECT_EQ(64ULL << 30, RAM_SLOT_MAX);
	EXPECT_EQ(1, ram_nr_slots(4 << 20));
	EXPECT_EQ(1, ram_nr_slots(64ULL << 30));
	EXPECT_EQ(2, ram_nr_slots((64ULL << 30) + 4096));
	EXPECT_EQ(2, ram_nr_slots(128ULL << 30));
	EXPECT_EQ(16, ram_nr_slots(VIRT_MAX_RAM_MIB << 20));	/* fits a64vcpu's 32 slots */
}

TEST_F(cmdline, load)
{
	unsigned int i;

	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image", "--load", "f@0x40100000"));
	ASSERT_EQ(1, self->cfg.nr_loads);
	EXPECT_STREQ("f", self->cfg.loads[0].path);
	EXPECT_EQ(0x40100000, self->cfg.loads[0].addr);
	/* the last '@' separates: a path may hold one */
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image", "--load", "dir@2/f@0x1000"));
	EXPECT_STREQ("dir@2/f", self->cfg.loads[0].path);
	EXPECT_EQ(0x1000, self->cfg.loads[0].addr);
	/* A64VM_MAX_LOADS of them, and not one more */
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "I", "--load", "1@1", "--load", "2@2",
				     "--load", "3@3", "--load", "4@4", "--load", "5@5",
				     "--load", "6@6", "--load", "7@7", "--load", "8@8"));
	ASSERT_EQ(A64VM_MAX_LOADS, self->cfg.nr_loads);
	for (i = 0; i < A64VM_MAX_LOADS; i++)
		EXPECT_EQ(i + 1, self->cfg.loads[i].addr);
	EXPECT_USAGE_ERROR("--load", "run", "-k", "I", "--load", "1@1", "--load", "2@2",
			   "--load", "3@3", "--load", "4@4", "--load", "5@5", "--load", "6@6",
			   "--load", "7@7", "--load", "8@8", "--load", "9@9");
}

/* -d FILE[,ro] as kvmtool's, repeatable in order; --rng. */
TEST_F(cmdline, disks)
{
	unsigned int i;

	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "I", "-d", "a.img", "--disk", "b.img,ro",
				     "--rng"));
	ASSERT_EQ(2, self->cfg.nr_disks);
	EXPECT_STREQ("a.img", self->cfg.disks[0].path);
	EXPECT_FALSE(self->cfg.disks[0].ro);
	EXPECT_STREQ("b.img", self->cfg.disks[1].path);
	EXPECT_TRUE(self->cfg.disks[1].ro);
	EXPECT_TRUE(self->cfg.rng);
	EXPECT_USAGE_ERROR("-d wants FILE or FILE,ro, got 'a.img,rw'", "run", "-k", "I",
			   "-d", "a.img,rw");
	EXPECT_USAGE_ERROR("got ',ro'", "run", "-k", "I", "-d", ",ro");
	EXPECT_USAGE_ERROR("-d wants", "run", "-k", "I", "-d", "");
	EXPECT_USAGE_ERROR("-d wants", "run", "-k", "I", "-d", "dir,ro/c.img");	/* as kvmtool */
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "I", "-d", "1", "-d", "2", "-d", "3", "-d", "4",
				     "-d", "5", "-d", "6", "-d", "7", "-d", "8,ro"));
	ASSERT_EQ(A64VM_MAX_DISKS, self->cfg.nr_disks);
	for (i = 0; i < A64VM_MAX_DISKS; i++)
		EXPECT_EQ(i == A64VM_MAX_DISKS - 1, self->cfg.disks[i].ro);
	EXPECT_FALSE(self->cfg.rng);
	EXPECT_USAGE_ERROR("at most 8 disks", "run", "-k", "I", "-d", "1", "-d", "2", "-d", "3",
			   "-d", "4", "-d", "5", "-d", "6", "-d", "7", "-d", "8", "-d", "9");
}

TEST_F(cmdline, bad_load)
{
	EXPECT_USAGE_ERROR("f", "run", "-k", "Image", "--load", "f");
	EXPECT_USAGE_ERROR("@0x1000", "run", "-k", "Image", "--load", "@0x1000");
	EXPECT_USAGE_ERROR("f@", "run", "-k", "Image", "--load", "f@");
	EXPECT_USAGE_ERROR("f@zz", "run", "-k", "Image", "--load", "f@zz");
	EXPECT_USAGE_ERROR("f@0x10zz", "run", "-k", "Image", "--load", "f@0x10zz");
	EXPECT_USAGE_ERROR("f@-1", "run", "-k", "Image", "--load", "f@-1");
	EXPECT_USAGE_ERROR("--load", "run", "-k", "Image", "--load",
			   "f@0x10000000000000000");
}

TEST_F(cmdline, bad_numbers)
{
	EXPECT_USAGE_ERROR("-m", "run", "-k", "Image", "-m", "0");
	EXPECT_USAGE_ERROR("-m", "run", "-k", "Image", "-m", "");
	EXPECT_USAGE_ERROR("-m", "run", "-k", "Image", "-m", "64M");
	EXPECT_USAGE_ERROR("-m", "run", "-k", "Image", "-m", "-64");
	EXPECT_USAGE_ERROR("-m", "run", "-k", "Image", "-m", "1048577");
	EXPECT_USAGE_ERROR("-m", "run", "-k", "Image", "-m", "1048576");
	EXPECT_USAGE_ERROR("-c", "run", "-k", "Image", "-c", "0");
	EXPECT_USAGE_ERROR("-c", "run", "-k", "Image", "-c", "99");
	EXPECT_USAGE_ERROR("-c", "run", "-k", "Image", "-c", "9");
	EXPECT_USAGE_ERROR("-c", "run", "-k", "Image", "-c", "two");
	EXPECT_USAGE_ERROR("-c", "run", "-k", "Image", "--cpus", "4294967297");
}

TEST_F(cmdline, bad_options)
{
	EXPECT_USAGE_ERROR("--frobnicate", "run", "-k", "Image", "--frobnicate");
	EXPECT_USAGE_ERROR("option", "run", "-z", "-k", "Image");
	EXPECT_USAGE_ERROR("option", "run", "-k");			/* no value */
	EXPECT_USAGE_ERROR("--accel", "run", "-k", "Image", "--accel", "bogus");
	EXPECT_USAGE_ERROR("bogus", "run", "-k", "Image", "--accel", "bogus");
	EXPECT_USAGE_ERROR("extra", "run", "-k", "Image", "extra");
	EXPECT_USAGE_ERROR("--dump-dtb", "run", "-k", "Image", "--dtb", "a.dtb",
			   "--dump-dtb", "b.dtb");
	EXPECT_USAGE_ERROR("option", "run", "-k", "Image", "--mem-path");	/* no value */
	/* KVM has no pinned slots, in either order */
	EXPECT_USAGE_ERROR("--pin asks a64vcpu", "run", "-k", "Image", "--pin", "--accel", "kvm");
	EXPECT_USAGE_ERROR("KVM has none", "run", "--accel", "kvm", "-k", "Image", "--pin");
}

/* -n tap=NAME[,mac=MAC] and --console, kvmtool's syntax. */
TEST_F(cmdline, network_and_console)
{
	static const uint8_t qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const uint8_t mac[6] = { 0x02, 0xab, 0xcd, 0xef, 0x01, 0x23 };

	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image", "-n", "tap=tap0"));
	EXPECT_STREQ("tap0", self->cfg.net.tap);
	EXPECT_EQ(0, memcmp(qemu_mac, self->cfg.net.mac, 6));
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image", "--network",
				     "mac=02:AB:cd:ef:01:23,tap=a64tap0", "--console", "virtio"));
	EXPECT_STREQ("a64tap0", self->cfg.net.tap);
	EXPECT_EQ(0, memcmp(mac, self->cfg.net.mac, 6));
	EXPECT_EQ(CONSOLE_VIRTIO, self->cfg.console);
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image", "--console", "serial"));
	EXPECT_EQ(CONSOLE_SERIAL, self->cfg.console);

	EXPECT_USAGE_ERROR("tap=NAME", "run", "-k", "Image", "-n", "mac=02:00:00:00:00:01");
	EXPECT_USAGE_ERROR("tap=", "run", "-k", "Image", "-n", "tap=");
	EXPECT_USAGE_ERROR("mode=user", "run", "-k", "Image", "-n", "tap=t,mode=user");
	EXPECT_USAGE_ERROR("mac=02:00:00:00:00", "run", "-k", "Image", "-n",
			   "tap=t,mac=02:00:00:00:00");
	EXPECT_USAGE_ERROR("mac=02:00:00:00:00:01x", "run", "-k", "Image", "-n",
			   "tap=t,mac=02:00:00:00:00:01x");
	EXPECT_USAGE_ERROR("multicast", "run", "-k", "Image", "-n", "tap=t,mac=01:00:5e:00:00:01");
	EXPECT_USAGE_ERROR("one network", "run", "-k", "Image", "-n", "tap=a", "-n", "tap=b");
	EXPECT_USAGE_ERROR("--console", "run", "-k", "Image", "--console", "hv");
}

TEST_F(cmdline, no_kernel)
{
	EXPECT_USAGE_ERROR("-k", "run");
	EXPECT_USAGE_ERROR("-k", "run", "-m", "128", "-i", "initrd");
	/* --dump-dtb needs no guest to run */
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "--dump-dtb", "out.dtb"));
	EXPECT_STREQ("out.dtb", self->cfg.dtb_out);
	EXPECT_EQ(NULL, self->cfg.kernel);
}

TEST_F(cmdline, no_command)
{
	const char *const alone[] = { "a64vm", NULL };

	EXPECT_EQ(CMDLINE_ERROR, parse(&self->cfg, self->err, sizeof(self->err), alone));
	EXPECT_NE(0, self->err[0]);
	EXPECT_NE('x', self->err[0]);
	EXPECT_USAGE_ERROR("run", "start", "-k", "Image");
	EXPECT_USAGE_ERROR("run", "-k", "Image");
}

TEST_F(cmdline, help_and_version)
{
	EXPECT_EQ(CMDLINE_HELP, PARSE("--help"));
	EXPECT_EQ(CMDLINE_VERSION, PARSE("--version"));
	EXPECT_EQ(CMDLINE_HELP, PARSE("run", "--help"));
	EXPECT_EQ(CMDLINE_HELP, PARSE("run", "-k", "Image", "-h"));
	EXPECT_EQ(CMDLINE_VERSION, PARSE("run", "--version"));
}

TEST(usage_text)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ASSERT_NE(NULL, f);
	cmdline_usage(f);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "a64vm run -k IMAGE"));
	EXPECT_NE(NULL, strstr(text, "--dump-dtb"));
	EXPECT_NE(NULL, strstr(text, "--load FILE@ADDR"));
	EXPECT_NE(NULL, strstr(text, "--mem-path DIR"));
	EXPECT_NE(NULL, strstr(text, "4..1047552 MiB"));
	EXPECT_NE(NULL, strstr(text, "4 stopped from the console (Ctrl-A x)"));
	EXPECT_NE(NULL, strstr(text, "Ctrl-A Ctrl-A sends Ctrl-A"));
	free(text);
}

/* getopt's state is reset: a second parse sees only its own arguments. */
TEST_F(cmdline, parse_twice)
{
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "vmlinux", "-c", "2", "--bare", "--stats",
				     "--load", "x@0x1000"));
	EXPECT_EQ(CMDLINE_ERROR, PARSE("run", "--bogus"));
	ASSERT_EQ(CMDLINE_RUN, PARSE("run", "-k", "Image"));
	expect_defaults(_metadata, &self->cfg);
	EXPECT_STREQ("", self->err);
}

TEST_HARNESS_MAIN
