// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's check of the loaded module
 * (userspace/vmm/module_check.c), fed the answers of modules good and bad:
 * every capability a64vm uses is asked for, an API version other than 1 or
 * a missing capability is refused naming what is missing and what to do,
 * and the command line's vCPUs, RAM and slots are held against the
 * module's limits, and RAM against the host's available memory.
 */
#include <errno.h>
#include <string.h>
#include <linux/a64vcpu.h>

#include "kselftest_harness.h"
#include "module_check.h"
#include "platform.h"

#define NR_CAPS		16

/* The fake module: its answer to each capability, and which were asked. */
static int answer[NR_CAPS];
static bool asked[NR_CAPS];

static int fake_ask(int sys_fd, unsigned long cap)
{
	if (sys_fd != 42)
		return -EBADF;
	if (cap >= NR_CAPS)
		return 0;
	asked[cap] = true;
	return answer[cap];
}

/* What today's a64vcpu.ko answers on the QEMU host. */
static void good_module(void)
{
	memset(answer, 0, sizeof(answer));
	memset(asked, 0, sizeof(asked));
	answer[A64VCPU_CAP_MAX_IPA_SIZE] = 44;
	answer[A64VCPU_CAP_VCPU] = 1;
	answer[A64VCPU_CAP_MAX_VCPUS] = 64;
	answer[A64VCPU_CAP_MAX_MEMORY_SLOTS] = 32;
	answer[A64VCPU_CAP_MAX_STAGE2] = 8;
	answer[A64VCPU_CAP_DOORBELL] = 64;
}

FIXTURE(check) {
	struct module_needs needs;
	char err[512];
};

FIXTURE_SETUP(check)
{
	good_module();
	self->needs = (struct module_needs){
		.vcpus = 2, .ram_end = VIRT_RAM_BASE + (64 << 20), .ram_slots = 1,
		.ram_pinned = 64ULL << 20, .host_available = 900ULL << 20,
	};
	memset(self->err, 'x', sizeof(self->err) - 1);
	self->err[sizeof(self->err) - 1] = '\0';
}

FIXTURE_TEARDOWN(check)
{
}

#define CHECK(api)	module_check(42, (api), fake_ask, &self->needs, self->err,	\
				     sizeof(self->err))

/* Refused: -1, and one line in err that holds each of the strings given. */
#define EXPECT_REFUSED(api, ...) do {						\
	const char *const __needles[] = { __VA_ARGS__, NULL };			\
	unsigned int __i;							\
										\
	EXPECT_EQ(-1, CHECK(api));						\
	EXPECT_EQ(NULL, strchr(self->err, '\n'));				\
	for (__i = 0; __needles[__i]; __i++) {					\
		EXPECT_NE(NULL, strstr(self->err, __needles[__i]))		\
			TH_LOG("message '%s' lacks '%s'", self->err,		\
			       __needles[__i]);					\
	}									\
} while (0)

TEST_F(check, good_module)
{
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
	EXPECT_STREQ("", self->err);
	/* every capability a64vm uses was asked for */
	EXPECT_TRUE(asked[A64VCPU_CAP_VCPU]);
	EXPECT_TRUE(asked[A64VCPU_CAP_MAX_IPA_SIZE]);
	EXPECT_TRUE(asked[A64VCPU_CAP_MAX_VCPUS]);
	EXPECT_TRUE(asked[A64VCPU_CAP_MAX_MEMORY_SLOTS]);
	EXPECT_TRUE(asked[A64VCPU_CAP_DOORBELL]);
}

TEST_F(check, api_version)
{
	EXPECT_REFUSED(2, "API version 2", "a64vm version 1", "make module",
		       "insmod build/kmod/stock/a64vcpu.ko");
	EXPECT_REFUSED(0, "API version 0");
	EXPECT_REFUSED(-ENOTTY, "does not answer A64VCPU_GET_API_VERSION",
		       strerror(ENOTTY), "make module");
}

/* An older module: capabilities it does not know answer 0, or fail. */
TEST_F(check, missing_capabilities)
{
	answer[A64VCPU_CAP_MAX_MEMORY_SLOTS] = 0;
	EXPECT_REFUSED(1, "a64vcpu.ko lacks A64VCPU_CAP_MAX_MEMORY_SLOTS, which a64vm needs",
		       "older than a64vm", "make module");
	EXPECT_EQ(NULL, strstr(self->err, "A64VCPU_CAP_VCPU"));

	answer[A64VCPU_CAP_VCPU] = -ENOTTY;
	EXPECT_REFUSED(1, "lacks A64VCPU_CAP_VCPU, A64VCPU_CAP_MAX_MEMORY_SLOTS,");

	memset(answer, 0, sizeof(answer));
	EXPECT_REFUSED(1, "lacks A64VCPU_CAP_VCPU, A64VCPU_CAP_MAX_IPA_SIZE, "
		       "A64VCPU_CAP_MAX_VCPUS, A64VCPU_CAP_MAX_MEMORY_SLOTS, A64VCPU_CAP_DOORBELL,");
}

TEST_F(check, too_many_vcpus)
{
	answer[A64VCPU_CAP_MAX_VCPUS] = 4;
	self->needs.vcpus = 4;
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
	self->needs.vcpus = 5;
	EXPECT_REFUSED(1, "-c 5: a64vcpu.ko runs at most 4 vCPUs per VM");
}

/* RAM must end within min(40, the host's) bits: a64vm takes the default IPA size. */
TEST_F(check, ram_beyond_ipa)
{
	self->needs.ram_end = 1ULL << 40;
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
	self->needs.ram_end++;
	EXPECT_REFUSED(1, "RAM up to 0x10000000001 does not fit in the 40-bit guest-physical space",
		       "-m at most 1047552");
	answer[A64VCPU_CAP_MAX_IPA_SIZE] = 36;		/* a host with 36-bit PAs */
	self->needs.ram_end = VIRT_RAM_BASE + (64ULL << 30);
	EXPECT_REFUSED(1, "in the 36-bit guest-physical space", "-m at most 64512");
	self->needs.ram_end = 1ULL << 36;
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
}

TEST_F(check, too_many_slots)
{
	answer[A64VCPU_CAP_MAX_MEMORY_SLOTS] = 2;
	self->needs.ram_slots = 2;
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
	self->needs.ram_slots = 3;
	EXPECT_REFUSED(1, "RAM takes 3 memory slots of at most 64 GiB, a64vcpu.ko allows 2");
}

/*
 * With --pin a64vcpu pins guest RAM: more than the host has available is
 * refused up front (without, a64vm asks for no pinned bytes).
 */
TEST_F(check, ram_beyond_host_memory)
{
	self->needs.ram_pinned = 900ULL << 20;
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
	self->needs.ram_pinned = 2048ULL << 20;
	EXPECT_REFUSED(1, "-m 2048 --pin: a64vcpu pins all of guest RAM in host memory, and "
		       "this host has 900 MiB available: use a smaller -m, or leave out --pin");
	self->needs.host_available = 0;		/* unknown: left to the pin */
	EXPECT_EQ(0, CHECK(1)) TH_LOG("%s", self->err);
}

TEST_HARNESS_MAIN
