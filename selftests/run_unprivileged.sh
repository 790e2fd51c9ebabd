#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run_unprivileged.sh [-m MEMLOCK_BYTES] TEST[+ARG...]...: the VM and vCPU
# selftests (scripts/check's VCPU_TESTS) run as an ordinary member of group
# a64vcpu, as an installed system has it (lib/devgroup.sh: udev and the
# module's rule): uid 1000 with no capability, PR_SET_NO_NEW_PRIVS and
# RLIMIT_MEMLOCK at MEMLOCK_BYTES (default 64 MiB, as a limits.conf would
# set it; run_as).  What genuinely needs root (debugfs statistics, zram,
# the KSM and huge-page knobs, CPU hotplug, other users' VMIDs) each test
# skips with its reason.  One result per test, its own output indented;
# the totals add up the tests' own.  A test's arguments follow it joined
# by '+' (ioctl_fuzz+--seed+1), as run_tests.sh's ',' would split them.
cd "$(dirname "$0")" || exit 1
. ./lib/ktap.sh
. ./lib/devgroup.sh

memlock=$((64 << 20))
if [ "$1" = -m ]; then
	memlock=$2
	shift 2
fi
echo "TAP version 13"
echo "1..$#"
dg_users
if ! dg_udev_start; then
	echo "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:$# error:0"
	echo "# no udev in this host (build/parts/udev): nothing run"
	exit 4
fi
dg_reload_module
dev=$(dg_device)
echo "# /dev/a64vcpu: $dev (uid:gid mode); tests run as uid $DG_MEMBER, groups $DG_MEMBER,$DG_GID, RLIMIT_MEMLOCK $memlock"
pass=0 fail=0 skip=0 n=0 out=$DG_HOME/unpriv.out
for t in "$@"; do
	n=$((n + 1))
	args=
	[ "${t%%+*}" = "$t" ] || args=$(echo "${t#*+}" | tr + ' ')
	if [ "$dev" != "0:$DG_GID 660" ]; then
		echo "not ok $n $t # the device is $dev, not 0:$DG_GID 660"
		fail=$((fail + 1))
		continue
	fi
	# shellcheck disable=SC2086
	./run_as -m "$memlock" "$DG_MEMBER" "$DG_MEMBER,$DG_GID" ./"${t%%+*}" $args > "$out" 2>&1
	rc=$?
	sed 's/^/  /' "$out"
	totals=$(grep '^# Totals: pass:' "$out" | tail -1)
	p=0 f=0 s=0
	if [ -n "$totals" ]; then
		# shellcheck disable=SC2046
		set -- $(echo "$totals" | tr ':' ' ')
		p=$4 f=$(($6 + ${14})) s=${12}
	fi
	if [ $rc -ne 0 ] && [ $rc -ne 4 ] && [ "$f" -eq 0 ]; then
		echo "  # $t exited with status $rc"
		f=1
	fi
	[ -n "$totals" ] || [ $rc -ne 0 ] || { echo "  # $t printed no totals"; f=1; }
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "not ok $n unprivileged: $t # exit=$rc"
	elif [ $rc -eq 4 ]; then
		echo "ok $n unprivileged: $t # SKIP"
	else
		echo "ok $n unprivileged: $t"
	fi
done
dg_restore_device
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ] || exit 1
[ "$pass" -eq 0 ] && [ "$skip" -gt 0 ] && exit 4
exit 0
