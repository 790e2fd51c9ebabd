# SPDX-License-Identifier: GPL-2.0-only
#
# a64vcpu top-level Makefile.  The kernel module itself is described by
# Kbuild; this file drives set-up, the cross builds, the QEMU test loop,
# lint and benchmarks.  See README.md.
#
#   make deps    install host packages, fetch the arm64 kernel parts
#   make         module (stock kernel), userspace (a64vm, guests), selftests
#   make check   host unit tests, then the selftests in QEMU on both kernels
#   make lint    checkpatch --strict, sparse, cppcheck
#   make demo    boot the host, load the module, boot a Linux guest under a64vm
#   make bench   guest exits on a64vcpu against KVM, same boot (and EL2 round trips)
#   make fuzz    the ioctl fuzzer on the debug kernel (scripts/fuzz: FUZZ_CALLS, FUZZ_SEED)
#   make install the stock module and its udev rule, into DESTDIR (scripts/install)
#   make stress  the stress suite on the debug kernel (scripts/stress: STRESS_SECONDS, STRESS_SEED)

top := $(CURDIR)
BUILD := $(top)/build
PARTS := $(BUILD)/parts
CROSS_COMPILE := aarch64-linux-gnu-
KFLAVOR ?= stock
# FAULT_INJECT=1: a module with debugfs el2_fault_inject (the EL2 panic
# test), built beside the normal one in build/kmod/<flavor>-inject/.
FAULT_INJECT ?=
kbuild_dir = $(BUILD)/kmod/$(KFLAVOR)$(if $(FAULT_INJECT),-inject)

# `make` alone is `make all`: the rule for env.mk below would otherwise be the
# first target, and `make` would only check that env.mk is there.
.DEFAULT_GOAL := all

# Written by scripts/deps; make remakes it (and restarts) when it is missing.
include $(PARTS)/env.mk
$(PARTS)/env.mk:
	@$(top)/scripts/deps

ifeq ($(KFLAVOR),debug)
kdir = $(shell $(top)/scripts/debug-kernel)/obj
else
kdir = $(KDIR)
endif

KMAKE = $(MAKE) -C $(kdir) M=$(kbuild_dir) ARCH=arm64 \
	CROSS_COMPILE=$(CROSS_COMPILE) W=1 KCFLAGS=-Werror \
	$(if $(FAULT_INJECT),A64VCPU_FAULT_INJECT=1)

.PHONY: all deps module userspace selftests check host-tests lint demo bench fuzz clean install stress

all: module userspace selftests

deps:
	@$(top)/scripts/deps

# The module builds in build/kmod/<flavor>/, a copy of the sources, so that
# the tree stays clean and both kernels' objects can coexist.
module:
	@mkdir -p $(kbuild_dir)
	@cp -a --update Kbuild kmod uapi $(kbuild_dir)/
	@$(KMAKE) modules 2>&1 | { grep -v 'Skipping BTF\|^make\[' || true; }
	@test -f $(kbuild_dir)/a64vcpu.ko

userspace:
	@$(MAKE) -s -C userspace OUT=$(BUILD)/userspace CROSS_COMPILE=$(CROSS_COMPILE) \
		BUSYBOX=$(BUSYBOX) GUEST_MODULES=$(GUEST_MODULES)

selftests:
	@$(MAKE) -s -C selftests OUT=$(BUILD)/selftests \
		CROSS_COMPILE=$(CROSS_COMPILE) KSFT_DIR=$(KSFT_DIR)

host-tests:
	@$(MAKE) -s -C selftests/host OUT=$(BUILD)/host-tests KSFT_DIR=$(KSFT_DIR)

check: deps
	@$(top)/scripts/check

lint: deps module
	@$(top)/scripts/lint

# The QEMU host boots, loads a64vcpu.ko and runs a64vm on Debian's arm64
# kernel with 2 vCPUs and a busybox initramfs (scripts/demo): the boot log,
# a banner from the guest's userspace, power-off; with a terminal, its shell.
# DISK=1: the guest's root on the ext4 disk image, with a network.
demo: deps module userspace
	@$(top)/scripts/demo $(if $(DISK),--disk)

bench: deps module userspace selftests
	@$(top)/scripts/bench

# selftests/ioctl_fuzz, 10^6 calls, on the debug kernel (scripts/fuzz).
fuzz: deps module selftests
	@$(MAKE) -s module KFLAVOR=debug
	@$(top)/scripts/fuzz

# The stock module, depmod and the udev rule (group a64vcpu, 0660) into
# $(DESTDIR); into /, the group too (scripts/install).
install: deps
	@$(MAKE) -s module KFLAVOR=stock
	@DESTDIR=$(DESTDIR) $(top)/scripts/install

# The stress suite (selftests/stress_*), on the debug kernel (scripts/stress).
stress: deps module selftests
	@$(MAKE) -s module KFLAVOR=debug
	@$(top)/scripts/stress

clean:
	rm -rf $(BUILD)/kmod $(BUILD)/userspace $(BUILD)/selftests $(BUILD)/host-tests $(BUILD)/hostrun \
		$(BUILD)/bench
