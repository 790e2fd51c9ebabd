// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PL011 at VIRT_UART_BASE, polled: output waits until the transmit FIFO
 * has room, input until the receive FIFO has a character.  No
 * initialisation: a64vm's and QEMU's PL011 work from reset.  "\n" goes out
 * as it is.
 */
#include "guest.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_RXFE	(1 << 4)	/* receive FIFO empty */
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

int uart_getc(unsigned int timeout_s)
{
	u64 end = read_cntvct() + timeout_s * read_cntfrq();

	while (readl(VIRT_UART_BASE + UART_FR) & UART_FR_RXFE)
		if (read_cntvct() > end)
			return -1;
	return readl(VIRT_UART_BASE + UART_DR) & 0xff;
}
