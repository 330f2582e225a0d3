import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag the trainer polls after each step, so that it can
/// save a resumable checkpoint instead of dying mid-write. (Open MPI's mpirun does not pass SIGINT
/// on: on Ctrl-C it sends every rank SIGTERM, then SIGKILL a few seconds later.)
final class LMInterrupt: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []

    /// Starts catching SIGINT and SIGTERM (until the process ends).
    func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            sources.append(source)
        }
    }

    private func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    /// Whether Ctrl-C has been pressed (or SIGTERM received).
    var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}
