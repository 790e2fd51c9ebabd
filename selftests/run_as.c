// SPDX-License-Identifier: GPL-2.0-only
/*
 * run_as: runs a command as an ordinary user would run it, for the
 * unprivileged runs of the selftests (run_unprivileged.sh, dev_group.sh).
 *
 *   run_as [-m MEMLOCK_BYTES] UID GID[,SUPPLEMENTARY_GID...] COMMAND [ARG...]
 *
 * From root: RLIMIT_MEMLOCK set to MEMLOCK_BYTES (soft and hard, as an
 * admin's limits.conf would; unchanged without -m), the supplementary
 * groups, GID, then UID (real, effective and saved), every capability out
 * of the bounding set and none left in any other (checked: the command
 * starts with none), PR_SET_NO_NEW_PRIVS, then COMMAND.  Any step that
 * fails is an error (status 125), so that a test never runs with more
 * privilege than it was given.  HOME stays, the environment otherwise too.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#define FAILED	125
#define MAX_GROUPS	32

static void fail(const char *what)
{
	fprintf(stderr, "run_as: %s: %s\n", what, strerror(errno));
	exit(FAILED);
}

static unsigned long parse_num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end)
		fprintf(stderr, "run_as: %s: not a number: %s\n", what, s), exit(FAILED);
	return v;
}

/* Every capability out of the bounding set; then none may be left. */
static void drop_bounding_set(void)
{
	int cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			fail("PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		fail("PR_CAP_AMBIENT_CLEAR_ALL");
}

static void check_no_capabilities(void)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i, cap;

	if (syscall(SYS_capget, &head, data))
		fail("capget");
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable) {
			fprintf(stderr, "run_as: capabilities left (word %d: %#x %#x %#x)\n", i,
				data[i].effective, data[i].permitted, data[i].inheritable);
			exit(FAILED);
		}
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) > 0) {
			fprintf(stderr, "run_as: capability %d left in the bounding set\n", cap);
			exit(FAILED);
		}
}

int main(int argc, char **argv)
{
	gid_t groups[MAX_GROUPS];
	int ngroups = 0, argi = 1;
	struct rlimit rl;
	uid_t uid;
	gid_t gid;
	char *tok, *save;

	if (argc > 2 && !strcmp(argv[1], "-m")) {
		rl.rlim_cur = parse_num(argv[2], "MEMLOCK_BYTES");
		rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_MEMLOCK, &rl))
			fail("setrlimit(RLIMIT_MEMLOCK)");
		argi = 3;
	}
	if (argc - argi < 3) {
		fprintf(stderr, "usage: run_as [-m MEMLOCK_BYTES] UID GID[,GID...] COMMAND [ARG...]\n");
		return FAILED;
	}
	uid = parse_num(argv[argi], "UID");
	for (tok = strtok_r(argv[argi + 1], ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (ngroups == MAX_GROUPS)
			fprintf(stderr, "run_as: too many groups\n"), exit(FAILED);
		groups[ngroups++] = parse_num(tok, "GID");
	}
	if (!ngroups || !uid) {
		fprintf(stderr, "run_as: a GID, and a UID that is not 0\n");
		return FAILED;
	}
	gid = groups[0];

	drop_bounding_set();
	if (setgroups(ngroups - 1, groups + 1))
		fail("setgroups");
	if (setresgid(gid, gid, gid))
		fail("setresgid");
	/* To a non-zero UID from root: permitted and effective sets cleared. */
	if (setresuid(uid, uid, uid))
		fail("setresuid");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		fail("PR_SET_NO_NEW_PRIVS");
	check_no_capabilities();
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
		fprintf(stderr, "run_as: not uid %u gid %u\n", uid, gid);
		return FAILED;
	}
	execvp(argv[argi + 2], argv + argi + 2);
	fail(argv[argi + 2]);
	return FAILED;
}
