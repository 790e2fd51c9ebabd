/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Benchmark guests: each times 1000 operations with the virtual counter and
 * reports the ticks by ucall, over and over (vcpu_bench.c).
 */
#include "guest.inc"

/* \op: 1000 times, timed; x1 = MMIO address, w0 = SMCCC id for the body. */
.macro	bench name, op:vararg
guest_begin \name
	ucall_init
	movz	x1, #0x0a00, lsl #16
	add	x1, x1, #0x1000
1:	mov	x9, #1000
	isb
	mrs	x10, cntvct_el0
2:	\op
	subs	x9, x9, #1
	b.ne	2b
	isb
	mrs	x11, cntvct_el0
	sub	x11, x11, x10
	ucall	x11
	b	1b
guest_end \name
.endm

.macro	hvc_version
	movz	w0, #0x8000, lsl #16	/* SMCCC_VERSION: answered at EL2 */
	hvc	#0
.endm

.macro	hvc_unknown
	mov	x0, #0x42		/* to userspace */
	hvc	#0
.endm

bench	bench_hvc_el2, hvc_version
bench	bench_hvc_user, hvc_unknown
bench	bench_mmio_write, str x0, [x1]
bench	bench_mmio_read, ldr x0, [x1]
bench	bench_sysreg, mrs x0, cntp_ctl_el0
