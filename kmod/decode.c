// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding the loads and stores that fault on MMIO without an instruction
 * syndrome (ESR_EL2.ISV = 0), so that they become ordinary MMIO exits
 * where KVM would only report them: general-purpose register pairs
 * (LDP, STP, LDPSW, LDNP, STNP; offset, pre- and post-index) and single
 * registers with pre- or post-index writeback (ARM ARM C4.1.66, C4.1.67).
 * SIMD/FP registers, exclusives and atomics stay undecoded.
 */
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/errno.h>

#include "a64vcpu.h"

#define LDST_V			BIT(26)
#define LDST_RT			GENMASK(4, 0)
#define LDST_RN			GENMASK(9, 5)

/* Load/store pair: op0 x01x with bits 29:27 = 101, bit 26 = V. */
#define PAIR_MASK		GENMASK(29, 27)
#define PAIR_VAL		(5U << 27)
#define PAIR_OPC		GENMASK(31, 30)
#define PAIR_IDX		GENMASK(25, 23)
#define PAIR_L			BIT(22)
#define PAIR_IMM7		GENMASK(21, 15)
#define PAIR_RT2		GENMASK(14, 10)
#define PAIR_IDX_NOALLOC	0
#define PAIR_IDX_POST		1
#define PAIR_IDX_OFFSET		2
#define PAIR_IDX_PRE		3

/* Load/store register, immediate pre/post-index: 111 0 00 opc 0 imm9 x1. */
#define SINGLE_MASK		(GENMASK(29, 27) | GENMASK(25, 24) | BIT(21) | BIT(10))
#define SINGLE_VAL		((7U << 27) | BIT(10))
#define SINGLE_SIZE		GENMASK(31, 30)
#define SINGLE_OPC		GENMASK(23, 22)
#define SINGLE_IMM9		GENMASK(20, 12)
#define SINGLE_PRE		BIT(11)

static int decode_pair(u32 insn, struct a64_mmio_insn *d)
{
	unsigned int opc = FIELD_GET(PAIR_OPC, insn), idx = FIELD_GET(PAIR_IDX, insn);
	bool load = insn & PAIR_L;

	switch (opc) {
	case 0:			/* 32-bit */
		d->len = 4;
		break;
	case 1:			/* LDPSW; STGP and friends are not MMIO business */
		if (!load)
			return -EINVAL;
		d->len = 4;
		d->sign = true;
		d->sf = true;
		break;
	case 2:			/* 64-bit */
		d->len = 8;
		d->sf = true;
		break;
	default:
		return -EINVAL;
	}
	if (idx > PAIR_IDX_PRE)
		return -EINVAL;
	d->nr = 2;
	d->write = !load;
	d->rt[0] = FIELD_GET(LDST_RT, insn);
	d->rt[1] = FIELD_GET(PAIR_RT2, insn);
	d->rn = FIELD_GET(LDST_RN, insn);
	d->offset = sign_extend64(FIELD_GET(PAIR_IMM7, insn), 6) * d->len;
	d->writeback = idx == PAIR_IDX_POST || idx == PAIR_IDX_PRE;
	d->post_index = idx == PAIR_IDX_POST;
	return 0;
}

static int decode_single(u32 insn, struct a64_mmio_insn *d)
{
	unsigned int size = FIELD_GET(SINGLE_SIZE, insn);

	d->len = 1U << size;
	switch (FIELD_GET(SINGLE_OPC, insn)) {
	case 0:			/* STR */
		d->write = true;
		break;
	case 1:			/* LDR, zero-extending */
		d->sf = size == 3;
		break;
	case 2:			/* LDRS to 64 bits; size 3 is PRFM */
		if (size == 3)
			return -EINVAL;
		d->sign = true;
		d->sf = true;
		break;
	default:		/* LDRS to 32 bits */
		if (size >= 2)
			return -EINVAL;
		d->sign = true;
		break;
	}
	d->nr = 1;
	d->rt[0] = FIELD_GET(LDST_RT, insn);
	d->rn = FIELD_GET(LDST_RN, insn);
	d->offset = sign_extend64(FIELD_GET(SINGLE_IMM9, insn), 8);
	d->writeback = true;
	d->post_index = !(insn & SINGLE_PRE);
	return 0;
}

/**
 * a64_decode_ldst() - decode a load/store that faulted without syndrome
 * @insn: the instruction
 * @d: filled in (nr, len, write, sign, sf, rt, rn, offset, writeback,
 *     post_index)
 *
 * Return: 0, or -EINVAL for a form this file does not handle.
 */
int a64_decode_ldst(u32 insn, struct a64_mmio_insn *d)
{
	*d = (struct a64_mmio_insn){};
	if (insn & LDST_V)
		return -EINVAL;
	if ((insn & PAIR_MASK) == PAIR_VAL && !(insn & BIT(26)))
		return decode_pair(insn, d);
	if ((insn & SINGLE_MASK) == SINGLE_VAL)
		return decode_single(insn, d);
	return -EINVAL;
}
