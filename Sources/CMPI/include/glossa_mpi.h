// Open MPI behind plain C functions, so the Swift side needs neither mpi.h nor libmpi at build time.
// libmpi.so.40 is loaded with dlopen by glossa_mpi_init, which is called only when the process was
// started by Open MPI's mpirun (glossa_mpi_launched); a plain run never touches MPI.
// Every function acts on MPI_COMM_WORLD. Counts are elements; buffers of any length are sent in
// pieces of at most 2^30 elements (MPI counts are int).
#ifndef GLOSSA_MPI_H
#define GLOSSA_MPI_H

#ifdef __cplusplus
extern "C" {
#endif

/// Element types of the collectives (Open MPI's MPI_FLOAT, MPI_DOUBLE, MPI_INT64_T, MPI_BYTE, MPI_INT32_T, MPI_UINT16_T).
enum glossa_mpi_type { GLOSSA_MPI_FLOAT = 0, GLOSSA_MPI_DOUBLE = 1, GLOSSA_MPI_INT64 = 2, GLOSSA_MPI_BYTE = 3, GLOSSA_MPI_INT32 = 4,
                       GLOSSA_MPI_UINT16 = 5 };

/// 1 when Open MPI's launcher started this process (OMPI_COMM_WORLD_SIZE is set), else 0.
int glossa_mpi_launched(void);

/// Loads libmpi.so.40, calls MPI_Init_thread (MPI_THREAD_SERIALIZED) and registers MPI_Finalize
/// with atexit. Idempotent. Returns 0, or -1 with a one-line reason in error (errorSize bytes).
int glossa_mpi_init(char *error, int errorSize);

/// This process's rank in MPI_COMM_WORLD and the number of ranks (after glossa_mpi_init).
int glossa_mpi_rank(void);
int glossa_mpi_size(void);

/// buffer (count) := element-wise sum of every rank's buffer (MPI_Allreduce with MPI_IN_PLACE).
/// Returns MPI's error code (0 is success) for this and the functions below.
int glossa_mpi_allreduce_sum(void *buffer, long count, int type);
/// buffer (count) := root's buffer (MPI_Bcast).
int glossa_mpi_broadcast(void *buffer, long count, int type, int root);
/// Waits for every rank (MPI_Barrier).
int glossa_mpi_barrier(void);
/// result (count) := sum of send (count) over ranks below this one; zeros on rank 0 (MPI_Exscan).
int glossa_mpi_exscan_sum(const void *send, void *result, long count, int type);
/// result (Σ counts) := every rank's send, in rank order; rank r contributes counts[r] elements at
/// offsets[r] (MPI_Allgatherv). counts and offsets have one entry per rank.
int glossa_mpi_allgatherv(const void *send, int count, void *result, const int *counts, const int *offsets, int type);
/// MPI_Gatherv to `root`: rank r's `count` elements land at result + offsets[r] on root only
/// (`result`, `counts` and `offsets` are read on root alone).
int glossa_mpi_gatherv(const void *send, int count, void *result, const int *counts, const int *offsets, int type, int root);
/// MPI_Alltoallv: sendCounts[r] elements at send + sendOffsets[r] go to rank r; rank r's elements for
/// this rank land at result + offsets[r] (counts[r] of them). Every array has one entry per rank.
int glossa_mpi_alltoallv(const void *send, const int *sendCounts, const int *sendOffsets,
                         void *result, const int *counts, const int *offsets, int type);

/// Ends every rank of the job with the exit status code (MPI_Abort). Does not return.
void glossa_mpi_abort(int code);
/// Seconds this process has spent inside the collective calls above (transfers and waits), summed.
double glossa_mpi_collective_seconds(void);

#ifdef __cplusplus
}
#endif
#endif
