#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# stress_rmmod.sh [ROUNDS]: rmmod while a64vcpu is busy.  Each round (5 by
# default) holds the module in each of four ways with stress_hold: an fd
# of /dev/a64vcpu; a VM with its vGIC, slots, doorbell and irqfd; the same
# VM with its vCPU running; only the mapping of a vCPU's run structure,
# every fd closed.  While held, rmmod is refused (the module stays, its
# device too, no kernel report: scripts/hostrun judges the console) and a
# running vCPU goes on running after the refusal; once the holders have
# exited, rmmod works and frees every page ("0 pages in use"), and insmod
# works again, EL2 on every CPU.  Prints the refusals and reloads.
. "$(dirname "$0")/lib/ktap.sh"

ROUNDS=${1:-5}
HOLD=$(dirname "$0")/stress_hold
ktap_plan 8

a64_loaded || insmod "$A64_KO"
dmesg -c > /dev/null

holders=
# hold MODE: starts stress_hold MODE and waits until it is ready.
hold() {
	f=/tmp/stress_hold.$1
	rm -f "$f"
	"$HOLD" "$1" "$f" &
	holders="$holders $!"
	n=0
	while [ ! -s "$f" ] && [ $n -lt 3000 ]; do
		kill -0 $! 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
	[ -s "$f" ]
}

release() {
	for p in $holders; do kill -9 "$p" 2>/dev/null; done
	for p in $holders; do wait "$p" 2>/dev/null; done
	holders=
}

# The running vCPU's ucalls go on from $1 (a bounded wait, not a timed
# one); if not, what its threads are doing.
still_running() {
	n=0
	while [ "$(cat /tmp/stress_hold.run)" -le "$1" ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ "$(cat /tmp/stress_hold.run)" -gt "$1" ] && return 0
	for t in /proc/${holders##* }/task/*; do
		ktap_info "stuck at $1 ucalls: $t: $(cut -d' ' -f3 "$t/stat") $(cat "$t/wchan")"
		sed "s/^/#   /" "$t/stack" 2>/dev/null
	done
	for d in /sys/kernel/debug/a64vcpu/*/vcpu0; do ktap_info "$d: $(tr '\n' ' ' < "$d")"; done
	return 1
}

refused=0 not_refused=0 held_badly=0 stopped=0 unload_failed=0 load_failed=0 not_owned=0
round=0
while [ $round -lt "$ROUNDS" ]; do
	for mode in sys vm run mmap; do
		if ! hold $mode; then
			held_badly=$((held_badly + 1))
			release
			continue
		fi
		before=0
		[ $mode = run ] && before=$(cat /tmp/stress_hold.run)
		if rmmod a64vcpu 2>/tmp/rmmod.err; then
			not_refused=$((not_refused + 1))
			insmod "$A64_KO"
		elif a64_loaded && [ -c /dev/a64vcpu ]; then
			refused=$((refused + 1))
		else
			not_refused=$((not_refused + 1))
		fi
		if [ $mode = run ] && ! still_running "$before"; then
			stopped=$((stopped + 1))
		fi
		release
	done
	rmmod a64vcpu || unload_failed=$((unload_failed + 1))
	if insmod "$A64_KO"; then
		all_cpus_owner a64vcpu || not_owned=$((not_owned + 1))
	else
		load_failed=$((load_failed + 1))
	fi
	round=$((round + 1))
done
# A VM on the module loaded again runs.
ran_after=1
hold run && still_running 0 && ran_after=0
release
ktap_info "rmmod: $ROUNDS rounds: $refused refusals, $not_refused unloads while held, $held_badly holders not ready, $stopped vCPUs stopped by a refusal, $unload_failed failed unloads, $load_failed failed loads"
ktap_info "refusal: $(head -1 /tmp/rmmod.err)"
echo "# stress-result: rmmod refusals=$refused reloads=$((ROUNDS - load_failed))"
ktap_check "rmmod_refused_while_held_${ROUNDS}x4" [ "$refused" -eq $((ROUNDS * 4)) ]
ktap_check "every_holder_ready" [ "$held_badly" -eq 0 ]
ktap_check "running_vcpu_survives_the_refusal" [ "$stopped" -eq 0 ]
ktap_check "rmmod_after_the_holders" [ "$unload_failed" -eq 0 ]
ktap_check "every_unload_freed_every_page" \
	[ "$(dmesg_count 'a64vcpu: unloaded, EL2 back on the hyp stub, 0 pages in use')" -eq "$ROUNDS" ]
ktap_check "insmod_again" [ "$load_failed" -eq 0 ]
ktap_check "el2_on_every_cpu_after_insmod" [ "$not_owned" -eq 0 ]
ktap_check "a_vm_runs_after_reload" [ "$ran_after" -eq 0 ]
ktap_finish
