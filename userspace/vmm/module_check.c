// SPDX-License-Identifier: GPL-2.0-only
/*
 * Is the loaded a64vcpu.ko one a64vm can drive (module_check.h)?  A module
 * older than a64vm lacks capabilities it uses; without this check the first
 * ioctl that needs one would fail later with a bare errno.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/a64vcpu.h>

#include "config.h"
#include "module_check.h"
#include "platform.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CAP(nr)		{ #nr, nr }

/* Every capability a64vm uses; each must answer non-zero.  A new one is one line. */
static const struct {
	const char *name;
	unsigned long nr;
} required_caps[] = {
	CAP(A64VCPU_CAP_VCPU),			/* VMs, slots, vCPUs, A64VCPU_RUN */
	CAP(A64VCPU_CAP_MAX_IPA_SIZE),		/* RAM's end below it */
	CAP(A64VCPU_CAP_MAX_VCPUS),		/* -c */
	CAP(A64VCPU_CAP_MAX_MEMORY_SLOTS),	/* RAM's slots */
	CAP(A64VCPU_CAP_DOORBELL),		/* virtio's QueueNotify */
};

#define WHAT_TO_DO	"load the a64vcpu.ko built with this a64vm (make module; " \
			"rmmod a64vcpu; insmod build/kmod/stock/a64vcpu.ko)"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The answer the table recorded for @cap. */
static long answer_of(const long *answers, unsigned long cap)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(required_caps); i++)
		if (required_caps[i].nr == cap)
			return answers[i];
	return 0;
}

/**
 * module_check() - whether a64vcpu.ko can run the machine a64vm was asked for
 * @sys_fd: /dev/a64vcpu, passed to @ask
 * @api_version: what A64VCPU_GET_API_VERSION answered (or -errno)
 * @ask: A64VCPU_CHECK_EXTENSION
 * @needs: what the command line asks for
 * @err: one line naming what is missing and what to do
 * @errlen: its size
 *
 * Return: 0, or -1 with @err filled in.
 */
int module_check(int sys_fd, int api_version, module_ask_fn ask,
		 const struct module_needs *needs, char *err, size_t errlen)
{
	long answers[ARRAY_SIZE(required_caps)], max_ipa, max;
	char missing[256] = "";
	unsigned int i, ipa_bits;
	size_t used = 0;

	err[0] = '\0';
	if (api_version < 0)
		return fail(err, errlen, "/dev/a64vcpu does not answer A64VCPU_GET_API_VERSION "
			    "(%s): " WHAT_TO_DO, strerror(-api_version));
	if (api_version != A64VCPU_API_VERSION)
		return fail(err, errlen, "a64vcpu.ko speaks API version %d, a64vm version %d: "
			    WHAT_TO_DO, api_version, A64VCPU_API_VERSION);

	for (i = 0; i < ARRAY_SIZE(required_caps); i++) {
		answers[i] = ask(sys_fd, required_caps[i].nr);
		if (answers[i] <= 0 && used < sizeof(missing))
			used += snprintf(missing + used, sizeof(missing) - used, "%s%s",
					 used ? ", " : "", required_caps[i].name);
	}
	if (used)
		return fail(err, errlen, "a64vcpu.ko lacks %s, which a64vm needs: the module is "
			    "older than a64vm; " WHAT_TO_DO, missing);

	max = answer_of(answers, A64VCPU_CAP_MAX_VCPUS);
	if (needs->vcpus > max)
		return fail(err, errlen, "-c %u: a64vcpu.ko runs at most %ld vCPUs per VM",
			    needs->vcpus, max);
	/* a64vm takes the module's default IPA size: 40 bits, or fewer if the host has fewer. */
	max_ipa = answer_of(answers, A64VCPU_CAP_MAX_IPA_SIZE);
	ipa_bits = max_ipa < VIRT_IPA_BITS ? max_ipa : VIRT_IPA_BITS;
	if (needs->ram_end > 1ULL << ipa_bits)
		return fail(err, errlen, "RAM up to 0x%" PRIx64 " does not fit in the %u-bit "
			    "guest-physical space a64vcpu offers on this host: -m at most %llu",
			    needs->ram_end, ipa_bits, 1ULL << ipa_bits > VIRT_RAM_BASE ?
			    ((1ULL << ipa_bits) - VIRT_RAM_BASE) >> 20 : 0);
	max = answer_of(answers, A64VCPU_CAP_MAX_MEMORY_SLOTS);
	if (needs->ram_slots > max)
		return fail(err, errlen, "RAM takes %u memory slots of at most %llu GiB, "
			    "a64vcpu.ko allows %ld", needs->ram_slots, RAM_SLOT_MAX >> 30, max);
	/* With --pin, the module pins every page of guest RAM when it is handed over. */
	if (needs->host_available && needs->ram_pinned > needs->host_available)
		return fail(err, errlen, "-m %" PRIu64 " --pin: a64vcpu pins all of guest RAM in "
			    "host memory, and this host has %" PRIu64 " MiB available: use a "
			    "smaller -m, or leave out --pin", needs->ram_pinned >> 20,
			    needs->host_available >> 20);
	return 0;
}
