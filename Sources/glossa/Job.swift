import ArgumentParser
import Foundation
import MessagePassing

/// The processes this run belongs to: one, or every rank of an Open MPI job when `mpirun` started
/// it (MPI is loaded and initialized on first use, only then).
enum Job {
    static let world: Result<any Communicator, any Error> = Result { try worldCommunicator() }

    /// Ends the process for `error` thrown while parsing (`parsing`) or running a command. On one
    /// process: as swift-argument-parser does. In an MPI job, an argument mistake is the same on
    /// every rank: rank 0 prints it and every rank exits normally. Any other failure may be one
    /// rank's alone, and the others would wait in their next collective call for ever, so it is
    /// printed and ends the whole job (MPI_Abort) — except `ExitCode`s, which the ranks reach
    /// together (an agreed interrupt).
    static func exit(withError error: any Error, parsing: Bool) -> Never {
        guard case .success(let world) = world, world.size > 1 else { Glossa.exit(withError: error) }
        let code = Glossa.exitCode(for: error)
        if parsing || error is ExitCode || code == .success {
            if world.isRoot { Glossa.exit(withError: error) }
            Foundation.exit(code.rawValue)
        }
        let rank = world.isRoot ? "" : " (rank \(world.rank))"
        FileHandle.standardError.write(Data("Error\(rank): \(Glossa.message(for: error))\n".utf8))
        world.abort(status: code.rawValue)
    }
}
