/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * a64vcpu: a loadable AArch64 hypervisor module without KVM.
 * Userspace API of /dev/a64vcpu.  See Documentation/api.rst.
 *
 * Ioctl numbers are grouped by the fd they apply to: 0x00-0x3f system
 * (/dev/a64vcpu), 0x40-0x7f VM, 0x80-0xbf vCPU.  Structures use only
 * fixed-size types with explicit padding; reserved fields must be zero.
 */
#ifndef _UAPI_LINUX_A64VCPU_H
#define _UAPI_LINUX_A64VCPU_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* A64VCPU_GET_API_VERSION returns this; it never changes.  New features are
 * discovered with A64VCPU_CHECK_EXTENSION.
 */
#define A64VCPU_API_VERSION	1

#define A64VCPUIO		0xA6

/* System ioctls, on the fd of /dev/a64vcpu. */
#define A64VCPU_GET_API_VERSION	_IO(A64VCPUIO, 0x00)
#define A64VCPU_CHECK_EXTENSION	_IO(A64VCPUIO, 0x01)

/*
 * Capabilities, the argument of A64VCPU_CHECK_EXTENSION.  Unknown numbers
 * answer 0.
 */
/* Largest guest-physical address size in bits this host supports (32..48). */
#define A64VCPU_CAP_MAX_IPA_SIZE	1

#endif /* _UAPI_LINUX_A64VCPU_H */
