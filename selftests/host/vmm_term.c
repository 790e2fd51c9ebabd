// SPDX-License-Identifier: GPL-2.0-only
/*
 * a64vm's terminal handling (userspace/vmm/term.c), natively, on a
 * pseudo-terminal as stdin: raw while a64vm runs, the saved mode back after
 * term_restore(), after exit() and after a fatal signal; a stdin that is not
 * a terminal is left alone.
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
