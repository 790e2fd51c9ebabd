// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_fuzz: random, ABI-aware sequences of calls on every fd type of
 * /dev/a64vcpu (system, VM, vCPU, vGIC device) and on eventfds bound to
 * VMs as doorbells and interrupt eventfds: structures mostly valid with
 * fields pushed to their boundaries, bad pointers, random flags and
 * reserved fields, fds closed and duplicated at random, the run structure
 * mapped and unmapped, tiny guests run (each run bounded by a timer) while
 * their slots, stage-2 spaces and interrupt lines change, optionally
 * several threads on the same fds, and fork()ed children whose inherited
 * fds must answer EIO.
 *
 * The oracle: every call fails with an errno its ioctl may return
 * (Documentation/api.rst, kmod/), and where the input is known bad (a
 * reserved field or unknown flag set, an unreadable structure, an unknown
 * ioctl number) with exactly the errno the API gives for it.  A failure
 * prints the seed and the last calls; `ioctl_fuzz --seed S --calls N`
 * (one thread) replays the sequence.  Kernel-side failures (KASAN,
 * lockdep, WARN) are judged on the console by scripts/hostrun.
 *
 * A thread that makes no progress for --stall seconds (a call that never
 * returns) is a failure too: the last calls and every thread's kernel
 * stack are printed.
 *
 *   ioctl_fuzz [--seed S] [--calls N] [--threads T] [--log L] [--stall S]
 *              [--verbose]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "vm.h"

#define MAX_OBJS	48	/* fds the fuzzer keeps open at once */
#define MAX_MAPS	16	/* extra mappings of run structures */
#define ARENA_SIZE	(4UL << 20)	/* host memory the slots use */
#define RUN_TIMEOUT_NS	2000000	/* a guest run ends by this timer at the latest */
#define KERNEL_ADDR	0xffff800008000000ULL
#define NR_REG_IDS_MAX	256

enum obj_type { OBJ_FREE, OBJ_SYS, OBJ_VM, OBJ_VCPU, OBJ_GIC, OBJ_EVENTFD, OBJ_NR };

static const char * const type_name[OBJ_NR] = { "-", "sys", "vm", "vcpu", "gic", "eventfd" };

struct obj {
	enum obj_type type;
	int fd;
	unsigned int ipa_bits;		/* VM: its IPA size */
	struct a64vcpu_run *run;	/* vCPU: its mapping, or NULL */
};

/* What a call is expected to do beyond its ioctl's errno list. */
enum want { WANT_ANY, WANT_FAIL, WANT_OK };

struct rng {
	uint64_t s;
};

struct worker {
	struct rng rng;
	unsigned int idx;
	pid_t tid;
	atomic_ullong steps;		/* the watchdog's view of its progress */
	atomic_bool done;
	timer_t timer;
	uint64_t buf[NR_REG_IDS_MAX + 8];	/* argument structures */
	uint64_t val[4];			/* values they point at */
};

/* One call's oracle: its errnos, and what the input says. */
struct expect {
	const int *errs;	/* allowed errnos, 0-terminated */
	enum want want;
	int err;		/* WANT_FAIL: this errno */
	const char *why;	/* WANT_FAIL: the bad input */
};

static struct obj objs[MAX_OBJS];
static struct { void *addr; size_t len; } maps[MAX_MAPS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long seed, max_calls = 10000;
static unsigned int nthreads = 1, log_len = 32, stall = 120;
static bool verbose;
static atomic_ullong ncalls;
static atomic_bool stop, failed;
static atomic_uint forks, fork_failures;
static atomic_ullong nsucceeded, nexits[A64VCPU_EXIT_INTERNAL_ERROR + 1];
static char (*ring)[192];
static long page_size;
static unsigned int max_ipa;
/*
 * Host memory: the guest's code, then the arena the slots take, inside a
 * PROT_NONE reservation as large as the largest slot, so that no slot
 * reaches the fuzzer's own memory.
 */
static char *code, *arena, *ro_page, *none_page, *straddle;
static size_t code_len;

static const int sys_errs[] = { EINVAL, 0 };
static const int vm_create_errs[] = { EFAULT, EINVAL, ENOMEM, ENOSPC, EMFILE, 0 };
static const int slot_errs[] = { EFAULT, EINVAL, ENOENT, EEXIST, ENOMEM, EOPNOTSUPP, 0 };
static const int stage2_errs[] = { EINVAL, ENOSPC, ENOMEM, 0 };
static const int vcpu_create_errs[] = { EFAULT, EINVAL, ENOSPC, ENOMEM, EBUSY, EMFILE, 0 };
static const int irq_line_errs[] = { EFAULT, EINVAL, ENXIO, 0 };
static const int device_errs[] = { EFAULT, EINVAL, ENODEV, EEXIST, ENOMEM, EMFILE, 0 };
static const int counter_errs[] = { EFAULT, 0 };
static const int doorbell_errs[] = { EFAULT, EINVAL, EBADF, EEXIST, ENOENT, ENOSPC, ENOMEM, 0 };
static const int irqfd_errs[] = { EFAULT, EINVAL, EBADF, ENXIO, EBUSY, ENOENT, ENOMEM, 0 };
static const int attr_errs[] = { EFAULT, EINVAL, ENXIO, EBUSY, ENODEV, E2BIG, ENOMEM, 0 };
static const int setup_errs[] = { EFAULT, EINVAL, EOPNOTSUPP, 0 };
static const int vcpu_errs[] = { EFAULT, EINVAL, ENOENT, E2BIG, ENXIO, 0 };
static const int run_errs[] = { EINTR, EBUSY, EINVAL, ENOMEM, EFAULT, 0 };
static const int enotty_errs[] = { ENOTTY, 0 };

/* splitmix64: one 64-bit state per thread, seeded from the seed. */
static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(struct rng *r, unsigned int n)
{
	return rnd(r) % n;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* A value at a boundary: 0, 1, page - 1, page, 2^n +- 1, ~0, ... */
static uint64_t boundary(struct rng *r)
{
	unsigned int n = below(r, 64);

	switch (below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return page_size - 1;
	case 3:
		return page_size;
	case 4:
		return (1ULL << n) - 1;
	case 5:
		return (1ULL << n) + 1;
	case 6:
		return 1ULL << n;
	case 7:
		return ~0ULL;
	case 8:
		return KERNEL_ADDR;
	default:
		return rnd(r);
	}
}

/*
 * The call log: the last log_len calls, for a failure's report.  A call's
 * line is its number, its thread and what it does; its result is appended.
 */
static void note(unsigned long long n, struct worker *w, const char *fmt, ...)
{
	char *line = ring[n % log_len];
	va_list ap;
	int len;

	len = snprintf(line, sizeof(ring[0]), "%llu t%u ", n, w->idx);
	va_start(ap, fmt);
	vsnprintf(line + len, sizeof(ring[0]) - len, fmt, ap);
	va_end(ap);
	if (verbose)
		printf("# %s\n", line);
}

static void note_result(unsigned long long n, long ret, int err)
{
	char *line = ring[n % log_len];
	size_t len = strnlen(line, sizeof(ring[0]));

	snprintf(line + len, sizeof(ring[0]) - len, " -> %ld%s%s", ret, err ? " " : "",
		 err ? strerrorname_np(err) : "");
	if (verbose)
		printf("#   -> %ld %s\n", ret, err ? strerrorname_np(err) : "");
}

static void report(unsigned long long n, const char *fmt, ...)
{
	unsigned long long i, first = n + 1 > log_len ? n + 1 - log_len : 0;
	va_list ap;

	if (atomic_exchange(&failed, true))
		return;		/* another thread reported first */
	atomic_store(&stop, true);
	pthread_mutex_lock(&lock);
	printf("# FAIL at call %llu: ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n# the last %llu calls:\n", n + 1 - first);
	for (i = first; i <= n; i++)
		printf("#   %s\n", ring[i % log_len]);
	printf("# replay: ioctl_fuzz --seed %llu --calls %llu%s\n", seed, n + 1,
	       nthreads > 1 ? " --threads 1 (the threads' interleaving is not replayed)" : "");
	fflush(stdout);
	pthread_mutex_unlock(&lock);
}

static bool in(int err, const int *errs)
{
	for (; *errs; errs++)
		if (*errs == err)
			return true;
	return false;
}

/*
 * Judges a call's result: -1 with an allowed errno, or what the input
 * says.  With several threads an fd number may be closed and reused (by
 * any type of fd) between the pick and the call, and a vCPU busy in
 * another thread's ioctl: EBADF, ENOTTY and EBUSY are then always allowed.
 */
static bool judge(unsigned long long n, long ret, int err, const struct expect *e, enum obj_type t)
{
	bool racy = nthreads > 1 && (err == EBADF || err == ENOTTY ||
				     (err == EBUSY && t == OBJ_VCPU));

	if (ret >= 0) {
		if (e->want != WANT_FAIL) {
			atomic_fetch_add(&nsucceeded, 1);
			return true;
		}
		report(n, "succeeded (%ld), but %s: want errno %d (%s)", ret, e->why, e->err,
		       strerror(e->err));
		return false;
	}
	if (racy)
		return true;
	if (e->want == WANT_FAIL && err != e->err) {
		report(n, "errno %d (%s), but %s: want %d (%s)", err, strerror(err), e->why,
		       e->err, strerror(e->err));
		return false;
	}
	if (e->want == WANT_OK) {
		report(n, "errno %d (%s), want success", err, strerror(err));
		return false;
	}
	if (!in(err, e->errs)) {
		report(n, "errno %d (%s), not one this ioctl returns", err, strerror(err));
		return false;
	}
	return true;
}

static void bad(struct expect *e, int err, const char *why)
{
	if (e->want == WANT_FAIL)
		return;		/* the first bad input decides */
	e->want = WANT_FAIL;
	e->err = err;
	e->why = why;
}

/*
 * The pointer an ioctl gets for its structure of @size bytes at @good:
 * mostly @good, else NULL, a small number, a kernel address, an unmapped
 * page, a structure running into an unmapped page (EFAULT), or (@ro_ok:
 * the ioctl only reads it) a read-only copy.
 */
static void *arg_ptr(struct worker *w, void *good, size_t size, bool ro_ok, struct expect *e)
{
	char *p;

	if (chance(&w->rng, 92))
		return good;
	/* The structure cannot be read: EFAULT before any field is looked at. */
	e->want = WANT_FAIL;
	e->err = EFAULT;
	switch (below(&w->rng, 6)) {
	case 0:
		e->why = "the structure is at NULL";
		return NULL;
	case 1:
		e->why = "the structure is at a kernel address";
		return (void *)(uintptr_t)(KERNEL_ADDR + below(&w->rng, 4096));
	case 2:
		e->why = "the structure is beyond the user address space";
		return (void *)(uintptr_t)(1ULL << 52);
	case 3:
		e->why = "the structure runs into a PROT_NONE page";
		p = straddle + page_size - size + 1 + below(&w->rng, size - 1);
		memcpy(p, good, straddle + page_size - p);
		return p;
	case 4:
		e->why = "the structure is in a PROT_NONE page";
		return none_page + below(&w->rng, page_size - size);
	default:
		e->want = WANT_ANY;
		if (!ro_ok)
			return good;
		/* A read-only page of zeroes: whatever zeroes mean, not judged. */
		return ro_page;
	}
}

/* A user pointer for a value the kernel reads or writes: mostly @good. */
static uint64_t val_ptr(struct worker *w, void *good)
{
	if (chance(&w->rng, 90))
		return (uintptr_t)good;
	switch (below(&w->rng, 5)) {
	case 0:
		return 0;
	case 1:
		return KERNEL_ADDR;
	case 2:
		return (uintptr_t)none_page;
	case 3:
		return (uintptr_t)ro_page;
	default:
		return (uintptr_t)good + 1;	/* unaligned, still valid */
	}
}

/* Picks an object of @type (OBJ_FREE: any open one); its index or -1. */
static int pick(struct worker *w, enum obj_type type)
{
	int i, n = 0, found = -1;

	for (i = 0; i < MAX_OBJS; i++) {
		if (objs[i].type == OBJ_FREE || (type != OBJ_FREE && objs[i].type != type))
			continue;
		if (!below(&w->rng, ++n))
			found = i;
	}
	return found;
}

/* An object's fd, read under the lock (or -1 if none of @type). */
static int pick_fd(struct worker *w, enum obj_type type, struct obj *copy)
{
	int i, fd = -1;

	pthread_mutex_lock(&lock);
	i = pick(w, type);
	if (i >= 0) {
		fd = objs[i].fd;
		if (copy)
			*copy = objs[i];
	}
	pthread_mutex_unlock(&lock);
	return fd;
}

static void add_obj(enum obj_type type, int fd, unsigned int ipa_bits, struct a64vcpu_run *run)
{
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_OBJS && objs[i].type != OBJ_FREE; i++)
		;
	if (i < MAX_OBJS) {
		objs[i] = (struct obj){ type, fd, ipa_bits, run };
		fd = -1;
		run = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (run)
		munmap(run, page_size);
	if (fd >= 0)
		close(fd);	/* the table is full: not kept */
}

/* Keeps @addr mapped for a while (a run structure outliving its fd). */
static void add_map(struct worker *w, void *addr, size_t len)
{
	int i = below(&w->rng, MAX_MAPS);

	pthread_mutex_lock(&lock);
	if (maps[i].addr)
		munmap(maps[i].addr, maps[i].len);
	maps[i].addr = addr;
	maps[i].len = len;
	pthread_mutex_unlock(&lock);
}

static bool table_full(void)
{
	int i, n = 0;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_OBJS; i++)
		n += objs[i].type != OBJ_FREE;
	pthread_mutex_unlock(&lock);
	return n >= MAX_OBJS - 4;
}

static unsigned int default_ipa(void)
{
	return max_ipa < 40 ? max_ipa : 40;
}

/* The next call's number; its log line says "nothing" until noted. */
static unsigned long long next_call(struct worker *w)
{
	unsigned long long n = atomic_fetch_add(&ncalls, 1);

	snprintf(ring[n % log_len], sizeof(ring[0]), "%llu t%u nothing to do", n, w->idx);
	return n;
}

/* ioctl() and its judgement: false ends the fuzzing. */
static bool call(struct worker *w, unsigned long long n, int fd, enum obj_type t,
		 unsigned long cmd, void *arg, const struct expect *e, long *ret)
{
	long r = ioctl(fd, cmd, arg);
	int err = r < 0 ? errno : 0;

	if (ret)
		*ret = r;
	note_result(n, r, err);
	return judge(n, r, err, e, t);
}

/* The system fd: versions, capabilities, the mmap size, new VMs. */
static bool op_sys(struct worker *w)
{
	struct expect e = { .errs = sys_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_vm_config *cfg = (void *)w->buf;
	unsigned long arg = chance(&w->rng, 80) ? 0 : boundary(&w->rng);
	long ret;
	void *p;
	int fd = pick_fd(w, OBJ_SYS, NULL);

	if (fd < 0)
		return true;
	switch (below(&w->rng, 4)) {
	case 0:
		if (arg)
			bad(&e, EINVAL, "GET_API_VERSION takes no argument");
		note(n, w, "GET_API_VERSION fd %d arg %#lx", fd, arg);
		if (!call(w, n, fd, OBJ_SYS, A64VCPU_GET_API_VERSION, (void *)arg, &e, &ret))
			return false;
		if (ret >= 0 && ret != A64VCPU_API_VERSION && nthreads == 1) {
			report(n, "API version %ld", ret);
			return false;
		}
		return true;
	case 1:
		arg = chance(&w->rng, 50) ? below(&w->rng, A64VCPU_CAP_IRQFD + 4) : arg;
		note(n, w, "CHECK_EXTENSION fd %d cap %#lx", fd, arg);
		e.want = WANT_OK;
		if (!call(w, n, fd, OBJ_SYS, A64VCPU_CHECK_EXTENSION, (void *)arg, &e, &ret))
			return false;
		if (arg > A64VCPU_CAP_IRQFD && ret != 0 && nthreads == 1) {
			report(n, "unknown capability %#lx answered %ld", arg, ret);
			return false;
		}
		return true;
	case 2:
		if (arg)
			bad(&e, EINVAL, "GET_VCPU_MMAP_SIZE takes no argument");
		note(n, w, "GET_VCPU_MMAP_SIZE fd %d arg %#lx", fd, arg);
		if (!call(w, n, fd, OBJ_SYS, A64VCPU_GET_VCPU_MMAP_SIZE, (void *)arg, &e, &ret))
			return false;
		if (ret >= 0 && ret != page_size && nthreads == 1) {
			report(n, "mmap size %ld", ret);
			return false;
		}
		return true;
	}
	if (table_full())
		return true;
	memset(cfg, 0, sizeof(*cfg));
	e.errs = vm_create_errs;
	switch (below(&w->rng, 8)) {
	case 0:
		cfg->ipa_bits = boundary(&w->rng);
		if (cfg->ipa_bits && (cfg->ipa_bits < 32 || cfg->ipa_bits > max_ipa))
			bad(&e, EINVAL, "ipa_bits outside 32..max");
		break;
	case 1:
		cfg->flags = 1U << below(&w->rng, 32);
		bad(&e, EINVAL, "flags set");
		break;
	case 2:
		cfg->reserved[below(&w->rng, 3)] = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "a reserved field set");
		break;
	default:
		cfg->ipa_bits = chance(&w->rng, 50) ? 0 : 32 + below(&w->rng, max_ipa - 31);
	}
	p = arg_ptr(w, cfg, sizeof(*cfg), true, &e);
	note(n, w, "CREATE_VM fd %d ipa_bits %u flags %#x at %p", fd, cfg->ipa_bits, cfg->flags, p);
	if (!call(w, n, fd, OBJ_SYS, A64VCPU_CREATE_VM, p, &e, &ret))
		return false;
	if (ret >= 0)
		add_obj(OBJ_VM, ret, p == cfg && cfg->ipa_bits ? cfg->ipa_bits : default_ipa(),
			NULL);
	return true;
}

/* A guest-physical address: in RAM, near the IPA size's edge, or anywhere. */
static uint64_t gpa(struct worker *w, unsigned int ipa_bits)
{
	switch (below(&w->rng, 6)) {
	case 0:
	case 1:
		return GUEST_RAM_GPA;
	case 2:
		return GUEST_RAM_GPA + (uint64_t)below(&w->rng, 64) * page_size;
	case 3:
		return (1ULL << ipa_bits) - page_size * (1 + below(&w->rng, 2));
	case 4:
		return 1ULL << ipa_bits;
	default:
		return boundary(&w->rng) & ~(page_size - 1);
	}
}

static bool op_slot(struct worker *w)
{
	struct expect e = { .errs = slot_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_memory_slot *s = (void *)w->buf;
	struct obj vm;
	int fd = pick_fd(w, OBJ_VM, &vm);
	uint64_t end;

	if (fd < 0)
		return true;
	memset(s, 0, sizeof(*s));
	s->slot = chance(&w->rng, 90) ? below(&w->rng, 4) : boundary(&w->rng);
	s->flags = below(&w->rng, 4);
	s->stage2 = chance(&w->rng, 70) ? 0 : below(&w->rng, 10);
	s->guest_phys_addr = gpa(w, vm.ipa_bits);
	s->size = chance(&w->rng, 15) ? 0 : page_size << below(&w->rng, 9);
	s->userspace_addr = (uintptr_t)arena + below(&w->rng, ARENA_SIZE / page_size) * page_size;
	if (chance(&w->rng, 10))
		s->userspace_addr = (uintptr_t)code;
	switch (below(&w->rng, 16)) {
	case 0:
		s->flags |= 4U << below(&w->rng, 30);
		bad(&e, EINVAL, "unknown flags");
		break;
	case 1:
		s->pad = 1;
		bad(&e, EINVAL, "pad set");
		break;
	case 2:
		s->reserved[below(&w->rng, 2)] = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "a reserved field set");
		break;
	case 3:
		s->slot = 32 + below(&w->rng, 1000);
		bad(&e, EINVAL, "slot beyond A64_MAX_SLOTS");
		break;
	case 4:
		s->guest_phys_addr += 1 + below(&w->rng, page_size - 1);
		if (s->size)
			bad(&e, EINVAL, "guest_phys_addr not page aligned");
		break;
	case 5:
		s->size = s->size ? s->size + 1 + below(&w->rng, page_size - 1) : 1;
		bad(&e, EINVAL, "size not page aligned");
		break;
	case 6:
		s->userspace_addr += 1 + below(&w->rng, page_size - 1);
		if (s->size)
			bad(&e, EINVAL, "userspace_addr not page aligned");
		break;
	case 7:
		s->userspace_addr = below(&w->rng, 2) ? KERNEL_ADDR : (uintptr_t)none_page;
		s->size = page_size;
		break;
	case 8:
		s->userspace_addr = (uintptr_t)ro_page;
		s->size = page_size;
		break;
	case 9:
		/* On demand: as large as the ABI allows, over nothing mapped. */
		if (!(s->flags & A64VCPU_MEM_PINNED))
			s->size = (uint64_t)page_size << below(&w->rng, 25);
		break;
	case 10:
		s->size = boundary(&w->rng) & ~(page_size - 1);
		if (s->flags & A64VCPU_MEM_PINNED && s->size > ARENA_SIZE)
			s->flags &= ~A64VCPU_MEM_PINNED;
		break;
	}
	if (s->size && e.want != WANT_FAIL &&
	    (__builtin_add_overflow(s->guest_phys_addr, s->size, &end) ||
	     end > 1ULL << vm.ipa_bits))
		bad(&e, EINVAL, "the slot ends beyond the IPA size");
	note(n, w, "SET_MEMORY_SLOT fd %d slot %u flags %#x gpa %#llx size %#llx uaddr %#llx s2 %u",
	     fd, s->slot, s->flags, s->guest_phys_addr, s->size, s->userspace_addr, s->stage2);
	return call(w, n, fd, OBJ_VM, A64VCPU_SET_MEMORY_SLOT,
		    arg_ptr(w, s, sizeof(*s), true, &e), &e, NULL);
}

static bool op_vm_misc(struct worker *w)
{
	struct expect e = { .errs = stage2_errs };
	unsigned long long n = next_call(w);
	unsigned long arg = chance(&w->rng, 80) ? 0 : boundary(&w->rng);
	uint64_t *off = w->val;
	long ret;
	int fd = pick_fd(w, OBJ_VM, NULL);

	if (fd < 0)
		return true;
	switch (below(&w->rng, 3)) {
	case 0:
		if (arg)
			bad(&e, EINVAL, "CREATE_STAGE2 takes no argument");
		note(n, w, "CREATE_STAGE2 fd %d arg %#lx", fd, arg);
		return call(w, n, fd, OBJ_VM, A64VCPU_CREATE_STAGE2, (void *)arg, &e, &ret);
	case 1:
		e.errs = counter_errs;
		note(n, w, "GET_COUNTER_OFFSET fd %d", fd);
		return call(w, n, fd, OBJ_VM, A64VCPU_GET_COUNTER_OFFSET,
			    arg_ptr(w, off, 8, false, &e), &e, NULL);
	default:
		e.errs = counter_errs;
		/* Below 2^63, as CNTV_CVAL_EL0 below: QEMU 7.2 (design.rst) */
		*off = chance(&w->rng, 50) ? 0 : boundary(&w->rng) >> 1;
		note(n, w, "SET_COUNTER_OFFSET fd %d %#llx", fd, (unsigned long long)*off);
		return call(w, n, fd, OBJ_VM, A64VCPU_SET_COUNTER_OFFSET,
			    arg_ptr(w, off, 8, true, &e), &e, NULL);
	}
}

/* A new vCPU, entering the loop program in RAM, its run structure mapped. */
static int new_vcpu(int vm_fd, uint64_t mpidr)
{
	struct a64vcpu_run *run;
	int fd = a64vcpu_create_vcpu(vm_fd, mpidr, 0);

	if (fd < 0)
		return fd;
	a64vcpu_set_entry(fd, GUEST_RAM_GPA);
	run = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	add_obj(OBJ_VCPU, fd, 0, run == MAP_FAILED ? NULL : run);
	return fd;
}

static bool op_vcpu_create(struct worker *w)
{
	struct expect e = { .errs = vcpu_create_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_vcpu_config *cfg = (void *)w->buf;
	long ret;
	int fd = pick_fd(w, OBJ_VM, NULL);

	if (fd < 0 || table_full())
		return true;
	memset(cfg, 0, sizeof(*cfg));
	cfg->mpidr = below(&w->rng, 4);
	switch (below(&w->rng, 8)) {
	case 0:
		cfg->flags = 1U << below(&w->rng, 32);
		bad(&e, EINVAL, "flags set");
		break;
	case 1:
		cfg->pad = 1;
		bad(&e, EINVAL, "pad set");
		break;
	case 2:
		cfg->reserved[below(&w->rng, 4)] = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "a reserved field set");
		break;
	case 3:
		cfg->mpidr = 1ULL << (24 + below(&w->rng, 8));
		bad(&e, EINVAL, "mpidr has bits outside the affinity fields");
		break;
	case 4:
		cfg->dtb_addr = boundary(&w->rng);
		cfg->mpidr = rnd(&w->rng) & 0xff00ffffffULL;
		break;
	}
	note(n, w, "CREATE_VCPU fd %d mpidr %#llx flags %#x", fd, cfg->mpidr, cfg->flags);
	if (!call(w, n, fd, OBJ_VM, A64VCPU_CREATE_VCPU, arg_ptr(w, cfg, sizeof(*cfg), true, &e),
		  &e, &ret))
		return false;
	if (ret >= 0) {
		a64vcpu_set_entry(ret, GUEST_RAM_GPA);
		add_obj(OBJ_VCPU, ret, 0, NULL);
	}
	return true;
}

static bool op_irq_line(struct worker *w)
{
	struct expect e = { .errs = irq_line_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_irq_level *l = (void *)w->buf;
	int fd = pick_fd(w, OBJ_VM, NULL);

	if (fd < 0)
		return true;
	memset(l, 0, sizeof(*l));
	l->type = below(&w->rng, 3);
	l->vcpu = chance(&w->rng, 90) ? below(&w->rng, 3) : boundary(&w->rng);
	l->irq = l->type == A64VCPU_IRQ_TYPE_SPI ? 32 + below(&w->rng, 100) :
		 l->type == A64VCPU_IRQ_TYPE_PPI ? 16 + below(&w->rng, 16) : below(&w->rng, 2);
	l->level = below(&w->rng, 2);
	switch (below(&w->rng, 10)) {
	case 0:
		l->reserved = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "reserved set");
		break;
	case 1:
		l->level = 2 + below(&w->rng, 1000);
		bad(&e, EINVAL, "level above 1");
		break;
	case 2:
		l->type = 3 + below(&w->rng, 1000);
		bad(&e, EINVAL, "an unknown type");
		break;
	case 3:
		l->irq = boundary(&w->rng);
		break;
	}
	note(n, w, "IRQ_LINE fd %d type %u vcpu %u irq %u level %u", fd, l->type, l->vcpu, l->irq,
	     l->level);
	return call(w, n, fd, OBJ_VM, A64VCPU_IRQ_LINE, arg_ptr(w, l, sizeof(*l), true, &e), &e,
		    NULL);
}

static bool op_create_device(struct worker *w)
{
	struct expect e = { .errs = device_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_create_device *d = (void *)w->buf;
	long ret;
	void *p;
	int fd = pick_fd(w, OBJ_VM, NULL);

	if (fd < 0 || table_full())
		return true;
	memset(d, 0, sizeof(*d));
	d->type = A64VCPU_DEV_VGIC_V3;
	switch (below(&w->rng, 6)) {
	case 0:
		d->flags = 1U << below(&w->rng, 32);
		bad(&e, EINVAL, "flags set");
		break;
	case 1:
		d->pad = 1;
		bad(&e, EINVAL, "pad set");
		break;
	case 2:
		d->reserved[below(&w->rng, 2)] = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "a reserved field set");
		break;
	case 3:
		d->type = chance(&w->rng, 50) ? 0 : 2 + below(&w->rng, 100);
		bad(&e, ENODEV, "an unknown device type");
		break;
	}
	/* Not read-only: the fd it writes back would stay open, unknown to us. */
	p = arg_ptr(w, d, sizeof(*d), false, &e);
	note(n, w, "CREATE_DEVICE fd %d type %u flags %#x at %p", fd, d->type, d->flags, p);
	if (!call(w, n, fd, OBJ_VM, A64VCPU_CREATE_DEVICE, p, &e, &ret))
		return false;
	if (ret >= 0) {
		if (d->fd != ret && nthreads == 1) {
			report(n, "CREATE_DEVICE returned fd %ld, wrote %u", ret, d->fd);
			return false;
		}
		add_obj(OBJ_GIC, ret, 0, NULL);
	}
	return true;
}

/* An eventfd of the table, or a number that is not one. */
static int some_eventfd(struct worker *w, int vm_fd, struct expect *e)
{
	int fd;

	if (chance(&w->rng, 85)) {
		fd = pick_fd(w, OBJ_EVENTFD, NULL);
		if (fd >= 0)
			return fd;
	}
	switch (below(&w->rng, 3)) {
	case 0:
		bad(e, EBADF, "fd is not open");
		return -1 - below(&w->rng, 2);
	case 1:
		bad(e, EBADF, "fd is not open");
		return 100000;
	default:
		bad(e, EINVAL, "fd is not an eventfd");
		return vm_fd;
	}
}

static bool op_doorbell(struct worker *w)
{
	struct expect e = { .errs = doorbell_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_doorbell *d = (void *)w->buf;
	static const uint32_t lens[] = { 0, 1, 2, 4, 8 };
	struct obj vm;
	int fd = pick_fd(w, OBJ_VM, &vm);
	uint64_t end;

	if (fd < 0)
		return true;
	memset(d, 0, sizeof(*d));
	d->addr = chance(&w->rng, 50) ? UCALL_GPA : gpa(w, vm.ipa_bits);
	d->len = lens[below(&w->rng, 5)];
	d->flags = below(&w->rng, 4);
	if (d->flags & A64VCPU_DOORBELL_DATAMATCH && d->len)
		d->datamatch = rnd(&w->rng) & (d->len == 8 ? ~0ULL : (1ULL << 8 * d->len) - 1);
	switch (below(&w->rng, 12)) {
	case 0:
		d->flags |= 4U << below(&w->rng, 30);
		bad(&e, EINVAL, "unknown flags");
		break;
	case 1:
		d->pad = 1;
		bad(&e, EINVAL, "pad set");
		break;
	case 2:
		d->reserved[below(&w->rng, 2)] = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "a reserved field set");
		break;
	case 3:
		d->len = chance(&w->rng, 50) ? 3 + below(&w->rng, 2) * 3 : 16 << below(&w->rng, 20);
		bad(&e, EINVAL, "a length not 0, 1, 2, 4 or 8");
		break;
	case 4:
		d->datamatch = boundary(&w->rng);
		break;
	case 5:
		d->addr = boundary(&w->rng);
		break;
	}
	if (e.want != WANT_FAIL) {
		if (__builtin_add_overflow(d->addr, (uint64_t)(d->len ?: 1), &end) ||
		    end > 1ULL << vm.ipa_bits)
			bad(&e, EINVAL, "the doorbell ends beyond the IPA size");
		else if (d->flags & A64VCPU_DOORBELL_DATAMATCH ?
			 !d->len || (d->len < 8 && d->datamatch >> 8 * d->len) : d->datamatch)
			bad(&e, EINVAL, "a data match that does not fit, or without DATAMATCH");
	}
	d->fd = some_eventfd(w, fd, &e);
	note(n, w, "DOORBELL fd %d addr %#llx len %u fd %d flags %#x data %#llx", fd, d->addr,
	     d->len, d->fd, d->flags, d->datamatch);
	return call(w, n, fd, OBJ_VM, A64VCPU_DOORBELL, arg_ptr(w, d, sizeof(*d), true, &e), &e,
		    NULL);
}

static bool op_irqfd(struct worker *w)
{
	struct expect e = { .errs = irqfd_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_irqfd *q = (void *)w->buf;
	int fd = pick_fd(w, OBJ_VM, NULL);

	if (fd < 0)
		return true;
	memset(q, 0, sizeof(*q));
	q->intid = chance(&w->rng, 80) ? 32 + below(&w->rng, 64) : boundary(&w->rng);
	q->flags = below(&w->rng, 4);
	switch (below(&w->rng, 10)) {
	case 0:
		q->flags |= 4U << below(&w->rng, 30);
		bad(&e, EINVAL, "unknown flags");
		break;
	case 1:
		q->reserved[below(&w->rng, 2)] = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "a reserved field set");
		break;
	case 2:
		q->flags = A64VCPU_IRQFD_DEASSIGN | A64VCPU_IRQFD_RESAMPLE;
		bad(&e, EINVAL, "DEASSIGN with RESAMPLE");
		break;
	case 3:
		q->flags &= ~A64VCPU_IRQFD_RESAMPLE;
		q->resamplefd = 1 + below(&w->rng, 100);
		bad(&e, EINVAL, "a resamplefd without RESAMPLE");
		break;
	}
	if (q->flags & A64VCPU_IRQFD_RESAMPLE && !(q->flags & A64VCPU_IRQFD_DEASSIGN)) {
		struct expect ignore = { .errs = irqfd_errs };

		/* Its errno depends on checks that come first: not judged. */
		q->resamplefd = some_eventfd(w, fd, &ignore);
	}
	q->fd = some_eventfd(w, fd, &e);
	if (e.want == WANT_FAIL && e.err == EBADF)
		e.want = WANT_ANY;	/* ENXIO, EINVAL (the INTID) come first */
	if (e.want == WANT_FAIL && e.err == EINVAL && !strcmp(e.why, "fd is not an eventfd"))
		e.want = WANT_ANY;
	note(n, w, "IRQFD fd %d fd %d intid %u flags %#x resamplefd %d", fd, q->fd, q->intid,
	     q->flags, q->resamplefd);
	return call(w, n, fd, OBJ_VM, A64VCPU_IRQFD, arg_ptr(w, q, sizeof(*q), true, &e), &e, NULL);
}

/* A CPU interface register: the ICC ones (op0 3, op1 0, CRn 12) or any. */
static uint64_t cpu_sysreg(struct worker *w)
{
	if (chance(&w->rng, 70))
		return A64VCPU_VGIC_SYSREG(3, 0, 12, below(&w->rng, 16), below(&w->rng, 8));
	return rnd(&w->rng) & 0xffff;
}

static bool op_attr(struct worker *w)
{
	static const unsigned long cmds[] = {
		A64VCPU_SET_DEVICE_ATTR, A64VCPU_GET_DEVICE_ATTR, A64VCPU_HAS_DEVICE_ATTR
	};
	struct expect e = { .errs = attr_errs };
	unsigned long long n = next_call(w);
	struct a64vcpu_device_attr *a = (void *)w->buf;
	unsigned int c = below(&w->rng, 3);
	uint64_t vcpu = (uint64_t)(chance(&w->rng, 90) ? below(&w->rng, 3) : rnd(&w->rng)) << 32;
	int fd = pick_fd(w, OBJ_GIC, NULL);

	if (fd < 0)
		return true;
	memset(a, 0, sizeof(*a));
	a->group = chance(&w->rng, 95) ? below(&w->rng, 7) : boundary(&w->rng);
	switch (a->group) {
	case A64VCPU_VGIC_GRP_ADDR:
		a->attr = chance(&w->rng, 90) ? below(&w->rng, 2) : boundary(&w->rng);
		w->val[0] = a->attr == A64VCPU_VGIC_ADDR_DIST ? VGIC_DIST_GPA : VGIC_REDIST_GPA;
		if (chance(&w->rng, 20))
			w->val[0] = boundary(&w->rng);
		break;
	case A64VCPU_VGIC_GRP_NR_IRQS:
		a->attr = chance(&w->rng, 90) ? 0 : boundary(&w->rng);
		w->val[0] = chance(&w->rng, 70) ? 64 + 32 * below(&w->rng, 31) : boundary(&w->rng);
		break;
	case A64VCPU_VGIC_GRP_CTRL:
		a->attr = chance(&w->rng, 90) ? A64VCPU_VGIC_CTRL_INIT : boundary(&w->rng);
		break;
	case A64VCPU_VGIC_GRP_DIST_REGS:
		a->attr = chance(&w->rng, 90) ? below(&w->rng, 0x10000) & ~3U : boundary(&w->rng);
		w->val[0] = rnd(&w->rng);
		break;
	case A64VCPU_VGIC_GRP_REDIST_REGS:
		a->attr = vcpu | (chance(&w->rng, 90) ? below(&w->rng, 0x20000) & ~3U :
				  (uint32_t)boundary(&w->rng));
		w->val[0] = rnd(&w->rng);
		break;
	case A64VCPU_VGIC_GRP_CPU_SYSREGS:
		a->attr = vcpu | cpu_sysreg(w);
		w->val[0] = rnd(&w->rng);
		break;
	case A64VCPU_VGIC_GRP_LEVEL_INFO:
		a->attr = vcpu | (chance(&w->rng, 90) ? 32 * below(&w->rng, 34) :
				  (uint32_t)boundary(&w->rng));
		w->val[0] = rnd(&w->rng);
		break;
	default:
		a->attr = boundary(&w->rng);
	}
	/* CTRL_INIT takes no value; else the value's pointer is mutated too (not judged). */
	a->addr = a->group == A64VCPU_VGIC_GRP_CTRL && chance(&w->rng, 90) ? 0 :
		  val_ptr(w, w->val);
	switch (below(&w->rng, 10)) {
	case 0:
		a->flags = 1U << below(&w->rng, 32);
		bad(&e, EINVAL, "flags set");
		break;
	case 1:
		a->reserved = boundary(&w->rng) | 1;
		bad(&e, EINVAL, "reserved set");
		break;
	}
	if (c == 2 && e.want != WANT_FAIL && a->group == A64VCPU_VGIC_GRP_ADDR && a->attr <= 1)
		e.want = WANT_OK;	/* HAS_DEVICE_ATTR: the addresses always exist */
	note(n, w, "%s_DEVICE_ATTR fd %d group %u attr %#llx addr %#llx val %#llx flags %#x",
	     c == 0 ? "SET" : c == 1 ? "GET" : "HAS", fd, a->group, a->attr, a->addr,
	     (unsigned long long)w->val[0], a->flags);
	return call(w, n, fd, OBJ_GIC, cmds[c], arg_ptr(w, a, sizeof(*a), true, &e), &e, NULL);
}

/* A vGIC at QEMU virt's addresses, initialised now or left to the fuzzer. */
static void build_vgic(struct worker *w, int vm_fd)
{
	int gic = a64vcpu_create_device(vm_fd, A64VCPU_DEV_VGIC_V3);
	uint64_t dist = VGIC_DIST_GPA, redist = VGIC_REDIST_GPA;

	if (gic < 0)
		return;
	a64vcpu_set_device_attr(gic, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_DIST, &dist);
	a64vcpu_set_device_attr(gic, A64VCPU_VGIC_GRP_ADDR, A64VCPU_VGIC_ADDR_REDIST, &redist);
	if (chance(&w->rng, 80))
		a64vcpu_set_device_attr(gic, A64VCPU_VGIC_GRP_CTRL, A64VCPU_VGIC_CTRL_INIT, NULL);
	add_obj(OBJ_GIC, gic, 0, NULL);
}

/* A VM that runs: the loop program in RAM, one to three vCPUs, maybe a vGIC. */
static bool op_build(struct worker *w)
{
	unsigned long long n = next_call(w);
	unsigned int i, nr = 1 + below(&w->rng, 3);
	int sys, vm;

	if (table_full())
		return true;
	sys = pick_fd(w, OBJ_SYS, NULL);
	if (sys < 0)
		return true;
	note(n, w, "build a VM on fd %d: %u vCPUs", sys, nr);
	vm = a64vcpu_create_vm(sys, 0);
	if (vm < 0)
		return true;	/* the fd may be another's now, or VMIDs gone */
	a64vcpu_set_memory_slot(vm, 0, chance(&w->rng, 30) ? A64VCPU_MEM_PINNED : 0,
				GUEST_RAM_GPA, code_len, code, 0);
	for (i = 0; i < nr; i++)
		new_vcpu(vm, i);
	add_obj(OBJ_VM, vm, default_ipa(), NULL);
	if (chance(&w->rng, 50))
		build_vgic(w, vm);
	return true;
}

/*
 * A guest run's end: SIGUSR1 every @ns from @ns on (0: off).  Periodic, so
 * that a signal merged into one still pending (the timer re-armed before
 * it was delivered) cannot leave a run without its end.
 */
static void run_timer(struct worker *w, long ns)
{
	struct itimerspec its = { .it_value.tv_nsec = ns, .it_interval.tv_nsec = ns };

	timer_settime(w->timer, 0, &its, NULL);
}

static bool op_run(struct worker *w)
{
	struct expect e = { .errs = run_errs };
	unsigned long long n = next_call(w);
	unsigned long arg = chance(&w->rng, 95) ? 0 : boundary(&w->rng);
	bool one = nthreads == 1, imm = chance(&w->rng, 10);
	uint64_t data = rnd(&w->rng);	/* drawn whatever the run does: replays stay in step */
	struct obj vcpu;
	long ret;
	int err, fd = pick_fd(w, OBJ_VCPU, &vcpu);

	if (fd < 0)
		return true;
	if (arg)
		bad(&e, EINVAL, "RUN takes no argument");
	/* Another thread may unmap it: the run structure is only used alone. */
	if (one && vcpu.run)
		vcpu.run->immediate_exit = imm;
	note(n, w, "RUN fd %d arg %#lx immediate_exit %d", fd, arg, one && vcpu.run ? imm : -1);
	run_timer(w, RUN_TIMEOUT_NS);
	ret = ioctl(fd, A64VCPU_RUN, arg);
	err = ret ? errno : 0;
	run_timer(w, 0);
	note_result(n, ret, err);
	if (!judge(n, ret, err, &e, OBJ_VCPU))
		return false;
	if (!one || !vcpu.run || e.want == WANT_FAIL)
		return true;
	if (!ret && vcpu.run->exit_reason > A64VCPU_EXIT_INTERNAL_ERROR) {
		report(n, "exit reason %u", vcpu.run->exit_reason);
		return false;
	}
	if (!ret || err == EINTR)
		atomic_fetch_add(&nexits[vcpu.run->exit_reason], 1);
	if (err == EINTR && vcpu.run->exit_reason != A64VCPU_EXIT_INTR) {
		report(n, "EINTR with exit reason %u, want INTR", vcpu.run->exit_reason);
		return false;
	}
	/* An MMIO read wants its data: any. */
	if (!ret && vcpu.run->exit_reason == A64VCPU_EXIT_MMIO)
		vcpu.run->mmio.data = data;
	return true;
}

static uint64_t reg_id(struct worker *w, struct expect *e)
{
	static const uint64_t bad_ids[] = {
		0x1f, 0x26, 0xff, 0x120 + 2, 0x200 + A64VCPU_SYS_NR, 0x300, ~0ULL, 1ULL << 32
	};

	switch (below(&w->rng, 8)) {
	case 0:
		bad(e, ENOENT, "an unknown register id");
		return bad_ids[below(&w->rng, 8)];
	case 1:
		return A64VCPU_REG_V(below(&w->rng, 32));
	case 2:
		return A64VCPU_REG_FPSR + below(&w->rng, 2);
	case 3:
		return A64VCPU_REG_SYS(below(&w->rng, A64VCPU_SYS_NR));
	case 4:
		return A64VCPU_REG_PC + below(&w->rng, 6);
	default:
		return A64VCPU_REG_X(below(&w->rng, 31));
	}
}

static bool op_vcpu(struct worker *w)
{
	struct expect e = { .errs = vcpu_errs };
	unsigned long long n = next_call(w);
	uint64_t *b = w->buf;
	unsigned long cmd;
	const char *name;
	int fd = pick_fd(w, OBJ_VCPU, NULL);
	long ret;
	void *p;

	if (fd < 0)
		return true;
	memset(b, 0, 64);
	switch (below(&w->rng, 8)) {
	case 0: {
		struct a64vcpu_setup_config *s = (void *)b;

		e.errs = setup_errs;
		s->flags = below(&w->rng, 2);
		switch (below(&w->rng, 6)) {
		case 0:
			s->flags |= 4U << below(&w->rng, 30);
			bad(&e, EINVAL, "unknown flags");
			break;
		case 1:
			s->pad = 1;
			bad(&e, EINVAL, "pad set");
			break;
		case 2:
			s->reserved[below(&w->rng, 3)] = boundary(&w->rng) | 1;
			bad(&e, EINVAL, "a reserved field set");
			break;
		case 3:
			s->flags |= A64VCPU_SETUP_PASSTHROUGH_INTERRUPT;
			bad(&e, EOPNOTSUPP, "PASSTHROUGH_INTERRUPT");
			break;
		}
		note(n, w, "VCPU_SETUP fd %d flags %#x", fd, s->flags);
		cmd = A64VCPU_VCPU_SETUP;
		p = arg_ptr(w, s, sizeof(*s), true, &e);
		break;
	}
	case 1:
		b[0] = chance(&w->rng, 70) ? GUEST_RAM_GPA : boundary(&w->rng);
		note(n, w, "SET_ENTRY fd %d %#llx", fd, (unsigned long long)b[0]);
		cmd = A64VCPU_SET_ENTRY;
		p = arg_ptr(w, b, 8, true, &e);
		break;
	case 2:
		*(uint32_t *)b = chance(&w->rng, 90) ? below(&w->rng, 9) : boundary(&w->rng);
		note(n, w, "SET_STAGE2 fd %d %u", fd, *(uint32_t *)b);
		cmd = A64VCPU_SET_STAGE2;
		p = arg_ptr(w, b, 4, true, &e);
		break;
	case 3:
	case 4: {
		struct a64vcpu_reg *r = (void *)b;
		bool set = below(&w->rng, 2);

		r->id = reg_id(w, &e);
		w->val[0] = chance(&w->rng, 50) ? boundary(&w->rng) : 0x3c5;	/* EL1h, DAIF */
		/*
		 * Below 2^63: with an offset also below it, CVAL + CNTVOFF
		 * cannot wrap, which hangs QEMU 7.2 (design.rst, "The guest
		 * fuzzer").
		 */
		if (r->id == A64VCPU_REG_SYS(A64VCPU_SYS_CNTV_CVAL_EL0))
			w->val[0] >>= 1;
		w->val[1] = boundary(&w->rng);
		r->addr = val_ptr(w, w->val);
		name = set ? "SET_REG" : "GET_REG";
		note(n, w, "%s fd %d id %#llx addr %#llx val %#llx", name, fd, r->id, r->addr,
		     (unsigned long long)w->val[0]);
		cmd = set ? A64VCPU_SET_REG : A64VCPU_GET_REG;
		p = arg_ptr(w, r, sizeof(*r), true, &e);
		break;
	}
	case 5: {
		struct a64vcpu_reg_list *l = (void *)b;
		static const uint64_t ns[] = { 0, 1, 91, 92, 93, NR_REG_IDS_MAX, 1000, ~0ULL };
		uint64_t want = ns[below(&w->rng, 8)];

		/* The module writes its ids only if all fit: w->buf has room. */
		l->n = want;
		note(n, w, "GET_REG_LIST fd %d n %llu", fd, (unsigned long long)want);
		p = arg_ptr(w, l, 8, false, &e);
		if (!call(w, n, fd, OBJ_VCPU, A64VCPU_GET_REG_LIST, p, &e, &ret))
			return false;
		if (p == l && nthreads == 1 && !(ret ? errno == E2BIG && l->n > want :
						 l->n <= want)) {
			report(n, "GET_REG_LIST: %ld (errno %d), n %llu for %llu", ret,
			       ret ? errno : 0, (unsigned long long)l->n,
			       (unsigned long long)want);
			return false;
		}
		return true;
	}
	case 6: {
		struct a64vcpu_irq_line *l = (void *)b;

		l->line = below(&w->rng, 2);
		l->level = below(&w->rng, 2);
		switch (below(&w->rng, 6)) {
		case 0:
			l->reserved = boundary(&w->rng) | 1;
			bad(&e, EINVAL, "reserved set");
			break;
		case 1:
			l->level = 2 + below(&w->rng, 100);
			bad(&e, EINVAL, "level above 1");
			break;
		case 2:
			l->line = 2 + below(&w->rng, 100);
			bad(&e, EINVAL, "an unknown line");
			break;
		}
		note(n, w, "SET_IRQ_LINE fd %d line %u level %u", fd, l->line, l->level);
		cmd = A64VCPU_SET_IRQ_LINE;
		p = arg_ptr(w, l, sizeof(*l), true, &e);
		break;
	}
	default: {
		struct a64vcpu_inject *i = (void *)b;

		i->type = below(&w->rng, 3);
		if (i->type == A64VCPU_INJECT_DABT)
			i->addr = boundary(&w->rng);
		switch (below(&w->rng, 8)) {
		case 0:
			i->flags = 1U << below(&w->rng, 32);
			bad(&e, EINVAL, "flags set");
			break;
		case 1:
			i->esr = boundary(&w->rng) | 1;
			bad(&e, EINVAL, "esr set");
			break;
		case 2:
			i->reserved[below(&w->rng, 2)] = boundary(&w->rng) | 1;
			bad(&e, EINVAL, "a reserved field set");
			break;
		case 3:
			i->type = 3 + below(&w->rng, 100);
			bad(&e, EINVAL, "an unknown type");
			break;
		case 4:
			if (i->type != A64VCPU_INJECT_DABT) {
				i->addr = boundary(&w->rng) | 1;
				bad(&e, EINVAL, "an address for UNDEF or SERROR");
			}
			break;
		}
		note(n, w, "INJECT fd %d type %u addr %#llx", fd, i->type, i->addr);
		cmd = A64VCPU_INJECT;
		p = arg_ptr(w, i, sizeof(*i), true, &e);
	}
	}
	return call(w, n, fd, OBJ_VCPU, cmd, p, &e, NULL);
}

/* mmap() of a run structure: one page at offset 0, else EINVAL. */
static bool op_mmap(struct worker *w)
{
	unsigned long long n = next_call(w);
	size_t len = page_size;
	off_t off = 0;
	enum want want = WANT_OK;
	struct obj o;
	int fd = pick_fd(w, chance(&w->rng, 90) ? OBJ_VCPU : OBJ_FREE, &o);
	void *p;

	if (fd < 0)
		return true;
	switch (below(&w->rng, 6)) {
	case 0:
		len = chance(&w->rng, 50) ? 2 * page_size : page_size + 1;
		want = WANT_FAIL;
		break;
	case 1:
		off = page_size << below(&w->rng, 8);
		want = WANT_FAIL;
		break;
	}
	if (o.type != OBJ_VCPU)
		want = WANT_FAIL;
	note(n, w, "mmap %s fd %d len %zu off %#llx", type_name[o.type], fd, len,
	     (unsigned long long)off);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, chance(&w->rng, 90) ? MAP_SHARED : MAP_PRIVATE,
		 fd, off);
	note_result(n, p == MAP_FAILED ? -1 : 0, p == MAP_FAILED ? errno : 0);
	if (p == MAP_FAILED) {
		if (want == WANT_OK && nthreads == 1) {
			report(n, "mmap of a run structure: %s", strerror(errno));
			return false;
		}
		return true;
	}
	if (want == WANT_FAIL && nthreads == 1) {
		report(n, "mmap succeeded, want a failure");
		munmap(p, len);
		return false;
	}
	/* What the kernel wrote last is readable. */
	if (((struct a64vcpu_run *)p)->exit_reason > A64VCPU_EXIT_INTERNAL_ERROR &&
	    nthreads == 1) {
		report(n, "the run structure's exit reason %u",
		       ((struct a64vcpu_run *)p)->exit_reason);
		return false;
	}
	add_map(w, p, len);
	return true;
}

/* An ioctl number of the a64vcpu type that no fd knows: ENOTTY. */
static bool op_unknown(struct worker *w)
{
	static const unsigned long known[] = {
		A64VCPU_GET_API_VERSION, A64VCPU_CHECK_EXTENSION, A64VCPU_GET_VCPU_MMAP_SIZE,
		A64VCPU_CREATE_VM, A64VCPU_SET_MEMORY_SLOT, A64VCPU_CREATE_STAGE2,
		A64VCPU_CREATE_VCPU, A64VCPU_IRQ_LINE, A64VCPU_CREATE_DEVICE,
		A64VCPU_GET_COUNTER_OFFSET, A64VCPU_SET_COUNTER_OFFSET, A64VCPU_DOORBELL,
		A64VCPU_IRQFD, A64VCPU_SET_DEVICE_ATTR, A64VCPU_GET_DEVICE_ATTR,
		A64VCPU_HAS_DEVICE_ATTR, A64VCPU_VCPU_SETUP, A64VCPU_SET_ENTRY, A64VCPU_SET_STAGE2,
		A64VCPU_GET_REG, A64VCPU_SET_REG, A64VCPU_GET_REG_LIST, A64VCPU_SET_IRQ_LINE,
		A64VCPU_INJECT, A64VCPU_RUN,
	};
	struct expect e = { .errs = enotty_errs };
	unsigned long long n = next_call(w);
	unsigned long cmd;
	unsigned int i;
	struct obj o;
	int fd = pick_fd(w, OBJ_FREE, &o);

	if (fd < 0)
		return true;
	/* A known number with another size or direction, or a new number. */
	cmd = chance(&w->rng, 50) ? known[below(&w->rng, ARRAY_SIZE(known))] :
	      _IOC(0, A64VCPUIO, below(&w->rng, 256), 0);
	cmd = _IOC(below(&w->rng, 4), A64VCPUIO, _IOC_NR(cmd), below(&w->rng, 64) * 8);
	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (cmd == known[i])
			return true;
	bad(&e, ENOTTY, "an unknown ioctl number");
	note(n, w, "unknown ioctl %#lx on %s fd %d", cmd, type_name[o.type], fd);
	return call(w, n, fd, o.type, cmd, w->buf, &e, NULL);
}

/* Opens, closes, duplicates fds; writes and reads eventfds. */
static bool op_fds(struct worker *w)
{
	unsigned long long n = next_call(w);
	struct a64vcpu_run *run = NULL;
	int i, fd = -1, dup_fd;
	uint64_t v = 1;
	struct obj o;

	switch (below(&w->rng, 6)) {
	case 0:
		if (table_full())
			return true;
		fd = a64vcpu_open();
		note(n, w, "open /dev/a64vcpu -> %d", fd);
		if (fd >= 0)
			add_obj(OBJ_SYS, fd, 0, NULL);
		return true;
	case 1:
		if (table_full())
			return true;
		fd = eventfd(below(&w->rng, 2), EFD_NONBLOCK | EFD_CLOEXEC);
		note(n, w, "eventfd -> %d", fd);
		if (fd >= 0)
			add_obj(OBJ_EVENTFD, fd, 0, NULL);
		return true;
	case 2:
		fd = pick_fd(w, OBJ_EVENTFD, NULL);
		if (fd < 0)
			return true;
		note(n, w, "write eventfd %d", fd);
		if (write(fd, &v, 8) < 0 && errno != EAGAIN && errno != EBADF)
			report(n, "eventfd write: %s", strerror(errno));
		if (chance(&w->rng, 50) && read(fd, &v, 8) < 0 && errno != EAGAIN && errno != EBADF)
			report(n, "eventfd read: %s", strerror(errno));
		return !atomic_load(&failed);
	case 3:
		if (table_full())
			return true;
		pthread_mutex_lock(&lock);
		i = pick(w, OBJ_FREE);
		o = i >= 0 ? objs[i] : (struct obj){ 0 };
		pthread_mutex_unlock(&lock);
		if (i < 0)
			return true;
		dup_fd = chance(&w->rng, 50) ? dup(o.fd) : fcntl(o.fd, F_DUPFD_CLOEXEC, 0);
		note(n, w, "dup %s fd %d -> %d", type_name[o.type], o.fd, dup_fd);
		if (dup_fd >= 0)
			add_obj(o.type, dup_fd, o.ipa_bits, NULL);
		return true;
	default:
		pthread_mutex_lock(&lock);
		i = pick(w, OBJ_FREE);
		if (i >= 0) {
			o = objs[i];
			objs[i].type = OBJ_FREE;
			/* Closed under the lock: fork() sees the table as it is. */
			fd = o.fd;
			close(fd);
			run = o.run;
		}
		pthread_mutex_unlock(&lock);
		if (i >= 0)
			note(n, w, "close %s fd %d", type_name[o.type], fd);
		/* The mapping may outlive the fd, for a while. */
		if (run)
			add_map(w, run, page_size);
		return true;
	}
}

/*
 * fork(): the child's ioctls on the VM, vCPU and vGIC fds it inherited
 * fail with EIO (api.rst: a VM is used only from the process that made
 * it).  The parent may close its copies first: the child then drops the
 * last references at its exit.
 */
static bool op_fork(struct worker *w)
{
	unsigned long long n = next_call(w);
	struct obj mine[MAX_OBJS];
	int i, nr = 0, st;
	uint64_t val;
	pid_t pid;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_OBJS; i++)
		if (objs[i].type == OBJ_VM || objs[i].type == OBJ_VCPU || objs[i].type == OBJ_GIC)
			mine[nr++] = objs[i];
	note(n, w, "fork with %d VM, vCPU and vGIC fds", nr);
	pid = fork();
	if (!pid) {
		int fails = 0;
		struct a64vcpu_device_attr a = { .group = A64VCPU_VGIC_GRP_ADDR };
		struct a64vcpu_reg r = { .id = A64VCPU_REG_PC, .addr = (uintptr_t)&val };

		for (i = 0; i < nr; i++) {
			long ret;

			if (mine[i].type == OBJ_VM)
				ret = ioctl(mine[i].fd, A64VCPU_GET_COUNTER_OFFSET, &val);
			else if (mine[i].type == OBJ_GIC)
				ret = ioctl(mine[i].fd, A64VCPU_HAS_DEVICE_ATTR, &a);
			else if (i % 2)
				ret = ioctl(mine[i].fd, A64VCPU_RUN, 0);
			else
				ret = ioctl(mine[i].fd, A64VCPU_GET_REG, &r);
			if (ret != -1 || errno != EIO) {
				printf("# fork child: %s fd %d: %ld (%s), want EIO\n",
				       type_name[mine[i].type], mine[i].fd, ret,
				       ret < 0 ? strerror(errno) : "success");
				fails++;
			}
		}
		fflush(stdout);
		_exit(fails ? 1 : 0);
	}
	pthread_mutex_unlock(&lock);
	if (pid < 0)
		return true;
	atomic_fetch_add(&forks, 1);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		atomic_fetch_add(&fork_failures, 1);
		report(n, "the fork child's inherited fds did not all answer EIO (status %#x)", st);
		return false;
	}
	return true;
}

static bool step(struct worker *w)
{
	unsigned int r = below(&w->rng, 100);

	if (r < 4)
		return op_sys(w);
	if (r < 7)
		return op_build(w);
	if (r < 17)
		return op_slot(w);
	if (r < 21)
		return op_vm_misc(w);
	if (r < 24)
		return op_vcpu_create(w);
	if (r < 29)
		return op_irq_line(w);
	if (r < 31)
		return op_create_device(w);
	if (r < 37)
		return op_doorbell(w);
	if (r < 43)
		return op_irqfd(w);
	if (r < 54)
		return op_attr(w);
	if (r < 66)
		return op_run(w);
	if (r < 78)
		return op_vcpu(w);
	if (r < 81)
		return op_mmap(w);
	if (r < 84)
		return op_unknown(w);
	if (r < 99 || !chance(&w->rng, 20))
		return op_fds(w);
	return op_fork(w);
}

static void on_signal(int sig)
{
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };

	w->tid = gettid();
	sev._sigev_un._tid = w->tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &w->timer))
		ksft_exit_fail_msg("timer_create: %s\n", strerror(errno));
	while (!atomic_load(&stop) && atomic_load(&ncalls) < max_calls) {
		if (!step(w))
			break;
		atomic_fetch_add(&w->steps, 1);
	}
	timer_delete(w->timer);
	atomic_store(&w->done, true);
	return NULL;
}

/* A file of /proc, indented, for a hang's report. */
static void print_file(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("#     %s", line);
	fclose(f);
}

static void sysrq_trigger(char c)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, &c, 1) != 1)
			printf("# /proc/sysrq-trigger %c: %s\n", c, strerror(errno));
		close(fd);
	}
}

/* A stuck thread's state (R: running, S: asleep, D) and kernel stack. */
static void print_task(pid_t tid)
{
	char path[64];

	printf("# tid %d: /proc stat, kernel stack:\n", tid);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	print_file(path);
	printf("\n");
	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
	print_file(path);
}

/*
 * Waits for the workers; a worker that makes no progress for @stall
 * seconds is a hang: the last calls and each thread's kernel stack are
 * printed, and the process ends (the stuck call may never return).
 */
static void watch(struct worker *workers)
{
	unsigned long long *last = calloc(nthreads, sizeof(*last));
	unsigned int *idle = calloc(nthreads, sizeof(*idle));
	unsigned int i, busy = nthreads;

	while (busy) {
		sleep(1);
		for (busy = 0, i = 0; i < nthreads; i++) {
			unsigned long long steps = atomic_load(&workers[i].steps);

			if (atomic_load(&workers[i].done))
				continue;
			busy++;
			idle[i] = steps == last[i] ? idle[i] + 1 : 0;
			last[i] = steps;
			if (idle[i] < stall)
				continue;
			report(atomic_load(&ncalls) - 1,
			       "thread t%u (tid %d) made no progress for %u s", i,
			       workers[i].tid, stall);
			for (i = 0; i < nthreads; i++)
				print_task(workers[i].tid);
			/* Where the CPUs are, and who sleeps: on the console. */
			fflush(stdout);
			sysrq_trigger('l');
			sysrq_trigger('w');
			ksft_test_result_fail("ioctl_fuzz: seed %llu: a call did not return\n",
					      seed);
			ksft_exit_fail();
		}
	}
	free(last);
	free(idle);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Memory the fuzzer hands out: an arena for slots and pointers that fault. */
static void setup_memory(void)
{
	const struct guest_code loop = GUEST_PROGRAM(loop);
	size_t reserve = (1ULL << 36) + 2 * ARENA_SIZE;
	char *p;

	page_size = sysconf(_SC_PAGESIZE);
	code_len = 16 * page_size;
	p = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED || mprotect(p, code_len + ARENA_SIZE, PROT_READ | PROT_WRITE))
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	code = p;
	arena = p + code_len;
	/* In the reservation, after the arena: never mapped by anything else. */
	none_page = arena + ARENA_SIZE;
	/* A page followed by a PROT_NONE one, and a read-only page of zeroes. */
	p = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + page_size, page_size, PROT_NONE) ||
	    mprotect(p + 2 * page_size, page_size, PROT_READ))
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	straddle = p;
	ro_page = p + 2 * page_size;
	memcpy(code, loop.start, (const char *)loop.end - (const char *)loop.start);
	__builtin___clear_cache(code, code + code_len);
}

static void print_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seed S] [--calls N] [--threads T] [--log L] [--stall S]"
		" [--verbose]\n", prog);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct worker *workers;
	pthread_t *threads;
	unsigned int i;
	double t0, t;
	int sys;

	seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	for (i = 1; i < (unsigned int)argc; i++) {
		if (i + 1 < (unsigned int)argc && !strcmp(argv[i], "--seed"))
			seed = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < (unsigned int)argc && !strcmp(argv[i], "--calls"))
			max_calls = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < (unsigned int)argc && !strcmp(argv[i], "--threads"))
			nthreads = strtoul(argv[++i], NULL, 0);
		else if (i + 1 < (unsigned int)argc && !strcmp(argv[i], "--stall"))
			stall = strtoul(argv[++i], NULL, 0);
		else if (i + 1 < (unsigned int)argc && !strcmp(argv[i], "--log"))
			log_len = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else
			print_usage(argv[0]);
	}
	if (!nthreads || nthreads > 64 || !log_len)
		print_usage(argv[0]);
	/* First, whatever happens next: the seed that replays this run. */
	printf("# ioctl_fuzz: seed %llu, %llu calls, %u thread%s\n", seed, max_calls, nthreads,
	       nthreads > 1 ? "s" : "");
	fflush(stdout);
	ksft_print_header();
	ksft_set_plan(2);

	ring = calloc(log_len, sizeof(*ring));
	workers = calloc(nthreads, sizeof(*workers));
	threads = calloc(nthreads, sizeof(*threads));
	if (!ring || !workers || !threads)
		ksft_exit_fail_msg("calloc\n");
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: a guest run ends with EINTR */
	setup_memory();
	sys = a64vcpu_open();
	if (sys < 0)
		ksft_exit_fail_msg("open /dev/a64vcpu: %s\n", strerror(-sys));
	max_ipa = ioctl(sys, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_IPA_SIZE);
	add_obj(OBJ_SYS, sys, 0, NULL);

	t0 = now();
	for (i = 0; i < nthreads; i++) {
		workers[i].idx = i;
		workers[i].rng.s = seed + i * 0x632be59bd9b4e019ULL;
		if (pthread_create(&threads[i], NULL, worker_main, &workers[i]))
			ksft_exit_fail_msg("pthread_create\n");
	}
	watch(workers);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	t = now() - t0;
	ksft_print_msg("%llu calls in %.1f s: %.0f calls/s, %llu succeeded\n",
		       (unsigned long long)ncalls, t, ncalls / t, (unsigned long long)nsucceeded);
	if (nthreads == 1) {
		ksft_print_msg("guest runs ended by:");
		for (i = 0; i <= A64VCPU_EXIT_INTERNAL_ERROR; i++)
			if (nexits[i])
				printf(" %s %llu", a64vcpu_exit_name(i),
				       (unsigned long long)nexits[i]);
		printf("\n");
	}

	/* Everything closed and unmapped: the VMs' teardown runs here. */
	for (i = 0; i < MAX_OBJS; i++) {
		if (objs[i].run)
			munmap(objs[i].run, page_size);
		if (objs[i].type != OBJ_FREE)
			close(objs[i].fd);
	}
	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].addr)
			munmap(maps[i].addr, maps[i].len);

	if (atomic_load(&failed))
		ksft_test_result_fail("ioctl_fuzz: seed %llu: a call gave what the API does not\n",
				      seed);
	else
		ksft_test_result_pass("ioctl_fuzz: seed %llu: %llu calls as the API says\n", seed,
				      (unsigned long long)ncalls);
	if (!forks)
		ksft_test_result_skip("fork: no fork in this many calls\n");
	else if (fork_failures)
		ksft_test_result_fail("fork: %u of %u children's inherited fds not EIO\n",
				      fork_failures, forks);
	else
		ksft_test_result_pass("fork: %u children's inherited fds answered EIO\n", forks);
	if (atomic_load(&failed) || fork_failures)
		ksft_exit_fail();
	ksft_exit_pass();
}
