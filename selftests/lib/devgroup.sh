# SPDX-License-Identifier: GPL-2.0-only
# The device given to a group, as an installed system has it
# (Documentation/api.rst, "Who may use the device"), for dev_group.sh and
# run_unprivileged.sh in the QEMU host (root, busybox, no user database):
# group a64vcpu, a member and a non-member, udev with kmod/60-a64vcpu.rules.
#
#   dg_users; dg_udev_start; dg_reload_module; ...; dg_udev_stop

DG_GID=990			# group a64vcpu (a system group)
DG_MEMBER=1000			# user a64user, in a64vcpu
DG_OTHER=1001			# user a64other, not in it
DG_RULES=/etc/udev/rules.d/60-a64vcpu.rules
# The module's own rule (kmod/60-a64vcpu.rules, copied beside the tests).
DG_RULE_FILE=$(dirname "$0")/60-a64vcpu.rules
DG_HOME=/tmp/a64home

dg_users() {
	mkdir -p /etc "$DG_HOME"
	cat > /etc/passwd <<EOT
root:x:0:0:root:/root:/bin/sh
a64user:x:$DG_MEMBER:$DG_MEMBER::$DG_HOME:/bin/sh
a64other:x:$DG_OTHER:$DG_OTHER::$DG_HOME:/bin/sh
EOT
	cat > /etc/group <<EOT
root:x:0:
a64vcpu:x:$DG_GID:a64user
a64user:x:$DG_MEMBER:
a64other:x:$DG_OTHER:
EOT
	chmod 1777 "$DG_HOME"
}

# udevd with the module's rule, as installed (scripts/install): 1 if there
# is no udev or no rule.
dg_udev_start() {
	[ -x /bin/udevadm ] && [ -e /lib/systemd/systemd-udevd ] || return 1
	mkdir -p /etc/udev/rules.d /run
	grep -q ' /run ' /proc/mounts || mount -t tmpfs tmpfs /run
	[ -r "$DG_RULE_FILE" ] || { echo "# no $DG_RULE_FILE"; return 1; }
	cp "$DG_RULE_FILE" "$DG_RULES"
	/lib/systemd/systemd-udevd --daemon 2>/tmp/udevd.err || { cat /tmp/udevd.err; return 1; }
	udevadm control --reload
}

dg_udev_stop() {
	udevadm control --exit 2>/dev/null
	rm -f "$DG_RULES"
}

# The module unloaded and loaded again, so that udev sees its device's add
# event; udevadm settle waits until the rule is applied.
dg_reload_module() {
	rmmod a64vcpu 2>/dev/null
	insmod "$A64_KO" || return 1
	udevadm settle --timeout=30
}

# The device as the kernel makes it (no udev): 0600 root:root again.
dg_restore_device() {
	dg_udev_stop
	rmmod a64vcpu 2>/dev/null
	insmod "$A64_KO"
}

# "OWNER:GROUP MODE" of /dev/a64vcpu, numeric.
dg_device() {
	stat -c '%u:%g %a' /dev/a64vcpu
}
