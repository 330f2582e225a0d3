import CInterrupt

/// The one process-wide handler for Ctrl-C (SIGINT) and SIGTERM (what mpirun and service managers
/// send). Every command installs it once:
///
/// - non-cooperative (`tokenize -o`, `vocab build`, `dedup`): a signal removes the registered
///   temporary files and exits with status 130 at once;
/// - cooperative (training): the first signal only sets `isRequested`, which the trainer polls at
///   step boundaries to save a resumable checkpoint and exit 130; a second signal removes the
///   temporaries and exits 130 at once.
///
/// `AtomicFileWriter` registers its temporary files here, so no partial output survives a signal.
public enum Interrupt {
    /// The exit status after SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl-C).
    public static let exitStatus: Int32 = Int32(GLOSSA_INTERRUPT_EXIT_STATUS)

    /// Installs the handler for SIGINT and SIGTERM; calling it again switches the mode.
    public static func install(cooperative: Bool = false) {
        glossa_interrupt_install(cooperative ? 1 : 0)
    }

    /// Whether SIGINT or SIGTERM has arrived (only ever true in cooperative mode: otherwise the
    /// process has already exited).
    public static var isRequested: Bool { glossa_interrupt_requested() != 0 }

    /// Lowers `isRequested` again (for tests, or a caller that handled the request and goes on).
    public static func clearRequest() { glossa_interrupt_clear_request() }

    /// Has a signal remove the file at `path` before the process exits. Returns false when it could
    /// not be registered (path longer than 4095 bytes or 64 temporaries at once); such a file is still
    /// removed as a stale temporary by the next write into its folder.
    @discardableResult
    public static func register(temporary path: String) -> Bool {
        glossa_interrupt_register(path) == 0
    }

    /// Forgets a temporary registered with `register(temporary:)` (after it was renamed or removed).
    public static func unregister(temporary path: String) {
        glossa_interrupt_unregister(path)
    }

    /// How many temporaries are registered now.
    public static var registeredCount: Int { Int(glossa_interrupt_registered_count()) }
}
