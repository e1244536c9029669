/*
 * cli_interrupt.h - Ctrl-C (or SIGTERM) during a long training: the first asks
 * the work to save and stop at the next step (it polls the flag), a second
 * one stops at once, removing the files being written (base/atomic.h).
 *
 *     cli_interrupt ci;
 *     t.interrupted = cli_interrupt_catch(&ci);
 *     ret = train(&t);
 *     cli_interrupt_release(&ci);
 */
#pragma once

#include <signal.h>

typedef struct cli_interrupt {
	struct sigaction old_int, old_term;   /* the handlers to put back */
} cli_interrupt;

/* Installs the handlers and returns the flag, cleared: 1 once interrupted. */
volatile sig_atomic_t *cli_interrupt_catch(cli_interrupt *ci);

/* Puts back the handlers there were before cli_interrupt_catch(). */
void cli_interrupt_release(cli_interrupt *ci);
