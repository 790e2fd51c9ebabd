#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The a64vm VMM end to end on the QEMU host: the shipped guests on a64vcpu
# and, when the host has KVM, the same guests on KVM with the same output
# (the differential test); console input; exit statuses; guest RAM's switches
# (--pin, --no-thp, --mem-prealloc, --mem-path on tmpfs and hugetlbfs); virtio-blk and
# virtio-rng from a bare-metal driver, hostile requests included, on both
# accelerators, with the disk checked on the host afterwards and every
# QueueNotify taken by the accelerator's doorbells; bad command lines
# and bad images refused with a message and no crash.  Needs /files/userspace (a64vm and
# its guests: scripts/check copies them in).
. "$(dirname "$0")/lib/ktap.sh"

here=$(cd "$(dirname "$0")" && pwd)
A64VM=${A64VM:-$here/../userspace/a64vm}
GUESTS=${GUESTS:-$here/../userspace/guests}
T=/tmp/a64vm-test
mkdir -p $T
# What the demo guest (userspace/guests/demo.c) prints, on every accelerator.
cat > $T/demo.expected <<EOT
demo: hello from vCPU 0 (MPIDR 0x80000000)
demo: hypercall SMCCC_VERSION -> 1.1
demo: PSCI CPU_ON vCPU 1 -> 0 (SUCCESS)
demo: vCPU 1 wrote: hello from vCPU 1 (MPIDR 0x80000001)
demo: bye (PSCI SYSTEM_OFF)
EOT
pages_before=$(cat /sys/kernel/debug/a64vcpu/pages 2>/dev/null)

ktap_plan 67

# vm NAME ARGS...: runs a64vm, stdin from $VM_IN (default /dev/null), stdout
# in $T/NAME.out, stderr in $T/NAME.err, status in $T/NAME.rc; a time-out (a
# hung guest) is status 124.
vm() {
	name=$1
	shift
	timeout 120 "$A64VM" "$@" > $T/$name.out 2> $T/$name.err < "${VM_IN:-/dev/null}"
	echo $? > $T/$name.rc
	sed "s/^/# $name: /" $T/$name.err
}

rc_is() {	# NAME STATUS
	[ "$(cat $T/$1.rc)" = "$2" ] || { echo "# $1: status $(cat $T/$1.rc), expected $2"; return 1; }
}

same_output() {	# NAME EXPECTED-FILE
	diff -u "$2" $T/$1.out | sed 's/^/# /'
	cmp -s "$2" $T/$1.out
}

err_says() {	# NAME TEXT: status 1 and TEXT in stderr
	rc_is $1 1 && grep -q -- "$2" $T/$1.err ||
		{ echo "# $1: expected status 1 and '$2' on stderr"; return 1; }
}

# --- the demo, on both accelerators -----------------------------------------
vm demo run --bare -k $GUESTS/demo.elf -c 2 --stats
ktap_check demo_output_a64vcpu same_output demo $T/demo.expected
ktap_check demo_system_off_exits_0 rc_is demo 0
ktap_check demo_stats_line grep -q "exits to userspace: total=[0-9]* mmio=[0-9]* cpu_on=1 cpu_off=1 system_off=1" $T/demo.err
ktap_check demo_stats_rss grep -q "set-up (CNTVCT ticks): accel=a64vcpu .* run_ticks=[0-9]* rss_kib=[1-9][0-9]* rss_anon_kib=[0-9]* rss_file_kib=[0-9]* rss_shmem_kib=[0-9]* hugetlb_kib=0 anon_thp_kib=[0-9]* ram_thp_kib=[0-9]*\$" $T/demo.err

if [ -c /dev/kvm ]; then
	vm demo_kvm run --accel kvm --bare -k $GUESTS/demo.elf -c 2
	ktap_check demo_output_kvm same_output demo_kvm $T/demo.expected
	ktap_check demo_kvm_exits_0 rc_is demo_kvm 0
else
	ktap_skip demo_output_kvm "no /dev/kvm on this host (boot with scripts/hostrun --kvm)"
	ktap_skip demo_kvm_exits_0 "no /dev/kvm on this host"
fi

# --- SMP: every vCPU up, in order ----------------------------------------------
printf 'smp: vCPU %s up (MPIDR 0x8000000%s)\n' 0 0 1 1 2 2 3 3 > $T/smp4.expected
echo "smp: 4 vCPUs up" >> $T/smp4.expected
vm smp run --bare -k $GUESTS/smp.elf -c 4
ktap_check smp_4_vcpus_a64vcpu same_output smp $T/smp4.expected
vm smp1 run --bare -k $GUESTS/smp.elf -c 1
ktap_check smp_1_vcpu_cpu_on_refused grep -qx "smp: 1 vCPUs up" $T/smp1.out
if [ -c /dev/kvm ]; then
	vm smp_kvm run --accel kvm --bare -k $GUESTS/smp.elf -c 4
	ktap_check smp_4_vcpus_kvm same_output smp_kvm $T/smp4.expected
else
	ktap_skip smp_4_vcpus_kvm "no /dev/kvm on this host"
fi

# --- exit statuses -------------------------------------------------------------
vm crash run --bare -k $GUESTS/crash.elf
ktap_check crash_exits_2 rc_is crash 2
ktap_check crash_reports_esr_and_pc grep -q "vCPU 0: .*ESR 0x9[0-9a-f]* PC 0x4[0-9a-f]* address 0x20000000" $T/crash.err
# A raw binary (--bare, no ELF header): movz x0, #0x8400, lsl 16; movk x0, #9;
# hvc #0 = PSCI SYSTEM_RESET.
printf '\000\200\260\322\040\001\200\362\002\000\000\324' > $T/reset.bin
vm reset run --bare -k $T/reset.bin
ktap_check reset_exits_3 rc_is reset 3
if [ -c /dev/kvm ]; then
	vm reset_kvm run --accel kvm --bare -k $T/reset.bin
	ktap_check reset_exits_3_kvm rc_is reset_kvm 3
else
	ktap_skip reset_exits_3_kvm "no /dev/kvm on this host"
fi

# --- console input: stdin -> the PL011's receive FIFO ----------------------------
printf 'hello a64vm\n' > $T/line.txt
VM_IN=$T/line.txt vm echo run --bare -k $GUESTS/echo.elf
ktap_check console_input_a64vcpu grep -qx 'echo: got "hello a64vm" (11 characters)' $T/echo.out
if [ -c /dev/kvm ]; then
	VM_IN=$T/line.txt vm echo_kvm run --accel kvm --bare -k $GUESTS/echo.elf
	ktap_check console_input_kvm grep -qx 'echo: got "hello a64vm" (11 characters)' $T/echo_kvm.out
else
	ktap_skip console_input_kvm "no /dev/kvm on this host"
fi

# --- virtio: two disks (one read-only) and the entropy device ---------------------
# userspace/guests/virtio.c drives them, honest and hostile requests; sector 1
# of the disk is then what the guest wrote, the read-only disk as it was, and
# a64vm reported the first bad request of each device once.
{ printf 'hello from the host\n'; dd if=/dev/zero bs=1 count=492 2>/dev/null
  dd if=/dev/zero bs=512 count=127 2>/dev/null; } > $T/virtio.img
{
	for n in 0 1 2; do
		echo "virtio: transport $n: magic 74726976 version 2 device $([ $n = 2 ] && echo 4 || echo 2)"
		echo "virtio: ring features offered: ok (1)"
		[ $n = 2 ] || echo "virtio: flush 1 read-only $n"
		echo "virtio: FEATURES_OK refused without VERSION_1: ok (0)"
		echo "virtio: FEATURES_OK refused for a feature not offered: ok (0)"
		echo "virtio: FEATURES_OK: ok (1)"
	done
	cat <<EOT
virtio: disk 0: 128 sectors
virtio: read sector 0: ok (0)
virtio: read: used length: ok (513)
virtio: sector 0 reads "hello from the host"
virtio: write sector 1: ok (0)
virtio: write: used length: ok (1)
virtio: flush: ok (0)
virtio: read it back: ok (0)
virtio: same bytes: ok (1)
virtio: read through an indirect table: ok (1)
virtio: get id: ok (0)
virtio: id "disk.img"
virtio: read past the end: ok (1)
virtio: read across the end: ok (1)
virtio: sector number overflowing: ok (1)
virtio: not whole sectors: ok (1)
virtio: unknown type: ok (2)
virtio: data outside RAM: ok (1)
virtio: data across RAM's end: ok (1)
virtio: zero-length data: ok (1)
virtio: a looping chain: ok (1)
virtio: an indirect table inside one: ok (1)
virtio: no status byte: used length: ok (0)
virtio: a64vm asked for the next notification (avail_event): ok (17)
virtio: interrupt status seen: ok (1)
virtio: read-only disk: read: ok (0)
virtio: read-only disk: write refused: ok (1)
virtio: rng: 64 bytes: ok (64)
virtio: rng: not all zero: ok (1)
virtio: rng: a bad avail index sets DEVICE_NEEDS_RESET: ok (1)
virtio: rng: reset: ok (0)
virtio: done
EOT
} > $T/virtio.expected
# virtio_run NAME ACCEL-ARGS...: the guest on a fresh disk.img and ro.img.
virtio_run() {
	name=$1
	shift
	mkdir -p $T/$name.d
	cp $T/virtio.img $T/$name.d/disk.img
	cp $T/virtio.img $T/$name.d/ro.img
	vm $name run "$@" --bare -k $GUESTS/virtio.elf -d $T/$name.d/disk.img \
		-d $T/$name.d/ro.img,ro --rng --stats
}
sector1_written() {	# NAME: sector 1 of its disk.img starts with what the guest wrote
	[ "$(dd if=$T/$1.d/disk.img bs=512 skip=1 count=1 2>/dev/null | head -c 20)" = \
		"written by the guest" ]
}
virtio_run virtio
ktap_check virtio_guest_a64vcpu same_output virtio $T/virtio.expected
ktap_check virtio_disk_written_a64vcpu sector1_written virtio
# Every QueueNotify the guest wrote was a doorbell: none reached a64vm.
ktap_check virtio_notify_by_doorbell_a64vcpu grep -q ' queue_notify_exits=0 ' $T/virtio.err
ktap_check virtio_ro_disk_unchanged cmp -s $T/virtio.img $T/virtio.d/ro.img
ktap_check virtio_bad_requests_reported_once sh -c "rc=\$(cat $T/virtio.rc); [ \$rc = 0 ] &&
	[ \$(grep -c 'virtio-blk0: .*(the first guest error reported; more ignored)' $T/virtio.err) = 1 ] &&
	grep -q 'virtio-rng: avail index beyond the queue size: device needs a reset' $T/virtio.err"
if [ -c /dev/kvm ]; then
	virtio_run virtio_kvm --accel kvm
	ktap_check virtio_guest_kvm same_output virtio_kvm $T/virtio.expected
	ktap_check virtio_disk_written_kvm sector1_written virtio_kvm
	ktap_check virtio_notify_by_doorbell_kvm grep -q ' queue_notify_exits=0 ' $T/virtio_kvm.err
else
	ktap_skip virtio_guest_kvm "no /dev/kvm on this host"
	ktap_skip virtio_disk_written_kvm "no /dev/kvm on this host"
	ktap_skip virtio_notify_by_doorbell_kvm "no /dev/kvm on this host"
fi
vm nodisk run --bare -k $GUESTS/demo.elf -d /nonexistent
ktap_check disk_missing_refused err_says nodisk "-d /nonexistent: No such file or directory"
vm diskdev run --bare -k $GUESTS/demo.elf -d /dev/null
ktap_check disk_not_a_file_refused err_says diskdev "-d /dev/null: not a regular file or a block device"
vm diskopt run --bare -k $GUESTS/demo.elf -d $T/virtio.img,rw
ktap_check disk_bad_option_refused err_says diskopt "-d wants FILE or FILE,ro"

# --- the VMM's own answers: unclaimed MMIO, its hypercall ------------------------
vm probe run --bare -k $GUESTS/probe.elf
ktap_check unclaimed_mmio_reads_zero sh -c "[ \$(grep -c 'unclaimed MMIO read 0x0\$' $T/probe.out) = 2 ]"
ktap_check unclaimed_mmio_logged_once sh -c "[ \$(grep -c 'unclaimed MMIO read of 4 bytes at 0xa000000' $T/probe.err) = 1 ]"
ktap_check vmm_hypercall_answered grep -q "echo 41 -> x0=0 x1=42" $T/probe.out

# --- device tree ------------------------------------------------------------------
vm dump run --dump-dtb $T/virt.dtb -c 2 -p "console=ttyAMA0"
ktap_check dump_dtb_writes_a_dtb sh -c "rc=\$(cat $T/dump.rc); [ \$rc = 0 ] && [ \"\$(od -An -tx1 -N4 $T/virt.dtb | tr -d ' ')\" = d00dfeed ]"
vm demo_dtb run --bare -k $GUESTS/demo.elf -c 2 --dtb $T/virt.dtb
ktap_check given_dtb_boots same_output demo_dtb $T/demo.expected

# --- bad command lines --------------------------------------------------------------
vm noargs
ktap_check no_command_refused err_says noargs "expected a command"
vm nokernel run
ktap_check no_kernel_refused err_says nokernel "-k IMAGE is required"
vm badopt run -k x --frobnicate
ktap_check unknown_option_refused err_says badopt "unknown option"
vm badmem run -k x -m 0
ktap_check zero_ram_refused err_says badmem "-m wants"
vm badcpus run -k x -c 99
ktap_check too_many_cpus_refused err_says badcpus "-c wants"
vm ipamem run -k x -m 1048576
ktap_check ram_beyond_40_bits_refused err_says ipamem "must end within the guest's 40-bit"

# --- RAM: --pin, huge pages, --mem-path (this host has 1 GiB); slots of at most 64 GiB ----
# stat_at_least NAME FIELD MIN: FIELD of the set-up line a64vm --stats printed
# is at least MIN; stat_is NAME FIELD VALUE: is VALUE.
stat_of() {
	sed -n "s/.*set-up (CNTVCT ticks):.* $2=\([0-9]*\).*/\1/p" $T/$1.err
}
stat_at_least() {
	v=$(stat_of $1 $2)
	[ -n "$v" ] && [ "$v" -ge "$3" ] || { echo "# $1: $2=${v:-none}, expected $3 or more"; return 1; }
}
stat_is() {
	v=$(stat_of $1 $2)
	[ "$v" = "$3" ] || { echo "# $1: $2=${v:-none}, expected $3"; return 1; }
}
vm bigmem run --bare -k $GUESTS/demo.elf -m 4096 --pin
ktap_check ram_beyond_host_memory_refused err_says bigmem "-m 4096 --pin: a64vcpu pins all of guest RAM"
# Pinned: all of RAM resident in a64vm at power-off, touched or not.
vm pin run --bare -k $GUESTS/demo.elf -c 2 -m 128 --pin --stats
ktap_check pin_runs same_output pin $T/demo.expected
ktap_check pin_holds_all_ram stat_at_least pin rss_anon_kib 131072
vm pinkvm run --bare -k $GUESTS/demo.elf --pin --accel kvm
ktap_check pin_refused_on_kvm err_says pinkvm "--pin asks a64vcpu for pinned slots"
# --mem-prealloc: all of RAM resident in a64vm before the guest starts, which
# the demo (it touches a few pages) would not make it otherwise.
vm prealloc run --bare -k $GUESTS/demo.elf -c 2 -m 128 --mem-prealloc --stats
ktap_check mem_prealloc_runs same_output prealloc $T/demo.expected
ktap_check mem_prealloc_resident stat_at_least prealloc rss_anon_kib 131072
# Transparent huge pages: a64vm advises MADV_HUGEPAGE, or MADV_NOHUGEPAGE (--no-thp).
vm nothp run --bare -k $GUESTS/demo.elf -c 2 --no-thp --stats
ktap_check no_thp_runs same_output nothp $T/demo.expected
if grep -q '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
	ktap_check thp_backs_ram stat_at_least demo ram_thp_kib 2048
	ktap_check no_thp_no_huge_pages stat_is nothp ram_thp_kib 0
else
	ktap_skip thp_backs_ram "no transparent huge pages on this host"
	ktap_skip no_thp_no_huge_pages "no transparent huge pages on this host"
fi
# --mem-path on tmpfs: a shared file, so the 1 MiB a64vm loads into RAM
# is in its RssShmem (beyond what the demo with anonymous RAM had there); a
# directory that is not there.
dd if=/dev/zero bs=1M count=1 2>/dev/null | tr '\0' x > $T/blob
vm tmpfs run --bare -k $GUESTS/demo.elf -c 2 --mem-path /tmp --load $T/blob@0x41000000 --stats
ktap_check mem_path_tmpfs_runs same_output tmpfs $T/demo.expected
ktap_check mem_path_tmpfs_shared stat_at_least tmpfs rss_shmem_kib $(($(stat_of demo rss_shmem_kib) + 1024))
vm nodir run --bare -k $GUESTS/demo.elf --mem-path /nonexistent
ktap_check mem_path_missing_refused err_says nodir "--mem-path /nonexistent: No such file or directory"
# --mem-path on hugetlbfs, with 16 huge pages of 2 MiB reserved for it (the
# debug kernel has no hugetlbfs).
nr_huge=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null)
if grep -q hugetlbfs /proc/filesystems; then
	mkdir -p $T/huge && mount -t hugetlbfs -o pagesize=2M none $T/huge &&
		echo 16 > /proc/sys/vm/nr_hugepages
	ktap_info "huge pages: $(grep HugePages_Free /proc/meminfo)"
	vm huge run --bare -k $GUESTS/demo.elf -c 2 -m 16 --mem-path $T/huge --stats
	ktap_check mem_path_hugetlbfs_runs same_output huge $T/demo.expected
	ktap_check mem_path_hugetlbfs_huge_pages stat_at_least huge hugetlb_kib 2048
	vm hugeshort run --bare -k $GUESTS/demo.elf -m 64 --mem-path $T/huge
	ktap_check mem_path_hugetlbfs_short_refused err_says hugeshort "not enough free huge pages"
	vm hugesize run --bare -k $GUESTS/demo.elf -m 15 --mem-path $T/huge
	ktap_check mem_path_hugetlbfs_size_refused err_says hugesize "-m 15 is not a multiple"
	vm hugenothp run --bare -k $GUESTS/demo.elf -m 16 --mem-path $T/huge --no-thp
	ktap_check mem_path_hugetlbfs_no_thp_refused err_says hugenothp "--no-thp: RAM on hugetlbfs"
	umount $T/huge
	echo "$nr_huge" > /proc/sys/vm/nr_hugepages
else
	for t in runs huge_pages short_refused size_refused no_thp_refused; do
		ktap_skip mem_path_hugetlbfs_$t "no hugetlbfs in this kernel"
	done
fi
if [ -c /dev/kvm ]; then
	# 68 GiB, two slots; KVM maps RAM when the guest touches it.
	vm demo_kvm_68g run --accel kvm --bare -k $GUESTS/demo.elf -c 2 -m 69632
	ktap_check ram_in_two_slots_kvm same_output demo_kvm_68g $T/demo.expected
else
	ktap_skip ram_in_two_slots_kvm "no /dev/kvm on this host"
fi
vm missing run -k /nonexistent
ktap_check missing_file_refused err_says missing "cannot read /nonexistent"

# --- bad images ------------------------------------------------------------------------
vm notimage run -k $GUESTS/demo.elf
ktap_check wrong_magic_refused err_says notimage "not an arm64 Image"
# An Image header: text_offset 0, image_size 128 MiB, flags 0 (little endian), magic.
{ printf '\000\000\000\024\000\000\000\000'; printf '\000\000\000\000\000\000\000\000'
  printf '\000\000\000\010\000\000\000\000'; printf '\000\000\000\000\000\000\000\000'
  dd if=/dev/zero bs=24 count=1 2>/dev/null; printf 'ARM\144\000\000\000\000'; } > $T/big.img
head -c 40 $T/big.img > $T/short.img
vm short run -k $T/short.img
ktap_check truncated_image_refused err_says short "truncated"
vm big run -k $T/big.img -m 64
ktap_check image_larger_than_ram_refused err_says big "does not fit"
vm overlap run --bare -k $GUESTS/demo.elf --load $T/reset.bin@0x40000000
ktap_check overlapping_load_refused err_says overlap "overlaps"
vm loadzero run --bare -k $GUESTS/demo.elf --load $T/reset.bin@0
ktap_check load_outside_ram_refused err_says loadzero "outside RAM"
dd if=/dev/zero of=$T/big.rd bs=1M count=3 2>/dev/null
vm bigrd run --bare -k $GUESTS/demo.elf -i $T/big.rd -m 4
ktap_check initrd_larger_than_room_refused err_says bigrd "does not fit below the DTB"

# --- Image.gz: inflated by a64vm (zlib) -------------------------------------------------
# A 76-byte Image: its header (code0 = b +64, text_offset 0, image_size 4 KiB,
# the magic), then movz x0, #0x8400, lsl 16; movk x0, #8; hvc #0 = PSCI
# SYSTEM_OFF.  Gzip'd, it must run; cut short or with a bad CRC, be refused.
{ printf '\020\000\000\024\000\000\000\000'; printf '\000\000\000\000\000\000\000\000'
  printf '\000\020\000\000\000\000\000\000'; dd if=/dev/zero bs=32 count=1 2>/dev/null
  printf 'ARM\144\000\000\000\000'; printf '\000\200\260\322\000\001\200\362\002\000\000\324'
} > $T/off.img
gzip -c $T/off.img > $T/off.img.gz
vm imagegz run -k $T/off.img.gz
ktap_check image_gz_runs_a64vcpu rc_is imagegz 0
if [ -c /dev/kvm ]; then
	vm imagegz_kvm run --accel kvm -k $T/off.img.gz
	ktap_check image_gz_runs_kvm rc_is imagegz_kvm 0
else
	ktap_skip image_gz_runs_kvm "no /dev/kvm on this host"
fi
head -c 30 $T/off.img.gz > $T/cut.img.gz
vm cutgz run -k $T/cut.img.gz
ktap_check truncated_image_gz_refused err_says cutgz "truncated gzip data"
cp $T/off.img.gz $T/bad.img.gz
printf '\377\377\377\377' |
	dd of=$T/bad.img.gz bs=1 seek=$(($(stat -c %s $T/bad.img.gz) - 8)) conv=notrunc 2>/dev/null
vm badgz run -k $T/bad.img.gz
ktap_check corrupt_image_gz_refused err_says badgz "corrupt gzip data: incorrect data check"

# Nothing the refused runs did is left behind in the module.
ktap_check no_pages_left sh -c "[ \"\$(cat /sys/kernel/debug/a64vcpu/pages 2>/dev/null)\" = '$pages_before' ]"

ktap_finish
