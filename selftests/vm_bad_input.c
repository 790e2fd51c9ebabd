// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad input on the system, VM and vCPU fds: unknown flags, non-zero
 * reserved fields, absurd sizes and counts, wrong fd types; each refused
 * with its errno and without side effects.  A VM's fds used from another
 * process (a child after fork()) are refused with EIO, as KVM's are.  A
 * user holds at most vmids_per_user VMIDs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "vm.h"

TEST(create_vm)
{
	int sys = a64_open(), max = ioctl(sys, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_IPA_SIZE);
	struct a64vcpu_vm_config cfg = { 0 };
	int fd;

	cfg.flags = 1;
	EXPECT_EQ(-1, ioctl(sys, A64VCPU_CREATE_VM, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.flags = 0;
	cfg.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(sys, A64VCPU_CREATE_VM, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.reserved[2] = 0;
	cfg.ipa_bits = 31;
	EXPECT_EQ(-1, ioctl(sys, A64VCPU_CREATE_VM, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.ipa_bits = max + 1;
	EXPECT_EQ(-1, ioctl(sys, A64VCPU_CREATE_VM, &cfg));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(sys, A64VCPU_CREATE_VM, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Every supported IPA size gives a VM (3- and 4-level stage 2). */
	for (cfg.ipa_bits = 32; cfg.ipa_bits <= (unsigned int)max; cfg.ipa_bits++) {
		fd = ioctl(sys, A64VCPU_CREATE_VM, &cfg);
		EXPECT_LE(0, fd) TH_LOG("ipa_bits %u", cfg.ipa_bits);
		close(fd);
	}
	close(sys);
}

TEST(create_vcpu_and_setup)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct a64vcpu_vcpu_config cfg = { 0 };
	struct a64vcpu_setup_config setup = { 0 };
	int fds[A64VCPU_CAP_MAX_VCPUS + 64], n = 0, max, i;
	struct test_vcpu *vcpu;

	cfg.flags = 1;
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.flags = 0;
	cfg.reserved[3] = 1;
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.reserved[3] = 0;
	cfg.mpidr = 1ULL << 31;		/* not an affinity bit */
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.mpidr = 0;

	max = ioctl(vm->sys_fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_VCPUS);
	ASSERT_LT(0, max);
	ASSERT_GT(64 + A64VCPU_CAP_MAX_VCPUS, max);
	for (n = 0; n < max; n++) {
		fds[n] = ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg);
		ASSERT_LE(0, fds[n]);
	}
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_CREATE_VCPU, &cfg));
	EXPECT_EQ(ENOSPC, errno);
	for (i = 0; i < n; i++)
		close(fds[i]);

	vcpu = vcpu_add(vm, 0);
	setup.flags = A64VCPU_SETUP_PASSTHROUGH_INTERRUPT;
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_VCPU_SETUP, &setup));
	EXPECT_EQ(EOPNOTSUPP, errno);
	setup.flags = 4;
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_VCPU_SETUP, &setup));
	EXPECT_EQ(EINVAL, errno);
	setup.flags = A64VCPU_SETUP_PASSTHROUGH_TIMER;
	setup.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_VCPU_SETUP, &setup));
	EXPECT_EQ(EINVAL, errno);
	setup.reserved[0] = 0;
	EXPECT_EQ(0, ioctl(vcpu->fd, A64VCPU_VCPU_SETUP, &setup));

	struct a64vcpu_irq_line line = { .line = 2, .level = 1 };

	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_SET_IRQ_LINE, &line));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_RUN, 1));
	EXPECT_EQ(EINVAL, errno);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(wrong_fd_types)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	struct a64vcpu_vm_config cfg = { 0 };
	uint64_t entry = 0;

	EXPECT_EQ(-1, ioctl(vm->sys_fd, A64VCPU_RUN, 0));	/* vCPU ioctl on /dev */
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_SET_ENTRY, &entry));	/* on a VM */
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_CREATE_VM, &cfg));	/* on a vCPU */
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vcpu->fd, A64VCPU_CREATE_VCPU, &cfg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 1));
	EXPECT_EQ(EINVAL, errno);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/*
 * The run structure is one page at offset 0: any other offset or size is
 * EINVAL, also right after a mapping of the same fd (ioctl_fuzz, seed 4:
 * the kernel merged the new range into that mapping without asking the
 * module, and mmap() at offset 4096 succeeded).  mremap() cannot grow it.
 */
TEST(run_mmap_one_page_at_zero)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	struct test_vcpu *vcpu = vcpu_add(vm, 0);
	long page = sysconf(_SC_PAGESIZE);
	char *area, *p;

	area = mmap(NULL, 3 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	p = mmap(area, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, vcpu->fd, 0);
	ASSERT_EQ(area, p);
	EXPECT_EQ(MAP_FAILED, mmap(area + page, page, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, vcpu->fd, page));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED,
				   vcpu->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mremap(area, page, 2 * page, 0));
	EXPECT_EQ(EFAULT, errno);
	munmap(area, 3 * page);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(stage2_space_limit)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);
	int max = ioctl(vm->sys_fd, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_STAGE2), i;

	ASSERT_LT(1, max);
	for (i = 1; i < max; i++)
		EXPECT_EQ(i, ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 0));
	EXPECT_EQ(-1, ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 0));
	EXPECT_EQ(ENOSPC, errno);
	vm_destroy(vm);
}

/* Bit n of the child's exit status: its call n did something else than EIO. */
static int child_calls(struct test_vm *vm, struct test_vcpu *vcpu)
{
	struct a64vcpu_device_attr attr = {
		.group = A64VCPU_VGIC_GRP_CTRL, .attr = A64VCPU_VGIC_CTRL_INIT,
	};
	size_t size = 0x10000;
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad = 0;

	if (ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 0) != -1 || errno != EIO)
		bad |= 1;
	if (vcpu_run(vcpu) != -1 || errno != EIO)
		bad |= 2;
	if (ioctl(vm->gic, A64VCPU_HAS_DEVICE_ATTR, &attr) != -1 || errno != EIO)
		bad |= 4;
	/* Its own memory as guest RAM: refused too. */
	if (mem == MAP_FAILED ||
	    vm_set_slot(vm, 1, 0, GUEST_RAM_GPA + 0x1000000, size, mem, 0) != -1 || errno != EIO)
		bad |= 8;
	return bad;
}

/*
 * Lines of the kernel log, from @kmsg's position on, that contain @what.
 * /dev/kmsg gives one record per read().
 */
static int kmsg_count(int kmsg, const char *what)
{
	char rec[1024];
	ssize_t n;
	int count = 0;

	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;	/* EPIPE: records were overwritten */
		rec[n] = 0;
		count += !!strstr(rec, what);
	}
	return count;
}

TEST(other_process_gets_eio)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(loop));
	int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	struct test_vcpu *vcpu;
	char line[64];
	int status;
	pid_t pid;

	ASSERT_LE(0, vgic_create(vm, 0));
	vcpu = vcpu_add(vm, 0);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(child_calls(vm, vcpu));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Four refused calls, one line: a child trying every fd says it once. */
	snprintf(line, sizeof(line), "[%d]: a VM fd used outside", pid);
	if (kmsg < 0)
		TH_LOG("no /dev/kmsg (%s): the log line is not counted", strerror(errno));
	else
		EXPECT_EQ(1, kmsg_count(kmsg, line));
	/* The creator's fds still work, and the child's calls left nothing. */
	EXPECT_EQ(1, ioctl(vm->fd, A64VCPU_CREATE_STAGE2, 0));
	EXPECT_EQ(0, ioctl(vm->gic, A64VCPU_HAS_DEVICE_ATTR, &(struct a64vcpu_device_attr){
		.group = A64VCPU_VGIC_GRP_CTRL, .attr = A64VCPU_VGIC_CTRL_INIT }));
	vgic_init(vm->gic);
	EXPECT_EQ(1, vcpu_ucall(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	if (kmsg >= 0)
		close(kmsg);
}

#define VMIDS_PER_USER	"/sys/module/a64vcpu/parameters/vmids_per_user"

static long read_param(void)
{
	FILE *f = fopen(VMIDS_PER_USER, "r");
	long v = -1;

	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

static int write_param(long v)
{
	FILE *f = fopen(VMIDS_PER_USER, "w");
	int ok = f && fprintf(f, "%ld\n", v) > 0;

	return (f && fclose(f)) || !ok ? -1 : 0;
}

/* Root without CAP_SYS_RESOURCE in its effective set. */
static int drop_sys_resource(void)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &head, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective &= ~CAP_TO_MASK(CAP_SYS_RESOURCE);
	return syscall(SYS_capset, &head, data);
}

/*
 * As user @uid (no capabilities left; uid 0: without CAP_SYS_RESOURCE):
 * VMs, each with every stage-2 space it may have, until the module says
 * ENOSPC.  Returns how many VMIDs that took (VMs and spaces), or 255 if
 * anything else went wrong; holds them until @hold says so (a byte, or
 * its end).
 */
static int vmids_as_user(int sys, uid_t uid, int report, int hold)
{
	struct a64vcpu_vm_config cfg = { 0 };
	int n = 0, vm, space;
	char c;

	if (uid ? setresgid(uid, uid, uid) || setresuid(uid, uid, uid) : drop_sys_resource())
		return 255;
	while ((vm = ioctl(sys, A64VCPU_CREATE_VM, &cfg)) >= 0) {
		n++;
		while ((space = ioctl(vm, A64VCPU_CREATE_STAGE2, 0)) > 0)
			n++;
		if (errno != ENOSPC)
			return 255;
	}
	if (errno != ENOSPC)
		return 255;
	if (write(report, &c, 1) != 1 || read(hold, &c, 1) < 0)
		return 255;
	return n;
}

/*
 * Of the 255 VMIDs a user may hold vmids_per_user (one per VM, one per
 * stage-2 space): ENOSPC beyond, while another user still gets as many and
 * root (CAP_SYS_RESOURCE) is not limited.  Set to 3 for the test.  Root
 * without CAP_SYS_RESOURCE gets 3 too: the host's VMID 0 is nobody's (it
 * once counted as uid 0's).
 */
TEST(vmids_per_user)
{
	SKIP_UNLESS_ROOT(return, "vmids_per_user (a module parameter) and other users' VMIDs");
	long saved = read_param();
	int sys = a64_open(), report[2], hold[2], status, i, vms[4];
	uid_t uids[3] = { 65534, 65533, 0 };
	pid_t pids[3];
	char c;

	ASSERT_LT(0, saved);
	ASSERT_EQ(0, pipe(report));
	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(0, write_param(3));
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			close(hold[1]);
			_exit(vmids_as_user(sys, uids[i], report[1], hold[0]));
		}
		/* Each user holds its three while the next asks. */
		ASSERT_EQ(1, read(report[0], &c, 1));
	}
	for (i = 0; i < 4; i++) {	/* root: more than 3 */
		vms[i] = ioctl(sys, A64VCPU_CREATE_VM, &(struct a64vcpu_vm_config){ 0 });
		EXPECT_LE(0, vms[i]);
	}
	for (i = 0; i < 4; i++)
		close(vms[i]);
	close(hold[1]);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(3, WEXITSTATUS(status));
	}
	EXPECT_EQ(0, write_param(saved));
	close(sys);
}

TEST_HARNESS_MAIN
