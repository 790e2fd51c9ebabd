// SPDX-License-Identifier: GPL-2.0-only
/*
 * The terminal: raw while the guest owns it (keys go to the guest's UART,
 * Ctrl-A x stops a64vm), restored on every way out: normal exit, exit(),
 * and the signals that would otherwise kill a64vm.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

#define CTRL_A		0x01

static struct termios saved;
static bool raw;

void term_restore(void)
{
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw = false;
	}
}

static void term_signal(int sig)
{
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void term_init(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return;
	t = saved;
	t.c_iflag &= ~(ICRNL | IXON);
	t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t))
		return;
	raw = true;
	atexit(term_restore);
	signal(SIGTERM, term_signal);
	signal(SIGHUP, term_signal);
	signal(SIGQUIT, term_signal);
	signal(SIGINT, term_signal);
}

static bool read_byte(char *c)
{
	ssize_t n;

	do
		n = read(STDIN_FILENO, c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1;
}

/**
 * term_read_key() - the next byte for the guest, Ctrl-A being the escape
 * @c: the byte, for TERM_KEY
 *
 * Return: TERM_KEY, TERM_EOF or TERM_STOP (term.h).
 */
enum term_key term_read_key(char *c)
{
	if (!read_byte(c))
		return TERM_EOF;
	if (*c != CTRL_A || !isatty(STDIN_FILENO))
		return TERM_KEY;
	if (!read_byte(c))
		return TERM_EOF;
	return *c == 'x' ? TERM_STOP : TERM_KEY;	/* Ctrl-A Ctrl-A: *c is Ctrl-A */
}
