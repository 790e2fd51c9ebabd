#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# a64vcpu and KVM (nVHE) on one host.  KVM takes EL2 when it creates a VM
# (through our hyp-stub ABI handler when we are loaded) and gives it to the
# hyp stub when its last VM is gone.  While KVM holds EL2, a64vcpu refuses
# to load and reports it; afterwards it loads, or takes EL2 back on use.
. "$(dirname "$0")/lib/ktap.sh"

ktap_plan 9
if [ ! -c /dev/kvm ]; then
	for t in owned_before_kvm kvm_runs_with_a64vcpu_loaded kvm_holds_el2 ping_fails_busy \
		 unload_while_kvm_holds_el2 load_refused_while_kvm_holds_el2 refusal_says_why \
		 load_after_kvm_vm_closed retake_after_kvm_vm_closed; do
		ktap_skip $t "KVM is not enabled on this host (boot with scripts/hostrun --kvm)"
	done
	ktap_finish
fi

HOLD=$(dirname "$0")/kvm_hold
holder=

# Starts a KVM VM that runs a guest to an MMIO exit, then holds it open.
start_kvm_vm() {
	rm -f /tmp/kvm_ready
	"$HOLD" /tmp/kvm_ready &
	holder=$!
	n=0
	while [ ! -e /tmp/kvm_ready ] && kill -0 $holder 2>/dev/null && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -e /tmp/kvm_ready ]
}

stop_kvm_vm() {
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
	holder=
}

a64_loaded || insmod "$A64_KO"
ktap_check owned_before_kvm all_cpus_owner a64vcpu

ktap_check kvm_runs_with_a64vcpu_loaded start_kvm_vm
ktap_check kvm_holds_el2 all_cpus_owner foreign
ktap_check ping_fails_busy sh -c '! cat /sys/kernel/debug/a64vcpu/ping 2>/tmp/ping.err && grep -q "busy" /tmp/ping.err'
ktap_check unload_while_kvm_holds_el2 rmmod a64vcpu

refusals=$(dmesg_count 'is held by another hypervisor')
ktap_check load_refused_while_kvm_holds_el2 sh -c "! insmod $A64_KO"
ktap_check refusal_says_why [ "$(dmesg_count 'is held by another hypervisor')" -gt "$refusals" ]
stop_kvm_vm

ktap_check load_after_kvm_vm_closed sh -c "insmod $A64_KO && grep -q 'owner=a64vcpu' /sys/kernel/debug/a64vcpu/el2"

# Loaded, KVM takes EL2 and lets it go: the next use takes it back.
installs_before=$(sed -n 's/^cpu0 .*installs=\([0-9]*\)/\1/p' /sys/kernel/debug/a64vcpu/el2)
start_kvm_vm && stop_kvm_vm
retake() {
	grep -q 'owner=stub' /sys/kernel/debug/a64vcpu/el2 || return 1
	taskset 1 cat /sys/kernel/debug/a64vcpu/ping | grep -q 'owner=a64vcpu' || return 1
	installs_after=$(sed -n 's/^cpu0 .*installs=\([0-9]*\)/\1/p' /sys/kernel/debug/a64vcpu/el2)
	[ "$installs_after" -eq $((installs_before + 1)) ]
}
ktap_check retake_after_kvm_vm_closed retake
ktap_finish
