#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# load_unload.sh [CYCLES]: 200 (or CYCLES) load/unload cycles: every load takes EL2 on every CPU, every unload
# gives every CPU back to the hyp stub and frees every page: the module's
# own page count (every page it allocates goes through kmod/pages.c) must
# come back to 0 each time.  Slab leaks are kmemleak's, on the debug
# kernel.  (A system-wide page balance was tried and dropped: what the rest
# of the kernel keeps per cycle varied from 0.3 to 5 pages between runs.)
. "$(dirname "$0")/lib/ktap.sh"

CYCLES=${1:-200}
ktap_plan 5

a64_loaded || insmod "$A64_KO"
# Counted from an empty ring buffer, so that older lines cannot scroll out.
dmesg -c > /dev/null

failed_load=0 failed_unload=0 not_owned=0
i=0
while [ $i -lt $CYCLES ]; do
	rmmod a64vcpu || failed_unload=$((failed_unload + 1))
	if insmod "$A64_KO"; then
		[ -c /dev/a64vcpu ] && all_cpus_owner a64vcpu || not_owned=$((not_owned + 1))
	else
		failed_load=$((failed_load + 1))
	fi
	i=$((i + 1))
done
ok_after=$(dmesg_count 'a64vcpu: unloaded, EL2 back on the hyp stub, 0 pages in use')

ktap_info "$CYCLES cycles: $failed_load failed loads, $failed_unload failed unloads, $not_owned without EL2"
ktap_check "load_${CYCLES}_times" [ "$failed_load" -eq 0 ]
ktap_check "unload_${CYCLES}_times" [ "$failed_unload" -eq 0 ]
ktap_check "every_load_owns_every_cpu" [ "$not_owned" -eq 0 ]
ktap_check "every_unload_freed_every_page" [ "$ok_after" -eq $CYCLES ]
ktap_check "no_cpu_left_off_the_stub" [ "$(dmesg_count 'not back on the hyp stub')" -eq 0 ]
ktap_finish
