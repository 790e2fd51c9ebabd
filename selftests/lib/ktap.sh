# SPDX-License-Identifier: GPL-2.0-only
# KTAP output for shell selftests, in the kselftest harness's format
# (one "ok"/"not ok" line per check, then "# Totals: ..."), so that
# run_tests.sh counts shell and C tests the same way.
#
#   ktap_plan N; ktap_check NAME CMD...; ktap_skip NAME REASON; ktap_finish

KTAP_N=0 KTAP_PASS=0 KTAP_FAIL=0 KTAP_SKIP=0

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

ktap_info() {
	echo "# $*"
}

# ktap_check NAME CMD...: one test that passes when CMD succeeds.
ktap_check() {
	name=$1
	shift
	KTAP_N=$((KTAP_N + 1))
	if "$@"; then
		KTAP_PASS=$((KTAP_PASS + 1))
		echo "ok $KTAP_N $name"
	else
		KTAP_FAIL=$((KTAP_FAIL + 1))
		echo "not ok $KTAP_N $name"
	fi
}

ktap_skip() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

# Exit status as the harness's: 1 on any failure, 4 (KSFT_SKIP) when
# everything was skipped, 0 otherwise.
ktap_finish() {
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	[ "$KTAP_FAIL" -eq 0 ] || exit 1
	[ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ] && exit 4
	exit 0
}

# Helpers the a64vcpu shell tests share.
A64_KO=${A64_KO:-/a64vcpu.ko}

a64_loaded() {
	grep -q '^a64vcpu ' /proc/modules
}

# Lines of dmesg matching $1, counted.
dmesg_count() {
	dmesg | grep -c "$1"
}

# Every online CPU's EL2 owner in /sys/kernel/debug/a64vcpu/el2 is $1.
all_cpus_owner() {
	[ -r /sys/kernel/debug/a64vcpu/el2 ] || return 1
	! grep -v "owner=offline" /sys/kernel/debug/a64vcpu/el2 | grep -qv "owner=$1 "
}
