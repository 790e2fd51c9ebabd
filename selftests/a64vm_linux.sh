#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# a64vm boots an unmodified arm64 Linux: Debian's own kernel (the QEMU
# host's, which scripts/check copies into /files) with a64vm's initramfs
# (build/userspace/guests/linux), on each accelerator that has an interrupt
# controller.  With 1 and with 2 vCPUs the guest reaches userspace (its
# banner) and `poweroff -f` ends a64vm with status 0; in the 2-vCPU guest's
# shell, driven through a64vm's stdin (a FIFO): a line typed comes back from
# the shell, nproc is 2, /proc/interrupts shows the architected timer and
# IPIs counting on both CPUs, `sleep 2` takes 2 s of guest time (within
# 10%), every module of the initramfs (virtio-mmio, the virtio drivers,
# ext4: /init loads them, with or without devices) is loaded, and an idle
# guest leaves a64vm's host CPUs idle (its CPU time over a few seconds,
# reported).  Every wait is for a marker in the guest's output, with a
# generous time-out.
# Both accelerators: a64vcpu's in-kernel vGICv3 and timers, and KVM's.
# Once: debugfs (e2fsprogs, which scripts/hostrun puts in the QEMU host)
# reads the guest's ext4 root disk image, whose /bin/busybox is this host's.
# On a copy of that disk (virtio-blk), with a second disk read-only,
# virtio-rng and virtio-net on a tap device of the QEMU host (tunctl,
# address 10.0.2.2/24; the guest's eth0 10.0.2.15; without tun in the host
# kernel, no network): the guest boots from the disk, pings the host, and
# fetches 1 MiB of random bytes from the host's busybox httpd over TCP with
# the same sha256sum; Linux sees the second disk read-only and cannot write
# it (nor has it changed on the host); /dev/hwrng is virtio-rng's and gives
# bytes; the guest writes a file and syncs, its shell exits and init powers
# off (a64vm status 0), and debugfs finds the file in the disk image; no
# QueueNotify reached a64vm (doorbells) and the devices sent interrupts
# (interrupt eventfds), as a64vm --stats counts them.  With
# --console virtio and console=hvc0 (the PL011 silent), the banner comes
# through virtio-console, a typed line comes back, and poweroff ends it.
#
# Arguments: the accelerators to boot on (default: a64vcpu kvm), so that a
# boot where KVM's half would only repeat another boot's can leave it out.
. "$(dirname "$0")/lib/ktap.sh"

ACCELS=${*:-a64vcpu kvm}

here=$(cd "$(dirname "$0")" && pwd)
A64VM=${A64VM:-$here/../userspace/a64vm}
INITRAMFS=${INITRAMFS:-$here/../userspace/guests/linux/initramfs.cpio.gz}
ROOTFS=${ROOTFS:-$here/../userspace/guests/linux/rootfs.ext4}
IMAGE=$(ls "$here"/../vmlinuz-* 2>/dev/null | head -1)
T=/tmp/a64vm-linux
BANNER="a64vm guest: Linux userspace is up"
# Seconds: a boot in a guest under KVM under TCG takes tens of them; the
# debug host kernel (KASAN, kmemleak) makes it several times slower.
SLOW=1
[ -e /sys/kernel/debug/kmemleak ] && SLOW=4
BOOT_TIMEOUT=$((300 * SLOW))
CMD_TIMEOUT=$((60 * SLOW))
IDLE_SECONDS=6
IDLE_MAX_PERCENT=25

LINUX_CHECKS="boot_1_vcpu poweroff_1_vcpu_exits_0 boot_2_vcpus console_input_round_trip nproc_2
arch_timer_on_both_cpus ipis_on_both_cpus sleep_2s_of_guest_time guest_modules_loaded
idle_guest_idle_host poweroff_2_vcpus_exits_0"
NET_CHECKS="ping_host_over_tap tcp_transfer_sha256"
DISK_CHECKS="root_disk_boot ro_disk_refuses_writes hwrng_is_virtio_rng poweroff_root_disk_exits_0
doorbells_and_irq_eventfds file_written_in_image"
VIRTIO_CHECKS="$DISK_CHECKS $NET_CHECKS virtio_console_banner virtio_console_input
poweroff_virtio_console_exits_0"
TAP=a64tap0
HOST_IP=10.0.2.2
count() { echo $#; }
ktap_plan $(($(count $ACCELS) * $(count $LINUX_CHECKS $VIRTIO_CHECKS) + 1))

# The image's busybox, dumped by debugfs, against the file it was made from.
busybox_in_image() {
	rm -f $T.busybox
	debugfs -R "dump /bin/busybox $T.busybox" "$ROOTFS" 2>/dev/null && cmp $T.busybox /bin/busybox
}
if [ -r "$ROOTFS" ]; then
	ktap_check debugfs_reads_root_disk busybox_in_image
else
	ktap_skip debugfs_reads_root_disk "no root disk image in /files (make userspace builds it)"
fi

if [ -z "$IMAGE" ] || [ ! -r "$INITRAMFS" ]; then
	for accel in $ACCELS; do
		for t in $LINUX_CHECKS $VIRTIO_CHECKS; do
			ktap_skip ${t}_$accel "no Linux Image or initramfs in /files (scripts/check --file's the host kernel in)"
		done
	done
	ktap_finish
fi
rm -rf $T
mkdir -p $T

now() {		# the host's uptime, in hundredths of a second
	read -r up _ < /proc/uptime
	echo "$up" | tr -d .
}

secs() {	# hundredths -> seconds with two decimals
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# Starts a64vm in the background (its PID in $pid), stdin from $1, output
# in $T/$vm.out and .err; the rest are a64vm's arguments.  ($vm names the
# run: ktap_check uses $name.)
start_vm() {
	input=$1
	shift
	started=$(now)
	"$A64VM" "$@" < "$input" > $T/$vm.out 2> $T/$vm.err &
	pid=$!
}

# The guest's output so far, carriage returns dropped.
output() {
	tr -d '\r' < $T/$vm.out
}

# shell_vm ARGS...: starts a64vm with ARGS, its stdin a FIFO that fd 3
# writes (for guest()).
shell_vm() {
	rm -f $T/in
	mkfifo $T/in
	start_vm $T/in "$@"
	exec 3> $T/in
}

# booted CHECK TEXT WHAT: CHECK passes once the output has TEXT (the
# time it took reported for WHAT).
booted() {
	if wait_for "$2" $BOOT_TIMEOUT; then
		ktap_info "$3: boot to the banner in $(secs $(($(now) - started))) s"
		ktap_check $1 true
	else
		ktap_check $1 false
	fi
}

# powered_off CHECK: `poweroff -f` typed in; CHECK passes when a64vm exits 0.
powered_off() {
	echo "poweroff -f" >&3
	wait_exit $CMD_TIMEOUT
	exec 3>&-
	ktap_check $1 rc_is 0
}

# wait_for TEXT SECONDS: until the output has TEXT (a fixed string); fails
# at the time-out or when a64vm has exited without it.
wait_for() {
	deadline=$(($(now) + $2 * 100))
	while ! output | grep -qF -- "$1"; do
		if ! kill -0 $pid 2>/dev/null; then
			output | grep -qF -- "$1"
			return
		fi
		[ $(now) -lt $deadline ] || { echo "# $vm: no '$1' after $2 s"; return 1; }
		sleep 0.2
	done
}

# wait_exit SECONDS: until a64vm exits; its status in $T/$vm.rc (124 if
# it had to be killed).
wait_exit() {
	deadline=$(($(now) + $1 * 100))
	while kill -0 $pid 2>/dev/null && [ $(now) -lt $deadline ]; do
		sleep 0.2
	done
	if kill -0 $pid 2>/dev/null; then
		kill -9 $pid
		wait $pid
		echo 124 > $T/$vm.rc
	else
		wait $pid
		echo $? > $T/$vm.rc
	fi
	sed "s/^/# $vm: /" $T/$vm.err
}

rc_is() {
	[ "$(cat $T/$vm.rc)" = "$1" ] || { echo "# $vm: status $(cat $T/$vm.rc), expected $1"; return 1; }
}

# guest N COMMAND: types COMMAND into the guest's shell, followed by a
# marker whose text only the shell can produce ("=== N ==="; the terminal's
# echo shows "$((N))"), and waits for the marker.  $T/$vm.N then holds
# what came out since the previous marker.
guest() {
	printf '%s;echo "=== $((%d)) ==="\n' "$2" "$1" >&3
	wait_for "=== $1 ===" $CMD_TIMEOUT || return 1
	output | sed -n "/^=== $(($1 - 1)) ===\$/,/^=== $1 ===\$/p" > $T/$vm.$1
}

# The first command is typed until the shell answers: it may start reading
# its terminal a little after the banner.
guest_sync() {
	tries=0
	while [ $tries -lt 6 ]; do
		printf 'echo "=== $((%d)) ==="\n' 1 >&3
		wait_for "=== 1 ===" $((CMD_TIMEOUT / 6 + 1)) > /dev/null && return 0
		kill -0 $pid 2>/dev/null || return 1
		tries=$((tries + 1))
	done
	return 1
}

# round_trip CHECK BEFORE AFTER: the guest's first command (guest_sync)
# echoes "BEFORE $((6 * 7))AFTER"; CHECK passes when "BEFORE 42AFTER" (only
# the shell can compute it) comes back.
round_trip() {
	if guest_sync && guest 2 "echo \"$2 \$((6 * 7))$3\""; then
		ktap_check $1 grep -qx "$2 42$3" $T/$vm.2
	else
		ktap_check $1 false
	fi
}

# a64vm's CPU time (user + system, in clock ticks of 1/100 s) so far.
cpu_ticks() {
	awk '{ print $14 + $15 }' /proc/$pid/stat 2>/dev/null || echo 0
}

# modules_loaded FILE: the guest listed virtio_mmio and ext4 (the first
# and last of its modules) as loaded, and none as missing.
modules_loaded() {
	grep -qx 'loaded virtio_mmio' "$1" && grep -qx 'loaded ext4' "$1" && ! grep -q '^missing ' "$1"
}

# The Linux guest, each check named NAME_ACCEL.
linux_checks() {
	accel=$1
	args="console=ttyAMA0 panic=-1"

	# 1 vCPU, no shell: the banner, then poweroff -f.
	vm=linux1_$accel
	start_vm /dev/null run --accel $accel -k "$IMAGE" -i "$INITRAMFS" -m 256 -c 1 -p "$args"
	booted boot_1_vcpu_$accel "$BANNER" "$accel, 1 vCPU"
	wait_exit $CMD_TIMEOUT
	ktap_check poweroff_1_vcpu_exits_0_$accel rc_is 0

	# 2 vCPUs and a shell on the console, typed into through a FIFO.
	vm=linux2_$accel
	shell_vm run --accel $accel -k "$IMAGE" -i "$INITRAMFS" -m 256 -c 2 -p "$args a64vm.shell"
	booted boot_2_vcpus_$accel "$BANNER" "$accel, 2 vCPUs"

	# Longer than the PL011's 64-byte receive FIFO: a64vm waits for room.
	round_trip console_input_round_trip_$accel "the host says" ", in a line longer than the FIFO"

	guest 3 nproc
	ktap_check nproc_2_$accel grep -qx 2 $T/$vm.3

	guest 4 'cat /proc/interrupts'
	sed -n '/arch_timer\|^ *IPI/s/^/# /p' $T/$vm.4
	ktap_check arch_timer_on_both_cpus_$accel \
		awk '/arch_timer/ && $2 > 0 && $3 > 0 { ok = 1 } END { exit !ok }' $T/$vm.4
	ktap_check ipis_on_both_cpus_$accel \
		awk '/^ *IPI[0-9]+:/ { a += $2; b += $3 } END { exit !(a > 0 && b > 0) }' $T/$vm.4

	# The guest's clock around the sleep, read by shell built-ins.
	guest 5 'U=/proc/uptime'
	guest 6 'read a x <$U;sleep 2;read b x <$U'
	guest 7 'echo "slept from $a to $b"'
	slept=$(awk '/^slept from [0-9.]+ to [0-9.]+$/ { printf "%.2f", $5 - $3 }' $T/$vm.7)
	ktap_info "$accel: sleep 2 took ${slept:-?} s of guest time"
	# Never early; late only by the vCPU thread's wait for a host CPU,
	# which on a busy 2-core TCG machine can reach tenths of a second
	# (2.30 s once on KVM): the bound catches a timer that does not wake
	# the guest by itself, not scheduling luck.
	ktap_check sleep_2s_of_guest_time_$accel \
		awk -v s="${slept:-0}" 'BEGIN { exit !(s >= 1.8 && s <= 5) }'

	# Each module of /lib/modules/load-order (file names; /proc/modules
	# has "_" for "-") is in /proc/modules.
	guest 8 'for m in $(sed "s/-/_/g;s/[.]ko$//" /lib/modules/load-order);do grep -q "^$m " /proc/modules&&echo "loaded $m"||echo "missing $m";done'
	sed -n '/^missing /s/^/# /p' $T/$vm.8
	ktap_info "$accel: $(grep -c '^loaded ' $T/$vm.8) modules loaded"
	ktap_check guest_modules_loaded_$accel modules_loaded $T/$vm.8

	# The shell waits at its prompt: a64vm should wait too.
	t0=$(now) c0=$(cpu_ticks)
	sleep $IDLE_SECONDS
	t1=$(now) c1=$(cpu_ticks)
	idle=$((1000 * (c1 - c0) / (t1 - t0)))		# per mille
	ktap_info "$accel: idle guest: a64vm used $(secs $((c1 - c0))) s of CPU in" \
		  "$(secs $((t1 - t0))) s ($((idle / 10)).$((idle % 10))%)"
	ktap_check idle_guest_idle_host_$accel [ "$idle" -lt $((10 * IDLE_MAX_PERCENT)) ]

	powered_off poweroff_2_vcpus_exits_0_$accel
}

# The QEMU host's end of the guest's network: a tap device with an
# address, and 1 MiB of random bytes served by httpd.  (Debian's kernel
# has tun as a module, scripts/deps puts it in /modules.)
net_setup() {
	[ -c /dev/net/tun ] || insmod /modules/tun.ko 2>/dev/null
	[ -c /dev/net/tun ] ||
		{ net_skip="no tun driver: not built in, no /modules/tun.ko (make deps)"; return 1; }
	[ -r "$ROOTFS" ] || { net_skip="no root disk image in /files"; return 1; }
	tunctl -t $TAP > /dev/null && ip addr add $HOST_IP/24 dev $TAP && ip link set $TAP up ||
		{ net_skip="cannot set up tap $TAP"; return 1; }
	mkdir -p $T/www
	dd if=/dev/urandom of=$T/www/blob bs=1024 count=1024 2> /dev/null
	blob_sum=$(sha256sum < $T/www/blob | cut -d' ' -f1)
	httpd -f -p $HOST_IP:8080 -h $T/www &
	httpd_pid=$!
}

# ro_disk_unwritable FILE: the guest saw vdb read-only and its write
# failed, and the image is as it was.
ro_disk_unwritable() {
	grep -qx 1 "$1" && ! grep -qx WROTE "$1" && cmp -s $T/ro.img $T/ro.orig
}

# The root disk (and the network), then virtio-console; each check
# named NAME_ACCEL.
virtio_checks() {
	accel=$1
	if [ ! -r "$ROOTFS" ]; then
		for t in $DISK_CHECKS $NET_CHECKS; do
			ktap_skip ${t}_$accel "no root disk image in /files (make userspace builds it)"
		done
	else
		vm=disk_$accel
		cp "$ROOTFS" $T/disk.img
		dd if=/dev/urandom of=$T/ro.img bs=1024 count=1024 2> /dev/null
		cp $T/ro.img $T/ro.orig
		net=
		[ -n "$net_skip" ] || net="-n tap=$TAP"
		shell_vm run --accel $accel -k "$IMAGE" -i "$INITRAMFS" -m 256 -c 2 \
			-d $T/disk.img -d $T/ro.img,ro --rng $net --stats \
			-p "console=ttyAMA0 panic=-1 a64vm.root=/dev/vda a64vm.shell"
		booted root_disk_boot_$accel "$BANNER on the root disk" "$accel, root disk${net:+ and network}"
		guest_sync
		if [ -n "$net_skip" ]; then
			for t in $NET_CHECKS; do
				ktap_skip ${t}_$accel "$net_skip"
			done
			guest 2 : && guest 3 :	# the markers the next commands count from
		else
			guest 2 "ping -c 3 $HOST_IP"
			sed -n '/packets/s/^/# /p' $T/$vm.2
			ktap_check ping_host_over_tap_$accel \
				grep -q '^3 packets transmitted, 3 packets received' $T/$vm.2
			t0=$(now)
			guest 3 "wget -q -O - http://$HOST_IP:8080/blob | sha256sum"
			t1=$(now)
			ktap_info "$accel: 1 MiB over TCP (wget) in $(secs $((t1 - t0))) s"
			ktap_check tcp_transfer_sha256_$accel grep -q "^$blob_sum " $T/$vm.3
		fi
		guest 4 "cat /sys/block/vdb/ro; dd if=/dev/zero of=/dev/vdb bs=512 count=1 && echo WROTE"
		ktap_check ro_disk_refuses_writes_$accel ro_disk_unwritable $T/$vm.4
		guest 5 "cat /sys/class/misc/hw_random/rng_current; head -c 64 /dev/hwrng | wc -c"
		ktap_check hwrng_is_virtio_rng_$accel \
			sh -c "grep -q '^virtio_rng' $T/$vm.5 && grep -q '^ *64\$' $T/$vm.5"
		guest 6 "echo a64vm-$accel-wrote-this > /written && sync"
		# The shell exits: the disk's init remounts / read-only (every
		# block in place for debugfs) and powers off.
		echo exit >&3
		wait_exit $CMD_TIMEOUT
		exec 3>&-
		ktap_check poweroff_root_disk_exits_0_$accel rc_is 0
		ktap_check doorbells_and_irq_eventfds_$accel \
			grep -q ' queue_notify_exits=0 interrupts=[1-9]' $T/$vm.err
		ktap_check file_written_in_image_$accel \
			sh -c "debugfs -R 'cat /written' $T/disk.img 2> /dev/null | grep -qx a64vm-$accel-wrote-this"
	fi

	vm=hvc_$accel
	shell_vm run --accel $accel -k "$IMAGE" -i "$INITRAMFS" -m 256 -c 1 \
		--console virtio -p "console=hvc0 panic=-1 a64vm.shell"
	booted virtio_console_banner_$accel "$BANNER" "$accel, --console virtio"
	round_trip virtio_console_input_$accel "hvc0 says" ""
	powered_off poweroff_virtio_console_exits_0_$accel
}

net_skip=
net_setup
for accel in $ACCELS; do
	if [ $accel = kvm ] && [ ! -c /dev/kvm ]; then
		for t in $LINUX_CHECKS $VIRTIO_CHECKS; do
			ktap_skip ${t}_kvm "no /dev/kvm on this host (boot with scripts/hostrun --kvm)"
		done
		continue
	fi
	linux_checks $accel
	virtio_checks $accel
done
[ -z "$httpd_pid" ] || kill $httpd_pid
ktap_finish
