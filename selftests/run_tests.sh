#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run_tests.sh TEST[:ARG,...]...: runs selftests inside the QEMU host, in the
# manner of the kselftest runner: KTAP out, each test's own output indented,
# then one machine-readable line per test for scripts/check:
#   # a64vcpu-result: NAME pass=P fail=F skip=S
# preceded by "# a64vcpu-time: NAME S" (seconds of the QEMU host's uptime).
# A test named with ":ARG,..." gets those arguments (a64vm_linux.sh:a64vcpu).
cd "$(dirname "$0")" || exit 1
echo "TAP version 13"
echo "1..$#"
n=0 any_failed=0
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: a64vcpu: $t"
	args=
	[ "${t%%:*}" = "$t" ] || args=$(echo "${t#*:}" | tr , ' ')
	start=$(cut -d. -f1 /proc/uptime)
	./"${t%%:*}" $args > /tmp/ksft.out 2>&1
	rc=$?
	took=$(($(cut -d. -f1 /proc/uptime) - start))
	sed 's/^/  /' /tmp/ksft.out
	totals=$(grep '^# Totals: pass:' /tmp/ksft.out | tail -1)
	if [ -n "$totals" ]; then
		# "# Totals: pass:P fail:F xfail:X xpass:Y skip:S error:E"
		set -- $(echo "$totals" | tr ':' ' ')
		pass=$4 fail=$(($6 + ${14})) skip=${12}
	else
		pass=0 fail=0 skip=0
	fi
	# A crash, or a status that disagrees with the totals, is a failure.
	if [ $rc -ne 0 ] && [ $rc -ne 4 ] && [ "$fail" -eq 0 ]; then
		echo "  # $t exited with status $rc"
		fail=1
	fi
	if [ -z "$totals" ] && [ $rc -eq 0 ]; then
		echo "  # $t printed no totals"
		fail=1
	fi
	if [ "$fail" -gt 0 ]; then
		echo "not ok $n selftests: a64vcpu: $t # exit=$rc"
		any_failed=1
	elif [ $rc -eq 4 ]; then
		echo "ok $n selftests: a64vcpu: $t # SKIP"
	else
		echo "ok $n selftests: a64vcpu: $t"
	fi
	echo "# a64vcpu-time: $t $took"
	echo "# a64vcpu-result: $t pass=$pass fail=$fail skip=$skip"
done
exit $any_failed
