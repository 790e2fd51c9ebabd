// SPDX-License-Identifier: GPL-2.0-only
/*
 * memset() and memcpy(): GCC may emit calls to them for struct and array
 * copies even with -ffreestanding.  Byte at a time, which is always aligned.
 * Built with -fno-tree-loop-distribute-patterns (Makefile) so that GCC does
 * not turn these loops back into calls to themselves.
 */
#include "guest.h"

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	while (n--)
		*d++ = (u8)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
