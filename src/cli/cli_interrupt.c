#include "cli/cli_interrupt.h"

#include "base/atomic.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	if (interrupted) {
		bj_atomic_cleanup_all();
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupted = 1;
}

volatile sig_atomic_t *cli_interrupt_catch(cli_interrupt *ci)
{
	interrupted = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &ci->old_int);
	sigaction(SIGTERM, &sa, &ci->old_term);
	return &interrupted;
}

void cli_interrupt_release(cli_interrupt *ci)
{
	sigaction(SIGINT, &ci->old_int, NULL);
	sigaction(SIGTERM, &ci->old_term, NULL);
}
