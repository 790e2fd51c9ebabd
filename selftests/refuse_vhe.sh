#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# On a VHE host the kernel itself runs at EL2: a64vcpu must refuse to load
# and say what to put on the command line.  Run it on a host booted with
# VHE (scripts/hostrun --cpu max,pauth-impdef=on --no-module).
. "$(dirname "$0")/lib/ktap.sh"

ktap_plan 3
# VHE needs ARMv8.1: the ARMv8.0 Cortex-A35/A53/A57/A72/A73 cannot have it.
midr=$(cat /sys/devices/system/cpu/cpu0/regs/identification/midr_el1 2>/dev/null)
case $midr in
0x00000000410fd0[34789]?|0x0000000041[0-9a-f]fd0[34789]?) why="ARMv8.0 CPU ($midr), no VHE" ;;
*) why= ;;
esac
dmesg | grep -q 'CPU: All CPU(s) started at EL2' || why="the kernel did not start at EL2"
grep -qE 'id_aa64mmfr1.vh=0|kvm-arm.mode=(nvhe|protected)' /proc/cmdline && why="VHE disabled on the command line"
if [ -n "$why" ]; then
	for t in refused_on_vhe refusal_names_fix no_device_node; do
		ktap_skip $t "$why"
	done
	ktap_finish
fi
ktap_check refused_on_vhe sh -c "! insmod $A64_KO"
ktap_check refusal_names_fix sh -c "dmesg | grep -q 'runs at EL2 (VHE).*id_aa64mmfr1.vh=0'"
ktap_check no_device_node [ ! -e /dev/a64vcpu ]
ktap_finish
