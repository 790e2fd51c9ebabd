// SPDX-License-Identifier: GPL-2.0-only
/*
 * How one vCPU tells another that data is ready: it writes the data, then
 * the flag; the other sees the flag, then reads the data.  Both sides are
 * Device memory (MMU off), so there are no caches to maintain, but the order
 * in which other observers see two accesses is only guaranteed by a barrier
 * between them (ARM ARM B2.3, "Ordering requirements defined by the formal
 * concurrency model"): a dmb sy on each side.
 */
#include "guest.h"

/**
 * flag_set() - publish everything written so far, then raise @flag
 * @flag: the flag, initially 0
 */
void flag_set(u32 *flag)
{
	dmb_sy();		/* the data before the flag */
	write_once(flag, 1);
}

/**
 * flag_wait() - wait for another vCPU's flag_set()
 * @flag: the flag
 * @timeout_s: how long to wait, by the virtual counter
 *
 * If CNTFRQ_EL0 reads 0 (never programmed), a 1 GHz counter is assumed,
 * which can only make the wait longer.
 *
 * Return: true once the flag is set, with the data written before it
 * visible; false on timeout.
 */
bool flag_wait(const u32 *flag, unsigned int timeout_s)
{
	u64 freq = read_cntfrq() ?: 1000000000;
	u64 start = read_cntvct();

	while (!read_once(flag)) {
		if (read_cntvct() - start > freq * timeout_s)
			return false;
	}
	dmb_sy();		/* the flag before the data */
	return true;
}
