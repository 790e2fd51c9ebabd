// SPDX-License-Identifier: GPL-2.0-only
/*
 * PL011 UART at VIRT_UART_BASE: what a polling guest and Linux's amba-pl011
 * driver touch.  Output goes to a64vm's stdout as it is written; input comes
 * from stdin through a reader thread into a small receive FIFO.  Ctrl-A x on
 * a terminal stops a64vm.  With --console virtio the UART is still there
 * but not the console: no input, and its output is dropped.
 *
 * Interrupts as the PL011 TRM (DDI 0183) and QEMU's model have them, for the
 * two sources there are: RX is raised when a character arrives and lowered
 * when the guest reads the FIFO empty (the trigger level is one character,
 * as QEMU's: Linux reads the FIFO only when interrupted); TX is raised by a
 * write to UARTDR (the character is gone at once).  UARTICR lowers either,
 * UARTMIS = UARTRIS & UARTIMSC, and the output, UARTINTR = any bit of MIS,
 * drives SPI VIRT_UART_SPI through vm_set_spi() on every change.  Receive
 * time-out, modem status and error interrupts never happen.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../dtb.h"
#include "../vmm.h"

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTIBRD	0x024
#define UARTFBRD	0x028
#define UARTLCR_H	0x02c
#define UARTCR		0x030
#define UARTIFLS	0x034
#define UARTIMSC	0x038
#define UARTRIS		0x03c
#define UARTMIS		0x040
#define UARTICR		0x044
#define UARTPERIPHID0	0xfe0

#define FR_RXFE		(1U << 4)
#define FR_RXFF		(1U << 6)
#define FR_TXFE		(1U << 7)
#define INT_RX		(1U << 4)
#define INT_TX		(1U << 5)
#define INT_ALL		0x7ffU		/* the interrupt bits of IMSC, RIS, MIS and ICR */

#define RX_FIFO		64
#define RX_FULL_POLL_US	1000	/* how often stdin looks for room */

struct pl011 {
	struct mmio_device dev;
	struct vm *vm;
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris;
	bool intr;			/* UARTINTR, as last given to vm_set_spi() */
	bool console;			/* a64vm's terminal (not with --console virtio) */
	uint8_t rx[RX_FIFO];
	unsigned int rx_head, rx_count;
};

/* After any change of RIS or IMSC, under the device's lock: the line follows MIS. */
static void pl011_update(struct pl011 *uart)
{
	bool intr = uart->ris & uart->imsc;

	if (intr != uart->intr) {
		uart->intr = intr;
		vm_set_spi(uart->vm, VIRT_UART_SPI, intr);
	}
}

/* PL011 r1p5 and PrimeCell identification, read by Linux's AMBA bus. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint64_t pl011_read(struct mmio_device *dev, uint64_t off, unsigned int len)
{
	struct pl011 *uart = dev->priv;
	uint32_t val;

	switch (off) {
	case UARTDR:
		if (!uart->rx_count)
			return 0;
		val = uart->rx[uart->rx_head];
		uart->rx_head = (uart->rx_head + 1) % RX_FIFO;
		if (!--uart->rx_count) {
			uart->ris &= ~INT_RX;
			pl011_update(uart);
		}
		return val;
	case UARTFR:
		return FR_TXFE | (uart->rx_count ? 0 : FR_RXFE) |
		       (uart->rx_count == RX_FIFO ? FR_RXFF : 0);
	case UARTIBRD:
		return uart->ibrd;
	case UARTFBRD:
		return uart->fbrd;
	case UARTLCR_H:
		return uart->lcr_h;
	case UARTCR:
		return uart->cr;
	case UARTIFLS:
		return uart->ifls;
	case UARTIMSC:
		return uart->imsc;
	case UARTRIS:
		return uart->ris;
	case UARTMIS:
		return uart->ris & uart->imsc;
	default:
		if (off >= UARTPERIPHID0 && off < UARTPERIPHID0 + 32 && !(off & 3))
			return pl011_id[(off - UARTPERIPHID0) / 4];
		return 0;
	}
}

static void pl011_write(struct mmio_device *dev, uint64_t off, uint64_t val, unsigned int len)
{
	struct pl011 *uart = dev->priv;
	char c = val;

	switch (off) {
	case UARTDR:
		/* Not the console: the byte goes nowhere, as kvmtool's serial. */
		if (uart->console && write(STDOUT_FILENO, &c, 1) != 1 && errno != EAGAIN)
			break;	/* stdout gone: the guest cannot tell */
		uart->ris |= INT_TX;
		pl011_update(uart);
		break;
	case UARTIBRD:
		uart->ibrd = val;
		break;
	case UARTFBRD:
		uart->fbrd = val;
		break;
	case UARTLCR_H:
		uart->lcr_h = val;
		break;
	case UARTCR:
		uart->cr = val;
		break;
	case UARTIFLS:
		uart->ifls = val;
		break;
	case UARTIMSC:
		uart->imsc = val & INT_ALL;
		pl011_update(uart);
		break;
	case UARTICR:
		uart->ris &= ~val;
		pl011_update(uart);
		break;
	}
}

static int pl011_fdt_node(struct mmio_device *dev, void *fdt)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	const fdt32_t clocks[] = { cpu_to_fdt32(FDT_PHANDLE_APB_PCLK),
				   cpu_to_fdt32(FDT_PHANDLE_APB_PCLK) };
	const fdt64_t reg[] = { cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size) };
	char name[32];
	int node, chosen, err;

	snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)dev->base);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	err = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
	err = err ?: fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
	err = err ?: fdt_setprop_spi(fdt, node, VIRT_UART_SPI, false);
	err = err ?: fdt_setprop(fdt, node, "clocks", clocks, sizeof(clocks));
	err = err ?: fdt_setprop(fdt, node, "clock-names", clock_names, sizeof(clock_names));
	if (err)
		return err;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return chosen;
	snprintf(name, sizeof(name), "/pl011@%llx", (unsigned long long)dev->base);
	return fdt_setprop_string(fdt, chosen, "stdout-path", name);
}

/*
 * A byte from stdin into the receive FIFO; a full FIFO waits for the guest
 * to read (slowly, under TCG).  False if the VM stops meanwhile.
 */
static bool pl011_put(void *arg, char c)
{
	struct pl011 *uart = arg;

	mmio_device_lock(&uart->dev);
	while (uart->rx_count == RX_FIFO) {
		mmio_device_unlock(&uart->dev);
		if (__atomic_load_n(&uart->vm->stopping, __ATOMIC_ACQUIRE))
			return false;
		usleep(RX_FULL_POLL_US);
		mmio_device_lock(&uart->dev);
	}
	uart->rx[(uart->rx_head + uart->rx_count++) % RX_FIFO] = c;
	uart->ris |= INT_RX;
	pl011_update(uart);
	mmio_device_unlock(&uart->dev);
	return true;
}

/**
 * pl011_init() - put the UART on @vm's bus and start reading stdin for it
 * (unless the console is virtio-console)
 * @vm: the machine
 *
 * Return: 0, or -1 after printing why.
 */
int pl011_init(struct vm *vm)
{
	static struct pl011 uart;
	int err;

	uart = (struct pl011){
		.dev = { .name = "pl011", .base = VIRT_UART_BASE, .size = VIRT_UART_SIZE,
			 .read = pl011_read, .write = pl011_write, .fdt_node = pl011_fdt_node,
			 .priv = &uart },
		.vm = vm,
		.cr = 0x300,	/* TXE | RXE, the reset value */
		.console = vm->cfg->console == CONSOLE_SERIAL,
	};
	err = mmio_bus_add(&vm->bus, &uart.dev);
	if (err) {
		fprintf(stderr, "a64vm: cannot add the PL011: %s\n", strerror(-err));
		return -1;
	}
	if (vm->cfg->dtb_out || !uart.console)
		return 0;
	return console_start(vm, pl011_put, &uart);
}
