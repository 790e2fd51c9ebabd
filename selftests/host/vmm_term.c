// SPDX-License-Identifier: GPL-2.0-only
/*
 * a64vm's terminal handling (userspace/vmm/term.c), natively, on a
 * pseudo-terminal as stdin: raw while a64vm runs, the saved mode back after
 * term_restore(), after exit() and after a fatal signal; a stdin that is not
 * a terminal is left alone.  The console's keys as the PL011's reader gets
 * them (term_read_key()): Ctrl-A Ctrl-A is one Ctrl-A, Ctrl-A x stops, and
 * from a pipe every byte goes to the guest.
 */
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "term.h"

FIXTURE(pty) {
	int master, slave;
	struct termios cooked;
};

FIXTURE_SETUP(pty)
{
	ASSERT_EQ(0, openpty(&self->master, &self->slave, NULL, NULL, NULL));
	ASSERT_EQ(0, tcgetattr(self->slave, &self->cooked));
	ASSERT_TRUE(self->cooked.c_lflag & ICANON);
	ASSERT_TRUE(self->cooked.c_lflag & ECHO);
	ASSERT_EQ(STDIN_FILENO, dup2(self->slave, STDIN_FILENO));
}

FIXTURE_TEARDOWN(pty)
{
	close(self->master);
	close(self->slave);
}

static tcflag_t lflag(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) ? 0 : t.c_lflag;
}

TEST_F(pty, raw_then_restored)
{
	term_init();
	EXPECT_FALSE(lflag(self->slave) & (ICANON | ECHO | ISIG));
	term_restore();
	EXPECT_EQ(self->cooked.c_lflag, lflag(self->slave));
	term_restore();		/* twice is harmless */
	EXPECT_EQ(self->cooked.c_lflag, lflag(self->slave));
}

/* In a child: term_init(), then how it ends; the parent checks the pty. */
static int end_child(int how)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		term_init();
		if (lflag(STDIN_FILENO) & ICANON)
			_exit(3);	/* never went raw */
		if (how)
			raise(how);
		exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

TEST_F(pty, restored_by_exit)
{
	int status = end_child(0);

	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(self->cooked.c_lflag, lflag(self->slave));
}

TEST_F(pty, restored_by_sigterm)
{
	int status = end_child(SIGTERM);

	ASSERT_TRUE(WIFSIGNALED(status));	/* and still dies of it */
	EXPECT_EQ(SIGTERM, WTERMSIG(status));
	EXPECT_EQ(self->cooked.c_lflag, lflag(self->slave));
}

TEST_F(pty, restored_by_sighup)
{
	int status = end_child(SIGHUP);

	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGHUP, WTERMSIG(status));
	EXPECT_EQ(self->cooked.c_lflag, lflag(self->slave));
}

/* The next key must be TERM_KEY @want. */
#define EXPECT_KEY(want) do {							\
	char __c = 0;								\
										\
	EXPECT_EQ(TERM_KEY, term_read_key(&__c));				\
	EXPECT_EQ((char)(want), __c);						\
} while (0)

TEST_F(pty, escape_keys)
{
	static const char typed[] = "a\001\001b\001cd\001x";

	term_init();
	ASSERT_EQ(sizeof(typed) - 1, write(self->master, typed, sizeof(typed) - 1));
	EXPECT_KEY('a');
	EXPECT_KEY(0x01);		/* Ctrl-A Ctrl-A: one Ctrl-A for the guest */
	EXPECT_KEY('b');
	EXPECT_KEY('c');		/* Ctrl-A c: c */
	EXPECT_KEY('d');
	EXPECT_EQ(TERM_STOP, term_read_key(&(char){ 0 }));	/* Ctrl-A x */
	term_restore();
}

TEST_F(pty, escape_then_hangup)
{
	term_init();
	ASSERT_EQ(1, write(self->master, "\x01", 1));
	close(self->master);	/* the terminal goes away after the Ctrl-A */
	self->master = -1;
	EXPECT_EQ(TERM_EOF, term_read_key(&(char){ 0 }));
	term_restore();
}

/* Not a terminal: no escape, every byte is the guest's. */
TEST(keys_from_a_pipe)
{
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(STDIN_FILENO, dup2(fds[0], STDIN_FILENO));
	ASSERT_EQ(5, write(fds[1], "\x01x\x01\x01z", 5));
	close(fds[1]);
	EXPECT_KEY(0x01);
	EXPECT_KEY('x');
	EXPECT_KEY(0x01);
	EXPECT_KEY(0x01);
	EXPECT_KEY('z');
	EXPECT_EQ(TERM_EOF, term_read_key(&(char){ 0 }));
	close(fds[0]);
}

TEST(not_a_terminal_left_alone)
{
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_EQ(STDIN_FILENO, dup2(fd, STDIN_FILENO));
	term_init();		/* nothing to do, nothing to fail */
	term_restore();
	close(fd);
}

TEST_HARNESS_MAIN
