// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory the host maps on demand (selftests/vm_ondemand.c): the
 * operations of vm_ondemand.h, one per ucall, until OP_EXIT.  The MMU is
 * off: every access is to the guest-physical address the test names.
 */
#include "test.h"
#include "vm_ondemand.h"

static u64 fill(u64 gpa, u64 size, u64 seed)
{
	u64 a;

	for (a = gpa; a < gpa + size; a += 8)
		writeq(ondemand_pattern(seed, a), a);
	return 0;
}

/* The words of [@gpa, @gpa + @size) that differ from @seed's pattern. */
static u64 check(u64 gpa, u64 size, u64 seed)
{
	u64 a, bad = 0, v;

	for (a = gpa; a < gpa + size; a += 8) {
		v = readq(a);
		if (v != (seed ? ondemand_pattern(seed, a) : 0)) {
			if (!bad)
				printf("first difference at %lx: %lx\n", (unsigned long)a,
				       (unsigned long)v);
			bad++;
		}
	}
	return bad;
}

static u64 touch(u64 gpa, u64 size, u64 stride)
{
	u64 a, n = 0;

	for (a = gpa; a < gpa + size; a += stride, n++)
		readq(a);
	return n;
}

static u64 spin(u64 gpa, u64 size, u64 seed)
{
	u64 word = guest_arg(4), flag = guest_arg(5), slot_end = ONDEMAND_SLOT_GPA + guest_arg(6);
	u64 other = guest_arg(7);

	ucall(ONDEMAND_READY);
	while (!readq(flag))
		readq(word);
	return check(gpa, size, seed) + check(ONDEMAND_SLOT_GPA, gpa - ONDEMAND_SLOT_GPA, other) +
	       check(gpa + size, slot_end - gpa - size, other);
}

int main(void)
{
	for (;;) {
		u64 op = guest_arg(0), gpa = guest_arg(1), size = guest_arg(2), seed = guest_arg(3);

		switch (op) {
		case OP_EXIT:
			return 0;
		case OP_FILL:
			ucall(fill(gpa, size, seed));
			break;
		case OP_CHECK:
			ucall(check(gpa, size, seed));
			break;
		case OP_TOUCH:
			ucall(touch(gpa, size, seed));
			break;
		case OP_SPIN:
			ucall(spin(gpa, size, seed));
			break;
		default:
			GUEST_ASSERT(0);
		}
	}
}
