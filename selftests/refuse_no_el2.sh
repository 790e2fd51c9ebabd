#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Without EL2 (QEMU virtualization=off, or Linux below a hypervisor that
# hides it) a64vcpu must refuse to load and say so, without executing an
# HVC that would be undefined.  Run it with scripts/hostrun --no-virt --no-module.
. "$(dirname "$0")/lib/ktap.sh"

ktap_plan 3
if ! dmesg | grep -q 'CPU: All CPU(s) started at EL1'; then
	for t in refused_without_el2 refusal_names_cause no_device_node; do
		ktap_skip $t "this host booted at EL2"
	done
	ktap_finish
fi
ktap_check refused_without_el2 sh -c "! insmod $A64_KO"
ktap_check refusal_names_cause sh -c "dmesg | grep -q 'a64vcpu: this CPU has no EL2.*virtualization=on'"
ktap_check no_device_node [ ! -e /dev/a64vcpu ]
ktap_finish
