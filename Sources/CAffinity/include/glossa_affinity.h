#ifndef GLOSSA_AFFINITY_H
#define GLOSSA_AFFINITY_H

/// The CPUs in the calling thread's affinity mask (sched_getaffinity: what taskset or mpirun's
/// binding left it), or 0 when the system cannot say. Swift's Glibc module does not export
/// sched_getaffinity (it needs _GNU_SOURCE) nor the CPU_COUNT macro.
int glossa_affinity_cpu_count(void);

#endif
