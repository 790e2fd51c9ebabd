// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console input: reads one line from the PL011 (the VMM's stdin) and
 * prints it back, then powers off.  Gives up after 10 s without input.
 */
#include "guest.h"

int main(void)
{
	char line[80];
	unsigned int n = 0;
	int c;

	printf("echo: type a line\n");
	while (n < sizeof(line) - 1) {
		c = uart_getc(10);
		if (c < 0 || c == '\n' || c == '\r')
			break;
		line[n++] = c;
	}
	line[n] = '\0';
	printf("echo: got \"%s\" (%u characters%s)\n", line, n, c < 0 ? ", then nothing" : "");
	return 0;
}
