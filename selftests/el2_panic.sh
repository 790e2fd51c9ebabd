#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# el2_panic.sh host|guest: makes EL2 take an exception it does not expect,
# on purpose, in a host call (host) or at a guest's exit (guest), with the
# module's test build (scripts/hostrun --fault-inject --expect-panic).  The
# kernel must panic with a64vcpu's message; it never comes back here, so
# scripts/check judges the console (run_panic).  Reaching the end fails.
# The guest case first runs vm_memory, whose at_fault_fixed_up makes an
# EL2 fault that must not panic: if a test fails, so does the boot.
f=/sys/kernel/debug/a64vcpu/el2_fault_inject
if [ ! -e $f ]; then
	echo "el2_panic: no $f: not a fault-injection build of the module"
	exit 1
fi
echo "el2_panic: EL2 fault ($1) next"
case $1 in
host)
	echo host > $f ;;
guest)
	# First an EL2 fault that is fixed up (at_fault_fixed_up, an AT's),
	# in the same build, among vm_memory's tests (this harness has no -t).
	"$(dirname "$0")"/vm_memory || exit 1
	echo guest > $f
	"$(dirname "$0")"/vcpu_hypercall ;;	# any guest: its first exit faults
*)
	echo "el2_panic: host or guest"
	exit 2 ;;
esac
echo "el2_panic: still alive after the EL2 fault"
exit 1
