import CMPI
import Foundation

/// The job this process belongs to: MPI_COMM_WORLD when Open MPI's `mpirun` started it
/// (`OMPI_COMM_WORLD_SIZE` is set; libmpi is loaded only then), otherwise a job of one process.
/// Throws a one-line error when started by mpirun but Open MPI cannot be loaded.
public func worldCommunicator() throws -> any Communicator {
    glossa_mpi_launched() != 0 ? try MPICommunicator() : SingleProcessCommunicator()
}

/// The ranks of this job on this machine (Open MPI's `OMPI_COMM_WORLD_LOCAL_SIZE`; 1 outside mpirun),
/// which share its cores.
public func ranksOnThisMachine() -> Int {
    ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init).map { max(1, $0) } ?? 1
}
