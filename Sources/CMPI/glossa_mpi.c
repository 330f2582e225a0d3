// Open MPI loaded at run time (see glossa_mpi.h). The few MPI functions are declared here with
// Open MPI's ABI (libmpi.so.40, Open MPI 3.0 through 5.x): handles are pointers to exported
// objects, so MPI_COMM_WORLD is the address of `ompi_mpi_comm_world`, MPI_FLOAT of `ompi_mpi_float`,
// MPI_SUM of `ompi_mpi_op_sum` — found with dlsym, as mpi.h's macros take their address.
#include "glossa_mpi.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void *mpi_handle;                      // MPI_Comm, MPI_Datatype, MPI_Op: pointers in Open MPI
#define MPI_IN_PLACE ((void *)1)               // mpi.h: #define MPI_IN_PLACE ((void *) 1)
#define MPI_THREAD_SERIALIZED 2                // mpi.h: enum { SINGLE, FUNNELED, SERIALIZED, MULTIPLE }
#define PIECE (1L << 30)                       // elements per call (MPI counts are int)

static struct {
    int ready, rank, size;
    mpi_handle world, sum, types[6];
    int (*init_thread)(int *, char ***, int, int *);
    int (*initialized)(int *);
    int (*finalize)(void);
    int (*finalized)(int *);
    int (*comm_rank)(mpi_handle, int *);
    int (*comm_size)(mpi_handle, int *);
    int (*allreduce)(const void *, void *, int, mpi_handle, mpi_handle, mpi_handle);
    int (*bcast)(void *, int, mpi_handle, int, mpi_handle);
    int (*barrier)(mpi_handle);
    int (*exscan)(const void *, void *, int, mpi_handle, mpi_handle, mpi_handle);
    int (*allgatherv)(const void *, int, mpi_handle, void *, const int *, const int *, mpi_handle, mpi_handle);
    int (*gatherv)(const void *, int, mpi_handle, void *, const int *, const int *, mpi_handle, int, mpi_handle);
    int (*alltoallv)(const void *, const int *, const int *, mpi_handle, void *, const int *, const int *, mpi_handle, mpi_handle);
    int (*abort)(mpi_handle, int);
} mpi;

static const size_t element_size[6] = { sizeof(float), sizeof(double), sizeof(long long), 1, sizeof(int), sizeof(unsigned short) };

int glossa_mpi_launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL;
}

static void finalize_at_exit(void) {
    int done = 0;
    mpi.finalized(&done);
    if (!done) mpi.finalize();
}

// Names Open MPI's message layer ob1 (shared memory and TCP) when this machine has no InfiniBand or
// Omni-Path device (/sys/class/infiniband empty or absent) and nobody chose a layer (mpirun --mca
// pml, OMPI_MCA_pml). ob1 is what Open MPI ends up with on such a machine anyway; naming it skips
// opening the cm layer, which loads and probes those fabrics' libraries (PSM, PSM2) at MPI_Init:
// 0.15-0.25 s of every 2-rank start here (a 100-row dedup on 2 ranks: 0.38-0.41 s before,
// 0.15-0.22 s after, 2026-12-03, load 0.42). Every rank decides alike when the machines are alike, as the layers must agree.
static void prefer_ob1_without_fabric(void) {
    if (getenv("OMPI_MCA_pml")) return;
    DIR *devices = opendir("/sys/class/infiniband");
    if (devices) {
        int found = 0;
        for (struct dirent *entry; !found && (entry = readdir(devices));) found = entry->d_name[0] != '.';
        closedir(devices);
        if (found) return;
    }
    setenv("OMPI_MCA_pml", "ob1", 0);
}

int glossa_mpi_init(char *error, int errorSize) {
    if (mpi.ready) return 0;
    prefer_ob1_without_fabric();
    // RTLD_GLOBAL: Open MPI's plugins (mca_*.so) resolve libmpi's symbols from the global scope.
    void *lib = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        snprintf(error, errorSize, "started by mpirun but Open MPI's libmpi.so.40 cannot be loaded (%s); install openmpi-bin (Debian/Ubuntu: apt-get install openmpi-bin)", dlerror());
        return -1;
    }
    const char *missing = NULL;
#define FIND(field, name) do { *(void **)&mpi.field = dlsym(lib, name); if (!mpi.field && !missing) missing = name; } while (0)
    FIND(init_thread, "MPI_Init_thread");
    FIND(initialized, "MPI_Initialized");
    FIND(finalize, "MPI_Finalize");
    FIND(finalized, "MPI_Finalized");
    FIND(comm_rank, "MPI_Comm_rank");
    FIND(comm_size, "MPI_Comm_size");
    FIND(allreduce, "MPI_Allreduce");
    FIND(bcast, "MPI_Bcast");
    FIND(barrier, "MPI_Barrier");
    FIND(exscan, "MPI_Exscan");
    FIND(allgatherv, "MPI_Allgatherv");
    FIND(gatherv, "MPI_Gatherv");
    FIND(alltoallv, "MPI_Alltoallv");
    FIND(abort, "MPI_Abort");
    FIND(world, "ompi_mpi_comm_world");
    FIND(sum, "ompi_mpi_op_sum");
    FIND(types[GLOSSA_MPI_FLOAT], "ompi_mpi_float");
    FIND(types[GLOSSA_MPI_DOUBLE], "ompi_mpi_double");
    FIND(types[GLOSSA_MPI_INT64], "ompi_mpi_int64_t");
    FIND(types[GLOSSA_MPI_BYTE], "ompi_mpi_byte");
    FIND(types[GLOSSA_MPI_INT32], "ompi_mpi_int32_t");
    FIND(types[GLOSSA_MPI_UINT16], "ompi_mpi_uint16_t");
#undef FIND
    if (missing) {
        snprintf(error, errorSize, "libmpi.so.40 has no symbol %s: Glossa runs on Open MPI (3.0 or later), not this MPI", missing);
        return -1;
    }
    int already = 0, provided = 0;
    mpi.initialized(&already);
    if (!already && mpi.init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided) != 0) {
        snprintf(error, errorSize, "MPI_Init_thread failed");
        return -1;
    }
    mpi.comm_rank(mpi.world, &mpi.rank);
    mpi.comm_size(mpi.world, &mpi.size);
    if (!already) atexit(finalize_at_exit);
    mpi.ready = 1;
    return 0;
}

int glossa_mpi_rank(void) { return mpi.ready ? mpi.rank : 0; }
int glossa_mpi_size(void) { return mpi.ready ? mpi.size : 1; }

/// Seconds spent inside collective calls (the transfers and the waits for other ranks), summed.
static double collective_seconds;
static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec * 1e-9;
}
double glossa_mpi_collective_seconds(void) { return collective_seconds; }
/// Runs the MPI call `call`, adds its time to collective_seconds, returns its error code when nonzero.
#define TIMED(call) do { double start_ = monotonic_seconds(); int code_ = (call); \
    collective_seconds += monotonic_seconds() - start_; if (code_) return code_; } while (0)

int glossa_mpi_allreduce_sum(void *buffer, long count, int type) {
    char *bytes = buffer;
    for (long start = 0; start < count; start += PIECE) {
        int n = (int)(count - start < PIECE ? count - start : PIECE);
        TIMED(mpi.allreduce(MPI_IN_PLACE, bytes + start * element_size[type], n, mpi.types[type], mpi.sum, mpi.world));
    }
    return 0;
}

int glossa_mpi_broadcast(void *buffer, long count, int type, int root) {
    char *bytes = buffer;
    for (long start = 0; start < count; start += PIECE) {
        int n = (int)(count - start < PIECE ? count - start : PIECE);
        TIMED(mpi.bcast(bytes + start * element_size[type], n, mpi.types[type], root, mpi.world));
    }
    return 0;
}

int glossa_mpi_barrier(void) {
    TIMED(mpi.barrier(mpi.world));
    return 0;
}

int glossa_mpi_exscan_sum(const void *send, void *result, long count, int type) {
    const char *in = send;
    char *out = result;
    for (long start = 0; start < count; start += PIECE) {
        int n = (int)(count - start < PIECE ? count - start : PIECE);
        size_t offset = start * element_size[type];
        TIMED(mpi.exscan(in + offset, out + offset, n, mpi.types[type], mpi.sum, mpi.world));
    }
    if (mpi.rank == 0) memset(result, 0, count * element_size[type]);  // MPI leaves rank 0's result undefined
    return 0;
}

int glossa_mpi_allgatherv(const void *send, int count, void *result, const int *counts, const int *offsets, int type) {
    TIMED(mpi.allgatherv(send, count, mpi.types[type], result, counts, offsets, mpi.types[type], mpi.world));
    return 0;
}

int glossa_mpi_gatherv(const void *send, int count, void *result, const int *counts, const int *offsets, int type, int root) {
    TIMED(mpi.gatherv(send, count, mpi.types[type], result, counts, offsets, mpi.types[type], root, mpi.world));
    return 0;
}

int glossa_mpi_alltoallv(const void *send, const int *sendCounts, const int *sendOffsets,
                         void *result, const int *counts, const int *offsets, int type) {
    TIMED(mpi.alltoallv(send, sendCounts, sendOffsets, mpi.types[type], result, counts, offsets, mpi.types[type], mpi.world));
    return 0;
}

void glossa_mpi_abort(int code) {
    if (mpi.ready) mpi.abort(mpi.world, code);
    exit(code);
}
