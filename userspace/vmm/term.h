/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The terminal (term.c): raw while the guest owns the console, restored on
 * every way out.
 */
#ifndef A64VM_TERM_H
#define A64VM_TERM_H

/*
 * Raw mode on stdin if it is a terminal; restored at exit and on SIGTERM,
 * SIGHUP, SIGINT and SIGQUIT.
 */
void term_init(void);
/* Back to the saved mode now (idempotent). */
void term_restore(void);

/* What term_read_key() read. */
enum term_key {
	TERM_KEY,	/* a byte for the guest */
	TERM_EOF,	/* end of stdin, or a read error */
	TERM_STOP,	/* Ctrl-A x: the user stops a64vm */
};

/*
 * The next byte for the guest from stdin (blocking).  On a terminal, Ctrl-A
 * is the escape key: Ctrl-A x stops, Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A
 * and any other key sends that key.  From a file or a pipe every byte is
 * the guest's.
 */
enum term_key term_read_key(char *c);

#endif
