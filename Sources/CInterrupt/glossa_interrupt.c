// The SIGINT/SIGTERM handler (see include/glossa_interrupt.h). The registered paths live in fixed
// slots of static memory, so the handler reads them without allocating or locking; a slot's state
// is atomic (FREE -> CLAIMED while the path is copied -> ACTIVE).
#include "glossa_interrupt.h"
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { SLOT_COUNT = 64, PATH_CAPACITY = 4096 };
enum { SLOT_FREE = 0, SLOT_CLAIMED = 1, SLOT_ACTIVE = 2 };

static char slot_paths[SLOT_COUNT][PATH_CAPACITY];
static _Atomic int slot_states[SLOT_COUNT];
static volatile sig_atomic_t requested = 0;
static volatile sig_atomic_t cooperative_mode = 0;

/// Unlinks every registered temporary and exits 130. Async-signal-safe.
static void remove_temporaries_and_exit(void) {
    for (int i = 0; i < SLOT_COUNT; i++) {
        if (atomic_load(&slot_states[i]) == SLOT_ACTIVE) unlink(slot_paths[i]);
    }
    _exit(GLOSSA_INTERRUPT_EXIT_STATUS);
}

static void handle_signal(int signal_number) {
    (void)signal_number;
    if (cooperative_mode && !requested) {
        requested = 1;
        return;
    }
    remove_temporaries_and_exit();
}

void glossa_interrupt_install(int32_t cooperative) {
    cooperative_mode = cooperative ? 1 : 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handle_signal;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGINT);
    sigaddset(&action.sa_mask, SIGTERM);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

int32_t glossa_interrupt_requested(void) { return requested ? 1 : 0; }

void glossa_interrupt_clear_request(void) { requested = 0; }

int32_t glossa_interrupt_register(const char *path) {
    size_t length = strlen(path);
    if (length >= PATH_CAPACITY) return -1;
    for (int i = 0; i < SLOT_COUNT; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slot_states[i], &expected, SLOT_CLAIMED)) {
            memcpy(slot_paths[i], path, length + 1);
            atomic_store(&slot_states[i], SLOT_ACTIVE);
            return 0;
        }
    }
    return -1;
}

void glossa_interrupt_unregister(const char *path) {
    for (int i = 0; i < SLOT_COUNT; i++) {
        if (atomic_load(&slot_states[i]) == SLOT_ACTIVE && strcmp(slot_paths[i], path) == 0) {
            int expected = SLOT_ACTIVE;
            if (atomic_compare_exchange_strong(&slot_states[i], &expected, SLOT_FREE)) return;
        }
    }
}

int32_t glossa_interrupt_registered_count(void) {
    int32_t count = 0;
    for (int i = 0; i < SLOT_COUNT; i++) count += atomic_load(&slot_states[i]) == SLOT_ACTIVE;
    return count;
}
