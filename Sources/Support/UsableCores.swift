import CAffinity
import Foundation

/// The cores this process may run on: those of its CPU affinity mask (`sched_getaffinity`; what
/// `taskset` or mpirun's binding left it), at most the machine's online cores. Foundation's
/// `activeProcessorCount` counts the machine's cores whatever the mask, so a rank mpirun bound to
/// one core (Open MPI's default for 2 ranks or fewer) would start a thread per core of the machine
/// on that one core.
public enum UsableCores {
    /// The cores the calling thread may run on (as the process's, unless changed), at least 1.
    public static var count: Int {
        let online = ProcessInfo.processInfo.activeProcessorCount, allowed = Int(glossa_affinity_cpu_count())
        return allowed > 0 ? min(allowed, online) : online
    }
}
