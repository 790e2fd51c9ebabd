/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the run loop: every entry into a guest and every exit
 * that came back to EL1 (exits EL2 answers itself are counted, not traced).
 * /sys/kernel/tracing/events/a64vcpu/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM a64vcpu

#if !defined(A64_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define A64_TRACE_H

#include <linux/tracepoint.h>
#include <asm/esr.h>

TRACE_EVENT(a64vcpu_entry,
	    TP_PROTO(unsigned int vcpu, u64 pc),
	    TP_ARGS(vcpu, pc),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(u64, pc)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->pc = pc;),
	    TP_printk("vcpu %u pc %#llx", __entry->vcpu, __entry->pc)
);

TRACE_EVENT(a64vcpu_exit,
	    TP_PROTO(unsigned int vcpu, u64 code, u64 esr, u64 pc),
	    TP_ARGS(vcpu, code, esr, pc),
	    TP_STRUCT__entry(__field(unsigned int, vcpu)
			     __field(u64, code)
			     __field(u64, esr)
			     __field(u64, pc)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->code = code;
			   __entry->esr = esr;
			   __entry->pc = pc;),
	    TP_printk("vcpu %u code %llu esr %#llx ec %#llx pc %#llx",
		      __entry->vcpu, __entry->code, __entry->esr,
		      ESR_ELx_EC(__entry->esr), __entry->pc)
);

#endif /* A64_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
