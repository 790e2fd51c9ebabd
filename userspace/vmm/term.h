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

#endif
