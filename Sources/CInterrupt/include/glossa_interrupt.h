// Glossa's one process-wide SIGINT/SIGTERM handler, in C because a signal handler may only call
// async-signal-safe functions (unlink, _exit) on memory set up before the signal: Swift code that
// allocates, retains or takes locks may not run there. Swift reaches it through Support.Interrupt.
#ifndef GLOSSA_INTERRUPT_H
#define GLOSSA_INTERRUPT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The exit status after SIGINT or SIGTERM (128 + SIGINT, what shells report for Ctrl-C).
enum { GLOSSA_INTERRUPT_EXIT_STATUS = 130 };

/// Installs the handler for SIGINT and SIGTERM (again: switches the mode). Non-cooperative: a signal
/// removes the registered temporaries and exits 130. Cooperative: the first signal only raises the
/// flag (`glossa_interrupt_requested`); a second one removes the temporaries and exits 130 at once.
void glossa_interrupt_install(int32_t cooperative);

/// 1 once SIGINT or SIGTERM has arrived (in cooperative mode), else 0.
int32_t glossa_interrupt_requested(void);

/// Lowers the flag again (for tests, or a caller that has handled the request and goes on).
void glossa_interrupt_clear_request(void);

/// Remembers the temporary file `path` (copied) so that a signal removes it. Returns 0, or -1 when
/// the path is too long or every slot is taken (the file then is only removed as a stale temporary
/// by a later run).
int32_t glossa_interrupt_register(const char *path);

/// Forgets `path` (call after it was renamed or removed). Unknown paths are ignored.
void glossa_interrupt_unregister(const char *path);

/// How many temporaries are registered now (for tests).
int32_t glossa_interrupt_registered_count(void);

#ifdef __cplusplus
}
#endif
#endif
