import ArgumentParser
import Foundation
import MessagePassing
import NeuralCore

/// The processes this run belongs to: one, or every rank of an Open MPI job when `mpirun` started
/// it (MPI is loaded and initialized on first use, only then).
enum Job {
    static let world: Result<any Communicator, any Error> = Result { try worldCommunicator() }

    /// Ends the process for `error` thrown while parsing (`parsing`) or running a command. On one
    /// process: as swift-argument-parser does. In an MPI job, an argument mistake is the same on
    /// every rank: rank 0 prints it and every rank exits normally. Any other failure may be one
    /// rank's alone, and the others would wait in their next collective call for ever, so it is
    /// printed and ends the whole job (MPI_Abort) — except `ExitCode`s, which the ranks reach
    /// together (an agreed interrupt) and `AgreedError`s (a failure every rank reached together:
    /// rank 0 prints it once and every rank exits non-zero).
    static func exit(withError error: any Error, parsing: Bool) -> Never {
        guard case .success(let world) = world, world.size > 1 else { Glossa.exit(withError: error) }
        let code = Glossa.exitCode(for: error)
        if parsing || error is ExitCode || error is AgreedError || code == .success {
            if world.isRoot { Glossa.exit(withError: error) }
            Foundation.exit(code.rawValue)
        }
        let rank = world.isRoot ? "" : " (rank \(world.rank))"
        Terminal.note("Error\(rank): \(Glossa.message(for: error))")
        world.abort(status: code.rawValue)
    }

    /// After a data-parallel training run (rank 0): the time spent summing gradients against the
    /// whole step, on stderr — "glossa: 2 ranks; allreduce 3.10 ms per step of 80.20 ms (…)".
    static func reportCommunication(_ reducer: GradientReducer, steps: Int, seconds: Double, parameters: Int) {
        guard let reducer = reducer as? AllreduceGradients, reducer.steps > 0 else { return }
        Terminal.note(String(format: "glossa: %d ranks; allreduce %.2f ms per step of %.2f ms (%d steps, %d parameters)",
                          reducer.communicator.size, 1000 * reducer.seconds / Double(reducer.steps),
                          1000 * seconds / Double(max(steps, 1)), reducer.steps, parameters))
    }
}
