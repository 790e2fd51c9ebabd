#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# a64vm boots a real arm64 Linux Image: Debian's own kernel (the QEMU host's,
# which scripts/check copies into /files) as a guest with an initrd, as far
# as it goes without an interrupt controller: early console, machine model
# and command line from a64vm's DTB, PSCI, the initrd found, then (no /init
# in it) a panic that panic=-1 turns into PSCI SYSTEM_RESET: exit status 3.
. "$(dirname "$0")/lib/ktap.sh"

here=$(cd "$(dirname "$0")" && pwd)
A64VM=${A64VM:-$here/../userspace/a64vm}
IMAGE=$(ls "$here"/../vmlinuz-* 2>/dev/null | head -1)
T=/tmp/a64vm-linux
checks="image_loaded_and_entered dtb_machine_model dtb_bootargs psci_from_dtb initrd_found panic_resets_exit_3"

ktap_plan 6
if [ -z "$IMAGE" ]; then
	for t in $checks; do
		ktap_skip $t "no Linux Image in /files (scripts/check --file's the host kernel in)"
	done
	ktap_finish
fi

mkdir -p $T
args="earlycon=pl011,0x9000000 keep_bootcon panic=-1 a64vm-test"
timeout 300 "$A64VM" run -k "$IMAGE" -i "$A64VM" -m 256 -p "$args" > $T/out 2> $T/err < /dev/null
echo $? > $T/rc
sed 's/^/# a64vm: /' $T/err

has() {
	grep -q -- "$1" $T/out || { echo "# guest output lacks: $1"; return 1; }
}

ktap_check image_loaded_and_entered has "Booting Linux on physical CPU 0x0000000000"
ktap_check dtb_machine_model has "Machine model: linux,dummy-virt"
ktap_check dtb_bootargs has "Kernel command line: $args"
ktap_check psci_from_dtb has "psci: probing for conduit method from DT"
ktap_check initrd_found has "Trying to unpack rootfs image as initramfs"
ktap_check panic_resets_exit_3 sh -c "[ \$(cat $T/rc) = 3 ]"
ktap_finish
