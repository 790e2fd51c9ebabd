// SPDX-License-Identifier: GPL-2.0-only
/*
 * The selftest library over the a64vcpu ioctls (see vm.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "el2.h"
#include "vm.h"

static void die(const char *what)
{
	fprintf(stderr, "# test set-up failed: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* liba64vcpu's -errno as the ioctl's -1 and errno, which the tests check. */
static int as_ioctl(int r)
{
	if (r >= 0)
		return r;
	errno = -r;
	return -1;
}

int a64_open(void)
{
	int fd = as_ioctl(a64vcpu_open());

	if (fd < 0)
		die("open /dev/a64vcpu");
	return fd;
}

int vm_set_slot(struct test_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		uint64_t size, void *host, uint32_t stage2)
{
	return as_ioctl(a64vcpu_set_memory_slot(vm->fd, slot, flags, gpa, size, host, stage2));
}

/*
 * The VM's debugfs folder, <pid>-<fd>-<serial>: of the folders this process
 * made with that fd, the newest (a VM can outlive its fd, held by a vCPU).
 */
static void vm_find_debugfs(struct test_vm *vm)
{
	DIR *dir = opendir(A64_DEBUGFS);
	unsigned int serial, newest = 0;
	struct dirent *d;
	int pid, fd;
	char tail;

	vm->debugfs[0] = '\0';
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (sscanf(d->d_name, "%d-%d-%u%c", &pid, &fd, &serial, &tail) == 3 &&
		    pid == getpid() && fd == vm->fd && serial > newest) {
			newest = serial;
			snprintf(vm->debugfs, sizeof(vm->debugfs), A64_DEBUGFS "/%d-%d-%u",
				 pid, fd, serial);
		}
	closedir(dir);
}

struct test_vm *vm_create(size_t ram_size)
{
	return vm_create_ipa(ram_size, 0);
}

struct test_vm *vm_create_ipa(size_t ram_size, unsigned int ipa_bits)
{
	struct test_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		die("calloc");
	vm->gic = -1;
	vm->sys_fd = a64_open();
	vm->fd = as_ioctl(a64vcpu_create_vm(vm->sys_fd, ipa_bits));
	if (vm->fd < 0)
		die("A64VCPU_CREATE_VM");
	vm_find_debugfs(vm);
	vm->ram_size = ram_size;
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->ram == MAP_FAILED)
		die("mmap guest RAM");
	if (vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, ram_size, vm->ram, 0))
		die("A64VCPU_SET_MEMORY_SLOT");
	return vm;
}

void vm_load(struct test_vm *vm, uint64_t offset, struct guest_code code)
{
	size_t len = (const char *)code.end - (const char *)code.start;

	if (offset + len > vm->ram_size) {
		errno = E2BIG;
		die("guest program larger than RAM");
	}
	memcpy((char *)vm->ram + offset, code.start, len);
	/* The guest fetches it through its own (stage-2) mapping of these pages. */
	__builtin___clear_cache((char *)vm->ram + offset, (char *)vm->ram + offset + len);
}

struct test_vm *vm_create_with_program(struct guest_code code)
{
	struct test_vm *vm = vm_create(GUEST_RAM_SIZE);

	vm_load(vm, 0, code);
	return vm;
}

void vm_destroy(struct test_vm *vm)
{
	if (vm->gic >= 0)
		close(vm->gic);
	close(vm->fd);
	close(vm->sys_fd);
	munmap(vm->ram, vm->ram_size);
	free(vm);
}

struct test_vcpu *vcpu_add(struct test_vm *vm, uint64_t mpidr)
{
	struct test_vcpu *vcpu = calloc(1, sizeof(*vcpu));

	if (!vcpu)
		die("calloc");
	vcpu->fd = as_ioctl(a64vcpu_create_vcpu(vm->fd, mpidr, 0));
	if (vcpu->fd < 0)
		die("A64VCPU_CREATE_VCPU");
	vcpu->run = a64vcpu_map_run(vm->sys_fd, vcpu->fd);
	if (!vcpu->run)
		die("mmap vcpu");
	if (as_ioctl(a64vcpu_set_entry(vcpu->fd, GUEST_RAM_GPA)))
		die("A64VCPU_SET_ENTRY");
	/* A stack at the top of RAM, for guest programs that want one. */
	vcpu_set(vcpu, A64VCPU_REG_SP_EL1, GUEST_RAM_GPA + vm->ram_size);
	return vcpu;
}

void vcpu_destroy(struct test_vcpu *vcpu)
{
	a64vcpu_unmap_run(vcpu->run);
	close(vcpu->fd);
	free(vcpu);
}

int vcpu_run(struct test_vcpu *vcpu)
{
	return as_ioctl(a64vcpu_run(vcpu->fd));
}

uint64_t vcpu_get(struct test_vcpu *vcpu, uint64_t id)
{
	uint64_t val;

	if (as_ioctl(a64vcpu_get_reg(vcpu->fd, id, &val)))
		die("A64VCPU_GET_REG");
	return val;
}

void vcpu_set(struct test_vcpu *vcpu, uint64_t id, uint64_t val)
{
	if (as_ioctl(a64vcpu_set_reg(vcpu->fd, id, val)))
		die("A64VCPU_SET_REG");
}

uint32_t vcpu_run_to_exit(struct test_vcpu *vcpu)
{
	do {
		if (vcpu_run(vcpu))
			die("A64VCPU_RUN");
	} while (vcpu->run->exit_reason == A64VCPU_EXIT_HALT);
	return vcpu->run->exit_reason;
}

/*
 * A C guest's printf() goes to the PL011's data register: passed on to
 * stderr, a line at a time, as "# guest: ...".  Its status register reads 0
 * (room to send).  Returns true if the exit was one of these.
 */
static bool guest_console(struct test_vcpu *vcpu)
{
	struct a64vcpu_run *run = vcpu->run;
	uint64_t addr = run->mmio.phys_addr;

	if (run->exit_reason != A64VCPU_EXIT_MMIO || addr < UART_GPA || addr >= UART_GPA + 0x1000)
		return false;
	if (!run->mmio.is_write) {
		run->mmio.data = 0;
		return true;
	}
	if (addr != UART_GPA)
		return true;
	if (run->mmio.data != '\n' && vcpu->len < sizeof(vcpu->line) - 1) {
		vcpu->line[vcpu->len++] = run->mmio.data;
		return true;
	}
	vcpu->line[vcpu->len] = 0;
	fprintf(stderr, "# guest: %s\n", vcpu->line);
	vcpu->len = 0;
	return true;
}

/* A guest_arg(n) load: answered from vcpu->args[n].  True if it was one. */
static bool guest_arg(struct test_vcpu *vcpu)
{
	struct a64vcpu_run *run = vcpu->run;
	uint64_t off = run->mmio.phys_addr - UCALL_ARG_GPA;

	if (run->exit_reason != A64VCPU_EXIT_MMIO || run->mmio.is_write ||
	    off >= 8 * UCALL_NR_ARGS || off % 8)
		return false;
	run->mmio.data = vcpu->args[off / 8];
	return true;
}

bool vcpu_is_ucall(struct test_vcpu *vcpu, uint64_t *val)
{
	struct a64vcpu_run *run = vcpu->run;

	if (run->exit_reason != A64VCPU_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != UCALL_GPA || run->mmio.len != 8)
		return false;
	*val = run->mmio.data;
	return true;
}

long file_stat(const char *path, const char *name)
{
	char line[256], key[64];
	long long val, found = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &val) == 2 && !strcmp(key, name))
			found = val;
	fclose(f);
	return found;
}

int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return ret;
}

int write_long(const char *path, long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", val);
	return write_str(path, buf);
}

bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long val = -1;

	if (f) {
		if (fscanf(f, "%ld", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

int memcg_make(const char *path)
{
	if (access("/sys/fs/cgroup/cgroup.procs", F_OK) &&
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL))
		return -1;
	if (write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory"))
		return -1;
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

bool debugfs_readable(void)
{
	return !access(A64_DEBUGFS "/el2", R_OK);
}

void stat_unchecked(const char *file, int line)
{
	static bool said;

	if (!said)
		fprintf(stderr, "# %s:%d: statistics not checked: the module's debugfs is root's (uid %d)\n",
			file, line, (int)geteuid());
	said = true;
}

long vm_stat(struct test_vm *vm, const char *file, const char *name)
{
	char path[sizeof(vm->debugfs) + 16];

	snprintf(path, sizeof(path), "%s/%s", vm->debugfs, file);
	return file_stat(path, name);
}

long vcpu_stat(struct test_vm *vm, int vcpu, const char *name)
{
	char file[16];

	snprintf(file, sizeof(file), "vcpu%d", vcpu);
	return vm_stat(vm, file, name);
}

uint32_t vcpu_run_guest(struct test_vcpu *vcpu)
{
	uint32_t reason;
	uint64_t val;

	do
		reason = vcpu_run_to_exit(vcpu);
	while (guest_console(vcpu) || guest_arg(vcpu));
	if (vcpu_is_ucall(vcpu, &val) && (val >> 48) == UCALL_FAIL_TAG) {
		fprintf(stderr, "# the guest failed an assertion at line %llu\n",
			(unsigned long long)(val & 0xffff));
		exit(1);
	}
	return reason;
}

uint64_t vcpu_ucall(struct test_vcpu *vcpu)
{
	uint32_t reason = vcpu_run_guest(vcpu);
	uint64_t val;

	if (!vcpu_is_ucall(vcpu, &val)) {
		fprintf(stderr, "# expected a ucall, got exit %s (mmio %#llx) pc %#llx\n",
			exit_name(reason), (unsigned long long)vcpu->run->mmio.phys_addr,
			(unsigned long long)vcpu_get(vcpu, A64VCPU_REG_PC));
		exit(1);
	}
	return val;
}

int vgic_create(struct test_vm *vm, unsigned int nr_irqs)
{
	struct a64vcpu_create_device dev = { .type = A64VCPU_DEV_VGIC_V3 };
	uint64_t dist = VGIC_DIST_GPA, redist = VGIC_REDIST_GPA;

	if (ioctl(vm->fd, A64VCPU_CREATE_DEVICE, &dev) < 0)
		return -1;
	vm->gic = dev.fd;
	if (vgic_attr(dev.fd, true, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_DIST, &dist) ||
	    vgic_attr(dev.fd, true, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_REDIST, &redist) ||
	    (nr_irqs && vgic_attr(dev.fd, true, A64VCPU_VGIC_GRP_NR_IRQS, 0, &nr_irqs)))
		die("vGIC attributes");
	return dev.fd;
}

int vgic_attr(int fd, bool set, uint32_t group, uint64_t attr, void *val)
{
	struct a64vcpu_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(fd, set ? A64VCPU_SET_DEVICE_ATTR : A64VCPU_GET_DEVICE_ATTR, &a);
}

void vgic_init(int fd)
{
	if (vgic_attr(fd, true, A64VCPU_VGIC_GRP_CTRL, A64VCPU_VGIC_CTRL_INIT, NULL))
		die("A64VCPU_VGIC_CTRL_INIT");
}

struct test_vm *vm_create_vgic(struct guest_code code, unsigned int nr_vcpus,
			       unsigned int nr_irqs, struct test_vcpu **vcpus)
{
	struct test_vm *vm = vm_create_with_program(code);
	unsigned int i;

	if (vgic_create(vm, nr_irqs) < 0)
		die("A64VCPU_CREATE_DEVICE");
	for (i = 0; i < nr_vcpus; i++)
		vcpus[i] = vcpu_add(vm, i);
	vgic_init(vm->gic);
	return vm;
}

int irq_line(struct test_vm *vm, uint32_t type, uint32_t vcpu, uint32_t irq, uint32_t level)
{
	struct a64vcpu_irq_level req = { .type = type, .vcpu = vcpu, .irq = irq, .level = level };

	return ioctl(vm->fd, A64VCPU_IRQ_LINE, &req);
}

const char *exit_name(uint32_t reason)
{
	return a64vcpu_exit_name(reason);
}
