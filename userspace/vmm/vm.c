// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building and running the machine: RAM through the accelerator, the
 * images, the device tree, the vCPUs, PSCI CPU_ON and stopping.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libfdt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dtb.h"
#include "vmm.h"

#define PSCI_RET_INVALID_PARAMETERS	(-2)
#define PSCI_RET_ALREADY_ON		(-4)
#define PSCI_RET_INTERNAL_FAILURE	(-6)
#define MPIDR_AFFINITY_MASK		0xff00ffffffULL
#define FILE_MAX_SIZE			(1ULL << 31)

/* Reads all of @path into a new buffer; NULL after printing why. */
static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf = NULL;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "a64vm: cannot read %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > FILE_MAX_SIZE) {
		fprintf(stderr, "a64vm: %s: not a regular file of at most 2 GiB\n", path);
		goto out;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (buf)
		n = read(fd, buf, st.st_size);
	if (!buf || n != st.st_size) {
		fprintf(stderr, "a64vm: cannot read %s: %s\n", path,
			n < 0 ? strerror(errno) : "short read or out of memory");
		free(buf);
		buf = NULL;
	}
	*len = st.st_size;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

/*
 * Loads @path raw at @gpa (a --load), or as the initrd, page aligned just
 * below the DTB; *@gpa and *@size say where it went.
 */
static int load_file(struct vm *vm, const char *path, bool initrd, uint64_t *gpa,
		     uint64_t *size)
{
	char err[LOADER_ERR_LEN];
	size_t len;
	void *buf = read_file(path, &len);
	int ret = -1;

	if (!buf)
		return -1;
	if (initrd && len > dtb_gpa(&vm->ram) - vm->ram.gpa) {
		fprintf(stderr, "a64vm: %s: initrd (%zu MiB) does not fit below the DTB in %" PRIu64
			" MiB of RAM\n", path, len >> 20, vm->cfg->ram_mib);
		goto out;
	}
	if (initrd)
		*gpa = initrd_gpa(&vm->ram, len);
	ret = load_raw(&vm->ram, &vm->map, buf, len, *gpa, initrd ? "initrd" : path, err);
	if (ret)
		fprintf(stderr, "a64vm: %s: %s\n", path, err);
	*size = len;
out:
	free(buf);
	return ret;
}

static int load_kernel(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	char err[LOADER_ERR_LEN];
	size_t len;
	void *buf = read_file(cfg->kernel, &len);
	int ret;

	if (!buf)
		return -1;
	if (!cfg->bare && is_gzip(buf, len)) {
		/* An Image.gz: inflated to at most what RAM (or a file) could hold. */
		void *image;

		ret = gunzip(buf, len, vm->ram.size < FILE_MAX_SIZE ? vm->ram.size : FILE_MAX_SIZE,
			     &image, &len, err);
		free(buf);
		if (ret) {
			fprintf(stderr, "a64vm: %s: %s\n", cfg->kernel, err);
			return -1;
		}
		buf = image;
	}
	if (!cfg->bare)
		ret = load_arm64_image(&vm->ram, &vm->map, buf, len, &vm->entry, err);
	else if (is_elf(buf, len))
		ret = load_elf(&vm->ram, &vm->map, buf, len, &vm->entry, err);
	else
		ret = load_raw(&vm->ram, &vm->map, buf, len, vm->entry = vm->ram.gpa,
			       "kernel", err);
	if (ret)
		fprintf(stderr, "a64vm: %s: %s\n", cfg->kernel, err);
	free(buf);
	return ret;
}

/*
 * The DTB: generated for this machine, or the user's --dtb with the command
 * line's -p and -i in /chosen; in a new DTB_MAX_SIZE buffer.
 */
static void *make_dtb(struct vm *vm, uint64_t initrd_start, uint64_t initrd_size)
{
	const struct vm_config *cfg = vm->cfg;
	struct fdt_machine m = {
		.ram_base = vm->ram.gpa, .ram_size = vm->ram.size, .cpus = cfg->cpus,
		.gic = vm->gic, .bootargs = cfg->cmdline, .initrd_start = initrd_start,
		.initrd_size = initrd_size,
	};
	char err[LOADER_ERR_LEN];
	void *in = NULL, *buf;
	size_t len;
	int ret;

	if (cfg->dtb_in) {
		in = read_file(cfg->dtb_in, &len);
		if (!in)
			return NULL;
		if (len < sizeof(struct fdt_header) || fdt_check_header(in) ||
		    fdt_totalsize(in) > len || len > DTB_MAX_SIZE) {
			fprintf(stderr, "a64vm: %s: not a DTB of at most 2 MiB\n", cfg->dtb_in);
			free(in);
			return NULL;
		}
	}
	buf = malloc(DTB_MAX_SIZE);
	if (!buf) {
		fprintf(stderr, "a64vm: the DTB: out of memory\n");
		free(in);
		return NULL;
	}
	if (in)
		ret = fdt_patch_chosen(buf, DTB_MAX_SIZE, in, &m, err, sizeof(err));
	else
		ret = fdt_generate(buf, DTB_MAX_SIZE, &m, &vm->bus, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "a64vm: %s: %s\n", in ? cfg->dtb_in : "generating the DTB", err);
		free(buf);
		buf = NULL;
	}
	free(in);
	return buf;
}

static int write_dtb(const char *path, const void *dtb)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(dtb, fdt_totalsize(dtb), 1, f) == 1;

	if (f && fclose(f))
		ok = 0;
	if (!ok)
		fprintf(stderr, "a64vm: cannot write %s: %s\n", path, strerror(errno));
	return ok ? 0 : -1;
}

static int load_images(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	uint64_t initrd_start = 0, initrd_size = 0;
	char err[LOADER_ERR_LEN];
	unsigned int i;
	void *dtb;
	int ret;

	if (load_kernel(vm))
		return -1;
	if (cfg->initrd && load_file(vm, cfg->initrd, true, &initrd_start, &initrd_size))
		return -1;
	for (i = 0; i < cfg->nr_loads; i++) {
		uint64_t gpa = cfg->loads[i].addr, size;

		if (load_file(vm, cfg->loads[i].path, false, &gpa, &size))
			return -1;
	}
	dtb = make_dtb(vm, initrd_start, initrd_size);
	if (!dtb)
		return -1;
	vm->dtb = dtb_gpa(&vm->ram);
	ret = load_raw(&vm->ram, &vm->map, dtb, fdt_totalsize(dtb), vm->dtb, "dtb", err);
	if (ret)
		fprintf(stderr, "a64vm: the DTB: %s\n", err);
	free(dtb);
	return ret;
}

/*
 * The GICv3, created before the vCPUs: if the accelerator has none, the
 * machine has no interrupt controller (a note with --stats).
 */
static int create_gic(struct vm *vm)
{
	const struct gic_config gic = {
		.dist_base = VIRT_GIC_DIST_BASE, .redist_base = VIRT_GIC_REDIST_BASE,
		.nr_vcpus = vm->nr_vcpus, .nr_irqs = VIRT_GIC_NR_IRQS,
	};
	int ret = vm->accel->gic_create(vm, &gic);

	if (ret == -EOPNOTSUPP) {
		if (vm->cfg->stats)
			fprintf(stderr, "a64vm: %s has no interrupt controller: the guest gets none\n",
				vm->accel->name);
		return 0;
	}
	vm->gic = !ret;
	return ret ? -1 : 0;
}

static void kick_handler(int sig)
{
}

static int create_vcpus(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpu[i];

		*vcpu = (struct vcpu){
			.vm = vm, .index = i, .mpidr = i, .powered_on = i == 0, .fd = -1,
		};
		if (i == 0)
			vcpu->created_ticks = read_cntvct();
		if (vm->accel->vcpu_create(vcpu))
			return -1;
	}
	return 0;
}

/* The virtio devices, on transports 0, 1, ... in this order: the disks (vda, ...), rng. */
static int add_virtio_devices(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	unsigned int i;

	for (i = 0; i < cfg->nr_disks; i++)
		if (virtio_blk_init(vm, &cfg->disks[i]))
			return -1;
	if (cfg->net.tap && virtio_net_init(vm, &cfg->net))
		return -1;
	if (cfg->console == CONSOLE_VIRTIO && virtio_console_init(vm))
		return -1;
	return cfg->rng ? virtio_rng_init(vm) : 0;
}

/* With a GIC: the devices' doorbells and interrupt eventfds to the accelerator. */
static int connect_virtio_devices(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_virtio; i++)
		if (virtio_mmio_connect(vm->virtio[i]))
			return -1;
	return 0;
}

/**
 * vm_init() - build the machine @cfg describes, ready to start
 * @vm: zeroed storage for it
 * @cfg: a checked command line
 *
 * With --dump-dtb, writes the DTB and returns 1 without creating a VM.
 * Return: 0 (or 1), or -1 after printing why.
 */
int vm_init(struct vm *vm, const struct vm_config *cfg)
{
	struct sigaction sa = { .sa_handler = kick_handler };	/* no SA_RESTART */
	uint64_t t0, off;
	uint32_t slot;

	vm->cfg = cfg;
	vm->accel = cfg->accel == ACCEL_KVM ? &accel_kvm_ops : &accel_a64vcpu_ops;
	vm->sys_fd = -1;
	vm->fd = -1;
	vm->gic_fd = -1;
	vm->nr_vcpus = cfg->cpus;
	vm->ram = (struct guest_ram){ .gpa = VIRT_RAM_BASE, .size = cfg->ram_mib << 20 };
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->stopped_cond, NULL);
	mmio_bus_init(&vm->bus);
	if (pl011_init(vm) || add_virtio_devices(vm))
		return -1;

	if (cfg->dtb_out) {	/* the machine with its GIC, whatever the accelerator */
		void *dtb;
		int ret;

		vm->gic = true;
		dtb = make_dtb(vm, 0, 0);
		ret = dtb ? write_dtb(cfg->dtb_out, dtb) : -1;

		free(dtb);
		return ret ? -1 : 1;
	}

	sigaction(SIGUSR1, &sa, NULL);
	if (vm->accel->vm_create(vm) || create_gic(vm))
		return -1;
	if (ram_map(&vm->ram, cfg))
		return -1;
	t0 = read_cntvct();
	for (slot = 0, off = 0; off < vm->ram.size; slot++, off += RAM_SLOT_MAX)
		if (vm->accel->vm_add_ram(vm, slot, vm->ram.gpa + off,
					  vm->ram.size - off < RAM_SLOT_MAX ?
					  vm->ram.size - off : RAM_SLOT_MAX, vm->ram.host + off))
			return -1;
	vm->ram_map_ticks = read_cntvct() - t0;
	if (load_images(vm) || create_vcpus(vm))
		return -1;
	return vm->gic && (vm->accel->gic_finalise(vm) || connect_virtio_devices(vm)) ? -1 : 0;
}

/**
 * vm_start() - start vCPU 0 at the kernel's entry with x0 = the DTB
 * @vm: a machine vm_init() built
 *
 * With an accelerator that does PSCI itself, every other vCPU's thread
 * starts too (they wait, powered off, in the accelerator).
 * Return: 0, or -1 after printing why.
 */
int vm_start(struct vm *vm)
{
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	vm->vcpu[0].start_pc = vm->entry;
	vm->vcpu[0].start_x0 = vm->dtb;
	for (i = 0; i < vm->nr_vcpus && !ret; i++)
		if (i == 0 || vm->accel->psci_in_kernel)
			ret = vcpu_start_thread(&vm->vcpu[i]);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/**
 * vm_cpu_on() - PSCI CPU_ON on behalf of a vCPU
 * @vm: the machine
 * @mpidr: the target's affinity
 * @entry: where it starts, MMU off
 * @context: its x0
 *
 * Return: the PSCI answer for the caller (0, or INVALID_PARAMETERS,
 * ALREADY_ON, INTERNAL_FAILURE).
 */
int vm_cpu_on(struct vm *vm, uint64_t mpidr, uint64_t entry, uint64_t context)
{
	struct vcpu *target = NULL;
	unsigned int i;
	int ret;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i].mpidr == (mpidr & MPIDR_AFFINITY_MASK))
			target = &vm->vcpu[i];
	if (!target)
		return PSCI_RET_INVALID_PARAMETERS;
	pthread_mutex_lock(&vm->lock);
	if (vm->stopping) {
		ret = PSCI_RET_INTERNAL_FAILURE;
	} else if (target->power == VCPU_ON) {
		ret = PSCI_RET_ALREADY_ON;
	} else {
		target->start_pc = entry;
		target->start_x0 = context;
		ret = vcpu_start_thread(target) ? PSCI_RET_INTERNAL_FAILURE : 0;
	}
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/**
 * vm_affinity_info() - PSCI AFFINITY_INFO on a64vcpu, where a64vm starts
 * and stops the vCPUs (KVM answers it itself)
 * @vm: the machine
 * @mpidr: the target's affinity
 * @level: the lowest affinity level; 0 is the only one PSCI 1.0+ allows here
 *
 * Return: 0 (ON), 1 (OFF) or INVALID_PARAMETERS.
 */
int vm_affinity_info(struct vm *vm, uint64_t mpidr, uint64_t level)
{
	int ret = PSCI_RET_INVALID_PARAMETERS;
	unsigned int i;

	if (level)
		return ret;
	pthread_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i].mpidr == (mpidr & MPIDR_AFFINITY_MASK))
			ret = vm->vcpu[i].power == VCPU_ON ? 0 : 1;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/**
 * vm_stop() - stop every vCPU; vm_wait() then returns @status
 * @vm: the machine
 * @status: a64vm's exit status (the first caller's wins)
 */
void vm_stop(struct vm *vm, int status)
{
	unsigned int i;

	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		vm->exit_status = status;
		vm->stop_ticks = read_cntvct();
		__atomic_store_n(&vm->stopping, true, __ATOMIC_RELEASE);
		for (i = 0; i < vm->nr_vcpus; i++) {
			struct vcpu *vcpu = &vm->vcpu[i];

			if (!vcpu->has_thread || pthread_equal(vcpu->thread, pthread_self()))
				continue;
			vm->accel->vcpu_kick(vcpu);
			pthread_kill(vcpu->thread, SIGUSR1);
		}
		pthread_cond_broadcast(&vm->stopped_cond);
	}
	pthread_mutex_unlock(&vm->lock);
}

/**
 * vm_set_spi() - drive the GIC's SPI @spi to @level, from any thread
 * @vm: a started machine
 * @spi: the SPI (INTID 32 + @spi)
 * @level: the device's interrupt output: 1 asserted, 0 not
 *
 * For devices, on every change of their output, under their lock.  Does
 * nothing on a machine without an interrupt controller.  (A device can
 * raise its line only once the guest has enabled its interrupts, that is
 * once the vCPUs run, after gic_finalise().)
 */
void vm_set_spi(struct vm *vm, unsigned int spi, bool level)
{
	int ret;

	if (!vm->gic)
		return;
	ret = vm->accel->gic_set_spi(vm, spi, level);
	if (ret && !__atomic_exchange_n(&vm->spi_failed, true, __ATOMIC_RELAXED))
		fprintf(stderr, "a64vm: setting SPI %u to %d: %s (reported once)\n", spi, level,
			strerror(-ret));
}

/**
 * vm_wait() - wait until the guest or an error stops the machine
 * @vm: a started machine
 *
 * Return: a64vm's exit status.
 */
int vm_wait(struct vm *vm)
{
	struct timespec deadline;
	unsigned int i;

	pthread_mutex_lock(&vm->lock);
	while (!vm->stopping)
		pthread_cond_wait(&vm->stopped_cond, &vm->lock);
	pthread_mutex_unlock(&vm->lock);

	/* The kicked threads leave their run ioctl at once; do not hang if one cannot. */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpu[i];

		if (vcpu->has_thread && pthread_timedjoin_np(vcpu->thread, NULL, &deadline))
			fprintf(stderr, "a64vm: vCPU %u did not stop\n", i);
		vcpu->has_thread = false;
	}
	return vm->exit_status;
}

/*
 * a64vm's resident memory now, in KiB, as fields of the set-up line:
 * VmRSS, its anonymous, file and shared-memory parts, the hugetlbfs pages
 * mapped (which VmRSS leaves out) and the transparent huge pages in RssAnon.
 */
static void print_rss(void)
{
	static const struct {
		const char *file, *key, *field;
	} fields[] = {
		{ "/proc/self/status", "VmRSS:", "rss_kib" },
		{ "/proc/self/status", "RssAnon:", "rss_anon_kib" },
		{ "/proc/self/status", "RssFile:", "rss_file_kib" },
		{ "/proc/self/status", "RssShmem:", "rss_shmem_kib" },
		{ "/proc/self/status", "HugetlbPages:", "hugetlb_kib" },
		{ "/proc/self/smaps_rollup", "AnonHugePages:", "anon_thp_kib" },
		{ NULL }
	};
	unsigned long long kib;
	unsigned int i;
	char line[128];

	for (i = 0; fields[i].file; i++) {
		FILE *f = fopen(fields[i].file, "r");
		size_t len = strlen(fields[i].key);

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, fields[i].key, len) &&
			    sscanf(line + len, "%llu kB", &kib) == 1)
				fprintf(stderr, " %s=%llu", fields[i].field, kib);
		if (f)
			fclose(f);
	}
}

/*
 * The transparent huge pages backing guest RAM itself (anon_thp_kib counts
 * the whole of a64vm, whose thread stacks and malloc arenas the host may
 * back with them too): the AnonHugePages of the mappings inside @ram.
 */
static void print_ram_thp(const struct guest_ram *ram)
{
	uintptr_t lo = (uintptr_t)ram->host, hi = lo + ram->size;
	unsigned long long kib, sum = 0;
	unsigned long start, end;
	bool inside = false;
	char line[256], perms[8];
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s ", &start, &end, perms) == 3)
			inside = start >= lo && end <= hi;
		else if (inside && sscanf(line, "AnonHugePages: %llu kB", &kib) == 1)
			sum += kib;
	}
	fclose(f);
	fprintf(stderr, " ram_thp_kib=%llu", sum);
}

/*
 * The virtio devices' QueueNotify writes that reached a64vm as MMIO exits
 * (none while the accelerator's doorbells take them) and their interrupts.
 */
static void print_virtio_stats(struct vm *vm)
{
	unsigned long exits = 0, interrupts = 0;
	unsigned int i;

	for (i = 0; i < vm->nr_virtio; i++) {
		exits += __atomic_load_n(&vm->virtio[i]->notify_exits, __ATOMIC_RELAXED);
		interrupts += __atomic_load_n(&vm->virtio[i]->interrupts, __ATOMIC_RELAXED);
	}
	fprintf(stderr, "a64vm: virtio: devices=%u queue_notify_exits=%lu interrupts=%lu\n",
		vm->nr_virtio, exits, interrupts);
}

/**
 * vm_print_stats() - the exits by reason, the set-up costs and a64vm's
 * resident memory (guest RAM still mapped), and the virtio devices' counts,
 * on stderr
 * @vm: a stopped machine
 */
void vm_print_stats(struct vm *vm)
{
	uint64_t sum[VM_EXIT_NR] = { 0 }, total = 0;
	unsigned int i, r;

	for (i = 0; i < vm->nr_vcpus; i++)
		for (r = 0; r < VM_EXIT_NR; r++)
			sum[r] += vm->vcpu[i].exits[r];
	for (r = 0; r < VM_EXIT_NR; r++)
		total += sum[r];
	fprintf(stderr, "a64vm: exits to userspace: total=%" PRIu64, total);
	for (r = 0; r < VM_EXIT_NR; r++)
		if (sum[r])
			fprintf(stderr, " %s=%" PRIu64, vm_exit_name(r), sum[r]);
	fprintf(stderr, "\na64vm: set-up (CNTVCT ticks): accel=%s ram_mib=%" PRIu64
		" ram_map_ticks=%" PRIu64 " vcpu_first_exit_ticks=%" PRIu64 " run_ticks=%" PRIu64,
		vm->accel->name, vm->cfg->ram_mib, vm->ram_map_ticks, vm->vcpu[0].first_exit_ticks,
		vm->stop_ticks - vm->vcpu[0].created_ticks);
	print_rss();
	print_ram_thp(&vm->ram);
	fputc('\n', stderr);
	if (vm->nr_virtio)
		print_virtio_stats(vm);
}

/**
 * vm_destroy() - release what vm_init() took (after vm_wait())
 * @vm: the machine
 */
void vm_destroy(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_virtio; i++)
		virtio_mmio_stop(vm->virtio[i]);
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i].vm && vm->vcpu[i].fd >= 0)
			vm->accel->vcpu_destroy(&vm->vcpu[i]);
	if (vm->fd >= 0)
		vm->accel->vm_destroy(vm);
	if (vm->ram.host)
		munmap(vm->ram.host, vm->ram.size);
}

const char *vm_exit_name(enum vm_exit_reason reason)
{
	static const char * const names[VM_EXIT_NR] = {
		"mmio", "hypercall", "cpu_on", "cpu_off", "system_off", "system_reset",
		"halt", "sysreg", "intr", "error",
	};

	return reason < VM_EXIT_NR ? names[reason] : "?";
}
