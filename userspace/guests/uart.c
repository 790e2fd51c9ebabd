// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output on the PL011 at VIRT_UART_BASE: poll until the transmit FIFO has
 * room, then write the data register.  No initialisation: a64vm's and QEMU's
 * PL011 transmit from reset.  "\n" goes out as it is.
 */
#include "guest.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1 << 5)	/* transmit FIFO full */

void uart_putc(char c)
{
	while (readl(VIRT_UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	writel((u8)c, VIRT_UART_BASE + UART_DR);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}
