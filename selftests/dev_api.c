// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/a64vcpu system ioctls: the API version, capability queries, unknown
 * ioctls, and who may open the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/a64vcpu.h>
#include "kselftest_harness.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open("/dev/a64vcpu", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/a64vcpu: %s", strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, api_version)
{
	EXPECT_EQ(A64VCPU_API_VERSION, ioctl(self->fd, A64VCPU_GET_API_VERSION, 0));
	EXPECT_EQ(1, A64VCPU_API_VERSION);
}

TEST_F(dev, api_version_rejects_argument)
{
	EXPECT_EQ(-1, ioctl(self->fd, A64VCPU_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, cap_max_ipa_size)
{
	int bits = ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_IPA_SIZE);

	/* The PARange encodings a 4K-granule stage 2 can use. */
	EXPECT_TRUE(bits == 32 || bits == 36 || bits == 40 || bits == 42 ||
		    bits == 44 || bits == 48) TH_LOG("MAX_IPA_SIZE = %d", bits);
}

TEST_F(dev, cap_vcpu_limits)
{
	EXPECT_EQ(1, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_VCPU));
	EXPECT_EQ(64, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_VCPUS));
	EXPECT_EQ(32, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_MEMORY_SLOTS));
	EXPECT_EQ(8, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_STAGE2));
	EXPECT_EQ(getpagesize(), ioctl(self->fd, A64VCPU_GET_VCPU_MMAP_SIZE, 0));
}

TEST_F(dev, cap_interrupts_and_time)
{
	int gic = ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_VGIC_V3);

	EXPECT_EQ(1, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_IRQ_LINE));
	EXPECT_EQ(1, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_TIMERS));
	EXPECT_EQ(1, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_WFI_BLOCKS));
	EXPECT_EQ(1, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_ID_REGS));
	EXPECT_EQ(1, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_INJECT));
	EXPECT_EQ(0x10001, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_PSCI_VERSION));
	/* The QEMU test machine has a GICv3 with its system-register interface. */
	EXPECT_EQ(1024, gic);
	/* Doorbells: the most a VM can have; interrupt eventfds where there is a vGIC. */
	EXPECT_EQ(256, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_DOORBELL));
	EXPECT_EQ(gic > 0, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_IRQFD));
}

TEST_F(dev, cap_unknown_is_zero)
{
	static const unsigned long caps[] = { 0, 15, 1000, 0x7fffffff, ~0UL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		unsigned long cap = caps[i];

		EXPECT_EQ(0, ioctl(self->fd, A64VCPU_CHECK_EXTENSION, cap))
			TH_LOG("cap %#lx", cap);
	}
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	static const unsigned long cmds[] = {
		_IO(A64VCPUIO, 0x04), _IO(A64VCPUIO, 0x3f), _IO(A64VCPUIO, 0x40),
		_IO(A64VCPUIO, 0x80), _IOW(A64VCPUIO, 0x00, int),
		_IO(0xAE, 0x00) /* KVM_GET_API_VERSION */, _IO('T', 0x01),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned long cmd = cmds[i];

		EXPECT_EQ(-1, ioctl(self->fd, cmd, 0)) TH_LOG("cmd %#lx", cmd);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmd);
	}
}

TEST(dev_node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/a64vcpu", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

TEST(dev_unprivileged_open_fails)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open("/dev/a64vcpu", O_RDWR) < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
