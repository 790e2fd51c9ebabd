#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The device given to group a64vcpu by udev, for real: systemd-udevd runs
# with the module's rule (kmod/60-a64vcpu.rules) in /etc/udev/rules.d, the
# module is loaded again so that udev sees its device's add event, and
# /dev/a64vcpu must be root:a64vcpu 0660.  A member of the group (no
# capability: run_as) opens it and creates and runs VMs (vcpu_hypercall);
# a non-member, and the member without the group, get EACCES.  With udev
# gone and the module loaded again the device is the kernel's 0600
# root:root, closed to the member too.
. "$(dirname "$0")/lib/ktap.sh"
. "$(dirname "$0")/lib/devgroup.sh"
cd "$(dirname "$0")" || exit 1

ktap_plan 6
a64_loaded || insmod "$A64_KO"
dg_users
if ! dg_udev_start; then
	for t in device_root_a64vcpu_0660 member_runs_vms other_eacces member_without_group_eacces \
		 without_udev_0600 without_udev_member_eacces; do
		ktap_skip "$t" "no udev in this host (build/parts/udev)"
	done
	ktap_finish
fi
dg_reload_module

# "open" as UID with GROUPS: the shell's error, or "opened".
open_as() {
	./run_as "$1" "$2" sh -c 'exec 3</dev/a64vcpu && echo opened' 2>&1
}

eacces() {
	case $1 in *"Permission denied"*) return 0 ;; esac
	echo "# got: $1"
	return 1
}

# vcpu_hypercall as the member: every case passes, none skipped.
member_runs_vms() {
	./run_as "$DG_MEMBER" "$DG_MEMBER,$DG_GID" ./vcpu_hypercall > "$DG_HOME/member.out" 2>&1
	rc=$?
	sed 's/^/# /' "$DG_HOME/member.out"
	[ $rc -eq 0 ] && grep -q '^# Totals: pass:[1-9][0-9]* fail:0 xfail:0 xpass:0 skip:0 ' \
		"$DG_HOME/member.out"
}

dev=$(dg_device)
ktap_info "/dev/a64vcpu with udev: $dev (uid:gid mode)"
ktap_check device_root_a64vcpu_0660 [ "$dev" = "0:$DG_GID 660" ]
ktap_check member_runs_vms member_runs_vms
ktap_check other_eacces eacces "$(open_as "$DG_OTHER" "$DG_OTHER")"
ktap_check member_without_group_eacces eacces "$(open_as "$DG_MEMBER" "$DG_MEMBER")"

dg_restore_device
dev=$(dg_device)
ktap_info "/dev/a64vcpu without udev: $dev"
ktap_check without_udev_0600 [ "$dev" = "0:0 600" ]
ktap_check without_udev_member_eacces eacces "$(open_as "$DG_MEMBER" "$DG_MEMBER,$DG_GID")"
ktap_finish
