import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) into a flag the trainer polls after each step, so that it can save a
/// resumable checkpoint instead of dying mid-write.
final class LMInterrupt: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var source: DispatchSourceSignal?

    /// Starts catching SIGINT (until the process ends).
    func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.raise() }
        source.resume()
        self.source = source
    }

    private func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    /// Whether Ctrl-C has been pressed.
    var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}
