// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side test of a64vm's PL011 (userspace/vmm/devices/pl011.c), natively:
 * its registers through the MMIO bus, stdin a pipe the test writes into,
 * stdout a pipe it reads, and vm_set_spi() recorded.  The interrupt
 * registers as the PL011 TRM and QEMU's model have them: RX raised when a
 * character arrives and lowered when the FIFO is read empty, TX raised by a
 * write, both lowered by UARTICR, UARTMIS = UARTRIS & UARTIMSC, and the SPI
 * line driven once per change of its level, never without one.  (Each test
 * runs in its own process: the harness forks.)
 */
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>

#include "kselftest_harness.h"
#include "dtb.h"
#include "vm_stubs.h"
#include "vmm.h"

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTIMSC	0x038
#define UARTRIS		0x03c
#define UARTMIS		0x040
#define UARTICR		0x044
#define FR_RXFE		(1U << 4)
#define INT_RX		(1U << 4)
#define INT_TX		(1U << 5)
#define INT_RT		(1U << 6)

FIXTURE(pl011) {
	struct vm_config cfg;
	struct vm vm;
	int in, out;		/* the test's ends of a64vm's stdin and stdout */
};

FIXTURE_SETUP(pl011)
{
	int in[2], out[2];

	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe(out));
	ASSERT_EQ(0, fcntl(out[0], F_SETFL, O_NONBLOCK));
	ASSERT_LE(0, dup2(in[0], STDIN_FILENO));
	ASSERT_LE(0, dup2(out[1], STDOUT_FILENO));
	self->in = in[1];
	self->out = out[0];
	self->vm.cfg = &self->cfg;
	mmio_bus_init(&self->vm.bus);
	ASSERT_EQ(0, pl011_init(&self->vm));
}

FIXTURE_TEARDOWN(pl011)
{
}

static uint32_t reg_read(struct vm *vm, uint64_t off)
{
	uint64_t val = 0;

	mmio_bus_access(&vm->bus, VIRT_UART_BASE + off, &val, 4, false);
	return val;
}

static void reg_write(struct vm *vm, uint64_t off, uint32_t val)
{
	uint64_t v = val;

	mmio_bus_access(&vm->bus, VIRT_UART_BASE + off, &v, 4, true);
}

/* Types @c on a64vm's stdin and waits (5 s at most) until it is in the FIFO. */
static bool type_char(int fd, struct vm *vm, char c)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	int i;

	if (write(fd, &c, 1) != 1)
		return false;
	for (i = 0; i < 5000; i++) {
		if (!(reg_read(vm, UARTFR) & FR_RXFE))
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

#define LEVEL()		__atomic_load_n(&spi_level, __ATOMIC_ACQUIRE)
#define CALLS()		__atomic_load_n(&spi_calls, __ATOMIC_ACQUIRE)

TEST_F(pl011, rx_raises_the_line_reading_lowers_it)
{
	reg_write(&self->vm, UARTIMSC, INT_RX | INT_RT);	/* as Linux */
	EXPECT_EQ(0, CALLS());		/* no change yet: nothing driven */
	ASSERT_TRUE(type_char(self->in, &self->vm, 'a'));
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTMIS));
	EXPECT_EQ(1, CALLS());
	EXPECT_EQ(VIRT_UART_SPI, spi_last);
	EXPECT_EQ(1, LEVEL());
	/* a second character: still pending, no new call */
	ASSERT_EQ(1, write(self->in, "b", 1));
	usleep(100000);		/* for the reader thread to put it in */
	EXPECT_EQ(1, CALLS());
	EXPECT_EQ('a', reg_read(&self->vm, UARTDR));
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTRIS));	/* 'b' left */
	EXPECT_EQ(1, CALLS());
	EXPECT_EQ('b', reg_read(&self->vm, UARTDR));
	EXPECT_EQ(FR_RXFE, reg_read(&self->vm, UARTFR) & FR_RXFE);
	EXPECT_EQ(0, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(0, reg_read(&self->vm, UARTMIS));
	EXPECT_EQ(2, CALLS());
	EXPECT_EQ(0, LEVEL());
}

TEST_F(pl011, masked_rx_is_pending_until_enabled)
{
	ASSERT_TRUE(type_char(self->in, &self->vm, 'x'));
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(0, reg_read(&self->vm, UARTMIS));
	EXPECT_EQ(0, CALLS());
	reg_write(&self->vm, UARTIMSC, INT_RX);
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTIMSC));
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTMIS));
	EXPECT_EQ(1, CALLS());
	EXPECT_EQ(1, LEVEL());
	reg_write(&self->vm, UARTIMSC, INT_RX);		/* the same mask: no change */
	EXPECT_EQ(1, CALLS());
	reg_write(&self->vm, UARTIMSC, 0);
	EXPECT_EQ(2, CALLS());
	EXPECT_EQ(0, LEVEL());
	EXPECT_EQ(INT_RX, reg_read(&self->vm, UARTRIS));	/* still received */
}

TEST_F(pl011, tx_after_a_write_cleared_by_icr)
{
	char c = 0;

	EXPECT_EQ(0, reg_read(&self->vm, UARTRIS));
	reg_write(&self->vm, UARTIMSC, INT_TX);
	EXPECT_EQ(0, CALLS());
	reg_write(&self->vm, UARTDR, 'z');
	EXPECT_EQ(1, read(self->out, &c, 1));
	EXPECT_EQ('z', c);
	EXPECT_EQ(INT_TX, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(INT_TX, reg_read(&self->vm, UARTMIS));
	EXPECT_EQ(1, CALLS());
	EXPECT_EQ(1, LEVEL());
	reg_write(&self->vm, UARTICR, INT_RX);		/* another bit: no change */
	EXPECT_EQ(INT_TX, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(1, CALLS());
	reg_write(&self->vm, UARTICR, INT_TX);
	EXPECT_EQ(0, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(2, CALLS());
	EXPECT_EQ(0, LEVEL());
}

/* MIS is RIS & IMSC for every mask; ICR clears RX too, the FIFO keeps its data. */
TEST_F(pl011, mis_is_ris_and_imsc)
{
	uint32_t mask;

	reg_write(&self->vm, UARTDR, '.');
	ASSERT_TRUE(type_char(self->in, &self->vm, 'q'));
	EXPECT_EQ(INT_RX | INT_TX, reg_read(&self->vm, UARTRIS));
	for (mask = 0; mask < 0x800; mask += 0x10) {
		reg_write(&self->vm, UARTIMSC, mask);
		EXPECT_EQ(mask, reg_read(&self->vm, UARTIMSC));
		EXPECT_EQ((INT_RX | INT_TX) & mask, reg_read(&self->vm, UARTMIS));
		EXPECT_EQ(!!(mask & (INT_RX | INT_TX)), LEVEL() == 1) TH_LOG("mask 0x%x", mask);
	}
	reg_write(&self->vm, UARTIMSC, 0xffffffff);
	EXPECT_EQ(0x7ff, reg_read(&self->vm, UARTIMSC));
	reg_write(&self->vm, UARTICR, 0x7ff);
	EXPECT_EQ(0, reg_read(&self->vm, UARTRIS));
	EXPECT_EQ(0, LEVEL());
	EXPECT_EQ('q', reg_read(&self->vm, UARTDR));
}

/* Its node: the interrupt (SPI 1, level high) only on a machine with a GIC. */
TEST_F(pl011, dtb_node)
{
	struct fdt_machine m = { .ram_base = VIRT_RAM_BASE, .ram_size = 64 << 20, .cpus = 1,
				 .gic = true };
	static char buf[0x10000];
	char err[128];
	const fdt32_t *irq;
	int node, len;

	ASSERT_EQ(0, fdt_generate(buf, sizeof(buf), &m, &self->vm.bus, err, sizeof(err)))
		TH_LOG("%s", err);
	node = fdt_path_offset(buf, "/pl011@9000000");
	ASSERT_LE(0, node);
	EXPECT_EQ(0, fdt_node_check_compatible(buf, node, "arm,pl011"));
	irq = fdt_getprop(buf, node, "interrupts", &len);
	ASSERT_NE(NULL, irq);
	ASSERT_EQ(12, len);
	EXPECT_EQ(0, fdt32_ld(&irq[0]));		/* SPI */
	EXPECT_EQ(VIRT_UART_SPI, fdt32_ld(&irq[1]));
	EXPECT_EQ(4, fdt32_ld(&irq[2]));		/* level high */
	EXPECT_STREQ("/pl011@9000000", fdt_getprop(buf, fdt_path_offset(buf, "/chosen"),
						   "stdout-path", NULL));
	m.gic = false;
	ASSERT_EQ(0, fdt_generate(buf, sizeof(buf), &m, &self->vm.bus, err, sizeof(err)));
	node = fdt_path_offset(buf, "/pl011@9000000");
	ASSERT_LE(0, node);
	EXPECT_EQ(NULL, fdt_getprop(buf, node, "interrupts", &len));
}

TEST_HARNESS_MAIN
