#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# 200 load/unload cycles: every load takes EL2 on every CPU, every unload
# gives every CPU back to the hyp stub and frees every page.  The module's
# own page count must come back to 0 each time; system-wide, the last 100
# cycles must not keep a page per cycle (the first 100 warm up the kernel's
# caches: slab, vmap areas).
. "$(dirname "$0")/lib/ktap.sh"

CYCLES=200
WARMUP=100
ktap_plan 6

a64_loaded || insmod "$A64_KO"
ok_lines=$(dmesg_count 'a64vcpu: unloaded, EL2 back on the hyp stub, 0 pages in use')
# Pages the whole system allocated minus pages it freed (per-CPU free lists
# included, unlike nr_free_pages).
net_pages() {
	awk '/^pgalloc_/ { n += $2 } /^pgfree / { n -= $2 } END { print n }' /proc/vmstat
}

failed_load=0 failed_unload=0 not_owned=0
i=0
while [ $i -lt $CYCLES ]; do
	[ $i -eq $WARMUP ] && net_before=$(net_pages)
	rmmod a64vcpu || failed_unload=$((failed_unload + 1))
	if insmod "$A64_KO"; then
		[ -c /dev/a64vcpu ] && all_cpus_owner a64vcpu || not_owned=$((not_owned + 1))
	else
		failed_load=$((failed_load + 1))
	fi
	i=$((i + 1))
done
net_after=$(net_pages)
ok_after=$(dmesg_count 'a64vcpu: unloaded, EL2 back on the hyp stub, 0 pages in use')

ktap_info "$CYCLES cycles: $failed_load failed loads, $failed_unload failed unloads, $not_owned without EL2"
ktap_check "load_${CYCLES}_times" [ "$failed_load" -eq 0 ]
ktap_check "unload_${CYCLES}_times" [ "$failed_unload" -eq 0 ]
ktap_check "every_load_owns_every_cpu" [ "$not_owned" -eq 0 ]
ktap_check "every_unload_freed_every_page" [ $((ok_after - ok_lines)) -eq $CYCLES ]
ktap_check "no_cpu_left_off_the_stub" [ "$(dmesg_count 'not back on the hyp stub')" -eq 0 ]
# The module's own count (above) catches a leak of any page it allocates.
# System-wide, after warm-up, the kernel still keeps 30-160 pages per 100
# cycles (measured), so this catches leaks of 3 or more pages per cycle: a
# lost per-CPU EL2 page pair, or the image, allocated outside the count.
# The debug kernel (kmemleak, KASAN) keeps freed memory in quarantine: there
# kmemleak judges instead.
measured=$((CYCLES - WARMUP))
if [ -e /sys/kernel/debug/kmemleak ]; then
	ktap_skip "system_pages_not_leaked" "the debug kernel quarantines freed memory; kmemleak checks it instead"
else
	ktap_info "system net page allocations over the last $measured cycles: $((net_after - net_before))"
	ktap_check "system_pages_not_leaked" [ $((net_after - net_before)) -lt $((3 * measured)) ]
fi
ktap_finish
