import Foundation

/// The one process-wide handler for Ctrl-C (SIGINT) and SIGTERM (what mpirun and service managers
/// send). Non-cooperative (the default, commands that do not poll): a signal exits with status 130
/// at once. Cooperative (training): the first signal only sets `isRequested`, which the training
/// loop polls at step boundaries to save a resumable checkpoint; a second signal exits at once.
///
/// A minimal version landed with the training loop (issue 10); issue 11 adds the removal of
/// registered temporary files.
public enum Interrupt {
    /// The exit status after SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl-C).
    public static let exitStatus: Int32 = 130

    nonisolated(unsafe) static var flag: sig_atomic_t = 0
    nonisolated(unsafe) static var cooperative: sig_atomic_t = 0

    /// Installs the handler for SIGINT and SIGTERM; calling it again switches the mode.
    public static func install(cooperative: Bool = false) {
        Interrupt.cooperative = cooperative ? 1 : 0
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in
                if Interrupt.cooperative == 0 || Interrupt.flag != 0 { _exit(Interrupt.exitStatus) }
                Interrupt.flag = 1
            }
        }
    }

    /// Whether SIGINT or SIGTERM has arrived (in cooperative mode).
    public static var isRequested: Bool { flag != 0 }

    /// Lowers `isRequested` again.
    public static func clearRequest() { flag = 0 }
}
