import CMPI

/// The job this process belongs to: MPI_COMM_WORLD when Open MPI's `mpirun` started it
/// (`OMPI_COMM_WORLD_SIZE` is set; libmpi is loaded only then), otherwise a job of one process.
/// Throws a one-line error when started by mpirun but Open MPI cannot be loaded.
public func worldCommunicator() throws -> any Communicator {
    glossa_mpi_launched() != 0 ? try MPICommunicator() : SingleProcessCommunicator()
}
